namespace Acre.Storage;

/// <summary>
/// ACR's changeable attributes, enforced: <c>writeEnabled: false</c> forbids overwrite and delete,
/// <c>deleteEnabled: false</c> forbids delete, <c>readEnabled: false</c> forbids pulls (and mounts from it); a
/// repository's locks apply to everything in it, blobs included. Clients' pushes and Acre's own writes (import,
/// ACR Tasks) answer to the same rules.
/// </summary>
public static class Locks
{
    public static bool MayPush(LockState state) =>
        state.Repository?.WriteEnabled != false && state.Tag?.WriteEnabled != false &&
        (state.Tag is null || state.ManifestAttributes?.WriteEnabled != false);

    public static bool MayRead(LockState state) =>
        state.Repository?.ReadEnabled != false && state.Tag?.ReadEnabled != false &&
        state.ManifestAttributes?.ReadEnabled != false;

    public static bool MayDeleteTag(LockState state) =>
        Deletable(state.Repository) && Deletable(state.Tag);

    /// <summary>A manifest goes with its tags, so every tag's locks count too.</summary>
    public static bool MayDeleteManifest(LockState state) =>
        Deletable(state.Repository) && Deletable(state.ManifestAttributes) && state.ManifestTags.All(Deletable);

    /// <summary>Deleting a repository deletes everything in it, hidden items too, so each must allow it.</summary>
    public static bool MayDeleteRepository(ChangeableAttributes repository, RepositoryContent content) =>
        Deletable(repository) && content.Manifests.All(m => Deletable(m.Attributes)) &&
        content.Tags.All(t => Deletable(t.Attributes));

    /// <summary>
    /// A blob is the repository's content, and removing one breaks every image that lists it: the repository's
    /// locks and those of each manifest listing it (with their tags) count.
    /// </summary>
    public static bool MayDeleteBlob(ChangeableAttributes? repository, IReadOnlyList<ChangeableAttributes> holders) =>
        Deletable(repository) && holders.All(Deletable);

    private static bool Deletable(ChangeableAttributes? attributes) =>
        attributes is null || (attributes.DeleteEnabled && attributes.WriteEnabled);
}
