using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Acre.Identity;
using Acre.Storage;

namespace Acre.Registry.Auth;

/// <summary>
/// Repository-scoped tokens on the data plane: a token's name and one of its passwords sign in with exactly the
/// actions of its scope map. Read from the store on every use, so a disabled token, an expired password or a
/// changed scope map takes effect at once.
/// </summary>
public sealed class RepositoryTokens(IMetadataStore metadata, TimeProvider time)
{
    private const string SecretsProperty = ScopeMaps.TokenSecretsProperty;

    /// <summary>The caller a token name and password identify, or null.</summary>
    public async Task<Caller?> SignInAsync(RegistryRecord registry, string name, string password, CancellationToken ct)
    {
        var properties = await EnabledTokenAsync(registry, name, ct);
        if (properties?[SecretsProperty] is not JsonObject secrets)
        {
            return null;
        }

        byte[] given = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        var now = time.GetUtcNow();
        bool valid = secrets.Select(s => s.Value).OfType<JsonObject>().Any(secret =>
            secret["sha256"]?.GetValue<string>() is { } hash &&
            CryptographicOperations.FixedTimeEquals(given, Convert.FromHexString(hash)) &&
            (secret["expiry"]?.GetValue<string>() is not { } expiry || DateTimeOffset.Parse(expiry) > now));
        return valid ? await CallerAsync(registry, name, properties, ct) : null;
    }

    /// <summary>What the token may do now: its scope map's actions, or null when it is gone or disabled.</summary>
    public async Task<RegistryGrant?> CurrentGrantAsync(RegistryRecord registry, string name, CancellationToken ct)
    {
        var properties = await EnabledTokenAsync(registry, name, ct);
        return properties is null ? null : (await CallerAsync(registry, name, properties, ct))?.Grant;
    }

    private async Task<JsonObject?> EnabledTokenAsync(RegistryRecord registry, string name, CancellationToken ct)
    {
        var token = await metadata.GetChildAsync(registry.Name, "tokens", name, ct);
        var properties = token is null ? null : JsonNode.Parse(token.BodyJson)?["properties"] as JsonObject;
        return properties?["status"]?.GetValue<string>() == "enabled" ? properties : null;
    }

    private async Task<Caller?> CallerAsync(RegistryRecord registry, string name, JsonObject token,
        CancellationToken ct)
    {
        string scopeMapId = token["scopeMapId"]?.GetValue<string>() ?? "";
        string scopeMap = scopeMapId[(scopeMapId.LastIndexOf('/') + 1)..];
        var actions = ScopeMaps.SystemActions(scopeMap);
        if (actions is null)
        {
            var child = await metadata.GetChildAsync(registry.Name, "scopeMaps", scopeMap, ct);
            actions = (JsonNode.Parse(child?.BodyJson ?? "{}")?["properties"]?["actions"] as JsonArray)
                ?.Select(a => a?.GetValue<string>()).OfType<string>();
        }

        return actions is null
            ? null
            : new Caller(name, CallerKind.Token, new RegistryGrant(name, ScopeMaps.ToScopes(actions))
            {
                TokenName = name,
            });
    }
}
