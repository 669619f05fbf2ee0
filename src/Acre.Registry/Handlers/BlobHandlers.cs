using Acre.Content;
using Acre.Registry.Errors;
using Acre.Storage;
using Microsoft.AspNetCore.Http;

namespace Acre.Registry.Handlers;

/// <summary><c>/v2/{name}/blobs/{digest}</c>: read (with ranges) and unlink blobs the repository holds, as its
/// locks allow.</summary>
public sealed class BlobHandlers(IMetadataStore metadata, IBlobStore blobs)
{
    public const string DigestHeader = "Docker-Content-Digest";

    public async Task<IResult> GetAsync(DataPlaneRequest request)
    {
        if (ParseDigest(request.Route.Reference) is not { } digest)
        {
            return DigestError(request.Route.Reference);
        }

        long? size = await metadata.GetLinkedBlobSizeAsync(request.RegistryName, request.Repository, digest,
            request.Aborted);
        if (size is not null && (await metadata.GetLockStateAsync(
            request.RegistryName, request.Repository, null, null, request.Aborted)).Repository?.ReadEnabled == false)
        {
            return ErrorResult.Of(ErrorCode.Disallowed);
        }

        var content = size is null ? null : blobs.Open(digest);
        if (content is null)
        {
            return ErrorResult.Of(ErrorCode.BlobUnknown, detail: new { digest = digest.ToString() });
        }

        var headers = request.Http.Response.Headers;
        headers[DigestHeader] = digest.ToString();
        headers.ETag = $"\"{digest}\"";
        headers.CacheControl = "max-age=31536000";
        return new BlobResult(content);
    }

    public async Task<IResult> DeleteAsync(DataPlaneRequest request)
    {
        if (ParseDigest(request.Route.Reference) is not { } digest)
        {
            return DigestError(request.Route.Reference);
        }

        if (await metadata.GetLinkedBlobSizeAsync(request.RegistryName, request.Repository, digest,
            request.Aborted) is null)
        {
            return ErrorResult.Of(ErrorCode.BlobUnknown, detail: new { digest = digest.ToString() });
        }

        var locks = await metadata.GetLockStateAsync(request.RegistryName, request.Repository, null, null,
            request.Aborted);
        var holders = await metadata.ListBlobHolderLocksAsync(request.RegistryName, request.Repository, digest,
            request.Aborted);
        if (!Locks.MayDeleteBlob(locks.Repository, holders))
        {
            return ErrorResult.Of(ErrorCode.Disallowed);
        }

        if (!await metadata.UnlinkBlobAsync(request.RegistryName, request.Repository, digest, request.Aborted))
        {
            return ErrorResult.Of(ErrorCode.BlobUnknown, detail: new { digest = digest.ToString() });
        }

        request.Http.Response.Headers[DigestHeader] = digest.ToString();
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    internal static Digest? ParseDigest(string text) =>
        Digest.TryParse(text, out var digest, out _) ? digest : null;

    internal static ErrorResult DigestError(string text)
    {
        string message = !Digest.TryParse(text, out _, out var error)
            && error == Content.DigestError.UnsupportedAlgorithm
            ? "unsupported digest algorithm; this registry stores sha256"
            : "invalid digest";
        return ErrorResult.Of(ErrorCode.DigestInvalid, message, new { digest = text });
    }
}
