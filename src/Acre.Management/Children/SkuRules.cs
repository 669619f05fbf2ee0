using Acre.Management.Arm;
using Acre.Management.Registries;
using Acre.Storage;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Children;

/// <summary>ACR's per-SKU limits on children, with ACR's errors when they are exceeded.</summary>
public static class SkuRules
{
    public static IResult? PremiumOnly(RegistryRecord registry, string feature) =>
        registry.Sku == Skus.Premium
            ? null
            : ArmError.Invalid("SkuNotSupported",
                $"{feature} are supported only for Premium registries. Update the registry's SKU to Premium first.");

    public static async Task<IResult?> WithinAsync(
        ChildContext context, RegistryRecord registry, string what, int limit, params string[] kinds)
    {
        int count = 0;
        foreach (string kind in kinds)
        {
            count += await context.CountAsync(registry, kind);
        }

        return count < limit
            ? null
            : ArmError.Result(409, "QuotaExceeded",
                $"The {registry.Sku} SKU allows at most {limit} {what} per registry; this registry has {count}.");
    }

    /// <summary>Whether the children a registry has fit a new SKU; the error names what must go first.</summary>
    public static async Task<IResult?> FitsAsync(ChildContext context, RegistryRecord registry, string sku)
    {
        if (sku != Skus.Premium)
        {
            foreach (var (kind, name) in new[] { ("replications", "replications"),
                ("connectedRegistries", "connected registries"), ("privateEndpointConnections", "private endpoints") })
            {
                if (await context.CountAsync(registry, kind) > 0)
                {
                    return ArmError.Invalid("SkuNotSupported",
                        $"The registry has {name}, which only Premium registries may have; delete them first.");
                }
            }
        }

        int webhooks = await context.CountAsync(registry, "webhooks");
        if (webhooks > Skus.WebhookLimit(sku))
        {
            return ArmError.Result(409, "QuotaExceeded",
                $"The {sku} SKU allows at most {Skus.WebhookLimit(sku)} webhooks; the registry has {webhooks}.");
        }

        foreach (var (kind, name) in new[] { ("scopeMaps", "scope maps"), ("tokens", "tokens") })
        {
            int count = await context.CountAsync(registry, kind);
            if (count > Skus.ScopeMapAndTokenLimit(sku))
            {
                return ArmError.Result(409, "QuotaExceeded",
                    $"The {sku} SKU allows at most {Skus.ScopeMapAndTokenLimit(sku)} {name}; " +
                    $"the registry has {count}.");
            }
        }

        return null;
    }
}
