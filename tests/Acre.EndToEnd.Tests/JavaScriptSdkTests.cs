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
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));

        await NodeScript.RunAsync(acre, script);
    }
}
