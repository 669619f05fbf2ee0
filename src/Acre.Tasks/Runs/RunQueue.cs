using System.Collections.Concurrent;
using System.Threading.Channels;
using Acre.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acre.Tasks.Runs;

/// <summary>
/// Runs queued runs in the order they were queued, up to <see cref="TasksOptions.ConcurrentRuns"/> at once. The
/// queue is the run records themselves: at start-up the work directories left by a crash are cleared and every run
/// still Queued or Running (cut off by a stop) is queued again, so scheduled runs survive a restart. A run is held
/// from its queuing to its end, so queuing it again meanwhile does nothing and it never executes twice at once.
/// </summary>
public sealed partial class RunQueue(IMetadataStore metadata, RunStore runs, RunExecutor executor,
    TasksOptions options, TimeProvider time, ILogger<RunQueue> logger) : BackgroundService
{
    private readonly Channel<(string Registry, string RunId)> _queue = Channel.CreateUnbounded<(string, string)>();

    /// <summary>The runs queued or executing.</summary>
    private readonly ConcurrentDictionary<(string, string), bool> _held = new();

    /// <summary>The cancellation of each executing run.</summary>
    private readonly ConcurrentDictionary<(string, string), CancellationTokenSource> _running = new();

    public void Enqueue(string registry, string runId)
    {
        if (_held.TryAdd((registry, runId), true))
        {
            _queue.Writer.TryWrite((registry, runId));
        }
    }

    /// <summary>Whether the run waits in the queue or executes now.</summary>
    public bool Holds(string registry, string runId) => _held.ContainsKey((registry, runId));

    /// <summary>Marks a run Canceled; a running build is stopped, a queued one skipped when its turn comes.</summary>
    public async Task<bool> CancelAsync(string registry, string runId, CancellationToken ct)
    {
        var body = await runs.UpdateAsync(registry, runId, p =>
        {
            if (!RunStatus.IsFinished(p["status"]?.GetValue<string>()))
            {
                p["status"] = RunStatus.Canceled;
                p["finishTime"] ??= RunStore.Stamp(time.GetUtcNow());
            }
        }, ct);
        await StopAsync(registry, runId);
        return body is not null;
    }

    /// <summary>Stops the executing runs of a registry that is gone; its queued runs find no record and end.</summary>
    public async Task StopRegistryAsync(string registry)
    {
        foreach (var (runRegistry, runId) in _running.Keys.Where(k => k.Item1 == registry))
        {
            await StopAsync(runRegistry, runId);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Start-up goes on meanwhile; runs queued now wait until the workers start.
        await Task.Yield();
        ClearWorkDirectories();
        await RequeueAsync(stoppingToken);
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.ConcurrentRuns))
            .Select(_ => Task.Run(() => WorkAsync(stoppingToken), CancellationToken.None)));
    }

    /// <summary>One worker: executes one run after another, as one ACR agent does.</summary>
    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (registry, runId) in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                using var cancellation = new CancellationTokenSource();
                _running[(registry, runId)] = cancellation;
                try
                {
                    await executor.ExecuteAsync(registry, runId, cancellation.Token, stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogFailed(logger, registry, runId, e);
                }
                finally
                {
                    _running.TryRemove((registry, runId), out _);
                    _held.TryRemove((registry, runId), out _);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Acre stops: runs still queued stay Queued in the store and are queued again at the next start.
        }
    }

    private async Task StopAsync(string registry, string runId)
    {
        if (_running.TryGetValue((registry, runId), out var cancellation))
        {
            try
            {
                await cancellation.CancelAsync();
            }
            catch (ObjectDisposedException)
            {
                // The run ended meanwhile.
            }
        }
    }

    private async Task RequeueAsync(CancellationToken ct)
    {
        foreach (var registry in await metadata.ListRegistriesAsync(ct))
        {
            var pending = (await runs.ListAsync(registry.Name, ct))
                .Select(r => r["properties"]!)
                .Where(p => p["status"]?.GetValue<string>() is RunStatus.Queued or RunStatus.Running)
                .Select(p => p["runId"]!.GetValue<string>())
                .OrderBy(id => id.Length).ThenBy(id => id, StringComparer.Ordinal);
            foreach (string runId in pending)
            {
                LogRequeued(logger, registry.Name, runId);
                Enqueue(registry.Name, runId);
            }
        }
    }

    /// <summary>Nothing executes yet: whatever is in the work directory was left by runs a crash cut off.</summary>
    private void ClearWorkDirectories()
    {
        if (!Directory.Exists(options.WorkDirectory))
        {
            return;
        }

        foreach (string directory in Directory.EnumerateDirectories(options.WorkDirectory))
        {
            TaskFiles.TryDelete(directory);
        }
    }

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information,
        Message = "Run {RunId} of registry {Registry} queued again after a restart")]
    private static partial void LogRequeued(ILogger logger, string registry, string runId);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Error, Message = "Run {RunId} of registry {Registry} failed")]
    private static partial void LogFailed(ILogger logger, string registry, string runId, Exception exception);
}
