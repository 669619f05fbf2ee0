using System.Text;
using System.Text.Json.Nodes;
using Acre.Content;
using Acre.Storage;
using Acre.Tasks.Dockerfiles;

namespace Acre.Tasks.Building;

/// <summary>
/// Stores a built image the way a push through the data plane stores it: each blob committed under its digest
/// lock and linked to the repository, then the OCI config and manifest, the tags, and a push event per tag.
/// </summary>
public sealed class ImagePublisher(
    IMetadataStore metadata, IBlobStore blobs, DigestLocks locks, IRegistryEventSink events, TimeProvider time)
{
    public const string ConfigMediaType = "application/vnd.oci.image.config.v1+json";

    /// <summary>The image's config and manifest as bytes: both are content-addressed, so built once.</summary>
    public static (byte[] Config, byte[] Manifest) Serialize(ImageState image, DateTimeOffset created)
    {
        var config = new JsonObject
        {
            ["created"] = created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ"),
            ["architecture"] = image.Architecture,
            ["os"] = image.Os,
            ["config"] = image.Config.DeepClone(),
            ["rootfs"] = new JsonObject
            {
                ["type"] = "layers",
                ["diff_ids"] = new JsonArray([.. image.Layers.Select(l => (JsonNode?)l.DiffId.ToString())]),
            },
            ["history"] = image.History.DeepClone(),
        };
        byte[] configBytes = Encoding.UTF8.GetBytes(config.ToJsonString());
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["config"] = Descriptor(ConfigMediaType, Digest.Compute(configBytes), configBytes.Length),
            ["layers"] = new JsonArray(
                [.. image.Layers.Select(l => (JsonNode?)Descriptor(l.MediaType, l.Digest, l.Size))]),
        };
        return (configBytes, Encoding.UTF8.GetBytes(manifest.ToJsonString()));
    }

    public async Task<Digest> PublishAsync(string registry, string repository, IReadOnlyList<string> tags,
        ImageState image, byte[] config, byte[] manifest, string actor, CancellationToken ct)
    {
        foreach (string? tag in tags.Count == 0 ? [null] : tags.Select(t => (string?)t))
        {
            if (!Locks.MayPush(await metadata.GetLockStateAsync(registry, repository, tag, null, ct)))
            {
                throw new DockerfileException($"'{repository}{(tag is null ? "" : ":" + tag)}' is locked " +
                    "(writeEnabled: false) and cannot be pushed");
            }
        }

        foreach (var layer in image.Layers)
        {
            await StoreBlobAsync(registry, repository, layer.Digest, layer.Size,
                () => layer.FilePath is { } path ? File.OpenRead(path) : null, ct);
        }

        var configDigest = Digest.Compute(config);
        await StoreBlobAsync(registry, repository, configDigest, config.Length, () => new MemoryStream(config), ct);

        var digest = Digest.Compute(manifest);
        var parsed = ManifestParser.Parse(manifest, MediaTypes.OciManifest).Manifest
            ?? throw new InvalidOperationException("the builder made a manifest the parser refuses");
        foreach (string? tag in tags.Count == 0 ? [null] : tags.Select(t => (string?)t))
        {
            await metadata.PutManifestAsync(new ManifestWrite(registry, repository, digest, manifest, parsed, tag)
            {
                Architecture = image.Architecture,
                Os = image.Os,
            }, ct);
            events.Publish(new RegistryEvent(RegistryEvent.Push, registry, repository, tag, digest.ToString(),
                MediaTypes.OciManifest, manifest.Length, actor, time.GetUtcNow()));
        }

        return digest;
    }

    /// <summary>Links a blob the store holds; otherwise writes it from <paramref name="open"/> first.</summary>
    private async Task StoreBlobAsync(string registry, string repository, Digest digest, long size,
        Func<Stream?> open, CancellationToken ct)
    {
        using var held = await locks.AcquireAsync(digest, ct);
        if (await metadata.GetBlobSizeAsync(digest, ct) is not null && blobs.Open(digest) is not null)
        {
            await metadata.LinkBlobAsync(registry, repository, digest, size, ct);
            return;
        }

        string upload = "build-" + Guid.NewGuid().ToString("N");
        try
        {
            await using var source = open() ?? throw new InvalidOperationException($"the blob {digest} is missing");
            long length = await blobs.AppendAsync(upload, 0, source, null, ct);
            var committed = await blobs.CommitAsync(upload, length, digest, ct);
            if (committed.Status != BlobCommitStatus.Committed)
            {
                throw new InvalidOperationException($"the blob written as {digest} hashed to {committed.Actual}");
            }

            await metadata.LinkBlobAsync(registry, repository, digest, length, ct);
        }
        finally
        {
            blobs.DeleteUpload(upload);
        }
    }

    private static JsonObject Descriptor(string mediaType, Digest digest, long size) => new()
    {
        ["mediaType"] = mediaType,
        ["digest"] = digest.ToString(),
        ["size"] = size,
    };
}
