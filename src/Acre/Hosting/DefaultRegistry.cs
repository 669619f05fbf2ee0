using Acre.Cli;
using Acre.Management.Registries;
using Acre.Storage;

namespace Acre.Hosting;

/// <summary>
/// Makes sure the default registry exists: an ordinary Premium registry in the default subscription, resource
/// group <c>acre</c>, with its admin user enabled and a password that is made once and kept.
/// </summary>
public static class DefaultRegistry
{
    public const string ResourceGroup = "acre";
    public const string Location = "westus";

    public static async Task<RegistryRecord> EnsureAsync(IMetadataStore metadata, AcreOptions options,
        CancellationToken ct)
    {
        if (!RegistryService.IsValidName(options.DefaultRegistry))
        {
            throw new InvalidOperationException(
                $"--default-registry '{options.DefaultRegistry}' is not a registry name: 5 to 50 letters and digits.");
        }

        string subscription = options.Identity.SubscriptionId;
        var now = DateTimeOffset.UtcNow;
        if (await metadata.GetResourceGroupAsync(subscription, ResourceGroup, ct) is null)
        {
            await metadata.PutResourceGroupAsync(new ResourceGroupRecord(subscription, ResourceGroup, Location,
                null, now), ct);
        }

        var registry = await metadata.EnsureRegistryAsync(new RegistryRecord(
            options.DefaultRegistry, true, RegistryService.NewPassword(), RegistryService.NewPassword(), now)
        {
            SubscriptionId = subscription,
            ResourceGroup = ResourceGroup,
            Location = Location,
        }, ct);
        var wanted = registry with
        {
            AdminPassword = options.AdminPassword is { Length: > 0 } password ? password : registry.AdminPassword,
            SubscriptionId = registry.SubscriptionId.Length > 0 ? registry.SubscriptionId : subscription,
            ResourceGroup = registry.ResourceGroup.Length > 0 ? registry.ResourceGroup : ResourceGroup,
            Location = registry.Location.Length > 0 ? registry.Location : Location,
        };
        if (wanted != registry)
        {
            await metadata.PutRegistryAsync(wanted, ct);
        }

        return wanted;
    }
}
