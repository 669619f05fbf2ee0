using System.Diagnostics;
using System.Net;

namespace Acre.Bench.Scenarios;

/// <summary>
/// Starts throwaway Acre processes and times each from <see cref="Process.Start()"/> to the first 200 of
/// <c>GET /health</c>: once on an empty data directory (it makes the CA and keys), then on the kept one.
/// Two seconds after the first answer it reads the process's VmRSS, then kills the process it started.
/// </summary>
public static class StartupScenario
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan IdleSettle = TimeSpan.FromSeconds(2);

    public static async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var options = context.Options;
        if (options.AcreDll is not { } dll)
        {
            context.Report.Note("start-up not measured: no --acre-dll");
            return;
        }

        using var http = LoopbackHttp.Create();
        await WarmUpClientAsync(http, context.AcreHttp.BaseUri, ct);
        string dataDir = Path.Combine(options.WorkDir, "startup-data");
        var cold = await StartOnceAsync(http, dll, dataDir, options.AcrePassword, ct);
        var warm = new List<StartSample>();
        for (int i = 0; i < options.Starts; i++)
        {
            warm.Add(await StartOnceAsync(http, dll, dataDir, options.AcrePassword, ct));
        }

        var report = context.Report;
        string coldMs = Report.Number(cold.FirstAnswer.TotalMilliseconds, 1);
        report.Note($"start to first answer, empty data dir: {coldMs} ms");
        report.Note("start to first answer, kept data dir, ms: " +
            string.Join(", ", warm.Select(s => Report.Number(s.FirstAnswer.TotalMilliseconds, 1))));
        report.Note("idle VmRSS 2 s after the first answer, MiB: " +
            string.Join(", ", warm.Prepend(cold).Select(s => Report.Number(s.IdleRss / Measure.MiB, 1))));
        report.AtMost($"Start to first answer (`dotnet acre.dll`, kept data dir, median of {warm.Count})",
            Measure.Median(warm.Select(s => s.FirstAnswer.TotalMilliseconds).ToArray()), 100, "ms",
            $"{Report.Number(cold.FirstAnswer.TotalMilliseconds)} ms on an empty data dir");
        report.AtMost("Idle memory 2 s after start (VmRSS, fresh process)",
            Measure.Median(warm.Select(s => s.IdleRss / Measure.MiB).ToArray()), 60, "MiB");
    }

    private static async Task<StartSample> StartOnceAsync(
        HttpClient http, string dll, string dataDir, string password, CancellationToken ct)
    {
        int[] ports = PortFinder.FreePorts(2);
        // Acre's host watches its working directory tree for configuration changes; an empty one keeps that cheap.
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Directory.CreateDirectory(dataDir + "-cwd").FullName,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in new[] { dll, "--data-dir", dataDir, "--port", $"{ports[0]}", "--http-port",
            $"{ports[1]}", "--admin-password", password, "--log-level", "Warning" })
        {
            start.ArgumentList.Add(arg);
        }

        var health = new Uri($"http://127.0.0.1:{ports[1]}/health");
        long started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        try
        {
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await WaitForHealthAsync(http, health, process, ct);
            var firstAnswer = Stopwatch.GetElapsedTime(started);
            await Task.Delay(IdleSettle, ct);
            return new StartSample(firstAnswer, ProcessMemory.ResidentBytes(process.Id) ?? 0);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static async Task WaitForHealthAsync(HttpClient http, Uri health, Process process, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"acre exited with {process.ExitCode} before answering");
            }

            try
            {
                using var response = await http.GetAsync(health, ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(PollInterval, ct);
        }

        throw new TimeoutException($"{health} did not answer within 30 s");
    }

    /// <summary>Runs the client's first-request and refused-connection paths once, so their JIT is not timed.</summary>
    private static async Task WarmUpClientAsync(HttpClient http, Uri running, CancellationToken ct)
    {
        using var response = await http.GetAsync(new Uri(running, "/health"), ct);
        try
        {
            var closedPort = new Uri($"http://127.0.0.1:{PortFinder.FreePorts(1)[0]}/health");
            using var refused = await http.GetAsync(closedPort, ct);
        }
        catch (HttpRequestException)
        {
        }
    }

    private sealed record StartSample(TimeSpan FirstAnswer, long IdleRss);
}
