namespace Acre.Identity.Entra;

public enum PrincipalKind
{
    ServicePrincipal,
    User,
}

/// <summary>Who a token was issued to: object id, the application it came through, and the tenant.</summary>
public sealed record Principal(PrincipalKind Kind, string ObjectId, string AppId, string TenantId, string Name);
