using System.Diagnostics;
using System.Text;

namespace Acre.EndToEnd.Tests.Support;

/// <summary>Runs a real client (skopeo, podman, umoci…) and returns what it printed.</summary>
public static class Tool
{
    public static bool IsInstalled(string name) => Find(name) is not null;

    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    /// <summary>Runs the command; fails the test with its output when it exits non-zero.</summary>
    public static Task<string> RunAsync(string file, params string[] arguments) =>
        RunWithAsync(null, file, arguments);

    /// <summary>Runs the command with extra environment variables; fails the test when it exits non-zero.</summary>
    public static async Task<string> RunWithAsync(
        IReadOnlyDictionary<string, string>? environment, string file, params string[] arguments)
    {
        var result = await TryRunWithAsync(environment, file, arguments);
        Assert.True(result.ExitCode == 0,
            $"{file} {string.Join(' ', arguments)} exited {result.ExitCode}:\n{result.Output}");
        return result.Output;
    }

    public static Task<ToolResult> TryRunAsync(string file, params string[] arguments) =>
        TryRunWithAsync(null, file, arguments);

    public static async Task<ToolResult> TryRunWithAsync(
        IReadOnlyDictionary<string, string>? environment, string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish in 5 minutes");
        }

        output.Append(await stdout).Append(await stderr);
        return new ToolResult(process.ExitCode, output.ToString());
    }
}

public sealed record ToolResult(int ExitCode, string Output);
