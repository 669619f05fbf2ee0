namespace Acre.Identity.Entra;

/// <summary>
/// The tenant, subscription and principals that exist from the first start. Their ids and secrets are well
/// known and printed at start-up, the way Azurite ships a well-known account key; options override them.
/// </summary>
public sealed record IdentityOptions
{
    public const string DefaultTenantId = "ac7e0000-0000-4000-8000-000000000001";
    public const string DefaultSubscriptionId = "ac7e0000-0000-4000-8000-000000000002";
    public const string DefaultClientId = "ac7e0000-0000-4000-8000-000000000003";
    public const string DefaultClientSecret = "acre-client-secret";
    public const string DefaultUserName = "acre@acre.localhost";
    public const string DefaultUserPassword = "acre-user-password";

    public string TenantId { get; init; } = DefaultTenantId;

    public string SubscriptionId { get; init; } = DefaultSubscriptionId;

    public string ClientId { get; init; } = DefaultClientId;

    public string ClientSecret { get; init; } = DefaultClientSecret;

    public string UserName { get; init; } = DefaultUserName;

    public string UserPassword { get; init; } = DefaultUserPassword;

    /// <summary>The object id of the service principal; fixed, like its application id.</summary>
    public string ServicePrincipalObjectId { get; init; } = "ac7e0000-0000-4000-8000-000000000004";

    public string UserObjectId { get; init; } = "ac7e0000-0000-4000-8000-000000000005";
}
