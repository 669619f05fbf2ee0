using Acre.Identity;
using Acre.Identity.Entra;
using Acre.Registry.Errors;
using Microsoft.AspNetCore.Http;

namespace Acre.Registry.Auth;

/// <summary>
/// ACR's <c>POST /oauth2/exchange</c>: an Entra access token (for ARM or for ACR's own audience) becomes an ACR
/// refresh token for this registry, when the principal may use it.
/// </summary>
public sealed class ExchangeEndpoint(
    RegistryTokens tokens, EntraTokens entra, ManagementHosts hosts, IdentityOptions identity)
{
    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var registry = RegistryFeature.Get(context);
        if (registry?.Registry is null)
        {
            return ErrorResult.Of(ErrorCode.NameUnknown, "registry not found");
        }

        if (!context.Request.HasFormContentType)
        {
            return Unauthorized("the request body must be a form");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        string grantType = form["grant_type"].ToString();
        if (grantType is not ("access_token" or "access_token_refresh_token"))
        {
            return ErrorResult.Of(ErrorCode.Unsupported,
                "grant_type must be access_token or access_token_refresh_token", null, 400);
        }

        string tenant = form["tenant"].ToString();
        if (tenant.Length > 0 && !tenant.Equals(identity.TenantId, StringComparison.OrdinalIgnoreCase))
        {
            return Unauthorized($"the tenant '{tenant}' is not this registry's tenant");
        }

        var validation = entra.ValidateAccessToken(form["access_token"].ToString(), hosts.AcceptsExchangeAudience);
        if (validation.Principal is not { } principal || !MayUse(registry))
        {
            return Unauthorized(validation.Status switch
            {
                EntraValidationStatus.Expired => "the access token has expired",
                EntraValidationStatus.WrongAudience => "the access token was issued for another audience",
                EntraValidationStatus.Valid => "the principal has no access to this registry",
                _ => "the access token is invalid",
            });
        }

        string refreshToken = tokens.IssueRefreshToken(registry.Audience, principal.ObjectId, identity.TenantId);
        return Results.Json(new { refresh_token = refreshToken });
    }

    /// <summary>Every principal is an Owner of the default subscription, so it may use that subscription's
    /// registries.</summary>
    private bool MayUse(RegistryFeature registry) =>
        registry.Registry!.SubscriptionId.Length == 0 ||
        registry.Registry.SubscriptionId.Equals(identity.SubscriptionId, StringComparison.OrdinalIgnoreCase);

    private static ErrorResult Unauthorized(string message) => ErrorResult.Of(ErrorCode.Unauthorized, message);
}
