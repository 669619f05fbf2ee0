namespace Acre.Management.Resources;

/// <summary>The Azure regions a resource may be placed in, normalised as ARM does ("West US" is
/// <c>westus</c>).</summary>
public static class Locations
{
    public static readonly IReadOnlyList<string> All =
    [
        "australiacentral", "australiaeast", "australiasoutheast", "brazilsouth", "canadacentral", "canadaeast",
        "centralindia", "centralus", "eastasia", "eastus", "eastus2", "francecentral", "germanywestcentral",
        "israelcentral", "italynorth", "japaneast", "japanwest", "koreacentral", "koreasouth", "mexicocentral",
        "newzealandnorth", "northcentralus", "northeurope", "norwayeast", "polandcentral", "qatarcentral",
        "southafricanorth", "southcentralus", "southeastasia", "southindia", "spaincentral", "swedencentral",
        "switzerlandnorth", "uaenorth", "uksouth", "ukwest", "westcentralus", "westeurope", "westindia", "westus",
        "westus2", "westus3",
    ];

    /// <summary>The normalised name of a known region, or null.</summary>
    public static string? Normalize(string? location)
    {
        string name = (location ?? "").Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
        return All.Contains(name) ? name : null;
    }
}
