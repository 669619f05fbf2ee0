using System.Text.Json.Nodes;
using Acre.Management.Arm;
using Acre.Management.Children;
using Acre.Management.Registries;
using Acre.Storage;
using Acre.Tasks.Runs;
using Acre.Tasks.Triggers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acre.Management.Tasks;

/// <summary>
/// Fires the enabled timer triggers of enabled tasks: at the start of each minute, every schedule matching that
/// minute queues one run of its task, marked with the trigger's name and the occurrence, as ACR marks timer runs.
/// An occurrence that already has a run (fired before a restart) is not fired again.
/// </summary>
public sealed partial class TimerTriggers(IMetadataStore metadata, RunScheduler scheduler, RunStore runs,
    TimeProvider time, ILogger<TimerTriggers> logger) : BackgroundService
{
    /// <summary>Queues the runs due in the minute of <paramref name="now"/>; returns how many were queued.</summary>
    public async Task<int> FireDueAsync(DateTimeOffset now, CancellationToken ct)
    {
        var minute = MinuteOf(now);
        string occurrence = minute.UtcDateTime.ToString("O");
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
                    if (ArmBody.Text(trigger["status"]) == "Disabled" ||
                        CronSchedule.TryParse(ArmBody.Text(trigger["schedule"])) is not { } schedule ||
                        !schedule.Matches(minute) ||
                        await HasRunAsync(registry.Name, task.Name, name, occurrence, ct))
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
                            ["scheduleOccurrence"] = occurrence,
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

    /// <summary>How long from <paramref name="now"/> to the start of the next minute.</summary>
    public static TimeSpan UntilNextMinute(DateTimeOffset now) => MinuteOf(now).AddMinutes(1) - now;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Each minute is fired at its start, never later in the minute: a trigger added at 10:42:50 first fires
        // at 10:43, not for the 10:42 that began before it existed.
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(UntilNextMinute(time.GetUtcNow()), time, stoppingToken);
            await FireDueAsync(time.GetUtcNow().AddSeconds(1), stoppingToken);
        }
    }

    private static DateTimeOffset MinuteOf(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, TimeSpan.Zero);
    }

    private async Task<bool> HasRunAsync(string registry, string task, string trigger, string occurrence,
        CancellationToken ct) =>
        (await runs.ListAsync(registry, ct)).Select(r => r["properties"]).Any(p =>
            ArmBody.Text(p?["task"]) == task &&
            ArmBody.Text(p?["timerTrigger"]?["timerTriggerName"]) == trigger &&
            ArmBody.Text(p?["timerTrigger"]?["scheduleOccurrence"]) == occurrence);

    [LoggerMessage(EventId = 5020, Level = LogLevel.Information,
        Message = "Timer trigger {Trigger} of task {Task} in registry {Registry} queued run {RunId}")]
    private static partial void LogFired(ILogger logger, string trigger, string task, string registry, string runId);
}
