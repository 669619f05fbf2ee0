using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Acre.Management.Arm;
using Acre.Storage;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Children;

/// <summary>
/// Connected registries (Premium, with a data endpoint): their mode, parent and sync settings, checked the way ACR
/// checks them. No on-premises instance ever connects to Acre, so they stay offline and inactive.
/// </summary>
public sealed partial class ConnectedRegistryKind : ChildKind
{
    private static readonly string[] Modes = ["ReadWrite", "ReadOnly", "Registry", "Mirror"];

    public override string Segment => "connectedRegistries";

    public override bool IsValidName(string name) => NamePattern().IsMatch(name);

    public override string NameRule => "5 to 40 lower-case letters and digits, starting with a letter";

    public override Task<IResult?> CheckAllowedAsync(ChildContext context, RegistryRecord registry, bool creating)
    {
        var premium = SkuRules.PremiumOnly(registry, "Connected registries");
        bool dataEndpoint = ArmBody.Flag(
            Registries.RegistryDocument.Kept(registry)["properties"]?["dataEndpointEnabled"]) == true;
        return Task.FromResult(premium ?? (dataEndpoint ? null : ArmError.Invalid("DataEndpointDisabled",
            "Connected registries need the registry's dedicated data endpoint; set dataEndpointEnabled first.")));
    }

    public override async Task<(JsonObject? Properties, IResult? Error)> BuildAsync(
        ChildContext context, RegistryRecord registry, string name, JsonObject given, JsonObject? existing)
    {
        var properties = existing?.DeepClone().AsObject() ?? Defaults(context);
        if (existing is null)
        {
            string? mode = Modes.FirstOrDefault(m =>
                m.Equals(ArmBody.Text(given["mode"]), StringComparison.OrdinalIgnoreCase));
            if (mode is null)
            {
                return Fail($"'mode' must be one of {string.Join(", ", Modes)}.");
            }

            properties["mode"] = mode;
            if (given["parent"] is not JsonObject parent ||
                ArmBody.Text(parent["syncProperties"]?["tokenId"]) is not { Length: > 0 } ||
                ArmBody.Text(parent["syncProperties"]?["messageTtl"]) is not { Length: > 0 })
            {
                return Fail("'parent.syncProperties' needs a 'tokenId' and a 'messageTtl'.");
            }

            if (await CheckParentAsync(context, registry, ArmBody.Text(parent["id"]), mode) is { } parentError)
            {
                return (null, parentError);
            }

            properties["parent"] = parent.DeepClone();
        }

        foreach (string field in new[] { "clientTokenIds", "notificationsList" })
        {
            if (given[field] is { } value)
            {
                properties[field] = value.DeepClone();
            }
        }

        foreach (string field in new[] { "logging", "garbageCollection" })
        {
            Merge(properties, field, given[field] as JsonObject);
        }

        // An update names the sync settings at the top (ConnectedRegistryUpdateProperties), a create under parent.
        var sync = existing is null
            ? null
            : given["syncProperties"] as JsonObject ?? given["parent"]?["syncProperties"] as JsonObject;
        if (sync is not null && properties["parent"] is JsonObject parentNode)
        {
            Merge(parentNode, "syncProperties", sync);
        }

        properties["provisioningState"] = "Succeeded";
        return (properties, null);
    }

    /// <summary>Sets the fields <paramref name="given"/> names, leaving the others as they were.</summary>
    private static void Merge(JsonObject properties, string field, JsonObject? given)
    {
        if (given is null)
        {
            return;
        }

        var target = properties[field] as JsonObject ?? new JsonObject();
        foreach (var (name, value) in given)
        {
            target[name] = value?.DeepClone();
        }

        properties[field] = target;
    }

    /// <summary>Deactivation: the connected registry must activate again before it can sync.</summary>
    public static void Deactivate(JsonObject properties) =>
        properties["activation"] = new JsonObject { ["status"] = "Inactive" };

    /// <summary>A parent must exist; a read-only parent may only have read-only children.</summary>
    private async Task<IResult?> CheckParentAsync(ChildContext context, RegistryRecord registry, string? parentId,
        string mode)
    {
        if (string.IsNullOrEmpty(parentId))
        {
            return null;
        }

        string prefix = $"{context.RegistryId(registry)}/{Segment}/";
        var parent = parentId.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            ? await context.Metadata.GetChildAsync(registry.Name, Segment, parentId[prefix.Length..],
                CancellationToken.None)
            : null;
        var parentProperties = ChildEndpoints.StoredProperties(parent);
        if (parentProperties is null)
        {
            return ArmError.Invalid("InvalidParent", $"The parent connected registry '{parentId}' does not exist.");
        }

        bool readOnlyParent = ArmBody.Text(parentProperties["mode"]) is "ReadOnly" or "Mirror";
        return readOnlyParent && mode is "ReadWrite" or "Registry"
            ? ArmError.Invalid("InvalidConnectedRegistryMode",
                $"A connected registry in {mode} mode cannot have a read-only parent.")
            : null;
    }

    private static JsonObject Defaults(ChildContext context) => new()
    {
        ["version"] = "",
        ["connectionState"] = "Offline",
        ["lastActivityTime"] = null,
        ["activation"] = new JsonObject { ["status"] = "Inactive" },
        ["clientTokenIds"] = new JsonArray(),
        ["loginServer"] = new JsonObject { ["host"] = "", ["tls"] = new JsonObject { ["status"] = "Disabled" } },
        ["logging"] = new JsonObject { ["logLevel"] = "Information", ["auditLogStatus"] = "Disabled" },
        ["statusDetails"] = new JsonArray(),
        ["notificationsList"] = new JsonArray(),
        ["garbageCollection"] = new JsonObject { ["enabled"] = true, ["schedule"] = "0 0 * * *" },
        ["creationDate"] = context.Now.UtcDateTime.ToString("O"),
    };

    private static (JsonObject?, IResult?) Fail(string message) =>
        (null, ArmError.Invalid("InvalidRequestContent", message));

    [GeneratedRegex("^[a-z][a-z0-9]{4,39}$")]
    private static partial Regex NamePattern();
}
