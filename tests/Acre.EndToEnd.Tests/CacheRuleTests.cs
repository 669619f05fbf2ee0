using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acre.EndToEnd.Tests.Support;
using Azure.Core;

namespace Acre.EndToEnd.Tests;

/// <summary>
/// Cache rules and credential sets against Debian's <c>docker-registry</c> on loopback as the upstream: skopeo pulls
/// through Acre's default registry. The 2.45 Azure CLI has no <c>az acr cache</c> nor <c>az acr credential-set</c>,
/// so the rules are made with the ARM API, signed in as Acre's service principal with the Azure SDK's credential.
/// </summary>
public sealed class CacheRuleTests
{
    private const string Vault = "https://acree2e.vault.azure.net/secrets";
    private const string Api = "api-version=2025-11-01";
    private const string Registry = $"/subscriptions/{AcreProcess.SubscriptionId}/resourceGroups/acre/providers/" +
        "Microsoft.ContainerRegistry/registries/local";

    private const string CredentialSet = $"{Registry}/credentialSets/upstreamcreds";

    [RequiresToolsFact("skopeo", "umoci", "docker-registry", "htpasswd")]
    public async Task Pull_ThroughACacheRule_GetsTheUpstreamImage_AndServesItOnceTheUpstreamStops()
    {
        using var work = new TempDirectory();
        await using var acre = await StartAcreAsync(work, $"{Vault}/password={DistributionRegistry.Password}");
        await using var upstream = await DistributionRegistry.StartAsync(work.Sub("upstream"));
        var images = await TestImages.BuildAsync(work.Path);
        await PushAsync(upstream, images, "multi");
        using var arm = await ArmAsync(acre);
        await SendAsync(arm, HttpMethod.Put, CredentialSet, CredentialSetBody(upstream, "password"));
        await SendAsync(arm, HttpMethod.Put, $"{Registry}/cacheRules/busyboxrule", new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["sourceRepository"] = $"{upstream.Address}/library/*",
                ["targetRepository"] = "mirror/*",
                ["credentialSetResourceId"] = CredentialSet,
            },
        });

        var first = await SkopeoPull.FromAcreAsync(acre, "mirror/busybox:1", Path.Combine(work.Path, "first"));
        string upstreamLog = upstream.Log;

        // The upstream process goes away for good: what Acre stored is served, what it did not fails.
        await upstream.StopAsync();
        var second = await SkopeoPull.FromAcreAsync(acre, "mirror/busybox:1", Path.Combine(work.Path, "second"));
        var uncached = await SkopeoPull.TryFromAcreAsync(acre, "mirror/other:1", Path.Combine(work.Path, "other"));

        // skopeo shows only the status of a 502; the error body says why.
        using var http = acre.Http();
        using var uncachedResponse = await http.GetAsync("/v2/mirror/other/manifests/1");
        string uncachedError = await uncachedResponse.Content.ReadAsStringAsync();

        Assert.Contains("\"GET /v2/library/busybox/manifests/1 HTTP/1.1\" 200", upstreamLog, StringComparison.Ordinal);
        Assert.Equal(images.IndexDigest, first.Digest);
        Assert.True(first.Has(images.Amd64Digest) && first.Has(images.Arm64Digest), "every platform is pulled");
        Assert.Equal(images.IndexDigest, second.Digest);
        Assert.True(second.Has(images.Amd64Digest) && second.Has(images.Arm64Digest), "every platform is served");
        Assert.NotEqual(0, uncached.ExitCode);
        Assert.Contains("502 Bad Gateway", uncached.Output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadGateway, uncachedResponse.StatusCode);
        Assert.Contains($"{upstream.Address} refused the connection", uncachedError, StringComparison.Ordinal);
    }

    [RequiresToolsFact("skopeo", "umoci", "docker-registry", "htpasswd")]
    public async Task CredentialSet_WithTheWrongPassword_DeniesPulls_UntilItIsUpdated()
    {
        using var work = new TempDirectory();
        await using var acre = await StartAcreAsync(work, $"{Vault}/password={DistributionRegistry.Password}",
            $"{Vault}/wrong=not-the-upstream-password");
        await using var upstream = await DistributionRegistry.StartAsync(work.Sub("upstream"));
        var images = await TestImages.BuildAsync(work.Path);
        await PushAsync(upstream, images, "amd64");
        using var arm = await ArmAsync(acre);
        await SendAsync(arm, HttpMethod.Put, CredentialSet, CredentialSetBody(upstream, "wrong"));
        await SendAsync(arm, HttpMethod.Put, $"{Registry}/cacheRules/busyboxrule", new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["sourceRepository"] = $"{upstream.Address}/library/busybox",
                ["targetRepository"] = "mirror/busybox",
                ["credentialSetResourceId"] = CredentialSet,
            },
        });
        await SendAsync(arm, HttpMethod.Put, $"{Registry}/credentialSets/missingcreds",
            CredentialSetBody(upstream, "absent"));

        // The wrong secret still resolves, so the set looks healthy: only the upstream can tell.
        string wrongSet = await SendAsync(arm, HttpMethod.Get, CredentialSet);
        string missingSet = await SendAsync(arm, HttpMethod.Get, $"{Registry}/credentialSets/missingcreds");
        var refused = await SkopeoPull.TryFromAcreAsync(acre, "mirror/busybox:1", Path.Combine(work.Path, "refused"));

        var patch = CredentialSetBody(upstream, "password");
        patch["properties"]!.AsObject().Remove("loginServer");
        await SendAsync(arm, HttpMethod.Patch, CredentialSet, patch);
        var pulled = await SkopeoPull.FromAcreAsync(acre, "mirror/busybox:1", Path.Combine(work.Path, "pulled"));

        Assert.Equal("Healthy", Health(wrongSet)["status"]!.GetValue<string>());
        Assert.DoesNotContain("not-the-upstream-password", wrongSet, StringComparison.Ordinal);
        Assert.Equal("Unhealthy", Health(missingSet)["status"]!.GetValue<string>());
        Assert.Contains("ACRE_SECRET_ACREE2E_ABSENT", Health(missingSet)["errorMessage"]!.GetValue<string>(),
            StringComparison.Ordinal);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("denied", refused.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("credentials", refused.Output, StringComparison.Ordinal);
        Assert.Contains("401", refused.Output, StringComparison.Ordinal);
        Assert.Equal(images.Amd64Digest, pulled.Digest);
    }

    /// <summary>
    /// Acre reaching the plain-HTTP upstream on loopback, with the upstream user name and the given
    /// <c>URI=VALUE</c> secrets as its Key Vault.
    /// </summary>
    private static async Task<AcreProcess> StartAcreAsync(TempDirectory work, params string[] secrets)
    {
        string[] options = [.. new[] { $"{Vault}/user={DistributionRegistry.UserName}" }.Concat(secrets)
            .SelectMany(secret => new[] { "--secret", secret })];
        var acre = new AcreProcess(work.Sub("data"), setAdminPassword: true,
            ["--allow-insecure-loopback-upstreams", .. options]);
        await acre.StartAsync();
        return acre;
    }

    private static Task PushAsync(DistributionRegistry upstream, TestImages images, string name) =>
        Tool.RunAsync("skopeo", "copy", "--all", "--preserve-digests", "--dest-tls-verify=false",
            "--dest-creds", DistributionRegistry.Credentials, $"oci:{images.Layout}:{name}",
            $"docker://{upstream.Address}/library/busybox:1");

    private static JsonObject CredentialSetBody(DistributionRegistry upstream, string passwordSecret) => new()
    {
        ["properties"] = new JsonObject
        {
            ["loginServer"] = upstream.Address,
            ["authCredentials"] = new JsonArray(new JsonObject
            {
                ["name"] = "Credential1",
                ["usernameSecretIdentifier"] = $"{Vault}/user",
                ["passwordSecretIdentifier"] = $"{Vault}/{passwordSecret}",
            }),
        },
    };

    private static JsonNode Health(string credentialSet) =>
        JsonNode.Parse(credentialSet)!["properties"]!["authCredentials"]![0]!["credentialHealth"]!;

    /// <summary>An ARM client on Acre's management plane with a bearer token from Acre's Entra ID.</summary>
    private static async Task<HttpClient> ArmAsync(AcreProcess acre)
    {
        using var sdk = new AzureSdk(acre);
        var token = await sdk.Credential().GetTokenAsync(
            new TokenRequestContext([$"{sdk.Audience}/.default"]), CancellationToken.None);
        var http = acre.Https();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return http;
    }

    /// <summary>Sends an ARM request; fails the test unless it succeeds, and returns the body.</summary>
    private static async Task<string> SendAsync(HttpClient arm, HttpMethod method, string path, JsonObject? body = null)
    {
        using var request = new HttpRequestMessage(method, $"{path}?{Api}")
        {
            Content = body is null ? null : JsonContent.Create(body),
        };
        using var response = await arm.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text;
    }
}
