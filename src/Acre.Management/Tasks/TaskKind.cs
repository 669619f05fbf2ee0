using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Acre.Management.Arm;
using Acre.Management.Children;
using Acre.Storage;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Tasks;

/// <summary>
/// Tasks: a step (Docker build, task file or encoded task), a platform, an agent configuration, a timeout and
/// triggers, kept as the Tasks spec shapes them. Secret values show only through listDetails.
/// </summary>
public sealed partial class TaskKind : ChildKind
{
    private static readonly string[] StepTypes = ["Docker", "FileTask", "EncodedTask"];

    public override JsonShape Shape => TaskShapes.Task;

    public override string Segment => "tasks";

    public override bool IsTracked => true;

    /// <summary>ACR answers a task's create with 200; az 2.45 cannot print a 201 (it keeps the raw response).</summary>
    public override int CreatedStatus => 200;

    public override bool IsValidName(string name) => NamePattern().IsMatch(name);

    public override string NameRule => "between 5 and 50 alphanumeric characters, dashes or underscores";

    public override Task<(JsonObject? Properties, IResult? Error)> BuildAsync(
        ChildContext context, RegistryRecord registry, string name, JsonObject given, JsonObject? existing)
    {
        if (existing is not null)
        {
            var updated = (JsonObject)existing.DeepClone();
            TaskUpdate.Apply(updated, given);
            return Validated(updated);
        }

        var properties = new JsonObject
        {
            ["status"] = "Enabled",
            ["timeout"] = 3600,
            ["agentConfiguration"] = new JsonObject { ["cpu"] = 2 },
            ["isSystemTask"] = false,
            ["creationDate"] = context.Now.UtcDateTime.ToString("O"),
        };
        foreach (var (key, value) in given.Where(p => !TaskUpdate.ReadOnly.Contains(p.Key)))
        {
            properties[key] = value?.DeepClone();
        }

        (properties["step"] as JsonObject)?.Remove(TaskUpdate.Dependencies);
        return Validated(properties);
    }

    private static Task<(JsonObject? Properties, IResult? Error)> Validated(JsonObject properties)
    {
        if (Check(properties) is { } error)
        {
            return Task.FromResult<(JsonObject?, IResult?)>((null, ArmError.Invalid("InvalidRequestContent", error)));
        }

        properties["provisioningState"] = "Succeeded";
        return Task.FromResult<(JsonObject?, IResult?)>((properties, null));
    }

    /// <summary>A task as Get and List show it: credential and secret values left out.</summary>
    public override JsonObject Present(JsonObject properties)
    {
        if (properties["credentials"]?["customRegistries"] is JsonObject registries)
        {
            foreach (var (_, credential) in registries)
            {
                foreach (string part in new[] { "userName", "password" })
                {
                    (credential?[part] as JsonObject)?.Remove("value");
                }
            }
        }

        foreach (var value in (properties["step"]?["values"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (ArmBody.Flag(value["isSecret"]) == true)
            {
                value.Remove("value");
            }
        }

        return properties;
    }

    private static string? Check(JsonObject properties)
    {
        string? os = ArmBody.Text(properties["platform"]?["os"]);
        if (os is null)
        {
            return "A task needs 'platform.os'.";
        }

        if (!os.Equals("Linux", StringComparison.OrdinalIgnoreCase))
        {
            return $"Acre runs Linux tasks only, not '{os}'.";
        }

        if (ArmBody.Text(properties["status"]) is not ("Enabled" or "Disabled"))
        {
            return "'status' must be Enabled or Disabled.";
        }

        if (properties["timeout"] is not JsonValue timeout || !timeout.TryGetValue<int>(out int seconds) ||
            seconds is < 300 or > 28800)
        {
            return "'timeout' must be between 300 and 28800 seconds.";
        }

        foreach (var timer in (properties["trigger"]?["timerTriggers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (Acre.Tasks.Triggers.CronSchedule.TryParse(ArmBody.Text(timer["schedule"])) is null)
            {
                return $"The timer trigger schedule '{ArmBody.Text(timer["schedule"])}' is not a 5-field cron " +
                    "expression.";
            }
        }

        var step = properties["step"] as JsonObject;
        string? type = ArmBody.Text(step?["type"]);
        if (step is null || type is null || !StepTypes.Contains(type))
        {
            return $"A task needs a 'step' whose type is one of {string.Join(", ", StepTypes)}.";
        }

        return type switch
        {
            "Docker" when ArmBody.Text(step["dockerFilePath"]) is not { Length: > 0 } =>
                "A Docker step needs a 'dockerFilePath'.",
            "FileTask" when ArmBody.Text(step["taskFilePath"]) is not { Length: > 0 } =>
                "A FileTask step needs a 'taskFilePath'.",
            "EncodedTask" when !IsBase64(ArmBody.Text(step["encodedTaskContent"])) =>
                "An EncodedTask step needs a base64 'encodedTaskContent'.",
            _ => null,
        };
    }

    private static bool IsBase64(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        byte[] buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{5,50}$")]
    private static partial Regex NamePattern();
}
