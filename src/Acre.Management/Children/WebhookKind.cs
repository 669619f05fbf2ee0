using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Acre.Management.Arm;
using Acre.Management.Registries;
using Acre.Storage;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Children;

/// <summary>
/// Webhooks: a service URI that Acre really POSTs ACR's event JSON to, filtered by status, actions and scope.
/// The URI and custom headers are write-only, as in ACR: only getCallbackConfig shows them.
/// </summary>
public sealed partial class WebhookKind : ChildKind
{
    public static readonly string[] Actions = ["push", "delete", "quarantine", "chart_push", "chart_delete"];

    public override string Segment => "webhooks";

    public override bool IsTracked => true;

    public override bool IsValidName(string name) => NamePattern().IsMatch(name);

    public override string NameRule => "between 5 and 50 alphanumeric characters";

    public override Task<IResult?> CheckAllowedAsync(ChildContext context, RegistryRecord registry, bool creating) =>
        creating
            ? SkuRules.WithinAsync(context, registry, "webhooks", Skus.WebhookLimit(registry.Sku), Segment)
            : Task.FromResult<IResult?>(null);

    public override Task<(JsonObject? Properties, IResult? Error)> BuildAsync(
        ChildContext context, RegistryRecord registry, string name, JsonObject given, JsonObject? existing)
    {
        var properties = existing?.DeepClone().AsObject() ?? new JsonObject { ["status"] = "enabled", ["scope"] = "" };
        if (given["serviceUri"] is { } uriNode)
        {
            if (!Uri.TryCreate(ArmBody.Text(uriNode), UriKind.Absolute, out var uri) ||
                uri.Scheme is not ("http" or "https"))
            {
                return Fail("'serviceUri' must be an absolute http or https URI.");
            }

            properties["serviceUri"] = uri.ToString();
        }
        else if (existing is null)
        {
            return Fail("A webhook needs a 'serviceUri'.");
        }

        if (given["customHeaders"] is { } headers)
        {
            if (headers is not JsonObject map || map.Any(h => ArmBody.Text(h.Value) is null))
            {
                return Fail("'customHeaders' must be an object of string values.");
            }

            properties["customHeaders"] = map.DeepClone();
        }

        if (given["status"] is { } status)
        {
            string? value = ArmBody.Text(status)?.ToLowerInvariant();
            if (value is not ("enabled" or "disabled"))
            {
                return Fail("'status' must be enabled or disabled.");
            }

            properties["status"] = value;
        }

        if (given["scope"] is { } scope)
        {
            properties["scope"] = ArmBody.Text(scope) ?? "";
        }

        if (given["actions"] is JsonArray actions)
        {
            string?[] values = [.. actions.Select(ArmBody.Text)];
            if (values.Length == 0 || values.Any(a => a is null || !Actions.Contains(a)))
            {
                return Fail($"'actions' must list some of {string.Join(", ", Actions)}.");
            }

            properties["actions"] = new JsonArray([.. values.Distinct().Select(v => (JsonNode?)v)]);
        }
        else if (existing is null)
        {
            return Fail("A webhook needs 'actions'.");
        }

        properties["provisioningState"] = "Succeeded";
        return Task.FromResult<(JsonObject?, IResult?)>((properties, null));
    }

    public override JsonObject Present(JsonObject properties)
    {
        properties.Remove("serviceUri");
        properties.Remove("customHeaders");
        return properties;
    }

    /// <summary>
    /// ACR's scope rule: empty matches everything, <c>repo:tag</c> one tag, <c>repo:*</c> every tag of a repository,
    /// and a bare <c>repo</c> means <c>repo:latest</c>.
    /// </summary>
    public static bool ScopeMatches(string scope, string repository, string? tag)
    {
        if (scope.Length == 0)
        {
            return true;
        }

        int colon = scope.LastIndexOf(':');
        string scopeRepository = colon < 0 ? scope : scope[..colon];
        string scopeTag = colon < 0 ? "latest" : scope[(colon + 1)..];
        return Glob(scopeRepository, repository) && (scopeTag == "*" || (tag is not null && Glob(scopeTag, tag)));
    }

    private static bool Glob(string pattern, string value) =>
        pattern.EndsWith('*')
            ? value.StartsWith(pattern[..^1], StringComparison.Ordinal)
            : pattern == value;

    private static Task<(JsonObject?, IResult?)> Fail(string message) =>
        Task.FromResult<(JsonObject?, IResult?)>((null, ArmError.Invalid("InvalidRequestContent", message)));

    [GeneratedRegex("^[a-zA-Z0-9]{5,50}$")]
    private static partial Regex NamePattern();
}
