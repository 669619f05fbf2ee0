namespace Acre.Management.Registries;

/// <summary>ACR's SKUs and the limits each sets.</summary>
public static class Skus
{
    public const string Basic = "Basic";
    public const string Standard = "Standard";
    public const string Premium = "Premium";

    private const long GiB = 1024L * 1024 * 1024;

    public static string? Normalize(string? name) => name?.ToLowerInvariant() switch
    {
        "basic" => Basic,
        "standard" => Standard,
        "premium" => Premium,
        _ => null,
    };

    public static long IncludedStorageBytes(string sku) => sku switch
    {
        Basic => 10 * GiB,
        Standard => 100 * GiB,
        _ => 500 * GiB,
    };

    public static int WebhookLimit(string sku) => sku switch
    {
        Basic => 2,
        Standard => 10,
        _ => 500,
    };

    public static int ScopeMapAndTokenLimit(string sku) => sku switch
    {
        Basic => 100,
        Standard => 500,
        _ => 50000,
    };
}
