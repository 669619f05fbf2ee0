using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Acre.Management.Arm;
using Acre.Management.Registries;
using Acre.Storage;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Children;

/// <summary>
/// Tokens: a name and passwords that sign in to the data plane with exactly the actions of a scope map.
/// Password values are shown once, by generateCredentials; only their SHA-256 is kept.
/// </summary>
public sealed partial class TokenKind(ScopeMapKind scopeMaps) : ChildKind
{
    /// <summary>Where the hashes of a token's passwords sit in its stored properties; never shown.</summary>
    public const string SecretsProperty = Identity.ScopeMaps.TokenSecretsProperty;

    public override string Segment => "tokens";

    public override bool IsValidName(string name) => NamePattern().IsMatch(name);

    public override Task<IResult?> CheckAllowedAsync(ChildContext context, RegistryRecord registry, bool creating) =>
        creating
            ? SkuRules.WithinAsync(context, registry, "tokens", Skus.ScopeMapAndTokenLimit(registry.Sku), Segment)
            : Task.FromResult<IResult?>(null);

    public override async Task<(JsonObject? Properties, IResult? Error)> BuildAsync(
        ChildContext context, RegistryRecord registry, string name, JsonObject given, JsonObject? existing)
    {
        var properties = existing?.DeepClone().AsObject() ?? new JsonObject
        {
            ["creationDate"] = context.Now.UtcDateTime.ToString("O"),
            ["status"] = "enabled",
            ["credentials"] = new JsonObject { ["certificates"] = new JsonArray(), ["passwords"] = new JsonArray() },
        };
        if (given["scopeMapId"] is { } scopeMapNode)
        {
            string id = ArmBody.Text(scopeMapNode) ?? "";
            if (!await ScopeMapExistsAsync(context, registry, id))
            {
                return (null, ArmError.Invalid("InvalidScopeMapId",
                    $"The scope map '{id}' does not exist in registry '{registry.DisplayName}'."));
            }

            properties["scopeMapId"] = id;
        }
        else if (existing is null)
        {
            return (null, ArmError.Invalid("InvalidRequestContent", "A token needs a 'scopeMapId'."));
        }

        if (given["status"] is { } statusNode)
        {
            string? status = ArmBody.Text(statusNode)?.ToLowerInvariant();
            if (status is not ("enabled" or "disabled"))
            {
                return (null, ArmError.Invalid("InvalidRequestContent", "'status' must be enabled or disabled."));
            }

            properties["status"] = status;
        }

        if (given["credentials"]?["passwords"] is JsonArray kept)
        {
            KeepOnly(properties, [.. kept.Select(p => ArmBody.Text(p?["name"])).OfType<string>()]);
        }

        properties["provisioningState"] = "Succeeded";
        return (properties, null);
    }

    /// <summary>An update that lists passwords keeps only those: the CLI deletes a password this way.</summary>
    private static void KeepOnly(JsonObject properties, string[] names)
    {
        if (properties["credentials"]?["passwords"] is JsonArray shown)
        {
            foreach (var removed in shown.Where(p => !names.Contains(ArmBody.Text(p?["name"]))).ToList())
            {
                shown.Remove(removed);
            }
        }

        if (properties[SecretsProperty] is JsonObject secrets)
        {
            foreach (string name in secrets.Select(s => s.Key).Where(n => !names.Contains(n)).ToList())
            {
                secrets.Remove(name);
            }
        }
    }

    public override JsonObject Present(JsonObject properties)
    {
        properties.Remove(SecretsProperty);
        return properties;
    }

    /// <summary>Makes new password values; only their hashes are kept, the values go to the caller once.</summary>
    public static JsonArray Generate(JsonObject properties, IEnumerable<string> names, DateTimeOffset now,
        DateTimeOffset? expiry)
    {
        var secrets = properties[SecretsProperty] as JsonObject ?? new JsonObject();
        var shown = properties["credentials"]!["passwords"] as JsonArray ?? new JsonArray();
        var values = new JsonArray();
        foreach (string name in names)
        {
            string value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(33)).Replace('/', 'x').Replace('+',
                'y');
            var entry = new JsonObject { ["name"] = name, ["creationTime"] = now.UtcDateTime.ToString("O") };
            if (expiry is { } e)
            {
                entry["expiry"] = e.UtcDateTime.ToString("O");
            }

            secrets[name] = new JsonObject { ["sha256"] = Hash(value), ["expiry"] = entry["expiry"]?.DeepClone() };
            foreach (var old in shown.Where(p => ArmBody.Text(p?["name"]) == name).ToList())
            {
                shown.Remove(old);
            }

            shown.Add(entry.DeepClone());
            entry["value"] = value;
            values.Add(entry);
        }

        properties[SecretsProperty] = secrets;
        return values;
    }

    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private async Task<bool> ScopeMapExistsAsync(ChildContext context, RegistryRecord registry, string id)
    {
        string prefix = $"{context.RegistryId(registry)}/scopeMaps/";
        if (!id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string name = id[prefix.Length..];
        return scopeMaps.BuiltIn(registry).Any(b => b.Name == name) ||
            await context.Metadata.GetChildAsync(registry.Name, scopeMaps.Segment, name,
                CancellationToken.None) is not null;
    }

    [GeneratedRegex("^[a-zA-Z0-9-]{5,50}$")]
    private static partial Regex NamePattern();
}
