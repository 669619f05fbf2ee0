namespace Acre.Bench.Scenarios;

/// <summary>
/// Fills each registry with N repositories of one tiny image, then times full walks of
/// <c>/v2/_catalog?n=100</c> along <c>Link</c>, alternating registries walk by walk.
/// </summary>
public static class CatalogScenario
{
    public static async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var options = context.Options;
        var report = context.Report;
        var images = Enumerable.Range(0, options.Repositories)
            .Select(i => SmallImage.Create($"catalog/repo-{i:D5}", "v1", i))
            .ToArray();
        Endpoint[] registries = [context.AcreHttp, context.Distribution];
        foreach (var endpoint in registries)
        {
            var client = new RegistryClient(endpoint);
            var (total, _) = await Concurrent.RunAsync(
                images, options.Clients, (image, token) => image.PushAsync(client, token), ct);
            report.Note($"catalog set-up, {endpoint.Name}: {images.Length} repositories pushed in " +
                $"{Report.Number(total.TotalSeconds, 1)} s");
        }

        var pagesPerSecond = registries.ToDictionary(e => e.Name, _ => new List<double>());
        for (int walk = 0; walk < options.CatalogWalks; walk++)
        {
            foreach (var endpoint in registries)
            {
                var client = new RegistryClient(endpoint);
                (int names, int pages) = (0, 0);
                var elapsed = await Measure.TimeAsync(async () =>
                    (names, pages) = await client.WalkCatalogAsync(options.PageSize, ct));
                pagesPerSecond[endpoint.Name].Add(pages / elapsed.TotalSeconds);
                if (walk == 0)
                {
                    report.Note($"catalog walk, {endpoint.Name}: {names} names in {pages} pages, " +
                        $"{Report.Number(elapsed.TotalMilliseconds, 1)} ms for the first walk");
                }
            }
        }

        foreach (var (name, samples) in pagesPerSecond)
        {
            report.Note($"catalog pages/s, {name}: {string.Join(", ", samples.Select(s => Report.Number(s)))}");
        }

        var acre = pagesPerSecond[context.AcreHttp.Name];
        var distribution = pagesPerSecond[context.Distribution.Name];
        report.Compare($"Catalog paging, n={options.PageSize} over {Report.Number(options.Repositories)} repositories",
            acre, distribution, "Distribution", 10, "pages/s");
    }
}
