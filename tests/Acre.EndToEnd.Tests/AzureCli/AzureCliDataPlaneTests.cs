using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using Acre.EndToEnd.Tests.Support;

namespace Acre.EndToEnd.Tests.AzureCli;

/// <summary>
/// <c>az acr</c> on the data plane: az trades its Entra token for an ACR refresh token at the registry's login
/// server (mapped to loopback in a private mount namespace), then lists repositories or hands the token to
/// skopeo and docker, which push and pull with it.
/// </summary>
public sealed class AzureCliDataPlaneTests
{
    /// <summary>The user name ACR's refresh tokens go with, as <c>az acr login</c> passes it to docker.</summary>
    private const string TokenUser = "00000000-0000-0000-0000-000000000000";

    [RequiresToolsFact("az", "skopeo", "umoci", "unshare", "mount", RequiresToolsFactAttribute.Root)]
    public async Task LoginExposeToken_GivesATokenThatSkopeoPushesWith()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var images = await TestImages.BuildAsync(work.Path);
        var cli = await AzureCli.RegisterAndLoginAsync(acre, work);
        await cli.JsonAsync("group", "create", "-n", "rg1", "-l", "westus");
        await cli.JsonAsync("acr", "create", "-n", "aztoken", "-g", "rg1", "--sku", "Basic");
        cli.MapHosts("aztoken");
        string reference = $"docker://{acre.LoginServer("aztoken")}/token/busybox:1";

        var exposed = await cli.JsonAsync("acr", "login", "-n", "aztoken", "--expose-token");
        string token = exposed["accessToken"]!.GetValue<string>();
        await cli.RunToolAsync("skopeo", "copy", "--dest-cert-dir", acre.CertDir, "--dest-creds",
            $"{TokenUser}:{token}", $"oci:{images.Layout}:amd64", reference);
        string manifest = await cli.RunToolAsync("skopeo", "inspect", "--raw", "--cert-dir", acre.CertDir,
            "--creds", $"{TokenUser}:{token}", reference);

        Assert.Equal(acre.LoginServer("aztoken"), exposed["loginServer"]!.GetValue<string>());
        Assert.Equal("aztoken.azurecr.localhost", Claims(token)["aud"]!.GetValue<string>());
        Assert.Equal(Encoding.UTF8.GetString(images.ReadBlob(images.Amd64Digest)), manifest);
    }

    [RequiresToolsFact("az", "skopeo", "umoci", "unshare", "mount", RequiresToolsFactAttribute.Root)]
    public async Task RepositoryList_ListsWhatSkopeoPushed()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var images = await TestImages.BuildAsync(work.Path);
        foreach (string repository in new[] { "listed/one", "listed/two" })
        {
            await Tool.RunAsync("skopeo", "copy", "--dest-cert-dir", acre.CertDir, "--dest-creds",
                $"{acre.Registry}:{AcreProcess.AdminPassword}", $"oci:{images.Layout}:amd64",
                $"docker://localhost:{acre.HttpsPort}/{repository}:1");
        }

        var cli = await AzureCli.RegisterAndLoginAsync(acre, work);
        cli.MapHosts(acre.Registry);

        var repositories = await cli.JsonAsync("acr", "repository", "list", "-n", acre.Registry);

        Assert.Equal(["listed/one", "listed/two"], repositories.AsArray().Select(r => r!.GetValue<string>()));
    }

    [RequiresToolsFact("az", "podman", "umoci", "unshare", "mount", RequiresToolsFactAttribute.Root)]
    public async Task AcrLogin_LetsDockerPushAndPullWithItsToken()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var images = await TestImages.BuildAsync(work.Path);
        var cli = await AzureCli.RegisterAndLoginAsync(acre, work);
        await cli.JsonAsync("group", "create", "-n", "rg1", "-l", "westus");
        await cli.JsonAsync("acr", "create", "-n", "azdocker", "-g", "rg1", "--sku", "Basic");
        cli.MapHosts("azdocker");
        var docker = PodmanAsDocker.Install(cli, work, acre.CertDir);
        string image = $"{acre.LoginServer("azdocker")}/docker/busybox:1";

        string login = await cli.RunAsync("acr", "login", "-n", "azdocker");
        await cli.RunToolAsync("docker", "pull", $"oci:{images.Layout}:amd64");
        string local = (await cli.RunToolAsync("docker", "images", "--format", "{{.ID}}")).Trim().Split('\n')[0];
        await cli.RunToolAsync("docker", "tag", local, image);
        await cli.RunToolAsync("docker", "push", image);
        await cli.RunToolAsync("docker", "rmi", "--all", "--force");
        await cli.RunToolAsync("docker", "pull", image);
        string pulled = await cli.RunToolAsync("docker", "image", "inspect", "--format", "{{.ID}}", image);

        Assert.Contains("Login Succeeded", login, StringComparison.Ordinal);
        Assert.Equal(TokenUser, SavedUser(docker.AuthFile, acre.LoginServer("azdocker")));
        Assert.StartsWith(local, pulled.Trim(), StringComparison.Ordinal);
        Assert.Contains("PUT /v2/docker/busybox/manifests/1 201", acre.Log, StringComparison.Ordinal);
    }

    /// <summary>The claims of a JWT, unverified: what the token says about itself.</summary>
    private static JsonNode Claims(string jwt) => JsonNode.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[1]))!;

    /// <summary>The user name that <c>docker login</c> saved for a registry.</summary>
    private static string SavedUser(string authFile, string loginServer)
    {
        var auths = JsonNode.Parse(File.ReadAllText(authFile))!["auths"]!;
        byte[] auth = Convert.FromBase64String(auths[loginServer]!["auth"]!.GetValue<string>());
        return Encoding.UTF8.GetString(auth).Split(':')[0];
    }
}
