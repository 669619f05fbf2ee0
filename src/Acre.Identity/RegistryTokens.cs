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

    /// <summary>ACR's refresh tokens last three hours.</summary>
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromHours(3);

    /// <summary>A refresh token for one registry, naming the Entra principal it was exchanged for.</summary>
    public string IssueRefreshToken(string audience, string subject, string tenantId)
    {
        var now = time.GetUtcNow();
        var claims = new JsonObject
        {
            ["jti"] = Guid.NewGuid().ToString(),
            ["sub"] = subject,
            ["nbf"] = now.AddMinutes(-5).ToUnixTimeSeconds(),
            ["exp"] = now.Add(RefreshTokenLifetime).ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["iss"] = Issuer,
            ["aud"] = audience,
            ["version"] = "1.0",
            ["grant_type"] = "refresh_token",
            ["tenant"] = tenantId,
            ["permissions"] = new JsonObject { ["actions"] = new JsonArray("*") },
        };
        return Jwt.Sign(claims, key);
    }

    /// <summary>The subject of a valid, unexpired refresh token for <paramref name="audience"/>, or null.</summary>
    public string? ReadRefreshToken(string token, string audience)
    {
        var claims = ReadValid(token, audience, "refresh_token");
        return claims?["sub"]?.GetValue<string>();
    }

    /// <param name="tokenName">The repository-scoped token the caller signed in with, re-checked on every use.</param>
    public string IssueAccessToken(
        string audience, string subject, IReadOnlyList<AccessScope> access, string? tokenName = null)
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
        if (tokenName is not null)
        {
            claims["acr_token"] = tokenName;
        }

        return Jwt.Sign(claims, key);
    }

    /// <summary>The grant of a valid, unexpired access token for <paramref name="audience"/>, or null.</summary>
    public RegistryGrant? ReadAccessToken(string token, string audience)
    {
        var claims = ReadValid(token, audience, "access_token");
        if (claims is null)
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

        return new RegistryGrant(claims["sub"]?.GetValue<string>() ?? "", access)
        {
            TokenName = claims["acr_token"]?.GetValue<string>(),
        };
    }

    private JsonObject? ReadValid(string token, string audience, string grantType)
    {
        var claims = Jwt.Verify(token, key);
        if (claims is null || claims["grant_type"]?.GetValue<string>() != grantType ||
            claims["iss"]?.GetValue<string>() != Issuer ||
            !string.Equals(claims["aud"]?.GetValue<string>(), audience, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        long now = time.GetUtcNow().ToUnixTimeSeconds();
        return claims["exp"]?.GetValue<long>() is { } exp && exp > now &&
            claims["nbf"]?.GetValue<long>() is { } nbf && nbf <= now
            ? claims
            : null;
    }
}

/// <summary>What a caller may do on one registry; repository names may be scope-map patterns.</summary>
public sealed record RegistryGrant(string Subject, IReadOnlyList<AccessScope> Access)
{
    /// <summary>The repository-scoped token behind the grant, if any.</summary>
    public string? TokenName { get; init; }

    public bool Allows(string type, string name, string action) =>
        Access.Any(a => a.Type == type && (a.Name == name || (type == AccessScope.Repository &&
            ScopeMaps.Covers(a.Name, name))) && (a.Actions.Contains(action) || a.Actions.Contains("*")));
}
