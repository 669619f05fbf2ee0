using Acre.Cli;
using Acre.Storage;

namespace Acre.Hosting;

/// <summary>
/// Collects, online, upload sessions idle past the grace period and blobs that nothing has used for as long.
/// A blob and a push that links it hold the same digest lock, so a collection never races a push.
/// </summary>
public sealed partial class BlobCollector(
    IMetadataStore metadata, IBlobStore blobs, DigestLocks locks, UploadLocks sessions, AcreOptions options,
    TimeProvider time, ILogger<BlobCollector> logger) : BackgroundService
{
    public async Task<CollectionResult> CollectAsync(CancellationToken ct)
    {
        var cutoff = time.GetUtcNow() - options.CollectGrace;
        int uploads = 0;
        foreach (string id in await metadata.ListStaleUploadsAsync(cutoff, ct))
        {
            if (await CollectUploadAsync(id, cutoff, ct))
            {
                uploads++;
            }
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

        var result = new CollectionResult(removed, uploads, links);
        if (removed + uploads + links > 0)
        {
            LogCollected(logger, removed, uploads, links);
        }

        return result;
    }

    /// <summary>Deletes an idle session unless a request is using it, or used it since it was listed.</summary>
    private async Task<bool> CollectUploadAsync(string id, DateTimeOffset cutoff, CancellationToken ct)
    {
        using var held = sessions.TryAcquire(id);
        if (held is null || await metadata.GetUploadAsync(id, ct) is not { } upload || upload.Updated >= cutoff)
        {
            return false;
        }

        await metadata.DeleteUploadAsync(id, ct);
        blobs.DeleteUpload(id);
        return true;
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
