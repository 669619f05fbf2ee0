using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Acre.EndToEnd.Tests.Support;

/// <summary>
/// An HTTP endpoint on a free loopback port that keeps every request a webhook delivers. Paths under
/// <c>/failing</c> answer 500, so that a test can watch the retries; every other path answers 200.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    private WebhookReceiver(int port)
    {
        Root = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Root + "/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    /// <summary><c>http://127.0.0.1:PORT</c>, to which a test appends a path per webhook.</summary>
    public string Root { get; }

    public ConcurrentQueue<Delivery> Received { get; } = new();

    public static WebhookReceiver Start() => new(FreePort());

    /// <summary>What arrived at one path, waiting up to ten seconds for <paramref name="count"/> requests.</summary>
    public async Task<List<Delivery>> WaitForAsync(string path, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (At(path).Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return At(path);
    }

    public List<Delivery> At(string path) => [.. Received.Where(d => d.Path == path)];

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _loop;
        _listener.Close();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return; // Stopped.
            }

            using (var reader = new StreamReader(context.Request.InputStream))
            {
                string body = await reader.ReadToEndAsync();
                var headers = context.Request.Headers.AllKeys.ToDictionary(
                    name => name!, name => context.Request.Headers[name]!, StringComparer.OrdinalIgnoreCase);
                string path = context.Request.Url!.AbsolutePath;
                Received.Enqueue(new Delivery(path, context.Request.HttpMethod, headers, JsonNode.Parse(body)!));
                context.Response.StatusCode = path.StartsWith("/failing", StringComparison.Ordinal) ? 500 : 200;
            }

            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

/// <summary>One request that reached the receiver.</summary>
public sealed record Delivery(string Path, string Method, IReadOnlyDictionary<string, string> Headers, JsonNode Body);
