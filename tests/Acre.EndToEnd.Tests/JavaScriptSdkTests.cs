using Acre.EndToEnd.Tests.Support;

namespace Acre.EndToEnd.Tests;

/// <summary>
/// The Azure SDK for JavaScript (@azure/arm-containerregistry and @azure/identity, pinned in <c>js/package.json</c>)
/// against the real acre binary. Each test runs one script of the <c>js</c> folder, which asserts with node:assert
/// and exits non-zero on the first failure.
/// </summary>
public sealed class JavaScriptSdkTests
{
    [RequiresToolsFact("node")]
    public Task Registries_CreateGetUpdateListCredentialsUsagesDelete() => RunScriptAsync("registries.mjs");

    [RequiresToolsFact("node")]
    public Task ClientSecretCredential_WithAWrongSecret_RejectsWithAadstsError() => RunScriptAsync("wrong-secret.mjs");

    private static async Task RunScriptAsync(string script)
    {
        string folder = SourceTree.TestsFolder("js");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules")),
            $"The JavaScript SDKs are not installed: run `npm ci --no-audit --no-fund` in {folder} (.ci/run does).");

        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var environment = new Dictionary<string, string>
        {
            ["NODE_EXTRA_CA_CERTS"] = acre.CaPath,
            ["ACRE_RESOURCE_MANAGER"] = acre.ResourceManager,
            ["ACRE_AUTHORITY_HOST"] = $"https://localhost:{acre.HttpsPort}",
            ["ACRE_TENANT_ID"] = AcreProcess.TenantId,
            ["ACRE_SUBSCRIPTION_ID"] = AcreProcess.SubscriptionId,
            ["ACRE_CLIENT_ID"] = AcreProcess.ClientId,
            ["ACRE_CLIENT_SECRET"] = AcreProcess.ClientSecret,

            // Keep every request on loopback even where a proxy is configured.
            ["NO_PROXY"] = "localhost,127.0.0.1,::1",
        };

        var result = await Tool.TryRunWithAsync(environment, "node", Path.Combine(folder, script));

        Assert.True(result.ExitCode == 0,
            $"node {script} exited {result.ExitCode}:\n{result.Output}\nAcre's log:\n{acre.Log}");
    }
}
