using Acre.EndToEnd.Tests.Support;
using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.ResourceManager.Resources;
using Azure.ResourceManager.Resources.Models;
using Microsoft.Identity.Client;

namespace Acre.EndToEnd.Tests;

/// <summary>
/// The Azure SDK for .NET (Azure.ResourceManager and Azure.Identity) against the real acre binary. Registries are
/// reached as generic resources, so the SDK looks up the provider's api-versions and runs its pollers on Acre's
/// long-running operations.
/// </summary>
public sealed class DotNetSdkTests
{
    private const string RegistryType = "Microsoft.ContainerRegistry/registries";

    [Fact]
    public async Task Registry_IsFoundCreatedUpdatedAndDeleted_AsGenericResources()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        using var sdk = new AzureSdk(acre);
        var client = sdk.ArmClient();

        SubscriptionResource subscription = await client.GetDefaultSubscriptionAsync();
        Assert.Equal(AcreProcess.SubscriptionId, subscription.Data.SubscriptionId);

        var local = Assert.Single(await ListRegistriesAsync(subscription), r => r.Data.Name == "local");
        Assert.Equal("acre", local.Id.ResourceGroupName);
        Assert.Equal(RegistryType, local.Data.ResourceType.ToString());

        var id = new ResourceIdentifier(
            $"/subscriptions/{AcreProcess.SubscriptionId}/resourceGroups/acre/providers/{RegistryType}/sdknet");
        var data = new GenericResourceData(AzureLocation.WestUS)
        {
            Sku = new ResourcesSku { Name = "Standard" },
            Properties = BinaryData.FromObjectAsJson(new { adminUserEnabled = false }),
            Tags = { ["stage"] = "created" },
        };
        var created = await client.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Completed, id, data);
        Assert.True(created.HasCompleted);
        Assert.Equal("sdknet", created.Value.Data.Name);
        var properties = created.Value.Data.Properties.ToObjectFromJson<Dictionary<string, object>>()!;
        Assert.Equal("Succeeded", properties["provisioningState"].ToString());
        Assert.Equal(acre.LoginServer("sdknet"), properties["loginServer"].ToString());
        Assert.Contains(await ListRegistriesAsync(subscription), r => r.Id == id);

        var update = new GenericResourceData(AzureLocation.WestUS) { Tags = { ["stage"] = "updated" } };
        var updated = await created.Value.UpdateAsync(WaitUntil.Completed, update);
        Assert.Equal("updated", updated.Value.Data.Tags["stage"]);
        GenericResource fetched = await client.GetGenericResource(id).GetAsync();
        Assert.Equal("updated", fetched.Data.Tags["stage"]);

        var deleted = await fetched.DeleteAsync(WaitUntil.Completed);
        Assert.True(deleted.HasCompleted);
        var missing = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetGenericResource(id).GetAsync());
        Assert.Equal(404, missing.Status);
        Assert.Equal("ResourceNotFound", missing.ErrorCode);
        Assert.DoesNotContain(await ListRegistriesAsync(subscription), r => r.Id == id);
    }

    [Fact]
    public async Task ClientSecretCredential_WithAWrongSecret_ThrowsWithAadstsError()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        using var sdk = new AzureSdk(acre);
        var credential = sdk.Credential("not-the-secret");

        var refused = await Assert.ThrowsAsync<AuthenticationFailedException>(() =>
            credential.GetTokenAsync(new TokenRequestContext([$"{sdk.Audience}/.default"])).AsTask());

        // Azure.Identity 1.21 leaves its own message bare; Entra's answer is in MSAL's exception inside.
        var entra = Assert.IsType<MsalServiceException>(refused.InnerException);
        Assert.Equal("invalid_client", entra.ErrorCode);
        Assert.Equal(401, entra.StatusCode);
        Assert.Contains("AADSTS7000215: Invalid client secret provided", entra.Message, StringComparison.Ordinal);
    }

    /// <summary>The registries of the subscription, found the way the CLI finds them: by a resource-type
    /// filter.</summary>
    private static Task<List<GenericResource>> ListRegistriesAsync(SubscriptionResource subscription) =>
        subscription.GetGenericResourcesAsync(filter: $"resourceType eq '{RegistryType}'").ToListAsync().AsTask();
}
