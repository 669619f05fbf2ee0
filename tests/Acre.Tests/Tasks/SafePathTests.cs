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

    [Fact]
    public async Task OpaqueWhiteoutUnderALink_EmptiesTheFolderInsideOnly()
    {
        // Arrange
        using var work = new TempDirectory();
        string outside = Directory.CreateDirectory(Path.Combine(work.Path, "outside")).FullName;
        await File.WriteAllTextAsync(Path.Combine(outside, "keep.txt"), "host file");
        string output = Path.Combine(work.Path, "out");
        using var archive = Archive(
            new PaxTarEntry(TarEntryType.SymbolicLink, "link") { LinkName = outside },
            new PaxTarEntry(TarEntryType.RegularFile, "link/.wh..wh..opq") { DataStream = new MemoryStream() });

        // Act
        await ArchiveExtractor.ExtractAsync(archive, output, whiteouts: true, CancellationToken.None);

        // Assert
        Assert.Equal("host file", await File.ReadAllTextAsync(Path.Combine(outside, "keep.txt")));
    }

    [Fact]
    public async Task CopyWithAPatternThroughALink_ReadsTheContextNotTheHost()
    {
        // Arrange
        using var work = new TempDirectory();
        string outside = Directory.CreateDirectory(Path.Combine(work.Path, "outside")).FullName;
        await File.WriteAllTextAsync(Path.Combine(outside, "secret.pem"), "host secret");
        string context = Directory.CreateDirectory(Path.Combine(work.Path, "context")).FullName;
        File.CreateSymbolicLink(Path.Combine(context, "k"), outside);
        var instructions = Acre.Tasks.Dockerfiles.DockerfileParser.Parse("FROM scratch\nCOPY k/*.pem /out/\n");
        var request = new BuildRequest("local", ["local.azurecr.localhost"], context,
            Directory.CreateDirectory(Path.Combine(work.Path, "build")).FullName,
            new Dictionary<string, string>(), null, CanRun: false);
        var builder = new ImageBuilder(new BaseImages(null!, null!), TimeProvider.System);

        // Act
        var error = await Record.ExceptionAsync(() => builder.BuildAsync(instructions, request, _ => { },
            CancellationToken.None));

        // Assert
        Assert.IsType<Acre.Tasks.Dockerfiles.DockerfileException>(error);
        Assert.Contains("no file matches", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LayerOfALinkToAHostFolder_HoldsTheLinkOnly()
    {
        // Arrange
        using var work = new TempDirectory();
        string outside = Directory.CreateDirectory(Path.Combine(work.Path, "outside")).FullName;
        await File.WriteAllTextAsync(Path.Combine(outside, "secret.txt"), "host secret");
        string staging = Directory.CreateDirectory(Path.Combine(work.Path, "staging")).FullName;
        File.CreateSymbolicLink(Path.Combine(staging, "link"), outside);

        // Act
        var layer = await LayerWriter.WriteAsync(staging, Path.Combine(work.Path, "layer.tar.gz"),
            CancellationToken.None);

        // Assert
        string unpacked = Path.Combine(work.Path, "unpacked");
        await using (var stream = File.OpenRead(layer.Path))
        {
            await ArchiveExtractor.ExtractAsync(stream, unpacked, whiteouts: false, CancellationToken.None);
        }

        Assert.Equal(outside, new FileInfo(Path.Combine(unpacked, "link")).LinkTarget);
        Assert.Single(Directory.EnumerateFileSystemEntries(unpacked));
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
