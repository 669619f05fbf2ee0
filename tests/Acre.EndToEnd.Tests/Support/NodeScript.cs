namespace Acre.EndToEnd.Tests.Support;

/// <summary>
/// Runs a script of the <c>js</c> folder against a running acre. The script reads Acre's address and identity
/// from environment variables (see <c>js/acre.mjs</c>), asserts with node:assert and exits non-zero on the first
/// failure; the test then fails with node's output and Acre's log of requests.
/// </summary>
public static class NodeScript
{
    public static async Task RunAsync(
        AcreProcess acre, string script, IReadOnlyDictionary<string, string>? extraEnvironment = null)
    {
        string folder = SourceTree.TestsFolder("js");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules")),
            $"The JavaScript SDKs are not installed: run `npm ci --no-audit --no-fund` in {folder} (.ci/run does).");

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
        foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        var result = await Tool.TryRunWithAsync(environment, "node", Path.Combine(folder, script));

        Assert.True(result.ExitCode == 0,
            $"node {script} exited {result.ExitCode}:\n{result.Output}\nAcre's log:\n{acre.Log}");
    }
}
