using Acre.Tasks.Blobs;
using Acre.Tasks.Building;
using Acre.Tasks.Runs;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Acre.Tasks;

/// <summary>Registration of ACR Tasks: the builder, the run queue, the file collector and the blob host.</summary>
public static class TasksServices
{
    public static IServiceCollection AddTasks(this IServiceCollection services, TasksOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<BlobSignatures>();
        services.AddSingleton<SourceUploads>();
        services.AddSingleton<BlobEndpoints>();
        services.AddSingleton<BaseImages>();
        services.AddSingleton<ArtifactContext>();
        services.AddSingleton<ImageBuilder>();
        services.AddSingleton<ImagePublisher>();
        services.AddSingleton<Steps.StepRunner>();
        services.AddSingleton<RunStore>();
        services.AddSingleton<RunExecutor>();
        services.AddSingleton<RunQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<RunQueue>());
        services.AddSingleton<TaskFiles>();
        services.AddHostedService(sp => sp.GetRequiredService<TaskFiles>());
        return services;
    }

    public static IEndpointRouteBuilder MapTasksBlobHost(this IEndpointRouteBuilder endpoints)
    {
        endpoints.ServiceProvider.GetRequiredService<BlobEndpoints>().Map(endpoints);
        return endpoints;
    }
}
