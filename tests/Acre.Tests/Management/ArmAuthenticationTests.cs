using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Acre.Identity;
using Acre.Identity.Entra;
using Acre.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Acre.Tests.Management;

public sealed class ArmAuthenticationTests(AcreServerFixture acre) : IClassFixture<AcreServerFixture>
{
    private const string Subscriptions = "/subscriptions?api-version=2022-12-01";

    [Fact]
    public async Task ValidToken_ListsTheSubscription()
    {
        using var client = await Arm.ClientAsync(acre);

        using var response = await client.GetAsync(Subscriptions);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Arm.Subscription, body.GetProperty("value")[0].GetProperty("subscriptionId").GetString());
        Assert.True(response.Headers.Contains("x-ms-request-id"));
        Assert.True(response.Headers.Contains("x-ms-correlation-request-id"));
    }

    [Fact]
    public async Task NoToken_IsAuthenticationFailed()
    {
        using var client = acre.Https("localhost");

        using var response = await client.GetAsync(Subscriptions);

        await Arm.AssertErrorAsync(response, 401, "AuthenticationFailed");
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task ExpiredToken_IsExpiredAuthenticationToken()
    {
        var key = acre.Server.App.Services.GetRequiredService<SigningKey>();
        var claims = Claims(Arm.Root(acre), DateTimeOffset.UtcNow.AddHours(-2));
        using var client = Bearer(Jwt.Sign(claims, key));

        using var response = await client.GetAsync(Subscriptions);

        await Arm.AssertErrorAsync(response, 401, "ExpiredAuthenticationToken");
    }

    [Fact]
    public async Task TokenSignedByAnotherKey_IsInvalidAuthenticationToken()
    {
        using var directory = new TempDirectory();
        using var foreign = SigningKey.LoadOrCreate(Path.Combine(directory.Path, "other.pem"));
        using var client = Bearer(Jwt.Sign(Claims(Arm.Root(acre), DateTimeOffset.UtcNow), foreign));

        using var response = await client.GetAsync(Subscriptions);

        await Arm.AssertErrorAsync(response, 401, "InvalidAuthenticationToken");
    }

    [Fact]
    public async Task TokenForAnotherAudience_IsRefused()
    {
        string token = await Arm.TokenAsync(acre, scope: "https://vault.azure.net/.default");
        using var client = Bearer(token);

        using var response = await client.GetAsync(Subscriptions);

        await Arm.AssertErrorAsync(response, 401, "InvalidAuthenticationTokenAudience");
    }

    [Fact]
    public async Task AzurePublicAudience_IsAccepted()
    {
        using var client = Bearer(await Arm.TokenAsync(acre, scope: "https://management.azure.com//.default"));

        using var response = await client.GetAsync(Subscriptions);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task WrongClientSecret_GetsTheOAuthError()
    {
        using var client = acre.Https("localhost");

        using var response = await client.PostAsync("/adfs/oauth2/token", new FormUrlEncodedContent(
            new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = IdentityOptions.DefaultClientId,
                ["client_secret"] = "wrong",
                ["scope"] = Arm.Root(acre) + "/.default",
            }));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
        Assert.StartsWith("AADSTS7000215", body.GetProperty("error_description").GetString());
        Assert.Equal(7000215, body.GetProperty("error_codes")[0].GetInt32());
    }

    [Fact]
    public async Task UnknownApiVersion_IsInvalidApiVersionParameter()
    {
        using var client = await Arm.ClientAsync(acre);

        using var response = await client.GetAsync(
            $"{Arm.RegistryPath("acre", "local")}?api-version=2099-01-01");
        using var missing = await client.GetAsync(Arm.RegistryPath("acre", "local"));

        await Arm.AssertErrorAsync(response, 400, "InvalidApiVersionParameter");
        await Arm.AssertErrorAsync(missing, 400, "MissingApiVersionParameter");
    }

    [Fact]
    public async Task RegistryHost_DoesNotServeTheManagementPlane()
    {
        using var client = acre.Https($"local.{acre.Server.Hosts.Suffix}");
        client.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Bearer", await Arm.TokenAsync(acre));

        using var response = await client.GetAsync(Subscriptions);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private HttpClient Bearer(string token)
    {
        var client = acre.Https("localhost");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static JsonObject Claims(string audience, DateTimeOffset issued) => new()
    {
        ["iss"] = "https://localhost/adfs",
        ["aud"] = audience,
        ["tid"] = IdentityOptions.DefaultTenantId,
        ["oid"] = Guid.NewGuid().ToString(),
        ["appid"] = IdentityOptions.DefaultClientId,
        ["iat"] = issued.ToUnixTimeSeconds(),
        ["nbf"] = issued.AddMinutes(-5).ToUnixTimeSeconds(),
        ["exp"] = issued.AddHours(1).ToUnixTimeSeconds(),
        ["uti"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)),
    };
}
