using System.Buffers;
using System.Diagnostics;

namespace Acre.Bench;

/// <summary>
/// Fills the page cache before the blob scenarios. On a VM that hands free memory back to its host (virtio-balloon
/// free page reporting), the first write into a page the guest has not used lately costs a host page fault:
/// writing into such memory runs at a few hundred MB/s, into recycled page cache at GB/s. Reading a sparse file as
/// large as the free memory (no disk is written) leaves the page cache full, so that every push afterwards
/// recycles pages, as on a machine that has been up a while, whichever server comes first.
/// </summary>
public static class PageCache
{
    private const int BufferSize = 1024 * 1024;

    /// <summary>Reads a sparse file of free memory's size; it stays until the work directory is deleted.</summary>
    public static async Task FillAsync(string workDir, Report report, CancellationToken ct)
    {
        long free = FreeMemoryBytes();
        if (free <= 0)
        {
            return;
        }

        string path = Path.Combine(workDir, "page-cache-fill");
        await using (var create = File.Create(path))
        {
            create.SetLength(free + (512L * 1024 * 1024));
        }

        long started = Stopwatch.GetTimestamp();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        await using (var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0,
            FileOptions.SequentialScan))
        {
            while (await read.ReadAsync(buffer.AsMemory(0, BufferSize), ct) > 0)
            {
            }
        }

        ArrayPool<byte>.Shared.Return(buffer);
        report.Note($"page cache filled before the blob runs: {Report.Mib(free)} free memory read through a sparse " +
            $"file in {Report.Number(Stopwatch.GetElapsedTime(started).TotalSeconds, 1)} s");
    }

    private static long FreeMemoryBytes()
    {
        const string key = "MemFree:";
        string? line = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))
            : null;
        return line is null ? 0 : long.Parse(line[key.Length..].Trim().Split(' ')[0]) * 1024;
    }
}
