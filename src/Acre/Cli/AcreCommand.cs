using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
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
        DefaultValueFactory = r => Env(r, "ACRE_PORT", int.Parse, 8443),
        Validators = { OptionChecks.Check<int>("ACRE_PORT", OptionChecks.Port) },
    };

    private static readonly Option<int?> HttpPort = new("--http-port")
    {
        Description = "Also serve the data plane over plain HTTP on loopback at this port; 0 picks one " +
            "(ACRE_HTTP_PORT)",
        DefaultValueFactory = r => Env<int?>(r, "ACRE_HTTP_PORT", s => int.Parse(s), null),
        Validators = { OptionChecks.Check<int?>("ACRE_HTTP_PORT", p => p is null ? null : OptionChecks.Port(p.Value)) },
    };

    private static readonly Option<string> DataDir = new("--data-dir")
    {
        Description = "Where metadata, blobs, the CA and keys live (ACRE_DATA_DIR)",
        DefaultValueFactory = r => Env(r, "ACRE_DATA_DIR", s => s, ".acre"),
        Validators = { OptionChecks.Check<string>("ACRE_DATA_DIR", OptionChecks.Folder) },
        Recursive = true,
    };

    private static readonly Option<bool> InMemory = new("--in-memory")
    {
        Description = "Keep registries and content only for the life of the process (ACRE_IN_MEMORY)",
        DefaultValueFactory = r => Env(r, "ACRE_IN_MEMORY", OptionChecks.Flag, false),
    };

    private static readonly Option<string> Suffix = new("--login-server-suffix")
    {
        Description = "Registries answer at {name}.{suffix} (ACRE_LOGIN_SERVER_SUFFIX)",
        DefaultValueFactory = r => Env(r, "ACRE_LOGIN_SERVER_SUFFIX", s => s, "azurecr.localhost"),
        Validators = { OptionChecks.Check<string>("ACRE_LOGIN_SERVER_SUFFIX", OptionChecks.LoginServerSuffix) },
        Recursive = true,
    };

    private static readonly Option<string> LogLevel = new("--log-level")
    {
        Description = "Trace, Debug, Information, Warning, Error (ACRE_LOG_LEVEL)",
        DefaultValueFactory = r => Env(r, "ACRE_LOG_LEVEL", s => s, "Information"),
        Validators = { OptionChecks.Check<string>("ACRE_LOG_LEVEL", OptionChecks.LogLevel) },
    };

    private static readonly Option<string> DefaultRegistry = new("--default-registry")
    {
        Description = "The registry that localhost and 127.0.0.1 reach (ACRE_DEFAULT_REGISTRY)",
        DefaultValueFactory = r => Env(r, "ACRE_DEFAULT_REGISTRY", s => s, "local"),
        Validators = { OptionChecks.Check<string>("ACRE_DEFAULT_REGISTRY", OptionChecks.RegistryName) },
        Recursive = true,
    };

    private static readonly Option<string?> AdminPassword = SecretOption("--admin-password", "ACRE_ADMIN_PASSWORD",
        "The default registry's admin password; made on first start and kept if not given", null);

    private static readonly Option<int> CollectIntervalSeconds = new("--gc-interval")
    {
        Description = "Seconds between passes of the collectors of unused blobs, stale uploads and ACR Tasks files " +
            "(ACRE_GC_INTERVAL)",
        DefaultValueFactory = r => Env(r, "ACRE_GC_INTERVAL", int.Parse, 600),
        Validators = { OptionChecks.Check<int>("ACRE_GC_INTERVAL", OptionChecks.IntervalSeconds) },
    };

    private static readonly Option<int> CollectGraceSeconds = new("--gc-grace")
    {
        Description = "Seconds an unused blob, an idle upload or an unused build context is kept before it is " +
            "collected (ACRE_GC_GRACE)",
        DefaultValueFactory = r => Env(r, "ACRE_GC_GRACE", int.Parse, 3600),
        Validators = { OptionChecks.Check<int>("ACRE_GC_GRACE", OptionChecks.GraceSeconds) },
    };

    private static readonly Option<int> ConcurrentRuns = new("--concurrent-runs")
    {
        Description = "How many ACR Tasks runs execute at once; more wait Queued (ACRE_CONCURRENT_RUNS)",
        DefaultValueFactory = r => Env(r, "ACRE_CONCURRENT_RUNS", int.Parse, 2),
        Validators = { OptionChecks.Check<int>("ACRE_CONCURRENT_RUNS", OptionChecks.ConcurrentRuns) },
    };

    private static readonly Option<string> TenantId = EnvOption("--tenant-id", "ACRE_TENANT_ID",
        "The tenant of the built-in Entra ID", IdentityOptions.DefaultTenantId, OptionChecks.AzureId);

    private static readonly Option<string> SubscriptionId = EnvOption("--subscription-id", "ACRE_SUBSCRIPTION_ID",
        "The subscription that holds the registries", IdentityOptions.DefaultSubscriptionId, OptionChecks.AzureId);

    private static readonly Option<string> ClientId = EnvOption("--client-id", "ACRE_CLIENT_ID",
        "The application id of the built-in service principal", IdentityOptions.DefaultClientId, OptionChecks.AzureId);

    private static readonly Option<string?> ClientSecret = SecretOption("--client-secret", "ACRE_CLIENT_SECRET",
        "The secret of the built-in service principal", IdentityOptions.DefaultClientSecret);

    private static readonly Option<string> UserName = EnvOption("--user", "ACRE_USER",
        "The sign-in name of the built-in user", IdentityOptions.DefaultUserName, OptionChecks.NotEmpty);

    private static readonly Option<string?> UserPassword = SecretOption("--user-password", "ACRE_USER_PASSWORD",
        "The password of the built-in user", IdentityOptions.DefaultUserPassword);

    private static readonly Option<string[]> Hosts = new("--host")
    {
        Description = "Another host name for the management plane, e.g. management.azure.test; repeatable " +
            "(ACRE_HOSTS, comma-separated)",
        DefaultValueFactory = _ => (Environment.GetEnvironmentVariable("ACRE_HOSTS") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        AllowMultipleArgumentsPerToken = false,
        Validators = { OptionChecks.CheckEach("ACRE_HOSTS", OptionChecks.HostName) },
    };

    private static readonly Option<string[]> UpstreamCa = new("--upstream-ca")
    {
        Description = "A PEM file of CAs to trust for upstream registries, besides the system's; repeatable " +
            "(ACRE_UPSTREAM_CA, comma-separated)",
        DefaultValueFactory = _ => List("ACRE_UPSTREAM_CA"),
        Validators = { OptionChecks.CheckEach("ACRE_UPSTREAM_CA", OptionChecks.CaFile) },
    };

    private static readonly Option<bool> InsecureLoopbackUpstreams = new("--allow-insecure-loopback-upstreams")
    {
        Description = "Reach upstream registries on loopback addresses over plain HTTP " +
            "(ACRE_ALLOW_INSECURE_LOOPBACK_UPSTREAMS)",
        DefaultValueFactory = r => Env(r, "ACRE_ALLOW_INSECURE_LOOPBACK_UPSTREAMS", OptionChecks.Flag, false),
    };

    private static readonly Option<string[]> Secrets = new("--secret")
    {
        Description = "A Key Vault secret URI and its value for credential sets, as URI=VALUE; repeatable " +
            "(or ACRE_SECRET_{VAULT}_{NAME})",
        DefaultValueFactory = _ => [],
        Validators = { OptionChecks.CheckEach("--secret", OptionChecks.Secret) },
    };

    /// <summary>Exit code of a usage error (an unknown option, a bad value), as getopt-style tools use.</summary>
    public const int UsageError = 2;

    /// <summary>Parses and runs; a usage error is printed as its own lines, without the whole help after it.</summary>
    public static async Task<int> InvokeAsync(string[] args)
    {
        var parsed = Create().Parse(args);
        if (parsed.Action is ParseErrorAction error)
        {
            error.ShowHelp = false;
            await parsed.InvokeAsync();
            return UsageError;
        }

        return await parsed.InvokeAsync();
    }

    public static RootCommand Create()
    {
        var root = new RootCommand("Acre: a local Azure Container Registry.")
        {
            Port, HttpPort, DataDir, InMemory, Suffix, LogLevel, DefaultRegistry, AdminPassword,
            CollectIntervalSeconds, CollectGraceSeconds, ConcurrentRuns, TenantId, SubscriptionId, ClientId,
            ClientSecret, UserName, UserPassword, Hosts, UpstreamCa, InsecureLoopbackUpstreams, Secrets,
        };
        root.Validators.Add(DistinctPorts);
        root.SetAction((result, ct) => AcreServer.RunAsync(Read(result), ct));

        var hosts = new Command("hosts", "Print the /etc/hosts lines for every registry");
        hosts.SetAction((result, ct) => HostsCommand.RunAsync(Read(result), Console.Out, ct));
        root.Subcommands.Add(hosts);

        var cert = new Command("cert", "Print the path and the PEM of Acre's CA certificate");
        cert.SetAction(result => CertificateAuthority.PrintCa(Read(result), Console.Out));
        root.Subcommands.Add(cert);
        return root;
    }

    internal static AcreOptions Read(ParseResult result) => new()
    {
        Port = result.GetValue(Port),
        HttpPort = result.GetValue(HttpPort),
        DataDir = result.GetValue(DataDir)!,
        InMemory = result.GetValue(InMemory),
        LoginServerSuffix = result.GetValue(Suffix)!.Trim('.').ToLowerInvariant(),
        LogLevel = result.GetValue(LogLevel)!,
        DefaultRegistry = result.GetValue(DefaultRegistry)!.ToLowerInvariant(),
        AdminPassword = Secret(result, AdminPassword, "ACRE_ADMIN_PASSWORD"),
        CollectInterval = TimeSpan.FromSeconds(result.GetValue(CollectIntervalSeconds)),
        CollectGrace = TimeSpan.FromSeconds(result.GetValue(CollectGraceSeconds)),
        ConcurrentRuns = result.GetValue(ConcurrentRuns),
        Identity = new IdentityOptions
        {
            TenantId = result.GetValue(TenantId)!.ToLowerInvariant(),
            SubscriptionId = result.GetValue(SubscriptionId)!.ToLowerInvariant(),
            ClientId = result.GetValue(ClientId)!.ToLowerInvariant(),
            ClientSecret = Secret(result, ClientSecret, "ACRE_CLIENT_SECRET")!,
            UserName = result.GetValue(UserName)!,
            UserPassword = Secret(result, UserPassword, "ACRE_USER_PASSWORD")!,
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

    private static Option<string> EnvOption(string name, string variable, string description, string fallback,
        Func<string, string?> check) =>
        new(name)
        {
            Description = $"{description} ({variable})",
            DefaultValueFactory = r => Env(r, variable, s => s, fallback),
            Validators = { OptionChecks.Check(variable, check) },
        };

    /// <summary>
    /// An option holding a secret. Its variable is read when the options are made (see <see cref="Secret"/>), not as
    /// its default: help prints defaults, and would print the secret.
    /// </summary>
    private static Option<string?> SecretOption(string name, string variable, string description, string? fallback) =>
        new(name)
        {
            Description = $"{description} ({variable})",
            DefaultValueFactory = _ => fallback,
            Validators = { OptionChecks.Check<string?>(variable, value => value is "" ? "must not be empty" : null) },
        };

    /// <summary>A secret given on the command line, else in its variable, else its built-in default.</summary>
    private static string? Secret(ParseResult result, Option<string?> option, string variable)
    {
        string? fromVariable = Environment.GetEnvironmentVariable(variable);
        bool given = result.GetResult(option) is { Implicit: false };
        return given || string.IsNullOrEmpty(fromVariable) ? result.GetValue(option) : fromVariable;
    }

    private static T Env<T>(ArgumentResult result, string name, Func<string, T> parse, T fallback) =>
        OptionChecks.Parse(result, name, parse, fallback);

    /// <summary>Kestrel cannot serve HTTPS and HTTP on one port; say so before it fails to bind.</summary>
    private static void DistinctPorts(CommandResult result)
    {
        if (result.GetResult(Port) is { } https && OptionChecks.TryGetValue(https, out int httpsPort) &&
            result.GetResult(HttpPort) is { } http && OptionChecks.TryGetValue(http, out int? httpPort) &&
            httpPort is { } port and not 0 && port == httpsPort)
        {
            result.AddError($"--http-port {port} is the HTTPS port (--port) too: give them different ports.");
        }
    }
}
