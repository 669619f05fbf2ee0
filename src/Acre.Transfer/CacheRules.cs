using System.Text.Json.Nodes;
using Acre.Storage;

namespace Acre.Transfer;

/// <summary>
/// Cache rules as the data plane reads them: which upstream repository a local one mirrors, and with which
/// credential set's secrets.
/// </summary>
public sealed class CacheRules(IMetadataStore metadata, SecretResolver secrets)
{
    public const string Kind = "cacheRules";
    public const string CredentialSetKind = "credentialSets";

    /// <summary>The upstream login server and repository that a local repository maps to, with credentials.</summary>
    public async Task<(string LoginServer, string Repository, UpstreamCredentials? Credentials)?> ResolveAsync(
        string registry, string repository, CancellationToken ct)
    {
        foreach (var rule in await metadata.ListChildrenAsync(registry, Kind, ct))
        {
            var properties = JsonNode.Parse(rule.BodyJson)?["properties"];
            string? target = properties?["targetRepository"]?.GetValue<string>();
            string? source = properties?["sourceRepository"]?.GetValue<string>();
            if (target is null || source is null || Map(target, source, repository) is not { } upstream)
            {
                continue;
            }

            int slash = upstream.IndexOf('/', StringComparison.Ordinal);
            var credentials = await CredentialsAsync(registry,
                properties?["credentialSetResourceId"]?.GetValue<string>(), ct);
            return (upstream[..slash], upstream[(slash + 1)..], credentials);
        }

        return null;
    }

    /// <summary>The upstream path of <paramref name="repository"/> under a rule, or null when the rule does not
    /// cover it.</summary>
    public static string? Map(string target, string source, string repository)
    {
        if (!target.EndsWith("/*", StringComparison.Ordinal))
        {
            return target == repository ? source : null;
        }

        string prefix = target[..^1];
        return repository.StartsWith(prefix, StringComparison.Ordinal)
            && source.EndsWith("/*", StringComparison.Ordinal)
            ? source[..^1] + repository[prefix.Length..]
            : null;
    }

    /// <summary>The credentials a credential set names, or null when the rule has none; throws when
    /// unresolvable.</summary>
    public async Task<UpstreamCredentials?> CredentialsAsync(string registry, string? credentialSetId,
        CancellationToken ct)
    {
        if (string.IsNullOrEmpty(credentialSetId))
        {
            return null;
        }

        string name = credentialSetId[(credentialSetId.LastIndexOf('/') + 1)..];
        var set = await metadata.GetChildAsync(registry, CredentialSetKind, name, ct);
        var credential = (JsonNode.Parse(set?.BodyJson ?? "{}")?["properties"]?["authCredentials"] as JsonArray)
            ?.FirstOrDefault();
        string? user = Resolve(credential?["usernameSecretIdentifier"]);
        string? password = Resolve(credential?["passwordSecretIdentifier"]);
        return user is null || password is null
            ? throw new UpstreamException(401, $"the credential set '{name}' has secrets Acre cannot resolve")
            : new UpstreamCredentials(user, password);
    }

    private string? Resolve(JsonNode? identifier) =>
        identifier?.GetValue<string>() is { } uri ? secrets.Resolve(uri) : null;
}
