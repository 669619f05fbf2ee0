using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Acre.Storage;
using Acre.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Acre.Tests.DataPlane;

public sealed class AuthTests(AcreServerFixture acre) : IClassFixture<AcreServerFixture>
{
    private const string Zero = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    public static TheoryData<string, string, string?> Routes => new()
    {
        { "GET", "/v2/", null },
        { "GET", "/v2/_catalog", "registry:catalog:*" },
        { "GET", "/v2/app/tags/list", "repository:app:pull" },
        { "GET", "/v2/app/manifests/latest", "repository:app:pull" },
        { "HEAD", "/v2/app/manifests/latest", "repository:app:pull" },
        { "PUT", "/v2/app/manifests/latest", "repository:app:pull,push" },
        { "DELETE", $"/v2/app/manifests/{Zero}", "repository:app:delete" },
        { "GET", $"/v2/app/blobs/{Zero}", "repository:app:pull" },
        { "HEAD", $"/v2/app/blobs/{Zero}", "repository:app:pull" },
        { "DELETE", $"/v2/app/blobs/{Zero}", "repository:app:delete" },
        { "POST", "/v2/app/blobs/uploads/", "repository:app:pull,push" },
        { "PATCH", "/v2/app/blobs/uploads/6c1c4d4e-9e0a-4a7c-9a43-5a1f4b9a8c11", "repository:app:pull,push" },
        { "PUT", "/v2/app/blobs/uploads/6c1c4d4e-9e0a-4a7c-9a43-5a1f4b9a8c11", "repository:app:pull,push" },
        { "GET", "/v2/app/blobs/uploads/6c1c4d4e-9e0a-4a7c-9a43-5a1f4b9a8c11", "repository:app:pull,push" },
        { "DELETE", "/v2/app/blobs/uploads/6c1c4d4e-9e0a-4a7c-9a43-5a1f4b9a8c11", "repository:app:pull,push" },
        { "GET", $"/v2/app/referrers/{Zero}", "repository:app:pull" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task EveryRoute_WithoutCredentials_Challenges(string method, string path, string? scope)
    {
        using var client = acre.Http();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        string challenge = response.Headers.WwwAuthenticate.ToString();
        string host = $"127.0.0.1:{acre.Server.HttpPort}";
        Assert.StartsWith($"Bearer realm=\"http://{host}/oauth2/token\",service=\"{host}\"", challenge);
        if (scope is not null)
        {
            Assert.Contains($"scope=\"{scope}\"", challenge, StringComparison.Ordinal);
        }

        Assert.Equal("registry/2.0", response.Headers.GetValues("Docker-Distribution-API-Version").Single());
    }

    [Fact]
    public async Task WrongPassword_Is401()
    {
        using var client = acre.Http(auth: AcreServerFixture.Basic(acre.Registry, "wrong"));

        using var response = await client.GetAsync("/v2/");
        using var token = await client.GetAsync("/oauth2/token?service=x&scope=repository:app:pull");

        await Errors.AssertAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
    }

    [Fact]
    public async Task MalformedAuthorization_Is401()
    {
        using var client = acre.Http();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "%%%");

        using var response = await client.GetAsync("/v2/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AdminBasic_Reaches_V2()
    {
        using var client = acre.Admin();

        using var response = await client.GetAsync("/v2/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task DockerTokenFlow_GrantsExactlyTheRequestedRepository()
    {
        using var admin = acre.Admin();
        await new OciPusher(admin).PushImageAsync("flow/a", "1");
        await new OciPusher(admin).PushImageAsync("flow/b", "1");

        string token = await GetTokenAsync(admin, "repository:flow/a:pull");
        using var bearer = acre.Http(auth: new AuthenticationHeaderValue("Bearer", token));

        using var allowed = await bearer.GetAsync("/v2/flow/a/manifests/1");
        using var other = await bearer.GetAsync("/v2/flow/b/manifests/1");
        using var push = await bearer.PostAsync("/v2/flow/a/blobs/uploads/", null);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
        Assert.Contains("error=\"insufficient_scope\"", other.Headers.WwwAuthenticate.ToString(),
            StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, push.StatusCode);
    }

    [Fact]
    public async Task PasswordGrant_IssuesToken_AsContainerdAsks()
    {
        using var client = acre.Http();
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = acre.Registry,
            ["password"] = AcreServerFixture.AdminPassword,
            ["service"] = "local",
            ["scope"] = "registry:catalog:*",
        });

        using var response = await client.PostAsync("/oauth2/token", form);
        string token = (await response.Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("access_token").GetString()!;
        using var bearer = acre.Http(auth: new AuthenticationHeaderValue("Bearer", token));
        using var catalog = await bearer.GetAsync("/v2/_catalog");

        Assert.Equal(HttpStatusCode.OK, catalog.StatusCode);
    }

    [Fact]
    public async Task PasswordGrant_WithWrongPassword_Is401()
    {
        using var client = acre.Http();
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = acre.Registry,
            ["password"] = "nope",
        });

        using var response = await client.PostAsync("/oauth2/token", form);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task TokenForOneRegistry_DoesNotWorkOnAnother()
    {
        var metadata = acre.Server.App.Services.GetRequiredService<IMetadataStore>();
        await metadata.EnsureRegistryAsync(
            new RegistryRecord("second", true, "second-password", "x", DateTimeOffset.UtcNow), CancellationToken.None);
        using var admin = acre.Admin();
        string token = await GetTokenAsync(admin, "repository:app:pull");
        using var other = acre.Http(host: $"second.{acre.Server.Hosts.Suffix}",
            auth: new AuthenticationHeaderValue("Bearer", token));

        using var response = await other.GetAsync("/v2/app/tags/list");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ForgedToken_Is401()
    {
        using var admin = acre.Admin();
        string token = await GetTokenAsync(admin, "repository:app:pull");
        string[] parts = token.Split('.');
        string forged = parts[0] + "." + parts[1] + "." + parts[2][..^4] + "AAAA";
        using var client = acre.Http(auth: new AuthenticationHeaderValue("Bearer", forged));

        using var response = await client.GetAsync("/v2/app/tags/list");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task UnknownRegistryHost_IsNameUnknown()
    {
        using var client = acre.Http(host: $"missing.{acre.Server.Hosts.Suffix}",
            auth: AcreServerFixture.Basic("missing", "x"));

        using var response = await client.GetAsync("/v2/");

        await Errors.AssertAsync(response, HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    [Fact]
    public async Task RegistryHost_ReachesTheDefaultRegistry_OverVerifiedTls()
    {
        using var client = acre.Https($"{acre.Registry}.{acre.Server.Hosts.Suffix}");
        client.DefaultRequestHeaders.Authorization =
            AcreServerFixture.Basic(acre.Registry, AcreServerFixture.AdminPassword);

        using var response = await client.GetAsync("/v2/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<string> GetTokenAsync(HttpClient client, string scope)
    {
        using var response = await client.GetAsync($"/oauth2/token?service=local&scope={Uri.EscapeDataString(scope)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("access_token").GetString()!;
    }
}
