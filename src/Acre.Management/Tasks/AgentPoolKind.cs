using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Acre.Management.Arm;
using Acre.Management.Children;
using Acre.Storage;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Tasks;

/// <summary>
/// Agent pools (Premium only): a tier, a count and an OS, kept as the spec shapes them. Runs that name a pool
/// run on Acre's shared workers; <c>listQueueStatus</c> counts those of the pool still waiting for one.
/// </summary>
public sealed partial class AgentPoolKind : ChildKind
{
    private static readonly string[] Tiers = ["S1", "S2", "S3", "I6"];

    public override JsonShape Shape => TaskShapes.AgentPool;

    public override string Segment => "agentPools";

    public override bool IsTracked => true;

    public override bool IsValidName(string name) => NamePattern().IsMatch(name);

    /// <summary>The CLI reads the pool right after its DELETE and takes a 404 there for a failure.</summary>
    public override TimeSpan DeletionDelay => TimeSpan.FromSeconds(5);

    public override string NameRule => "between 3 and 20 alphanumeric characters or dashes";

    public override Task<IResult?> CheckAllowedAsync(ChildContext context, RegistryRecord registry, bool creating) =>
        Task.FromResult(SkuRules.PremiumOnly(registry, "Agent pools"));

    public override Task<(JsonObject? Properties, IResult? Error)> BuildAsync(
        ChildContext context, RegistryRecord registry, string name, JsonObject given, JsonObject? existing)
    {
        var properties = existing?.DeepClone().AsObject() ?? new JsonObject { ["count"] = 1, ["os"] = "Linux" };
        if (existing is null)
        {
            string? tier = ArmBody.Text(given["tier"]);
            if (tier is null || !Tiers.Contains(tier))
            {
                return Fail($"An agent pool needs a 'tier', one of {string.Join(", ", Tiers)}.");
            }

            string os = ArmBody.Text(given["os"]) ?? "Linux";
            if (!os.Equals("Linux", StringComparison.OrdinalIgnoreCase))
            {
                return Fail($"Acre's agent pools run Linux only, not '{os}'.");
            }

            properties["tier"] = tier;
            properties["os"] = "Linux";
            if (ArmBody.Text(given["virtualNetworkSubnetResourceId"]) is { } subnet)
            {
                properties["virtualNetworkSubnetResourceId"] = subnet;
            }
        }

        if (given["count"] is { } countNode)
        {
            if (countNode is not JsonValue value || !value.TryGetValue<int>(out int count) || count is < 0 or > 100)
            {
                return Fail("'count' must be a whole number from 0 to 100.");
            }

            properties["count"] = count;
        }

        properties["provisioningState"] = "Succeeded";
        return Task.FromResult<(JsonObject?, IResult?)>((properties, null));
    }

    private static Task<(JsonObject?, IResult?)> Fail(string message) =>
        Task.FromResult<(JsonObject?, IResult?)>((null, ArmError.Invalid("InvalidRequestContent", message)));

    [GeneratedRegex("^[a-zA-Z0-9-]{3,20}$")]
    private static partial Regex NamePattern();
}
