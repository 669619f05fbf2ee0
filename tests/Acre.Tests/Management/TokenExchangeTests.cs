using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Acre.Identity.Entra;
using Acre.Tests.Support;

namespace Acre.Tests.Management;

public sealed class TokenExchangeTests(AcreServerFixture acre) : IClassFixture<AcreServerFixture>
{
    [Fact]
    public async Task Exchange_ThenRefreshGrant_ReachesTheCatalog_AsTheCliDoes()
    {
        using var admin = acre.Admin();
        await new OciPusher(admin).PushImageAsync("exchanged/app", "1");
        using var client = RegistryClient("local");

        string refresh = await ExchangeAsync(client, await Arm.TokenAsync(acre), IdentityOptions.DefaultTenantId);
        string access = await TokenAsync(client, new()
        {
            ["grant_type"] = "refresh_token",
            ["service"] = "local.azurecr.localhost",
            ["scope"] = "registry:catalog:*",
            ["refresh_token"] = refresh,
        });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", access);
        var catalog = await client.GetFromJsonAsync<JsonElement>("/v2/_catalog?n=100");

        Assert.Contains(catalog.GetProperty("repositories").EnumerateArray(), r => r.GetString() == "exchanged/app");
    }

    [Fact]
    public async Task Exchange_AcceptsTheContainerRegistryAudience_WithoutTenant()
    {
        using var client = RegistryClient("local");
        string token = await Arm.TokenAsync(acre, scope: "https://containerregistry.azure.net/.default");

        string refresh = await ExchangeAsync(client, token, tenant: null);

        Assert.NotEmpty(refresh);
    }

    [Fact]
    public async Task Exchange_RefusesForgedTokens_AndOtherTenants()
    {
        using var client = RegistryClient("local");
        string token = await Arm.TokenAsync(acre);

        using var forged = await PostExchangeAsync(client, token[..^6] + "AAAAAA", null);
        using var tenant = await PostExchangeAsync(client, token, Guid.NewGuid().ToString());

        await Errors.AssertAsync(forged, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await Errors.AssertAsync(tenant, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task DockerLogin_WithTheNullUserAndRefreshToken_GetsAccessAndRefreshTokens()
    {
        using var client = RegistryClient("local");
        string refresh = await ExchangeAsync(client, await Arm.TokenAsync(acre), null);
        client.DefaultRequestHeaders.Authorization =
            AcreServerFixture.Basic("00000000-0000-0000-0000-000000000000", refresh);

        var body = await client.GetFromJsonAsync<JsonElement>(
            "/oauth2/token?account=00000000-0000-0000-0000-000000000000&client_id=docker&offline_token=true" +
            "&service=local.azurecr.localhost");

        Assert.NotEmpty(body.GetProperty("access_token").GetString()!);
        Assert.NotEmpty(body.GetProperty("refresh_token").GetString()!);
    }

    [Fact]
    public async Task RefreshToken_ForOneRegistry_DoesNotWorkOnAnother()
    {
        using var arm = await Arm.ClientAsync(acre);
        await Arm.CreateGroupAsync(arm, "exchange");
        await Arm.CreateRegistryAsync(arm, "exchange", "otherreg1");
        using var local = RegistryClient("local");
        string refresh = await ExchangeAsync(local, await Arm.TokenAsync(acre), null);
        using var other = RegistryClient("otherreg1");

        using var response = await other.PostAsync("/oauth2/token", Form(new()
        {
            ["grant_type"] = "refresh_token",
            ["service"] = "otherreg1.azurecr.localhost",
            ["scope"] = "repository:app:pull",
            ["refresh_token"] = refresh,
        }));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AnonymousPull_GetsAPullOnlyToken_OnlyWhereEnabled()
    {
        using var arm = await Arm.ClientAsync(acre);
        await Arm.CreateGroupAsync(arm, "anon");
        await Arm.CreateRegistryAsync(arm, "anon", "openreg1", sku: "Standard", admin: true);
        await Arm.CreateRegistryAsync(arm, "anon", "closedreg1", sku: "Standard");
        await arm.PatchAsJsonAsync($"{Arm.RegistryPath("anon", "openreg1")}?{Arm.RegistryApi}",
            new { properties = new { anonymousPullEnabled = true } });
        var credentials = await (await arm.PostAsync(
            $"{Arm.RegistryPath("anon", "openreg1")}/listCredentials?{Arm.RegistryApi}", null))
            .Content.ReadFromJsonAsync<JsonElement>();
        using var owner = RegistryClient("openreg1");
        owner.DefaultRequestHeaders.Authorization = AcreServerFixture.Basic("openreg1",
            credentials.GetProperty("passwords")[0].GetProperty("value").GetString()!);
        await new OciPusher(owner).PushImageAsync("public/app", "1");
        var anonymousForm = new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["service"] = "x",
            ["scope"] = "repository:public/app:pull,push",
        };

        using var open = RegistryClient("openreg1");
        string token = await TokenAsync(open, anonymousForm);
        open.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var pull = (await open.GetAsync("/v2/public/app/manifests/1")).StatusCode;
        var push = (await open.PostAsync("/v2/public/app/blobs/uploads/", null)).StatusCode;
        using var closed = RegistryClient("closedreg1");
        using var refused = await closed.PostAsync("/oauth2/token", Form(anonymousForm));

        Assert.Equal(HttpStatusCode.OK, pull);
        Assert.Equal(HttpStatusCode.Unauthorized, push);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private HttpClient RegistryClient(string registry) => acre.Http($"{registry}.{acre.Server.Hosts.Suffix}");

    private static async Task<string> ExchangeAsync(HttpClient client, string aadToken, string? tenant)
    {
        using var response = await PostExchangeAsync(client, aadToken, tenant);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("refresh_token").GetString()!;
    }

    private static Task<HttpResponseMessage> PostExchangeAsync(HttpClient client, string aadToken, string? tenant)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "access_token",
            ["service"] = "local.azurecr.localhost",
            ["access_token"] = aadToken,
        };
        if (tenant is not null)
        {
            form["tenant"] = tenant;
        }

        return client.PostAsync("/oauth2/exchange", Form(form));
    }

    private static async Task<string> TokenAsync(HttpClient client, Dictionary<string, string> form)
    {
        using var response = await client.PostAsync("/oauth2/token", Form(form));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("access_token").GetString()!;
    }

    private static FormUrlEncodedContent Form(Dictionary<string, string> fields) => new(fields);
}
