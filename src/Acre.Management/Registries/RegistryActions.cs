using Acre.Management.Arm;
using Acre.Storage;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Registries;

/// <summary>A registry's actions: credentials, usages and private link resources.</summary>
public static class RegistryActions
{
    private const string Registry = RegistryEndpoints.Registry;

    public static void Map(RouteGroup arm, ArmContext context, RegistryService service)
    {
        arm.Post(Registry + "/listCredentials", (string subscriptionId, string resourceGroupName, string registryName,
            CancellationToken ct) => RegistryEndpoints.WithRegistryAsync(service, subscriptionId, resourceGroupName,
                registryName, ct, r => r.AdminUserEnabled
                    ? Results.Json(RegistryService.Credentials(r))
                    : AdminDisabled(r)));
        arm.Post(Registry + "/regenerateCredential", (HttpContext http, string subscriptionId, string resourceGroupName,
            string registryName, CancellationToken ct) => RegistryEndpoints.WithRegistryAsync(service, subscriptionId,
                resourceGroupName, registryName, ct, r => RegenerateAsync(http, service, r, ct)));
        arm.Get(Registry + "/listUsages", (string subscriptionId, string resourceGroupName, string registryName,
            CancellationToken ct) => RegistryEndpoints.WithRegistryAsync(service, subscriptionId, resourceGroupName,
                registryName, ct, r => UsagesAsync(context, r, ct)));
        arm.Get(Registry + "/privateLinkResources", (string subscriptionId, string resourceGroupName,
            string registryName, CancellationToken ct) => RegistryEndpoints.WithRegistryAsync(service,
                subscriptionId, resourceGroupName, registryName, ct,
                r => Results.Json(new { value = new[] { PrivateLinkResource(r) } })));
        arm.Get(Registry + "/privateLinkResources/{groupName}", (string subscriptionId, string resourceGroupName,
            string registryName, string groupName, CancellationToken ct) => RegistryEndpoints.WithRegistryAsync(
                service, subscriptionId, resourceGroupName, registryName, ct, r => groupName == "registry"
                    ? Results.Json(PrivateLinkResource(r))
                    : ArmError.NotFound("Microsoft.ContainerRegistry/registries/privateLinkResources", groupName,
                        resourceGroupName)));
    }

    private static async Task<IResult> RegenerateAsync(
        HttpContext http, RegistryService service, RegistryRecord registry, CancellationToken ct)
    {
        if (!registry.AdminUserEnabled)
        {
            return AdminDisabled(registry);
        }

        var (body, error) = await ArmBody.ReadAsync(http);
        if (body is null)
        {
            return error!;
        }

        string? name = ArmBody.Text(body["name"]);
        if (name is not ("password" or "password2"))
        {
            return ArmError.Invalid("InvalidRequestContent",
                "The value of property 'name' is invalid; it must be 'password' or 'password2'.");
        }

        var updated = await service.RegenerateAsync(registry, name == "password2", ct);
        return Results.Json(RegistryService.Credentials(updated));
    }

    private static async Task<IResult> UsagesAsync(ArmContext context, RegistryRecord registry, CancellationToken ct)
    {
        var usage = await context.Metadata.GetRegistryUsageAsync(registry.Name, ct);
        int childLimit = Skus.ScopeMapAndTokenLimit(registry.Sku);
        async Task<long> CountAsync(string kind) => (await context.Metadata.ListChildrenAsync(registry.Name, kind,
            ct)).Count;
        long webhooks = await CountAsync("webhooks");
        long scopeMaps = await CountAsync("scopeMaps");
        long tokens = await CountAsync("tokens");
        return Results.Json(new
        {
            value = new object[]
            {
                new { name = "Size", limit = Skus.IncludedStorageBytes(registry.Sku), currentValue = usage.SizeBytes,
                    unit = "Bytes" },
                new { name = "Webhooks", limit = (long)Skus.WebhookLimit(registry.Sku), currentValue = webhooks,
                    unit = "Count" },
                new { name = "ScopeMaps", limit = (long)childLimit, currentValue = scopeMaps, unit = "Count" },
                new { name = "Tokens", limit = (long)childLimit, currentValue = tokens, unit = "Count" },
            },
        });
    }

    private static object PrivateLinkResource(RegistryRecord registry) => new
    {
        id = RegistryDocument.IdOf(registry) + "/privateLinkResources/registry",
        name = "registry",
        type = "Microsoft.ContainerRegistry/registries/privateLinkResources",
        properties = new
        {
            groupId = "registry",
            requiredMembers = new[] { "registry", $"registry_data_{registry.Location}" },
            requiredZoneNames = new[] { "privatelink.azurecr.io" },
        },
    };

    private static IResult AdminDisabled(RegistryRecord registry) => ArmError.Invalid("AdminUserDisabled",
        $"The admin user of registry '{registry.DisplayName}' is disabled. Enable it with " +
        $"'az acr update -n {registry.DisplayName} --admin-enabled true' first.");
}
