using System.Text.Json.Nodes;
using Acre.Storage;

namespace Acre.Management.Children;

/// <summary>
/// Deletion the way ACR does it for agent pools: the child shows <c>Deleting</c> for a moment before it is gone,
/// which is what the CLI's own polling reads right after the DELETE (a 404 there would be an error to it).
/// </summary>
public static class DeferredDeletion
{
    /// <summary>Marks the child Deleting and removes it after its delay; false when it is going already.</summary>
    public static async Task<bool> StartAsync(ChildContext context, ChildKind kind, RegistryRecord registry,
        ChildRecord child, CancellationToken ct)
    {
        var stored = (JsonObject)JsonNode.Parse(child.BodyJson)!;
        if (stored["properties"] is not JsonObject properties ||
            properties["provisioningState"]?.GetValue<string>() == "Deleting")
        {
            return false;
        }

        properties["provisioningState"] = "Deleting";
        await context.Metadata.PutChildAsync(child with { BodyJson = stored.ToJsonString(), Updated = context.Now },
            ct);
        _ = RemoveLaterAsync(context, kind, registry, child.Name);
        return true;
    }

    private static async Task RemoveLaterAsync(ChildContext context, ChildKind kind, RegistryRecord registry,
        string name)
    {
        try
        {
            await Task.Delay(kind.DeletionDelay, context.Arm.Time);
            if (await context.Metadata.DeleteChildAsync(registry.Name, kind.Segment, name, CancellationToken.None))
            {
                await kind.OnDeletedAsync(context, registry, name);
            }
        }
        catch (Exception)
        {
            // A child left Deleting (Acre stopping, say) is removed by the next DELETE, which does not wait.
        }
    }
}
