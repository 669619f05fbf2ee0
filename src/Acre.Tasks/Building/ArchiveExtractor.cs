using System.Formats.Tar;
using System.IO.Compression;
using Acre.Tasks.Dockerfiles;

namespace Acre.Tasks.Building;

/// <summary>
/// Unpacks a tar (gzip or plain) into a directory with the limits a build needs: no entry leaves the directory
/// (by its name or a link), no more than <see cref="MaxBytes"/> in all, and image whiteouts applied when asked.
/// </summary>
public static class ArchiveExtractor
{
    public const long MaxBytes = 4L * 1024 * 1024 * 1024;
    public const int MaxEntries = 200_000;

    /// <summary>Whether a file starts like a gzip or tar archive, as ADD decides whether to unpack it.</summary>
    public static bool LooksLikeArchive(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> head = stackalloc byte[512];
        int read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return (read >= 2 && head[0] == 0x1f && head[1] == 0x8b) ||
            (read >= 262 && head[257..262].SequenceEqual("ustar"u8));
    }

    public static async Task ExtractAsync(Stream archive, string directory, bool whiteouts, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        using var buffered = new BufferedStream(archive, 64 * 1024);
        Stream source = IsGzip(buffered)
            ? new GZipStream(buffered, CompressionMode.Decompress, leaveOpen: true)
            : buffered;
        await using (source)
        {
            await using var reader = new TarReader(source, leaveOpen: true);
            long total = 0;
            int count = 0;
            while (await reader.GetNextEntryAsync(copyData: false, ct) is { } entry)
            {
                if (++count > MaxEntries || (total += entry.Length) > MaxBytes)
                {
                    throw new DockerfileException(
                        $"the archive holds more than {MaxEntries} entries or {MaxBytes} bytes");
                }

                await ExtractEntryAsync(entry, directory, whiteouts, ct);
            }
        }
    }

    private static async Task ExtractEntryAsync(TarEntry entry, string directory, bool whiteouts, CancellationToken ct)
    {
        string relative = SafePath.Normalize(entry.Name);
        if (relative.Length == 0)
        {
            return;
        }

        string target = SafePath.Under(directory, relative);
        string name = Path.GetFileName(relative);
        if (whiteouts && name.StartsWith(".wh.", StringComparison.Ordinal))
        {
            ApplyWhiteout(directory, relative, name);
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                Directory.CreateDirectory(target);
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                Remove(target);
                await using (var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write))
                {
                    if (entry.DataStream is { } data)
                    {
                        await data.CopyToAsync(file, ct);
                    }
                }

                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(target, entry.Mode & (UnixFileMode)0x1FF);
                }

                File.SetLastWriteTimeUtc(target, entry.ModificationTime.UtcDateTime);
                break;
            case TarEntryType.SymbolicLink:
                // Kept as written: whatever follows it later resolves it inside the directory (SafePath.Under).
                Remove(target);
                File.CreateSymbolicLink(target, entry.LinkName);
                break;
            case TarEntryType.HardLink:
                string source = SafePath.Under(directory, SafePath.Normalize(entry.LinkName));
                Remove(target);
                if (new FileInfo(source).LinkTarget is { } sourceLink)
                {
                    // Copying through the link could read a file outside the directory: copy the link instead.
                    File.CreateSymbolicLink(target, sourceLink);
                }
                else if (File.Exists(source))
                {
                    File.Copy(source, target);
                }

                break;
            default:
                // Devices, FIFOs and the like cannot be made without privileges and are never needed to build.
                break;
        }
    }

    /// <summary>OCI whiteouts: <c>.wh..wh..opq</c> empties its directory, <c>.wh.NAME</c> removes NAME.</summary>
    private static void ApplyWhiteout(string directory, string relative, string name)
    {
        // Followed to its end inside the directory: emptying a folder that is a link to /etc would empty the host's.
        string parent = SafePath.Under(directory, Path.GetDirectoryName(relative) ?? "", followLast: true);
        if (name == ".wh..wh..opq")
        {
            if (Directory.Exists(parent))
            {
                foreach (string child in Directory.EnumerateFileSystemEntries(parent))
                {
                    Remove(child);
                }
            }

            return;
        }

        Remove(SafePath.Under(parent, name[4..]));
    }

    private static void Remove(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is null && Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        else if (info.Exists || info.LinkTarget is not null)
        {
            info.Delete();
        }
    }

    private static bool IsGzip(BufferedStream stream)
    {
        Span<byte> head = stackalloc byte[2];
        int read = stream.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        stream.Seek(-read, SeekOrigin.Current);
        return read == 2 && head[0] == 0x1f && head[1] == 0x8b;
    }
}
