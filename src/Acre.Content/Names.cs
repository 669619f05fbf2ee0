using System.Text.RegularExpressions;

namespace Acre.Content;

/// <summary>The OCI distribution spec's rules for repository names and tags.</summary>
public static partial class Names
{
    /// <summary>ACR caps a repository name at 256 characters, a tag at 128.</summary>
    public const int MaxRepositoryLength = 256;

    public static bool IsValidRepository(string name) =>
        name.Length is > 0 and <= MaxRepositoryLength && RepositoryPattern().IsMatch(name);

    public static bool IsValidTag(string tag) => TagPattern().IsMatch(tag);

    [GeneratedRegex(@"^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex(@"^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$")]
    private static partial Regex TagPattern();
}
