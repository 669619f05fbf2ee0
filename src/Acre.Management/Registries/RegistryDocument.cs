using System.Text.Json.Nodes;
using Acre.Management.Arm;
using Acre.Storage;

namespace Acre.Management.Registries;

/// <summary>
/// The ARM document of a registry: the record's own fields, the kept properties, and ACR's defaults for the rest.
/// The record's <c>PropertiesJson</c> holds <c>{"properties":{…},"identity":{…},"systemData":{…}}</c>.
/// </summary>
public static class RegistryDocument
{
    public const string ResourceType = "Microsoft.ContainerRegistry/registries";

    public static string IdOf(RegistryRecord registry) =>
        $"/subscriptions/{registry.SubscriptionId}/resourceGroups/{registry.ResourceGroup}" +
        $"/providers/{ResourceType}/{registry.DisplayName}";

    public static JsonObject Build(RegistryRecord registry, RegistryAddresses addresses)
    {
        var kept = Kept(registry);
        var properties = Defaults(registry);
        if (kept["properties"] is JsonObject set)
        {
            foreach (var (name, value) in set)
            {
                properties[name] = name == "policies"
                    ? MergePolicies(properties["policies"]!, value)
                    : value?.DeepClone();
            }
        }

        bool dataEndpoint = ArmBody.Flag(properties["dataEndpointEnabled"]) == true;
        properties["loginServer"] = addresses.LoginServer(registry.DisplayName);
        properties["creationDate"] = registry.Created.UtcDateTime.ToString("O");
        properties["provisioningState"] = "Succeeded";
        properties["adminUserEnabled"] = registry.AdminUserEnabled;
        properties["anonymousPullEnabled"] = registry.AnonymousPullEnabled;
        properties["dataEndpointHostNames"] = dataEndpoint
            ? new JsonArray(addresses.DataEndpoint(registry.DisplayName, registry.Location))
            : new JsonArray();
        properties["privateEndpointConnections"] = new JsonArray();

        var document = new JsonObject
        {
            ["id"] = IdOf(registry),
            ["name"] = registry.DisplayName,
            ["type"] = ResourceType,
            ["location"] = registry.Location,
            ["tags"] = ArmBody.TagsNode(registry.TagsJson),
            ["sku"] = new JsonObject { ["name"] = registry.Sku, ["tier"] = registry.Sku },
        };
        if (kept["identity"] is JsonObject identity)
        {
            document["identity"] = identity.DeepClone();
        }

        document["systemData"] = kept["systemData"]?.DeepClone();
        document["properties"] = properties;
        return document;
    }

    /// <summary>The parts of the document the record keeps as JSON.</summary>
    public static JsonObject Kept(RegistryRecord registry) =>
        registry.PropertiesJson is { } json && JsonNode.Parse(json) is JsonObject kept ? kept : new JsonObject();

    private static JsonObject Defaults(RegistryRecord registry)
    {
        var properties = new JsonObject
        {
            ["status"] = null,
            ["policies"] = new JsonObject
            {
                ["quarantinePolicy"] = new JsonObject { ["status"] = "disabled" },
                ["trustPolicy"] = new JsonObject { ["type"] = "Notary", ["status"] = "disabled" },
                ["retentionPolicy"] = new JsonObject
                {
                    ["days"] = 7,
                    ["lastUpdatedTime"] = registry.Created.UtcDateTime.ToString("O"),
                    ["status"] = "disabled",
                },
                ["exportPolicy"] = new JsonObject { ["status"] = "enabled" },
                ["azureADAuthenticationAsArmPolicy"] = new JsonObject { ["status"] = "enabled" },
            },
            ["encryption"] = new JsonObject { ["status"] = "disabled" },
            ["dataEndpointEnabled"] = false,
            ["publicNetworkAccess"] = "Enabled",
            ["networkRuleBypassOptions"] = "AzureServices",
            ["networkRuleBypassAllowedForTasks"] = false,
            ["zoneRedundancy"] = "Disabled",
            ["roleAssignmentMode"] = "LegacyRegistryPermissions",
        };
        if (registry.Sku == Skus.Premium)
        {
            properties["networkRuleSet"] =
                new JsonObject { ["defaultAction"] = "Allow", ["ipRules"] = new JsonArray() };
        }

        return properties;
    }

    private static JsonNode MergePolicies(JsonNode defaults, JsonNode? set)
    {
        var merged = defaults.DeepClone().AsObject();
        if (set is JsonObject policies)
        {
            foreach (var (name, value) in policies)
            {
                if (merged[name] is JsonObject policy && value is JsonObject given)
                {
                    foreach (var (field, fieldValue) in given)
                    {
                        policy[field] = fieldValue?.DeepClone();
                    }
                }
            }
        }

        return merged;
    }
}
