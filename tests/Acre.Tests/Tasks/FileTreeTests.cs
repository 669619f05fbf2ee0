using Acre.Tasks.Building;
using Acre.Tests.Support;

namespace Acre.Tests.Tasks;

/// <summary>A RUN layer holds what the command changed, not the mount points the runtime made for it.</summary>
public sealed class FileTreeTests
{
    private static readonly string[] MountPoints = ["dev", "etc", "etc/hostname", "etc/hosts", "etc/resolv.conf"];

    [Fact]
    public void CopyChanges_LeavesOutNewEmptyMountPoints_AndKeepsWhatTheCommandWrote()
    {
        // Arrange
        using var work = new TempDirectory();
        string root = Directory.CreateDirectory(Path.Combine(work.Path, "root")).FullName;
        var before = FileTree.Snapshot(root);
        Directory.CreateDirectory(Path.Combine(root, "dev"));
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        File.WriteAllText(Path.Combine(root, "etc", "hostname"), "");
        File.WriteAllText(Path.Combine(root, "etc", "resolv.conf"), "");
        File.WriteAllText(Path.Combine(root, "etc", "hosts"), "127.0.0.1 written-by-the-command\n");
        File.WriteAllText(Path.Combine(root, "app.txt"), "built");
        string staging = Path.Combine(work.Path, "staging");

        // Act
        FileTree.CopyChanges(root, before, staging, MountPoints);

        // Assert
        var entries = Directory.EnumerateFileSystemEntries(staging, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(staging, path)).Order(StringComparer.Ordinal);
        Assert.Equal(["app.txt", "etc", "etc/hosts"], entries);
    }

    [Fact]
    public void CopyChanges_LeavesOutAFolderOfPlaceholdersOnly()
    {
        // Arrange
        using var work = new TempDirectory();
        string root = Directory.CreateDirectory(Path.Combine(work.Path, "root")).FullName;
        var before = FileTree.Snapshot(root);
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        File.WriteAllText(Path.Combine(root, "etc", "hostname"), "");
        string staging = Path.Combine(work.Path, "staging");

        // Act
        FileTree.CopyChanges(root, before, staging, MountPoints);

        // Assert
        Assert.Empty(Directory.EnumerateFileSystemEntries(staging));
    }
}
