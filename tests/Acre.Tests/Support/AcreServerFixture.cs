using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Acre.Cli;
using Acre.Hosting;

namespace Acre.Tests.Support;

/// <summary>The real server, in process, on picked ports with a temporary data directory.</summary>
public sealed class AcreServerFixture : IAsyncLifetime
{
    public const string AdminPassword = "test-admin-password";

    private readonly TempDirectory _directory = new();

    public RunningServer Server { get; private set; } = null!;

    public string DataDir => _directory.Path;

    public string Registry => Server.DefaultRegistry.Name;

    /// <summary>Extra options for fixtures that need them (short collection intervals, say).</summary>
    public Func<AcreOptions, AcreOptions> Configure { get; init; } = o => o;

    public async Task InitializeAsync()
    {
        var options = Configure(new AcreOptions
        {
            Port = 0,
            HttpPort = 0,
            DataDir = _directory.Path,
            AdminPassword = AdminPassword,
            LogLevel = "Warning",
        });
        Server = await AcreServer.StartAsync(options, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _directory.Dispose();
    }

    /// <summary>A client of the plain-HTTP port; <paramref name="host"/> sets the Host header.</summary>
    public HttpClient Http(string? host = null, AuthenticationHeaderValue? auth = null)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Server.HttpPort}") };
        if (host is not null)
        {
            client.DefaultRequestHeaders.Host = host;
        }

        client.DefaultRequestHeaders.Authorization = auth;
        return client;
    }

    /// <summary>A client of the default registry as its admin, over plain HTTP.</summary>
    public HttpClient Admin() => Http(auth: Basic(Registry, AdminPassword));

    /// <summary>A client of the HTTPS port that trusts only Acre's CA.</summary>
    public HttpClient Https(string host)
    {
        var ca = X509CertificateLoader.LoadCertificateFromFile(Server.CaCertificatePath);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream,
                    System.Net.Sockets.ProtocolType.Tcp);
                await socket.ConnectAsync(System.Net.IPAddress.Loopback, Server.HttpsPort, ct);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return certificate is X509Certificate2 c && chain.Build(c) && MatchesHost(c, host);
        };
        return new HttpClient(handler) { BaseAddress = new Uri($"https://{host}:{Server.HttpsPort}") };
    }

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private static bool MatchesHost(X509Certificate2 certificate, string host) => certificate.MatchesHostname(host);
}
