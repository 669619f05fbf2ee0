using System.Runtime.InteropServices;

namespace Acre.Bench;

/// <summary>A one-line description of the machine the figures come from.</summary>
public static class Machine
{
    public static string Describe()
    {
        string cpu = FirstValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        string memory = FirstValue("/proc/meminfo", "MemTotal") is { } kib
            ? Report.Number(long.Parse(kib.Split(' ')[0]) / Measure.MiB, 1) + " GiB"
            : "?";
        string kernel = File.Exists("/proc/sys/kernel/osrelease")
            ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim()
            : RuntimeInformation.OSDescription;
        return $"{cpu}, {Environment.ProcessorCount} cores, {memory} memory, Linux {kernel}, " +
            $"{RuntimeInformation.FrameworkDescription}";
    }

    private static string? FirstValue(string path, string key)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        return File.ReadLines(path)
            .Where(line => line.StartsWith(key, StringComparison.Ordinal))
            .Select(line => line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())
            .FirstOrDefault();
    }
}
