using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Acre.Transfer;

/// <summary>
/// The HTTP side of reaching other registries: TLS trusting the system's CAs plus the configured ones, and plain
/// HTTP only to loopback hosts when the options allow it. One per process; sessions carry credentials.
/// </summary>
public sealed class UpstreamClient : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>Why the last certificate of each host was refused, until a failed request reads it.</summary>
    private readonly ConcurrentDictionary<string, string> _refusedCertificates = new(StringComparer.OrdinalIgnoreCase);

    public UpstreamClient(UpstreamOptions options)
    {
        Options = options;
        var extra = new X509Certificate2Collection();
        foreach (string file in options.ExtraCaFiles)
        {
            extra.ImportFromPemFile(file);
        }

        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            UseProxy = false,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
        {
            bool trusted = errors == SslPolicyErrors.None || (extra.Count > 0 && certificate is X509Certificate2 c &&
                errors == SslPolicyErrors.RemoteCertificateChainErrors && TrustedByExtra(c, extra));
            if (!trusted && sender is SslStream stream)
            {
                _refusedCertificates[stream.TargetHostName] = UpstreamFailure.CertificateProblem(errors, chain);
            }

            return trusted;
        };
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromMinutes(30) };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("acre", "1.0"));
    }

    public UpstreamOptions Options { get; }

    /// <summary>A session with one upstream registry, <c>host[:port]</c>, optionally signed in.</summary>
    public UpstreamSession Open(string loginServer, UpstreamCredentials? credentials)
    {
        string host = loginServer.Split(':')[0].Trim('[', ']');
        bool loopback = host == "localhost"
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
        string scheme = loopback && Options.AllowInsecureLoopback ? "http" : "https";
        return new UpstreamSession(_http, new Uri($"{scheme}://{loginServer}"), credentials, TakeCertificateProblem);
    }

    /// <summary>Why the certificate of <paramref name="host"/> was refused, if it was; told once.</summary>
    public string? TakeCertificateProblem(string host) =>
        _refusedCertificates.TryRemove(host.Trim('[', ']'), out string? problem) ? problem : null;

    public void Dispose() => _http.Dispose();

    private static bool TrustedByExtra(X509Certificate2 certificate, X509Certificate2Collection extra)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(extra);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
