using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Acre.Tasks.Building;
using Acre.Tasks.Dockerfiles;
using Acre.Tasks.Steps;
using Microsoft.Extensions.Logging;

namespace Acre.Tasks.Runs;

/// <summary>
/// Runs one queued run: unpacks its uploaded context, then builds its Dockerfile or runs the steps of its task
/// file, and writes the log the CLI streams; the status is set last, once the log is complete. A run that outlives
/// its request's timeout is stopped and ends <c>Timeout</c>; one that Acre's stop cuts off stays <c>Running</c>, to
/// run again from the beginning at the next start.
/// </summary>
public sealed partial class RunExecutor(TasksOptions options, RunStore runs, ImageBuilder builder,
    ImagePublisher publisher, StepRunner steps, ArtifactContext artifacts, IEnumerable<ITaskRunObserver> observers,
    TimeProvider time, ILogger<RunExecutor> logger)
{
    /// <param name="ct">Canceled when the run is canceled.</param>
    /// <param name="stopping">Canceled when Acre stops.</param>
    public async Task ExecuteAsync(string registry, string runId, CancellationToken ct,
        CancellationToken stopping = default)
    {
        var body = await runs.GetAsync(registry, runId, ct);
        if (body?["properties"]?["status"]?.GetValue<string>() is not (RunStatus.Queued or RunStatus.Running))
        {
            return;
        }

        var request = body["request"]!.AsObject();
        string work = Path.Combine(options.WorkDirectory, $"{registry}-{runId}");
        long started = Stopwatch.GetTimestamp();
        TryDelete(work);
        using var log = new RunLog(RunLog.PathOf(options, registry, runId), time);
        await runs.UpdateAsync(registry, runId, p =>
        {
            p["status"] = RunStatus.Running;
            p["startTime"] = RunStore.Stamp(time.GetUtcNow());
        }, ct);
        LogStarted(logger, registry, runId);

        string? status;
        string? error = null;
        var run = new RunWork(registry, runId, options.LoginServer(registry), Path.Combine(work, "context"), work,
            log, builder, publisher, time);
        int timeout = RunRequests.Timeout(request);
        using var timer = new CancellationTokenSource(TimeSpan.FromSeconds(timeout), time);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(ct, stopping, timer.Token);
        try
        {
            await RunAsync(run, request, cancellation.Token);
            status = RunStatus.Succeeded;
            log.Line("");
            log.Line($"Run ID: {runId} was successful after {Elapsed(started)}");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            status = RunStatus.Canceled;
            log.Line($"Run ID: {runId} was canceled after {Elapsed(started)}");
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            status = null;
            log.Line($"Run ID: {runId} was stopped by Acre's shutdown after {Elapsed(started)}; it runs again " +
                "from the beginning when Acre starts");
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested)
        {
            status = RunStatus.Timeout;
            error = $"The run did not finish within its timeout of {timeout} seconds.";
            log.Line($"Run ID: {runId} timed out after {Elapsed(started)}. Error: {error}");
        }
        catch (Exception e)
        {
            // Whatever fails, the run must end with a status and a log line, or the CLI would wait an hour.
            status = RunStatus.Failed;
            error = e.Message;
            log.Line($"error: {e.Message}");
            log.Line($"Run ID: {runId} failed after {Elapsed(started)}. Error: {e.Message}");
        }
        finally
        {
            TryDelete(work);
        }

        log.Dispose();
        if (status is null)
        {
            return;
        }

        await runs.UpdateAsync(registry, runId, p =>
        {
            p["status"] = status;
            p["finishTime"] = RunStore.Stamp(time.GetUtcNow());
            p["outputImages"] = run.Outputs;
            if (error is not null)
            {
                p["runErrorMessage"] = error;
            }
        }, CancellationToken.None);
        LogFinished(logger, registry, runId, status);
        if (status == RunStatus.Succeeded && body["properties"]?["task"]?.GetValue<string>() is { } task)
        {
            foreach (var observer in observers)
            {
                await observer.SucceededAsync(registry, task, run.Dependencies, CancellationToken.None);
            }
        }
    }

    private async Task RunAsync(RunWork run, JsonObject request, CancellationToken ct)
    {
        Directory.CreateDirectory(run.ContextDirectory);
        if (request["sourceLocation"]?.GetValue<string>() is { Length: > 0 } sourceLocation)
        {
            run.Log.Info("Downloading source code...");
            if (ArtifactContext.IsArtifact(sourceLocation))
            {
                await artifacts.ExtractAsync(run.Registry, run.OwnHosts, sourceLocation, run.ContextDirectory, ct);
            }
            else
            {
                await using var archive = File.OpenRead(SourcePath(run.Registry, sourceLocation));
                await ArchiveExtractor.ExtractAsync(archive, run.ContextDirectory, whiteouts: false, ct);
            }
        }

        string type = request["type"]!.GetValue<string>();
        if (type == RunRequests.DockerBuild)
        {
            await DockerBuildAsync(run, request, ct);
            return;
        }

        string yaml = type == RunRequests.EncodedTask
            ? Encoding.UTF8.GetString(Convert.FromBase64String(request["encodedTaskContent"]!.GetValue<string>()))
            : await ReadContextFileAsync(run, request["taskFilePath"]!.GetValue<string>(), ct);
        var values = RunRequests.Values(request);
        if (request["valuesFilePath"]?.GetValue<string>() is { Length: > 0 } valuesFile)
        {
            foreach (var (name, value) in ValuesFile.Parse(await ReadContextFileAsync(run, valuesFile, ct)))
            {
                values.TryAdd(name, value);
            }
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ID"] = run.RunId,
            ["Registry"] = run.LoginServer,
            ["RegistryName"] = run.Registry,
            ["Date"] = time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss'z'"),
            ["OS"] = "linux",
            ["Architecture"] = "amd64",
        };
        await steps.RunAsync(run, TaskFile.Parse(TaskFile.Substitute(yaml, variables, values)), ct);
    }

    private static async Task DockerBuildAsync(RunWork run, JsonObject request, CancellationToken ct)
    {
        run.Log.Info("Building the image with Acre's built-in builder...");
        var image = await run.BuildAsync(request["dockerFilePath"]!.GetValue<string>(), ".",
            RunRequests.Arguments(request), request["target"]?.GetValue<string>(), ct);
        if (request["isPushEnabled"]?.GetValue<bool>() != true)
        {
            return;
        }

        foreach (string name in RunRequests.Images(request, run.RunId, run.LoginServer))
        {
            await run.PushAsync(name, image, ct);
        }
    }

    private static async Task<string> ReadContextFileAsync(RunWork run, string relative, CancellationToken ct)
    {
        string path = SafePath.Under(run.ContextDirectory, relative, followLast: true);
        return File.Exists(path) && new FileInfo(path).Length <= DockerfileParser.MaxBytes
            ? await File.ReadAllTextAsync(path, ct)
            : throw new DockerfileException($"'{relative}' is not in the source or is larger than 1 MiB");
    }

    private string SourcePath(string registry, string sourceLocation)
    {
        string path = Path.Combine(options.Root, sourceLocation);
        return RunRequests.IsUploadedSource(sourceLocation) &&
            sourceLocation.StartsWith($"source/{registry}/", StringComparison.Ordinal) && File.Exists(path)
            ? path
            : throw new DockerfileException($"the source '{sourceLocation}' was not uploaded to this registry");
    }

    private static string Elapsed(long started) =>
        $"{Math.Max(1, (int)Stopwatch.GetElapsedTime(started).TotalSeconds)}s";

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover work directory costs disk space only: a run that starts again clears its own first.
        }
    }

    [LoggerMessage(EventId = 5000, Level = LogLevel.Information,
        Message = "Run {RunId} of registry {Registry} started")]
    private static partial void LogStarted(ILogger logger, string registry, string runId);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information,
        Message = "Run {RunId} of registry {Registry} finished: {Status}")]
    private static partial void LogFinished(ILogger logger, string registry, string runId, string status);
}
