using System.Diagnostics;

namespace Acre.Bench;

/// <summary>
/// CPU time spent between two snapshots: by the server process (from <c>/proc/PID/stat</c>), by this client, and
/// by the whole machine (from <c>/proc/stat</c>), which also counts the kernel's own threads (writeback, reclaim).
/// </summary>
public sealed record CpuUsage(double ServerSeconds, double ClientSeconds, double MachineSeconds)
{
    private const double TicksPerSecond = 100;

    public static CpuSnapshot Snapshot(int? serverPid) => new(
        serverPid is { } pid ? ProcessTicks(pid) : 0,
        Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds,
        MachineBusyTicks());

    public static CpuUsage Since(CpuSnapshot start, int? serverPid)
    {
        var end = Snapshot(serverPid);
        return new CpuUsage(
            (end.ServerTicks - start.ServerTicks) / TicksPerSecond,
            end.ClientSeconds - start.ClientSeconds,
            (end.MachineTicks - start.MachineTicks) / TicksPerSecond);
    }

    /// <summary>utime + stime of a process and its live children (nginx's workers), in clock ticks.</summary>
    private static long ProcessTicks(int pid)
    {
        string children = $"/proc/{pid}/task/{pid}/children";
        string[] childPids = File.Exists(children)
            ? File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : [];
        long childTicks = childPids.Sum(child => OwnTicks(int.Parse(child)));
        return OwnTicks(pid) + childTicks;
    }

    private static long OwnTicks(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11]) + long.Parse(fields[12]);
    }

    /// <summary>All CPU ticks of the machine that were not idle or waiting for I/O.</summary>
    private static long MachineBusyTicks()
    {
        string[] fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long[] ticks = fields.Skip(1).Select(long.Parse).ToArray();
        return ticks.Take(8).Sum() - ticks[3] - ticks[4];
    }
}

public sealed record CpuSnapshot(long ServerTicks, double ClientSeconds, long MachineTicks);
