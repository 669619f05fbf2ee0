namespace Acre.Bench.Scenarios;

/// <summary>
/// Pushes, then pulls, N tiny images on C concurrent clients; each round uses new repositories on every
/// registry and visits the registries one after the other, so that drift hits all of them alike.
/// </summary>
public static class SmallImageScenario
{
    private const int RepositoriesPerRound = 100;

    public static async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var options = context.Options;
        var pushRates = context.Registries.ToDictionary(e => e.Name, _ => new List<double>());
        var pullRates = context.Registries.ToDictionary(e => e.Name, _ => new List<double>());
        for (int round = 0; round < options.Rounds; round++)
        {
            var sets = context.Registries.ToDictionary(e => e.Name, e => ImagesFor(e, round, options.Images));
            foreach (var endpoint in context.Registries)
            {
                var client = new RegistryClient(endpoint);
                var (total, latencies) = await Concurrent.RunAsync(
                    sets[endpoint.Name], options.Clients, (image, token) => image.PushAsync(client, token), ct);
                pushRates[endpoint.Name].Add(options.Images / total.TotalSeconds);
                NoteLatencies(context.Report, "push", endpoint, round, latencies);
            }

            foreach (var endpoint in context.Registries)
            {
                var client = new RegistryClient(endpoint);
                var (total, latencies) = await Concurrent.RunAsync(
                    sets[endpoint.Name], options.Clients, (image, token) => image.PullAsync(client, token), ct);
                pullRates[endpoint.Name].Add(options.Images / total.TotalSeconds);
                NoteLatencies(context.Report, "pull", endpoint, round, latencies);
            }
        }

        string what = $"{Report.Number(options.Images)} small images, {options.Clients} clients";
        AddRows(context, $"{what}: push", pushRates, 4);
        AddRows(context, $"{what}: pull", pullRates, 4);
    }

    private static SmallImage[] ImagesFor(Endpoint endpoint, int round, int count)
    {
        string prefix = $"small-{endpoint.Key}-r{round}";
        return Enumerable.Range(0, count)
            .Select(i => SmallImage.Create($"{prefix}/app{i % RepositoriesPerRound:D3}", $"v{i}", i))
            .ToArray();
    }

    private static void AddRows(
        BenchContext context, string what, Dictionary<string, List<double>> rates, double target)
    {
        foreach (var (name, samples) in rates)
        {
            context.Report.Note($"{what}, {name}, images/s per round: " +
                string.Join(", ", samples.Select(s => Report.Number(s))));
        }

        var acre = rates[context.AcreHttp.Name];
        context.Report.Compare(what, acre, rates[context.Distribution.Name], "Distribution", target, "images/s");
        if (context.AcreHttps is { } https)
        {
            context.Report.Compare($"{what}, Acre over HTTPS vs HTTP", rates[https.Name], acre, "Acre HTTP", null,
                "images/s");
        }
    }

    private static void NoteLatencies(Report report, string action, Endpoint endpoint, int round,
        IReadOnlyList<double> latencies)
    {
        if (round == 0)
        {
            report.Note($"small image {action} latency, {endpoint.Name}, round 1: " +
                $"p50 {Report.Number(Measure.Percentile(latencies, 50), 1)} ms, " +
                $"p99 {Report.Number(Measure.Percentile(latencies, 99), 1)} ms");
        }
    }
}
