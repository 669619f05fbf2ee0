using System.Text.Json;

namespace Acre.Content;

/// <summary>Checks a pushed manifest the way the OCI spec and ACR do, and extracts what the store indexes.</summary>
public static class ManifestParser
{
    /// <summary>ACR refuses manifests larger than 4 MiB.</summary>
    public const int MaxManifestBytes = 4 * 1024 * 1024;

    public static ManifestParseResult Parse(ReadOnlyMemory<byte> bytes, string? contentType)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return ManifestParseResult.Invalid("manifest is not valid JSON");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return ManifestParseResult.Invalid("manifest is not a JSON object");
            }

            return ParseObject(document.RootElement, NormalizeContentType(contentType));
        }
    }

    private static ManifestParseResult ParseObject(JsonElement root, string? contentType)
    {
        if (root.TryGetProperty("schemaVersion", out var v) && IsSchema1(v))
        {
            return ManifestParseResult.Unsupported("Docker schema 1 manifests are not supported");
        }

        string? declared = GetString(root, "mediaType");
        if (declared is not null && contentType is not null && declared != contentType)
        {
            return ManifestParseResult.Invalid(
                $"manifest media type '{declared}' does not match Content-Type '{contentType}'");
        }

        string? mediaType = contentType ?? declared ?? Infer(root);
        if (mediaType is null)
        {
            return ManifestParseResult.Invalid("manifest media type is missing");
        }

        if (MediaTypes.IsSchema1(mediaType))
        {
            return ManifestParseResult.Unsupported("Docker schema 1 manifests are not supported");
        }

        if (!MediaTypes.IsSupportedManifest(mediaType))
        {
            return ManifestParseResult.Invalid($"unsupported manifest media type '{mediaType}'");
        }

        if (!root.TryGetProperty("schemaVersion", out var schema) || schema.ValueKind != JsonValueKind.Number ||
            !schema.TryGetInt32(out int version) || version != 2)
        {
            return ManifestParseResult.Invalid("schemaVersion must be 2");
        }

        return MediaTypes.IsIndex(mediaType) ? ParseIndex(root, mediaType) : ParseImage(root, mediaType);
    }

    private static ManifestParseResult ParseImage(JsonElement root, string mediaType)
    {
        if (!root.TryGetProperty("config", out var config) || config.ValueKind != JsonValueKind.Object)
        {
            return ManifestParseResult.Invalid("image manifest has no config descriptor");
        }

        var references = new List<ManifestReference>();
        string? error = AddDescriptor(config, isManifest: false, references, out string? configMediaType);
        if (error is not null)
        {
            return ManifestParseResult.Invalid("config: " + error);
        }

        if (!root.TryGetProperty("layers", out var layers) || layers.ValueKind != JsonValueKind.Array)
        {
            return ManifestParseResult.Invalid("image manifest has no layers array");
        }

        foreach (var layer in layers.EnumerateArray())
        {
            error = AddDescriptor(layer, isManifest: false, references, out _);
            if (error is not null)
            {
                return ManifestParseResult.Invalid("layer: " + error);
            }
        }

        string? artifactType = GetString(root, "artifactType") ?? configMediaType;
        return Finish(root, mediaType, artifactType, configMediaType, references);
    }

    private static ManifestParseResult ParseIndex(JsonElement root, string mediaType)
    {
        if (!root.TryGetProperty("manifests", out var manifests) || manifests.ValueKind != JsonValueKind.Array)
        {
            return ManifestParseResult.Invalid("image index has no manifests array");
        }

        var references = new List<ManifestReference>();
        foreach (var child in manifests.EnumerateArray())
        {
            string? error = AddDescriptor(child, isManifest: true, references, out _);
            if (error is not null)
            {
                return ManifestParseResult.Invalid("manifests: " + error);
            }
        }

        return Finish(root, mediaType, GetString(root, "artifactType"), null, references);
    }

    private static ManifestParseResult Finish(
        JsonElement root, string mediaType, string? artifactType, string? configMediaType,
        List<ManifestReference> references)
    {
        Digest? subject = null;
        if (root.TryGetProperty("subject", out var subjectElement))
        {
            var subjectReferences = new List<ManifestReference>();
            string? error = AddDescriptor(subjectElement, isManifest: true, subjectReferences, out _);
            if (error is not null)
            {
                return ManifestParseResult.Invalid("subject: " + error);
            }

            subject = subjectReferences[0].Digest;
        }

        string? annotations = null;
        if (DescriptorRules.TryGetPresent(root, "annotations", out var a))
        {
            if (!DescriptorRules.IsStringMap(a))
            {
                return ManifestParseResult.Invalid("annotations must be a map of strings");
            }

            annotations = a.GetRawText();
        }
        return ManifestParseResult.Ok(
            new ParsedManifest(mediaType, artifactType, configMediaType, subject, references, annotations));
    }

    private static string? AddDescriptor(
        JsonElement descriptor, bool isManifest, List<ManifestReference> references, out string? mediaType)
    {
        mediaType = null;
        if (descriptor.ValueKind != JsonValueKind.Object)
        {
            return "descriptor is not an object";
        }

        mediaType = GetString(descriptor, "mediaType");
        if (mediaType is null)
        {
            return "descriptor mediaType is missing or not a string";
        }

        if (!Digest.TryParse(GetString(descriptor, "digest"), out var digest, out var digestError))
        {
            return digestError == DigestError.UnsupportedAlgorithm
                ? "digest algorithm is not supported"
                : "descriptor digest is missing or malformed";
        }

        if (!descriptor.TryGetProperty("size", out var sizeElement) || sizeElement.ValueKind != JsonValueKind.Number ||
            !sizeElement.TryGetInt64(out long size) || size < 0)
        {
            return $"descriptor {digest} has no valid size";
        }

        if (DescriptorRules.CheckOptional(descriptor) is { } error)
        {
            return $"descriptor {digest}: {error}";
        }

        bool foreign = descriptor.TryGetProperty("urls", out var urls) && urls.ValueKind == JsonValueKind.Array &&
            urls.GetArrayLength() > 0;
        references.Add(new ManifestReference(digest.Value, size, isManifest, foreign));
        return null;
    }

    private static string? Infer(JsonElement root)
    {
        if (root.TryGetProperty("manifests", out _))
        {
            return MediaTypes.OciIndex;
        }

        return root.TryGetProperty("config", out _) ? MediaTypes.OciManifest : null;
    }

    private static bool IsSchema1(JsonElement version) =>
        version.ValueKind == JsonValueKind.Number && version.TryGetInt32(out int v) && v == 1;

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>Drops parameters; treats the generic JSON types as "not said", as Distribution does.</summary>
    private static string? NormalizeContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }

        int semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        string bare = (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim().ToLowerInvariant();
        return bare is "application/json" or "application/octet-stream" or "text/plain" ? null : bare;
    }
}

public enum ManifestParseStatus
{
    Ok,
    Invalid,
    Unsupported,
}

public sealed record ManifestParseResult(ManifestParseStatus Status, ParsedManifest? Manifest, string? Error)
{
    public static ManifestParseResult Ok(ParsedManifest manifest) => new(ManifestParseStatus.Ok, manifest, null);

    public static ManifestParseResult Invalid(string error) => new(ManifestParseStatus.Invalid, null, error);

    public static ManifestParseResult Unsupported(string error) => new(ManifestParseStatus.Unsupported, null, error);
}
