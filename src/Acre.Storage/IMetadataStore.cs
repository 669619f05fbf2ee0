using Acre.Content;

namespace Acre.Storage;

/// <summary>
/// Registries, repositories, blob links, manifests, tags and upload sessions. Knows nothing of HTTP; every
/// method is one consistent step (a transaction where it writes more than one row).
/// </summary>
public interface IMetadataStore
{
    Task<RegistryRecord?> GetRegistryAsync(string name, CancellationToken ct);

    Task<IReadOnlyList<RegistryRecord>> ListRegistriesAsync(CancellationToken ct);

    /// <summary>Creates the registry if it is missing; returns what is stored.</summary>
    Task<RegistryRecord> EnsureRegistryAsync(RegistryRecord registry, CancellationToken ct);

    Task SetAdminPasswordAsync(string registry, string password, CancellationToken ct);

    /// <summary>Creates or replaces a registry's record; its content is untouched.</summary>
    Task PutRegistryAsync(RegistryRecord registry, CancellationToken ct);

    /// <summary>Deletes a registry and everything it holds; its blobs are then collected as unused.</summary>
    Task<bool> DeleteRegistryAsync(string name, CancellationToken ct);

    Task<RegistryUsage> GetRegistryUsageAsync(string name, CancellationToken ct);

    Task<ResourceGroupRecord?> GetResourceGroupAsync(string subscriptionId, string name, CancellationToken ct);

    Task<IReadOnlyList<ResourceGroupRecord>> ListResourceGroupsAsync(string subscriptionId, CancellationToken ct);

    /// <summary>Creates a resource group, or updates the tags of an existing one (its location is fixed).</summary>
    Task PutResourceGroupAsync(ResourceGroupRecord group, CancellationToken ct);

    Task<bool> DeleteResourceGroupAsync(string subscriptionId, string name, CancellationToken ct);

    Task<bool> RepositoryExistsAsync(string registry, string repository, CancellationToken ct);

    /// <summary>The size of a blob linked to the repository, or null when the repository holds no such blob.</summary>
    Task<long?> GetLinkedBlobSizeAsync(string registry, string repository, Digest digest, CancellationToken ct);

    /// <summary>The size of a blob the store holds in any repository, or null.</summary>
    Task<long?> GetBlobSizeAsync(Digest digest, CancellationToken ct);

    /// <summary>Records the blob (if new) and links it to the repository.</summary>
    Task LinkBlobAsync(string registry, string repository, Digest digest, long size, CancellationToken ct);

    Task<bool> UnlinkBlobAsync(string registry, string repository, Digest digest, CancellationToken ct);

    /// <summary>The references of a manifest that the repository does not hold.</summary>
    Task<IReadOnlyList<ManifestReference>> FindMissingAsync(
        string registry, string repository, IReadOnlyList<ManifestReference> references, CancellationToken ct);

    Task PutManifestAsync(ManifestWrite manifest, CancellationToken ct);

    /// <summary>A manifest by tag or digest (<paramref name="reference"/>), or null.</summary>
    Task<ManifestRecord?> GetManifestAsync(string registry, string repository, string reference, CancellationToken ct);

    /// <summary>Deletes a manifest and its tags; returns the tags it had, or null when it was not there.</summary>
    Task<IReadOnlyList<string>?> DeleteManifestAsync(
        string registry, string repository, Digest digest, CancellationToken ct);

    Task<NamePage?> ListTagsAsync(string registry, string repository, string? last, int limit, CancellationToken ct);

    /// <summary>A page of listable repositories that hold a manifest, after <paramref name="last"/>.</summary>
    Task<NamePage> ListRepositoriesAsync(
        string registry, string? last, int limit, ListOrder order, CancellationToken ct);

    Task<IReadOnlyList<ReferrerRecord>> ListReferrersAsync(
        string registry, string repository, Digest subject, string? artifactType, CancellationToken ct);

    /// <summary>A repository that holds at least one manifest, with its counts and attributes; null
    /// otherwise.</summary>
    Task<RepositoryInfo?> GetRepositoryAsync(string registry, string repository, CancellationToken ct);

    Task<TagInfo?> GetTagAsync(string registry, string repository, string tag, CancellationToken ct);

    Task<ManifestInfo?> GetManifestInfoAsync(string registry, string repository, Digest digest, CancellationToken ct);

    /// <summary>A page of listable tags after <paramref name="last"/>, optionally only those of one manifest.</summary>
    Task<(IReadOnlyList<TagInfo> Tags, bool HasMore)> ListTagInfoAsync(string registry, string repository,
        string? last, int limit, ListOrder order, Digest? digest, CancellationToken ct);

    Task<(IReadOnlyList<ManifestInfo> Manifests, bool HasMore)> ListManifestInfoAsync(string registry,
        string repository, string? last, int limit, ListOrder order, CancellationToken ct);

    Task<bool> DeleteTagAsync(string registry, string repository, string tag, CancellationToken ct);

    /// <summary>Deletes every manifest, tag and link of a repository; null when there was no such repository.</summary>
    Task<(IReadOnlyList<string> Manifests, IReadOnlyList<string> Tags)?> DeleteRepositoryAsync(
        string registry, string repository, CancellationToken ct);

    /// <summary>Every manifest and tag of a repository, listable or not: what deleting it removes.</summary>
    Task<RepositoryContent> GetRepositoryContentAsync(string registry, string repository, CancellationToken ct);

    Task<LockState> GetLockStateAsync(
        string registry, string repository, string? tag, Digest? digest, CancellationToken ct);

    /// <summary>The attributes of every manifest of the repository that lists <paramref name="blob"/>, and of
    /// every tag of those manifests.</summary>
    Task<IReadOnlyList<ChangeableAttributes>> ListBlobHolderLocksAsync(
        string registry, string repository, Digest blob, CancellationToken ct);

    Task<RepositoryInfo?> UpdateRepositoryAttributesAsync(
        string registry, string repository, AttributesChange change, CancellationToken ct);

    Task<TagInfo?> UpdateTagAttributesAsync(
        string registry, string repository, string tag, AttributesChange change, CancellationToken ct);

    Task<ManifestInfo?> UpdateManifestAttributesAsync(
        string registry, string repository, Digest digest, AttributesChange change, CancellationToken ct);

    Task<ChildRecord?> GetChildAsync(string registry, string kind, string name, CancellationToken ct);

    Task<IReadOnlyList<ChildRecord>> ListChildrenAsync(string registry, string kind, CancellationToken ct);

    /// <summary>Creates or replaces a child; its creation time is kept when it existed.</summary>
    Task PutChildAsync(ChildRecord child, CancellationToken ct);

    Task<bool> DeleteChildAsync(string registry, string kind, string name, CancellationToken ct);

    Task AddWebhookEventAsync(WebhookEventRecord webhookEvent, CancellationToken ct);

    /// <summary>A webhook's delivery attempts, newest first.</summary>
    Task<IReadOnlyList<WebhookEventRecord>> ListWebhookEventsAsync(
        string registry, string webhook, int limit, CancellationToken ct);

    Task CreateUploadAsync(UploadRecord upload, CancellationToken ct);

    Task<UploadRecord?> GetUploadAsync(string id, CancellationToken ct);

    Task SetUploadOffsetAsync(string id, long offset, CancellationToken ct);

    Task DeleteUploadAsync(string id, CancellationToken ct);

    /// <summary>Upload sessions untouched since <paramref name="before"/>.</summary>
    Task<IReadOnlyList<string>> ListStaleUploadsAsync(DateTimeOffset before, CancellationToken ct);

    /// <summary>
    /// One pass of the blob collector's mark phase: unlinks blobs that no manifest of their repository has
    /// referenced since before <paramref name="before"/>, marks blobs no repository links, and returns the blobs
    /// marked before <paramref name="before"/>.
    /// </summary>
    Task<(IReadOnlyList<Digest> Blobs, int Links)> MarkUnusedBlobsAsync(DateTimeOffset before, CancellationToken ct);

    /// <summary>Forgets a blob if it is still unlinked and was marked before <paramref name="before"/>.</summary>
    Task<bool> RemoveBlobIfUnusedAsync(Digest digest, DateTimeOffset before, CancellationToken ct);
}
