namespace Acre.Identity.Entra;

/// <summary>
/// The names the management plane answers to and the audiences its tokens may carry: Acre's own URL as a client
/// registered it (localhost, a loopback address, a <c>--host</c> name, with the port) and Azure's public ones.
/// </summary>
public sealed class ManagementHosts(IReadOnlyList<string> extraHosts, Func<int> httpsPort)
{
    private static readonly string[] AzureAudiences =
        ["https://management.azure.com", "https://management.core.windows.net"];

    public IReadOnlyList<string> ExtraHosts => extraHosts;

    public bool IsManagementHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host is "127.0.0.1" or "::1" or "[::1]" ||
        extraHosts.Contains(host, StringComparer.OrdinalIgnoreCase);

    public bool AcceptsAudience(string audience)
    {
        string trimmed = audience.TrimEnd('/');
        if (AzureAudiences.Contains(trimmed, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps ||
            uri.AbsolutePath != "/" || !IsManagementHost(uri.Host))
        {
            return false;
        }

        return uri.Port == httpsPort() || (uri.IsDefaultPort && httpsPort() == 443);
    }

    /// <summary>The audience of tokens for ACR's data plane, which the exchange accepts besides ARM's.</summary>
    public const string ContainerRegistryAudience = "https://containerregistry.azure.net";

    public bool AcceptsExchangeAudience(string audience) =>
        audience.TrimEnd('/').Equals(ContainerRegistryAudience, StringComparison.OrdinalIgnoreCase) ||
        AcceptsAudience(audience);

    public static string AllowedAudiencesText =>
        string.Join(",", AzureAudiences.SelectMany(a => new[] { $"'{a}/'", $"'{a}'" }));
}
