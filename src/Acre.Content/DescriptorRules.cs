using System.Text.Json;

namespace Acre.Content;

/// <summary>
/// The shape of an OCI descriptor's optional properties (image-spec <c>descriptor.md</c>, <c>image-index.md</c>,
/// <c>annotations.md</c>): a manifest that breaks them is refused at push, so what is stored can be read back
/// without surprises.
/// </summary>
internal static class DescriptorRules
{
    /// <summary>What is wrong with the descriptor's optional properties, or null.</summary>
    public static string? CheckOptional(JsonElement descriptor)
    {
        if (!IsOptional(descriptor, "artifactType", JsonValueKind.String) ||
            !IsOptional(descriptor, "data", JsonValueKind.String))
        {
            return "artifactType and data must be strings";
        }

        if (!IsOptionalStringArray(descriptor, "urls"))
        {
            return "urls must be an array of strings";
        }

        if (TryGetPresent(descriptor, "annotations", out var annotations) && !IsStringMap(annotations))
        {
            return "annotations must be a map of strings";
        }

        return TryGetPresent(descriptor, "platform", out var platform) ? CheckPlatform(platform) : null;
    }

    /// <summary>A property that is there and not null: an explicit null is read as absent, as Go clients may
    /// write it.</summary>
    public static bool TryGetPresent(JsonElement element, string name, out JsonElement value) =>
        element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>Annotations are a map of string keys to string values.</summary>
    public static bool IsStringMap(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object &&
        element.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String);

    private static string? CheckPlatform(JsonElement platform)
    {
        if (platform.ValueKind != JsonValueKind.Object || !IsString(platform, "architecture") ||
            !IsString(platform, "os"))
        {
            return "platform must be an object with string architecture and os";
        }

        bool valid = IsOptional(platform, "os.version", JsonValueKind.String) &&
            IsOptional(platform, "variant", JsonValueKind.String) &&
            IsOptionalStringArray(platform, "os.features") && IsOptionalStringArray(platform, "features");
        return valid ? null : "platform's os.version and variant must be strings, its features arrays of strings";
    }

    private static bool IsString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String;

    private static bool IsOptional(JsonElement element, string name, JsonValueKind kind) =>
        !TryGetPresent(element, name, out var value) || value.ValueKind == kind;

    private static bool IsOptionalStringArray(JsonElement element, string name) =>
        !TryGetPresent(element, name, out var value) ||
        value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String);
}
