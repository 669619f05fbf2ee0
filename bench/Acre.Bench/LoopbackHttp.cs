using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Acre.Bench;

/// <summary>HttpClients that can only ever connect to loopback addresses, and trust Acre's CA when told to.</summary>
public static class LoopbackHttp
{
    public static HttpClient Create(string? caCertificatePath = null)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = 256,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            ConnectCallback = ConnectToLoopbackAsync,
        };
        if (caCertificatePath is not null)
        {
            var ca = X509CertificateLoader.LoadCertificateFromFile(caCertificatePath);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) => IsSignedBy(certificate, ca),
            };
        }

        return new HttpClient(handler) { Timeout = TimeSpan.FromMinutes(30) };
    }

    /// <summary>Refuses any URI that does not name a loopback address.</summary>
    public static Uri RequireLoopback(Uri uri)
    {
        bool loopback = uri.IsLoopback ||
            (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
        return loopback ? uri : throw new InvalidOperationException($"{uri} is not a loopback address");
    }

    private static async ValueTask<Stream> ConnectToLoopbackAsync(
        SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
        var address = addresses.FirstOrDefault(IPAddress.IsLoopback)
            ?? throw new InvalidOperationException($"{context.DnsEndPoint.Host} does not resolve to loopback");
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static bool IsSignedBy(X509Certificate? certificate, X509Certificate2 ca)
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
