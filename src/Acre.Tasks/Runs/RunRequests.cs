using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Acre.Tasks.Runs;

/// <summary>
/// The run requests of <c>scheduleRun</c> (RunRequest's subtypes in the Tasks spec), checked before a run is
/// queued. A Docker build from an uploaded context is what Acre runs.
/// </summary>
public static partial class RunRequests
{
    public const string DockerBuild = "DockerBuildRequest";

    private static readonly string[] OtherTypes = ["FileTaskRunRequest", "EncodedTaskRunRequest", "TaskRunRequest"];

    /// <summary>The initial properties of the run, or the reason the request is refused.</summary>
    public static (JsonObject? Properties, string? Error) Check(JsonObject request)
    {
        string? type = Text(request["type"]);
        if (type is null || OtherTypes.Contains(type))
        {
            return (null, type is null
                ? "The run request needs a 'type'."
                : $"Runs of type '{type}' are not supported by Acre yet; only {DockerBuild} runs.");
        }

        if (type != DockerBuild)
        {
            return (null, $"The run request type '{type}' is unknown.");
        }

        if (Text(request["dockerFilePath"]) is not { Length: > 0 })
        {
            return (null, "A DockerBuildRequest needs a 'dockerFilePath'.");
        }

        if (Text(request["sourceLocation"]) is not { Length: > 0 } source || !IsUploadedSource(source))
        {
            return (null, "The 'sourceLocation' must be a relativePath from listBuildSourceUploadUrl; Acre does not " +
                "fetch contexts from Git or other URLs.");
        }

        var platform = request["platform"] as JsonObject ?? new JsonObject { ["os"] = "linux" };
        string os = Text(platform["os"])?.ToLowerInvariant() ?? "";
        string architecture = Text(platform["architecture"])?.ToLowerInvariant() ?? "amd64";
        if (os != "linux" || architecture is not ("amd64" or "x86_64"))
        {
            return (null, $"Acre builds linux/amd64 images only, not {os}/{architecture}.");
        }

        foreach (string image in Images(request, "ca1", "registry.example"))
        {
            if (!ImagePattern().IsMatch(image))
            {
                return (null, $"The image name '{image}' is not a valid repository and tag.");
            }
        }

        return (new JsonObject
        {
            ["runType"] = "QuickBuild",
            ["platform"] = new JsonObject { ["os"] = "Linux", ["architecture"] = "amd64" },
            ["agentConfiguration"] = new JsonObject { ["cpu"] = 2 },
            ["isArchiveEnabled"] = request["isArchiveEnabled"]?.GetValue<bool>() ?? false,
            ["outputImages"] = new JsonArray(),
        }, null);
    }

    /// <summary>The image names with ACR's run variables substituted.</summary>
    public static List<string> Images(JsonObject request, string runId, string loginServer) =>
        [.. (request["imageNames"] as JsonArray ?? []).Select(Text).OfType<string>().Select(image => image
            .Replace("{{.Run.ID}}", runId, StringComparison.Ordinal)
            .Replace("{{.Run.Registry}}", loginServer, StringComparison.Ordinal)
            .Replace("{{.Run.RegistryName}}", loginServer.Split('.')[0], StringComparison.Ordinal))];

    /// <summary>The build arguments, <c>--build-arg</c> and <c>--secret-build-arg</c> alike.</summary>
    public static Dictionary<string, string> Arguments(JsonObject request) =>
        (request["arguments"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(a => Text(a["name"]) is not null)
            .GroupBy(a => Text(a["name"])!)
            .ToDictionary(g => g.Key, g => Text(g.Last()["value"]) ?? "", StringComparer.Ordinal);

    public static bool IsUploadedSource(string source) => SourcePattern().IsMatch(source);

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    [GeneratedRegex(@"^source/[a-z0-9]{5,50}/[0-9a-f]{32}\.tar\.gz$")]
    private static partial Regex SourcePattern();

    [GeneratedRegex(@"^([a-zA-Z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+([._/-][a-z0-9]+)*(:[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127})?$")]
    private static partial Regex ImagePattern();
}
