using Acre.Content;
using Acre.Registry.Auth;
using Acre.Storage;
using Microsoft.AspNetCore.Http;

namespace Acre.Registry;

/// <summary>A data-plane request once routed and authorised: which registry, which route, and who asks.</summary>
public sealed record DataPlaneRequest(HttpContext Http, RegistryRecord Registry, DataPlaneRoute Route, Caller Caller)
{
    public string RegistryName => Registry.Name;

    public string Repository => Route.Repository;

    public CancellationToken Aborted => Http.RequestAborted;

    public string Query(string name) => Http.Request.Query[name].ToString();

    /// <summary>An event of this request, carrying its host, method and user agent as ACR's events do.</summary>
    public RegistryEvent Event(string action, string? tag, string digest, string? mediaType, long size,
        DateTimeOffset timestamp) =>
        new(action, RegistryName, Repository, tag, digest, mediaType, size, Caller.Name, timestamp)
        {
            RequestHost = Http.Request.Host.Value,
            RequestMethod = Http.Request.Method,
            UserAgent = Http.Request.Headers.UserAgent.ToString(),
        };
}
