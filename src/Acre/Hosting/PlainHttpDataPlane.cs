using Acre.Management.Arm;

namespace Acre.Hosting;

/// <summary>
/// Keeps the plain-HTTP port (<c>--http-port</c>) to the registry data plane. Identity and management carry client
/// secrets, passwords and Entra tokens, which must not cross even loopback in clear text: there they get a 404.
/// </summary>
public sealed class PlainHttpDataPlane(RequestDelegate next, ServerPorts ports)
{
    /// <summary>The OCI API, ACR's metadata API, the registry's token endpoints (docker login) and the health
    /// check.</summary>
    private static readonly string[] DataPlane = ["/v2", "/acr/v1", "/oauth2/token", "/oauth2/exchange", "/health"];

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.IsHttps || DataPlane.Any(prefix => context.Request.Path.StartsWithSegments(prefix)))
        {
            return next(context);
        }

        return ArmError.Result(StatusCodes.Status404NotFound, "NotFound",
            "The plain-HTTP port serves only the registry data plane (/v2, /acr/v1, /oauth2/token, " +
            $"/oauth2/exchange); identity and management are served over HTTPS, on port {ports.Https}.")
            .ExecuteAsync(context);
    }
}
