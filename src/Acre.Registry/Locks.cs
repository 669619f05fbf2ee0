using Acre.Storage;

namespace Acre.Registry;

/// <summary>
/// ACR's changeable attributes, enforced: <c>writeEnabled: false</c> forbids overwrite and delete,
/// <c>deleteEnabled: false</c> forbids delete, <c>readEnabled: false</c> forbids pulls; a repository's locks
/// apply to everything in it.
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

    public static bool MayDeleteRepository(ChangeableAttributes repository) => Deletable(repository);

    public static bool IsDeletable(ChangeableAttributes attributes) => Deletable(attributes);

    private static bool Deletable(ChangeableAttributes? attributes) =>
        attributes is null || (attributes.DeleteEnabled && attributes.WriteEnabled);
}
