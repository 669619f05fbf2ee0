using Acre.Identity;

namespace Acre.Registry.Auth;

/// <summary>Who is calling and what they may do; <see cref="IsAdmin"/> callers may do everything.</summary>
public sealed record Caller(string Name, bool IsAdmin, RegistryGrant? Grant, bool FromBearer)
{
    public bool May(AccessScope needed) =>
        IsAdmin || needed.Actions.All(action => Grant?.Allows(needed.Type, needed.Name, action) == true);
}
