using Microsoft.AspNetCore.Http;

namespace Acre.Management;

/// <summary>
/// <c>GET /metadata/endpoints</c>: the cloud description a client reads when it is given only a resource manager
/// URL (<c>az cloud register --endpoint-resource-manager</c>). Its login endpoint ends in <c>/adfs</c>, so MSAL
/// sends no instance discovery to a public host.
/// </summary>
public static class CloudMetadata
{
    public static IResult Describe(HttpContext context, string acrSuffix)
    {
        string root = $"{context.Request.Scheme}://{context.Request.Host}/";
        string version = context.Request.Query["api-version"].ToString();
        string[] audiences = [root, "https://management.core.windows.net/"];
        var login = new { loginEndpoint = root + "adfs", audiences, tenant = "adfs", identityProvider = "ADFS" };
        if (version is "" or "2015-01-01" or "1.0")
        {
            return Results.Json(new
            {
                galleryEndpoint = root,
                graphEndpoint = root,
                portalEndpoint = root,
                authentication = login,
            });
        }

        return Results.Json(new[]
        {
            new
            {
                name = "Acre",
                resourceManager = root,
                portal = root,
                gallery = root,
                graph = root,
                authentication = login,
                // storage: the CLI reads the upload URL's host as ACCOUNT.blob.{storage}. keyVaultDns: how it tells a
                // Key Vault secret URI from a password in `az acr task credential add`.
                suffixes = new
                {
                    acrLoginServer = "." + acrSuffix,
                    storage = acrSuffix,
                    keyVaultDns = "vault.azure.net",
                },
            },
        });
    }
}
