using Acre.Identity;

namespace Acre.Registry.Auth;

public enum CallerKind
{
    /// <summary>The registry's admin user: every action.</summary>
    Admin,

    /// <summary>An Entra principal through an ACR refresh token; an Owner of the subscription, so every
    /// action.</summary>
    Principal,

    /// <summary>No credentials, on a registry that allows anonymous pull: pull only.</summary>
    Anonymous,

    /// <summary>An ACR access token: exactly what it grants.</summary>
    Bearer,

    /// <summary>A repository-scoped token's name and password: exactly its scope map's actions.</summary>
    Token,
}

/// <summary>Who is calling and what they may do.</summary>
public sealed record Caller(string Name, CallerKind Kind, RegistryGrant? Grant)
{
    /// <summary>For access tokens issued to a repository-scoped token: what that token may do now.</summary>
    public RegistryGrant? Current { get; init; }

    public bool FromBearer => Kind == CallerKind.Bearer;

    /// <summary>Callers that hold every action on the registry, the catalog included.</summary>
    public bool HoldsEverything => Kind is CallerKind.Admin or CallerKind.Principal;

    public bool May(AccessScope needed) => Kind switch
    {
        CallerKind.Admin or CallerKind.Principal => true,
        CallerKind.Anonymous => needed.Type == AccessScope.Repository && needed.Actions.All(a => a == "pull"),
        _ => needed.Actions.All(action => Grant?.Allows(needed.Type, needed.Name, action) == true &&
            (Kind != CallerKind.Bearer || Grant.TokenName is null ||
                Current?.Allows(needed.Type, needed.Name, action) == true)),
    };
}
