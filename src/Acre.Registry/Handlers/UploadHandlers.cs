using Acre.Content;
using Acre.Identity;
using Acre.Registry.Errors;
using Acre.Storage;
using Microsoft.AspNetCore.Http;

namespace Acre.Registry.Handlers;

/// <summary>
/// Blob uploads: monolithic POST, POST-PATCH-PUT sessions (chunked or streamed), cross-repository mount,
/// status and cancel. A session's acknowledged offset is kept in the metadata store, so it survives restarts;
/// the requests that write a session take their turn on its lock and check its offset only then.
/// </summary>
public sealed class UploadHandlers(
    IMetadataStore metadata, IBlobStore blobs, DigestLocks locks, UploadLocks sessions, TimeProvider time)
{
    private const string UploadUuidHeader = "Docker-Upload-UUID";

    public async Task<IResult> StartAsync(DataPlaneRequest request)
    {
        string mount = request.Query("mount");
        if (mount.Length > 0 && await TryMountAsync(request, mount) is { } mounted)
        {
            return mounted;
        }

        string digestText = request.Query("digest");
        if (digestText.Length > 0)
        {
            return await MonolithicAsync(request, digestText);
        }

        var now = time.GetUtcNow();
        var upload = new UploadRecord(NewUploadId(), request.RegistryName, request.Repository, 0, now, now);
        await metadata.CreateUploadAsync(upload, request.Aborted);
        return Accepted(request, upload.Id, 0);
    }

    public async Task<IResult> PatchAsync(DataPlaneRequest request)
    {
        if (await FindAsync(request) is not { } seen)
        {
            return UnknownUpload(request);
        }

        if (ChunkRange.Read(request, out long? start) is { } rangeError)
        {
            return rangeError;
        }

        using var held = await sessions.AcquireAsync(seen.Id, request.Aborted);
        if (held is null || await FindAsync(request) is not { } upload)
        {
            return UnknownUpload(request);
        }

        // Without Content-Range a chunk is meant for the end the session had when the request came.
        if (StartMismatch(request, upload, start ?? seen.Offset) is { } outOfOrder)
        {
            return outOfOrder;
        }

        if (await AppendAsync(request, upload, held) is not { } length)
        {
            return UnknownUpload(request);
        }

        return Accepted(request, upload.Id, length);
    }

    public async Task<IResult> PutAsync(DataPlaneRequest request)
    {
        if (await FindAsync(request) is not { } seen)
        {
            return UnknownUpload(request);
        }

        if (BlobHandlers.ParseDigest(request.Query("digest")) is not { } digest)
        {
            return BlobHandlers.DigestError(request.Query("digest"));
        }

        if (ChunkRange.Read(request, out long? start) is { } rangeError)
        {
            return rangeError;
        }

        using var held = await sessions.AcquireAsync(seen.Id, request.Aborted);
        if (held is null || await FindAsync(request) is not { } upload)
        {
            return UnknownUpload(request);
        }

        bool hasBody = HasBody(request.Http.Request);
        if (StartMismatch(request, upload, start ?? (hasBody ? seen.Offset : null)) is { } outOfOrder)
        {
            return outOfOrder;
        }

        long length = upload.Offset;
        if (hasBody)
        {
            if (await AppendAsync(request, upload, held) is not { } appended)
            {
                return UnknownUpload(request);
            }

            length = appended;
        }

        var committed = await CommitAsync(request, upload.Id, length, digest);
        if (committed is null)
        {
            await metadata.DeleteUploadAsync(upload.Id, request.Aborted);
        }

        return committed ?? Created(request, digest);
    }

    public async Task<IResult> StatusAsync(DataPlaneRequest request)
    {
        if (await FindAsync(request) is not { } upload)
        {
            return UnknownUpload(request);
        }

        SetSessionHeaders(request, upload.Id, upload.Offset);
        request.Http.Response.ContentLength = 0;
        return Results.StatusCode(StatusCodes.Status204NoContent);
    }

    public async Task<IResult> CancelAsync(DataPlaneRequest request)
    {
        if (await FindAsync(request) is not { } seen)
        {
            return UnknownUpload(request);
        }

        // A PATCH streaming into the session is interrupted rather than waited for; it answers 404 itself.
        using var held = await sessions.TakeOverAsync(seen.Id, request.Aborted);
        if (await FindAsync(request) is null)
        {
            return UnknownUpload(request);
        }

        await metadata.DeleteUploadAsync(seen.Id, request.Aborted);
        blobs.DeleteUpload(seen.Id);
        return Results.StatusCode(StatusCodes.Status204NoContent);
    }

    /// <summary>
    /// Appends the request's body where the session stands and acknowledges it; null when the session was
    /// cancelled meanwhile, whose bytes the cancel deletes.
    /// </summary>
    private async Task<long?> AppendAsync(DataPlaneRequest request, UploadRecord upload, UploadLocks.Holder held)
    {
        var reader = request.Http.Request.BodyReader;
        var body = new InterruptibleBody(reader);
        long length;
        try
        {
            using var interruption = held.Interruption.Register(reader.CancelPendingRead);
            length = await blobs.AppendAsync(upload.Id, upload.Offset, body, null, request.Aborted);
        }
        catch (OperationCanceledException) when (held.Interrupted && !request.Aborted.IsCancellationRequested)
        {
            // The cancel goes on at once; the rest of the body is read and dropped, so the client gets its answer.
            held.Dispose();
            await body.CopyToAsync(Stream.Null, request.Aborted);
            return null;
        }

        await metadata.SetUploadOffsetAsync(upload.Id, length, request.Aborted);
        return length;
    }

    private async Task<IResult?> TryMountAsync(DataPlaneRequest request, string mountText)
    {
        string from = request.Query("from");
        if (BlobHandlers.ParseDigest(mountText) is not { } digest || !Names.IsValidRepository(from) ||
            !request.Caller.May(AccessScope.ForRepository(from, "pull")))
        {
            return null;
        }

        // A read-locked source is treated as one the caller cannot read: no mount, an upload session instead.
        var sourceLocks = await metadata.GetLockStateAsync(request.RegistryName, from, null, null, request.Aborted);
        if (sourceLocks.Repository?.ReadEnabled == false)
        {
            return null;
        }

        using var held = await locks.AcquireAsync(digest, request.Aborted);
        long? size = await metadata.GetLinkedBlobSizeAsync(request.RegistryName, from, digest, request.Aborted);
        if (size is null || blobs.Open(digest) is null)
        {
            return null;
        }

        await metadata.LinkBlobAsync(request.RegistryName, request.Repository, digest, size.Value, request.Aborted);
        return Created(request, digest);
    }

    private async Task<IResult> MonolithicAsync(DataPlaneRequest request, string digestText)
    {
        if (BlobHandlers.ParseDigest(digestText) is not { } digest)
        {
            return BlobHandlers.DigestError(digestText);
        }

        string id = NewUploadId();
        try
        {
            long length = await blobs.AppendAsync(id, 0, request.Http.Request.Body, null, request.Aborted);
            return await CommitAsync(request, id, length, digest) ?? Created(request, digest);
        }
        finally
        {
            blobs.DeleteUpload(id);
        }
    }

    /// <summary>Verifies and stores the upload's bytes and links them; null on success, else the error.</summary>
    private async Task<IResult?> CommitAsync(DataPlaneRequest request, string id, long length, Digest digest)
    {
        using var held = await locks.AcquireAsync(digest, request.Aborted);
        var result = await blobs.CommitAsync(id, length, digest, request.Aborted);
        if (result.Status == BlobCommitStatus.DigestMismatch)
        {
            return ErrorResult.Of(ErrorCode.DigestInvalid,
                $"provided digest {digest} does not match the uploaded content ({result.Actual})",
                new { digest = digest.ToString() });
        }

        await metadata.LinkBlobAsync(request.RegistryName, request.Repository, digest, result.Size, request.Aborted);
        return null;
    }

    private async Task<UploadRecord?> FindAsync(DataPlaneRequest request)
    {
        string id = request.Route.Reference;
        if (!IsUploadId(id))
        {
            return null;
        }

        var upload = await metadata.GetUploadAsync(id, request.Aborted);
        return upload is not null && upload.Registry == request.RegistryName && upload.Repository == request.Repository
            ? upload
            : null;
    }

    /// <summary>
    /// A chunk must start where the session stands when its turn comes; otherwise 416 with the session's Range,
    /// and the session is left as it was.
    /// </summary>
    private static ErrorResult? StartMismatch(DataPlaneRequest request, UploadRecord upload, long? start)
    {
        if (start is null || start == upload.Offset)
        {
            return null;
        }

        SetSessionHeaders(request, upload.Id, upload.Offset);
        return ErrorResult.Of(ErrorCode.BlobUploadInvalid,
            $"chunk starts at {start}, but the upload is at {upload.Offset}", null, 416);
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    private static IResult Accepted(DataPlaneRequest request, string id, long offset)
    {
        SetSessionHeaders(request, id, offset);
        request.Http.Response.ContentLength = 0;
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    private static void SetSessionHeaders(DataPlaneRequest request, string id, long offset)
    {
        var headers = request.Http.Response.Headers;
        headers.Location = $"/v2/{request.Repository}/blobs/uploads/{id}";
        headers[UploadUuidHeader] = id;
        headers.Range = $"0-{Math.Max(0, offset - 1)}";
    }

    private static IResult Created(DataPlaneRequest request, Digest digest)
    {
        var headers = request.Http.Response.Headers;
        headers.Location = $"/v2/{request.Repository}/blobs/{digest}";
        headers[BlobHandlers.DigestHeader] = digest.ToString();
        headers.ContentLength = 0;
        return Results.StatusCode(StatusCodes.Status201Created);
    }

    private static ErrorResult UnknownUpload(DataPlaneRequest request) =>
        ErrorResult.Of(ErrorCode.BlobUploadUnknown, detail: new { uuid = request.Route.Reference });

    private static string NewUploadId() => Guid.NewGuid().ToString("D");

    private static bool IsUploadId(string id) => Guid.TryParseExact(id, "D", out _);
}
