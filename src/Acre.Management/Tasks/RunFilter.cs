using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Acre.Management.Tasks;

/// <summary>
/// The OData <c>$filter</c> of runs lists, as the CLI writes it: comparisons of RunId, Status, TaskName, RunType
/// and the times, and <c>contains(OutputImageManifests, 'repo:tag')</c>, joined by <c>and</c>.
/// </summary>
public sealed partial class RunFilter
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["RunId"] = "runId",
        ["Status"] = "status",
        ["TaskName"] = "task",
        ["RunType"] = "runType",
        ["CreateTime"] = "createTime",
        ["StartTime"] = "startTime",
        ["FinishTime"] = "finishTime",
    };

    private readonly List<Func<JsonObject, bool>> _conditions = [];

    /// <summary>The filter, or null with <paramref name="error"/> saying what was not understood.</summary>
    public static RunFilter? Parse(string? text, out string? error)
    {
        error = null;
        var filter = new RunFilter();
        if (string.IsNullOrWhiteSpace(text))
        {
            return filter;
        }

        foreach (string clause in AndPattern().Split(text.Trim()))
        {
            if (ContainsPattern().Match(clause) is { Success: true } contains)
            {
                string image = contains.Groups[1].Value;
                filter._conditions.Add(p => (p["outputImages"] as JsonArray ?? []).Any(o =>
                    $"{o?["repository"]}:{o?["tag"]}" == image));
                continue;
            }

            var match = ComparisonPattern().Match(clause);
            if (!match.Success || !Fields.TryGetValue(match.Groups[1].Value, out string? field))
            {
                error = $"The filter clause '{clause}' is not supported.";
                return null;
            }

            string op = match.Groups[2].Value.ToLowerInvariant();
            string value = match.Groups[3].Value;
            bool isTime = field.EndsWith("Time", StringComparison.Ordinal);
            filter._conditions.Add(p => Compare(Text(p[field]), value, isTime) is { } order && Holds(op, order));
        }

        return filter;
    }

    public bool Matches(JsonObject properties) => _conditions.All(c => c(properties));

    private static bool Holds(string op, int order) => op switch
    {
        "eq" => order == 0,
        "ne" => order != 0,
        "gt" => order > 0,
        "ge" => order >= 0,
        "lt" => order < 0,
        _ => order <= 0,
    };

    private static int? Compare(string? actual, string expected, bool isTime)
    {
        if (actual is null)
        {
            return null;
        }

        if (isTime && DateTimeOffset.TryParse(actual, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal,
            out var a) && DateTimeOffset.TryParse(expected, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var e))
        {
            return a.CompareTo(e);
        }

        return string.Compare(actual, expected, StringComparison.OrdinalIgnoreCase);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var t)
        ? t
        : null;

    [GeneratedRegex(@"\s+and\s+", RegexOptions.IgnoreCase)]
    private static partial Regex AndPattern();

    [GeneratedRegex(@"^\s*(\w+)\s+(eq|ne|gt|ge|lt|le)\s+'([^']*)'\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex ComparisonPattern();

    [GeneratedRegex(@"^\s*contains\(\s*OutputImageManifests\s*,\s*'([^']*)'\s*\)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex ContainsPattern();
}
