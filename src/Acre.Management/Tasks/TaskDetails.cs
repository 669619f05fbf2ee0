using System.Text.Json.Nodes;
using Acre.Management.Arm;
using Acre.Management.Children;
using Acre.Management.Registries;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Tasks;

/// <summary><c>listDetails</c> of tasks and task runs: the resource with the secrets that Get leaves out.</summary>
public static class TaskDetails
{
    public static void Map(RouteGroup arm, ChildContext context)
    {
        MapKind(arm, context, "tasks", "taskName");
        MapKind(arm, context, "taskRuns", "taskRunName");
    }

    private static void MapKind(RouteGroup arm, ChildContext context, string segment, string parameter)
    {
        arm.Post(RegistryEndpoints.Registry + $"/{segment}/{{{parameter}}}/listDetails", (string subscriptionId,
            string resourceGroupName, string registryName, HttpContext http, CancellationToken ct) =>
            RegistryEndpoints.WithRegistryAsync(context.Registries, subscriptionId, resourceGroupName, registryName,
                ct, async registry =>
                {
                    string name = http.Request.RouteValues[parameter]?.ToString() ?? "";
                    var task = await context.Metadata.GetChildAsync(registry.Name, segment, name, ct);
                    if (task is null)
                    {
                        return ArmError.NotFound($"Microsoft.ContainerRegistry/registries/{segment}", name,
                            resourceGroupName);
                    }

                    var stored = JsonNode.Parse(task.BodyJson)!.AsObject();
                    return Results.Json(new JsonObject
                    {
                        ["id"] = $"{context.RegistryId(registry)}/{segment}/{task.Name}",
                        ["name"] = task.Name,
                        ["type"] = $"Microsoft.ContainerRegistry/registries/{segment}",
                        ["location"] = stored["location"]?.DeepClone(),
                        ["tags"] = stored["tags"]?.DeepClone() ?? new JsonObject(),
                        ["systemData"] = stored["systemData"]?.DeepClone(),
                        ["properties"] = stored["properties"]?.DeepClone(),
                    });
                }));
    }
}
