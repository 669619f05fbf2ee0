using Acre.Content;

namespace Acre.Hosting;

/// <summary>Writes each registry event to the log; webhooks subscribe beside it.</summary>
public sealed partial class LoggingEventSink(ILogger<LoggingEventSink> logger) : IRegistryEventSink
{
    public void Publish(RegistryEvent registryEvent) =>
        LogEvent(logger, registryEvent.Action, registryEvent.Registry, registryEvent.Repository,
            registryEvent.Tag ?? "-", registryEvent.Digest);

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information,
        Message = "Event {Action} on {Registry}/{Repository}, tag {Tag}, digest {Digest}")]
    private static partial void LogEvent(
        ILogger logger, string action, string registry, string repository, string tag, string digest);
}
