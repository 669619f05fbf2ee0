using System.CommandLine;
using Acre.Certificates;
using Acre.Hosting;
using Acre.Identity.Entra;

namespace Acre.Cli;

/// <summary>The command line: <c>acre</c> serves; <c>acre hosts</c> and <c>acre cert</c> print what clients
/// need.</summary>
public static class AcreCommand
{
    private static readonly Option<int> Port = new("--port")
    {
        Description = "HTTPS port for every surface; 0 picks a free one (ACRE_PORT)",
        DefaultValueFactory = _ => Env("ACRE_PORT", int.Parse, 8443),
    };

    private static readonly Option<int?> HttpPort = new("--http-port")
    {
        Description = "Also serve the data plane over plain HTTP on loopback at this port; 0 picks one (ACRE_HTTP_PORT)",
        DefaultValueFactory = _ => Env<int?>("ACRE_HTTP_PORT", s => int.Parse(s), null),
    };

    private static readonly Option<string> DataDir = new("--data-dir")
    {
        Description = "Where metadata, blobs, the CA and keys live (ACRE_DATA_DIR)",
        DefaultValueFactory = _ => Env("ACRE_DATA_DIR", s => s, ".acre"),
        Recursive = true,
    };

    private static readonly Option<bool> InMemory = new("--in-memory")
    {
        Description = "Keep registries and content only for the life of the process (ACRE_IN_MEMORY)",
        DefaultValueFactory = _ => Env("ACRE_IN_MEMORY", bool.Parse, false),
    };

    private static readonly Option<string> Suffix = new("--login-server-suffix")
    {
        Description = "Registries answer at {name}.{suffix} (ACRE_LOGIN_SERVER_SUFFIX)",
        DefaultValueFactory = _ => Env("ACRE_LOGIN_SERVER_SUFFIX", s => s, "azurecr.localhost"),
        Recursive = true,
    };

    private static readonly Option<string> LogLevel = new("--log-level")
    {
        Description = "Trace, Debug, Information, Warning, Error (ACRE_LOG_LEVEL)",
        DefaultValueFactory = _ => Env("ACRE_LOG_LEVEL", s => s, "Information"),
    };

    private static readonly Option<string> DefaultRegistry = new("--default-registry")
    {
        Description = "The registry that localhost and 127.0.0.1 reach (ACRE_DEFAULT_REGISTRY)",
        DefaultValueFactory = _ => Env("ACRE_DEFAULT_REGISTRY", s => s, "local"),
        Recursive = true,
    };

    private static readonly Option<string?> AdminPassword = new("--admin-password")
    {
        Description = "The default registry's admin password; made on first start and kept if not given " +
            "(ACRE_ADMIN_PASSWORD)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ACRE_ADMIN_PASSWORD"),
    };

    private static readonly Option<int> CollectIntervalSeconds = new("--gc-interval")
    {
        Description = "Seconds between passes of the collectors of unused blobs, stale uploads and ACR Tasks files " +
            "(ACRE_GC_INTERVAL)",
        DefaultValueFactory = _ => Env("ACRE_GC_INTERVAL", int.Parse, 600),
    };

    private static readonly Option<int> CollectGraceSeconds = new("--gc-grace")
    {
        Description = "Seconds an unused blob, an idle upload or an unused build context is kept before it is " +
            "collected (ACRE_GC_GRACE)",
        DefaultValueFactory = _ => Env("ACRE_GC_GRACE", int.Parse, 3600),
    };

    private static readonly Option<int> ConcurrentRuns = new("--concurrent-runs")
    {
        Description = "How many ACR Tasks runs execute at once; more wait Queued (ACRE_CONCURRENT_RUNS)",
        DefaultValueFactory = _ => Env("ACRE_CONCURRENT_RUNS", int.Parse, 2),
    };

    private static readonly Option<string> TenantId = EnvOption("--tenant-id", "ACRE_TENANT_ID",
        "The tenant of the built-in Entra ID", IdentityOptions.DefaultTenantId);

    private static readonly Option<string> SubscriptionId = EnvOption("--subscription-id", "ACRE_SUBSCRIPTION_ID",
        "The subscription that holds the registries", IdentityOptions.DefaultSubscriptionId);

    private static readonly Option<string> ClientId = EnvOption("--client-id", "ACRE_CLIENT_ID",
        "The application id of the built-in service principal", IdentityOptions.DefaultClientId);

    private static readonly Option<string> ClientSecret = EnvOption("--client-secret", "ACRE_CLIENT_SECRET",
        "The secret of the built-in service principal", IdentityOptions.DefaultClientSecret);

    private static readonly Option<string> UserName = EnvOption("--user", "ACRE_USER",
        "The sign-in name of the built-in user", IdentityOptions.DefaultUserName);

    private static readonly Option<string> UserPassword = EnvOption("--user-password", "ACRE_USER_PASSWORD",
        "The password of the built-in user", IdentityOptions.DefaultUserPassword);

    private static readonly Option<string[]> Hosts = new("--host")
    {
        Description = "Another host name for the management plane, e.g. management.azure.test; repeatable " +
            "(ACRE_HOSTS, comma-separated)",
        DefaultValueFactory = _ => (Environment.GetEnvironmentVariable("ACRE_HOSTS") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        AllowMultipleArgumentsPerToken = false,
    };

    private static readonly Option<string[]> UpstreamCa = new("--upstream-ca")
    {
        Description = "A PEM file of CAs to trust for upstream registries, besides the system's; repeatable " +
            "(ACRE_UPSTREAM_CA, comma-separated)",
        DefaultValueFactory = _ => List("ACRE_UPSTREAM_CA"),
    };

    private static readonly Option<bool> InsecureLoopbackUpstreams = new("--allow-insecure-loopback-upstreams")
    {
        Description = "Reach upstream registries on loopback addresses over plain HTTP " +
            "(ACRE_ALLOW_INSECURE_LOOPBACK_UPSTREAMS)",
        DefaultValueFactory = _ => Env("ACRE_ALLOW_INSECURE_LOOPBACK_UPSTREAMS", bool.Parse, false),
    };

    private static readonly Option<string[]> Secrets = new("--secret")
    {
        Description = "A Key Vault secret URI and its value for credential sets, as URI=VALUE; repeatable " +
            "(or ACRE_SECRET_{VAULT}_{NAME})",
        DefaultValueFactory = _ => [],
    };

    public static RootCommand Create()
    {
        var root = new RootCommand("Acre: a local Azure Container Registry.")
        {
            Port, HttpPort, DataDir, InMemory, Suffix, LogLevel, DefaultRegistry, AdminPassword,
            CollectIntervalSeconds, CollectGraceSeconds, ConcurrentRuns, TenantId, SubscriptionId, ClientId,
            ClientSecret, UserName, UserPassword, Hosts, UpstreamCa, InsecureLoopbackUpstreams, Secrets,
        };
        root.SetAction((result, ct) => AcreServer.RunAsync(Read(result), ct));

        var hosts = new Command("hosts", "Print the /etc/hosts lines for every registry");
        hosts.SetAction((result, ct) => HostsCommand.RunAsync(Read(result), Console.Out, ct));
        root.Subcommands.Add(hosts);

        var cert = new Command("cert", "Print the path and the PEM of Acre's CA certificate");
        cert.SetAction(result => CertificateAuthority.PrintCa(Read(result), Console.Out));
        root.Subcommands.Add(cert);
        return root;
    }

    private static AcreOptions Read(ParseResult result) => new()
    {
        Port = result.GetValue(Port),
        HttpPort = result.GetValue(HttpPort),
        DataDir = result.GetValue(DataDir)!,
        InMemory = result.GetValue(InMemory),
        LoginServerSuffix = result.GetValue(Suffix)!.Trim('.').ToLowerInvariant(),
        LogLevel = result.GetValue(LogLevel)!,
        DefaultRegistry = result.GetValue(DefaultRegistry)!.ToLowerInvariant(),
        AdminPassword = result.GetValue(AdminPassword),
        CollectInterval = TimeSpan.FromSeconds(Math.Max(1, result.GetValue(CollectIntervalSeconds))),
        CollectGrace = TimeSpan.FromSeconds(Math.Max(0, result.GetValue(CollectGraceSeconds))),
        ConcurrentRuns = Math.Max(1, result.GetValue(ConcurrentRuns)),
        Identity = new IdentityOptions
        {
            TenantId = result.GetValue(TenantId)!.ToLowerInvariant(),
            SubscriptionId = result.GetValue(SubscriptionId)!.ToLowerInvariant(),
            ClientId = result.GetValue(ClientId)!.ToLowerInvariant(),
            ClientSecret = result.GetValue(ClientSecret)!,
            UserName = result.GetValue(UserName)!,
            UserPassword = result.GetValue(UserPassword)!,
        },
        ManagementHosts = [.. result.GetValue(Hosts)!.Select(h => h.ToLowerInvariant())],
        Upstream = new Transfer.UpstreamOptions
        {
            ExtraCaFiles = result.GetValue(UpstreamCa)!,
            AllowInsecureLoopback = result.GetValue(InsecureLoopbackUpstreams),
            Secrets = result.GetValue(Secrets)!.Where(s => s.Contains('=', StringComparison.Ordinal))
                .ToDictionary(s => s[..s.IndexOf('=', StringComparison.Ordinal)].TrimEnd('/'),
                    s => s[(s.IndexOf('=', StringComparison.Ordinal) + 1)..]),
        },
    };

    private static string[] List(string variable) => (Environment.GetEnvironmentVariable(variable) ?? "")
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static Option<string> EnvOption(string name, string variable, string description, string fallback) =>
        new(name)
        {
            Description = $"{description} ({variable})",
            DefaultValueFactory = _ => Env(variable, s => s, fallback),
        };

    private static T Env<T>(string name, Func<string, T> parse, T fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? parse(value) : fallback;
}
