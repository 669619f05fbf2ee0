using Microsoft.AspNetCore.Http;

namespace Acre.Identity.Entra;

/// <summary>The grants of the token endpoint: client credentials, password and refresh token.</summary>
public sealed class TokenGrants(EntraTokens tokens)
{
    private const string DefaultScopeSuffix = "/.default";

    public async Task<IResult> HandleAsync(HttpContext context, string tenant, TokenEndpointKind kind)
    {
        var options = tokens.Options;
        if (IdentityEndpoints.ResolveTenant(options, tenant) is null)
        {
            return IdentityEndpoints.UnknownTenant(tenant);
        }

        if (!context.Request.HasFormContentType)
        {
            return IdentityEndpoints.OAuthError("invalid_request", "AADSTS900144: The request body must be a form.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        string clientId = form["client_id"].ToString();
        string grantType = form["grant_type"].ToString();
        string? audience = AudienceOf(form["scope"].ToString(), form["resource"].ToString());
        if (audience is null && grantType != "refresh_token")
        {
            return IdentityEndpoints.OAuthError("invalid_scope",
                "AADSTS70011: The provided request must include a 'scope' or 'resource' input parameter.");
        }

        var (principal, error) = grantType switch
        {
            "client_credentials" => ClientCredentials(options, clientId, form["client_secret"].ToString()),
            "password" => Password(options, clientId, form["username"].ToString(), form["password"].ToString()),
            "refresh_token" => Refresh(form["refresh_token"].ToString()),
            _ => (null, IdentityEndpoints.OAuthError("unsupported_grant_type",
                $"AADSTS70003: The app requested an unsupported grant type '{grantType}'.")),
        };
        if (principal is null)
        {
            return error!;
        }

        string issuer = Issuer(context, tenant, kind, options.TenantId);
        return Issue(context, issuer, audience ?? AzureManagementAudience, principal, clientId, kind);
    }

    /// <summary>The audience of the requested scope (<c>https://x//.default</c> as the CLI sends it) or
    /// resource.</summary>
    public static string? AudienceOf(string scope, string resource)
    {
        string? defaultScope = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(s => s.EndsWith(DefaultScopeSuffix, StringComparison.OrdinalIgnoreCase));
        if (defaultScope is not null)
        {
            return defaultScope[..^DefaultScopeSuffix.Length];
        }

        return resource.Length > 0 ? resource : null;
    }

    private const string AzureManagementAudience = "https://management.azure.com/";

    private IResult Issue(
        HttpContext context, string issuer, string audience, Principal principal, string clientId,
        TokenEndpointKind kind)
    {
        long expiresIn = (long)EntraTokens.AccessLifetime.TotalSeconds - 1;
        var body = new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = expiresIn,
            ["ext_expires_in"] = expiresIn,
            ["access_token"] = tokens.IssueAccessToken(issuer, audience, principal),
        };
        if (kind == TokenEndpointKind.V1)
        {
            body["resource"] = audience;
            body["expires_on"] = DateTimeOffset.UtcNow.AddSeconds(expiresIn).ToUnixTimeSeconds().ToString(
                System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            body["scope"] = audience.TrimEnd('/') + "/.default";
        }

        if (principal.Kind == PrincipalKind.User)
        {
            body["refresh_token"] = tokens.IssueRefreshToken(issuer, principal);
            body["id_token"] = tokens.IssueIdToken(issuer, clientId.Length > 0 ? clientId : principal.AppId, principal);
            body["client_info"] = EntraTokens.ClientInfo(principal);
        }

        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(body);
    }

    private static (Principal?, IResult?) ClientCredentials(IdentityOptions options, string clientId, string secret)
    {
        if (!string.Equals(clientId, options.ClientId, StringComparison.OrdinalIgnoreCase))
        {
            return (null, IdentityEndpoints.OAuthError("unauthorized_client",
                $"AADSTS700016: Application with identifier '{clientId}' was not found in the directory."));
        }

        if (!IdentityEndpoints.SecretEquals(secret, options.ClientSecret))
        {
            return (null, IdentityEndpoints.OAuthError("invalid_client",
                "AADSTS7000215: Invalid client secret provided.", 401));
        }

        return (new Principal(PrincipalKind.ServicePrincipal, options.ServicePrincipalObjectId, options.ClientId,
            options.TenantId, options.ClientId), null);
    }

    private static (Principal?, IResult?) Password(
        IdentityOptions options, string clientId, string userName, string password)
    {
        if (!string.Equals(userName, options.UserName, StringComparison.OrdinalIgnoreCase) ||
            !IdentityEndpoints.SecretEquals(password, options.UserPassword))
        {
            return (null, IdentityEndpoints.OAuthError("invalid_grant",
                "AADSTS50126: Error validating credentials due to invalid username or password."));
        }

        return (new Principal(PrincipalKind.User, options.UserObjectId, clientId, options.TenantId,
            options.UserName), null);
    }

    private (Principal?, IResult?) Refresh(string refreshToken) =>
        tokens.ReadRefreshToken(refreshToken) is { } principal
            ? (principal, null)
            : (null, IdentityEndpoints.OAuthError("invalid_grant",
                "AADSTS9002313: Invalid request. The refresh token is malformed or expired."));

    private static string Issuer(HttpContext context, string tenant, TokenEndpointKind kind, string tenantId)
    {
        string authority = IdentityEndpoints.Authority(context);
        if (tenant.Equals("adfs", StringComparison.OrdinalIgnoreCase))
        {
            return $"{authority}/adfs";
        }

        return kind == TokenEndpointKind.V1 ? $"{authority}/{tenantId}/" : $"{authority}/{tenantId}/v2.0";
    }
}
