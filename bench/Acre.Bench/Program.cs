using System.Globalization;
using Acre.Bench;
using Acre.Bench.Scenarios;

if (args is ["free-ports", var count])
{
    Console.WriteLine(string.Join(' ', PortFinder.FreePorts(int.Parse(count, CultureInfo.InvariantCulture))));
    return 0;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"acre-bench: {e.Message}");
    Console.Error.WriteLine("see docs/benchmarks.md for the options; bench/run.sh runs it all");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var context = Endpoints.Connect(options, new Report());
var started = DateTimeOffset.UtcNow;
long? idleBefore = IdleMemory.Before(context);
(string Name, Func<BenchContext, CancellationToken, Task> Run)[] scenarios =
[
    ("startup", StartupScenario.RunAsync),
    ("catalog", CatalogScenario.RunAsync),
    ("small", SmallImageScenario.RunAsync),
    ("blobs", BlobScenario.RunAsync),
    ("bigpush", BigPushScenario.RunAsync),
];
bool cacheFilled = !options.FillPageCache;
foreach (var (name, run) in scenarios.Where(s => options.Scenarios.Contains(s.Name)))
{
    if (!cacheFilled && name is "blobs" or "bigpush")
    {
        Console.Error.WriteLine($"[{DateTimeOffset.Now:HH:mm:ss}] filling the page cache");
        await PageCache.FillAsync(options.WorkDir, context.Report, cancel.Token);
        cacheFilled = true;
    }

    Console.Error.WriteLine($"[{DateTimeOffset.Now:HH:mm:ss}] {name}");
    await run(context, cancel.Token);
}

await IdleMemory.AfterAsync(context, idleBefore, cancel.Token);
string markdown = RunDescription.Render(context, started, args) + context.Report.ToMarkdown("Results");
Console.WriteLine(markdown);
if (options.Output is { } output)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    await File.WriteAllTextAsync(output, markdown);
}

return 0;
