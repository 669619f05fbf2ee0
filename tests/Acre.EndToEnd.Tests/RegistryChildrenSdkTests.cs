using Acre.EndToEnd.Tests.Support;

namespace Acre.EndToEnd.Tests;

/// <summary>
/// A registry's children through the JavaScript ARM SDK (@azure/arm-containerregistry 12, api-version 2025-11-01),
/// one script of the <c>js</c> folder per operation group, each on an acre of its own.
/// </summary>
public sealed class RegistryChildrenSdkTests
{
    [RequiresToolsFact("node")]
    public Task ScopeMapsAndTokens_LiveAndSignInToTheDataPlane() => RunScriptAsync("scope-maps-tokens.mjs");

    [RequiresToolsFact("node")]
    public Task Webhooks_PingAReceiverAndListTheEvent() => RunScriptAsync("webhooks.mjs");

    [RequiresToolsFact("node")]
    public Task Replications_OnPremiumOnly_MoveTheDataEndpoints() => RunScriptAsync("replications.mjs");

    [RequiresToolsFact("node")]
    public Task PrivateEndpointConnections_AreShownOnTheRegistry() => RunScriptAsync("private-endpoints.mjs");

    [RequiresToolsFact("node")]
    public Task ConnectedRegistries_CreateWithParentsDeactivateUpdateDelete() =>
        RunScriptAsync("connected-registries.mjs");

    [RequiresToolsFact("node")]
    public Task Operations_ListTheChildrenOperations() => RunScriptAsync("operations.mjs");

    private static async Task RunScriptAsync(string script)
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));

        await NodeScript.RunAsync(acre, script);
    }
}
