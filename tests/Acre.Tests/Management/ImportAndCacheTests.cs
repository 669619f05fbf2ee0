using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Acre.Tests.Support;

namespace Acre.Tests.Management;

/// <summary>Import and cache rules against a second Acre on loopback, standing in for any upstream registry.</summary>
public sealed class ImportAndCacheTests : IAsyncLifetime
{
    private const string Vault = "https://acretest.vault.azure.net/secrets";

    private readonly AcreServerFixture _upstream = new();
    private AcreServerFixture _acre = null!;

    public async Task InitializeAsync()
    {
        await _upstream.InitializeAsync();
        _acre = new AcreServerFixture
        {
            Configure = o => o with
            {
                Upstream = new Transfer.UpstreamOptions
                {
                    AllowInsecureLoopback = true,
                    Secrets = new Dictionary<string, string>
                    {
                        [$"{Vault}/user"] = _upstream.Registry,
                        [$"{Vault}/password"] = AcreServerFixture.AdminPassword,
                        [$"{Vault}/wrong"] = "not-the-password",
                    },
                },
            },
        };
        await _acre.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _acre.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task Import_FromAnotherRegistryByResourceId_ByTagAndDigest_HonouringNoForce()
    {
        using var arm = await Arm.ClientAsync(_acre);
        await Arm.CreateGroupAsync(arm, "imports");
        await Arm.CreateRegistryAsync(arm, "imports", "importsrc1", admin: true);
        using var source = _acre.Http($"importsrc1.{_acre.Server.Hosts.Suffix}",
            AcreServerFixture.Basic("importsrc1", await PasswordAsync(arm, "imports", "importsrc1")));
        var (digest, bytes) = await new OciPusher(source).PushImageAsync("lib/app", "1.0", "imported layer");
        string sourceId = Arm.RegistryPath("imports", "importsrc1");

        using var byTag = await ImportAsync(arm, new { resourceId = sourceId, sourceImage = "lib/app:1.0" },
            ["copies/app:1.0"]);
        using var again = await ImportAsync(arm, new { resourceId = sourceId, sourceImage = "lib/app:1.0" },
            ["copies/app:1.0"]);
        using var forced = await ImportAsync(arm, new { resourceId = sourceId, sourceImage = "lib/app:1.0" },
            ["copies/app:1.0"], mode: "Force");
        using var byDigest = await ImportAsync(arm, new { resourceId = sourceId, sourceImage = $"lib/app@{digest}" },
            ["copies/pinned:v1"]);
        using var admin = _acre.Admin();
        using var pulled = await admin.GetAsync("/v2/copies/app/manifests/1.0");
        using var pinned = await admin.GetAsync($"/v2/copies/pinned/manifests/{digest}");

        Assert.Equal(HttpStatusCode.Accepted, byTag.StatusCode);
        await Arm.AssertErrorAsync(again, 409, "TagAlreadyExists");
        Assert.Equal(HttpStatusCode.Accepted, forced.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, byDigest.StatusCode);
        Assert.Equal(bytes, await pulled.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, pinned.StatusCode);
    }

    [Fact]
    public async Task Import_OverAWriteLockedTag_IsRefused_AndTheTagKeepsItsImage()
    {
        // Arrange
        using var arm = await Arm.ClientAsync(_acre);
        await Arm.CreateGroupAsync(arm, "imports");
        await Arm.CreateRegistryAsync(arm, "imports", "importsrc2", admin: true);
        using var source = _acre.Http($"importsrc2.{_acre.Server.Hosts.Suffix}",
            AcreServerFixture.Basic("importsrc2", await PasswordAsync(arm, "imports", "importsrc2")));
        await new OciPusher(source).PushImageAsync("lib/new", "1.0", "the newer image");
        using var admin = _acre.Admin();
        var (kept, _) = await new OciPusher(admin).PushImageAsync("locked/app", "1.0", "the locked image");
        using var locked = await admin.PatchAsJsonAsync("/acr/v1/locked/app/_tags/1.0", new { writeEnabled = false });

        // Act
        using var import = await ImportAsync(arm, new
        {
            resourceId = Arm.RegistryPath("imports", "importsrc2"),
            sourceImage = "lib/new:1.0",
        }, ["locked/app:1.0"], mode: "Force");
        using var head = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v2/locked/app/manifests/1.0"));

        // Assert
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        await Arm.AssertErrorAsync(import, 409, "OperationNotAllowed");
        Assert.Equal(kept.ToString(), head.Headers.GetValues("Docker-Content-Digest").Single());
    }

    [Fact]
    public async Task Import_FromAnUpstreamUri_WithCredentials_CopiesBlobs()
    {
        using var upstream = _upstream.Admin();
        var (digest, _) = await new OciPusher(upstream).PushImageAsync("library/tool", "2", "upstream bytes");
        using var arm = await Arm.ClientAsync(_acre);

        using var wrong = await ImportAsync(arm, new
        {
            registryUri = Upstream(),
            sourceImage = "library/tool:2",
            credentials = new { username = _upstream.Registry, password = "wrong" },
        }, ["tool:2"]);
        using var right = await ImportAsync(arm, new
        {
            registryUri = Upstream(),
            sourceImage = "library/tool:2",
            credentials = new { username = _upstream.Registry, password = AcreServerFixture.AdminPassword },
        }, ["tool:2"]);
        using var admin = _acre.Admin();
        using var manifest = await admin.GetAsync("/v2/tool/manifests/2");
        string layer = JsonDocument.Parse(await manifest.Content.ReadAsStringAsync()).RootElement
            .GetProperty("layers")[0].GetProperty("digest").GetString()!;

        await Arm.AssertErrorAsync(wrong, 400, "Unauthorized");
        Assert.Equal(HttpStatusCode.Accepted, right.StatusCode);
        Assert.Equal(digest.ToString(), manifest.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal("upstream bytes"u8.ToArray(), await admin.GetByteArrayAsync($"/v2/tool/blobs/{layer}"));
    }

    [Fact]
    public async Task CacheRule_PullsThroughOnce_ThenServesLocally_AndCredentialSetsMatter()
    {
        using var upstream = _upstream.Admin();
        var (digest, bytes) = await new OciPusher(upstream).PushImageAsync("library/busybox", "stable", "cached");
        using var arm = await Arm.ClientAsync(_acre);
        string registry = Arm.RegistryPath("acre", "local");
        await PutAsync(arm, $"{registry}/credentialSets/upstreamcreds", new
        {
            properties = new
            {
                loginServer = Upstream(),
                authCredentials = new[]
                {
                    new { name = "Credential1", usernameSecretIdentifier = $"{Vault}/user",
                        passwordSecretIdentifier = $"{Vault}/wrong" },
                },
            },
        });
        await PutAsync(arm, $"{registry}/cacheRules/busyboxrule", new
        {
            properties = new
            {
                sourceRepository = $"{Upstream()}/library/*",
                targetRepository = "mirror/*",
                credentialSetResourceId = $"{registry}/credentialSets/upstreamcreds",
            },
        });
        using var admin = _acre.Admin();

        using var refused = await admin.GetAsync("/v2/mirror/busybox/manifests/stable");
        await PutAsync(arm, $"{registry}/credentialSets/upstreamcreds", new
        {
            properties = new
            {
                authCredentials = new[]
                {
                    new { name = "Credential1", usernameSecretIdentifier = $"{Vault}/user",
                        passwordSecretIdentifier = $"{Vault}/password" },
                },
            },
        }, patch: true);
        using var first = await admin.GetAsync("/v2/mirror/busybox/manifests/stable");
        await _upstream.DisposeAsync();
        using var second = await admin.GetAsync("/v2/mirror/busybox/manifests/stable");
        await _upstream.InitializeAsync();

        await Errors.AssertAsync(refused, HttpStatusCode.Forbidden, "DENIED");
        Assert.Equal(bytes, await first.Content.ReadAsByteArrayAsync());
        Assert.Equal(digest.ToString(), second.Headers.GetValues("Docker-Content-Digest").Single());
    }

    [Fact]
    public async Task CredentialSet_WithAnUnresolvableSecret_IsUnhealthy_AndNeverShowsValues()
    {
        using var arm = await Arm.ClientAsync(_acre);
        string registry = Arm.RegistryPath("acre", "local");

        await PutAsync(arm, $"{registry}/credentialSets/brokencreds", new
        {
            properties = new
            {
                loginServer = "docker.io",
                authCredentials = new[]
                {
                    new { name = "Credential1", usernameSecretIdentifier = $"{Vault}/user",
                        passwordSecretIdentifier = $"{Vault}/missing" },
                },
            },
        });
        string text = await arm.GetStringAsync($"{registry}/credentialSets/brokencreds?{Arm.RegistryApi}");
        var health = JsonDocument.Parse(text).RootElement.GetProperty("properties").GetProperty("authCredentials")[0]
            .GetProperty("credentialHealth");

        Assert.Equal("Unhealthy", health.GetProperty("status").GetString());
        Assert.DoesNotContain(AcreServerFixture.AdminPassword, text, StringComparison.Ordinal);
    }

    private string Upstream() => $"127.0.0.1:{_upstream.Server.HttpPort}";

    private static Task<HttpResponseMessage> ImportAsync(HttpClient arm, object source, string[] targetTags,
        string mode = "NoForce") =>
        arm.PostAsJsonAsync($"{Arm.RegistryPath("acre", "local")}/importImage?{Arm.RegistryApi}",
            new { source, targetTags, mode });

    private static async Task PutAsync(HttpClient arm, string path, object body, bool patch = false)
    {
        using var response = patch
            ? await arm.PatchAsJsonAsync($"{path}?{Arm.RegistryApi}", body)
            : await arm.PutAsJsonAsync($"{path}?{Arm.RegistryApi}", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> PasswordAsync(HttpClient arm, string group, string name)
    {
        using var response = await arm.PostAsync($"{Arm.RegistryPath(group, name)}/listCredentials?{Arm.RegistryApi}",
            null);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("passwords")[0]
            .GetProperty("value").GetString()!;
    }
}
