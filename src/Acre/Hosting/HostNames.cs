using System.Net;

namespace Acre.Hosting;

/// <summary>
/// How a <c>Host</c> decides what a request reaches: <c>{registry}.{suffix}</c> is that registry; any other
/// name (localhost, a loopback address) is the management host, whose data plane is the default registry.
/// </summary>
public sealed class HostNames(string suffix, string defaultRegistry)
{
    public string Suffix { get; } = suffix;

    public string DefaultRegistry { get; } = defaultRegistry;

    /// <summary>
    /// The registry a host name (no port) reaches: <c>{registry}.{suffix}</c>, its data endpoint
    /// <c>{registry}.{region}.data.{suffix}</c> or its regional endpoint <c>{registry}.{region}.geo.{suffix}</c>;
    /// any other name reaches the default registry.
    /// </summary>
    public string RegistryFor(string host)
    {
        string name = host.TrimEnd('.').ToLowerInvariant();
        if (name.Length <= Suffix.Length + 1 || !name.EndsWith("." + Suffix, StringComparison.Ordinal))
        {
            return DefaultRegistry;
        }

        string prefix = name[..^(Suffix.Length + 1)];
        string[] labels = prefix.Split('.');
        return labels.Length == 3 && labels[2] is "data" or "geo" ? labels[0] : prefix;
    }

    /// <summary>The blob-style host of ACR Tasks, where contexts are uploaded and run logs read.</summary>
    public string BlobHost => $"{Tasks.TasksOptions.BlobAccount}.blob.{Suffix}";

    /// <summary>The login server of a registry, without a port: also the audience of its tokens.</summary>
    public string LoginServer(string registry) => $"{registry}.{Suffix}";

    /// <summary>
    /// Whether a TLS server name deserves a certificate of its own: loopback addresses, and the login servers of
    /// registries that exist (<paramref name="registryExists"/>), so that no stranger can make Acre mint at will.
    /// </summary>
    public bool AnswersFor(string serverName, Func<string, bool> registryExists, IReadOnlyList<string> managementHosts)
    {
        string name = serverName.TrimEnd('.').ToLowerInvariant();
        if (name == "localhost" || name == BlobHost || managementHosts.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        if (IPAddress.TryParse(name, out var address))
        {
            return IPAddress.IsLoopback(address);
        }

        string registry = RegistryFor(name);
        bool shaped = name == LoginServer(registry) || name.StartsWith(registry + ".", StringComparison.Ordinal);
        return shaped && name.EndsWith("." + Suffix, StringComparison.Ordinal) && registryExists(registry);
    }

    /// <summary>The <c>/etc/hosts</c> line that makes a registry's login server resolve to loopback.</summary>
    public string HostsLine(string registry) => $"127.0.0.1 {LoginServer(registry)}";
}
