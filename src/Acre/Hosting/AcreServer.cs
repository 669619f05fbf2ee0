using System.Net;
using Acre.Certificates;
using Acre.Cli;
using Acre.Content;
using Acre.Identity;
using Acre.Identity.Entra;
using Acre.Management;
using Acre.Management.Registries;
using Acre.Registry;
using Acre.Storage;
using Acre.Tasks;
using Acre.Transfer;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Acre.Hosting;

/// <summary>Composes the surfaces into one web application and runs it until Ctrl-C.</summary>
public static class AcreServer
{
    public static async Task<int> RunAsync(AcreOptions options, CancellationToken ct)
    {
        RunningServer server;
        try
        {
            server = await StartAsync(options, ct);
        }
        catch (StartupException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return StartupException.ExitCode;
        }

        await using (server)
        {
            StartupBanner.Print(server, Console.Out);

            // Ctrl-C reaches both the command line's token and the host's own handler; either way is a clean stop.
            using var stop = ct.Register(() => server.App.Lifetime.StopApplication());
            await server.App.WaitForShutdownAsync(CancellationToken.None);
        }

        return 0;
    }

    /// <summary>Starts Acre; <paramref name="configureServices"/> lets tests add services. Throws
    /// <see cref="StartupException"/> for what the user can fix, having released all it took.</summary>
    public static async Task<RunningServer> StartAsync(AcreOptions options, CancellationToken ct,
        Action<IServiceCollection>? configureServices = null)
    {
        // Before anything reads the store or starts: a second Acre on the same data directory stops here.
        var dataLock = DataDirectoryLock.Acquire(options);
        var owned = new Stack<IDisposable>([dataLock]);
        try
        {
            var authority = Own(owned, CertificateAuthority.LoadOrCreate(CertificateAuthority.DirectoryOf(options)));
            var signingKey = Own(owned,
                SigningKey.LoadOrCreate(Path.Combine(options.FullDataDir, "keys", "token-signing.pem")));
            var storage = Own(owned, StorageLocation.Open(options));
            var registry = await DefaultRegistry.EnsureAsync(storage.Metadata, options, ct);
            var hosts = new HostNames(options.LoginServerSuffix, options.DefaultRegistry);
            var ports = new ServerPorts();
            var app = Own(owned, Build(options, authority, signingKey, storage, hosts, ports, configureServices));
            await StartListeningAsync(app, options, ct);

            var running = new RunningServer(
                app, options, authority, signingKey, storage, hosts, registry, ports, dataLock);
            running.WritePortsFile();
            return running;
        }
        catch
        {
            while (owned.TryPop(out var resource))
            {
                resource.Dispose();
            }

            throw;
        }
    }

    private static WebApplication Build(AcreOptions options, CertificateAuthority authority, SigningKey signingKey,
        StorageLocation storage, HostNames hosts, ServerPorts ports, Action<IServiceCollection>? configureServices)
    {
        var managementHosts = new ManagementHosts(options.ManagementHosts, () => ports.Https);
        var certificates = new ServerCertificates(
            authority, Path.Combine(CertificateAuthority.DirectoryOf(options), "hosts"),
            name => hosts.AnswersFor(name, r => RegistryExists(storage.Metadata, r), options.ManagementHosts));

        // Acre reads no configuration files: no watcher on the working directory, whose tree may be huge.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        ConfigureLogging(builder.Logging, options);
        ConfigureKestrel(builder.WebHost, options, certificates);
        AddServices(builder.Services, options, storage, signingKey, hosts, ports, managementHosts);
        configureServices?.Invoke(builder.Services);
        DeferredHostedServices.Defer(builder.Services, provider => ReadPorts(provider, options, ports));

        var app = builder.Build();
        app.UseMiddleware<RequestLogging>();
        app.UseMiddleware<UnhandledErrors>();
        app.UseMiddleware<RegistryRouting>();
        app.UseMiddleware<PlainHttpDataPlane>();
        app.UseRouting();
        app.MapGet("/health", () => Results.Json(new { status = "ok" }));
        app.MapDataPlane();
        app.MapIdentity(app.Services.GetRequiredService<EntraTokens>(), signingKey,
            http => managementHosts.IsManagementHost(http.Request.Host.Host));
        app.MapManagement();
        app.MapTasksBlobHost();
        return app;
    }

    private static async Task StartListeningAsync(WebApplication app, AcreOptions options, CancellationToken ct)
    {
        try
        {
            await app.StartAsync(ct);
        }
        catch (Exception e) when (ListenFailure.Explain(e, options) is { } explained)
        {
            throw explained;
        }
    }

    private static T Own<T>(Stack<IDisposable> owned, T resource)
        where T : IDisposable
    {
        owned.Push(resource);
        return resource;
    }

    private static void AddServices(IServiceCollection services, AcreOptions options, StorageLocation storage,
        SigningKey signingKey, HostNames hosts, ServerPorts ports, ManagementHosts managementHosts)
    {
        services.AddSingleton(options);
        services.AddSingleton(options.Identity);
        services.AddSingleton(hosts);
        services.AddSingleton(ports);
        services.AddSingleton(managementHosts);
        services.AddSingleton(new RegistryAddresses(options.LoginServerSuffix, () => ports.Https));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(signingKey);
        services.AddSingleton<RegistryTokens>();
        services.AddSingleton<EntraTokens>();
        services.AddSingleton<IMetadataStore>(storage.Metadata);
        services.AddSingleton<IBlobStore>(storage.Blobs);
        services.AddSingleton<DigestLocks>();
        services.AddSingleton<UploadLocks>();
        services.AddSingleton<LoggingEventSink>();
        services.AddSingleton<IRegistryEventSink, EventFanOut>();
        services.AddSingleton<BlobCollector>();
        services.AddHostedService(sp => sp.GetRequiredService<BlobCollector>());
        services.AddSingleton(options.Upstream);
        services.AddSingleton<UpstreamClient>();
        services.AddSingleton<SecretResolver>();
        services.AddSingleton<ContentImporter>();
        services.AddSingleton<CacheRules>();
        services.AddSingleton<PullThrough>();
        services.AddTasks(new TasksOptions(storage.Root, options.LoginServerSuffix, () => ports.Https)
        {
            ConcurrentRuns = Math.Max(1, options.ConcurrentRuns),
            UploadRetention = options.CollectGrace,
            CollectInterval = options.CollectInterval,
        });
        services.AddDataPlane();
        services.AddManagement();
    }

    private static void ReadPorts(IServiceProvider services, AcreOptions options, ServerPorts ports)
    {
        var server = services.GetRequiredService<IServer>();
        var addresses = server.Features.Get<IServerAddressesFeature>()!.Addresses;
        int PortOf(string scheme) =>
            new Uri(addresses.First(a => a.StartsWith(scheme + "://", StringComparison.Ordinal))
                .Replace("[::]", "localhost", StringComparison.Ordinal)).Port;
        ports.Https = PortOf("https");
        ports.Http = options.HttpPort is null ? null : PortOf("http");
    }

    /// <summary>Asked during a TLS handshake, which cannot wait asynchronously; the store answers from SQLite at
    /// once.</summary>
    private static bool RegistryExists(IMetadataStore metadata, string registry) =>
        metadata.GetRegistryAsync(registry, CancellationToken.None).GetAwaiter().GetResult() is not null;

    private static void ConfigureLogging(ILoggingBuilder logging, AcreOptions options)
    {
        var level = Enum.TryParse<LogLevel>(options.LogLevel, ignoreCase: true, out var parsed)
            ? parsed
            : LogLevel.Information;
        logging.ClearProviders();
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        });
        logging.SetMinimumLevel(level);
        logging.AddFilter("Microsoft", level <= LogLevel.Debug ? level : LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);

        // The host's own request lines repeat Acre's completion line with the query string, where the upload and log
        // URLs carry their signatures: never written, whatever the level.
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

        // A failed start (a busy port) is told by Acre in one line; the host would log it again with a stack trace.
        // A background service that fails still shows: the host logs that at Critical as it stops.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
    }

    private static void ConfigureKestrel(
        IWebHostBuilder webHost, AcreOptions options, ServerCertificates certificates)
    {
        webHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MaxRequestBufferSize = 4 * 1024 * 1024;
            kestrel.Limits.Http2.InitialConnectionWindowSize = 16 * 1024 * 1024;
            kestrel.Limits.Http2.InitialStreamWindowSize = 8 * 1024 * 1024;
            foreach (var address in ListenFailure.LoopbackAddresses(options.Port))
            {
                kestrel.Listen(address, options.Port, listen => listen.UseHttps(https =>
                    https.ServerCertificateSelector = (_, name) => certificates.Select(name)));
            }

            if (options.HttpPort is { } httpPort)
            {
                kestrel.Listen(IPAddress.Loopback, httpPort);
            }
        });
    }
}
