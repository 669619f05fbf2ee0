using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Acre.Identity.Entra;
using Acre.Management.Arm;
using Acre.Management.Resources;
using Acre.Storage;
using Acre.Tasks;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Registries;

/// <summary>Registries as ARM resources: create, update, delete, and the credential and usage operations.</summary>
public sealed partial class RegistryService(ArmContext context, RegistryAddresses addresses, TaskFiles tasks)
{
    public RegistryAddresses Addresses => addresses;

    /// <summary>The registry a resource id names, or null when it is not there (in that subscription and
    /// group).</summary>
    public async Task<RegistryRecord?> FindAsync(string subscriptionId, string group, string name, CancellationToken ct)
    {
        if (!context.IsKnownSubscription(subscriptionId))
        {
            return null;
        }

        var registry = await context.Metadata.GetRegistryAsync(name, ct);
        return registry is not null && registry.ResourceGroup.Equals(group, StringComparison.OrdinalIgnoreCase)
            ? registry
            : null;
    }

    public async Task<IReadOnlyList<RegistryRecord>> ListAsync(string? group, CancellationToken ct)
    {
        var all = await context.Metadata.ListRegistriesAsync(ct);
        return [.. all.Where(r => r.SubscriptionId.Equals(context.SubscriptionId, StringComparison.OrdinalIgnoreCase) &&
            (group is null || r.ResourceGroup.Equals(group, StringComparison.OrdinalIgnoreCase)))];
    }

    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    /// <summary>Creates or replaces a registry from a PUT body; returns the record and whether it is new.</summary>
    public async Task<(RegistryRecord? Registry, bool Created, IResult? Error)> PutAsync(
        ResourceGroupRecord group, string name, JsonObject body, Principal caller, CancellationToken ct)
    {
        if (!IsValidName(name))
        {
            return (null, false, ArmError.Invalid("InvalidResourceName",
                $"Resource name '{name}' is invalid. The name must be between 5 and 50 characters and can only " +
                "contain alphanumeric characters."));
        }

        var existing = await context.Metadata.GetRegistryAsync(name, ct);
        if (existing is not null && !SameGroup(existing, group))
        {
            return (null, false, ArmError.Invalid("AlreadyInUse",
                $"The registry DNS name {addresses.LoginServer(name)} is already in use. You can check if the name " +
                "is already claimed using the checkNameAvailability API."));
        }

        string? location = Locations.Normalize(ArmBody.Text(body["location"]));
        if (location is null)
        {
            return (null, false, ArmError.Invalid("LocationNotAvailableForResourceType",
                $"The provided location '{ArmBody.Text(body["location"])}' is not available for resource type " +
                $"'{RegistryDocument.ResourceType}'. List of available regions for the resource type is " +
                $"'{string.Join(",", Locations.All)}'."));
        }

        if (existing is not null && existing.Location != location)
        {
            return (null, false, ArmError.Result(409, "InvalidResourceLocation",
                $"The resource '{name}' already exists in location '{existing.Location}' in resource group " +
                $"'{group.Name}'. A resource with the same name cannot be created in location '{location}'."));
        }

        if (Skus.Normalize(ArmBody.Text(body["sku"]?["name"])) is not { } sku)
        {
            return (null, false, InvalidSku(ArmBody.Text(body["sku"]?["name"])));
        }

        var now = context.Time.GetUtcNow();
        var registry = existing ?? new RegistryRecord(name.ToLowerInvariant(), false, NewPassword(), NewPassword(), now)
        {
            SubscriptionId = context.SubscriptionId,
            ResourceGroup = group.Name,
            DisplayName = name,
            Location = location,
        };
        var (updated, error) = Apply(registry with { Sku = sku, Location = location }, body, caller,
            creating: existing is null);
        if (updated is null)
        {
            return (null, false, error);
        }

        await context.Metadata.PutRegistryAsync(updated, ct);
        return (updated, existing is null, null);
    }

    public async Task<(RegistryRecord? Registry, IResult? Error)> PatchAsync(
        RegistryRecord registry, JsonObject body, Principal caller, CancellationToken ct)
    {
        string sku = registry.Sku;
        if (body["sku"] is not null && Skus.Normalize(ArmBody.Text(body["sku"]?["name"])) is not { } newSku)
        {
            return (null, InvalidSku(ArmBody.Text(body["sku"]?["name"])));
        }
        else if (body["sku"] is not null)
        {
            sku = Skus.Normalize(ArmBody.Text(body["sku"]?["name"]))!;
        }

        var (updated, error) = Apply(registry with { Sku = sku }, body, caller, creating: false);
        if (updated is null)
        {
            return (null, error);
        }

        await context.Metadata.PutRegistryAsync(updated, ct);
        return (updated, null);
    }

    /// <summary>Deletes the registry with its records, and the files of its runs: uploaded contexts and logs.</summary>
    public async Task<bool> DeleteAsync(RegistryRecord registry, CancellationToken ct)
    {
        bool deleted = await context.Metadata.DeleteRegistryAsync(registry.Name, ct);
        await tasks.RegistryDeletedAsync(registry.Name);
        return deleted;
    }

    public async Task DeleteAllInGroupAsync(string group, CancellationToken ct)
    {
        foreach (var registry in await ListAsync(group, ct))
        {
            await DeleteAsync(registry, ct);
        }
    }

    public async Task<RegistryRecord> RegenerateAsync(RegistryRecord registry, bool second, CancellationToken ct)
    {
        var updated = second
            ? registry with { AdminPassword2 = NewPassword() }
            : registry with { AdminPassword = NewPassword() };
        await context.Metadata.PutRegistryAsync(updated, ct);
        return updated;
    }

    public static object Credentials(RegistryRecord registry) => new
    {
        username = registry.DisplayName,
        passwords = new[]
        {
            new { name = "password", value = registry.AdminPassword },
            new { name = "password2", value = registry.AdminPassword2 },
        },
    };

    /// <summary>A password shaped like ACR's: 52 characters of base64 without padding.</summary>
    public static string NewPassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(39)).Replace('/', 'x').Replace('+', 'y');

    private (RegistryRecord? Registry, IResult? Error) Apply(
        RegistryRecord registry, JsonObject body, Principal caller, bool creating)
    {
        var (tags, tagError) = ArmBody.Tags(body["tags"]);
        if (tagError is not null)
        {
            return (null, tagError);
        }

        var (given, malformed) = ArmBody.Properties(body, RegistryChange.Shape);
        if (given is null)
        {
            return (null, malformed);
        }

        if (RegistryChange.BodyShape.Check(body, "") is { } bodyError)
        {
            return (null, bodyError);
        }

        var kept = RegistryDocument.Kept(registry);
        if (RegistryChange.Apply(given, kept, creating) is { } invalid)
        {
            return (null, invalid);
        }

        bool admin = ArmBody.Flag(given["adminUserEnabled"]) ?? registry.AdminUserEnabled;
        bool anonymous = ArmBody.Flag(given["anonymousPullEnabled"]) ?? registry.AnonymousPullEnabled;
        if (RegistryChange.CheckSku(registry.Sku, (JsonObject)kept["properties"]!, anonymous) is { } skuError)
        {
            return (null, skuError);
        }

        if (body["identity"] is JsonObject identity)
        {
            kept["identity"] = Identity(identity, context.Identity.TenantId);
        }

        kept["systemData"] = SystemData(kept["systemData"] as JsonObject, caller, context.Time.GetUtcNow(), creating);
        var updated = registry with
        {
            AdminUserEnabled = admin,
            AnonymousPullEnabled = anonymous,
            TagsJson = body.ContainsKey("tags") ? tags : registry.TagsJson,
            PropertiesJson = kept.ToJsonString(),
            Updated = context.Time.GetUtcNow(),
        };
        return (updated, null);
    }

    private static JsonObject Identity(JsonObject given, string tenantId)
    {
        string type = ArmBody.Text(given["type"]) ?? "None";
        var identity = new JsonObject { ["type"] = type };
        if (type.Contains("SystemAssigned", StringComparison.OrdinalIgnoreCase))
        {
            identity["principalId"] = Guid.NewGuid().ToString();
            identity["tenantId"] = tenantId;
        }

        if (given["userAssignedIdentities"] is JsonObject users)
        {
            var assigned = new JsonObject();
            foreach (var (id, _) in users)
            {
                assigned[id] = new JsonObject
                {
                    ["principalId"] = Guid.NewGuid().ToString(),
                    ["clientId"] = Guid.NewGuid().ToString(),
                };
            }

            identity["userAssignedIdentities"] = assigned;
        }

        return identity;
    }

    /// <summary>ARM's systemData: who created the resource and when, and who changed it last.</summary>
    public static JsonObject SystemData(JsonObject? current, Principal caller, DateTimeOffset now, bool creating)
    {
        string type = caller.Kind == PrincipalKind.User ? "User" : "Application";
        var data = creating || current is null ? new JsonObject
        {
            ["createdBy"] = caller.Name,
            ["createdByType"] = type,
            ["createdAt"] = now.UtcDateTime.ToString("O"),
        } : current;
        data["lastModifiedBy"] = caller.Name;
        data["lastModifiedByType"] = type;
        data["lastModifiedAt"] = now.UtcDateTime.ToString("O");
        return data;
    }

    private bool SameGroup(RegistryRecord registry, ResourceGroupRecord group) =>
        registry.SubscriptionId.Equals(context.SubscriptionId, StringComparison.OrdinalIgnoreCase) &&
        registry.ResourceGroup.Equals(group.Name, StringComparison.OrdinalIgnoreCase);

    private static IResult InvalidSku(string? sku) => ArmError.Invalid("InvalidSkuName",
        $"The SKU '{sku}' is not valid. Valid SKUs are Basic, Standard and Premium.");

    [GeneratedRegex("^[a-zA-Z0-9]{5,50}$")]
    private static partial Regex NamePattern();
}
