namespace Acre.Identity;

/// <summary>
/// Scope maps as the data plane reads them: ACR's five system scope maps, and how a scope map's actions
/// (<c>repositories/app/*/content/read</c>) become token-scope actions (<c>pull</c>) on repository patterns.
/// </summary>
public static class ScopeMaps
{
    /// <summary>Where the SHA-256 of a token's passwords sit in its stored properties; never shown by ARM.</summary>
    public const string TokenSecretsProperty = "acreSecrets";

    public static readonly IReadOnlyList<(string Name, string Description, string[] Actions)> System =
    [
        ("_repositories_pull", "Can pull any repository of the registry", ["content/read"]),
        ("_repositories_pull_metadata_read", "Can perform all read operations on the registry",
            ["content/read", "metadata/read"]),
        ("_repositories_push", "Can push to any repository of the registry", ["content/read", "content/write"]),
        ("_repositories_push_metadata_write", "Can perform all read and write operations on the registry",
            ["content/read", "content/write", "metadata/read", "metadata/write"]),
        ("_repositories_admin", "Can perform all read, write and delete operations on the registry",
            ["content/read", "content/write", "content/delete", "metadata/read", "metadata/write"]),
    ];

    /// <summary>The actions of a system scope map, as full scope-map actions, or null for any other name.</summary>
    public static IEnumerable<string>? SystemActions(string name) =>
        System.FirstOrDefault(s => s.Name == name).Actions?.Select(a => $"repositories/*/{a}");

    /// <summary>
    /// Turns scope-map actions into repository scopes; a pattern may end in <c>/*</c> or be <c>*</c>.
    /// </summary>
    public static IReadOnlyList<AccessScope> ToScopes(IEnumerable<string> actions)
    {
        var byRepository = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (string action in actions)
        {
            string[] parts = action.Split('/');
            if (parts.Length < 4 || parts[0] != "repositories")
            {
                continue;
            }

            string repository = string.Join('/', parts[1..^2]);
            string? verb = (parts[^2] + "/" + parts[^1]) switch
            {
                "content/read" => "pull",
                "content/write" => "push",
                "content/delete" => "delete",
                "metadata/read" => "metadata_read",
                "metadata/write" => "metadata_write",
                _ => null,
            };
            if (verb is not null)
            {
                if (!byRepository.TryGetValue(repository, out var verbs))
                {
                    byRepository[repository] = verbs = [];
                }

                verbs.Add(verb);
            }
        }

        return [.. byRepository.Select(r => AccessScope.ForRepository(r.Key, [.. r.Value]))];
    }

    /// <summary>Whether a repository pattern of a scope map covers a repository name.</summary>
    public static bool Covers(string pattern, string repository) =>
        pattern == "*" || pattern == repository ||
        (pattern.EndsWith("/*", StringComparison.Ordinal) &&
            repository.StartsWith(pattern[..^1], StringComparison.Ordinal));
}
