using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Arm;

/// <summary>Reads a request's JSON object, or the ARM error that a malformed body gets.</summary>
public static class ArmBody
{
    private const int MaxBodyBytes = 1024 * 1024;

    /// <summary>A repeated property is refused while parsing: a JsonObject would throw on it only when read.</summary>
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };

    public static async Task<(JsonObject? Body, IResult? Error)> ReadAsync(HttpContext context, bool required = true)
    {
        if (context.Request.ContentLength is > MaxBodyBytes)
        {
            return (null, ArmError.Result(413, "RequestEntityTooLarge", "The request content is too large."));
        }

        try
        {
            var node = await JsonNode.ParseAsync(context.Request.Body, documentOptions: Strict,
                cancellationToken: context.RequestAborted);
            if (node is JsonObject body)
            {
                return (body, null);
            }

            return node is null && !required
                ? (new JsonObject(), null)
                : (null, ArmError.InvalidBody("The request content must be a JSON object."));
        }
        catch (JsonException e)
        {
            return !required && context.Request.ContentLength is null or 0
                ? (new JsonObject(), null)
                : (null, ArmError.InvalidBody(
                    $"The request content was invalid and could not be deserialized: {e.Message}"));
        }
    }

    /// <summary>
    /// A body's <c>properties</c>, an empty object when none are given, or the error when they are not an object
    /// of the <paramref name="shape"/> given.
    /// </summary>
    public static (JsonObject? Properties, IResult? Error) Properties(JsonObject body, JsonShape? shape)
    {
        var given = body["properties"];
        if (given is not null and not JsonObject)
        {
            return (null, ArmError.InvalidBody(
                "The value of property 'properties' is invalid; it must be an object."));
        }

        var properties = given as JsonObject ?? new JsonObject();
        return shape?.Check(properties, "properties") is { } error ? (null, error) : (properties, null);
    }

    public static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static bool? Flag(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

    /// <summary>Tags: an object of strings; anything else is refused.</summary>
    public static (string? Json, IResult? Error) Tags(JsonNode? node)
    {
        if (node is null)
        {
            return (null, null);
        }

        if (node is not JsonObject tags || tags.Any(t => Text(t.Value) is null))
        {
            return (null, ArmError.Invalid("InvalidTag", "Tags must be an object of string values."));
        }

        return tags.Count > 50
            ? (null, ArmError.Invalid("InvalidTagCount", "A resource may have at most 50 tags."))
            : (tags.ToJsonString(), null);
    }

    public static JsonNode TagsNode(string? json) => json is null ? new JsonObject() : JsonNode.Parse(json)!;
}
