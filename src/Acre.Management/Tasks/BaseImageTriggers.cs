using System.Text.Json.Nodes;
using Acre.Content;
using Acre.Management.Arm;
using Acre.Management.Children;
using Acre.Management.Registries;
using Acre.Storage;
using Acre.Tasks.Runs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acre.Management.Tasks;

/// <summary>
/// Fires base-image triggers: a push that moves a tag an enabled task depends on (its run-time base image, or any
/// base image with the trigger type <c>All</c>) to a new digest queues a run of that task, marked with the image
/// update as ACR marks it. Pushes wait in <see cref="BaseImagePushes"/>; the tasks are read in the background.
/// </summary>
public sealed partial class BaseImageTriggers(BaseImagePushes pushes, IMetadataStore metadata,
    RunScheduler scheduler, RunStore runs, RegistryAddresses addresses, ILogger<BaseImageTriggers> logger)
    : BackgroundService
{
    /// <summary>Queues the runs a push of a tag triggers; returns how many were queued.</summary>
    public async Task<int> FireAsync(RegistryEvent pushed, CancellationToken ct)
    {
        // Every push of a tag comes here: one read of the registry's tasks, and no more unless one watches the tag.
        if (pushed.Tag is not { } tag)
        {
            return 0;
        }

        var watching = (await metadata.ListChildrenAsync(pushed.Registry, "tasks", ct))
            .Where(task => ChildEndpoints.StoredProperties(task) is { } properties && Watches(properties, pushed))
            .ToList();
        if (watching.Count == 0 || await metadata.GetRegistryAsync(pushed.Registry, ct) is not { } registry)
        {
            return 0;
        }

        string? pushingTask = await TaskOfActorAsync(pushed, ct);
        int fired = 0;
        foreach (var task in watching)
        {
            // A task that pushes its own base image would otherwise trigger itself for ever.
            if (task.Name.Equals(pushingTask, StringComparison.OrdinalIgnoreCase) ||
                await HasQueuedImageUpdateAsync(registry.Name, task.Name, ct))
            {
                continue;
            }

            var (run, _) = await scheduler.ScheduleAsync(registry, new JsonObject
            {
                ["type"] = RunRequests.TaskRun,
                ["taskId"] = $"{RegistryDocument.IdOf(registry)}/tasks/{task.Name}",
            }, ct, Trigger(pushed));
            string runId = run?["name"]?.GetValue<string>() ?? "none";
            LogFired(logger, task.Name, registry.Name, pushed.Repository, tag, runId);
            fired++;
        }

        return fired;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var pushed in pushes.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await FireAsync(pushed, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, pushed.Registry, pushed.Repository, e);
            }
        }
    }

    /// <summary>Whether an enabled task's enabled base-image trigger watches the tag pushed to a new digest.</summary>
    private static bool Watches(JsonObject task, RegistryEvent pushed)
    {
        var trigger = task["trigger"]?["baseImageTrigger"] as JsonObject;
        if (ArmBody.Text(task["status"]) != "Enabled" || trigger is null ||
            ArmBody.Text(trigger["status"]) == "Disabled")
        {
            return false;
        }

        bool all = ArmBody.Text(trigger["baseImageTriggerType"]) == "All";
        return (task["step"]?["baseImageDependencies"] as JsonArray ?? []).OfType<JsonObject>().Any(dependency =>
            (all || ArmBody.Text(dependency["type"]) == "RunTime") &&
            ArmBody.Text(dependency["repository"]) == pushed.Repository &&
            ArmBody.Text(dependency["tag"]) == pushed.Tag &&
            ArmBody.Text(dependency["digest"]) != pushed.Digest);
    }

    private JsonObject Trigger(RegistryEvent pushed) => new()
    {
        ["imageUpdateTrigger"] = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["timestamp"] = pushed.Timestamp.UtcDateTime.ToString("O"),
            ["images"] = new JsonArray(new JsonObject
            {
                ["registry"] = addresses.LoginServer(pushed.Registry),
                ["repository"] = pushed.Repository,
                ["tag"] = pushed.Tag,
                ["digest"] = pushed.Digest,
            }),
        },
    };

    /// <summary>The task whose run pushed the image (runs push as <c>run/{runId}</c>), if a run did.</summary>
    private async Task<string?> TaskOfActorAsync(RegistryEvent pushed, CancellationToken ct) =>
        pushed.Actor is { } actor && actor.StartsWith("run/", StringComparison.Ordinal) &&
        await runs.GetAsync(pushed.Registry, actor[4..], ct) is { } run
            ? run["properties"]?["task"]?.GetValue<string>()
            : null;

    /// <summary>A queued run will read the newest base image when it starts, so one is enough.</summary>
    private async Task<bool> HasQueuedImageUpdateAsync(string registry, string task, CancellationToken ct) =>
        (await runs.ListAsync(registry, ct)).Select(r => r["properties"]).Any(p =>
            ArmBody.Text(p?["task"]) == task && ArmBody.Text(p?["status"]) == RunStatus.Queued &&
            p?["imageUpdateTrigger"] is not null);

    [LoggerMessage(EventId = 5030, Level = LogLevel.Information, Message =
        "Base image {Repository}:{Tag} of task {Task} in registry {Registry} was updated; queued run {RunId}")]
    private static partial void LogFired(ILogger logger, string task, string registry, string repository, string tag,
        string runId);

    [LoggerMessage(EventId = 5031, Level = LogLevel.Error,
        Message = "Base-image triggers for a push to {Registry}/{Repository} failed")]
    private static partial void LogFailed(ILogger logger, string registry, string repository, Exception exception);
}
