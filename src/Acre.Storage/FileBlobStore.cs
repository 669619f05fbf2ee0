using System.Security.Cryptography;
using Acre.Content;
using Microsoft.Win32.SafeHandles;

namespace Acre.Storage;

/// <summary>
/// Blobs as files: <c>blobs/sha256/ab/abcd…</c>, uploads as <c>uploads/{id}</c>. Bytes are hashed while written;
/// a commit renames the upload into place, so a blob file is always whole.
/// </summary>
public sealed class FileBlobStore : IBlobStore
{
    private const int BufferSize = TransferBuffers.Size;

    private readonly string _blobRoot;
    private readonly string _uploadRoot;
    private readonly Dictionary<string, UploadHash> _hashes = new(StringComparer.Ordinal);

    public FileBlobStore(string root)
    {
        _blobRoot = Path.Combine(root, "blobs");
        _uploadRoot = Path.Combine(root, "uploads");
        Directory.CreateDirectory(_blobRoot);
        Directory.CreateDirectory(_uploadRoot);
    }

    public BlobContent? Open(Digest digest)
    {
        string path = BlobPath(digest);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return null;
        }

        return new BlobContent(info.Length, path, () => OpenForRead(path));
    }

    public async Task<long> AppendAsync(
        string uploadId, long offset, Stream source, long? maxBytes, CancellationToken ct)
    {
        var hash = await EnterAsync(uploadId, ct);
        try
        {
            return await AppendLockedAsync(uploadId, offset, source, maxBytes, hash, ct);
        }
        finally
        {
            Leave(uploadId, hash);
        }
    }

    public long GetUploadLength(string uploadId)
    {
        var info = new FileInfo(UploadPath(uploadId));
        return info.Exists ? info.Length : 0;
    }

    public async Task<BlobCommitResult> CommitAsync(string uploadId, long length, Digest expected, CancellationToken ct)
    {
        var hash = await EnterAsync(uploadId, ct);
        try
        {
            var result = await CommitLockedAsync(uploadId, length, expected, hash, ct);
            if (result.Status == BlobCommitStatus.Committed)
            {
                Forget(uploadId, hash, discard: false);
            }

            return result;
        }
        finally
        {
            Leave(uploadId, hash);
        }
    }

    private async Task<BlobCommitResult> CommitLockedAsync(string uploadId, long length, Digest expected,
        UploadHash hash, CancellationToken ct)
    {
        string uploadPath = UploadPath(uploadId);
        if (!File.Exists(uploadPath))
        {
            await File.WriteAllBytesAsync(uploadPath, [], ct);
        }

        Digest actual = await HashUploadAsync(uploadPath, length, hash, ct);
        if (actual != expected)
        {
            return new BlobCommitResult(BlobCommitStatus.DigestMismatch, actual, length);
        }

        string target = BlobPath(actual);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target))
        {
            File.Delete(uploadPath);
        }
        else
        {
            File.Move(uploadPath, target, overwrite: true);
        }

        return new BlobCommitResult(BlobCommitStatus.Committed, actual, length);
    }

    /// <summary>
    /// Ends an upload. When an append or commit of it is in flight, its last user deletes the file once done, so the
    /// operation neither fails on a disposed hash nor leaves a file it created after the delete.
    /// </summary>
    public void DeleteUpload(string uploadId)
    {
        if (!Forget(uploadId, null, discard: true))
        {
            File.Delete(UploadPath(uploadId));
        }
    }

    public void Delete(Digest digest) => File.Delete(BlobPath(digest));

    private async Task<long> AppendLockedAsync(
        string uploadId, long offset, Stream source, long? maxBytes, UploadHash hash, CancellationToken ct)
    {
        using SafeFileHandle handle = File.OpenHandle(
            UploadPath(uploadId), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        if (RandomAccess.GetLength(handle) != offset)
        {
            RandomAccess.SetLength(handle, offset);
        }

        if (hash.Offset != offset)
        {
            hash.Reset(valid: offset == 0);
        }

        // Two buffers: the disk write of one chunk runs while the next is received and hashed.
        byte[] current = TransferBuffers.Rent();
        byte[] other = TransferBuffers.Rent();
        Task pendingWrite = Task.CompletedTask;
        try
        {
            long position = offset;
            while (true)
            {
                int filled = await FillAsync(source, current, ct);
                if (filled == 0)
                {
                    break;
                }

                if (maxBytes is { } max && position - offset + filled > max)
                {
                    throw new BlobTooLargeException(max);
                }

                hash.Append(current.AsSpan(0, filled));
                await pendingWrite;
                pendingWrite = RandomAccess.WriteAsync(handle, current.AsMemory(0, filled), position, ct).AsTask();
                position += filled;
                (current, other) = (other, current);
            }

            await pendingWrite;
            return position;
        }
        catch
        {
            hash.Reset(valid: false);
            await SettleAsync(pendingWrite);
            throw;
        }
        finally
        {
            TransferBuffers.Return(current);
            TransferBuffers.Return(other);
        }
    }

    /// <summary>
    /// Waits for a write in flight to end, whatever its outcome, before its buffer goes back to the pool.
    /// </summary>
    private static async Task SettleAsync(Task write)
    {
        try
        {
            await write;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The append failed already; this write's outcome changes nothing.
        }
    }

    private static async Task<Digest> HashUploadAsync(string uploadPath, long length, UploadHash hash,
        CancellationToken ct)
    {
        using SafeFileHandle handle = File.OpenHandle(uploadPath, FileMode.Open, FileAccess.ReadWrite);
        if (RandomAccess.GetLength(handle) != length)
        {
            RandomAccess.SetLength(handle, length);
        }

        if (hash.IsValid && hash.Offset == length)
        {
            return Digest.FromHash(hash.Current());
        }

        // The running hash is gone (a restart) or was broken (a failed chunk): read the bytes once more.
        using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = TransferBuffers.Rent();
        try
        {
            long position = 0;
            int read;
            while ((read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, BufferSize), position, ct)) > 0)
            {
                hasher.AppendData(buffer, 0, read);
                position += read;
            }
        }
        finally
        {
            TransferBuffers.Return(buffer);
        }

        return Digest.FromHash(hasher.GetHashAndReset());
    }

    /// <summary>Counts the caller among the upload's users, then waits for its turn.</summary>
    private async Task<UploadHash> EnterAsync(string uploadId, CancellationToken ct)
    {
        UploadHash? hash;
        lock (_hashes)
        {
            if (!_hashes.TryGetValue(uploadId, out hash))
            {
                hash = new UploadHash();
                _hashes.Add(uploadId, hash);
            }

            hash.Users++;
        }

        try
        {
            await hash.Gate.WaitAsync(ct);
        }
        catch
        {
            Leave(uploadId, hash, holds: false);
            throw;
        }

        return hash;
    }

    /// <summary>
    /// Ends a turn; the last user of an upload forgotten meanwhile disposes its hash, and may delete its file.
    /// </summary>
    private void Leave(string uploadId, UploadHash hash, bool holds = true)
    {
        if (holds)
        {
            hash.Gate.Release();
        }

        bool deleteFile = false;
        lock (_hashes)
        {
            hash.Users--;
            if (hash.Users == 0 && hash.Forgotten)
            {
                hash.Dispose();
                deleteFile = hash.Discarded;
            }
        }

        if (deleteFile)
        {
            File.Delete(UploadPath(uploadId));
        }
    }

    /// <summary>
    /// Drops the upload's running hash (the one given, if it is still the upload's); true when someone still uses it,
    /// who then disposes it and, if <paramref name="discard"/>, deletes the file.
    /// </summary>
    private bool Forget(string uploadId, UploadHash? expected, bool discard)
    {
        lock (_hashes)
        {
            if (!_hashes.TryGetValue(uploadId, out var hash) || (expected is not null && hash != expected))
            {
                return false;
            }

            _hashes.Remove(uploadId);
            hash.Forgotten = true;
            hash.Discarded = discard;
            if (hash.Users > 0)
            {
                return true;
            }

            hash.Dispose();
            return false;
        }
    }

    private static async Task<int> FillAsync(Stream source, byte[] buffer, CancellationToken ct)
    {
        int filled = 0;
        while (filled < BufferSize)
        {
            int read = await source.ReadAsync(buffer.AsMemory(filled, BufferSize - filled), ct);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    private static FileStream OpenForRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 0,
            FileOptions.SequentialScan);

    private string BlobPath(Digest digest) => Path.Combine(_blobRoot, digest.Algorithm, digest.Hex[..2], digest.Hex);

    private string UploadPath(string uploadId) => Path.Combine(_uploadRoot, uploadId);

    /// <summary>
    /// The running SHA-256 of an upload, valid while it has seen every byte from 0 to Offset, and the turn of the
    /// appends and commits using it. Disposed only once no one uses it.
    /// </summary>
    private sealed class UploadHash : IDisposable
    {
        private IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public SemaphoreSlim Gate { get; } = new(1, 1);

        /// <summary>Callers holding or waiting for <see cref="Gate"/>; guarded by the store's map.</summary>
        public int Users { get; set; }

        /// <summary>No longer the upload's hash: committed or deleted.</summary>
        public bool Forgotten { get; set; }

        /// <summary>The upload was deleted while in use: its last user deletes the file.</summary>
        public bool Discarded { get; set; }

        public long Offset { get; private set; }

        public bool IsValid { get; private set; } = true;

        public void Append(ReadOnlySpan<byte> bytes)
        {
            _hash.AppendData(bytes);
            Offset += bytes.Length;
        }

        /// <summary>
        /// The hash so far, kept running: a commit refused for its digest may be retried or appended to.
        /// </summary>
        public byte[] Current() => _hash.GetCurrentHash();

        public void Reset(bool valid)
        {
            _hash.Dispose();
            _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            Offset = 0;
            IsValid = valid;
        }

        public void Dispose()
        {
            _hash.Dispose();
            Gate.Dispose();
        }
    }
}

/// <summary>An upload went past the size the caller allowed.</summary>
public sealed class BlobTooLargeException(long limit) : Exception($"the blob exceeds {limit} bytes")
{
    public long Limit { get; } = limit;
}
