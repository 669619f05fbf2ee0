namespace Acre.Tasks.Building;

/// <summary>What a build needs besides its Dockerfile: where it runs, its context, build args and target.</summary>
/// <param name="OwnHosts">The registry's own host names, which a FROM may name.</param>
/// <param name="CanRun">Whether RUN can be run: buildah is installed.</param>
public sealed record BuildRequest(
    string Registry, IReadOnlyList<string> OwnHosts, string ContextDirectory, string WorkDirectory,
    IReadOnlyDictionary<string, string> Arguments, string? Target, bool CanRun)
{
    /// <summary>The registry images <c>COPY --from</c> read during the build.</summary>
    public List<ImageOrigin> CopySources { get; } = [];
}
