using Acre.Content;
using Acre.Storage;

namespace Acre.Transfer;

/// <summary>
/// Copies an image, or an index with every platform, into a repository: manifests byte for byte, blobs streamed
/// and verified (or only linked when the store has them), then the target tags, with a push event for each.
/// </summary>
public sealed class ContentImporter(
    IMetadataStore metadata, IBlobStore blobs, DigestLocks locks, IRegistryEventSink events, TimeProvider time)
{
    /// <summary>Imports <paramref name="reference"/> from <paramref name="source"/>; returns the manifest's
    /// digest.</summary>
    public async Task<Digest> ImportAsync(IContentSource source, string reference, ImportTarget target,
        CancellationToken ct)
    {
        var (content, mediaType) = await source.GetManifestAsync(reference, ct);
        var digest = Digest.Compute(content);
        if (Digest.IsDigestShaped(reference) && reference != digest.ToString())
        {
            throw new UpstreamException(502, $"{source.Name} answered a manifest whose digest is not {reference}");
        }

        // Callers check locks: import before it copies anything; a cache-rule fill writes only a tag missing here.
        var parsed = await CopyTreeAsync(source, content, mediaType, target, ct);
        var tags = target.Tags.Count == 0 ? [null] : target.Tags.Select(t => (string?)t).ToList();
        foreach (string? tag in tags)
        {
            await metadata.PutManifestAsync(
                new ManifestWrite(target.Registry, target.Repository, digest, content, parsed, tag), ct);
            events.Publish(new RegistryEvent(RegistryEvent.Push, target.Registry, target.Repository, tag,
                digest.ToString(), parsed.MediaType, content.Length, target.Actor, time.GetUtcNow()));
        }

        return digest;
    }

    /// <summary>Stores what a manifest references (children of an index first), then returns its parse.</summary>
    private async Task<ParsedManifest> CopyTreeAsync(
        IContentSource source, byte[] content, string mediaType, ImportTarget target, CancellationToken ct)
    {
        var result = ManifestParser.Parse(content, mediaType);
        var parsed = result.Manifest ?? throw new UpstreamException(502,
            $"{source.Name} answered a manifest Acre cannot store: {result.Error}");
        foreach (var reference in parsed.References.Where(r => !r.IsForeign))
        {
            if (reference.IsManifest)
            {
                var (child, childType) = await source.GetManifestAsync(reference.Digest.ToString(), ct);
                var childParsed = await CopyTreeAsync(source, child, childType, target, ct);
                await metadata.PutManifestAsync(new ManifestWrite(
                    target.Registry, target.Repository, reference.Digest, child, childParsed, null), ct);
            }
            else
            {
                await CopyBlobAsync(source, reference, target, ct);
            }
        }

        return parsed;
    }

    private async Task CopyBlobAsync(IContentSource source, ManifestReference reference, ImportTarget target,
        CancellationToken ct)
    {
        using var held = await locks.AcquireAsync(reference.Digest, ct);
        long? size = await metadata.GetBlobSizeAsync(reference.Digest, ct);
        if (size is not null && blobs.Open(reference.Digest) is not null)
        {
            await metadata.LinkBlobAsync(target.Registry, target.Repository, reference.Digest, size.Value, ct);
            return;
        }

        if (source.IsLocal)
        {
            throw new UpstreamException(404, $"blob {reference.Digest} of {source.Name} is missing from the store");
        }

        string upload = "import-" + Guid.NewGuid().ToString("N");
        try
        {
            await using (var body = await source.OpenBlobAsync(reference.Digest, ct))
            {
                long length = await blobs.AppendAsync(upload, 0, body, null, ct);
                var committed = await blobs.CommitAsync(upload, length, reference.Digest, ct);
                if (committed.Status != BlobCommitStatus.Committed)
                {
                    throw new UpstreamException(502,
                        $"{source.Name} sent blob bytes that do not hash to {reference.Digest}");
                }

                await metadata.LinkBlobAsync(target.Registry, target.Repository, reference.Digest, length, ct);
            }
        }
        catch (HttpIOException e)
        {
            throw new UpstreamException(0, $"{UpstreamFailure.Describe(e, source.Name)} (blob {reference.Digest})");
        }
        finally
        {
            blobs.DeleteUpload(upload);
        }
    }
}

/// <summary>Where an import lands: a repository of a registry, under some tags (none: untagged).</summary>
public sealed record ImportTarget(string Registry, string Repository, IReadOnlyList<string> Tags, string Actor);
