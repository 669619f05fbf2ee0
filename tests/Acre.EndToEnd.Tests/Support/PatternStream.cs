using System.Buffers.Binary;

namespace Acre.EndToEnd.Tests.Support;

/// <summary>
/// A deterministic, incompressible stream of any length that is never held in memory; it can pause after a
/// given number of bytes, to leave a request in flight.
/// </summary>
public sealed class PatternStream(long length, ulong seed, long pauseAfter = long.MaxValue) : Stream
{
    private readonly TaskCompletionSource _resume = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ulong _state = seed | 1;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>Completes when the stream has paused at <c>pauseAfter</c>.</summary>
    public TaskCompletionSource Paused { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets a paused stream go on.</summary>
    public void Resume() => _resume.TrySetResult();

    public override int Read(byte[] buffer, int offset, int count) => Fill(buffer.AsSpan(offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position == pauseAfter)
        {
            Paused.TrySetResult();
            await _resume.Task.WaitAsync(cancellationToken);
        }

        return Fill(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Fill(Span<byte> buffer)
    {
        long limit = Math.Min(length, pauseAfter > _position ? pauseAfter : length);
        int count = (int)Math.Min(buffer.Length, limit - _position);
        count = count >= 8 ? count & ~7 : count;
        int whole = count & ~7;
        for (int i = 0; i < whole; i += 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(buffer[i..], Next());
        }

        if (count > whole)
        {
            Span<byte> last = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(last, Next());
            last[..(count - whole)].CopyTo(buffer[whole..]);
        }

        _position += count;
        return count;
    }

    private ulong Next()
    {
        _state ^= _state << 13;
        _state ^= _state >> 7;
        _state ^= _state << 17;
        return _state;
    }
}
