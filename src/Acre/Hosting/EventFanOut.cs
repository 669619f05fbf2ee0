using Acre.Content;
using Acre.Management.Children;

namespace Acre.Hosting;

/// <summary>Hands each registry event to the log and to webhook delivery; neither blocks the request.</summary>
public sealed class EventFanOut(LoggingEventSink log, WebhookDelivery webhooks) : IRegistryEventSink
{
    public void Publish(RegistryEvent registryEvent)
    {
        log.Publish(registryEvent);
        webhooks.Publish(registryEvent);
    }
}
