using Acre.Tasks.Building;

namespace Acre.Tests.Tasks;

/// <summary>The processes a build starts (buildah for RUN and cmd) die with the run that started them.</summary>
public sealed class ChildProcessTests
{
    [Fact]
    public async Task RunAsync_KillsTheProcessAndWhatItStarted_WhenCanceled()
    {
        // Arrange: a shell that starts a long sleep and waits for it, as buildah waits for the command it runs.
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancellation = new CancellationTokenSource();

        // Act
        var run = ChildProcess.RunAsync("/bin/sh", ["-c", "sleep 300 & echo $!; wait"],
            line => started.TrySetResult(int.Parse(line)), cancellation.Token);
        int sleeper = await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        bool aliveBefore = IsAlive(sleeper);
        var timer = System.Diagnostics.Stopwatch.StartNew();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        for (int attempt = 0; attempt < 100 && IsAlive(sleeper); attempt++)
        {
            await Task.Delay(50);
        }

        // Assert
        Assert.True(aliveBefore);
        Assert.False(IsAlive(sleeper));
        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(10), $"{timer.Elapsed}");
    }

    [Fact]
    public async Task RunAsync_GathersTheOutputAndTheExitCode()
    {
        var (exit, output) = await ChildProcess.RunAsync("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"], null,
            CancellationToken.None);

        Assert.Equal(3, exit);
        Assert.Contains("out", output, StringComparison.Ordinal);
        Assert.Contains("err", output, StringComparison.Ordinal);
    }

    /// <summary>Whether the process is there and not a zombie waiting for a parent to reap it.</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
