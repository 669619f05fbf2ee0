namespace Acre.Tasks.Runs;

/// <summary>The statuses of a run, as ACR spells them.</summary>
public static class RunStatus
{
    public const string Queued = "Queued";
    public const string Started = "Started";
    public const string Running = "Running";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";
    public const string Canceled = "Canceled";
    public const string Error = "Error";
    public const string Timeout = "Timeout";

    public static bool IsFinished(string? status) => status is Succeeded or Failed or Canceled or Error or Timeout;
}
