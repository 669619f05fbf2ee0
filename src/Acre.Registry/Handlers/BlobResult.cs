using Acre.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Acre.Registry.Handlers;

/// <summary>
/// Sends a blob, or the one byte range asked for (206; 416 when no byte of it exists), reading the store in
/// large pieces straight into the response so that a large pull costs few system calls and copies.
/// </summary>
public sealed class BlobResult(BlobContent content) : IResult
{
    private const int PieceSize = 256 * 1024;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var request = httpContext.Request;
        var response = httpContext.Response;
        response.ContentType = "application/octet-stream";
        response.Headers.AcceptRanges = "bytes";
        long length = content.Length;
        var range = ReadRange(request.Headers.Range.ToString(), length, out long start, out long count);
        if (range == RangeAsked.Unsatisfiable)
        {
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            response.Headers.ContentRange = $"bytes */{length}";
            response.ContentLength = 0;
            return;
        }

        if (range == RangeAsked.Satisfiable)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {start}-{start + count - 1}/{length}";
        }

        response.ContentLength = count;
        if (HttpMethods.IsHead(request.Method) || count == 0)
        {
            return;
        }

        await using var stream = content.OpenStream();
        stream.Seek(start, SeekOrigin.Begin);
        await SendAsync(stream, count, response, httpContext.RequestAborted);
    }

    /// <summary>
    /// Reads the file straight into the response's pipe, in pieces of <see cref="PieceSize"/>: one copy fewer than
    /// going through a buffer and the response stream.
    /// </summary>
    private static async Task SendAsync(Stream stream, long count, HttpResponse response, CancellationToken ct)
    {
        var writer = response.BodyWriter;
        while (count > 0)
        {
            var memory = writer.GetMemory(PieceSize);
            int read = await stream.ReadAsync(memory[..(int)Math.Min(memory.Length, count)], ct);
            if (read == 0)
            {
                break;
            }

            writer.Advance(read);
            count -= read;
            if ((await writer.FlushAsync(ct)).IsCanceled)
            {
                break;
            }
        }
    }

    /// <summary>
    /// One range of <c>bytes=a-b</c>, <c>bytes=a-</c> or <c>bytes=-n</c>. A header that is not one valid byte range
    /// (several ranges, another unit, bad syntax) is ignored and the whole blob sent, as RFC 9110 (14.2) allows.
    /// </summary>
    private static RangeAsked ReadRange(string header, long length, out long start, out long count)
    {
        start = 0;
        count = length;
        if (header.Length == 0 || !RangeHeaderValue.TryParse(header, out var parsed) ||
            !parsed.Unit.Equals("bytes", StringComparison.OrdinalIgnoreCase) || parsed.Ranges.Count != 1)
        {
            return RangeAsked.None;
        }

        var item = parsed.Ranges.First();
        if (item.From is null && item.To is { } suffix)
        {
            start = Math.Max(0, length - suffix);
        }
        else if (item.From is { } from && from < length)
        {
            start = from;
        }
        else
        {
            return RangeAsked.Unsatisfiable;
        }

        long end = item.From is null ? length - 1 : Math.Min(item.To ?? length - 1, length - 1);
        count = end - start + 1;
        return count > 0 ? RangeAsked.Satisfiable : RangeAsked.Unsatisfiable;
    }

    private enum RangeAsked
    {
        None,
        Satisfiable,
        Unsatisfiable,
    }
}
