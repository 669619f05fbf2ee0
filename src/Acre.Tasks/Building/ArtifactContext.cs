using System.Text.Json.Nodes;
using Acre.Content;
using Acre.Storage;
using Acre.Tasks.Dockerfiles;

namespace Acre.Tasks.Building;

/// <summary>
/// A build context kept as an OCI artifact of the run's registry (<c>oci://REGISTRY/REPOSITORY:TAG</c>), the way
/// ORAS pushes files: each layer titled <c>org.opencontainers.image.title</c> becomes the file of that name, and a
/// layer ORAS marks for unpacking (a folder it packed) is unpacked in place.
/// </summary>
public sealed class ArtifactContext(IMetadataStore metadata, IBlobStore blobs)
{
    public const string Scheme = "oci://";

    public const long MaxBytes = 1024L * 1024 * 1024;

    private const string TitleAnnotation = "org.opencontainers.image.title";
    private const string UnpackAnnotation = "io.deis.oras.content.unpack";

    public static bool IsArtifact(string location) => location.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    public async Task ExtractAsync(string registry, IReadOnlyList<string> ownHosts, string location, string directory,
        CancellationToken ct)
    {
        string reference = location[Scheme.Length..];
        int slash = reference.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !ownHosts.Contains(reference[..slash], StringComparer.OrdinalIgnoreCase))
        {
            throw new DockerfileException($"the context '{location}' is not in registry '{registry}'; Acre reads " +
                "artifact contexts from the run's own registry only");
        }

        var (repository, tagOrDigest) = BaseImages.Split(registry, ownHosts, reference);
        var manifest = await metadata.GetManifestAsync(registry, repository, tagOrDigest, ct);
        if (manifest is null || MediaTypes.IsIndex(manifest.MediaType))
        {
            throw new DockerfileException($"the context '{location}' is not an artifact manifest of '{registry}'");
        }

        var document = JsonNode.Parse(manifest.Content.Span)!.AsObject();
        var files = (document["layers"] ?? document["blobs"]) as JsonArray ?? [];
        long total = 0;
        int written = 0;
        Directory.CreateDirectory(directory);
        foreach (var file in files.OfType<JsonObject>())
        {
            string? title = file["annotations"]?[TitleAnnotation]?.GetValue<string>();
            if (title is null || !Digest.TryParse(file["digest"]?.GetValue<string>(), out var digest, out _))
            {
                continue;
            }

            // The store is shared by every repository: read only what this repository holds.
            var blob = await metadata.GetLinkedBlobSizeAsync(registry, repository, digest.Value, ct) is not null
                ? blobs.Open(digest.Value)
                : null;
            if (blob is null)
            {
                throw new DockerfileException($"the blob {digest} of '{location}' is not in repository '{repository}'");
            }

            if ((total += blob.Length) > MaxBytes)
            {
                throw new DockerfileException($"the context '{location}' is larger than {MaxBytes} bytes");
            }

            await using var stream = blob.OpenStream();
            if (file["annotations"]?[UnpackAnnotation]?.GetValue<string>() == "true")
            {
                await ArchiveExtractor.ExtractAsync(stream, directory, whiteouts: false, ct);
            }
            else
            {
                string path = SafePath.Under(directory, title);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                if (new FileInfo(path).LinkTarget is not null)
                {
                    File.Delete(path);
                }

                await using var target = new FileStream(path, FileMode.Create, FileAccess.Write);
                await stream.CopyToAsync(target, ct);
            }

            written++;
        }

        if (written == 0)
        {
            throw new DockerfileException($"the context '{location}' has no files: push them as titled layers " +
                "(oras push REGISTRY/REPOSITORY:TAG Dockerfile app/)");
        }
    }
}
