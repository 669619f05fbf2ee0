using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Acre.Management.Arm;
using Acre.Management.Children;
using Acre.Management.Registries;
using Acre.Storage;
using Acre.Tasks.Triggers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acre.Management.Tasks;

/// <summary>
/// Fires the enabled timer triggers of enabled tasks: each minute whose schedule matches queues one run of the
/// task, marked with the trigger's name and the occurrence, as ACR marks timer runs.
/// </summary>
public sealed partial class TimerTriggers(IMetadataStore metadata, RunScheduler scheduler, TimeProvider time,
    ILogger<TimerTriggers> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(20);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _fired = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Queues the runs due in the minute of <paramref name="now"/>; returns how many were queued.</summary>
    public async Task<int> FireDueAsync(DateTimeOffset now, CancellationToken ct)
    {
        var minute = new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, now.UtcDateTime.Day,
            now.UtcDateTime.Hour, now.UtcDateTime.Minute, 0, TimeSpan.Zero);
        int fired = 0;
        foreach (var registry in await metadata.ListRegistriesAsync(ct))
        {
            foreach (var task in await metadata.ListChildrenAsync(registry.Name, "tasks", ct))
            {
                var properties = ChildEndpoints.StoredProperties(task);
                if (properties is null || ArmBody.Text(properties["status"]) != "Enabled")
                {
                    continue;
                }

                var timers = properties["trigger"]?["timerTriggers"] as JsonArray ?? [];
                foreach (var trigger in timers.OfType<JsonObject>())
                {
                    string name = ArmBody.Text(trigger["name"]) ?? "timer";
                    string key = $"{registry.Name}/{task.Name}/{name}";
                    if (ArmBody.Text(trigger["status"]) == "Disabled" ||
                        CronSchedule.TryParse(ArmBody.Text(trigger["schedule"])) is not { } schedule ||
                        !schedule.Matches(minute) || (_fired.TryGetValue(key, out var last) && last == minute) ||
                        !_fired.TryUpdate(key, minute, last) && !_fired.TryAdd(key, minute))
                    {
                        continue;
                    }

                    var request = new JsonObject
                    {
                        ["type"] = "TaskRunRequest",
                        ["taskId"] = $"{RegistryDocument.IdOf(registry)}/tasks/{task.Name}",
                    };
                    var (run, _) = await scheduler.ScheduleAsync(registry, request, ct, new JsonObject
                    {
                        ["timerTrigger"] = new JsonObject
                        {
                            ["timerTriggerName"] = name,
                            ["scheduleOccurrence"] = minute.UtcDateTime.ToString("O"),
                        },
                    });
                    string runId = run?["name"]?.GetValue<string>() ?? "none";
                    LogFired(logger, name, task.Name, registry.Name, runId);
                    fired++;
                }
            }
        }

        return fired;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await FireDueAsync(time.GetUtcNow(), stoppingToken);
            await Task.Delay(Tick, time, stoppingToken);
        }
    }

    [LoggerMessage(EventId = 5020, Level = LogLevel.Information,
        Message = "Timer trigger {Trigger} of task {Task} in registry {Registry} queued run {RunId}")]
    private static partial void LogFired(ILogger logger, string trigger, string task, string registry, string runId);
}
