using Acre.Registry.Errors;
using Microsoft.Net.Http.Headers;

namespace Acre.Registry.Handlers;

/// <summary>The Content-Range of a chunk PATCHed or PUT to an upload session (OCI distribution end-5, 6).</summary>
internal static class ChunkRange
{
    /// <summary>
    /// Reads Content-Range, when given: where the chunk says it starts. A malformed one is 416, one that disagrees
    /// with Content-Length is 400.
    /// </summary>
    public static ErrorResult? Read(DataPlaneRequest request, out long? start)
    {
        start = null;
        string header = request.Http.Request.Headers[HeaderNames.ContentRange].ToString();
        if (header.Length == 0)
        {
            return null;
        }

        if (!TryParseRange(header, out long first, out long end) || end < first - 1)
        {
            return ErrorResult.Of(ErrorCode.BlobUploadInvalid, "malformed Content-Range", null, 416);
        }

        if (request.Http.Request.ContentLength is { } contentLength && contentLength != end - first + 1)
        {
            return ErrorResult.Of(ErrorCode.SizeInvalid, "Content-Length does not match Content-Range");
        }

        start = first;
        return null;
    }

    private static bool TryParseRange(string header, out long start, out long end)
    {
        start = end = 0;
        string value = header.StartsWith("bytes", StringComparison.OrdinalIgnoreCase)
            ? header[5..].TrimStart(' ', '=')
            : header;
        int slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            value = value[..slash];
        }

        int dash = value.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && long.TryParse(value.AsSpan(0, dash), out start) &&
            long.TryParse(value.AsSpan(dash + 1), out end) && start >= 0;
    }
}
