using System.Buffers;
using System.IO.Pipelines;

namespace Acre.Registry.Handlers;

/// <summary>
/// A request body read as a stream that <see cref="PipeReader.CancelPendingRead"/> stops with an
/// <see cref="OperationCanceledException"/>, leaving the body readable so that its rest can still be drained.
/// Kestrel's own body stream survives neither a read cancelled by a token nor a cancelled pending read: the next
/// read, and the drain after the response, fail with "Reading is already in progress".
/// </summary>
internal sealed class InterruptibleBody(PipeReader reader) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var available = result.Buffer;
            if (result.IsCanceled)
            {
                reader.AdvanceTo(available.Start);
                throw new OperationCanceledException("the read was interrupted");
            }

            if (available.IsEmpty || buffer.IsEmpty)
            {
                reader.AdvanceTo(available.Start, available.End);
                if (result.IsCompleted || buffer.IsEmpty)
                {
                    return 0;
                }

                continue;
            }

            // Measured before AdvanceTo, which may hand the segments back to their pool.
            int count = (int)Math.Min(available.Length, buffer.Length);
            var taken = available.Slice(0, count);
            taken.CopyTo(buffer.Span);
            reader.AdvanceTo(taken.End);
            return count;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("the request body is read asynchronously");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
