using Acre.Registry.Auth;
using Acre.Registry.Handlers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Acre.Registry;

/// <summary>Registration of the data plane: its services and its routes.</summary>
public static class DataPlaneEndpoints
{
    public static IServiceCollection AddDataPlane(this IServiceCollection services)
    {
        services.AddSingleton<CallerAuthenticator>();
        services.AddSingleton<RepositoryTokens>();
        services.AddSingleton<TokenEndpoint>();
        services.AddSingleton<ExchangeEndpoint>();
        services.AddSingleton<BlobHandlers>();
        services.AddSingleton<UploadHandlers>();
        services.AddSingleton<ManifestHandlers>();
        services.AddSingleton<ListingHandlers>();
        services.AddSingleton<AcrHandlers>();
        services.AddSingleton<DataPlaneDispatcher>();
        return services;
    }

    public static IEndpointRouteBuilder MapDataPlane(this IEndpointRouteBuilder endpoints)
    {
        var dispatcher = endpoints.ServiceProvider.GetRequiredService<DataPlaneDispatcher>();
        var token = endpoints.ServiceProvider.GetRequiredService<TokenEndpoint>();
        var exchange = endpoints.ServiceProvider.GetRequiredService<ExchangeEndpoint>();
        endpoints.Map("/v2", dispatcher.HandleAsync);
        endpoints.Map("/v2/{**path}", dispatcher.HandleAsync);
        endpoints.Map("/acr/v1/{**path}", dispatcher.HandleAsync);
        endpoints.MapMethods("/oauth2/token", [HttpMethods.Get, HttpMethods.Post], (Delegate)token.HandleAsync);
        endpoints.MapPost("/oauth2/exchange", (Delegate)exchange.HandleAsync);
        return endpoints;
    }
}
