using System.Text.Json;
using System.Text.Json.Nodes;
using Acre.Content;
using Acre.Storage;
using Acre.Tasks.Dockerfiles;

namespace Acre.Tasks.Building;

/// <summary>
/// Base images of a build: <c>scratch</c>, or an image in the registry the run belongs to, named bare
/// (<c>app:1</c>) or with the registry's own host; for an index, its linux/amd64 image.
/// </summary>
public sealed class BaseImages(IMetadataStore metadata, IBlobStore blobs)
{
    public async Task<ImageState> LoadAsync(string registry, IReadOnlyList<string> ownHosts, string reference,
        CancellationToken ct)
    {
        if (reference == "scratch")
        {
            return new ImageState();
        }

        var (repository, tagOrDigest) = Split(registry, ownHosts, reference);
        var manifest = await metadata.GetManifestAsync(registry, repository, tagOrDigest, ct) ?? throw new
            DockerfileException($"the image '{reference}' is not in registry '{registry}'; import it first " +
                "(az acr import) or push it there");
        var origin = new ImageOrigin(repository, tagOrDigest.Contains(':', StringComparison.Ordinal)
            ? null : tagOrDigest, manifest.Digest.ToString());
        var document = JsonNode.Parse(manifest.Content.Span)!.AsObject();
        if (MediaTypes.IsIndex(manifest.MediaType))
        {
            string digest = (document["manifests"] as JsonArray ?? []).FirstOrDefault(m =>
                    m?["platform"]?["os"]?.GetValue<string>() == "linux" &&
                    m["platform"]?["architecture"]?.GetValue<string>() == "amd64")?["digest"]?.GetValue<string>()
                ?? throw new DockerfileException($"the image '{reference}' has no linux/amd64 variant");
            manifest = await metadata.GetManifestAsync(registry, repository, digest, ct)
                ?? throw new DockerfileException($"the linux/amd64 image of '{reference}' is missing");
            document = JsonNode.Parse(manifest.Content.Span)!.AsObject();
        }

        var configDigest = ParseDigest(document["config"]?["digest"]);
        if (await metadata.GetLinkedBlobSizeAsync(registry, repository, configDigest, ct) is null)
        {
            throw new DockerfileException($"the config of '{reference}' is not in repository '{repository}'");
        }

        var config = ReadConfig(configDigest);
        var diffIds = (config["rootfs"]?["diff_ids"] as JsonArray ?? []).Select(d => d!.GetValue<string>()).ToList();
        var layers = document["layers"] as JsonArray ?? [];
        if (diffIds.Count != layers.Count)
        {
            throw new DockerfileException($"the config of '{reference}' does not list a diff id for each layer");
        }

        var state = new ImageState
        {
            Config = config["config"] as JsonObject ?? new JsonObject(),
            History = config["history"] as JsonArray ?? [],
            Architecture = config["architecture"]?.GetValue<string>() ?? "amd64",
            Os = config["os"]?.GetValue<string>() ?? "linux",
            Origin = origin,
        };
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i]!;
            var digest = ParseDigest(layer["digest"]);

            // The store is shared by every repository: a manifest naming a foreign layer must not reach another's.
            if (await metadata.GetLinkedBlobSizeAsync(registry, repository, digest, ct) is null)
            {
                throw new DockerfileException($"the layer {digest} of '{reference}' is not in repository " +
                    $"'{repository}'");
            }

            state.Layers.Add(new LayerRef(digest, layer["size"]!.GetValue<long>(),
                layer["mediaType"]!.GetValue<string>(), ParseDigest(diffIds[i]), null));
        }

        return state;
    }

    /// <summary>Unpacks every layer of an image, in order, into <paramref name="directory"/>.</summary>
    public async Task ExtractAsync(ImageState image, string directory, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        foreach (var layer in image.Layers)
        {
            await using var stream = layer.FilePath is { } path
                ? File.OpenRead(path)
                : blobs.Open(layer.Digest)?.OpenStream() ?? throw new DockerfileException(
                    $"the layer {layer.Digest} is missing from the store");
            await ArchiveExtractor.ExtractAsync(stream, directory, whiteouts: true, ct);
        }
    }

    private JsonObject ReadConfig(Digest digest)
    {
        var blob = blobs.Open(digest) ?? throw new DockerfileException($"the image config {digest} is missing");
        if (blob.Length > 4 * 1024 * 1024)
        {
            throw new DockerfileException($"the image config {digest} is larger than 4 MiB");
        }

        using var stream = blob.OpenStream();
        try
        {
            return JsonNode.Parse(stream)?.AsObject() ?? throw new DockerfileException("the image config is empty");
        }
        catch (JsonException e)
        {
            throw new DockerfileException($"the image config {digest} is not JSON: {e.Message}");
        }
    }

    private static Digest ParseDigest(JsonNode? node) => ParseDigest(node?.GetValue<string>());

    private static Digest ParseDigest(string? text) => Digest.TryParse(text, out var digest, out _)
        ? digest.Value
        : throw new DockerfileException($"'{text}' is not a sha256 digest");

    /// <summary>The repository and tag or digest, with this registry's own host (if any) taken off.</summary>
    public static (string Repository, string Reference) Split(
        string registry, IReadOnlyList<string> ownHosts, string reference)
    {
        string name = reference;
        int slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && name[..slash] is var host && (host.Contains('.', StringComparison.Ordinal) ||
            host.Contains(':', StringComparison.Ordinal) || host == "localhost"))
        {
            if (!ownHosts.Contains(host, StringComparer.OrdinalIgnoreCase))
            {
                throw new DockerfileException($"the base image '{reference}' is on another registry; Acre builds " +
                    $"from images in '{registry}' only: import it first (az acr import)");
            }

            name = name[(slash + 1)..];
        }

        int at = name.IndexOf('@', StringComparison.Ordinal);
        if (at > 0)
        {
            return (name[..at], name[(at + 1)..]);
        }

        int colon = name.LastIndexOf(':');
        var (repository, tag) = colon > 0 ? (name[..colon], name[(colon + 1)..]) : (name, "latest");
        return Names.IsValidRepository(repository) && Names.IsValidTag(tag)
            ? (repository, tag)
            : throw new DockerfileException($"'{reference}' is not a valid image reference");
    }
}
