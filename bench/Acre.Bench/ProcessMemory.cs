namespace Acre.Bench;

/// <summary>Resident memory of a process, read from <c>/proc/PID/status</c>.</summary>
public static class ProcessMemory
{
    /// <summary>VmRSS in bytes, or null when the process is gone.</summary>
    public static long? ResidentBytes(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    string kib = line["VmRSS:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kib) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }
}

/// <summary>Samples a process's VmRSS at a fixed interval until disposed, keeping the first, peak and last.</summary>
public sealed class MemorySampler : IAsyncDisposable
{
    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public MemorySampler(int pid, TimeSpan interval)
    {
        _pid = pid;
        First = ProcessMemory.ResidentBytes(pid) ?? 0;
        Peak = Last = First;
        _loop = SampleAsync(interval);
    }

    public long First { get; }

    public long Peak { get; private set; }

    public long Last { get; private set; }

    public int Samples { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        Sample();
        _stop.Dispose();
    }

    private async Task SampleAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Sample();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Sample()
    {
        if (ProcessMemory.ResidentBytes(_pid) is { } rss)
        {
            Last = rss;
            Peak = Math.Max(Peak, rss);
            Samples++;
        }
    }
}
