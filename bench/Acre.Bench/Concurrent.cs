using System.Collections.Concurrent;
using System.Diagnostics;

namespace Acre.Bench;

/// <summary>Runs one operation per item on a fixed number of concurrent clients, timing the whole and each.</summary>
public static class Concurrent
{
    public static async Task<(TimeSpan Total, IReadOnlyList<double> LatenciesMs)> RunAsync<T>(
        IReadOnlyList<T> items, int clients, Func<T, CancellationToken, Task> operation, CancellationToken ct)
    {
        var latencies = new ConcurrentBag<double>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = clients, CancellationToken = ct };
        long started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(items, options, async (item, token) =>
        {
            long begun = Stopwatch.GetTimestamp();
            await operation(item, token);
            latencies.Add(Stopwatch.GetElapsedTime(begun).TotalMilliseconds);
        });
        return (Stopwatch.GetElapsedTime(started), latencies.ToArray());
    }
}
