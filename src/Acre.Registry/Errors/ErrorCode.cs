namespace Acre.Registry.Errors;

/// <summary>An error code of the data plane: its wire value and the status it is answered with.</summary>
public sealed record ErrorCode(string Value, int Status, string Message)
{
    public static readonly ErrorCode BlobUnknown = new("BLOB_UNKNOWN", 404, "blob unknown to registry");
    public static readonly ErrorCode BlobUploadInvalid = new("BLOB_UPLOAD_INVALID", 400, "blob upload invalid");
    public static readonly ErrorCode BlobUploadUnknown =
        new("BLOB_UPLOAD_UNKNOWN", 404, "blob upload unknown to registry");
    public static readonly ErrorCode DigestInvalid =
        new("DIGEST_INVALID", 400, "provided digest did not match uploaded content");
    public static readonly ErrorCode ManifestBlobUnknown =
        new("MANIFEST_BLOB_UNKNOWN", 400, "blob unknown to registry");
    public static readonly ErrorCode ManifestInvalid = new("MANIFEST_INVALID", 400, "manifest invalid");
    public static readonly ErrorCode ManifestUnknown = new("MANIFEST_UNKNOWN", 404, "manifest unknown");
    public static readonly ErrorCode NameInvalid = new("NAME_INVALID", 400, "invalid repository name");
    public static readonly ErrorCode NameUnknown = new("NAME_UNKNOWN", 404, "repository name not known to registry");
    public static readonly ErrorCode SizeInvalid =
        new("SIZE_INVALID", 400, "provided length did not match content length");
    public static readonly ErrorCode Unauthorized = new("UNAUTHORIZED", 401, "authentication required");
    public static readonly ErrorCode Denied = new("DENIED", 403, "requested access to the resource is denied");
    public static readonly ErrorCode Unsupported = new("UNSUPPORTED", 405, "The operation is unsupported.");
    public static readonly ErrorCode PaginationNumberInvalid =
        new("PAGINATION_NUMBER_INVALID", 400, "invalid number of results requested");
    public static readonly ErrorCode TagInvalid = new("TAG_INVALID", 400, "manifest tag did not match URI");
    /// <summary>ACR's own code for an operation a changeable attribute forbids; Docker prints it as
    /// "unknown".</summary>
    public static readonly ErrorCode Disallowed = new("REGISTRY_DISALLOWED_OPERATION", 405,
        "The operation is disallowed on this registry, repository or image.");
    public static readonly ErrorCode TagUnknown = new("TAG_UNKNOWN", 404, "the specified tag does not exist");
    public static readonly ErrorCode UpstreamFailed = new("UNKNOWN", 502, "the upstream registry could not be reached");
    public static readonly ErrorCode NotFound = new("NOT_FOUND", 404, "the requested path does not exist");
}
