using System.Buffers;

namespace Acre.Storage;

/// <summary>
/// The 1 MiB buffers blobs stream through. A pool of its own, small enough that a burst of parallel transfers
/// does not leave the shared pool holding tens of megabytes once the burst is over.
/// </summary>
public static class TransferBuffers
{
    public const int Size = 1024 * 1024;

    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(Size, maxArraysPerBucket: 8);

    public static byte[] Rent() => Pool.Rent(Size);

    public static void Return(byte[] buffer) => Pool.Return(buffer);
}
