using Acre.Management.Arm;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Resources;

/// <summary>Resource providers: Microsoft.ContainerRegistry with its resource types, api-versions and
/// locations.</summary>
public static class ProviderEndpoints
{
    public const string Namespace = "Microsoft.ContainerRegistry";

    private static readonly string[] ResourceTypes =
    [
        "registries", "registries/replications", "registries/webhooks", "registries/webhooks/ping",
        "registries/webhooks/getCallbackConfig", "registries/webhooks/listEvents", "registries/scopeMaps",
        "registries/tokens", "registries/generateCredentials", "registries/cacheRules", "registries/credentialSets",
        "registries/connectedRegistries", "registries/connectedRegistries/deactivate",
        "registries/privateEndpointConnections", "registries/privateEndpointConnectionProxies",
        "registries/privateLinkResources", "registries/importImage", "registries/listCredentials",
        "registries/regenerateCredential", "registries/listUsages", "registries/tasks", "registries/runs",
        "registries/taskRuns", "registries/agentPools", "registries/scheduleRun", "registries/listBuildSourceUploadUrl",
        "checkNameAvailability", "operations", "locations", "locations/operationResults",
    ];

    public static void Map(RouteGroup arm, ArmContext context)
    {
        arm.Get("/subscriptions/{subscriptionId}/providers", (string subscriptionId) =>
            context.IsKnownSubscription(subscriptionId)
                ? Results.Json(new { value = new[] { Provider(context) } })
                : ArmError.SubscriptionNotFound(subscriptionId));
        arm.Get("/subscriptions/{subscriptionId}/providers/{providerNamespace}", (string subscriptionId,
            string providerNamespace) => Known(context, subscriptionId, providerNamespace)
                ?? Results.Json(Provider(context)));
        arm.Post("/subscriptions/{subscriptionId}/providers/{providerNamespace}/register", (string subscriptionId,
            string providerNamespace) => Known(context, subscriptionId, providerNamespace)
                ?? Results.Json(Provider(context)));
        arm.Get("/providers/{providerNamespace}", (string providerNamespace) =>
            providerNamespace.Equals(Namespace, StringComparison.OrdinalIgnoreCase)
                ? Results.Json(Provider(context))
                : UnknownNamespace(providerNamespace));
    }

    private static IResult? Known(ArmContext context, string subscriptionId, string providerNamespace)
    {
        if (!context.IsKnownSubscription(subscriptionId))
        {
            return ArmError.SubscriptionNotFound(subscriptionId);
        }

        return providerNamespace.Equals(Namespace, StringComparison.OrdinalIgnoreCase)
            ? null
            : UnknownNamespace(providerNamespace);
    }

    private static IResult UnknownNamespace(string providerNamespace) => ArmError.Result(404,
        "InvalidResourceNamespace", $"The resource namespace '{providerNamespace}' is invalid.");

    private static object Provider(ArmContext context) => new
    {
        id = $"/subscriptions/{context.SubscriptionId}/providers/{Namespace}",
        @namespace = Namespace,
        registrationState = "Registered",
        registrationPolicy = "RegistrationRequired",
        resourceTypes = ResourceTypes.Select(type => new
        {
            resourceType = type,
            locations = Locations.All,
            apiVersions = ApiVersions.ContainerRegistry,
            defaultApiVersion = "2025-11-01",
            capabilities = "None",
        }),
    };
}
