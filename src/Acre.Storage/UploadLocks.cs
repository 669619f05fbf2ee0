namespace Acre.Storage;

/// <summary>
/// One request at a time per upload session. A PATCH or PUT holds its session from reading the acknowledged offset
/// to storing the new one, so no request writes where another has moved the session on. Cancelling a session takes
/// it over: whoever holds or waits for it is interrupted, since a streamed body may not end for a long time.
/// The locks live in this process; instances sharing one store would need the store to provide them.
/// </summary>
public sealed class UploadLocks
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Waits for the session; null when it was taken over meanwhile: its upload is being cancelled.</summary>
    public async Task<Holder?> AcquireAsync(string uploadId, CancellationToken cancellationToken)
    {
        var (entry, interrupt) = Join(uploadId);
        var holder = new Holder(this, uploadId, entry, interrupt.Token);
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, interrupt.Token);
            await entry.Gate.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            holder.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
            return null;
        }

        holder.Holds = true;
        return holder;
    }

    /// <summary>Holds the session at once, or answers null when a request holds it or waits for it.</summary>
    public Holder? TryAcquire(string uploadId)
    {
        lock (_entries)
        {
            if (_entries.ContainsKey(uploadId))
            {
                return null;
            }

            var entry = new Entry { Users = 1 };
            _entries.Add(uploadId, entry);
            entry.Gate.Wait(0);
            return new Holder(this, uploadId, entry, entry.Interrupt.Token) { Holds = true };
        }
    }

    /// <summary>Interrupts whoever holds or waits for the session, then holds it.</summary>
    public async Task<Holder> TakeOverAsync(string uploadId, CancellationToken cancellationToken)
    {
        var (entry, interrupt) = Join(uploadId);
        var holder = new Holder(this, uploadId, entry, interrupt.Token);
        await interrupt.CancelAsync();
        try
        {
            await entry.Gate.WaitAsync(cancellationToken);
        }
        catch
        {
            holder.Dispose();
            throw;
        }

        holder.Holds = true;
        lock (_entries)
        {
            // Requests arriving from now on wait behind this holder rather than being interrupted too.
            entry.Interrupt = new CancellationTokenSource();
        }

        return holder;
    }

    /// <summary>How many requests hold the session or wait for it.</summary>
    public int CountUsers(string uploadId)
    {
        lock (_entries)
        {
            return _entries.TryGetValue(uploadId, out var entry) ? entry.Users : 0;
        }
    }

    private (Entry Entry, CancellationTokenSource Interrupt) Join(string uploadId)
    {
        lock (_entries)
        {
            if (!_entries.TryGetValue(uploadId, out var entry))
            {
                entry = new Entry();
                _entries.Add(uploadId, entry);
            }

            entry.Users++;
            return (entry, entry.Interrupt);
        }
    }

    private void Leave(string uploadId, Entry entry, bool holds)
    {
        if (holds)
        {
            entry.Gate.Release();
        }

        lock (_entries)
        {
            entry.Users--;
            if (entry.Users == 0)
            {
                _entries.Remove(uploadId);
            }
        }
    }

    /// <summary>A session's gate and who uses it. Nothing to dispose: no wait handle is ever asked of either.</summary>
    internal sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public CancellationTokenSource Interrupt { get; set; } = new();

        public int Users { get; set; }
    }

    /// <summary>A request's hold on a session, released when disposed.</summary>
    public sealed class Holder : IDisposable
    {
        private readonly UploadLocks _owner;
        private readonly string _uploadId;
        private readonly Entry _entry;
        private readonly CancellationToken _interruption;
        private bool _disposed;

        internal Holder(UploadLocks owner, string uploadId, Entry entry, CancellationToken interruption)
        {
            _owner = owner;
            _uploadId = uploadId;
            _entry = entry;
            _interruption = interruption;
        }

        /// <summary>Cancelled when the session is taken over: its upload is being cancelled.</summary>
        public CancellationToken Interruption => _interruption;

        public bool Interrupted => _interruption.IsCancellationRequested;

        internal bool Holds { get; set; }

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _owner.Leave(_uploadId, _entry, Holds);
        }
    }
}
