using System.Diagnostics;
using System.Text.Json.Nodes;
using Acre.Tasks.Building;
using Acre.Tasks.Dockerfiles;
using Microsoft.Extensions.Logging;

namespace Acre.Tasks.Runs;

/// <summary>
/// Runs one queued Docker build: unpacks the uploaded context, builds its Dockerfile, pushes the image under
/// each requested name, and writes the log the CLI streams; the status is set last, once the log is complete.
/// </summary>
public sealed partial class RunExecutor(TasksOptions options, RunStore runs, ImageBuilder builder,
    ImagePublisher publisher, TimeProvider time, ILogger<RunExecutor> logger)
{
    public async Task ExecuteAsync(string registry, string runId, CancellationToken ct)
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

        string status;
        string? error = null;
        var outputs = new JsonArray();
        try
        {
            await BuildAsync(registry, runId, request, work, log, outputs, ct);
            status = RunStatus.Succeeded;
            log.Line("");
            log.Line($"Run ID: {runId} was successful after {Elapsed(started)}");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            status = RunStatus.Canceled;
            log.Line($"Run ID: {runId} was canceled after {Elapsed(started)}");
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
        await runs.UpdateAsync(registry, runId, p =>
        {
            p["status"] = status;
            p["finishTime"] = RunStore.Stamp(time.GetUtcNow());
            p["outputImages"] = outputs;
            if (error is not null)
            {
                p["runErrorMessage"] = error;
            }
        }, CancellationToken.None);
        LogFinished(logger, registry, runId, status);
    }

    private async Task BuildAsync(string registry, string runId, JsonObject request, string work, RunLog log,
        JsonArray outputs, CancellationToken ct)
    {
        log.Info("Downloading source code...");
        string source = SourcePath(registry, request["sourceLocation"]!.GetValue<string>());
        string context = Path.Combine(work, "context");
        await using (var archive = File.OpenRead(source))
        {
            await ArchiveExtractor.ExtractAsync(archive, context, whiteouts: false, ct);
        }

        string dockerfile = SafePath.Under(context, request["dockerFilePath"]!.GetValue<string>());
        if (!File.Exists(dockerfile) || new FileInfo(dockerfile).Length > DockerfileParser.MaxBytes)
        {
            throw new DockerfileException($"the Dockerfile '{request["dockerFilePath"]}' is not in the context " +
                $"or is larger than {DockerfileParser.MaxBytes} bytes");
        }

        var instructions = DockerfileParser.Parse(await File.ReadAllTextAsync(dockerfile, ct));
        string loginServer = options.LoginServer(registry);
        string host = loginServer.Split(':')[0];
        string[] ownHosts = [loginServer, host, "localhost" + loginServer[host.Length..]];
        var build = new BuildRequest(registry, ownHosts, context, work, RunRequests.Arguments(request),
            request["target"]?.GetValue<string>());
        log.Info("Building the image with Acre's built-in builder...");
        var image = await builder.BuildAsync(instructions, build, log.Line, ct);
        var (config, manifest) = ImagePublisher.Serialize(image, time.GetUtcNow());
        log.Line($"Successfully built {Content.Digest.Compute(config).Hex[..12]}");

        if (request["isPushEnabled"]?.GetValue<bool>() != true)
        {
            return;
        }

        foreach (string name in RunRequests.Images(request, runId, loginServer))
        {
            var (repository, tag) = SplitImage(name, ownHosts);
            log.Info($"Pushing image: {loginServer}/{repository}:{tag}, attempt 1");
            var digest = await publisher.PublishAsync(registry, repository, [tag], image, config, manifest,
                $"run/{runId}", ct);
            log.Info($"Successfully pushed image: {loginServer}/{repository}:{tag}");
            outputs.Add(new JsonObject
            {
                ["registry"] = loginServer,
                ["repository"] = repository,
                ["tag"] = tag,
                ["digest"] = digest.ToString(),
            });
        }
    }

    private string SourcePath(string registry, string sourceLocation)
    {
        string path = Path.Combine(options.Root, sourceLocation);
        return RunRequests.IsUploadedSource(sourceLocation) &&
            sourceLocation.StartsWith($"source/{registry}/", StringComparison.Ordinal) && File.Exists(path)
            ? path
            : throw new DockerfileException($"the source '{sourceLocation}' was not uploaded to this registry");
    }

    private static (string Repository, string Tag) SplitImage(string name, string[] ownHosts)
    {
        int slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && ownHosts.Contains(name[..slash], StringComparer.OrdinalIgnoreCase))
        {
            name = name[(slash + 1)..];
        }
        else if (slash > 0 && name[..slash].IndexOfAny(['.', ':']) >= 0)
        {
            throw new DockerfileException($"'{name}' names another registry; a run pushes to its own registry only");
        }

        int colon = name.LastIndexOf(':');
        return colon > 0 ? (name[..colon], name[(colon + 1)..]) : (name, "latest");
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
