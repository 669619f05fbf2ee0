using System.Text;

namespace Acre.Transfer;

/// <summary>
/// Resolves credential sets' Key Vault secret URIs from Acre's own configuration: <c>--secret URI=VALUE</c>, or
/// the variable <c>ACRE_SECRET_{VAULT}_{NAME}</c> for <c>https://{vault}.vault.azure.net/secrets/{name}</c>.
/// </summary>
public sealed class SecretResolver(UpstreamOptions options)
{
    public string? Resolve(string uri)
    {
        string trimmed = uri.TrimEnd('/');
        if (options.Secrets.TryGetValue(trimmed, out string? value))
        {
            return value;
        }

        return VariableName(trimmed) is { } name ? Environment.GetEnvironmentVariable(name) : null;
    }

    /// <summary>The environment variable that holds a secret URI's value, or null when the URI is no secret
    /// URI.</summary>
    public static string? VariableName(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme != Uri.UriSchemeHttps)
        {
            return null;
        }

        string[] segments = parsed.AbsolutePath.Trim('/').Split('/');
        if (segments.Length < 2 || segments[0] != "secrets")
        {
            return null;
        }

        string vault = parsed.Host.Split('.')[0];
        var name = new StringBuilder("ACRE_SECRET_");
        foreach (char c in $"{vault}_{segments[1]}".ToUpperInvariant())
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        return name.ToString();
    }
}
