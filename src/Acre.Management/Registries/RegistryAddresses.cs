namespace Acre.Management.Registries;

/// <summary>Where a registry answers: <c>{name}.{suffix}</c>, with the port when it is not 443.</summary>
public sealed class RegistryAddresses(string suffix, Func<int> httpsPort)
{
    public string Suffix => suffix;

    public string LoginServer(string registryName)
    {
        int port = httpsPort();
        string host = $"{registryName.ToLowerInvariant()}.{suffix}";
        return port == 443 ? host : $"{host}:{port}";
    }

    public string DataEndpoint(string registryName, string location)
    {
        int port = httpsPort();
        string host = $"{registryName.ToLowerInvariant()}.{location}.data.{suffix}";
        return port == 443 ? host : $"{host}:{port}";
    }
}
