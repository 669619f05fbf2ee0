using Acre.Registry;
using Acre.Storage;

namespace Acre.Hosting;

/// <summary>Sets the <see cref="RegistryFeature"/> of each request from its <c>Host</c>.</summary>
public sealed class RegistryRouting(RequestDelegate next, HostNames hosts, IMetadataStore metadata)
{
    public async Task InvokeAsync(HttpContext context)
    {
        // Clients that join a base URL ending in '/' with a path starting with '/' send '//metadata/…'.
        if (context.Request.Path.Value is { } path && path.StartsWith("//", StringComparison.Ordinal))
        {
            context.Request.Path = new PathString("/" + path.TrimStart('/'));
        }

        string registry = hosts.RegistryFor(context.Request.Host.Host);
        var record = await metadata.GetRegistryAsync(registry, context.RequestAborted);
        context.Features.Set(new RegistryFeature(registry, hosts.LoginServer(registry), record));
        await next(context);
    }
}
