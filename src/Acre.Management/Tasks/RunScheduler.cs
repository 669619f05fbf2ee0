using System.Text.Json.Nodes;
using Acre.Management.Arm;
using Acre.Management.Children;
using Acre.Management.Registries;
using Acre.Storage;
using Acre.Tasks.Runs;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Tasks;

/// <summary>
/// Turns a run request (of scheduleRun or a task run) into a queued run: a TaskRunRequest becomes its task's
/// step, the request is checked, the run stored and queued. Answers the run's document, or ARM's error.
/// </summary>
public sealed class RunScheduler(IMetadataStore metadata, RunStore runs, RunQueue queue)
{
    /// <param name="trigger">Properties the run gets from what queued it, such as a timer trigger.</param>
    public async Task<(JsonObject? Run, IResult? Error)> ScheduleAsync(RegistryRecord registry, JsonObject body,
        CancellationToken ct, JsonObject? trigger = null)
    {
        if (TaskShapes.RunRequest.Mismatch(body, "") is { } malformed)
        {
            return Refuse("InvalidRunRequest", malformed);
        }

        string? taskName = null;
        if (ArmBody.Text(body["type"]) == RunRequests.TaskRun)
        {
            string taskId = ArmBody.Text(body["taskId"]) ?? "";
            taskName = taskId[(taskId.LastIndexOf('/') + 1)..];
            var task = ChildEndpoints.StoredProperties(
                await metadata.GetChildAsync(registry.Name, "tasks", taskName, ct));
            if (task is null || !taskId.StartsWith(RegistryDocument.IdOf(registry) + "/tasks/",
                StringComparison.OrdinalIgnoreCase))
            {
                return Refuse("InvalidRunRequest", $"The task '{taskId}' is not a task of this registry.");
            }

            if (ArmBody.Text(task["status"]) == "Disabled")
            {
                return Refuse("TaskDisabled", $"The task '{taskName}' is disabled.");
            }

            string? chosenPool = ArmBody.Text(body["agentPoolName"]);
            body = RunRequests.FromTask(task, body["overrideTaskStepProperties"] as JsonObject);
            if (chosenPool is { Length: > 0 })
            {
                body["agentPoolName"] = chosenPool;
            }
        }

        var (properties, invalid) = RunRequests.Check(body);
        if (properties is null)
        {
            return Refuse("InvalidRunRequest", invalid!);
        }

        if (ArmBody.Text(body["agentPoolName"]) is { Length: > 0 } pool)
        {
            if (await metadata.GetChildAsync(registry.Name, "agentPools", pool, ct) is null)
            {
                return Refuse("AgentPoolNotFound", $"The agent pool '{pool}' does not exist in this registry.");
            }

            properties["agentPoolName"] = pool;
        }

        if (taskName is not null)
        {
            properties["task"] = taskName;
        }

        foreach (var (key, value) in trigger ?? [])
        {
            properties[key] = value?.DeepClone();
        }

        string runId = await runs.CreateAsync(registry.Name, properties, body, ct);
        queue.Enqueue(registry.Name, runId);
        return (Document(registry, (await runs.GetAsync(registry.Name, runId, ct))!), null);
    }

    /// <summary>A run as ARM shows it: its stored properties, without the request that scheduled it.</summary>
    public static JsonObject Document(RegistryRecord registry, JsonObject body)
    {
        var properties = (JsonObject)body["properties"]!.DeepClone();
        string runId = properties["runId"]!.GetValue<string>();
        return new JsonObject
        {
            ["id"] = $"{RegistryDocument.IdOf(registry)}/runs/{runId}",
            ["name"] = runId,
            ["type"] = "Microsoft.ContainerRegistry/registries/runs",
            ["properties"] = properties,
        };
    }

    private static (JsonObject?, IResult?) Refuse(string code, string message) =>
        (null, ArmError.Invalid(code, message));
}
