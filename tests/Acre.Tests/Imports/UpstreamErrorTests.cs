using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Acre.Tests.Support;

namespace Acre.Tests.Imports;

/// <summary>An import that cannot reach its upstream says why in words, and what to do where there is
/// something.</summary>
public sealed class UpstreamErrorTests : IAsyncLifetime
{
    private readonly AcreServerFixture _upstream = new();
    private readonly AcreServerFixture _acre = new();
    private AcreServerFixture _trusting = null!;

    public async Task InitializeAsync()
    {
        await _upstream.InitializeAsync();
        await _acre.InitializeAsync();
        _trusting = new AcreServerFixture
        {
            Configure = o => o with
            {
                Upstream = new Acre.Transfer.UpstreamOptions { ExtraCaFiles = [_upstream.Server.CaCertificatePath] },
            },
        };
        await _trusting.InitializeAsync();
        using var upstream = _upstream.Admin();
        await new OciPusher(upstream).PushImageAsync("library/tool", "1", "upstream bytes");
    }

    public async Task DisposeAsync()
    {
        await _trusting.DisposeAsync();
        await _acre.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task Import_FromAnUntrustedCertificate_SaysToAddItsCa()
    {
        string server = $"127.0.0.1:{_upstream.Server.HttpsPort}";

        string message = await ImportFailureAsync(_acre, server);

        Assert.Equal($"The import from {server}/library/tool failed: the TLS handshake with {server} failed: " +
            "its certificate is not trusted (add its CA with --upstream-ca)", message);
    }

    [Fact]
    public async Task Import_WithTheUpstreamCa_CopiesOverHttps()
    {
        using var arm = await Arm.ClientAsync(_trusting);

        using var response = await ImportAsync(arm, $"127.0.0.1:{_upstream.Server.HttpsPort}");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Import_FromAClosedPort_SaysTheConnectionWasRefused()
    {
        int closed;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closed = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        string message = await ImportFailureAsync(_acre, $"127.0.0.1:{closed}");

        Assert.EndsWith($"127.0.0.1:{closed} refused the connection: nothing listens on that port", message);
    }

    [Fact]
    public async Task Import_OverHttpsFromAPlainHttpPort_AsksWhetherItServesHttps()
    {
        string server = $"127.0.0.1:{_upstream.Server.HttpPort}";

        string message = await ImportFailureAsync(_acre, server);

        Assert.EndsWith($"the TLS handshake with {server} failed: does it serve HTTPS on that port?", message);
    }

    private static async Task<string> ImportFailureAsync(AcreServerFixture acre, string server)
    {
        using var arm = await Arm.ClientAsync(acre);
        using var response = await ImportAsync(arm, server);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal("ImportFailed", error.GetProperty("code").GetString());
        return error.GetProperty("message").GetString()!;
    }

    private static Task<HttpResponseMessage> ImportAsync(HttpClient arm, string server) =>
        arm.PostAsJsonAsync($"{Arm.RegistryPath("acre", "local")}/importImage?{Arm.RegistryApi}", new
        {
            source = new
            {
                registryUri = server,
                sourceImage = "library/tool:1",
                credentials = new { username = "local", password = AcreServerFixture.AdminPassword },
            },
            targetTags = new[] { "tool:1" },
            mode = "Force",
        });
}
