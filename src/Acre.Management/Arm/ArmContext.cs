using Acre.Identity.Entra;
using Acre.Storage;

namespace Acre.Management.Arm;

/// <summary>What the ARM handlers share: the stores, the identity of the deployment, and the clock.</summary>
public sealed class ArmContext(IMetadataStore metadata, IdentityOptions identity, TimeProvider time)
{
    public IMetadataStore Metadata => metadata;

    public IdentityOptions Identity => identity;

    public TimeProvider Time => time;

    public bool IsKnownSubscription(string subscriptionId) =>
        string.Equals(subscriptionId, identity.SubscriptionId, StringComparison.OrdinalIgnoreCase);

    /// <summary>The subscription id as Acre spells it; ids match case-insensitively.</summary>
    public string SubscriptionId => identity.SubscriptionId;
}
