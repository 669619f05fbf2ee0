using Acre.Content;

namespace Acre.Storage;

/// <summary>A registry as the data plane sees it: its name and admin credentials.</summary>
public sealed record RegistryRecord(string Name, bool AdminUserEnabled, string AdminPassword, string AdminPassword2,
    DateTimeOffset Created);

/// <summary>An upload session; <see cref="Offset"/> is what the server has acknowledged.</summary>
public sealed record UploadRecord(string Id, string Registry, string Repository, long Offset,
    DateTimeOffset Created, DateTimeOffset Updated);

/// <summary>A stored manifest: the exact bytes pushed, and what was parsed from them.</summary>
public sealed record ManifestRecord(Digest Digest, string MediaType, ReadOnlyMemory<byte> Content);

/// <summary>A manifest to store, with its parse and the tag it is pushed under, if any.</summary>
public sealed record ManifestWrite(
    string Registry, string Repository, Digest Digest, ReadOnlyMemory<byte> Content, ParsedManifest Parsed,
    string? Tag);

/// <summary>A referrer of a subject, as the referrers API lists it.</summary>
public sealed record ReferrerRecord(Digest Digest, string MediaType, long Size, string? ArtifactType,
    string? AnnotationsJson);

/// <summary>One page of names, and whether more follow.</summary>
public sealed record NamePage(IReadOnlyList<string> Names, bool HasMore);

/// <summary>What a collection pass removed.</summary>
public sealed record CollectionResult(int Blobs, int Uploads, int Links);
