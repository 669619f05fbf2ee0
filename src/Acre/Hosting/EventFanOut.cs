using Acre.Content;
using Acre.Management.Children;
using Acre.Management.Tasks;

namespace Acre.Hosting;

/// <summary>
/// Hands each registry event to the log, to webhook delivery and to base-image triggers; none blocks the request.
/// </summary>
public sealed class EventFanOut(LoggingEventSink log, WebhookDelivery webhooks, BaseImagePushes baseImages)
    : IRegistryEventSink
{
    public void Publish(RegistryEvent registryEvent)
    {
        log.Publish(registryEvent);
        webhooks.Publish(registryEvent);
        baseImages.Publish(registryEvent);
    }
}
