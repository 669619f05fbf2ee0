using System.Text.Json.Nodes;
using Acre.Storage;
using Acre.Tasks.Building;
using Acre.Tasks.Runs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acre.Tasks;

/// <summary>What one pass of <see cref="TaskFiles"/> deleted.</summary>
public sealed record TaskFileCollection(int Sources, int Logs, int WorkDirectories);

/// <summary>
/// Collects the files of ACR Tasks that nothing needs any more, in passes every
/// <see cref="TasksOptions.CollectInterval"/>: an uploaded context once it is older than
/// <see cref="TasksOptions.UploadRetention"/> and no queued or running run, task (its <c>contextPath</c>) or task
/// run names it; a run log once its run record is gone; a work directory no run holds; and everything of a registry
/// that is gone, which <see cref="RegistryDeletedAsync"/> deletes at once.
/// </summary>
/// <remarks>
/// Each pass lists the files before the records: a record is made before any file that needs it, so a file made
/// during the pass is never taken for one whose record is gone.
/// </remarks>
public sealed partial class TaskFiles(IMetadataStore metadata, RunStore runs, RunQueue queue, TasksOptions options,
    TimeProvider time, ILogger<TaskFiles> logger) : BackgroundService
{
    public async Task<TaskFileCollection> CollectAsync(CancellationToken ct)
    {
        var cutoff = time.GetUtcNow() - options.UploadRetention;
        var sourceFolders = Folders(options.SourceDirectory);
        var logFolders = Folders(options.LogDirectory);
        var work = Entries(options.WorkDirectory);
        var registries = (await metadata.ListRegistriesAsync(ct)).Select(r => r.Name)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        int sources = 0;
        foreach (var (registry, entries) in sourceFolders)
        {
            var needed = registries.Contains(registry) ? await NeededSourcesAsync(registry, ct) : null;
            sources += DeleteAll(entries.Where(e => needed is null ||
                (!needed.Contains(UploadOf(e)) && LastWrite(e) < cutoff)));
            RemoveIfGone(registries, registry, options.SourceDirectory);
        }

        int logs = 0;
        foreach (var (registry, entries) in logFolders)
        {
            var known = registries.Contains(registry)
                ? (await runs.ListAsync(registry, ct))
                    .Select(r => r["properties"]?["runId"]?.GetValue<string>() + ".log")
                    .ToHashSet(StringComparer.Ordinal)
                : [];
            logs += DeleteAll(entries.Where(e => !known.Contains(Path.GetFileName(e))));
            RemoveIfGone(registries, registry, options.LogDirectory);
        }

        // A work directory is made and removed by its run while the queue holds the run.
        int directories = DeleteAll(work.Where(w => RunOfWork(w) is not var (registry, runId) ||
            !queue.Holds(registry, runId)));

        var result = new TaskFileCollection(sources, logs, directories);
        if (sources + logs + directories > 0)
        {
            LogCollected(logger, sources, logs, directories);
        }

        return result;
    }

    /// <summary>
    /// Stops the executing runs of a deleted registry and deletes its uploaded contexts and run logs; a run that
    /// was starting meanwhile leaves a log behind, which the next pass collects.
    /// </summary>
    public async Task RegistryDeletedAsync(string registry)
    {
        await queue.StopRegistryAsync(registry);
        foreach (string root in new[] { options.SourceDirectory, options.LogDirectory })
        {
            string folder = Path.Combine(root, registry);
            DeleteAll(Entries(folder));
            RemoveIfEmpty(folder);
        }
    }

    /// <summary>Deletes a file or a directory tree; what cannot be deleted now is left to a later pass.</summary>
    public static bool TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CollectInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CollectAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
        }
    }

    /// <summary>The uploads the registry's queued and running runs, tasks and task runs name.</summary>
    private async Task<HashSet<string>> NeededSourcesAsync(string registry, CancellationToken ct)
    {
        var needed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var run in await runs.ListAsync(registry, ct))
        {
            if (run["properties"]?["status"]?.GetValue<string>() is RunStatus.Queued or RunStatus.Running)
            {
                Add(needed, run["request"]?["sourceLocation"]);
            }
        }

        foreach (var task in await ChildPropertiesAsync(registry, "tasks", ct))
        {
            Add(needed, task["step"]?["contextPath"]);
        }

        foreach (var taskRun in await ChildPropertiesAsync(registry, "taskRuns", ct))
        {
            Add(needed, taskRun["runRequest"]?["sourceLocation"]);
            Add(needed, taskRun["runRequest"]?["overrideTaskStepProperties"]?["contextPath"]);
        }

        return needed;
    }

    private async Task<IEnumerable<JsonObject>> ChildPropertiesAsync(string registry, string kind,
        CancellationToken ct) =>
        (await metadata.ListChildrenAsync(registry, kind, ct))
            .Select(c => JsonNode.Parse(c.BodyJson)?["properties"] as JsonObject)
            .OfType<JsonObject>();

    private static void Add(HashSet<string> needed, JsonNode? location)
    {
        if (location is JsonValue value && value.TryGetValue<string>(out var text) &&
            RunRequests.IsUploadedSource(text))
        {
            needed.Add(text);
        }
    }

    /// <summary>
    /// The relative path of the upload an entry belongs to: <c>source/{registry}/{id}.tar.gz</c> for the upload,
    /// its blocks (<c>….blocks</c>) and its partial writes (<c>….partial</c>).
    /// </summary>
    private static string UploadOf(string entry)
    {
        string name = Path.GetFileName(entry);
        int end = name.IndexOf(".tar.gz", StringComparison.Ordinal);
        string registry = Path.GetFileName(Path.GetDirectoryName(entry)!);
        return $"source/{registry}/{(end < 0 ? name : name[..(end + ".tar.gz".Length)])}";
    }

    /// <summary>
    /// The last write to a file, or to anything in a directory (the blocks of an upload); the latest time there is
    /// for an entry that went meanwhile, which is then left alone.
    /// </summary>
    private static DateTimeOffset LastWrite(string entry)
    {
        try
        {
            var info = new DirectoryInfo(entry);
            if (!info.Exists)
            {
                var file = new FileInfo(entry);
                return file.Exists ? file.LastWriteTimeUtc : DateTimeOffset.MaxValue;
            }

            return FileWalk.Paths(entry).Select(path => (DateTimeOffset)new FileInfo(path).LastWriteTimeUtc)
                .Append(info.LastWriteTimeUtc).Max();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return DateTimeOffset.MaxValue;
        }
    }

    /// <summary>The registry and run of a work directory, <c>{registry}-{runId}</c>.</summary>
    private static (string Registry, string RunId)? RunOfWork(string directory)
    {
        string name = Path.GetFileName(directory);
        int dash = name.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 ? (name[..dash], name[(dash + 1)..]) : null;
    }

    /// <summary>The folders under <paramref name="root"/>, each with its entries as they are now.</summary>
    private static List<(string Name, List<string> Entries)> Folders(string root) =>
        Directory.Exists(root)
            ? [.. Directory.EnumerateDirectories(root).Select(d => (Path.GetFileName(d), Entries(d)))]
            : [];

    private static List<string> Entries(string folder) =>
        Directory.Exists(folder) ? [.. Directory.EnumerateFileSystemEntries(folder)] : [];

    private static int DeleteAll(IEnumerable<string> entries) => entries.Count(TryDelete);

    private static void RemoveIfGone(HashSet<string> registries, string registry, string root)
    {
        if (!registries.Contains(registry))
        {
            RemoveIfEmpty(Path.Combine(root, registry));
        }
    }

    /// <summary>Removes a registry's folder if nothing was written to it meanwhile.</summary>
    private static void RemoveIfEmpty(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not empty, or already gone.
        }
    }

    [LoggerMessage(EventId = 5030, Level = LogLevel.Information,
        Message = "Collected {Sources} uploaded contexts, {Logs} run logs and {Work} work directories of ACR Tasks")]
    private static partial void LogCollected(ILogger logger, int sources, int logs, int work);

    [LoggerMessage(EventId = 5031, Level = LogLevel.Error, Message = "Collection of ACR Tasks files failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
