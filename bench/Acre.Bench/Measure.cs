using System.Diagnostics;

namespace Acre.Bench;

/// <summary>Timing helpers and the statistics the report uses.</summary>
public static class Measure
{
    public const double MiB = 1024 * 1024;

    public static async Task<TimeSpan> TimeAsync(Func<Task> action)
    {
        long started = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(started);
    }

    public static double Median(IReadOnlyList<double> values) => Percentile(values, 50);

    public static double Percentile(IReadOnlyList<double> values, double percent)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        double rank = percent / 100 * (sorted.Length - 1);
        int low = (int)Math.Floor(rank);
        int high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }

    /// <summary>
    /// Flushes dirty pages to disk so that writeback left by one push does not land in the next one's timing.
    /// </summary>
    public static async Task SettleDiskAsync()
    {
        using var sync = Process.Start(new ProcessStartInfo("sync") { UseShellExecute = false });
        if (sync is not null)
        {
            await sync.WaitForExitAsync();
        }
    }
}
