using System.Text.Json.Nodes;
using Acre.Content;

namespace Acre.Tasks.Building;

/// <summary>A layer of an image being built: in the blob store already (a base image's) or in a file.</summary>
public sealed record LayerRef(Digest Digest, long Size, string MediaType, Digest DiffId, string? FilePath);

/// <summary>An image as a stage builds it: its layers, the runtime part of its config, and its history.</summary>
public sealed class ImageState
{
    public List<LayerRef> Layers { get; } = [];

    /// <summary>The config's <c>config</c>: Env, Cmd, Entrypoint, WorkingDir, User, Labels, ExposedPorts.</summary>
    public JsonObject Config { get; init; } = new();

    public JsonArray History { get; init; } = [];

    public string Architecture { get; init; } = "amd64";

    public string Os { get; init; } = "linux";

    /// <summary>The registry image this one starts from; null for <c>scratch</c>.</summary>
    public ImageOrigin? Origin { get; init; }

    /// <summary>The registry images the build of this image read, once the build is done.</summary>
    public IReadOnlyList<BaseImageDependency> Dependencies { get; set; } = [];

    /// <summary>The environment as a dictionary, for variable expansion.</summary>
    public Dictionary<string, string> Environment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string entry in (Config["Env"] as JsonArray ?? []).Select(e => e?.GetValue<string>() ?? ""))
        {
            int equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                environment[entry[..equals]] = entry[(equals + 1)..];
            }
        }

        return environment;
    }

    public void SetEnvironment(string name, string value)
    {
        var environment = Config["Env"] as JsonArray ?? [];
        Config["Env"] = environment;
        string prefix = name + "=";
        var existing = environment.FirstOrDefault(e =>
            e?.GetValue<string>().StartsWith(prefix, StringComparison.Ordinal) == true);
        if (existing is not null)
        {
            environment.Remove(existing);
        }

        environment.Add(prefix + value);
    }

    public void AddHistory(string createdBy, bool emptyLayer, DateTimeOffset created)
    {
        var entry = new JsonObject
        {
            ["created"] = created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ"),
            ["created_by"] = createdBy,
            ["comment"] = "acre.dockerfile.v0",
        };
        if (emptyLayer)
        {
            entry["empty_layer"] = true;
        }

        History.Add(entry);
    }
}
