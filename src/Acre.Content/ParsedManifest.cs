namespace Acre.Content;

/// <summary>What the registry needs to know of a manifest: its kind, what it references, what it refers to.</summary>
public sealed record ParsedManifest(
    string MediaType,
    string? ArtifactType,
    string? ConfigMediaType,
    Digest? Subject,
    IReadOnlyList<ManifestReference> References,
    string? AnnotationsJson)
{
    public bool IsIndex => MediaTypes.IsIndex(MediaType);
}

/// <summary>A descriptor a manifest points at: a blob (config, layer) or, in an index, a manifest.</summary>
/// <param name="IsForeign">A layer with <c>urls</c>, which the registry does not have to hold.</param>
public sealed record ManifestReference(Digest Digest, long Size, bool IsManifest, bool IsForeign);
