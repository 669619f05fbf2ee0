using System.Text.Json;
using Acre.Certificates;
using Acre.Cli;
using Acre.Identity;
using Acre.Storage;

namespace Acre.Hosting;

/// <summary>A started Acre: its application, the ports it got, and what it owns until disposed.</summary>
public sealed class RunningServer(
    WebApplication app, AcreOptions options, CertificateAuthority authority, SigningKey signingKey,
    StorageLocation storage, HostNames hosts, RegistryRecord defaultRegistry, ServerPorts ports,
    DataDirectoryLock dataLock) : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public WebApplication App { get; } = app;

    public AcreOptions Options { get; } = options;

    public HostNames Hosts { get; } = hosts;

    public RegistryRecord DefaultRegistry { get; } = defaultRegistry;

    public string CaCertificatePath => authority.CertificatePath;

    /// <summary>Where metadata and blobs live: under the data directory, or a temporary folder.</summary>
    public string StorageRoot => storage.Root;

    public int HttpsPort => ports.Https;

    public int? HttpPort => ports.Http;

    /// <summary>The default registry's login server with the port, as clients address it.</summary>
    public string LoginServer => WithPort(Hosts.LoginServer(DefaultRegistry.Name));

    public string WithPort(string host) => HttpsPort == 443 ? host : $"{host}:{HttpsPort}";

    /// <summary>Writes <c>{data-dir}/acre.json</c>, for scripts that started Acre with a picked port.</summary>
    public void WritePortsFile()
    {
        var ports = new
        {
            pid = Environment.ProcessId,
            httpsPort = HttpsPort,
            httpPort = HttpPort,
            loginServer = LoginServer,
            defaultRegistry = DefaultRegistry.Name,
            caCertificate = CaCertificatePath,
        };
        string path = Path.Combine(Options.FullDataDir, "acre.json");
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(ports, Indented));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>Removes <c>acre.json</c> when it is this process's, so that no script reads a dead server's
    /// port.</summary>
    private void DeletePortsFile()
    {
        string path = Path.Combine(Options.FullDataDir, "acre.json");
        try
        {
            if (File.Exists(path) && File.ReadAllText(path).Contains($"\"pid\": {Environment.ProcessId},",
                StringComparison.Ordinal))
            {
                File.Delete(path);
            }
        }
        catch (IOException)
        {
            // Best effort: a stale file names a pid that no longer runs.
        }
    }

    public async ValueTask DisposeAsync()
    {
        DeletePortsFile();
        await App.StopAsync();
        await App.DisposeAsync();
        storage.Dispose();
        signingKey.Dispose();
        authority.Dispose();
        dataLock.Dispose();
    }
}
