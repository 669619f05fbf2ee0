using Acre.Management.Arm;
using Acre.Management.Children;
using Microsoft.Extensions.DependencyInjection;
using Acre.Management.Resources;
using Acre.Storage;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Registries;

/// <summary>Every registry operation of the spec but import and generateCredentials (which their groups add).</summary>
public static class RegistryEndpoints
{
    public const string Registries = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}" +
        "/providers/Microsoft.ContainerRegistry/registries";

    public const string Registry = Registries + "/{registryName}";

    public static void Map(RouteGroup arm, ArmContext context, RegistryService service, AsyncOperations operations)
    {
        arm.Get("/subscriptions/{subscriptionId}/providers/Microsoft.ContainerRegistry/registries",
            async (string subscriptionId, CancellationToken ct) => context.IsKnownSubscription(subscriptionId)
                ? List(service, await service.ListAsync(null, ct))
                : ArmError.SubscriptionNotFound(subscriptionId));
        arm.Get(Registries, async (string subscriptionId, string resourceGroupName, CancellationToken ct) =>
            await ResourceGroupEndpoints.FindAsync(context, subscriptionId, resourceGroupName, ct) is null
                ? ArmError.ResourceGroupNotFound(resourceGroupName)
                : List(service, await service.ListAsync(resourceGroupName, ct)));
        arm.Post("/subscriptions/{subscriptionId}/providers/Microsoft.ContainerRegistry/checkNameAvailability",
            (HttpContext http, string subscriptionId, CancellationToken ct) =>
                CheckNameAsync(http, context, service, subscriptionId, ct));

        arm.Get(Registry, (string subscriptionId, string resourceGroupName, string registryName,
            CancellationToken ct) =>
            WithRegistryAsync(service, subscriptionId, resourceGroupName, registryName, ct,
                async r => Results.Json(await DocumentAsync(context, service, r, ct))));
        arm.Put(Registry, (HttpContext http, string subscriptionId, string resourceGroupName, string registryName,
            CancellationToken ct) => PutAsync(http, context, service, operations, subscriptionId, resourceGroupName,
                registryName, ct));
        arm.Patch(Registry, (HttpContext http, string subscriptionId, string resourceGroupName, string registryName,
            CancellationToken ct) => WithRegistryAsync(service, subscriptionId, resourceGroupName, registryName, ct,
                r => PatchAsync(http, service, operations, r, ct)));
        arm.Delete(Registry, (HttpContext http, string subscriptionId, string resourceGroupName, string registryName,
            CancellationToken ct) => DeleteAsync(http, service, operations, subscriptionId, resourceGroupName,
                registryName, ct));

        RegistryActions.Map(arm, context, service);
    }

    /// <summary>Runs <paramref name="action"/> on the registry the route names, or answers ARM's 404.</summary>
    public static async Task<IResult> WithRegistryAsync(RegistryService service, string subscriptionId, string group,
        string name, CancellationToken ct, Func<RegistryRecord, IResult> action) =>
        await service.FindAsync(subscriptionId, group, name, ct) is { } registry
            ? action(registry)
            : ArmError.NotFound(RegistryDocument.ResourceType, name, group);

    public static async Task<IResult> WithRegistryAsync(RegistryService service, string subscriptionId, string group,
        string name, CancellationToken ct, Func<RegistryRecord, Task<IResult>> action) =>
        await service.FindAsync(subscriptionId, group, name, ct) is { } registry
            ? await action(registry)
            : ArmError.NotFound(RegistryDocument.ResourceType, name, group);

    /// <summary>The registry's document with what its children add: private endpoints and regional endpoints.</summary>
    public static async Task<System.Text.Json.Nodes.JsonObject> DocumentAsync(
        ArmContext context, RegistryService service, RegistryRecord registry, CancellationToken ct)
    {
        var document = RegistryDocument.Build(registry, service.Addresses);
        var properties = document["properties"]!.AsObject();
        var connections = await context.Metadata.ListChildrenAsync(registry.Name, "privateEndpointConnections", ct);
        properties["privateEndpointConnections"] = new System.Text.Json.Nodes.JsonArray([.. connections.Select(c =>
            (System.Text.Json.Nodes.JsonNode?)new System.Text.Json.Nodes.JsonObject
            {
                ["id"] = $"{RegistryDocument.IdOf(registry)}/privateEndpointConnections/{c.Name}",
                ["name"] = c.Name,
                ["type"] = "Microsoft.ContainerRegistry/registries/privateEndpointConnections",
                ["properties"] = ChildEndpoints.StoredProperties(c)?.DeepClone(),
            })]);
        if (properties["dataEndpointHostNames"] is System.Text.Json.Nodes.JsonArray { Count: > 0 } hosts)
        {
            foreach (var replication in await context.Metadata.ListChildrenAsync(registry.Name, "replications", ct))
            {
                string? location =
                    System.Text.Json.Nodes.JsonNode.Parse(replication.BodyJson)?["location"]?.GetValue<string>();
                if (location is not null && location != registry.Location)
                {
                    hosts.Add(service.Addresses.DataEndpoint(registry.DisplayName, location));
                }
            }
        }

        return document;
    }

    private static IResult List(RegistryService service, IReadOnlyList<RegistryRecord> registries) =>
        Results.Json(new { value = registries.Select(r => RegistryDocument.Build(r, service.Addresses)) });

    private static async Task<IResult> PutAsync(HttpContext http, ArmContext context, RegistryService service,
        AsyncOperations operations, string subscriptionId, string groupName, string name, CancellationToken ct)
    {
        if (await ResourceGroupEndpoints.FindAsync(context, subscriptionId, groupName, ct) is not { } group)
        {
            return ArmError.ResourceGroupNotFound(groupName);
        }

        var (body, error) = await ArmBody.ReadAsync(http);
        if (body is null)
        {
            return error!;
        }

        var (registry, created, invalid) = await service.PutAsync(group, name, body, ArmFilter.PrincipalOf(http), ct);
        if (registry is null)
        {
            return invalid!;
        }

        operations.Complete(http, context.SubscriptionId, registry.Location, withLocation: false);
        return Results.Json(await DocumentAsync(context, service, registry, ct), statusCode: created ? 201 : 200);
    }

    private static async Task<IResult> PatchAsync(HttpContext http, RegistryService service, AsyncOperations operations,
        RegistryRecord registry, CancellationToken ct)
    {
        var (body, error) = await ArmBody.ReadAsync(http);
        if (body is null)
        {
            return error!;
        }

        string? sku = Skus.Normalize(ArmBody.Text(body["sku"]?["name"]));
        var children = http.RequestServices.GetRequiredService<ChildContext>();
        if (sku is not null && sku != registry.Sku && await SkuRules.FitsAsync(children, registry, sku) is { } tooMany)
        {
            return tooMany;
        }

        var (updated, invalid) = await service.PatchAsync(registry, body, ArmFilter.PrincipalOf(http), ct);
        if (updated is null)
        {
            return invalid!;
        }

        operations.Complete(http, updated.SubscriptionId, updated.Location, withLocation: false);
        return Results.Json(await DocumentAsync(children.Arm, service, updated, ct));
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, RegistryService service,
        AsyncOperations operations, string subscriptionId, string group, string name, CancellationToken ct)
    {
        if (await service.FindAsync(subscriptionId, group, name, ct) is not { } registry)
        {
            return Results.NoContent();
        }

        await service.DeleteAsync(registry, ct);
        operations.Complete(http, registry.SubscriptionId, registry.Location, withLocation: true);
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> CheckNameAsync(
        HttpContext http, ArmContext context, RegistryService service, string subscriptionId, CancellationToken ct)
    {
        if (!context.IsKnownSubscription(subscriptionId))
        {
            return ArmError.SubscriptionNotFound(subscriptionId);
        }

        var (body, error) = await ArmBody.ReadAsync(http);
        if (body is null)
        {
            return error!;
        }

        string name = ArmBody.Text(body["name"]) ?? "";
        if (!string.Equals(ArmBody.Text(body["type"]), RegistryDocument.ResourceType,
            StringComparison.OrdinalIgnoreCase))
        {
            return ArmError.Invalid("InvalidResourceType",
                $"The resource type '{ArmBody.Text(body["type"])}' is not {RegistryDocument.ResourceType}.");
        }

        if (!RegistryService.IsValidName(name))
        {
            return Results.Json(new
            {
                nameAvailable = false,
                reason = "Invalid",
                message = "The specified resource name must be between 5 and 50 characters and can only contain " +
                    "alphanumeric characters.",
            });
        }

        return await context.Metadata.GetRegistryAsync(name, ct) is null
            ? Results.Json(new { nameAvailable = true })
            : Results.Json(new
            {
                nameAvailable = false,
                reason = "AlreadyExists",
                message = $"The registry {name} is already in use.",
            });
    }
}
