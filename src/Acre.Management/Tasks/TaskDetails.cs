using System.Text.Json.Nodes;
using Acre.Management.Arm;
using Acre.Management.Children;
using Acre.Management.Registries;

namespace Acre.Management.Tasks;

/// <summary><c>tasks/{name}/listDetails</c>: a task with the secret values that Get leaves out.</summary>
public static class TaskDetails
{
    public static void Map(RouteGroup arm, ChildContext context)
    {
        arm.Post(RegistryEndpoints.Registry + "/tasks/{taskName}/listDetails", (string subscriptionId,
            string resourceGroupName, string registryName, string taskName, CancellationToken ct) =>
            RegistryEndpoints.WithRegistryAsync(context.Registries, subscriptionId, resourceGroupName, registryName,
                ct, async registry =>
                {
                    var task = await context.Metadata.GetChildAsync(registry.Name, "tasks", taskName, ct);
                    if (task is null)
                    {
                        return ArmError.NotFound("Microsoft.ContainerRegistry/registries/tasks", taskName,
                            resourceGroupName);
                    }

                    var stored = JsonNode.Parse(task.BodyJson)!.AsObject();
                    return Microsoft.AspNetCore.Http.Results.Json(new JsonObject
                    {
                        ["id"] = $"{context.RegistryId(registry)}/tasks/{task.Name}",
                        ["name"] = task.Name,
                        ["type"] = "Microsoft.ContainerRegistry/registries/tasks",
                        ["location"] = stored["location"]?.DeepClone(),
                        ["tags"] = stored["tags"]?.DeepClone() ?? new JsonObject(),
                        ["systemData"] = stored["systemData"]?.DeepClone(),
                        ["properties"] = stored["properties"]?.DeepClone(),
                    });
                }));
    }
}
