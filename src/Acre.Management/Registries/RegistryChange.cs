using System.Text.Json.Nodes;
using Acre.Management.Arm;
using Microsoft.AspNetCore.Http;
using static Acre.Management.Arm.JsonShape;

namespace Acre.Management.Registries;

/// <summary>
/// The properties a PUT or PATCH may set, checked against the spec's types and ACR's rules, and applied to the
/// kept JSON of a registry.
/// </summary>
public static class RegistryChange
{
    private static readonly Dictionary<string, string[]> Enums = new()
    {
        ["publicNetworkAccess"] = ["Enabled", "Disabled"],
        ["networkRuleBypassOptions"] = ["AzureServices", "None"],
        ["zoneRedundancy"] = ["Enabled", "Disabled"],
        ["roleAssignmentMode"] = ["AbacRepositoryPermissions", "LegacyRegistryPermissions"],
    };

    private static readonly string[] Booleans = ["dataEndpointEnabled", "networkRuleBypassAllowedForTasks"];
    private static readonly string[] Objects = ["policies", "encryption", "networkRuleSet"];
    private static readonly JsonShape PolicyStatus = OneOf("enabled", "disabled");

    /// <summary>
    /// The objects among a registry's properties as the spec types them, with retention between 0 and 365 days as
    /// ACR bounds it; the other properties are checked one by one as they are applied.
    /// </summary>
    public static JsonShape Shape { get; } = ObjectOf(
        ("networkRuleSet", ObjectOf(("defaultAction", OneOf("Allow", "Deny")),
            ("ipRules", ArrayOf(ObjectOf(("action", OneOf("Allow")), ("value", Text)))))),
        ("policies", ObjectOf(
            ("quarantinePolicy", ObjectOf(("status", PolicyStatus))),
            ("trustPolicy", ObjectOf(("type", OneOf("Notary")), ("status", PolicyStatus))),
            ("retentionPolicy", ObjectOf(("days", WholeNumberIn(0, 365)), ("status", PolicyStatus))),
            ("exportPolicy", ObjectOf(("status", PolicyStatus))),
            ("azureADAuthenticationAsArmPolicy", ObjectOf(("status", PolicyStatus))))),
        ("encryption", ObjectOf(("status", PolicyStatus),
            ("keyVaultProperties", ObjectOf(("keyIdentifier", Text), ("identity", Text))))));

    /// <summary>What a registry's body holds besides its properties, tags, location and SKU.</summary>
    public static JsonShape BodyShape { get; } = ObjectOf(("identity", ObjectOf(
        ("type", OneOf("SystemAssigned", "UserAssigned", "SystemAssigned, UserAssigned", "None")),
        ("userAssignedIdentities", MapOf(ObjectOf())))));

    /// <summary>Copies the settable properties of <paramref name="given"/> into <paramref name="kept"/>.</summary>
    public static IResult? Apply(JsonObject given, JsonObject kept, bool creating)
    {
        var keptProperties = kept["properties"] as JsonObject ?? new JsonObject();
        foreach (var (name, value) in given)
        {
            if (name is "adminUserEnabled" or "anonymousPullEnabled")
            {
                if (ArmBody.Flag(value) is null)
                {
                    return Invalid(name, "a boolean");
                }
            }
            else if (Enums.TryGetValue(name, out var allowed))
            {
                string? text = ArmBody.Text(value);
                string? match = allowed.FirstOrDefault(a => a.Equals(text, StringComparison.OrdinalIgnoreCase));
                if (match is null)
                {
                    return Invalid(name, "one of " + string.Join(", ", allowed));
                }

                if (name == "zoneRedundancy" && !creating)
                {
                    continue;
                }

                keptProperties[name] = match;
            }
            else if (Booleans.Contains(name))
            {
                if (ArmBody.Flag(value) is not { } flag)
                {
                    return Invalid(name, "a boolean");
                }

                keptProperties[name] = flag;
            }
            else if (Objects.Contains(name))
            {
                if (value is not JsonObject)
                {
                    return Invalid(name, "an object");
                }

                keptProperties[name] = name == "policies" && keptProperties["policies"] is JsonObject current
                    ? Merge(current, value.AsObject())
                    : value.DeepClone();
            }
        }

        kept["properties"] = keptProperties;
        return null;
    }

    /// <summary>ACR's rules on which SKUs may have which features.</summary>
    public static IResult? CheckSku(string sku, JsonObject keptProperties, bool anonymousPull)
    {
        if (anonymousPull && sku == Skus.Basic)
        {
            return NotForSku("Anonymous pull", "Standard and Premium");
        }

        if (sku == Skus.Premium)
        {
            return null;
        }

        if (ArmBody.Flag(keptProperties["dataEndpointEnabled"]) == true)
        {
            return NotForSku("Dedicated data endpoints", "Premium");
        }

        if (ArmBody.Text(keptProperties["zoneRedundancy"]) == "Enabled")
        {
            return NotForSku("Zone redundancy", "Premium");
        }

        if (ArmBody.Text(keptProperties["publicNetworkAccess"]) == "Disabled")
        {
            return NotForSku("Disabling public network access", "Premium");
        }

        if (keptProperties["networkRuleSet"] is JsonObject rules &&
            (ArmBody.Text(rules["defaultAction"]) == "Deny" || rules["ipRules"] is JsonArray { Count: > 0 }))
        {
            return NotForSku("Network rules", "Premium");
        }

        return null;
    }

    private static JsonObject Merge(JsonObject current, JsonObject given)
    {
        var merged = current.DeepClone().AsObject();
        foreach (var (name, value) in given)
        {
            merged[name] = value?.DeepClone();
        }

        return merged;
    }

    private static IResult Invalid(string name, string expected) => ArmError.Invalid("InvalidRequestContent",
        $"The value of property 'properties.{name}' is invalid; it must be {expected}.");

    private static IResult NotForSku(string feature, string skus) => ArmError.Invalid("SkuNotSupported",
        $"{feature} is supported only for {skus} registries. Update the registry's SKU first.");
}
