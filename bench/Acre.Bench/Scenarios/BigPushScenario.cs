namespace Acre.Bench.Scenarios;

/// <summary>
/// Pushes one very large blob (monolithic PUT) to Acre over HTTP, then to Distribution, sampling each server's
/// VmRSS every 20 ms during its push.
/// </summary>
public static class BigPushScenario
{
    /// <summary>What "flat" allows: Kestrel's request buffer plus the blob store's copy buffer, with room.</summary>
    public const double FlatGrowthMiB = 16;

    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(20);

    public static async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        long size = context.Options.BigBlobMiB * 1024L * 1024;
        var data = new BlobData(4242, size);
        string digest = data.Digest();
        var results = new Dictionary<string, MemorySampler>();
        foreach (var endpoint in new[] { context.AcreHttp, context.Distribution })
        {
            if (endpoint.Pid is not { } pid)
            {
                continue;
            }

            await Measure.SettleDiskAsync();
            var client = new RegistryClient(endpoint);
            var sampler = new MemorySampler(pid, SampleInterval);
            var elapsed = await Measure.TimeAsync(() =>
                client.PushMonolithicAsync("bench/big", new GeneratedContent(data, 0, size), digest, ct));
            await sampler.DisposeAsync();
            results[endpoint.Name] = sampler;
            context.Report.Note($"{Report.Size(context.Options.BigBlobMiB)} push, {endpoint.Name}: " +
                $"{Report.Number(size / Measure.MiB / elapsed.TotalSeconds)} MiB/s; VmRSS before " +
                $"{Report.Mib(sampler.First)}, peak {Report.Mib(sampler.Peak)}, after {Report.Mib(sampler.Last)} " +
                $"({sampler.Samples} samples)");
        }

        if (results.GetValueOrDefault(context.AcreHttp.Name) is { } acre)
        {
            string reference = results.GetValueOrDefault(context.Distribution.Name) is { } other
                ? $"+{Report.Mib(other.Peak - other.First)} (Distribution)"
                : "";
            context.Report.AtMost($"VmRSS growth while pushing {Report.Size(context.Options.BigBlobMiB)} " +
                $"(peak {Report.Mib(acre.Peak)})", (acre.Peak - acre.First) / Measure.MiB, FlatGrowthMiB, "MiB",
                reference);
        }
    }
}
