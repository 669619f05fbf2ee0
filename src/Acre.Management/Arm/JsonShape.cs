using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Arm;

/// <summary>
/// The JSON types the spec gives a request's properties, checked before anything is kept, as ARM's deserializer
/// refuses a value of the wrong type. Properties a shape does not name pass, as ARM ignores them, and null stands
/// for a property not given.
/// </summary>
public sealed class JsonShape
{
    private readonly string _expected;
    private readonly Func<JsonNode, bool> _accepts;
    private readonly Dictionary<string, JsonShape>? _properties;
    private readonly JsonShape? _items;
    private readonly JsonShape? _values;

    private JsonShape(string expected, Func<JsonNode, bool> accepts, Dictionary<string, JsonShape>? properties = null,
        JsonShape? items = null, JsonShape? values = null)
    {
        _expected = expected;
        _accepts = accepts;
        _properties = properties;
        _items = items;
        _values = values;
    }

    public static JsonShape Text { get; } = new("a string", n => n.GetValueKind() == JsonValueKind.String);

    public static JsonShape Flag { get; } =
        new("true or false", n => n.GetValueKind() is JsonValueKind.True or JsonValueKind.False);

    public static JsonShape WholeNumber { get; } =
        new("a whole number", n => n is JsonValue value && value.TryGetValue<int>(out _));

    public static JsonShape WholeNumberIn(int min, int max) => new($"a whole number from {min} to {max}",
        n => n is JsonValue value && value.TryGetValue<int>(out int number) && number >= min && number <= max);

    /// <summary>A string among <paramref name="allowed"/>, in any case, as ACR matches its enums.</summary>
    public static JsonShape OneOf(params string[] allowed) => new("one of " + string.Join(", ", allowed),
        n => ArmBody.Text(n) is { } text && allowed.Contains(text, StringComparer.OrdinalIgnoreCase));

    public static JsonShape ArrayOf(JsonShape items) => new("an array", n => n is JsonArray, items: items);

    /// <summary>An object whose every value has one shape (the spec's <c>additionalProperties</c>).</summary>
    public static JsonShape MapOf(JsonShape values) => new("an object", n => n is JsonObject, values: values);

    public static JsonShape ObjectOf(params (string Name, JsonShape Shape)[] properties) => new("an object",
        n => n is JsonObject, properties.ToDictionary(p => p.Name, p => p.Shape, StringComparer.Ordinal));

    /// <summary>This object's properties and <paramref name="more"/>, as the spec's <c>allOf</c> composes.</summary>
    public JsonShape With(params (string Name, JsonShape Shape)[] more) =>
        ObjectOf([.. (_properties ?? []).Select(p => (p.Key, p.Value)), .. more]);

    /// <summary>ARM's error for the first value at or under <paramref name="path"/> that has not its shape.</summary>
    public IResult? Check(JsonNode? node, string path) => Mismatch(node, path) is { } message
        ? ArmError.InvalidBody(message)
        : null;

    /// <summary>What is wrong with the first value that has not its shape, or null when all have.</summary>
    public string? Mismatch(JsonNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (!_accepts(node))
        {
            return $"The value of property '{path}' is invalid; it must be {_expected}.";
        }

        if (_items is not null)
        {
            var array = node.AsArray();
            return Enumerable.Range(0, array.Count)
                .Select(i => _items.Mismatch(array[i], $"{path}[{i}]"))
                .FirstOrDefault(m => m is not null);
        }

        var children = node as JsonObject;
        return children?.Select(child => Of(child.Key)?.Mismatch(child.Value, Join(path, child.Key)))
            .FirstOrDefault(m => m is not null);
    }

    private JsonShape? Of(string name) => _values ?? _properties?.GetValueOrDefault(name);

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
