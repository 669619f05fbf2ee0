using Acre.Tasks.Building;

namespace Acre.Tasks.Runs;

/// <summary>Told of each run of a task that succeeded, with the registry images its builds read.</summary>
public interface ITaskRunObserver
{
    Task SucceededAsync(string registry, string task, IReadOnlyList<BaseImageDependency> dependencies,
        CancellationToken ct);
}
