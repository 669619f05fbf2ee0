using System.Text;
using System.Text.Json.Nodes;

namespace Acre.Identity.Entra;

/// <summary>
/// Access, refresh and id tokens of Acre's small Entra ID: RS256 JWTs signed by the data directory's key, with
/// the claims Azure's own carry (<c>iss</c>, <c>aud</c>, <c>tid</c>, <c>oid</c>, <c>appid</c>, times).
/// </summary>
public sealed class EntraTokens(SigningKey key, TimeProvider time, IdentityOptions options)
{
    public static readonly TimeSpan AccessLifetime = TimeSpan.FromMinutes(60);
    public static readonly TimeSpan RefreshLifetime = TimeSpan.FromDays(1);

    private const string RefreshType = "acre-entra-refresh";

    public IdentityOptions Options => options;

    public string IssueAccessToken(string issuer, string audience, Principal principal)
    {
        var claims = BaseClaims(issuer, principal, AccessLifetime);
        claims["aud"] = audience;
        claims["ver"] = "1.0";
        claims["idtyp"] = principal.Kind == PrincipalKind.User ? "user" : "app";
        if (principal.Kind == PrincipalKind.User)
        {
            claims["upn"] = principal.Name;
            claims["unique_name"] = principal.Name;
            claims["scp"] = "user_impersonation";
        }

        return Jwt.Sign(claims, key);
    }

    public string IssueRefreshToken(string issuer, Principal principal)
    {
        var claims = BaseClaims(issuer, principal, RefreshLifetime);
        claims["typ"] = RefreshType;
        claims["kind"] = principal.Kind.ToString();
        claims["name"] = principal.Name;
        return Jwt.Sign(claims, key);
    }

    public string IssueIdToken(string issuer, string clientId, Principal principal)
    {
        var claims = BaseClaims(issuer, principal, AccessLifetime);
        claims["aud"] = clientId;
        claims["ver"] = "2.0";
        claims["preferred_username"] = principal.Name;
        claims["name"] = principal.Name;
        return Jwt.Sign(claims, key);
    }

    /// <summary>MSAL's <c>client_info</c>: the user's object id and tenant, base64url JSON.</summary>
    public static string ClientInfo(Principal principal) =>
        System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            new JsonObject { ["uid"] = principal.ObjectId, ["utid"] = principal.TenantId }.ToJsonString()));

    public Principal? ReadRefreshToken(string token)
    {
        var claims = Jwt.Verify(token, key);
        if (claims?["typ"]?.GetValue<string>() != RefreshType || IsExpired(claims) ||
            !Enum.TryParse<PrincipalKind>(claims["kind"]?.GetValue<string>(), out var kind))
        {
            return null;
        }

        return ToPrincipal(claims, kind);
    }

    /// <summary>Checks an access token's signature, tenant, expiry and audience.</summary>
    public EntraValidation ValidateAccessToken(string token, Func<string, bool> audienceAccepted)
    {
        var claims = Jwt.Verify(token, key);
        if (claims is null || claims["typ"] is not null || claims["tid"]?.GetValue<string>() != options.TenantId ||
            claims["iss"]?.GetValue<string>() is not { Length: > 0 } ||
            claims["aud"]?.GetValue<string>() is not { } audience || claims["oid"] is null)
        {
            return new EntraValidation(EntraValidationStatus.Invalid, null);
        }

        if (IsExpired(claims))
        {
            return new EntraValidation(EntraValidationStatus.Expired, null);
        }

        if (!audienceAccepted(audience))
        {
            return new EntraValidation(EntraValidationStatus.WrongAudience, null);
        }

        var kind = claims["idtyp"]?.GetValue<string>() == "user" ? PrincipalKind.User : PrincipalKind.ServicePrincipal;
        return new EntraValidation(EntraValidationStatus.Valid, ToPrincipal(claims, kind));
    }

    private JsonObject BaseClaims(string issuer, Principal principal, TimeSpan lifetime)
    {
        var now = time.GetUtcNow();
        return new JsonObject
        {
            ["iss"] = issuer,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.AddMinutes(-5).ToUnixTimeSeconds(),
            ["exp"] = now.Add(lifetime).ToUnixTimeSeconds(),
            ["tid"] = principal.TenantId,
            ["oid"] = principal.ObjectId,
            ["sub"] = principal.ObjectId,
            ["appid"] = principal.AppId,
            ["azp"] = principal.AppId,
            ["uti"] = Guid.NewGuid().ToString("N"),
        };
    }

    private bool IsExpired(JsonObject claims)
    {
        long now = time.GetUtcNow().ToUnixTimeSeconds();
        return claims["exp"]?.GetValue<long>() is not { } exp || exp <= now ||
            claims["nbf"]?.GetValue<long>() is not { } nbf || nbf > now;
    }

    private static Principal ToPrincipal(JsonObject claims, PrincipalKind kind) => new(
        kind,
        claims["oid"]!.GetValue<string>(),
        claims["appid"]?.GetValue<string>() ?? "",
        claims["tid"]!.GetValue<string>(),
        claims["upn"]?.GetValue<string>() ?? claims["name"]?.GetValue<string>() ?? claims["oid"]!.GetValue<string>());
}

public enum EntraValidationStatus
{
    Valid,
    Invalid,
    Expired,
    WrongAudience,
}

public sealed record EntraValidation(EntraValidationStatus Status, Principal? Principal);
