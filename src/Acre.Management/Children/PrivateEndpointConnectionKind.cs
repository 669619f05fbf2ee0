using System.Text.Json.Nodes;
using Acre.Management.Arm;
using Acre.Storage;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Children;

/// <summary>
/// Private endpoint connections (Premium only): their approval state is kept and shown on the registry; Acre serves
/// loopback only, so no traffic is routed through them.
/// </summary>
public sealed class PrivateEndpointConnectionKind : ChildKind
{
    private static readonly string[] States = ["Approved", "Pending", "Rejected", "Disconnected"];

    public override string Segment => "privateEndpointConnections";

    public override bool IsValidName(string name) => name.Length is > 0 and <= 80;

    public override string NameRule => "at most 80 characters";

    public override Task<IResult?> CheckAllowedAsync(ChildContext context, RegistryRecord registry, bool creating) =>
        Task.FromResult(SkuRules.PremiumOnly(registry, "Private endpoints"));

    public override Task<(JsonObject? Properties, IResult? Error)> BuildAsync(
        ChildContext context, RegistryRecord registry, string name, JsonObject given, JsonObject? existing)
    {
        var properties = existing?.DeepClone().AsObject()
            ?? new JsonObject { ["groupIds"] = new JsonArray("registry") };
        if (given["privateEndpoint"] is JsonObject endpoint)
        {
            properties["privateEndpoint"] = new JsonObject { ["id"] = ArmBody.Text(endpoint["id"]) };
        }

        var state = given["privateLinkServiceConnectionState"] as JsonObject;
        string? status = ArmBody.Text(state?["status"]);
        if (state is null && existing is null)
        {
            return Fail("A connection needs 'privateLinkServiceConnectionState'.");
        }

        if (state is not null)
        {
            string? match = States.FirstOrDefault(s => s.Equals(status, StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                return Fail($"'privateLinkServiceConnectionState.status' must be one of {string.Join(", ", States)}.");
            }

            properties["privateLinkServiceConnectionState"] = new JsonObject
            {
                ["status"] = match,
                ["description"] = ArmBody.Text(state["description"]) ?? "",
                ["actionsRequired"] = ArmBody.Text(state["actionsRequired"]) ?? "None",
            };
        }

        properties["provisioningState"] = "Succeeded";
        return Task.FromResult<(JsonObject?, IResult?)>((properties, null));
    }

    private static Task<(JsonObject?, IResult?)> Fail(string message) =>
        Task.FromResult<(JsonObject?, IResult?)>((null, ArmError.Invalid("InvalidRequestContent", message)));
}
