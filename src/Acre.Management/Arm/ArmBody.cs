using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Arm;

/// <summary>Reads a request's JSON object, or the ARM error that a malformed body gets.</summary>
public static class ArmBody
{
    private const int MaxBodyBytes = 1024 * 1024;

    public static async Task<(JsonObject? Body, IResult? Error)> ReadAsync(HttpContext context, bool required = true)
    {
        if (context.Request.ContentLength is > MaxBodyBytes)
        {
            return (null, ArmError.Result(413, "RequestEntityTooLarge", "The request content is too large."));
        }

        try
        {
            var node = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
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
