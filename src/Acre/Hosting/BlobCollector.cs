using Acre.Cli;
using Acre.Storage;

namespace Acre.Hosting;

/// <summary>
/// Collects, online, upload sessions idle past the grace period and blobs that nothing has used for as long.
/// A blob and a push that links it hold the same digest lock, so a collection never races a push.
/// </summary>
public sealed partial class BlobCollector(
    IMetadataStore metadata, IBlobStore blobs, DigestLocks locks, AcreOptions options, TimeProvider time,
    ILogger<BlobCollector> logger) : BackgroundService
{
    public async Task<CollectionResult> CollectAsync(CancellationToken ct)
    {
        var cutoff = time.GetUtcNow() - options.CollectGrace;
        var stale = await metadata.ListStaleUploadsAsync(cutoff, ct);
        foreach (string id in stale)
        {
            await metadata.DeleteUploadAsync(id, ct);
            blobs.DeleteUpload(id);
        }

        var (candidates, links) = await metadata.MarkUnusedBlobsAsync(cutoff, ct);
        int removed = 0;
        foreach (var digest in candidates)
        {
            using var held = await locks.AcquireAsync(digest, ct);
            if (await metadata.RemoveBlobIfUnusedAsync(digest, cutoff, ct))
            {
                blobs.Delete(digest);
                removed++;
            }
        }

        var result = new CollectionResult(removed, stale.Count, links);
        if (removed + stale.Count + links > 0)
        {
            LogCollected(logger, removed, stale.Count, links);
        }

        return result;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CollectInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CollectAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
        }
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information,
        Message = "Collected {Blobs} unused blobs, {Uploads} stale uploads and {Links} unreferenced blob links")]
    private static partial void LogCollected(ILogger logger, int blobs, int uploads, int links);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Collection failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
