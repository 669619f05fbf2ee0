using System.Buffers;
using Acre.Content;
using Acre.Registry.Errors;
using Acre.Storage;
using Acre.Transfer;
using Microsoft.AspNetCore.Http;

namespace Acre.Registry.Handlers;

/// <summary><c>/v2/{name}/manifests/{reference}</c>: manifests stored and served byte for byte.</summary>
public sealed class ManifestHandlers(
    IMetadataStore metadata, IBlobStore blobs, IRegistryEventSink events, PullThrough pullThrough, TimeProvider time)
{
    private const string SubjectHeader = "OCI-Subject";

    public async Task<IResult> GetAsync(DataPlaneRequest request)
    {
        string reference = request.Route.Reference;
        if (!IsValidReference(reference))
        {
            return ErrorResult.Of(ErrorCode.ManifestUnknown, detail: new { reference });
        }

        var manifest = await metadata.GetManifestAsync(request.RegistryName, request.Repository, reference,
            request.Aborted);
        if (manifest is null)
        {
            if (await FetchThroughCacheAsync(request, reference) is { } failed)
            {
                return failed;
            }

            manifest = await metadata.GetManifestAsync(request.RegistryName, request.Repository, reference,
                request.Aborted);
        }

        if (manifest is null)
        {
            return await UnknownAsync(request, reference);
        }

        bool byDigest = Digest.IsDigestShaped(reference);
        var locks = await metadata.GetLockStateAsync(request.RegistryName, request.Repository,
            byDigest ? null : reference, manifest.Digest, request.Aborted);
        if (!Locks.MayRead(locks))
        {
            return ErrorResult.Of(ErrorCode.Disallowed);
        }

        var response = request.Http.Response;
        response.Headers[BlobHandlers.DigestHeader] = manifest.Digest.ToString();
        response.Headers.ETag = $"\"{manifest.Digest}\"";
        return Results.Bytes(manifest.Content, manifest.MediaType);
    }

    public async Task<IResult> PutAsync(DataPlaneRequest request)
    {
        string reference = request.Route.Reference;
        bool byDigest = Digest.IsDigestShaped(reference);
        if (byDigest && BlobHandlers.ParseDigest(reference) is null)
        {
            return BlobHandlers.DigestError(reference);
        }

        if (!byDigest && !Names.IsValidTag(reference))
        {
            return ErrorResult.Of(ErrorCode.TagInvalid, "invalid tag", new { tag = reference });
        }

        byte[]? content = await ReadLimitedAsync(request.Http.Request, request.Aborted);
        if (content is null)
        {
            return ErrorResult.Of(ErrorCode.ManifestInvalid,
                $"manifest exceeds the limit of {ManifestParser.MaxManifestBytes} bytes", null, 413);
        }

        var digest = Digest.Compute(content);
        if (byDigest && reference != digest.ToString())
        {
            return ErrorResult.Of(ErrorCode.DigestInvalid,
                $"manifest digest {digest} does not match the reference", new { digest = reference });
        }

        var parse = ManifestParser.Parse(content, request.Http.Request.ContentType);
        if (parse.Manifest is not { } parsed)
        {
            var code = parse.Status == ManifestParseStatus.Unsupported
                ? ErrorCode.Unsupported
                : ErrorCode.ManifestInvalid;
            return ErrorResult.Of(code, parse.Error, null, 400);
        }

        var missing = await metadata.FindMissingAsync(request.RegistryName, request.Repository, parsed.References,
            request.Aborted);
        if (missing.Count > 0)
        {
            return ErrorResult.Of(ErrorCode.ManifestBlobUnknown,
                missing.Select(m => (m.IsManifest ? "manifest unknown to registry" : "blob unknown to registry",
                    (object?)new { digest = m.Digest.ToString() })));
        }

        string? tag = byDigest ? null : reference;
        var locks = await metadata.GetLockStateAsync(request.RegistryName, request.Repository, tag, null,
            request.Aborted);
        if (!Locks.MayPush(locks))
        {
            return ErrorResult.Of(ErrorCode.Disallowed);
        }

        var (architecture, os) = ReadPlatform(parsed);
        var write = new ManifestWrite(request.RegistryName, request.Repository, digest, content, parsed, tag)
        {
            Architecture = architecture,
            Os = os,
        };
        await metadata.PutManifestAsync(write, request.Aborted);
        events.Publish(request.Event(RegistryEvent.Push, tag,
            digest.ToString(), parsed.MediaType, content.Length, time.GetUtcNow()));

        var headers = request.Http.Response.Headers;
        headers.Location = $"/v2/{request.Repository}/manifests/{digest}";
        headers[BlobHandlers.DigestHeader] = digest.ToString();
        if (parsed.Subject is { } subject)
        {
            headers[SubjectHeader] = subject.ToString();
        }

        headers.ContentLength = 0;
        return Results.StatusCode(StatusCodes.Status201Created);
    }

    public async Task<IResult> DeleteAsync(DataPlaneRequest request)
    {
        string reference = request.Route.Reference;
        if (!Digest.IsDigestShaped(reference))
        {
            return ErrorResult.Of(ErrorCode.Unsupported,
                "manifests are deleted by digest; a tag is removed through /acr/v1/{name}/_tags/{tag}");
        }

        if (BlobHandlers.ParseDigest(reference) is not { } digest)
        {
            return BlobHandlers.DigestError(reference);
        }

        var manifest = await metadata.GetManifestAsync(request.RegistryName, request.Repository, reference,
            request.Aborted);
        if (manifest is not null && !Locks.MayDeleteManifest(await metadata.GetLockStateAsync(
            request.RegistryName, request.Repository, null, digest, request.Aborted)))
        {
            return ErrorResult.Of(ErrorCode.Disallowed);
        }

        var tags = await metadata.DeleteManifestAsync(request.RegistryName, request.Repository, digest,
            request.Aborted);
        if (tags is null || manifest is null)
        {
            return await UnknownAsync(request, reference);
        }

        var now = time.GetUtcNow();
        events.Publish(request.Event(RegistryEvent.Delete, null,
            digest.ToString(), manifest.MediaType, manifest.Content.Length, now));
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    /// <summary>Fills a miss from the upstream a cache rule maps the repository to; the error when the upstream
    /// fails.</summary>
    private async Task<IResult?> FetchThroughCacheAsync(DataPlaneRequest request, string reference)
    {
        try
        {
            await pullThrough.TryFetchAsync(request.RegistryName, request.Repository, reference, request.Aborted);
            return null;
        }
        catch (UpstreamException e) when (e.IsNotFound)
        {
            return ErrorResult.Of(ErrorCode.ManifestUnknown, $"not found upstream: {e.Message}", new { reference });
        }
        catch (UpstreamException e) when (e.IsUnauthorized)
        {
            return ErrorResult.Of(ErrorCode.Denied,
                $"the upstream registry refused the cache rule's credentials: {e.Message}");
        }
        catch (UpstreamException e)
        {
            return ErrorResult.Of(ErrorCode.UpstreamFailed, e.Message);
        }
    }

    /// <summary>The platform an image's config names; configs are small, but read at most 1 MiB of one.</summary>
    private (string? Architecture, string? Os) ReadPlatform(ParsedManifest parsed)
    {
        if (parsed.IsIndex || parsed.ConfigMediaType is not ("application/vnd.oci.image.config.v1+json" or
            "application/vnd.docker.container.image.v1+json") || parsed.References.Count == 0)
        {
            return (null, null);
        }

        var config = blobs.Open(parsed.References[0].Digest);
        if (config is null || config.Length > 1024 * 1024)
        {
            return (null, null);
        }

        try
        {
            using var stream = config.OpenStream();
            using var document = System.Text.Json.JsonDocument.Parse(stream);
            var root = document.RootElement;
            string? Read(string name) => root.TryGetProperty(name, out var value) &&
                value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : null;
            return (Read("architecture"), Read("os"));
        }
        catch (System.Text.Json.JsonException)
        {
            return (null, null);
        }
    }

    private async Task<IResult> UnknownAsync(DataPlaneRequest request, string reference) =>
        await metadata.RepositoryExistsAsync(request.RegistryName, request.Repository, request.Aborted)
            ? ErrorResult.Of(ErrorCode.ManifestUnknown, detail: new { reference })
            : ErrorResult.Of(ErrorCode.NameUnknown, detail: new { name = request.Repository });

    private static bool IsValidReference(string reference) =>
        Digest.IsDigestShaped(reference)
            ? BlobHandlers.ParseDigest(reference) is not null
            : Names.IsValidTag(reference);

    /// <summary>The body, or null when it is larger than a manifest may be.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(HttpRequest request, CancellationToken ct)
    {
        const int limit = ManifestParser.MaxManifestBytes;
        if (request.ContentLength > limit)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>((int)(request.ContentLength ?? 4096) + 1);
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            int read = await request.Body.ReadAsync(memory, ct);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                return null;
            }
        }
    }
}
