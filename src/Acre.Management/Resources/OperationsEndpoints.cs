using Acre.Management.Arm;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Resources;

/// <summary><c>GET /providers/Microsoft.ContainerRegistry/operations</c> and the async operation status
/// routes.</summary>
public static class OperationsEndpoints
{
    private const string Location = "/subscriptions/{subscriptionId}/providers/Microsoft.ContainerRegistry" +
        "/locations/{location}";

    private static readonly (string Name, string Operation, string Description)[] Operations =
    [
        ("Microsoft.ContainerRegistry/registries/read", "Get Container Registry", "Returns a container registry."),
        ("Microsoft.ContainerRegistry/registries/write", "Create or Update Container Registry",
            "Creates or updates a container registry."),
        ("Microsoft.ContainerRegistry/registries/delete", "Delete Container Registry", "Deletes a container registry."),
        ("Microsoft.ContainerRegistry/registries/listCredentials/action", "List Registry Credentials",
            "Lists the login credentials for the registry."),
        ("Microsoft.ContainerRegistry/registries/regenerateCredential/action", "Regenerate Registry Credential",
            "Regenerates one of the login credentials for the registry."),
        ("Microsoft.ContainerRegistry/registries/listUsages/read", "List Registry Usages",
            "Lists the quota usages for the registry."),
        ("Microsoft.ContainerRegistry/registries/importImage/action", "Import Image",
            "Imports an image to the registry."),
        ("Microsoft.ContainerRegistry/checkNameAvailability/read", "Check Name Availability",
            "Checks whether the registry name is available."),
        ("Microsoft.ContainerRegistry/registries/privateLinkResources/read", "List Private Link Resources",
            "Lists the private link resources of the registry."),
        ("Microsoft.ContainerRegistry/operations/read", "List Operations",
            "Lists the operations of Microsoft.ContainerRegistry."),
    ];

    private static readonly string[] Children =
    [
        "scopeMaps", "tokens", "webhooks", "replications", "privateEndpointConnections", "connectedRegistries",
        "cacheRules", "credentialSets",
    ];

    private static readonly (string Name, string Operation, string Description)[] ChildActions =
    [
        ("Microsoft.ContainerRegistry/registries/generateCredentials/action", "Generate Token Credentials",
            "Generates passwords for a token."),
        ("Microsoft.ContainerRegistry/registries/webhooks/ping/action", "Ping Webhook",
            "Sends a ping event to a webhook."),
        ("Microsoft.ContainerRegistry/registries/webhooks/getCallbackConfig/action", "Get Webhook Callback",
            "Gets the service URI and custom headers of a webhook."),
        ("Microsoft.ContainerRegistry/registries/webhooks/listEvents/action", "List Webhook Events",
            "Lists the recent events of a webhook."),
        ("Microsoft.ContainerRegistry/registries/connectedRegistries/deactivate/action",
            "Deactivate Connected Registry", "Deactivates a connected registry."),
    ];

    /// <summary>Every operation: the registry's, its actions', and read, write and delete of each child.</summary>
    private static IEnumerable<(string Name, string Operation, string Description)> All() =>
        Operations.Concat(ChildActions).Concat(Children.SelectMany(child => new[] { "read", "write", "delete" }
            .Select(verb => ($"Microsoft.ContainerRegistry/registries/{child}/{verb}", $"{verb} {child}",
                $"{char.ToUpperInvariant(verb[0])}{verb[1..]}s a {child} resource of the registry."))));

    public static void Map(RouteGroup arm, AsyncOperations operations)
    {
        arm.Get("/providers/Microsoft.ContainerRegistry/operations", () => Results.Json(new
        {
            value = All().Select(o => new
            {
                name = o.Name,
                isDataAction = false,
                display = new
                {
                    provider = "Microsoft Container Registry",
                    resource = o.Name.Split('/')[1],
                    operation = o.Operation,
                    description = o.Description,
                },
                origin = "user,system",
            }),
        }));
        arm.Get(Location + "/operationStatuses/{operationId}", (string operationId) => operations.Status(operationId));
        arm.Get(Location + "/operationResults/{operationId}", (string operationId) => operations.Result(operationId));
    }
}
