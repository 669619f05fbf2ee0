using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Acre.Tasks.Building;

/// <summary>
/// A program Acre starts for a build (buildah), its output gathered line by line. When the build is canceled or
/// times out, the process and every process it started are killed, and gone before the call returns.
/// </summary>
internal static class ChildProcess
{
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(10);

    /// <param name="line">Called with each line the process writes, on its standard output or error.</param>
    public static async Task<(int Exit, string Output)> RunAsync(string program, IEnumerable<string> arguments,
        Action<string>? line, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = new StringBuilder();
        void Receive(string? text)
        {
            if (text is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(text);
            }

            line?.Invoke(text);
        }

        process.OutputDataReceived += (_, e) => Receive(e.Data);
        process.ErrorDataReceived += (_, e) => Receive(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }

        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    /// <summary>Kills the process tree by the id of the process started, and waits for the process to end.</summary>
    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(KillWait);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // It ended on its own meanwhile, or is already going.
        }
    }
}
