using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Acre.Tasks.Runs;

/// <summary>
/// The run requests of <c>scheduleRun</c> (RunRequest's subtypes in the Tasks spec), checked before a run is
/// queued: Docker builds and task files (multi-step YAML), each from an uploaded source.
/// </summary>
public static partial class RunRequests
{
    public const string DockerBuild = "DockerBuildRequest";
    public const string FileTask = "FileTaskRunRequest";
    public const string EncodedTask = "EncodedTaskRunRequest";
    public const string TaskRun = "TaskRunRequest";

    /// <summary>A run's timeout in seconds when its request names none, and the bounds a request may name.</summary>
    public const int DefaultTimeout = 3600;
    public const int MinTimeout = 300;
    public const int MaxTimeout = 28800;

    /// <summary>The initial properties of the run, or the reason the request is refused.</summary>
    public static (JsonObject? Properties, string? Error) Check(JsonObject request)
    {
        string? type = Text(request["type"]);
        string? error = type switch
        {
            null => "The run request needs a 'type'.",
            DockerBuild => CheckDockerBuild(request),
            FileTask => Text(request["taskFilePath"]) is { Length: > 0 }
                ? CheckSource(request, required: true)
                : "A FileTaskRunRequest needs a 'taskFilePath'.",
            EncodedTask => IsBase64(Text(request["encodedTaskContent"]))
                ? CheckSource(request, required: false)
                : "An EncodedTaskRunRequest needs a base64 'encodedTaskContent'.",
            _ => $"The run request type '{type}' is unknown.",
        };
        error ??= CheckPlatform(request) ?? CheckTimeout(request["timeout"]) ?? CheckArchive(request);
        if (error is not null)
        {
            return (null, error);
        }

        return (new JsonObject
        {
            ["runType"] = type == DockerBuild ? "QuickBuild" : "QuickRun",
            ["platform"] = new JsonObject { ["os"] = "Linux", ["architecture"] = "amd64" },
            ["agentConfiguration"] = new JsonObject { ["cpu"] = 2 },
            ["isArchiveEnabled"] = Flag(request["isArchiveEnabled"]) ?? false,
            ["outputImages"] = new JsonArray(),
        }, null);
    }

    /// <summary>
    /// The run request a task's step makes, with the task's timeout and agent pool, and a TaskRunRequest's
    /// overrides applied.
    /// </summary>
    public static JsonObject FromTask(JsonObject task, JsonObject? overrides)
    {
        var step = (JsonObject)task["step"]!.DeepClone();
        string type = Text(step["type"]) switch
        {
            "Docker" => DockerBuild,
            "FileTask" => FileTask,
            _ => EncodedTask,
        };
        var request = new JsonObject { ["type"] = type, ["platform"] = task["platform"]?.DeepClone() };
        foreach (string key in new[] { "timeout", "agentPoolName" }.Where(k => task[k] is not null))
        {
            request[key] = task[key]!.DeepClone();
        }

        foreach (var (key, value) in step.Where(p => p.Key is not ("type" or "contextPath" or "contextAccessToken")))
        {
            request[key] = value?.DeepClone();
        }

        string? context = Text(overrides?["contextPath"]) ?? Text(step["contextPath"]);
        if (context is not null && !context.Equals("/dev/null", StringComparison.Ordinal))
        {
            request["sourceLocation"] = context;
        }

        foreach (var (key, value) in overrides ?? [])
        {
            bool given = value is JsonArray array ? array.Count > 0 : Text(value) is { Length: > 0 };
            if (given && key is "arguments" or "values" or "target" or "file")
            {
                request[key == "file" ? (type == DockerBuild ? "dockerFilePath" : "taskFilePath") : key] =
                    value?.DeepClone();
            }
        }

        return request;
    }

    private static string? CheckDockerBuild(JsonObject request)
    {
        if (Text(request["dockerFilePath"]) is not { Length: > 0 })
        {
            return "A DockerBuildRequest needs a 'dockerFilePath'.";
        }

        foreach (string image in Images(request, "ca1", "registry.example"))
        {
            if (!ImagePattern().IsMatch(image))
            {
                return $"The image name '{image}' is not a valid repository and tag.";
            }
        }

        return CheckSource(request, required: true);
    }

    private static string? CheckSource(JsonObject request, bool required)
    {
        string? source = Text(request["sourceLocation"]);
        if (source is null && !required)
        {
            return null;
        }

        return source is not null && (IsUploadedSource(source) || ArtifactPattern().IsMatch(source))
            ? null
            : "The 'sourceLocation' must be a relativePath from listBuildSourceUploadUrl or an artifact of the " +
                "registry (oci://REGISTRY/REPOSITORY:TAG); Acre does not fetch sources from Git or other URLs.";
    }

    private static string? CheckPlatform(JsonObject request)
    {
        var platform = request["platform"] as JsonObject ?? new JsonObject { ["os"] = "linux" };
        string os = Text(platform["os"])?.ToLowerInvariant() ?? "";
        string architecture = Text(platform["architecture"])?.ToLowerInvariant() ?? "amd64";
        return os == "linux" && architecture is "amd64" or "x86_64"
            ? null
            : $"Acre runs linux/amd64 only, not {os}/{architecture}.";
    }

    /// <summary>Why a timeout is refused: it is not a whole number within the spec's bounds; null when it is.</summary>
    private static string? CheckTimeout(JsonNode? timeout) =>
        timeout is null || (timeout is JsonValue value && value.TryGetValue<int>(out int seconds) &&
            seconds is >= MinTimeout and <= MaxTimeout)
            ? null
            : $"'timeout' must be a whole number of seconds between {MinTimeout} and {MaxTimeout}.";

    private static string? CheckArchive(JsonObject request) =>
        request["isArchiveEnabled"] is null || Flag(request["isArchiveEnabled"]) is not null
            ? null
            : "'isArchiveEnabled' must be true or false.";

    /// <summary>The timeout a stored run request gives its run, in seconds.</summary>
    public static int Timeout(JsonObject request) =>
        request["timeout"] is JsonValue value && value.TryGetValue<int>(out int seconds) && seconds > 0
            ? seconds
            : DefaultTimeout;

    /// <summary>The values of a task run, <c>--set</c> and <c>--set-secret</c> alike.</summary>
    public static Dictionary<string, string> Values(JsonObject request) =>
        (request["values"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(a => Text(a["name"]) is not null)
            .GroupBy(a => Text(a["name"])!)
            .ToDictionary(g => g.Key, g => Text(g.Last()["value"]) ?? "", StringComparer.Ordinal);

    private static bool IsBase64(string? text) =>
        !string.IsNullOrEmpty(text) && Convert.TryFromBase64String(text, new byte[text.Length], out _);

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

    private static bool? Flag(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<bool>(out bool flag) ? flag : null;

    private const string ArtifactReference = @"^oci://[a-zA-Z0-9.-]+(:[0-9]+)?/[a-z0-9]+([._/-][a-z0-9]+)*" +
        @"(:[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}|@sha256:[0-9a-f]{64})$";

    [GeneratedRegex(ArtifactReference)]
    private static partial Regex ArtifactPattern();

    [GeneratedRegex(@"^source/[a-z0-9]{5,50}/[0-9a-f]{32}\.tar\.gz$")]
    private static partial Regex SourcePattern();

    [GeneratedRegex(@"^([a-zA-Z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+([._/-][a-z0-9]+)*(:[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127})?$")]
    private static partial Regex ImagePattern();
}
