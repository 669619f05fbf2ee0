using Acre.Content;

namespace Acre.Storage;

/// <summary>
/// Striped locks by digest. Committing a blob and linking it, and collecting it, hold the same stripe, so the
/// collector never deletes bytes that a push is linking at that moment.
/// </summary>
public sealed class DigestLocks
{
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async ValueTask<Releaser> AcquireAsync(Digest digest, CancellationToken cancellationToken)
    {
        var stripe = _stripes[Convert.ToByte(digest.Hex[..2], 16)];
        await stripe.WaitAsync(cancellationToken);
        return new Releaser(stripe);
    }

    public readonly struct Releaser(SemaphoreSlim stripe) : IDisposable
    {
        public void Dispose() => stripe.Release();
    }
}
