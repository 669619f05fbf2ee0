namespace Acre.Bench.Scenarios;

/// <summary>VmRSS of the running servers at rest: once before any scenario, once after all of them.</summary>
public static class IdleMemory
{
    private static readonly TimeSpan RestBeforeAfterReading = TimeSpan.FromSeconds(5);

    public static long? Before(BenchContext context)
    {
        long? acre = ProcessMemory.ResidentBytes(context.Acre.Pid);
        context.Report.Note($"idle VmRSS before the runs: Acre {Mib(acre)}, " +
            $"Distribution {Mib(context.Distribution.Pid is { } pid ? ProcessMemory.ResidentBytes(pid) : null)}");
        return acre;
    }

    public static async Task AfterAsync(BenchContext context, long? before, CancellationToken ct)
    {
        await Task.Delay(RestBeforeAfterReading, ct);
        long? acre = ProcessMemory.ResidentBytes(context.Acre.Pid);
        long? distribution = context.Distribution.Pid is { } pid ? ProcessMemory.ResidentBytes(pid) : null;
        context.Report.Note($"idle VmRSS after the runs ({RestBeforeAfterReading.TotalSeconds} s at rest): " +
            $"Acre {Mib(acre)}, Distribution {Mib(distribution)}");
        if (before is { } first)
        {
            context.Report.AtMost("Idle memory of the benchmarked Acre, before the runs (VmRSS)", first / Measure.MiB,
                60, "MiB");
        }

        if (acre is { } last)
        {
            context.Report.AtMost("Idle memory of the benchmarked Acre, after the runs (VmRSS)", last / Measure.MiB, 60,
                "MiB", distribution is { } d ? $"{Report.Mib(d)} (Distribution)" : null);
        }
    }

    private static string Mib(long? bytes) => bytes is { } b ? Report.Mib(b) : "n/a";
}
