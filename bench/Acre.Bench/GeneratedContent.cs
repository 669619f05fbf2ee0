using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Acre.Bench;

/// <summary>
/// A request body streamed from <see cref="BlobData"/> in 1 MiB writes, optionally hashed as it is sent.
/// </summary>
public sealed class GeneratedContent : HttpContent
{
    private readonly BlobData _data;
    private readonly long _offset;
    private readonly long _length;
    private readonly IncrementalHash? _hash;

    public GeneratedContent(BlobData data, long offset, long length, IncrementalHash? hash = null)
    {
        _data = data;
        _offset = offset;
        _length = length;
        _hash = hash;
        Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(
        Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BlobData.BlockSize);
        try
        {
            for (long sent = 0; sent < _length;)
            {
                int count = (int)Math.Min(BlobData.BlockSize, _length - sent);
                _data.Fill(_offset + sent, buffer.AsSpan(0, count));
                _hash?.AppendData(buffer, 0, count);
                await stream.WriteAsync(buffer.AsMemory(0, count), cancellationToken);
                sent += count;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }
}
