using System.Collections.Concurrent;
using System.Threading.Channels;
using Acre.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acre.Tasks.Runs;

/// <summary>
/// Runs queued runs one at a time. The queue is the run records themselves: at start-up every run still
/// Queued or Running (cut off by a stop) is queued again, so scheduled runs survive a restart.
/// </summary>
public sealed partial class RunQueue(IMetadataStore metadata, RunStore runs, RunExecutor executor,
    ILogger<RunQueue> logger) : BackgroundService
{
    private readonly Channel<(string Registry, string RunId)> _queue =
        Channel.CreateUnbounded<(string, string)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly ConcurrentDictionary<(string, string), CancellationTokenSource> _running = new();

    public void Enqueue(string registry, string runId) => _queue.Writer.TryWrite((registry, runId));

    /// <summary>Marks a run Canceled; a running build is stopped, a queued one skipped when its turn comes.</summary>
    public async Task<bool> CancelAsync(string registry, string runId, CancellationToken ct)
    {
        var body = await runs.UpdateAsync(registry, runId, p =>
        {
            if (!RunStatus.IsFinished(p["status"]?.GetValue<string>()))
            {
                p["status"] = RunStatus.Canceled;
                p["finishTime"] ??= RunStore.Stamp(DateTimeOffset.UtcNow);
            }
        }, ct);
        if (_running.TryGetValue((registry, runId), out var cancellation))
        {
            await cancellation.CancelAsync();
        }

        return body is not null;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RequeueAsync(stoppingToken);
        await foreach (var (registry, runId) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            _running[(registry, runId)] = cancellation;
            try
            {
                await executor.ExecuteAsync(registry, runId, cancellation.Token);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFailed(logger, registry, runId, e);
            }
            finally
            {
                _running.TryRemove((registry, runId), out _);
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

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information,
        Message = "Run {RunId} of registry {Registry} queued again after a restart")]
    private static partial void LogRequeued(ILogger logger, string registry, string runId);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Error, Message = "Run {RunId} of registry {Registry} failed")]
    private static partial void LogFailed(ILogger logger, string registry, string runId, Exception exception);
}
