using Acre.Storage;
using Microsoft.AspNetCore.Http;

namespace Acre.Registry;

/// <summary>
/// Which registry a request reached, decided by the host from the <c>Host</c> header.
/// <see cref="Registry"/> is null when the host names a registry that does not exist.
/// </summary>
/// <param name="Name">The registry name the host named.</param>
/// <param name="Audience">The login server without a port; the <c>aud</c> of its tokens.</param>
public sealed record RegistryFeature(string Name, string Audience, RegistryRecord? Registry)
{
    public static RegistryFeature? Get(HttpContext context) => context.Features.Get<RegistryFeature>();
}
