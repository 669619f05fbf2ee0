using System.Globalization;
using System.Text;

namespace Acre.Tasks.Runs;

/// <summary>
/// A run's log file, appended as the run goes. Lines end in CRLF: the CLI prints what it streamed up to the last
/// CRLF it has seen.
/// </summary>
public sealed class RunLog(string path, TimeProvider time) : IDisposable
{
    private readonly StreamWriter _writer = Open(path);

    public static string PathOf(TasksOptions options, string registry, string runId) =>
        Path.Combine(options.LogDirectory, registry, runId + ".log");

    /// <summary>A line of the runner's own, stamped with the time as ACR stamps them.</summary>
    public void Info(string message) =>
        Line(time.GetUtcNow().UtcDateTime.ToString("yyyy/MM/dd HH:mm:ss ", CultureInfo.InvariantCulture) + message);

    /// <summary>A line of the build's output, as it is.</summary>
    public void Line(string text)
    {
        lock (_writer)
        {
            _writer.Write(text);
            _writer.Write("\r\n");
            _writer.Flush();
        }
    }

    public void Dispose() => _writer.Dispose();

    private static StreamWriter Open(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        return new StreamWriter(stream, new UTF8Encoding(false));
    }
}
