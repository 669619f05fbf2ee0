using Acre.Content;

namespace Acre.Storage;

/// <summary>Content-addressed blob bytes and the bytes of upload sessions. Streams; never holds a blob whole.</summary>
public interface IBlobStore
{
    /// <summary>Opens a blob for reading, or null when its bytes are absent.</summary>
    BlobContent? Open(Digest digest);

    /// <summary>
    /// Writes <paramref name="source"/> into an upload at <paramref name="offset"/> (dropping anything the
    /// session holds past it), hashing as it goes; returns the new length.
    /// </summary>
    Task<long> AppendAsync(string uploadId, long offset, Stream source, long? maxBytes, CancellationToken ct);

    /// <summary>The length of an upload's bytes as they stand, 0 if none were written.</summary>
    long GetUploadLength(string uploadId);

    /// <summary>
    /// Checks an upload's first <paramref name="length"/> bytes against <paramref name="expected"/>
    /// and moves them into the store.
    /// </summary>
    Task<BlobCommitResult> CommitAsync(string uploadId, long length, Digest expected, CancellationToken ct);

    /// <summary>Ends an upload: its bytes are deleted, once an append or commit of it in flight has ended.</summary>
    void DeleteUpload(string uploadId);

    void Delete(Digest digest);
}

/// <summary>A readable blob: a file the server may send directly, or a stream.</summary>
public sealed record BlobContent(long Length, string? PhysicalPath, Func<Stream> OpenStream);

public enum BlobCommitStatus
{
    Committed,
    DigestMismatch,
}

public sealed record BlobCommitResult(BlobCommitStatus Status, Digest Actual, long Size);
