using System.Formats.Tar;
using System.IO.Compression;
using Acre.Content;

namespace Acre.Tasks.Building;

/// <summary>A gzip tar layer on disk: its digest and size as a blob, and the digest of its tar (the diff id).</summary>
public sealed record LayerFile(string Path, Digest Digest, long Size, Digest DiffId)
{
    public const string MediaType = "application/vnd.oci.image.layer.v1.tar+gzip";
}

/// <summary>
/// Writes a directory tree as an image layer: a tar of every entry, sorted, owned by root, parents before
/// children, gzip-compressed, hashed both before and after compression in one pass.
/// </summary>
public static class LayerWriter
{
    public static async Task<LayerFile> WriteAsync(string root, string layerPath, CancellationToken ct)
    {
        Digest diffId;
        HashingStream compressed;
        await using (var file = File.Create(layerPath))
        {
            compressed = new HashingStream(file, leaveOpen: true);
            using (compressed)
            {
                await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
                {
                    using var tar = new HashingStream(gzip, leaveOpen: true);
                    await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
                    {
                        foreach (string path in Entries(root))
                        {
                            var entry = Entry(root, path);
                            await writer.WriteEntryAsync(entry, ct);
                            entry.DataStream?.Dispose();
                        }
                    }

                    diffId = tar.Digest();
                }

                return new LayerFile(layerPath, compressed.Digest(), compressed.Written, diffId);
            }
        }
    }

    /// <summary>Every path under the root, relative, in ordinal order (so a directory precedes its content).</summary>
    private static IEnumerable<string> Entries(string root) =>
        FileWalk.Paths(root)
            .Select(p => Path.GetRelativePath(root, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    private static PaxTarEntry Entry(string root, string relative)
    {
        string full = Path.Combine(root, relative);
        var info = new FileInfo(full);
        bool isLink = info.LinkTarget is not null;
        bool isDirectory = !isLink && Directory.Exists(full);
        var type = isLink ? TarEntryType.SymbolicLink : isDirectory ? TarEntryType.Directory : TarEntryType.RegularFile;
        var entry = new PaxTarEntry(type, isDirectory ? relative + "/" : relative)
        {
            Mode = isLink || OperatingSystem.IsWindows() ? (UnixFileMode)0x1FF : File.GetUnixFileMode(full),
            ModificationTime = info.LastWriteTimeUtc,
            Uid = 0,
            Gid = 0,
        };
        if (isLink)
        {
            entry.LinkName = info.LinkTarget!;
        }
        else if (type == TarEntryType.RegularFile)
        {
            entry.DataStream = File.OpenRead(full);
        }

        return entry;
    }
}
