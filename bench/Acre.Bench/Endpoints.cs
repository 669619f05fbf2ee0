namespace Acre.Bench;

/// <summary>Builds the endpoints from the options: each gets its own HttpClient (its own connection pool).</summary>
public static class Endpoints
{
    public static BenchContext Connect(BenchOptions options, Report report)
    {
        var acre = options.ReadAcre();
        var acreHttp = Endpoint.WithBasic("acre-http", "Acre HTTP", new Uri($"http://127.0.0.1:{acre.HttpPort}/"),
            acre.Pid, LoopbackHttp.Create(), "local", options.AcrePassword);
        var acreHttps = options.Https
            ? Endpoint.WithBasic("acre-https", "Acre HTTPS", new Uri($"https://127.0.0.1:{acre.HttpsPort}/"),
                acre.Pid, LoopbackHttp.Create(acre.CaCertificate), "local", options.AcrePassword)
            : null;
        var distribution = Endpoint.Anonymous(
            "dist", "Distribution", options.Distribution, options.DistributionPid, LoopbackHttp.Create());
        var nginx = options.Nginx is { } uri
            ? Endpoint.Anonymous("nginx", "nginx", uri, null, LoopbackHttp.Create())
            : null;
        return new BenchContext(options, report, acre, acreHttp, acreHttps, distribution, nginx);
    }
}
