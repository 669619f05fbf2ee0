using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Acre.Bench;

/// <summary>
/// A deterministic blob of any size that is never held in memory: one pseudo-random block per seed, repeated,
/// with each block's index stamped in its first bytes so that no two blocks (and no two seeds) are alike.
/// </summary>
public sealed class BlobData
{
    public const int BlockSize = 1024 * 1024;

    private readonly byte[] _pattern;
    private string? _digest;

    public BlobData(long seed, long size)
    {
        Seed = seed;
        Size = size;
        _pattern = new byte[BlockSize];
        new Random(unchecked((int)seed ^ (int)(seed >> 32))).NextBytes(_pattern);
    }

    public long Seed { get; }

    public long Size { get; }

    /// <summary>Copies the bytes at <paramref name="offset"/> into <paramref name="destination"/>.</summary>
    public void Fill(long offset, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            long block = offset / BlockSize;
            int within = (int)(offset % BlockSize);
            int count = Math.Min(destination.Length, BlockSize - within);
            _pattern.AsSpan(within, count).CopyTo(destination);
            StampBlockIndex(block, within, destination[..count]);
            destination = destination[count..];
            offset += count;
        }
    }

    /// <summary>The <c>sha256:…</c> digest, computed once by generating every byte (outside all timings).</summary>
    public string Digest()
    {
        if (_digest is not null)
        {
            return _digest;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
        for (long offset = 0; offset < Size; offset += BlockSize)
        {
            int count = (int)Math.Min(BlockSize, Size - offset);
            Fill(offset, buffer.AsSpan(0, count));
            hash.AppendData(buffer, 0, count);
        }

        ArrayPool<byte>.Shared.Return(buffer);
        _digest = "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
        return _digest;
    }

    /// <summary>Overwrites a block's first 16 bytes with its index and the seed, where the span covers them.</summary>
    private void StampBlockIndex(long block, int within, Span<byte> span)
    {
        const int stampLength = 16;
        if (within >= stampLength)
        {
            return;
        }

        Span<byte> stamp = stackalloc byte[stampLength];
        BinaryPrimitives.WriteInt64LittleEndian(stamp, block);
        BinaryPrimitives.WriteInt64LittleEndian(stamp[8..], Seed);
        int count = Math.Min(stampLength - within, span.Length);
        stamp.Slice(within, count).CopyTo(span);
    }
}
