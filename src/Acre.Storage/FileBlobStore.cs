using System.Collections.Concurrent;
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
    private readonly ConcurrentDictionary<string, UploadHash> _hashes = new(StringComparer.Ordinal);

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
        var hash = _hashes.GetOrAdd(uploadId, _ => new UploadHash());
        await hash.Gate.WaitAsync(ct);
        try
        {
            return await AppendLockedAsync(uploadId, offset, source, maxBytes, hash, ct);
        }
        finally
        {
            hash.Gate.Release();
        }
    }

    public long GetUploadLength(string uploadId)
    {
        var info = new FileInfo(UploadPath(uploadId));
        return info.Exists ? info.Length : 0;
    }

    public async Task<BlobCommitResult> CommitAsync(string uploadId, long length, Digest expected, CancellationToken ct)
    {
        var hash = _hashes.GetOrAdd(uploadId, _ => new UploadHash());
        bool committed = false;
        await hash.Gate.WaitAsync(ct);
        try
        {
            var result = await CommitLockedAsync(uploadId, length, expected, ct);
            committed = result.Status == BlobCommitStatus.Committed;
            return result;
        }
        finally
        {
            hash.Gate.Release();
            if (committed && _hashes.TryRemove(uploadId, out var removed))
            {
                removed.Dispose();
            }
        }
    }

    private async Task<BlobCommitResult> CommitLockedAsync(string uploadId, long length, Digest expected,
        CancellationToken ct)
    {
        string uploadPath = UploadPath(uploadId);
        if (!File.Exists(uploadPath))
        {
            await File.WriteAllBytesAsync(uploadPath, [], ct);
        }

        Digest actual = await HashUploadAsync(uploadId, uploadPath, length, ct);
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

    public void DeleteUpload(string uploadId)
    {
        if (_hashes.TryRemove(uploadId, out var hash))
        {
            hash.Dispose();
        }

        File.Delete(UploadPath(uploadId));
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

    /// <summary>Waits for a write in flight to end, whatever its outcome, before its buffer goes back to the pool.</summary>
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

    private async Task<Digest> HashUploadAsync(string uploadId, string uploadPath, long length, CancellationToken ct)
    {
        using SafeFileHandle handle = File.OpenHandle(uploadPath, FileMode.Open, FileAccess.ReadWrite);
        if (RandomAccess.GetLength(handle) != length)
        {
            RandomAccess.SetLength(handle, length);
        }

        if (_hashes.TryGetValue(uploadId, out var hash) && hash.IsValid && hash.Offset == length)
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

    /// <summary>The running SHA-256 of an upload, valid while it has seen every byte from 0 to Offset.</summary>
    private sealed class UploadHash : IDisposable
    {
        private IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public long Offset { get; private set; }

        public bool IsValid { get; private set; } = true;

        public void Append(ReadOnlySpan<byte> bytes)
        {
            _hash.AppendData(bytes);
            Offset += bytes.Length;
        }

        /// <summary>The hash so far, kept running: a commit refused for its digest may be retried or appended to.</summary>
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
