using System.Text.Json.Nodes;
using Acre.Management.Arm;

namespace Acre.Management.Tasks;

/// <summary>
/// A task's PATCH (the spec's TaskUpdateParameters): what is given is merged into what is kept, object by object,
/// and a null removes (a custom registry's credentials, say). Timer and source triggers are merged by name, as the
/// CLI's <c>az acr task timer add/update</c> expect; a step of another type replaces the step.
/// </summary>
public static class TaskUpdate
{
    /// <summary>What ACR keeps whatever a request says.</summary>
    public static readonly string[] ReadOnly = ["provisioningState", "creationDate", "isSystemTask"];

    /// <summary>The step's base images, which only the task's runs write.</summary>
    public const string Dependencies = "baseImageDependencies";

    public static void Apply(JsonObject properties, JsonObject given)
    {
        foreach (var (key, value) in given)
        {
            if (ReadOnly.Contains(key))
            {
                continue;
            }

            var merged = key switch
            {
                "trigger" => MergeTrigger(properties[key] as JsonObject, value),
                "step" when ReplacesStep(properties[key], value) => NewStep(value!),
                _ => Merge(properties[key], value),
            };
            if (merged is null)
            {
                properties.Remove(key);
            }
            else
            {
                properties[key] = merged;
            }
        }

    }

    private static JsonNode NewStep(JsonNode given)
    {
        var step = given.DeepClone();
        (step as JsonObject)?.Remove(Dependencies);
        return step;
    }

    private static bool ReplacesStep(JsonNode? kept, JsonNode? given) =>
        given?["type"] is { } type && ArmBody.Text(type) != ArmBody.Text(kept?["type"]);

    private static JsonNode? Merge(JsonNode? kept, JsonNode? given)
    {
        if (given is null || kept is not JsonObject keptObject || given is not JsonObject givenObject)
        {
            return given?.DeepClone();
        }

        var merged = (JsonObject)keptObject.DeepClone();
        foreach (var (key, value) in givenObject)
        {
            if (key == Dependencies)
            {
                continue;
            }

            if (Merge(merged[key], value) is { } node)
            {
                merged[key] = node;
            }
            else
            {
                merged.Remove(key);
            }
        }

        return merged;
    }

    private static JsonNode? MergeTrigger(JsonObject? kept, JsonNode? given)
    {
        if (given is not JsonObject givenTrigger || kept is null)
        {
            return given?.DeepClone();
        }

        var merged = (JsonObject)kept.DeepClone();
        foreach (var (key, value) in givenTrigger)
        {
            merged[key] = key is "timerTriggers" or "sourceTriggers" && value is JsonArray items
                ? MergeByName(merged[key] as JsonArray ?? [], items)
                : Merge(merged[key], value);
        }

        return merged;
    }

    private static JsonArray MergeByName(JsonArray kept, JsonArray given)
    {
        var merged = (JsonArray)kept.DeepClone();
        foreach (var item in given.OfType<JsonObject>())
        {
            string? name = ArmBody.Text(item["name"]);
            var match = merged.OfType<JsonObject>().FirstOrDefault(k => ArmBody.Text(k["name"]) == name);
            if (match is null)
            {
                merged.Add(item.DeepClone());
                continue;
            }

            merged[merged.IndexOf(match)] = Merge(match, item);
        }

        return merged;
    }
}
