using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Acre.Content;
using Acre.Management.Arm;
using Acre.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acre.Management.Children;

/// <summary>
/// Delivers registry events to webhooks: the push that caused an event only queues it; a background loop
/// POSTs ACR's event JSON to each matching webhook, retries failures a few times, and keeps every attempt.
/// </summary>
public sealed partial class WebhookDelivery(
    IMetadataStore metadata, TimeProvider time, ILogger<WebhookDelivery> logger) : BackgroundService, IRegistryEventSink
{
    private const int Attempts = 3;

    private readonly Channel<RegistryEvent> _queue = Channel.CreateBounded<RegistryEvent>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Publish(RegistryEvent registryEvent) => _queue.Writer.TryWrite(registryEvent);

    /// <summary>Sends one event to one webhook now and records it; returns the event id (the ping's answer).</summary>
    public async Task<string> SendAsync(string registry, string webhook, JsonObject properties, JsonObject payload,
        CancellationToken ct)
    {
        string id = payload["id"]!.GetValue<string>();
        string uri = ArmBody.Text(properties["serviceUri"]) ?? "";
        const string eventsType = "application/vnd.docker.distribution.events.v1+json";
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new StringContent(payload.ToJsonString(), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(eventsType);
        var requestHeaders = new JsonObject { ["Content-Type"] = eventsType };
        if (properties["customHeaders"] is JsonObject headers)
        {
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, ArmBody.Text(value));
                requestHeaders[name] = ArmBody.Text(value);
            }
        }

        JsonObject response;
        try
        {
            using var answer = await _http.SendAsync(request, ct);
            response = new JsonObject
            {
                ["statusCode"] = ((int)answer.StatusCode).ToString(CultureInfo.InvariantCulture),
                ["reasonPhrase"] = answer.ReasonPhrase,
                ["content"] = await answer.Content.ReadAsStringAsync(ct),
                ["headers"] = new JsonObject(answer.Headers.Select(h =>
                    KeyValuePair.Create(h.Key, (JsonNode?)string.Join(",", h.Value)))),
                ["version"] = answer.Version.ToString(),
            };
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            response = new JsonObject { ["statusCode"] = "0", ["reasonPhrase"] = e.Message, ["content"] = "" };
        }

        var record = new JsonObject
        {
            ["id"] = id,
            ["eventRequestMessage"] = new JsonObject
            {
                ["content"] = payload.DeepClone(),
                ["headers"] = requestHeaders,
                ["method"] = "POST",
                ["requestUri"] = uri,
                ["version"] = "1.1",
            },
            ["eventResponseMessage"] = response,
        };
        await metadata.AddWebhookEventAsync(
            new WebhookEventRecord(registry, webhook, id, time.GetUtcNow(), record.ToJsonString()), ct);
        return response["statusCode"]!.GetValue<string>();
    }

    public JsonObject Payload(string action, RegistryEvent? registryEvent)
    {
        var payload = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["timestamp"] = (registryEvent?.Timestamp ?? time.GetUtcNow()).UtcDateTime.ToString("O"),
            ["action"] = action,
        };
        if (registryEvent is null)
        {
            return payload;
        }

        var target = new JsonObject { ["mediaType"] = registryEvent.MediaType };
        if (action == RegistryEvent.Push)
        {
            target["size"] = registryEvent.Size;
        }

        target["digest"] = registryEvent.Digest;
        if (action == RegistryEvent.Push)
        {
            target["length"] = registryEvent.Size;
        }

        target["repository"] = registryEvent.Repository;
        if (registryEvent.Tag is not null)
        {
            target["tag"] = registryEvent.Tag;
        }

        payload["target"] = target;
        payload["request"] = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["host"] = registryEvent.RequestHost,
            ["method"] = registryEvent.RequestMethod,
            ["useragent"] = registryEvent.UserAgent,
        };
        payload["actor"] = registryEvent.Actor is null
            ? new JsonObject()
            : new JsonObject { ["name"] = registryEvent.Actor };
        return payload;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var registryEvent in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await DispatchAsync(registryEvent, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e, registryEvent.Registry);
            }
        }
    }

    private async Task DispatchAsync(RegistryEvent registryEvent, CancellationToken ct)
    {
        foreach (var webhook in await metadata.ListChildrenAsync(registryEvent.Registry, "webhooks", ct))
        {
            var properties = ChildEndpoints.StoredProperties(webhook);
            if (properties is null || ArmBody.Text(properties["status"]) != "enabled" ||
                properties["actions"] is not JsonArray actions ||
                !actions.Any(a => ArmBody.Text(a) == registryEvent.Action) ||
                !WebhookKind.ScopeMatches(ArmBody.Text(properties["scope"]) ?? "", registryEvent.Repository,
                    registryEvent.Tag))
            {
                continue;
            }

            _ = DeliverWithRetriesAsync(registryEvent.Registry, webhook.Name, properties,
                Payload(registryEvent.Action, registryEvent), ct);
        }
    }

    private async Task DeliverWithRetriesAsync(
        string registry, string webhook, JsonObject properties, JsonObject payload, CancellationToken ct)
    {
        for (int attempt = 1; attempt <= Attempts; attempt++)
        {
            string status = await SendAsync(registry, webhook, properties, payload, ct);
            if (status.StartsWith('2'))
            {
                return;
            }

            LogRetry(logger, webhook, status, attempt);
            await Task.Delay(TimeSpan.FromSeconds(attempt), time, ct);
        }
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Warning,
        Message = "Webhook {Webhook} answered {Status} on attempt {Attempt}")]
    private static partial void LogRetry(ILogger logger, string webhook, string status, int attempt);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Webhook delivery failed for registry {Registry}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string registry);

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
