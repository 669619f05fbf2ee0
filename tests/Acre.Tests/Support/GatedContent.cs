using System.Net;

namespace Acre.Tests.Support;

/// <summary>
/// A request body sent in two parts: the first at once, the rest once the test calls <see cref="Release"/>, so a
/// test can hold a request inside the server at a point it knows.
/// </summary>
public sealed class GatedContent(byte[] bytes, int firstPart) : HttpContent
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstSent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first part was written to the connection.</summary>
    public Task FirstPartSent => _firstSent.Task;

    public void Release() => _released.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(bytes.AsMemory(0, firstPart));
        await stream.FlushAsync();
        _firstSent.TrySetResult();

        await _released.Task;
        await stream.WriteAsync(bytes.AsMemory(firstPart));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = bytes.Length;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        // A request refused early is disposed while its body waits: let the wait end.
        Release();
        base.Dispose(disposing);
    }
}
