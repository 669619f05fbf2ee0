using Acre.Content;
using Acre.Storage;

namespace Acre.Tests.Support;

/// <summary>
/// Holds every stripe of a server's digest locks. A run's push stores each blob under its digest lock, so while the
/// gate is closed every run that pushes waits there, Running, until the gate opens or the run is stopped: a build
/// that waits on something the test controls, rather than on a sleep.
/// </summary>
public sealed class PushGate : IDisposable
{
    private readonly List<DigestLocks.Releaser> _held = [];

    private PushGate()
    {
    }

    public static async Task<PushGate> CloseAsync(DigestLocks locks)
    {
        var gate = new PushGate();
        for (int stripe = 0; stripe < 256; stripe++)
        {
            var digest = new Digest(Digest.Sha256, stripe.ToString("x2") + new string('0', 62));
            gate._held.Add(await locks.AcquireAsync(digest, CancellationToken.None));
        }

        return gate;
    }

    public void Open()
    {
        foreach (var held in _held)
        {
            held.Dispose();
        }

        _held.Clear();
    }

    public void Dispose() => Open();
}
