using Acre.Content;

namespace Acre.Storage;

/// <summary>
/// A registry: its name (lower case, unique across all subscriptions) and admin credentials, which the data plane
/// reads, and where it sits in ARM with the properties the management plane keeps.
/// </summary>
public sealed record RegistryRecord(string Name, bool AdminUserEnabled, string AdminPassword, string AdminPassword2,
    DateTimeOffset Created)
{
    public string SubscriptionId { get; init; } = "";

    public string ResourceGroup { get; init; } = "";

    /// <summary>The name as it was created, case kept, as ARM shows it.</summary>
    public string DisplayName { get; init; } = Name;

    public string Location { get; init; } = "";

    public string Sku { get; init; } = "Premium";

    public bool AnonymousPullEnabled { get; init; }

    /// <summary>The resource's tags, as JSON; null when it has none.</summary>
    public string? TagsJson { get; init; }

    /// <summary>The ARM properties that only the management plane reads, as JSON.</summary>
    public string? PropertiesJson { get; init; }

    public DateTimeOffset Updated { get; init; } = Created;
}

/// <summary>An ARM resource group.</summary>
public sealed record ResourceGroupRecord(string SubscriptionId, string Name, string Location, string? TagsJson,
    DateTimeOffset Created);

/// <summary>What a registry holds: distinct bytes of blobs and manifests, and how many repositories.</summary>
public sealed record RegistryUsage(long SizeBytes, int Repositories);

/// <summary>An upload session; <see cref="Offset"/> is what the server has acknowledged.</summary>
public sealed record UploadRecord(string Id, string Registry, string Repository, long Offset,
    DateTimeOffset Created, DateTimeOffset Updated);

/// <summary>A stored manifest: the exact bytes pushed, and what was parsed from them.</summary>
public sealed record ManifestRecord(Digest Digest, string MediaType, ReadOnlyMemory<byte> Content);

/// <summary>A manifest to store, with its parse and the tag it is pushed under, if any.</summary>
public sealed record ManifestWrite(
    string Registry, string Repository, Digest Digest, ReadOnlyMemory<byte> Content, ParsedManifest Parsed,
    string? Tag)
{
    /// <summary>The platform of an image, read from its config.</summary>
    public string? Architecture { get; init; }

    public string? Os { get; init; }

    /// <summary>The manifest and every descriptor it lists, in bytes, as ACR reports an image's size.</summary>
    public long ImageSize => Content.Length + Parsed.References.Sum(r => r.Size);
}

/// <summary>A referrer of a subject, as the referrers API lists it.</summary>
public sealed record ReferrerRecord(Digest Digest, string MediaType, long Size, string? ArtifactType,
    string? AnnotationsJson);

/// <summary>One page of names, and whether more follow.</summary>
public sealed record NamePage(IReadOnlyList<string> Names, bool HasMore);

/// <summary>What a collection pass removed.</summary>
public sealed record CollectionResult(int Blobs, int Uploads, int Links);

/// <summary>ACR's changeable attributes of a repository, tag or manifest.</summary>
public sealed record ChangeableAttributes(bool DeleteEnabled, bool WriteEnabled, bool ReadEnabled, bool ListEnabled)
{
    public static readonly ChangeableAttributes Default = new(true, true, true, true);
}

/// <summary>A change to changeable attributes: each null field is left as it is.</summary>
public sealed record AttributesChange(bool? DeleteEnabled, bool? WriteEnabled, bool? ReadEnabled, bool? ListEnabled);

public sealed record RepositoryInfo(string Name, DateTimeOffset Created, DateTimeOffset Updated, int ManifestCount,
    int TagCount, ChangeableAttributes Attributes);

public sealed record TagInfo(string Name, Digest Digest, DateTimeOffset Created, DateTimeOffset Updated,
    ChangeableAttributes Attributes);

public sealed record ManifestInfo(Digest Digest, string MediaType, string? ConfigMediaType, long ImageSize,
    string? Architecture, string? Os, DateTimeOffset Created, DateTimeOffset Updated, IReadOnlyList<string> Tags,
    ChangeableAttributes Attributes, ReadOnlyMemory<byte> Content);

/// <summary>Everything a repository holds, hidden (<c>listEnabled: false</c>) items included.</summary>
public sealed record RepositoryContent(IReadOnlyList<ManifestInfo> Manifests, IReadOnlyList<TagInfo> Tags);

/// <summary>How a time-ordered listing runs; by name when none is asked for.</summary>
public enum ListOrder
{
    Name,
    TimeDescending,
    TimeAscending,
}

/// <summary>
/// The locks that govern one operation: the repository's, the tag's (when a tag is named) and the manifest's (the
/// tag's target, or the digest named), with the attributes of every tag that points at that manifest.
/// </summary>
public sealed record LockState(ChangeableAttributes? Repository, ChangeableAttributes? Tag, Digest? Manifest,
    ChangeableAttributes? ManifestAttributes, IReadOnlyList<ChangeableAttributes> ManifestTags);

/// <summary>
/// A child resource of a registry (scope map, token, webhook, replication, …): its ARM body as JSON, kept whole
/// by the management plane, and read by the data plane where the child changes what the registry does.
/// </summary>
public sealed record ChildRecord(string Registry, string Kind, string Name, string BodyJson, DateTimeOffset Created,
    DateTimeOffset Updated);

/// <summary>One delivery attempt of a webhook: the request sent and the response got, as JSON.</summary>
public sealed record WebhookEventRecord(string Registry, string Webhook, string Id, DateTimeOffset Created,
    string BodyJson);
