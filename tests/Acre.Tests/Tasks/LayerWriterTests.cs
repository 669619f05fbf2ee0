using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Acre.Content;
using Acre.Tasks.Building;
using Acre.Tasks.Dockerfiles;
using Acre.Tests.Support;

namespace Acre.Tests.Tasks;

public sealed class LayerWriterTests
{
    [Fact]
    public async Task WriteAsync_WritesSortedEntriesAndBothDigests()
    {
        // Arrange
        using var work = new TempDirectory();
        string root = Path.Combine(work.Path, "root");
        Directory.CreateDirectory(Path.Combine(root, "app", "sub"));
        await File.WriteAllTextAsync(Path.Combine(root, "app", "sub", "b.txt"), "bee");
        await File.WriteAllTextAsync(Path.Combine(root, "app", "a.txt"), "ay");

        // Act
        var layer = await LayerWriter.WriteAsync(root, Path.Combine(work.Path, "layer.tar.gz"), CancellationToken.None);

        // Assert
        byte[] compressed = await File.ReadAllBytesAsync(layer.Path);
        using var tar = new MemoryStream();
        await using (var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress))
        {
            await gzip.CopyToAsync(tar);
        }

        Assert.Equal(Digest.Compute(compressed), layer.Digest);
        Assert.Equal(compressed.Length, layer.Size);
        Assert.Equal(Digest.FromHash(SHA256.HashData(tar.ToArray())), layer.DiffId);
        tar.Position = 0;
        var entries = new List<(string Name, TarEntryType Type, int Uid)>();
        using var reader = new TarReader(tar);
        while (reader.GetNextEntry() is { } entry)
        {
            entries.Add((entry.Name, entry.EntryType, entry.Uid));
        }

        Assert.Equal(["app/", "app/a.txt", "app/sub/", "app/sub/b.txt"], entries.Select(e => e.Name));
        Assert.Equal(TarEntryType.Directory, entries[0].Type);
        Assert.All(entries, e => Assert.Equal(0, e.Uid));
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("a/../../escape.txt")]
    public async Task ExtractAsync_RefusesEntriesThatLeaveTheDirectory(string name)
    {
        using var work = new TempDirectory();
        using var archive = new MemoryStream();
        await using (var writer = new TarWriter(archive, leaveOpen: true))
        {
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name)
            {
                DataStream = new MemoryStream("x"u8.ToArray()),
            });
        }

        archive.Position = 0;
        string target = Path.Combine(work.Path, "out");

        await Assert.ThrowsAsync<DockerfileException>(() =>
            ArchiveExtractor.ExtractAsync(archive, target, whiteouts: false, CancellationToken.None));
        Assert.False(File.Exists(Path.Combine(work.Path, "escape.txt")));
    }
}
