using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Acre.EndToEnd.Tests.Support;

namespace Acre.EndToEnd.Tests.AzureCli;

/// <summary>
/// <c>az login</c> and <c>az acr</c>'s management commands against Acre's Entra ID and ARM, checked on what az
/// prints and, where it matters, on what the registry then does.
/// </summary>
public sealed class AzureCliManagementTests
{
    [RequiresToolsFact("az")]
    public async Task Create_ThenListShowUpdateAndCheckName_SeeTheRegistry()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var cli = await AzureCli.RegisterCloudAsync(acre, work);

        var subscriptions = await cli.LoginAsync();
        await cli.JsonAsync("group", "create", "-n", "rg1", "-l", "westus");
        var created = await cli.JsonAsync("acr", "create", "-n", "azmanaged", "-g", "rg1", "--sku", "Basic");
        var listed = await cli.JsonAsync("acr", "list", "--query", "[].name");
        var shown = await cli.JsonAsync("acr", "show", "-n", "azmanaged", "--query", "loginServer");
        var updated = await cli.JsonAsync("acr", "update", "-n", "azmanaged", "--admin-enabled", "true");
        var taken = await cli.JsonAsync("acr", "check-name", "-n", "azmanaged");
        var free = await cli.JsonAsync("acr", "check-name", "-n", "azneverused");

        var subscription = Assert.Single(subscriptions.AsArray())!;
        Assert.Equal(AcreProcess.SubscriptionId, Text(subscription["id"]));
        Assert.Equal(AcreProcess.TenantId, Text(subscription["tenantId"]));
        Assert.Equal(AzureCli.CloudName, Text(subscription["cloudName"]));
        Assert.Equal(acre.LoginServer("azmanaged"), Text(created["loginServer"]));
        Assert.Equal("Basic", Text(created["sku"]?["name"]));
        Assert.Equal("Succeeded", Text(created["provisioningState"]));
        Assert.Equal("rg1", Text(created["resourceGroup"]));
        Assert.False(created["adminUserEnabled"]!.GetValue<bool>());
        Assert.Equal(["azmanaged", "local"], listed.AsArray().Select(Text).Order());
        Assert.Equal(acre.LoginServer("azmanaged"), Text(shown));
        Assert.True(updated["adminUserEnabled"]!.GetValue<bool>());
        Assert.False(taken["nameAvailable"]!.GetValue<bool>());
        Assert.Equal("AlreadyExists", Text(taken["reason"]));
        Assert.True(free["nameAvailable"]!.GetValue<bool>());
    }

    [RequiresToolsFact("az")]
    public async Task CredentialRenew_ChangesPassword2Only()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var cli = await AzureCli.RegisterAndLoginAsync(acre, work);
        await cli.JsonAsync("group", "create", "-n", "rg1", "-l", "westus");
        await cli.JsonAsync("acr", "create", "-n", "azadmin", "-g", "rg1", "--sku", "Standard",
            "--admin-enabled", "true");

        var before = await cli.JsonAsync("acr", "credential", "show", "-n", "azadmin");
        var renewed = await cli.JsonAsync("acr", "credential", "renew", "-n", "azadmin",
            "--password-name", "password2");
        var after = await cli.JsonAsync("acr", "credential", "show", "-n", "azadmin");
        var withNewPassword2 = await GetV2Async(acre, "azadmin", Password(renewed, "password2"));
        var withOldPassword2 = await GetV2Async(acre, "azadmin", Password(before, "password2"));
        var withPassword = await GetV2Async(acre, "azadmin", Password(before, "password"));

        Assert.Equal("azadmin", Text(before["username"]));
        Assert.Equal(Password(before, "password"), Password(renewed, "password"));
        Assert.NotEqual(Password(before, "password2"), Password(renewed, "password2"));
        Assert.Equal(renewed.ToJsonString(), after.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, withNewPassword2.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, withOldPassword2.Status);
        Assert.Equal(HttpStatusCode.OK, withPassword.Status);
    }

    [RequiresToolsFact("az", "skopeo", "umoci")]
    public async Task ShowUsage_CountsThePushedBytes()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var images = await TestImages.BuildAsync(work.Path);
        var cli = await AzureCli.RegisterAndLoginAsync(acre, work);

        var empty = await cli.JsonAsync("acr", "show-usage", "-n", acre.Registry);
        await Tool.RunAsync("skopeo", "copy", "--dest-cert-dir", acre.CertDir, "--dest-creds",
            $"{acre.Registry}:{AcreProcess.AdminPassword}", $"oci:{images.Layout}:amd64",
            $"docker://localhost:{acre.HttpsPort}/usage/busybox:1");
        var used = await cli.JsonAsync("acr", "show-usage", "-n", acre.Registry);

        Assert.Equal(0, Usage(empty, "Size")["currentValue"]!.GetValue<long>());
        Assert.Equal(ImageBytes(images, images.Amd64Digest), Usage(used, "Size")["currentValue"]!.GetValue<long>());
        Assert.Equal("Bytes", Text(Usage(used, "Size")["unit"]));
    }

    [RequiresToolsFact("az")]
    public async Task Delete_RemovesTheRegistryFromArmAndTheDataPlane()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var cli = await AzureCli.RegisterAndLoginAsync(acre, work);
        await cli.JsonAsync("group", "create", "-n", "rg1", "-l", "westus");
        await cli.JsonAsync("acr", "create", "-n", "azgone", "-g", "rg1", "--sku", "Basic");
        var beforeDelete = await GetV2Async(acre, "azgone", password: null);

        await cli.RunAsync("acr", "delete", "-n", "azgone", "--yes");
        var shown = await cli.TryRunAsync("acr", "show", "-n", "azgone");
        var listed = await cli.JsonAsync("acr", "list", "--query", "[].name");
        var afterDelete = await GetV2Async(acre, "azgone", password: null);

        Assert.Equal(HttpStatusCode.Unauthorized, beforeDelete.Status);
        Assert.NotEqual(0, shown.ExitCode);
        Assert.Contains("'azgone'", shown.Output, StringComparison.Ordinal);
        Assert.Contains("could not be found", shown.Output, StringComparison.Ordinal);
        Assert.Equal(["local"], listed.AsArray().Select(Text));
        Assert.Equal(HttpStatusCode.NotFound, afterDelete.Status);
        Assert.Equal("NAME_UNKNOWN", Text(JsonNode.Parse(afterDelete.Body)!["errors"]?[0]?["code"]));
    }

    [RequiresToolsFact("az")]
    public async Task Login_WithAWrongSecret_FailsWithTheAadstsError()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var cli = await AzureCli.RegisterCloudAsync(acre, work);

        var login = await cli.TryLoginAsync("not-the-client-secret");
        var account = await cli.TryRunAsync("account", "show");

        Assert.NotEqual(0, login.ExitCode);
        Assert.Contains("AADSTS7000215", login.Output, StringComparison.Ordinal);
        Assert.Contains("Invalid client secret", login.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, account.ExitCode);
    }

    private static string? Text(JsonNode? node) => node?.GetValue<string>();

    private static string? Password(JsonNode credentials, string name) =>
        Text(credentials["passwords"]!.AsArray().Single(p => Text(p!["name"]) == name)!["value"]);

    private static JsonNode Usage(JsonNode usages, string name) =>
        usages["value"]!.AsArray().Single(u => Text(u!["name"]) == name)!;

    /// <summary>What an image costs a registry: its manifest, config and layers, in bytes.</summary>
    private static long ImageBytes(TestImages images, string manifestDigest)
    {
        byte[] manifest = images.ReadBlob(manifestDigest);
        var parsed = JsonNode.Parse(manifest)!;
        var blobs = parsed["layers"]!.AsArray().Append(parsed["config"]);
        return manifest.Length + blobs.Sum(blob => blob!["size"]!.GetValue<long>());
    }

    /// <summary>
    /// <c>GET /v2/</c> on a registry, reached at localhost with its login server in the Host header, as its admin
    /// user with the given password (none: anonymous).
    /// </summary>
    private static async Task<(HttpStatusCode Status, string Body)> GetV2Async(
        AcreProcess acre, string registry, string? password)
    {
        using var http = acre.Https();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/");
        request.Headers.Host = acre.LoginServer(registry);
        http.DefaultRequestHeaders.Authorization = password is null ? null : new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{registry}:{password}")));

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
