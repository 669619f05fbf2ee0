using System.Security.Cryptography;
using Acre.Cli;
using Acre.Storage;

namespace Acre.Hosting;

/// <summary>Makes sure the default registry exists, with its admin user enabled and a kept password.</summary>
public static class DefaultRegistry
{
    public static async Task<RegistryRecord> EnsureAsync(IMetadataStore metadata, AcreOptions options, CancellationToken ct)
    {
        var registry = await metadata.EnsureRegistryAsync(
            new RegistryRecord(options.DefaultRegistry, true, NewPassword(), NewPassword(), DateTimeOffset.UtcNow), ct);
        if (options.AdminPassword is { Length: > 0 } password && password != registry.AdminPassword)
        {
            await metadata.SetAdminPasswordAsync(registry.Name, password, ct);
            registry = registry with { AdminPassword = password };
        }

        return registry;
    }

    /// <summary>A password shaped like ACR's: 52 characters of base64 without padding.</summary>
    public static string NewPassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(39)).Replace('/', 'x').Replace('+', 'y');
}
