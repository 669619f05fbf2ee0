using System.Security.Cryptography;

namespace Acre.Bench.Scenarios;

/// <summary>
/// Pushes a large blob monolithically (POST + one PUT) and in PATCH chunks, then pulls it, on every registry in
/// turn, each round with new content; nginx serves a file of the same bytes for the pull comparison.
/// </summary>
public static class BlobScenario
{
    private const string Repository = "bench/blobs";

    public static async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var options = context.Options;
        long size = options.BlobMiB * 1024L * 1024;
        var samples = new Samples();
        var pushed = new Dictionary<string, BlobData>();
        string? nginxPath = await WriteNginxFileAsync(context, size, ct);

        for (int round = 0; round < options.Rounds; round++)
        {
            for (int e = 0; e < context.Registries.Count; e++)
            {
                var endpoint = context.Registries[e];
                var client = new RegistryClient(endpoint);
                var mono = new BlobData(Seed(round, e, 0), size);
                string digest = mono.Digest();
                await Measure.SettleDiskAsync();
                await samples.TimeAsync($"push monolithic, {endpoint.Name}", endpoint.Pid, size, () =>
                    client.PushMonolithicAsync(Repository, new GeneratedContent(mono, 0, size), digest, ct));
                pushed[endpoint.Name] = mono;

                var chunked = new BlobData(Seed(round, e, 1), size);
                await Measure.SettleDiskAsync();
                await samples.TimeAsync($"push chunked, {endpoint.Name}", endpoint.Pid, size, () =>
                    client.PushChunkedAsync(Repository, chunked, options.ChunkMiB * 1024 * 1024, ct));

                await samples.TimeAsync($"pull, {endpoint.Name}", endpoint.Pid, size, () =>
                    client.PullBlobAsync(Repository, digest, null, ct));
            }

            if (context.Nginx is { } nginx && nginxPath is not null)
            {
                var client = new RegistryClient(nginx);
                await samples.TimeAsync($"pull, {nginx.Name}", context.Options.NginxPid, size, () =>
                    client.DownloadAsync(nginxPath, null, ct));
            }
        }

        await VerifyPullsAsync(context, pushed, ct);
        samples.NoteAll(context.Report);
        AddRows(context, samples, options.BlobMiB);
    }

    private static void AddRows(BenchContext context, Samples samples, int mib)
    {
        var report = context.Report;
        string acre = context.AcreHttp.Name, distribution = context.Distribution.Name;
        string blob = Report.Size(mib);
        (string Label, string Key, double Target)[] rows =
        [
            ($"{blob} blob push, monolithic PUT", "push monolithic", 3.5),
            ($"{blob} blob push, {context.Options.ChunkMiB} MiB PATCH chunks", "push chunked", 3.5),
            ($"{blob} blob pull", "pull", 1.45),
        ];
        foreach (var (label, key, target) in rows)
        {
            report.Compare(label, samples[$"{key}, {acre}"], samples[$"{key}, {distribution}"],
                "Distribution", target, "MiB/s");
        }

        if (context.Nginx is { } nginx)
        {
            report.Compare($"{blob} blob pull, Acre vs nginx", samples[$"pull, {acre}"],
                samples[$"pull, {nginx.Name}"], "nginx", 0.8, "MiB/s");
        }

        if (context.AcreHttps is { } https)
        {
            foreach (var (label, key, _) in rows)
            {
                report.Compare($"{label}, Acre over HTTPS vs HTTP", samples[$"{key}, {https.Name}"],
                    samples[$"{key}, {acre}"], "Acre HTTP", null, "MiB/s");
            }
        }
    }

    /// <summary>One more pull of each pushed blob, hashed this time, outside every timing.</summary>
    private static async Task VerifyPullsAsync(BenchContext context, Dictionary<string, BlobData> pushed,
        CancellationToken ct)
    {
        foreach (var endpoint in context.Registries)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            string digest = pushed[endpoint.Name].Digest();
            await new RegistryClient(endpoint).PullBlobAsync(Repository, digest, hash, ct);
            string actual = "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
            if (actual != digest)
            {
                throw new InvalidOperationException($"{endpoint.Name} served {actual} for {digest}");
            }
        }

        context.Report.Note("every registry served the last blob it was sent byte for byte (hashed after the timings)");
    }

    /// <summary>
    /// Writes the nginx file once (not timed), with the bytes of Acre's first monolithic blob; returns its URL path,
    /// or null without nginx.
    /// </summary>
    private static async Task<string?> WriteNginxFileAsync(BenchContext context, long size, CancellationToken ct)
    {
        if (context.Nginx is null || context.Options.NginxRoot is not { } root)
        {
            return null;
        }

        const string name = "blob.bin";
        await using (var file = File.Create(Path.Combine(root, name)))
        {
            await new GeneratedContent(new BlobData(Seed(0, 0, 0), size), 0, size).CopyToAsync(file, ct);
        }

        return "/" + name;
    }

    private static long Seed(int round, int endpoint, int mode) => 1000 + (round * 100) + (endpoint * 10) + mode;

    /// <summary>Throughput samples by label, in MiB/s, with the CPU time each operation cost.</summary>
    private sealed class Samples
    {
        private readonly Dictionary<string, List<double>> _byLabel = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<(double Wall, CpuUsage Cpu)>> _cpu = new(StringComparer.Ordinal);

        public IReadOnlyList<double> this[string label] => _byLabel[label];

        public async Task TimeAsync(string label, int? serverPid, long bytes, Func<Task> operation)
        {
            var before = CpuUsage.Snapshot(serverPid);
            var elapsed = await Measure.TimeAsync(operation);
            var cpu = CpuUsage.Since(before, serverPid);
            double gib = bytes / (Measure.MiB * 1024);
            Add(_byLabel, label, bytes / Measure.MiB / elapsed.TotalSeconds);
            Add(_cpu, label, (elapsed.TotalSeconds / gib, cpu with
            {
                ServerSeconds = cpu.ServerSeconds / gib,
                ClientSeconds = cpu.ClientSeconds / gib,
                MachineSeconds = cpu.MachineSeconds / gib,
            }));
            Console.Error.WriteLine($"  {label}: {Report.Number(bytes / Measure.MiB / elapsed.TotalSeconds)} MiB/s");
        }

        public void NoteAll(Report report)
        {
            foreach (var (label, values) in _byLabel)
            {
                string perRound = string.Join(", ", values.Select(v => Report.Number(v)));
                var cpu = _cpu[label];
                report.Note($"blob {label}, MiB/s per round: {perRound}; per GiB, mean of rounds: wall " +
                    $"{Seconds(cpu.Select(c => c.Wall))}, " +
                    $"CPU of the server {Seconds(cpu.Select(c => c.Cpu.ServerSeconds))}, " +
                    $"of the client {Seconds(cpu.Select(c => c.Cpu.ClientSeconds))}, " +
                    $"of the whole machine {Seconds(cpu.Select(c => c.Cpu.MachineSeconds))}");
            }
        }

        private static string Seconds(IEnumerable<double> values) => Report.Number(values.Average(), 2) + " s";

        private static void Add<T>(Dictionary<string, List<T>> byLabel, string label, T value)
        {
            if (!byLabel.TryGetValue(label, out var list))
            {
                byLabel[label] = list = [];
            }

            list.Add(value);
        }
    }
}
