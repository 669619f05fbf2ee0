namespace Acre.Content;

/// <summary>Something that happened to a registry's content, as ACR reports it to webhooks and logs.</summary>
public sealed record RegistryEvent(
    string Action,
    string Registry,
    string Repository,
    string? Tag,
    string Digest,
    string? MediaType,
    long Size,
    string? Actor,
    DateTimeOffset Timestamp)
{
    /// <summary>The request that caused the event: its host, method and user agent, as ACR reports them.</summary>
    public string? RequestHost { get; init; }

    public string? RequestMethod { get; init; }

    public string? UserAgent { get; init; }

    public const string Push = "push";
    public const string Delete = "delete";
}

/// <summary>Where the data plane sends its events; webhooks and the log subscribe here.</summary>
public interface IRegistryEventSink
{
    void Publish(RegistryEvent registryEvent);
}
