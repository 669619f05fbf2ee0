using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Acre.Management.Arm;
using Acre.Management.Registries;
using Acre.Storage;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Children;

/// <summary>Scope maps: the repository actions a token grants, and the five system scope maps every registry
/// has.</summary>
public sealed partial class ScopeMapKind : ChildKind
{
    public static readonly string[] RepositoryActions =
        ["content/read", "content/write", "content/delete", "metadata/read", "metadata/write"];

    public override string Segment => "scopeMaps";

    public override bool IsValidName(string name) => NamePattern().IsMatch(name);

    public override Task<IResult?> CheckAllowedAsync(ChildContext context, RegistryRecord registry, bool creating) =>
        creating
            ? SkuRules.WithinAsync(context, registry, "scope maps", Skus.ScopeMapAndTokenLimit(registry.Sku), Segment)
            : Task.FromResult<IResult?>(null);

    public override Task<(JsonObject? Properties, IResult? Error)> BuildAsync(
        ChildContext context, RegistryRecord registry, string name, JsonObject given, JsonObject? existing)
    {
        var properties = existing?.DeepClone().AsObject() ?? new JsonObject
        {
            ["type"] = "UserDefined",
            ["creationDate"] = context.Now.UtcDateTime.ToString("O"),
        };
        if (given["description"] is { } description)
        {
            properties["description"] = ArmBody.Text(description);
        }

        if (given["actions"] is JsonArray actions)
        {
            string[] values = [.. actions.Select(a => ArmBody.Text(a) ?? "")];
            if (values.Length == 0 || values.FirstOrDefault(a => !IsValidAction(a)) is { } bad)
            {
                return Task.FromResult<(JsonObject?, IResult?)>((null, ArmError.Invalid("InvalidScopeMapAction",
                    $"The scope map action '{values.FirstOrDefault(a => !IsValidAction(a)) ?? ""}' is invalid. " +
                    "Actions look like repositories/{name}/content/read, with content/read|write|delete or " +
                    "metadata/read|write.")));
            }

            properties["actions"] = new JsonArray([.. values.Select(v => (JsonNode?)v)]);
        }
        else if (existing is null)
        {
            return Task.FromResult<(JsonObject?, IResult?)>((null,
                ArmError.Invalid("InvalidRequestContent", "A scope map needs a non-empty 'actions' list.")));
        }

        properties["provisioningState"] = "Succeeded";
        return Task.FromResult<(JsonObject?, IResult?)>((properties, null));
    }

    public override IEnumerable<(string Name, JsonObject Properties)> BuiltIn(RegistryRecord registry) =>
        Identity.ScopeMaps.System.Select(s => (s.Name, new JsonObject
        {
            ["description"] = s.Description,
            ["type"] = "SystemDefined",
            ["creationDate"] = registry.Created.UtcDateTime.ToString("O"),
            ["provisioningState"] = "Succeeded",
            ["actions"] = new JsonArray([.. s.Actions.Select(a => (JsonNode?)$"repositories/*/{a}")]),
        }));

    /// <summary><c>repositories/{name or pattern}/{content|metadata}/{verb}</c>, or a gateway action.</summary>
    public static bool IsValidAction(string action) => ActionPattern().IsMatch(action)
        || GatewayPattern().IsMatch(action);

    [GeneratedRegex("^[a-zA-Z0-9-]{5,50}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^repositories/([a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*(/\*)?|\*)/" +
        "(content/(read|write|delete)|metadata/(read|write))$")]
    private static partial Regex ActionPattern();

    [GeneratedRegex("^gateway/[a-z0-9]+/(config|message)/(read|write)$")]
    private static partial Regex GatewayPattern();
}
