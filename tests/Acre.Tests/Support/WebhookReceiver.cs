using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Acre.Tests.Support;

/// <summary>A webhook receiver on a picked loopback port that keeps every request it gets.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app, int port)
    {
        _app = app;
        Uri = $"http://127.0.0.1:{port}/hook";
    }

    public string Uri { get; }

    /// <summary>The status every request is answered with; 200 unless a test wants failures.</summary>
    public int Status { get; set; } = 200;

    public ConcurrentQueue<(IHeaderDictionary Headers, JsonElement Body)> Received { get; } = new();

    public static async Task<WebhookReceiver> StartAsync()
    {
        int port = FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, port);
        app.MapPost("/hook", async (HttpContext context) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body);
            receiver.Received.Enqueue((new HeaderDictionary(context.Request.Headers.ToDictionary()), body));
            return Results.StatusCode(receiver.Status);
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Waits until <paramref name="count"/> requests have arrived, for up to ten seconds.</summary>
    public async Task<List<(IHeaderDictionary Headers, JsonElement Body)>> WaitForAsync(int count)
    {
        for (int i = 0; i < 200 && Received.Count < count; i++)
        {
            await Task.Delay(50);
        }

        return [.. Received];
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
