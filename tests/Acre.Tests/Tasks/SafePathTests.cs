using System.Formats.Tar;
using Acre.Tasks.Building;
using Acre.Tests.Support;

namespace Acre.Tests.Tasks;

/// <summary>Links in a context or an image resolve inside it, as in a container, and never reach the host.</summary>
public sealed class SafePathTests
{
    [Theory]
    [InlineData("ABSOLUTE")]
    [InlineData("../../../../../../../..ABSOLUTE")]
    public async Task ExtractAsync_WritesThroughALinkInsideTheDirectoryOnly(string linkTarget)
    {
        // Arrange
        using var work = new TempDirectory();
        string outside = Path.Combine(work.Path, "outside");
        Directory.CreateDirectory(outside);
        string output = Path.Combine(work.Path, "out");
        using var archive = Archive(
            new PaxTarEntry(TarEntryType.SymbolicLink, "link") { LinkName = linkTarget.Replace("ABSOLUTE", outside) },
            new PaxTarEntry(TarEntryType.RegularFile, "link/planted.txt")
            {
                DataStream = new MemoryStream("x"u8.ToArray()),
            });

        // Act
        await ArchiveExtractor.ExtractAsync(archive, output, whiteouts: false, CancellationToken.None);

        // Assert
        Assert.False(File.Exists(Path.Combine(outside, "planted.txt")));
        Assert.True(File.Exists(Path.Combine(output, outside.TrimStart('/'), "planted.txt")));
    }

    [Fact]
    public async Task ExtractAsync_KeepsRelativeLinksThatClimbAsImagesHaveThem()
    {
        // Arrange
        using var work = new TempDirectory();
        string output = Path.Combine(work.Path, "out");
        using var archive = Archive(
            new PaxTarEntry(TarEntryType.RegularFile, "etc/os-release")
            {
                DataStream = new MemoryStream("os"u8.ToArray()),
            },
            new PaxTarEntry(TarEntryType.SymbolicLink, "usr/lib/os-release") { LinkName = "../../etc/os-release" });

        // Act
        await ArchiveExtractor.ExtractAsync(archive, output, whiteouts: false, CancellationToken.None);

        // Assert
        Assert.Equal("os", await File.ReadAllTextAsync(SafePath.Under(output, "usr/lib/os-release", followLast: true)));
    }

    [Fact]
    public async Task HardLinkToALink_CopiesTheLinkNotTheHostFile()
    {
        // Arrange
        using var work = new TempDirectory();
        string secret = Path.Combine(work.Path, "secret.txt");
        await File.WriteAllTextAsync(secret, "host secret");
        string output = Path.Combine(work.Path, "out");
        using var archive = Archive(
            new PaxTarEntry(TarEntryType.SymbolicLink, "soft") { LinkName = secret },
            new PaxTarEntry(TarEntryType.HardLink, "hard") { LinkName = "soft" });

        // Act
        await ArchiveExtractor.ExtractAsync(archive, output, whiteouts: false, CancellationToken.None);

        // Assert
        Assert.Equal(secret, new FileInfo(Path.Combine(output, "hard")).LinkTarget);
        Assert.False(File.Exists(SafePath.Under(output, "hard", followLast: true)));
    }

    [Fact]
    public void Under_FollowsALinkToTheRootsOwnFolder()
    {
        // Arrange
        using var work = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(work.Path, "etc"));
        File.CreateSymbolicLink(Path.Combine(work.Path, "config"), "/etc");

        // Act
        string path = SafePath.Under(work.Path, "config/passwd", followLast: true);

        // Assert
        Assert.Equal(Path.Combine(work.Path, "etc", "passwd"), path);
    }

    private static MemoryStream Archive(params TarEntry[] entries)
    {
        var archive = new MemoryStream();
        using (var writer = new TarWriter(archive, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }

        archive.Position = 0;
        return archive;
    }
}
