using Acre.Identity.Entra;
using Acre.Management.Arm;
using Acre.Management.Children;
using Acre.Management.Registries;
using Acre.Management.Resources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Acre.Management;

/// <summary>Registration of the management plane: ARM basics and Microsoft.ContainerRegistry.</summary>
public static class ManagementEndpoints
{
    public static IServiceCollection AddManagement(this IServiceCollection services)
    {
        services.AddSingleton<ArmContext>();
        services.AddSingleton<AsyncOperations>();
        services.AddSingleton<RegistryService>();
        services.AddSingleton<ChildContext>();
        services.AddSingleton<ScopeMapKind>();
        services.AddSingleton<TokenKind>();
        services.AddSingleton<WebhookKind>();
        services.AddSingleton<WebhookDelivery>();
        services.AddSingleton<CredentialSetKind>();
        services.AddSingleton<ImportEndpoint>();
        services.AddSingleton<Tasks.RunScheduler>();
        services.AddSingleton<Tasks.TaskRunKind>();
        services.AddSingleton<Tasks.TimerTriggers>();
        services.AddHostedService(sp => sp.GetRequiredService<Tasks.TimerTriggers>());
        services.AddSingleton<Tasks.BaseImagePushes>();
        services.AddSingleton<Tasks.BaseImageTriggers>();
        services.AddHostedService(sp => sp.GetRequiredService<Tasks.BaseImageTriggers>());
        services.AddSingleton<Tasks.TaskDependencyRecorder>();
        services.AddSingleton<Acre.Tasks.Runs.ITaskRunObserver>(sp =>
            sp.GetRequiredService<Tasks.TaskDependencyRecorder>());
        services.AddSingleton<Tasks.RunEndpoints>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDelivery>());
        return services;
    }

    public static IEndpointRouteBuilder MapManagement(this IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        var tokens = services.GetRequiredService<EntraTokens>();
        var hosts = services.GetRequiredService<ManagementHosts>();
        var context = services.GetRequiredService<ArmContext>();
        var operations = services.GetRequiredService<AsyncOperations>();
        var registries = services.GetRequiredService<RegistryService>();

        var resources = new RouteGroup(endpoints, new ArmFilter(tokens, hosts, ApiVersions.Resources));
        SubscriptionEndpoints.Map(resources, context);
        ResourceGroupEndpoints.Map(resources, context, registries, operations);
        ProviderEndpoints.Map(resources, context);
        ResourceListEndpoints.Map(resources, context, registries);

        var containerRegistry = new RouteGroup(endpoints, new ArmFilter(tokens, hosts, ApiVersions.ContainerRegistry));
        RegistryEndpoints.Map(containerRegistry, context, registries, operations);
        OperationsEndpoints.Map(containerRegistry, operations);
        var children = services.GetRequiredService<ChildContext>();
        var tokenKind = services.GetRequiredService<TokenKind>();
        ChildKind[] kinds =
        [
            services.GetRequiredService<ScopeMapKind>(), tokenKind, services.GetRequiredService<WebhookKind>(),
            new ReplicationKind(), new PrivateEndpointConnectionKind(), new ConnectedRegistryKind(),
            new CacheRuleKind(), services.GetRequiredService<CredentialSetKind>(), new Tasks.TaskKind(),
            new Tasks.AgentPoolKind(), services.GetRequiredService<Tasks.TaskRunKind>(),
        ];
        foreach (var kind in kinds)
        {
            ChildEndpoints.Map(containerRegistry, children, operations, kind);
        }

        services.GetRequiredService<ImportEndpoint>().Map(containerRegistry);
        services.GetRequiredService<Tasks.RunEndpoints>().Map(containerRegistry);
        Tasks.TaskDetails.Map(containerRegistry, children);
        ChildActions.Map(containerRegistry, children, services.GetRequiredService<WebhookDelivery>(), tokenKind);

        endpoints.MapGet("/metadata/endpoints", (HttpContext http) => hosts.IsManagementHost(http.Request.Host.Host)
            ? CloudMetadata.Describe(http, registries.Addresses.Suffix)
            : Results.NotFound());
        return endpoints;
    }
}
