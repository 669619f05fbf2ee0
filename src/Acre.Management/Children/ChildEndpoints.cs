using System.Text.Json.Nodes;
using Acre.Management.Arm;
using Acre.Management.Registries;
using Acre.Storage;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Children;

/// <summary>List, get, create or replace, update and delete for every child kind, with ARM's async headers.</summary>
public static class ChildEndpoints
{
    public static void Map(RouteGroup arm, ChildContext context, AsyncOperations operations, ChildKind kind)
    {
        string collection = RegistryEndpoints.Registry + "/" + kind.Segment;
        string item = collection + "/{childName}";
        var service = context.Registries;

        arm.Get(collection, (string subscriptionId, string resourceGroupName, string registryName,
            CancellationToken ct) =>
            RegistryEndpoints.WithRegistryAsync(service, subscriptionId, resourceGroupName, registryName, ct,
                async registry => Results.Json(new { value = await ListAsync(context, kind, registry, ct) })));
        arm.Get(item, (string subscriptionId, string resourceGroupName, string registryName, string childName,
            CancellationToken ct) => RegistryEndpoints.WithRegistryAsync(service, subscriptionId, resourceGroupName,
                registryName, ct, async registry => await FindAsync(context, kind, registry, childName, ct) is { } doc
                    ? Results.Json(doc)
                    : ArmError.NotFound(kind.Type, childName, resourceGroupName)));
        arm.Put(item, (HttpContext http, string subscriptionId, string resourceGroupName, string registryName,
            string childName, CancellationToken ct) => RegistryEndpoints.WithRegistryAsync(service, subscriptionId,
                resourceGroupName, registryName, ct,
                registry => WriteAsync(http, context, operations, kind, registry, childName, replace: true, ct)));
        arm.Patch(item, (HttpContext http, string subscriptionId, string resourceGroupName, string registryName,
            string childName, CancellationToken ct) => RegistryEndpoints.WithRegistryAsync(service, subscriptionId,
                resourceGroupName, registryName, ct,
                registry => WriteAsync(http, context, operations, kind, registry, childName, replace: false, ct)));
        arm.Delete(item, (HttpContext http, string subscriptionId, string resourceGroupName, string registryName,
            string childName, CancellationToken ct) => RegistryEndpoints.WithRegistryAsync(service, subscriptionId,
                resourceGroupName, registryName, ct,
                registry => DeleteAsync(http, context, operations, kind, registry, childName, ct)));
    }

    public static async Task<List<JsonObject>> ListAsync(
        ChildContext context, ChildKind kind, RegistryRecord registry, CancellationToken ct)
    {
        var documents = kind.BuiltIn(registry).Select(b => BuiltInDocument(context, kind, registry, b)).ToList();
        foreach (var child in await context.Metadata.ListChildrenAsync(registry.Name, kind.Segment, ct))
        {
            documents.Add(Document(context, kind, registry, child));
        }

        return documents;
    }

    public static async Task<JsonObject?> FindAsync(
        ChildContext context, ChildKind kind, RegistryRecord registry, string name, CancellationToken ct)
    {
        var builtIn = kind.BuiltIn(registry).FirstOrDefault(b => b.Name.Equals(name,
            StringComparison.OrdinalIgnoreCase));
        if (builtIn.Name is not null)
        {
            return BuiltInDocument(context, kind, registry, builtIn);
        }

        var child = await context.Metadata.GetChildAsync(registry.Name, kind.Segment, name, ct);
        return child is null ? null : Document(context, kind, registry, child);
    }

    /// <summary>The stored properties of a child, secrets included, for the planes' own use.</summary>
    public static JsonObject? StoredProperties(ChildRecord? child) =>
        child is not null && JsonNode.Parse(child.BodyJson) is JsonObject body
            ? body["properties"] as JsonObject
            : null;

    private static async Task<IResult> WriteAsync(HttpContext http, ChildContext context, AsyncOperations operations,
        ChildKind kind, RegistryRecord registry, string name, bool replace, CancellationToken ct)
    {
        if (kind.BuiltIn(registry).Any(b => b.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
        {
            return ArmError.Invalid("OperationNotAllowed", $"'{name}' is a system resource and cannot be changed.");
        }

        var existing = await context.Metadata.GetChildAsync(registry.Name, kind.Segment, name, ct);
        if (existing is null && !replace)
        {
            return ArmError.NotFound(kind.Type, name, registry.ResourceGroup);
        }

        if (existing is null && !kind.IsValidName(name))
        {
            return ArmError.Invalid("InvalidResourceName",
                $"Resource name '{name}' is invalid. The name must be {kind.NameRule}.");
        }

        if (await kind.CheckAllowedAsync(context, registry, existing is null) is { } notAllowed)
        {
            return notAllowed;
        }

        var (body, error) = await ArmBody.ReadAsync(http);
        if (body is null)
        {
            return error!;
        }

        var stored = existing is null ? new JsonObject() : (JsonObject)JsonNode.Parse(existing.BodyJson)!;
        var (given, malformed) = ArmBody.Properties(body, kind.Shape);
        if (given is null)
        {
            return malformed!;
        }

        var (properties, invalid) = await kind.BuildAsync(context, registry, existing?.Name ?? name, given,
            replace ? null : stored["properties"] as JsonObject);
        if (properties is null)
        {
            return invalid!;
        }

        if (kind.IsTracked && Tracked(body, stored, registry, replace) is { } trackedError)
        {
            return trackedError;
        }

        stored["properties"] = properties;
        stored["systemData"] = RegistryService.SystemData(stored["systemData"] as JsonObject,
            ArmFilter.PrincipalOf(http), context.Now, creating: existing is null);
        var now = context.Now;
        var child = new ChildRecord(registry.Name, kind.Segment, existing?.Name ?? name, stored.ToJsonString(),
            existing?.Created ?? now, now);
        await context.Metadata.PutChildAsync(child, ct);
        operations.Complete(http, registry.SubscriptionId, registry.Location, withLocation: false);
        return Results.Json(Document(context, kind, registry, child),
            statusCode: existing is null ? kind.CreatedStatus : 200);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, ChildContext context, AsyncOperations operations,
        ChildKind kind, RegistryRecord registry, string name, CancellationToken ct)
    {
        if (kind.BuiltIn(registry).Any(b => b.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
        {
            return ArmError.Invalid("OperationNotAllowed", $"'{name}' is a system resource and cannot be deleted.");
        }

        if (kind.DeletionDelay > TimeSpan.Zero &&
            await context.Metadata.GetChildAsync(registry.Name, kind.Segment, name, ct) is { } child &&
            await DeferredDeletion.StartAsync(context, kind, registry, child, ct))
        {
            operations.Complete(http, registry.SubscriptionId, registry.Location, withLocation: true);
            return Results.StatusCode(StatusCodes.Status202Accepted);
        }

        if (!await context.Metadata.DeleteChildAsync(registry.Name, kind.Segment, name, ct))
        {
            return Results.NoContent();
        }

        await kind.OnDeletedAsync(context, registry, name);
        operations.Complete(http, registry.SubscriptionId, registry.Location, withLocation: true);
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    private static IResult? Tracked(JsonObject body, JsonObject stored, RegistryRecord registry, bool replace)
    {
        var (tags, tagError) = ArmBody.Tags(body["tags"]);
        if (tagError is not null)
        {
            return tagError;
        }

        if (body.ContainsKey("tags"))
        {
            stored["tags"] = tags is null ? new JsonObject() : JsonNode.Parse(tags);
        }

        string? location = Resources.Locations.Normalize(ArmBody.Text(body["location"]));
        if (replace && location is null)
        {
            return ArmError.Invalid("LocationNotAvailableForResourceType",
                $"The provided location '{ArmBody.Text(body["location"])}' is not available.");
        }

        stored["location"] = location ?? ArmBody.Text(stored["location"]) ?? registry.Location;
        return null;
    }

    private static JsonObject Document(ChildContext context, ChildKind kind, RegistryRecord registry, ChildRecord child)
    {
        var stored = (JsonObject)JsonNode.Parse(child.BodyJson)!;
        var document = Shell(context, kind, registry, child.Name);
        if (kind.IsTracked)
        {
            document["location"] = stored["location"]?.DeepClone();
            document["tags"] = stored["tags"]?.DeepClone() ?? new JsonObject();
        }

        document["systemData"] = stored["systemData"]?.DeepClone();
        document["properties"] = kind.Present((JsonObject)stored["properties"]!.DeepClone());
        return document;
    }

    private static JsonObject BuiltInDocument(
        ChildContext context, ChildKind kind, RegistryRecord registry, (string Name, JsonObject Properties) builtIn)
    {
        var document = Shell(context, kind, registry, builtIn.Name);
        document["properties"] = builtIn.Properties;
        return document;
    }

    private static JsonObject Shell(ChildContext context, ChildKind kind, RegistryRecord registry, string name) => new()
    {
        ["id"] = $"{context.RegistryId(registry)}/{kind.Segment}/{name}",
        ["name"] = name,
        ["type"] = kind.Type,
    };
}
