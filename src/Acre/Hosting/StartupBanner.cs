namespace Acre.Hosting;

/// <summary>What Acre prints once it is ready: endpoints, the CA and how to trust it, credentials, hosts
/// lines.</summary>
public static class StartupBanner
{
    public static void Print(RunningServer server, TextWriter output)
    {
        var registry = server.DefaultRegistry;
        string ca = server.CaCertificatePath;
        string login = server.LoginServer;
        output.WriteLine($"""
            Acre is ready.
              HTTPS (identity, management, data plane):  https://localhost:{server.HttpsPort}
            """);
        if (server.HttpPort is { } httpPort)
        {
            output.WriteLine($"  HTTP (data plane only, loopback):          http://127.0.0.1:{httpPort}");
        }

        output.WriteLine($"""
              Storage: {(server.Options.InMemory ? "in memory, gone at exit" : server.Options.FullDataDir)}
              Default registry '{registry.Name}': {login} (also localhost:{server.HttpsPort})
                admin user:     {registry.Name}
                admin password: {registry.AdminPassword}
              CA certificate: {ca}
                az / Python:  export REQUESTS_CA_BUNDLE={ca}
                Node.js:      export NODE_EXTRA_CA_CERTS={ca}
                .NET/OpenSSL: export SSL_CERT_FILE={ca}
                docker:       /etc/docker/certs.d/{login}/ca.crt
                podman/skopeo: /etc/containers/certs.d/{login}/ca.crt
              Add to /etc/hosts (or run `acre hosts`):
                {server.Hosts.HostsLine(registry.Name)}
                127.0.0.1 {server.Hosts.BlobHost}
            """);
        PrintIdentity(server, output);
        output.Flush();
    }

    private static void PrintIdentity(RunningServer server, TextWriter output)
    {
        var identity = server.Options.Identity;
        string root = $"https://localhost:{server.HttpsPort}";
        output.WriteLine($"""
              Entra ID and ARM (well-known; set with --tenant-id, --subscription-id, --client-id, --client-secret):
                tenant:          {identity.TenantId}
                subscription:    {identity.SubscriptionId}
                client id:       {identity.ClientId}
                client secret:   {identity.ClientSecret}
                user / password: {identity.UserName} / {identity.UserPassword}
                resource manager: {root}/    authority: {root}/adfs
              Azure CLI:
                az cloud register -n Acre --endpoint-resource-manager {root}/ \
                  --suffix-acr-login-server-endpoint .{server.Hosts.Suffix} \
                  --suffix-storage-endpoint {server.Hosts.Suffix} --suffix-keyvault-dns .vault.azure.net
                az cloud set -n Acre
                az login --service-principal -u {identity.ClientId} -p {identity.ClientSecret} \
                  --tenant {identity.TenantId}
            """);
    }
}
