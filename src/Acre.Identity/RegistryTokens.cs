using System.Text.Json.Nodes;

namespace Acre.Identity;

/// <summary>
/// Issues and reads ACR access tokens: JWTs whose <c>aud</c> is the registry's login server (without port)
/// and whose <c>access</c> claim lists what they grant.
/// </summary>
public sealed class RegistryTokens(SigningKey key, TimeProvider time)
{
    public const string Issuer = "Azure Container Registry";

    /// <summary>ACR's access tokens last 75 minutes.</summary>
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromMinutes(75);

    public string IssueAccessToken(string audience, string subject, IReadOnlyList<AccessScope> access)
    {
        var now = time.GetUtcNow();
        var accessClaim = new JsonArray();
        foreach (var scope in access)
        {
            accessClaim.Add(new JsonObject
            {
                ["type"] = scope.Type,
                ["name"] = scope.Name,
                ["actions"] = new JsonArray([.. scope.Actions.Select(a => (JsonNode?)JsonValue.Create(a))]),
            });
        }

        var claims = new JsonObject
        {
            ["jti"] = Guid.NewGuid().ToString(),
            ["sub"] = subject,
            ["nbf"] = now.AddMinutes(-5).ToUnixTimeSeconds(),
            ["exp"] = now.Add(AccessTokenLifetime).ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["iss"] = Issuer,
            ["aud"] = audience,
            ["version"] = "3.0",
            ["grant_type"] = "access_token",
            ["access"] = accessClaim,
        };
        return Jwt.Sign(claims, key);
    }

    /// <summary>The grant of a valid, unexpired access token for <paramref name="audience"/>, or null.</summary>
    public RegistryGrant? ReadAccessToken(string token, string audience)
    {
        var claims = Jwt.Verify(token, key);
        if (claims is null || claims["grant_type"]?.GetValue<string>() != "access_token" ||
            claims["iss"]?.GetValue<string>() != Issuer ||
            !string.Equals(claims["aud"]?.GetValue<string>(), audience, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        long now = time.GetUtcNow().ToUnixTimeSeconds();
        if (claims["exp"]?.GetValue<long>() is not { } exp || exp <= now ||
            claims["nbf"]?.GetValue<long>() is not { } nbf || nbf > now)
        {
            return null;
        }

        var access = new List<AccessScope>();
        if (claims["access"] is JsonArray entries)
        {
            foreach (var entry in entries.OfType<JsonObject>())
            {
                string? type = entry["type"]?.GetValue<string>();
                string? name = entry["name"]?.GetValue<string>();
                var actions = (entry["actions"] as JsonArray)?.Select(a => a?.GetValue<string>()).OfType<string>();
                if (type is not null && name is not null && actions is not null)
                {
                    access.Add(new AccessScope(type, name, [.. actions]));
                }
            }
        }

        return new RegistryGrant(claims["sub"]?.GetValue<string>() ?? "", access);
    }
}

/// <summary>What a caller may do on one registry.</summary>
public sealed record RegistryGrant(string Subject, IReadOnlyList<AccessScope> Access)
{
    public bool Allows(string type, string name, string action) =>
        Access.Any(a => a.Type == type && a.Name == name && (a.Actions.Contains(action) || a.Actions.Contains("*")));
}
