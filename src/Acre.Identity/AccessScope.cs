namespace Acre.Identity;

/// <summary>One entry of a registry token's <c>access</c> claim: <c>repository:team/app:pull,push</c>.</summary>
public sealed record AccessScope(string Type, string Name, IReadOnlyList<string> Actions)
{
    public const string Repository = "repository";
    public const string Registry = "registry";
    public const string Catalog = "catalog";

    public static AccessScope ForRepository(string name, params string[] actions) => new(Repository, name, actions);

    public static AccessScope ForCatalog() => new(Registry, Catalog, ["*"]);

    /// <summary>Parses one scope; a name may itself hold colons (a port in a mount source), so split at the
    /// ends.</summary>
    public static AccessScope? Parse(string text)
    {
        int first = text.IndexOf(':', StringComparison.Ordinal);
        int last = text.LastIndexOf(':');
        if (first <= 0 || last <= first || last == text.Length - 1)
        {
            return null;
        }

        string[] actions = text[(last + 1)..].Split(',',
            StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new AccessScope(text[..first], text[(first + 1)..last], actions);
    }

    /// <summary>Parses the <c>scope</c> parameters of a token request; each may hold several space-separated
    /// scopes.</summary>
    public static IReadOnlyList<AccessScope> ParseMany(IEnumerable<string?> values) =>
        values.Where(v => !string.IsNullOrWhiteSpace(v))
            .SelectMany(v => v!.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(Parse)
            .OfType<AccessScope>()
            .ToList();

    public override string ToString() => $"{Type}:{Name}:{string.Join(',', Actions)}";
}
