using System.Text.Json;
using System.Text.Json.Nodes;
using Acre.Content;
using Acre.Storage;

namespace Acre.Registry.Handlers;

/// <summary>The bodies of ACR's <c>/acr/v1/</c> answers, in the shapes of the data-plane spec.</summary>
internal static class AcrJson
{
    public static string Registry(DataPlaneRequest request) =>
        RegistryFeature.Get(request.Http)?.Audience ?? request.RegistryName;

    public static JsonObject RepositoryJson(DataPlaneRequest request, RepositoryInfo repository) => new()
    {
        ["registry"] = Registry(request),
        ["imageName"] = repository.Name,
        ["createdTime"] = Time(repository.Created),
        ["lastUpdateTime"] = Time(repository.Updated),
        ["manifestCount"] = repository.ManifestCount,
        ["tagCount"] = repository.TagCount,
        ["changeableAttributes"] = Attributes(repository.Attributes, teleport: true),
    };

    public static JsonObject TagEnvelope(DataPlaneRequest request, TagInfo tag) => new()
    {
        ["registry"] = Registry(request),
        ["imageName"] = request.Repository,
        ["tag"] = TagJson(tag),
    };

    public static JsonObject TagJson(TagInfo tag) => new()
    {
        ["name"] = tag.Name,
        ["digest"] = tag.Digest.ToString(),
        ["createdTime"] = Time(tag.Created),
        ["lastUpdateTime"] = Time(tag.Updated),
        ["signed"] = false,
        ["changeableAttributes"] = Attributes(tag.Attributes, teleport: false),
    };

    public static JsonObject ManifestEnvelope(DataPlaneRequest request, ManifestInfo manifest) => new()
    {
        ["registry"] = Registry(request),
        ["imageName"] = request.Repository,
        ["manifest"] = ManifestJson(manifest),
    };

    public static JsonObject ManifestJson(ManifestInfo manifest)
    {
        var json = new JsonObject
        {
            ["digest"] = manifest.Digest.ToString(),
            ["imageSize"] = manifest.ImageSize,
            ["createdTime"] = Time(manifest.Created),
            ["lastUpdateTime"] = Time(manifest.Updated),
            ["mediaType"] = manifest.MediaType,
            ["tags"] = new JsonArray([.. manifest.Tags.Select(t => (JsonNode?)t)]),
            ["changeableAttributes"] = Attributes(manifest.Attributes, teleport: false),
        };
        if (manifest.Architecture is not null)
        {
            json["architecture"] = manifest.Architecture;
            json["os"] = manifest.Os;
        }

        if (manifest.ConfigMediaType is not null)
        {
            json["configMediaType"] = manifest.ConfigMediaType;
        }

        if (MediaTypes.IsIndex(manifest.MediaType))
        {
            json["references"] = References(manifest.Content);
        }

        return json;
    }

    /// <summary>
    /// An index's children with their platforms, read from the stored bytes. Pushes are checked, but content stored
    /// before they were may hold odd shapes: what is not as expected is left out rather than failing the answer.
    /// </summary>
    private static JsonArray References(ReadOnlyMemory<byte> content)
    {
        var references = new JsonArray();
        using var document = JsonDocument.Parse(content);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("manifests", out var children) ||
            children.ValueKind != JsonValueKind.Array)
        {
            return references;
        }

        foreach (var child in children.EnumerateArray())
        {
            if (StringOf(child, "digest") is not { } digest)
            {
                continue;
            }

            var reference = new JsonObject { ["digest"] = digest };
            if (child.TryGetProperty("platform", out var platform) && platform.ValueKind == JsonValueKind.Object)
            {
                reference["architecture"] = StringOf(platform, "architecture");
                reference["os"] = StringOf(platform, "os");
            }

            references.Add(reference);
        }

        return references;
    }

    private static JsonObject Attributes(ChangeableAttributes attributes, bool teleport)
    {
        var json = new JsonObject
        {
            ["deleteEnabled"] = attributes.DeleteEnabled,
            ["writeEnabled"] = attributes.WriteEnabled,
            ["readEnabled"] = attributes.ReadEnabled,
            ["listEnabled"] = attributes.ListEnabled,
        };
        if (teleport)
        {
            json["teleportEnabled"] = false;
        }

        return json;
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("O");

    private static string? StringOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) &&
        value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
