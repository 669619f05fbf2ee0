using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Acre.Content;
using Acre.Management.Arm;
using Acre.Storage;
using Acre.Transfer;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Children;

/// <summary>
/// Cache rules: a local repository (or <c>ns/*</c>) that mirrors an upstream one (or <c>host/ns/*</c>); the first pull
/// of a missing image fetches it from the upstream. Only the credential set changes after creation, as in ACR.
/// </summary>
public sealed partial class CacheRuleKind : ChildKind
{
    /// <summary>ACR's limit on cache rules per registry.</summary>
    public const int Limit = 1000;

    public override string Segment => CacheRules.Kind;

    public override bool IsValidName(string name) => NamePattern().IsMatch(name);

    public override Task<IResult?> CheckAllowedAsync(ChildContext context, RegistryRecord registry, bool creating) =>
        creating
            ? SkuRules.WithinAsync(context, registry, "cache rules", Limit, Segment)
            : Task.FromResult<IResult?>(null);

    public override async Task<(JsonObject? Properties, IResult? Error)> BuildAsync(
        ChildContext context, RegistryRecord registry, string name, JsonObject given, JsonObject? existing)
    {
        var properties = existing?.DeepClone().AsObject() ?? new JsonObject
        {
            ["creationDate"] = context.Now.UtcDateTime.ToString("O"),
        };
        if (existing is null)
        {
            string source = ArmBody.Text(given["sourceRepository"]) ?? "";
            string target = ArmBody.Text(given["targetRepository"]) ?? "";
            if (Validate(source, target) is { } invalid)
            {
                return Fail(invalid);
            }

            foreach (var rule in await context.Metadata.ListChildrenAsync(registry.Name, Segment,
                CancellationToken.None))
            {
                string? other = ArmBody.Text(ChildEndpoints.StoredProperties(rule)?["targetRepository"]);
                if (other == target)
                {
                    return (null, ArmError.Result(409, "CacheRuleTargetRepositoryConflict",
                        $"The cache rule '{rule.Name}' already maps the target repository '{target}'."));
                }
            }

            properties["sourceRepository"] = source;
            properties["targetRepository"] = target;
        }

        if (given["credentialSetResourceId"] is { } setNode)
        {
            string id = ArmBody.Text(setNode) ?? "";
            string prefix = $"{context.RegistryId(registry)}/credentialSets/";
            bool exists = id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) &&
                await context.Metadata.GetChildAsync(registry.Name, CacheRules.CredentialSetKind, id[prefix.Length..],
                    CancellationToken.None) is not null;
            if (id.Length > 0 && !exists)
            {
                return Fail($"The credential set '{id}' does not exist in this registry.");
            }

            properties["credentialSetResourceId"] = id.Length > 0 ? id : null;
        }

        properties["provisioningState"] = "Succeeded";
        return (properties, null);
    }

    /// <summary>ACR's rules: a login server and a path upstream, a valid name here, and wildcards on both or
    /// neither.</summary>
    public static string? Validate(string source, string target)
    {
        int slash = source.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == source.Length - 1)
        {
            return "'sourceRepository' must be a login server and a repository, such as docker.io/library/ubuntu.";
        }

        bool sourceWild = source.EndsWith("/*", StringComparison.Ordinal);
        bool targetWild = target.EndsWith("/*", StringComparison.Ordinal);
        if (sourceWild != targetWild)
        {
            return "'sourceRepository' and 'targetRepository' must both end in /* or neither.";
        }

        string sourcePath = sourceWild ? source[(slash + 1)..^2] : source[(slash + 1)..];
        string targetPath = targetWild ? target[..^2] : target;
        if ((sourcePath.Length > 0 && !Names.IsValidRepository(sourcePath)) || !Names.IsValidRepository(targetPath))
        {
            return "The source and target repositories must be valid repository names.";
        }

        return null;
    }

    private static (JsonObject?, IResult?) Fail(string message) =>
        (null, ArmError.Invalid("InvalidRequestContent", message));

    [GeneratedRegex("^[a-zA-Z0-9-]{5,50}$")]
    private static partial Regex NamePattern();
}
