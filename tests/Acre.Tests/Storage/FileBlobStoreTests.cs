using System.Security.Cryptography;
using Acre.Content;
using Acre.Storage;
using Acre.Tests.Support;

namespace Acre.Tests.Storage;

public sealed class FileBlobStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FileBlobStore _store;

    public FileBlobStoreTests() => _store = new FileBlobStore(_directory.Path);

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task Commit_StoresChunkedUploadUnderItsDigest()
    {
        byte[] bytes = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        long length = await _store.AppendAsync("u", 0, new MemoryStream(bytes[..1000]), null, Ct);
        length = await _store.AppendAsync("u", length, new MemoryStream(bytes[1000..]), null, Ct);

        var result = await _store.CommitAsync("u", length, Digest.Compute(bytes), Ct);

        Assert.Equal(BlobCommitStatus.Committed, result.Status);
        var content = _store.Open(result.Actual)!;
        Assert.Equal(bytes.Length, content.Length);
        using var stream = content.OpenStream();
        Assert.Equal(Digest.Compute(bytes), Digest.FromHash(await SHA256.HashDataAsync(stream, Ct)));
    }

    [Fact]
    public async Task Commit_RefusesWrongDigest_AndKeepsTheUpload()
    {
        long length = await _store.AppendAsync("u", 0, new MemoryStream([1, 2, 3]), null, Ct);

        var result = await _store.CommitAsync("u", length, Digest.Compute([9]), Ct);

        Assert.Equal(BlobCommitStatus.DigestMismatch, result.Status);
        Assert.Equal(3, _store.GetUploadLength("u"));
    }

    [Fact]
    public async Task Append_AtAnEarlierOffsetDropsUnacknowledgedBytes()
    {
        await _store.AppendAsync("u", 0, new MemoryStream([1, 2, 3, 4]), null, Ct);

        long length = await _store.AppendAsync("u", 2, new MemoryStream([7]), null, Ct);
        var result = await _store.CommitAsync("u", length, Digest.Compute([1, 2, 7]), Ct);

        Assert.Equal(BlobCommitStatus.Committed, result.Status);
    }

    [Fact]
    public async Task Commit_RehashesWhenTheRunningHashIsGone()
    {
        await _store.AppendAsync("u", 0, new MemoryStream([5, 6]), null, Ct);
        var restarted = new FileBlobStore(_directory.Path);

        var result = await restarted.CommitAsync("u", 2, Digest.Compute([5, 6]), Ct);

        Assert.Equal(BlobCommitStatus.Committed, result.Status);
    }

    [Fact]
    public async Task Commit_StoresEmptyBlob()
    {
        var result = await _store.CommitAsync("empty", 0, Digest.Compute([]), Ct);

        Assert.Equal(BlobCommitStatus.Committed, result.Status);
        Assert.Equal(0, _store.Open(Digest.Compute([]))!.Length);
    }

    [Fact]
    public async Task DeleteUpload_DuringAppend_LetsTheAppendEnd_AndLeavesNoFile()
    {
        // Arrange
        var source = new HeldStream([1, 2, 3]);
        var append = _store.AppendAsync("u", 0, source, null, Ct);
        await source.ReadStarted;

        // Act
        _store.DeleteUpload("u");
        source.Release();
        long length = await append;

        // Assert
        Assert.Equal(3, length);
        Assert.False(File.Exists(Path.Combine(_directory.Path, "uploads", "u")));
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>A source whose first read waits until the test releases it.</summary>
    private sealed class HeldStream(byte[] bytes) : MemoryStream(bytes)
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task ReadStarted => _started.Task;

        public void Release() => _released.TrySetResult();

        public override async ValueTask<int> ReadAsync(
            Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _started.TrySetResult();
            await _released.Task;
            return await base.ReadAsync(buffer, cancellationToken);
        }
    }
}
