using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Acre.Management.Arm;
using Acre.Management.Children;
using Acre.Storage;
using Acre.Tasks.Runs;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Tasks;

/// <summary>
/// Task runs: a run request kept as a resource. Creating one (or changing its <c>forceUpdateTag</c>) schedules a
/// run; <c>runResult</c> shows that run as it stands. Secret values show only through listDetails.
/// </summary>
public sealed partial class TaskRunKind(RunScheduler scheduler, RunStore runs) : ChildKind
{
    public override JsonShape Shape => TaskShapes.TaskRun;

    public override string Segment => "taskRuns";

    public override bool IsValidName(string name) => NamePattern().IsMatch(name);

    public override string NameRule => "between 5 and 50 alphanumeric characters, dashes or underscores";

    public override async Task<(JsonObject? Properties, IResult? Error)> BuildAsync(
        ChildContext context, RegistryRecord registry, string name, JsonObject given, JsonObject? existing)
    {
        var properties = existing?.DeepClone().AsObject() ?? new JsonObject();
        var request = given["runRequest"] as JsonObject ?? properties["runRequest"] as JsonObject;
        if (request is null)
        {
            return (null, ArmError.Invalid("InvalidRequestContent", "A task run needs a 'runRequest'."));
        }

        string? tag = ArmBody.Text(given["forceUpdateTag"]);
        bool rerun = existing is null || given.ContainsKey("runRequest") ||
            (tag is not null && tag != ArmBody.Text(properties["forceUpdateTag"]));
        properties["runRequest"] = request.DeepClone();
        if (tag is not null)
        {
            properties["forceUpdateTag"] = tag;
        }

        if (rerun)
        {
            var (run, error) = await scheduler.ScheduleAsync(registry, (JsonObject)request.DeepClone(),
                CancellationToken.None);
            if (run is null)
            {
                return (null, error);
            }

            properties["runResult"] = run;
        }

        properties["provisioningState"] = "Succeeded";
        return (properties, null);
    }

    /// <summary>The task run with its run as it stands now, and without secret values.</summary>
    public override JsonObject Present(JsonObject properties)
    {
        if (properties["runResult"] is JsonObject result && result["name"]?.GetValue<string>() is { } runId &&
            RegistryOf(result) is { } registry)
        {
            // Present is synchronous; the store answers from SQLite at once.
            var body = runs.GetAsync(registry, runId, CancellationToken.None).GetAwaiter().GetResult();
            if (body?["properties"] is JsonObject current)
            {
                result["properties"] = current.DeepClone();
            }
        }

        foreach (string list in new[] { "values", "arguments" })
        {
            foreach (var value in (properties["runRequest"]?[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (ArmBody.Flag(value["isSecret"]) == true)
                {
                    value.Remove("value");
                }
            }
        }

        return properties;
    }

    private static string? RegistryOf(JsonObject run)
    {
        string id = run["id"]?.GetValue<string>() ?? "";
        var match = RegistryPattern().Match(id);
        return match.Success ? match.Groups[1].Value.ToLowerInvariant() : null;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{5,50}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("/registries/([^/]+)/runs/", RegexOptions.IgnoreCase)]
    private static partial Regex RegistryPattern();
}
