namespace Acre.Tasks.Building;

/// <summary>An image of the registry that a build read, as the Tasks spec's BaseImageDependency names it.</summary>
/// <param name="Type"><see cref="RunTime"/> for the base of the image built, <see cref="BuildTime"/> otherwise.</param>
/// <param name="Tag">Null where the build named the image by digest: such a dependency never changes.</param>
/// <param name="Digest">The digest the tag pointed at when the build read it (an index's, for an index).</param>
public sealed record BaseImageDependency(string Type, string Repository, string? Tag, string Digest)
{
    public const string RunTime = "RunTime";
    public const string BuildTime = "BuildTime";
}

/// <summary>Where a base image was read from: a repository, and the tag (if any) and digest it was named by.</summary>
public sealed record ImageOrigin(string Repository, string? Tag, string Digest);
