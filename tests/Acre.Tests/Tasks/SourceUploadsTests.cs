using System.Text;
using Acre.Tasks;
using Acre.Tasks.Blobs;
using Acre.Tests.Support;

namespace Acre.Tests.Tasks;

/// <summary>The blob host's files: whole blobs and committed block lists, and nothing left when a write
/// fails.</summary>
public sealed class SourceUploadsTests : IDisposable
{
    private const string Path = "source/local/0123456789abcdef0123456789abcdef.tar.gz";

    private readonly TempDirectory _directory = new();
    private readonly TasksOptions _options;
    private readonly SourceUploads _uploads;

    public SourceUploadsTests()
    {
        _options = new TasksOptions(_directory.Path, "azurecr.localhost", () => 443);
        _uploads = new SourceUploads(_options);
    }

    private string Folder => System.IO.Path.Combine(_options.SourceDirectory, "local");

    [Fact]
    public async Task PutBlob_WhoseClientGoesAway_LeavesNoPartialFile()
    {
        await Assert.ThrowsAsync<IOException>(() => _uploads.PutBlobAsync(Path, new BrokenStream(), default));

        Assert.Empty(Directory.GetFiles(Folder));
    }

    [Fact]
    public async Task PutBlock_WhoseClientGoesAway_LeavesNoPartialFile()
    {
        await Assert.ThrowsAsync<IOException>(() => _uploads.PutBlockAsync(Path, "QUFB", new BrokenStream(), default));

        Assert.Empty(Directory.GetFiles(Folder, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task CommitBlockList_CancelledWhileJoining_LeavesNoPartialFile_AndKeepsTheBlocks()
    {
        // Arrange
        await _uploads.PutBlockAsync(Path, "QUFB", new MemoryStream([1, 2, 3]), default);
        using var cancel = new CancellationTokenSource();
        var list = new CancellingStream(BlockList("QUFB"), cancel);

        // Act
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _uploads.CommitBlockListAsync(Path, list, cancel.Token));
        string[] left = Directory.GetFiles(Folder, "*.partial", SearchOption.AllDirectories);
        var retried = await _uploads.CommitBlockListAsync(Path, new MemoryStream(BlockList("QUFB")), default);

        // Assert
        Assert.Empty(left);
        Assert.Equal(201, retried.Status);
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(System.IO.Path.Combine(_options.Root, Path)));
    }

    [Fact]
    public async Task CommitBlockList_WhileAnotherCommitWrites_UsesItsOwnTemporaryFile()
    {
        // Arrange: the file another commit of the same blob would be writing, held as a writer holds it.
        await _uploads.PutBlockAsync(Path, "QUFB", new MemoryStream([4, 5]), default);
        string other = System.IO.Path.Combine(_options.Root, Path) + ".partial";
        await using var writing = new FileStream(other, FileMode.Create, FileAccess.Write, FileShare.None);
        writing.Write([9, 9, 9]);

        // Act
        var result = await _uploads.CommitBlockListAsync(Path, new MemoryStream(BlockList("QUFB")), default);

        // Assert
        Assert.Equal(201, result.Status);
        Assert.Equal([4, 5], await File.ReadAllBytesAsync(System.IO.Path.Combine(_options.Root, Path)));
        Assert.Equal(3, writing.Length);
    }

    [Fact]
    public async Task CommitBlockList_Twice_RefusesTheSecond_AsItsBlocksAreCommitted()
    {
        await _uploads.PutBlockAsync(Path, "QUFB", new MemoryStream([6]), default);

        var first = await _uploads.CommitBlockListAsync(Path, new MemoryStream(BlockList("QUFB")), default);
        var second = await _uploads.CommitBlockListAsync(Path, new MemoryStream(BlockList("QUFB")), default);

        Assert.Equal(201, first.Status);
        Assert.Equal("InvalidBlockList", second.Code);
    }

    public void Dispose() => _directory.Dispose();

    private static byte[] BlockList(params string[] ids) => Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>" +
        string.Concat(ids.Select(id => $"<Latest>{id}</Latest>")) + "</BlockList>");

    /// <summary>A request body whose client disconnects after the first bytes.</summary>
    private sealed class BrokenStream : MemoryStream
    {
        private bool _sent;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_sent)
            {
                throw new IOException("The client went away.");
            }

            _sent = true;
            buffer.Span[..4].Fill(7);
            return ValueTask.FromResult(4);
        }
    }

    /// <summary>A block list body that cancels the request once it has been read whole.</summary>
    private sealed class CancellingStream(byte[] bytes, CancellationTokenSource cancel) : MemoryStream(bytes)
    {
        public override async ValueTask<int> ReadAsync(
            Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int read = await base.ReadAsync(buffer, CancellationToken.None);
            if (read == 0)
            {
                await cancel.CancelAsync();
            }

            return read;
        }
    }
}
