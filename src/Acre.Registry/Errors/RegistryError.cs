using System.Text.Json.Serialization;

namespace Acre.Registry.Errors;

/// <summary>One entry of the spec's <c>{"errors":[…]}</c> body.</summary>
public sealed record RegistryError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("detail")] object? Detail);
