using System.Globalization;
using System.Text.RegularExpressions;
using Acre.Tasks.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Acre.Tasks.Blobs;

/// <summary>
/// The blob-style host of ACR Tasks, <c>acreuploads.blob.{suffix}</c>: the Storage SDK's block-blob uploads of
/// build contexts (<c>/source/…</c>) and the growing run logs it streams (<c>/logs/…</c>), each URL signed.
/// </summary>
public sealed partial class BlobEndpoints(TasksOptions options, BlobSignatures signatures, SourceUploads uploads,
    RunStore runs, TimeProvider time)
{
    public void Map(IEndpointRouteBuilder endpoints)
    {
        string host = options.BlobHost;
        endpoints.MapPut("/source/{registry}/{file}", PutSourceAsync).RequireHost(host);
        endpoints.MapMethods("/logs/{registry}/{file}", [HttpMethods.Get, HttpMethods.Head], GetLogAsync)
            .RequireHost(host);
    }

    private async Task<IResult> PutSourceAsync(HttpContext http, string registry, string file)
    {
        string path = $"source/{registry}/{file}";
        if (!RunRequests.IsUploadedSource(path) || !signatures.Verify(path, http.Request.Query, 'w'))
        {
            return StorageError.AuthenticationFailed(http);
        }

        string comp = http.Request.Query["comp"].ToString();
        var result = comp switch
        {
            "block" => await uploads.PutBlockAsync(path, http.Request.Query["blockid"].ToString(), http.Request.Body,
                http.RequestAborted),
            "blocklist" => await uploads.CommitBlockListAsync(path, http.Request.Body, http.RequestAborted),
            "" when http.Request.Headers["x-ms-blob-type"] == "BlockBlob" =>
                await uploads.PutBlobAsync(path, http.Request.Body, http.RequestAborted),
            _ => UploadResult.Invalid(
                "Only block blobs are accepted: x-ms-blob-type BlockBlob, comp=block or blocklist."),
        };
        if (result.Error is { } error)
        {
            return StorageError.Result(http, result.Status, result.Code!, error);
        }

        Stamp(http, time.GetUtcNow());
        http.Response.Headers["x-ms-request-server-encrypted"] = "true";
        return Results.StatusCode(StatusCodes.Status201Created);
    }

    private async Task<IResult> GetLogAsync(HttpContext http, string registry, string file)
    {
        var match = LogFilePattern().Match(file);
        if (!match.Success || !signatures.Verify($"logs/{registry}/{file}", http.Request.Query, 'r'))
        {
            return StorageError.AuthenticationFailed(http);
        }

        // The status first, then the length: a finished run's log is complete before its status is written.
        var run = await runs.GetAsync(registry, match.Groups[1].Value, http.RequestAborted);
        string? status = run?["properties"]?["status"]?.GetValue<string>();
        string path = RunLog.PathOf(options, registry, match.Groups[1].Value);
        if (run is null || !File.Exists(path))
        {
            return StorageError.BlobNotFound(http);
        }

        var info = new FileInfo(path);
        long length = info.Length;
        var headers = http.Response.Headers;
        Stamp(http, info.LastWriteTimeUtc);
        headers["x-ms-blob-type"] = "AppendBlob";
        headers.AcceptRanges = "bytes";
        if (RunStatus.IsFinished(status))
        {
            headers["x-ms-meta-Complete"] = status;
        }

        if (HttpMethods.IsHead(http.Request.Method))
        {
            headers.ContentLength = length;
            headers.ContentType = "text/plain";
            return Results.Empty;
        }

        if (Range(http.Request, length) is not { } range || range.From >= length && length > 0)
        {
            headers.ContentRange = $"bytes */{length}";
            return StorageError.Result(http, 416, "InvalidRange",
                "The range specified is invalid for the current size of the resource.");
        }

        var (from, to) = range;
        byte[] bytes = new byte[Math.Max(0, to - from + 1)];
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            stream.Seek(from, SeekOrigin.Begin);
            await stream.ReadExactlyAsync(bytes, http.RequestAborted);
        }

        bool ranged = HasRange(http.Request);
        if (ranged)
        {
            headers.ContentRange = $"bytes {from}-{from + bytes.Length - 1}/{length}";
        }

        http.Response.StatusCode = ranged ? StatusCodes.Status206PartialContent : StatusCodes.Status200OK;
        http.Response.ContentType = "text/plain";
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
        return Results.Empty;
    }

    private static bool HasRange(HttpRequest request) =>
        request.Headers["x-ms-range"].Count > 0 || request.Headers.Range.Count > 0;

    /// <summary>The bytes asked for by <c>x-ms-range</c> or <c>Range</c>, clamped to what the log holds; null for a
    /// range that ends before it starts, which Storage refuses as <c>InvalidRange</c>.</summary>
    private static (long From, long To)? Range(HttpRequest request, long length)
    {
        string header = request.Headers["x-ms-range"].ToString() is { Length: > 0 } own
            ? own
            : request.Headers.Range.ToString();
        var match = RangePattern().Match(header);
        if (!match.Success)
        {
            return (0, length - 1);
        }

        long from = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        long to = match.Groups[2].Length > 0
            ? long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture)
            : length - 1;
        if (match.Groups[2].Length > 0 && to < from)
        {
            return null;
        }

        return (from, Math.Min(to, length - 1));
    }

    private static void Stamp(HttpContext http, DateTimeOffset modified)
    {
        var headers = http.Response.Headers;
        headers.ETag = $"\"0x{modified.UtcTicks:X}\"";
        headers.LastModified = modified.ToString("R", CultureInfo.InvariantCulture);
        headers["x-ms-request-id"] = Guid.NewGuid().ToString();
        headers["x-ms-version"] = "2018-11-09";
    }

    [GeneratedRegex(@"^(ca[0-9]{1,9})\.log$")]
    private static partial Regex LogFilePattern();

    [GeneratedRegex(@"^bytes=([0-9]{1,18})-([0-9]{0,18})$")]
    private static partial Regex RangePattern();
}
