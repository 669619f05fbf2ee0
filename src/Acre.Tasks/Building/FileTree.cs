namespace Acre.Tasks.Building;

/// <summary>What a directory tree held (kind, size, time, mode, link), and the layer of what changed since.</summary>
internal static class FileTree
{
    public sealed record Entry(bool IsDirectory, long Size, long Modified, UnixFileMode Mode, string? Link);

    public static Dictionary<string, Entry> Snapshot(string root)
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (string path in FileWalk.Paths(root))
        {
            entries[Path.GetRelativePath(root, path)] = Describe(path);
        }

        return entries;
    }

    /// <summary>
    /// Lays out in <paramref name="staging"/> every entry added or changed since <paramref name="before"/>, and an
    /// OCI whiteout (<c>.wh.NAME</c>) for each one removed; new mount points the runtime made (empty files, and
    /// folders holding nothing but such) are left out.
    /// </summary>
    public static void CopyChanges(string root, Dictionary<string, Entry> before, string staging,
        IReadOnlyList<string> mountPoints)
    {
        Directory.CreateDirectory(staging);
        var after = Snapshot(root);
        var placeholders = after
            .Where(e => !before.ContainsKey(e.Key) && mountPoints.Contains(e.Key) && !e.Value.IsDirectory &&
                e.Value.Link is null && e.Value.Size == 0)
            .Select(e => e.Key)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var (relative, entry) in after.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (before.TryGetValue(relative, out var old) && old == entry)
            {
                continue;
            }

            if (placeholders.Contains(relative) || (!before.ContainsKey(relative) && mountPoints.Contains(relative) &&
                entry.IsDirectory && after.Keys.Where(k => k.StartsWith(relative + "/", StringComparison.Ordinal))
                    .All(placeholders.Contains)))
            {
                continue;
            }

            string source = Path.Combine(root, relative);
            string target = Path.Combine(staging, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (entry.Link is { } link)
            {
                File.CreateSymbolicLink(target, link);
            }
            else if (entry.IsDirectory)
            {
                Directory.CreateDirectory(target);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(target, entry.Mode);
                }
            }
            else
            {
                File.Copy(source, target, overwrite: true);
            }
        }

        foreach (string removed in before.Keys.Where(k => !after.ContainsKey(k)))
        {
            string parent = Path.GetDirectoryName(removed) ?? "";
            if (parent.Length == 0 || after.ContainsKey(parent))
            {
                string whiteout = Path.Combine(staging, parent, ".wh." + Path.GetFileName(removed));
                Directory.CreateDirectory(Path.GetDirectoryName(whiteout)!);
                File.WriteAllBytes(whiteout, []);
            }
        }
    }

    private static Entry Describe(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is { } link)
        {
            return new Entry(false, 0, 0, 0, link);
        }

        bool isDirectory = Directory.Exists(path);
        var mode = OperatingSystem.IsWindows() ? 0 : File.GetUnixFileMode(path);
        return isDirectory
            ? new Entry(true, 0, 0, mode, null)
            : new Entry(false, info.Length, info.LastWriteTimeUtc.Ticks, mode, null);
    }
}
