using System.Globalization;
using Acre.Identity.Entra;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Arm;

/// <summary>
/// What every ARM route does first: answer only on a management host, stamp the request ids, check the Bearer
/// token (signature, tenant, audience, expiry) and the api-version, each failure in ARM's own words.
/// </summary>
public sealed class ArmFilter(EntraTokens tokens, ManagementHosts hosts, IReadOnlyList<string> apiVersions)
    : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!hosts.IsManagementHost(http.Request.Host.Host))
        {
            return ArmError.Result(404, "NotFound", "The management plane is not served on a registry's host.");
        }

        StampRequestIds(http);
        if (Authenticate(http) is { } refused)
        {
            return refused;
        }

        string? version = http.Request.Query["api-version"];
        if (string.IsNullOrEmpty(version))
        {
            return ArmError.Result(400, "MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests.");
        }

        if (!ApiVersions.IsKnown(apiVersions, version))
        {
            return ArmError.Result(400, "InvalidApiVersionParameter",
                $"The api-version '{version}' is invalid. " +
                $"The supported versions are '{string.Join(",", apiVersions)}'.");
        }

        return await next(context);
    }

    public static Principal PrincipalOf(HttpContext context) => (Principal)context.Items[typeof(Principal)]!;

    private IResult? Authenticate(HttpContext http)
    {
        string header = http.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return Challenge(http, "AuthenticationFailed",
                "Authentication failed. The 'Authorization' header is missing.");
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Challenge(http, "AuthenticationFailed",
                "Authentication failed. The 'Authorization' header is provided in an invalid format.");
        }

        var validation = tokens.ValidateAccessToken(header[7..].Trim(), hosts.AcceptsAudience);
        switch (validation.Status)
        {
            case EntraValidationStatus.Valid:
                http.Items[typeof(Principal)] = validation.Principal;
                return null;
            case EntraValidationStatus.Expired:
                string now = DateTime.UtcNow.ToString("MM/dd/yyyy HH:mm:ss", CultureInfo.InvariantCulture);
                return Challenge(http, "ExpiredAuthenticationToken",
                    $"The access token expiry UTC time is earlier than current UTC time '{now}'.");
            case EntraValidationStatus.WrongAudience:
                return Challenge(http, "InvalidAuthenticationTokenAudience",
                    "The access token has been obtained for wrong audience or resource. It should exactly match " +
                    $"with one of the allowed audiences {ManagementHosts.AllowedAudiencesText} or Acre's own URL.");
            default:
                return Challenge(http, "InvalidAuthenticationToken", "The access token is invalid.");
        }
    }

    private static IResult Challenge(HttpContext http, string code, string message)
    {
        string authority = $"{http.Request.Scheme}://{http.Request.Host}";
        http.Response.Headers.WWWAuthenticate =
            $"Bearer authorization_uri=\"{authority}/adfs\", error=\"invalid_token\", error_description=\"{message}\"";
        return ArmError.Result(401, code, message);
    }

    private static void StampRequestIds(HttpContext http)
    {
        string requestId = Guid.NewGuid().ToString();
        string correlation = http.Request.Headers["x-ms-correlation-request-id"].ToString() is { Length: > 0 } given &&
            Guid.TryParse(given, out _) ? given : requestId;
        http.Response.Headers["x-ms-request-id"] = requestId;
        http.Response.Headers["x-ms-correlation-request-id"] = correlation;
        http.Response.Headers["x-ms-routing-request-id"] = $"ACRE:{DateTime.UtcNow:yyyyMMddTHHmmss}Z:{requestId}";
    }
}
