using System.Net;
using System.Net.Sockets;
using Acre.Cli;
using Acre.Hosting;
using Acre.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Acre.Tests.Host;

/// <summary>What a start refuses (a data directory in use, a busy port), and what a failed start leaves
/// undone.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task StartAsync_RefusesASecondServer_OnTheSameDataDirectory_UntilTheFirstStops()
    {
        // Arrange
        using var directory = new TempDirectory();
        var first = await AcreServer.StartAsync(Options(directory.Path), CancellationToken.None);
        string portsFile = await File.ReadAllTextAsync(Path.Combine(directory.Path, "acre.json"));

        // Act
        var refused = await Assert.ThrowsAsync<StartupException>(() =>
            AcreServer.StartAsync(Options(directory.Path), CancellationToken.None));
        await first.DisposeAsync();
        await using var second = await AcreServer.StartAsync(Options(directory.Path), CancellationToken.None);

        // Assert
        Assert.Equal($"The data directory {directory.Path} is in use by another Acre process " +
            $"(pid {Environment.ProcessId}). Stop it, or give this one another --data-dir (or --in-memory).",
            refused.Message);
        Assert.Contains($"\"httpsPort\": {first.HttpsPort},", portsFile, StringComparison.Ordinal);
        Assert.NotEqual(0, second.HttpsPort);
    }

    [Fact]
    public async Task StartAsync_InMemory_SharesTheDataDirectory()
    {
        using var directory = new TempDirectory();

        await using var first = await AcreServer.StartAsync(
            Options(directory.Path) with { InMemory = true }, CancellationToken.None);
        await using var second = await AcreServer.StartAsync(
            Options(directory.Path) with { InMemory = true }, CancellationToken.None);

        Assert.NotEqual(first.StorageRoot, second.StorageRoot);
    }

    [Fact]
    public async Task StartAsync_PortInUse_NamesThePortAndItsOption_AndStartsNoBackgroundService()
    {
        // Arrange
        using var directory = new TempDirectory();
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        int port = ((IPEndPoint)busy.LocalEndpoint).Port;
        var probe = new ProbeService();

        // Act
        var refused = await Assert.ThrowsAsync<StartupException>(() => AcreServer.StartAsync(
            Options(directory.Path) with { HttpPort = port }, CancellationToken.None, probe.Register));

        // Assert
        Assert.Equal($"Port {port} is already in use on the loopback address. Stop what uses it, or choose another " +
            "with --http-port (0 picks a free one).", refused.Message);
        Assert.False(probe.Started);
        await using var next = await AcreServer.StartAsync(Options(directory.Path), CancellationToken.None);
    }

    [Fact]
    public async Task StartAsync_StartsBackgroundServices_OnlyOnceThePortsAreBound()
    {
        using var directory = new TempDirectory();
        var probe = new ProbeService();

        await using var server = await AcreServer.StartAsync(
            Options(directory.Path), CancellationToken.None, probe.Register);

        Assert.True(probe.Started);
        Assert.NotEmpty(probe.AddressesAtStart);
        Assert.Equal(server.HttpsPort, probe.HttpsPortAtStart);
    }

    private static AcreOptions Options(string dataDir) => new()
    {
        Port = 0,
        HttpPort = 0,
        DataDir = dataDir,
        AdminPassword = AcreServerFixture.AdminPassword,
        LogLevel = "Warning",
    };

    /// <summary>A hosted service that records whether it was started, and what the server had bound by then.</summary>
    private sealed class ProbeService : IHostedService
    {
        private IServer? _server;
        private ServerPorts? _ports;

        public bool Started { get; private set; }

        public IReadOnlyList<string> AddressesAtStart { get; private set; } = [];

        public int HttpsPortAtStart { get; private set; }

        public void Register(IServiceCollection services) => services.AddHostedService(provider =>
        {
            _server = provider.GetRequiredService<IServer>();
            _ports = provider.GetRequiredService<ServerPorts>();
            return this;
        });

        public Task StartAsync(CancellationToken cancellationToken)
        {
            Started = true;
            AddressesAtStart = [.. _server!.Features.Get<IServerAddressesFeature>()!.Addresses];
            HttpsPortAtStart = _ports!.Https;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
