using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Acre.Identity.Entra;
using Acre.Tests.Support;

namespace Acre.Tests.Host;

/// <summary><c>--http-port</c> serves the registry data plane only: no secret of identity or ARM in clear
/// text.</summary>
public sealed class PlainHttpPortTests(AcreServerFixture acre) : IClassFixture<AcreServerFixture>
{
    [Fact]
    public async Task EntraTokenRequest_OverHttp_IsRefused()
    {
        using var client = acre.Http("localhost");

        using var response = await client.PostAsync($"/{IdentityOptions.DefaultTenantId}/oauth2/v2.0/token",
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = IdentityOptions.DefaultClientId,
                ["client_secret"] = IdentityOptions.DefaultClientSecret,
                ["scope"] = Arm.Root(acre) + ".default",
            }));

        await Arm.AssertErrorAsync(response, 404, "NotFound");
    }

    [Fact]
    public async Task ArmCall_OverHttp_IsRefused_AndChangesNothing()
    {
        using var client = acre.Http("localhost");
        string token = await Arm.TokenAsync(acre);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await Arm.CreateGroupAsync(client, "plainhttp");
        using var https = await Arm.ClientAsync(acre);
        using var group = await https.GetAsync($"/subscriptions/{Arm.Subscription}/resourcegroups/plainhttp" +
            "?api-version=2021-04-01");

        await Arm.AssertErrorAsync(response, 404, "NotFound");
        await Arm.AssertErrorAsync(group, 404, "ResourceGroupNotFound");
    }

    [Theory]
    [InlineData("/metadata/endpoints?api-version=2022-09-01")]
    [InlineData("/adfs/.well-known/openid-configuration")]
    [InlineData("/subscriptions?api-version=2022-12-01")]
    public async Task IdentityAndManagementReads_OverHttp_AreNotFound(string path)
    {
        using var client = acre.Http("localhost");

        using var response = await client.GetAsync(path);

        await Arm.AssertErrorAsync(response, 404, "NotFound");
    }

    [Fact]
    public async Task DataPlane_OverHttp_StillPushesAndPullsWithTheDockerTokenFlow()
    {
        using var admin = acre.Admin();
        var (digest, _) = await new OciPusher(admin).PushImageAsync("plainhttp/app", "1");

        using var token = await admin.GetAsync("/oauth2/token?service=local&scope=repository:plainhttp/app:pull");
        string accessToken = (await token.Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("access_token").GetString()!;
        using var bearer = acre.Http(auth: new AuthenticationHeaderValue("Bearer", accessToken));
        using var manifest = await bearer.GetAsync("/v2/plainhttp/app/manifests/1");
        using var health = await acre.Http().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
        Assert.Equal(digest.ToString(), manifest.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
