using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Acre.Identity.Entra;

/// <summary>
/// A small Entra ID: OIDC discovery, token endpoints (v1, v2 and <c>/adfs</c>), JWKS and MSAL's instance
/// discovery, on the management host. Token requests are answered by <see cref="TokenGrants"/>.
/// </summary>
public static class IdentityEndpoints
{
    public static IEndpointRouteBuilder MapIdentity(this IEndpointRouteBuilder endpoints, EntraTokens tokens,
        SigningKey key, Func<HttpContext, bool> isManagementHost)
    {
        var grants = new TokenGrants(tokens);
        var group = endpoints.MapGroup("").AddEndpointFilter(async (context, next) =>
            isManagementHost(context.HttpContext) ? await next(context) : Results.NotFound());

        group.MapGet("/{tenant}/v2.0/.well-known/openid-configuration",
            (HttpContext c, string tenant) => Discovery(c, tokens.Options, tenant, "v2.0"));
        group.MapGet("/{tenant}/.well-known/openid-configuration",
            (HttpContext c, string tenant) => Discovery(c, tokens.Options, tenant, "v1"));
        group.MapPost("/{tenant}/oauth2/v2.0/token",
            (HttpContext c, string tenant) => grants.HandleAsync(c, tenant, TokenEndpointKind.V2));
        group.MapPost("/{tenant}/oauth2/token",
            (HttpContext c, string tenant) => grants.HandleAsync(c, tenant, TokenEndpointKind.V1));
        group.MapGet("/{tenant}/discovery/v2.0/keys", () => Keys(key));
        group.MapGet("/{tenant}/discovery/keys", () => Keys(key));
        group.MapGet("/common/discovery/instance", (HttpContext c) => InstanceDiscovery(c, tokens.Options));
        group.MapGet("/{tenant}/oauth2/v2.0/authorize", () => OAuthError(
            "unsupported_response_type", "AADSTS70000: Acre signs in with client secrets and passwords only."));
        return endpoints;
    }

    public static string Authority(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}";

    /// <summary>The tenant a path names: the tenant id, its aliases, or <c>adfs</c>; null for any other.</summary>
    public static string? ResolveTenant(IdentityOptions options, string tenant) =>
        tenant.ToLowerInvariant() switch
        {
            "common" or "organizations" or "adfs" => options.TenantId,
            var t when t == options.TenantId => options.TenantId,
            _ => null,
        };

    private static IResult Discovery(HttpContext context, IdentityOptions options, string tenant, string version)
    {
        if (ResolveTenant(options, tenant) is not { } tenantId)
        {
            return UnknownTenant(tenant);
        }

        string authority = Authority(context);
        bool adfs = tenant.Equals("adfs", StringComparison.OrdinalIgnoreCase);
        string root = adfs ? $"{authority}/adfs" : $"{authority}/{tenant}";
        string oauth = adfs || version == "v1" ? $"{root}/oauth2" : $"{root}/oauth2/v2.0";
        string issuer = adfs ? root : version == "v1" ? $"{authority}/{tenantId}/" : $"{authority}/{tenantId}/v2.0";
        return Results.Json(new Dictionary<string, object?>
        {
            ["issuer"] = issuer,
            ["authorization_endpoint"] = $"{oauth}/authorize",
            ["token_endpoint"] = $"{oauth}/token",
            ["device_authorization_endpoint"] = $"{oauth}/devicecode",
            ["jwks_uri"] = adfs ? $"{root}/discovery/keys" : $"{root}/discovery/v2.0/keys",
            ["response_types_supported"] = new[] { "code", "id_token", "token" },
            ["subject_types_supported"] = new[] { "pairwise" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "client_secret_basic" },
            ["grant_types_supported"] = new[] { "client_credentials", "password", "refresh_token" },
            ["scopes_supported"] = new[] { "openid", "profile", "email", "offline_access" },
            ["tenant_region_scope"] = "NA",
            ["cloud_instance_name"] = context.Request.Host.Host,
        });
    }

    private static IResult InstanceDiscovery(HttpContext context, IdentityOptions options)
    {
        string authority = Authority(context);
        string host = context.Request.Host.Value ?? "localhost";
        return Results.Json(new Dictionary<string, object?>
        {
            ["tenant_discovery_endpoint"] = $"{authority}/{options.TenantId}/v2.0/.well-known/openid-configuration",
            ["api-version"] = "1.1",
            ["metadata"] = new[]
            {
                new { preferred_network = host, preferred_cache = host, aliases = new[] { host } },
            },
        });
    }

    private static IResult Keys(SigningKey key)
    {
        var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
        return Results.Json(new
        {
            keys = new[]
            {
                new
                {
                    kty = "RSA",
                    use = "sig",
                    alg = "RS256",
                    kid = key.KeyId,
                    n = System.Buffers.Text.Base64Url.EncodeToString(parameters.Modulus),
                    e = System.Buffers.Text.Base64Url.EncodeToString(parameters.Exponent),
                },
            },
        });
    }

    internal static IResult UnknownTenant(string tenant) => OAuthError("invalid_tenant",
        $"AADSTS90002: Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID.", 400);

    internal static IResult OAuthError(string error, string description, int status = 400) =>
        Results.Json(new Dictionary<string, object>
        {
            ["error"] = error,
            ["error_description"] = description,
            ["error_codes"] = new[] { ErrorCodeOf(description) },
            ["timestamp"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss'Z'",
                System.Globalization.CultureInfo.InvariantCulture),
            ["trace_id"] = Guid.NewGuid().ToString(),
            ["correlation_id"] = Guid.NewGuid().ToString(),
        }, statusCode: status);

    /// <summary>The number of an <c>AADSTSnnnn: …</c> description, as Entra lists it in <c>error_codes</c>.</summary>
    internal static int ErrorCodeOf(string description)
    {
        int colon = description.IndexOf(':', StringComparison.Ordinal);
        return description.StartsWith("AADSTS", StringComparison.Ordinal) && colon > 6 &&
            int.TryParse(description.AsSpan(6, colon - 6), out int code) ? code : 0;
    }

    internal static bool SecretEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}

public enum TokenEndpointKind
{
    V1,
    V2,
}
