using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Acre.Identity.Entra;
using Acre.Tests.Support;

namespace Acre.Tests.Identity;

public sealed class EntraEndpointTests(AcreServerFixture acre) : IClassFixture<AcreServerFixture>
{
    private const string Tenant = IdentityOptions.DefaultTenantId;

    [Theory]
    [InlineData("/adfs/.well-known/openid-configuration", "/adfs/oauth2/token")]
    [InlineData("/" + Tenant + "/v2.0/.well-known/openid-configuration", "/" + Tenant + "/oauth2/v2.0/token")]
    [InlineData("/" + Tenant + "/.well-known/openid-configuration", "/" + Tenant + "/oauth2/token")]
    public async Task Discovery_NamesTheTokenEndpoint(string path, string tokenPath)
    {
        using var client = acre.Https("localhost");

        var configuration = await client.GetFromJsonAsync<JsonElement>(path);

        Assert.Equal($"https://localhost:{acre.Server.HttpsPort}{tokenPath}",
            configuration.GetProperty("token_endpoint").GetString());
        Assert.True(configuration.TryGetProperty("authorization_endpoint", out _));
    }

    [Fact]
    public async Task Jwks_VerifiesTheTokensAcreIssues()
    {
        using var client = acre.Https("localhost");
        string token = await Arm.TokenAsync(acre);

        var keys = await client.GetFromJsonAsync<JsonElement>($"/{Tenant}/discovery/v2.0/keys");
        var key = keys.GetProperty("keys")[0];
        using var rsa = RSA.Create(new RSAParameters
        {
            Modulus = System.Buffers.Text.Base64Url.DecodeFromChars(key.GetProperty("n").GetString()),
            Exponent = System.Buffers.Text.Base64Url.DecodeFromChars(key.GetProperty("e").GetString()),
        });
        string[] parts = token.Split('.');

        byte[] signature = System.Buffers.Text.Base64Url.DecodeFromChars(parts[2]);
        Assert.True(rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature,
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var claims = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1])).RootElement;
        foreach (string claim in new[] { "iss", "aud", "tid", "oid", "appid", "iat", "nbf", "exp" })
        {
            Assert.True(claims.TryGetProperty(claim, out _), $"missing {claim}");
        }

        Assert.Equal($"https://localhost:{acre.Server.HttpsPort}/", claims.GetProperty("aud").GetString());
    }

    [Fact]
    public async Task PasswordGrant_GivesUserTokens_AndRefreshGrantRenewsThem()
    {
        using var client = acre.Https("localhost");

        var first = await PostAsync(client, new()
        {
            ["grant_type"] = "password",
            ["client_id"] = "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
            ["username"] = IdentityOptions.DefaultUserName,
            ["password"] = IdentityOptions.DefaultUserPassword,
            ["scope"] = "https://management.azure.com//.default offline_access openid profile",
        });
        var second = await PostAsync(client, new()
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
            ["refresh_token"] = first.GetProperty("refresh_token").GetString()!,
            ["scope"] = "https://management.azure.com//.default",
        });

        Assert.NotEmpty(first.GetProperty("id_token").GetString()!);
        Assert.NotEmpty(first.GetProperty("client_info").GetString()!);
        Assert.NotEmpty(second.GetProperty("access_token").GetString()!);
    }

    [Fact]
    public async Task WrongPassword_AndUnknownTenant_GetOAuthErrors()
    {
        using var client = acre.Https("localhost");

        using var password = await client.PostAsync($"/{Tenant}/oauth2/v2.0/token", new FormUrlEncodedContent(
            new Dictionary<string, string>
            {
                ["grant_type"] = "password",
                ["client_id"] = "any",
                ["username"] = IdentityOptions.DefaultUserName,
                ["password"] = "wrong",
                ["scope"] = "https://management.azure.com/.default",
            }));
        using var tenant = await client.GetAsync($"/{Guid.NewGuid()}/v2.0/.well-known/openid-configuration");

        Assert.Equal(HttpStatusCode.BadRequest, password.StatusCode);
        Assert.Equal("invalid_grant",
            (await password.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, tenant.StatusCode);
    }

    [Fact]
    public async Task CloudMetadata_PointsAtTheAdfsAuthority()
    {
        using var client = acre.Https("localhost");

        // The CLI joins "https://host:port/" and "/metadata/…", so the path starts with two slashes.
        var metadata = await client.GetFromJsonAsync<JsonElement>(
            $"https://localhost:{acre.Server.HttpsPort}//metadata/endpoints?api-version=2015-01-01");

        Assert.Equal($"https://localhost:{acre.Server.HttpsPort}/adfs",
            metadata.GetProperty("authentication").GetProperty("loginEndpoint").GetString());
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, Dictionary<string, string> form)
    {
        using var response = await client.PostAsync($"/{Tenant}/oauth2/v2.0/token", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
