using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Acre.Management.Arm;
using Acre.Storage;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Children;

/// <summary>Replications (Premium only): one per region, each with a regional endpoint when it is enabled.</summary>
public sealed partial class ReplicationKind : ChildKind
{
    public override string Segment => "replications";

    public override bool IsTracked => true;

    public override bool IsValidName(string name) => NamePattern().IsMatch(name);

    public override string NameRule => "between 5 and 50 alphanumeric characters";

    public override Task<IResult?> CheckAllowedAsync(ChildContext context, RegistryRecord registry, bool creating) =>
        Task.FromResult(SkuRules.PremiumOnly(registry, "Replications"));

    public override async Task<(JsonObject? Properties, IResult? Error)> BuildAsync(
        ChildContext context, RegistryRecord registry, string name, JsonObject given, JsonObject? existing)
    {
        var properties = existing?.DeepClone().AsObject() ?? new JsonObject
        {
            ["regionEndpointEnabled"] = true,
            ["zoneRedundancy"] = "Disabled",
        };
        if (given["regionEndpointEnabled"] is { } enabled)
        {
            if (ArmBody.Flag(enabled) is not { } flag)
            {
                return (null, ArmError.Invalid("InvalidRequestContent", "'regionEndpointEnabled' must be a boolean."));
            }

            properties["regionEndpointEnabled"] = flag;
        }

        if (existing is null && given["zoneRedundancy"] is { } zone)
        {
            properties["zoneRedundancy"] = ArmBody.Text(zone) == "Enabled" ? "Enabled" : "Disabled";
        }

        properties["provisioningState"] = "Succeeded";
        properties["status"] = new JsonObject
        {
            ["displayStatus"] = "Ready",
            ["message"] = null,
            ["timestamp"] = context.Now.UtcDateTime.ToString("O"),
        };
        await Task.CompletedTask;
        return (properties, null);
    }

    [GeneratedRegex("^[a-zA-Z0-9]{5,50}$")]
    private static partial Regex NamePattern();
}
