using System.Text.RegularExpressions;
using Acre.Management.Arm;
using Acre.Management.Registries;
using Acre.Storage;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Resources;

/// <summary>Resource groups: create, get, head, update (tags), delete with everything in them, list.</summary>
public static partial class ResourceGroupEndpoints
{
    private const string Path = "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}";

    public static void Map(RouteGroup arm, ArmContext context, RegistryService registries, AsyncOperations operations)
    {
        arm.Get("/subscriptions/{subscriptionId}/resourcegroups", async (string subscriptionId, CancellationToken ct) =>
        {
            if (!context.IsKnownSubscription(subscriptionId))
            {
                return ArmError.SubscriptionNotFound(subscriptionId);
            }

            var groups = await context.Metadata.ListResourceGroupsAsync(context.SubscriptionId, ct);
            return Results.Json(new { value = groups.Select(g => Document(context, g)) });
        });
        arm.Get(Path, async (string subscriptionId, string resourceGroupName, CancellationToken ct) =>
            await FindAsync(context, subscriptionId, resourceGroupName, ct) is { } group
                ? Results.Json(Document(context, group))
                : ArmError.ResourceGroupNotFound(resourceGroupName));
        arm.Head(Path, async (string subscriptionId, string resourceGroupName, CancellationToken ct) =>
            await FindAsync(context, subscriptionId, resourceGroupName, ct) is null
                ? Results.NotFound()
                : Results.NoContent());
        arm.Put(Path, (HttpContext http, string subscriptionId, string resourceGroupName, CancellationToken ct) =>
            PutAsync(http, context, subscriptionId, resourceGroupName, ct));
        arm.Patch(Path, (HttpContext http, string subscriptionId, string resourceGroupName, CancellationToken ct) =>
            PatchAsync(http, context, subscriptionId, resourceGroupName, ct));
        arm.Delete(Path, async (HttpContext http, string subscriptionId, string resourceGroupName,
            CancellationToken ct) =>
        {
            if (await FindAsync(context, subscriptionId, resourceGroupName, ct) is not { } group)
            {
                return ArmError.ResourceGroupNotFound(resourceGroupName);
            }

            await registries.DeleteAllInGroupAsync(group.Name, ct);
            await context.Metadata.DeleteResourceGroupAsync(context.SubscriptionId, group.Name, ct);
            operations.Complete(http, context.SubscriptionId, group.Location, withLocation: true);
            return Results.StatusCode(StatusCodes.Status202Accepted);
        });
    }

    public static async Task<ResourceGroupRecord?> FindAsync(
        ArmContext context, string subscriptionId, string name, CancellationToken ct) =>
        context.IsKnownSubscription(subscriptionId)
            ? await context.Metadata.GetResourceGroupAsync(context.SubscriptionId, name, ct)
            : null;

    public static object Document(ArmContext context, ResourceGroupRecord group) => new
    {
        id = $"/subscriptions/{context.SubscriptionId}/resourceGroups/{group.Name}",
        name = group.Name,
        type = "Microsoft.Resources/resourceGroups",
        location = group.Location,
        tags = ArmBody.TagsNode(group.TagsJson),
        properties = new { provisioningState = "Succeeded" },
    };

    private static async Task<IResult> PutAsync(
        HttpContext http, ArmContext context, string subscriptionId, string name, CancellationToken ct)
    {
        if (!context.IsKnownSubscription(subscriptionId))
        {
            return ArmError.SubscriptionNotFound(subscriptionId);
        }

        if (!GroupName().IsMatch(name) || name.EndsWith('.'))
        {
            return ArmError.Invalid("InvalidResourceGroup",
                $"The provided resource group name '{name}' has these invalid characters or is too long.");
        }

        var (body, error) = await ArmBody.ReadAsync(http);
        if (body is null)
        {
            return error!;
        }

        var (tags, tagError) = ArmBody.Tags(body["tags"]);
        if (tagError is not null)
        {
            return tagError;
        }

        var existing = await context.Metadata.GetResourceGroupAsync(context.SubscriptionId, name, ct);
        string? location = Locations.Normalize(ArmBody.Text(body["location"]));
        if (location is null)
        {
            return ArmError.Invalid("LocationNotAvailableForResourceGroup",
                $"The provided location '{ArmBody.Text(body["location"])}' is not available for resource group.");
        }

        if (existing is not null && existing.Location != location)
        {
            return ArmError.Result(409, "InvalidResourceGroupLocation",
                $"Invalid resource group location '{location}'. The Resource group already exists in location " +
                $"'{existing.Location}'.");
        }

        var group = new ResourceGroupRecord(context.SubscriptionId, existing?.Name ?? name, location, tags,
            existing?.Created ?? context.Time.GetUtcNow());
        await context.Metadata.PutResourceGroupAsync(group, ct);
        return Results.Json(Document(context, group), statusCode: existing is null ? 201 : 200);
    }

    private static async Task<IResult> PatchAsync(
        HttpContext http, ArmContext context, string subscriptionId, string name, CancellationToken ct)
    {
        if (await FindAsync(context, subscriptionId, name, ct) is not { } group)
        {
            return ArmError.ResourceGroupNotFound(name);
        }

        var (body, error) = await ArmBody.ReadAsync(http);
        if (body is null)
        {
            return error!;
        }

        var (tags, tagError) = ArmBody.Tags(body["tags"]);
        if (tagError is not null)
        {
            return tagError;
        }

        var updated = body.ContainsKey("tags") ? group with { TagsJson = tags } : group;
        await context.Metadata.PutResourceGroupAsync(updated, ct);
        return Results.Json(Document(context, updated));
    }

    [GeneratedRegex(@"^[-\w\._\(\)]{1,90}$")]
    private static partial Regex GroupName();
}
