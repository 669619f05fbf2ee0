using System.Text.Json.Nodes;
using Acre.Management.Arm;
using Acre.Storage;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Children;

/// <summary>
/// One kind of a registry's child resources (scope maps, tokens, webhooks, …): its route segment and ARM type,
/// its name rule, and the checks and defaults that make a body into the properties ACR keeps.
/// </summary>
public abstract class ChildKind
{
    /// <summary>The route segment and storage kind, e.g. <c>scopeMaps</c>.</summary>
    public abstract string Segment { get; }

    public string Type => $"Microsoft.ContainerRegistry/registries/{Segment}";

    /// <summary>Tracked children (webhooks, replications) carry a location and tags.</summary>
    public virtual bool IsTracked => false;

    public abstract bool IsValidName(string name);

    /// <summary>How long a deleted child shows Deleting before it is gone; zero: at once.</summary>
    public virtual TimeSpan DeletionDelay => TimeSpan.Zero;

    /// <summary>The status of a create: 201, unless ACR answers otherwise for the kind.</summary>
    public virtual int CreatedStatus => 201;

    public virtual string NameRule => "between 5 and 50 alphanumeric characters or dashes";

    /// <summary>The types of the properties a PUT or PATCH may give, checked before <see cref="BuildAsync"/>.</summary>
    public virtual JsonShape? Shape => null;

    /// <summary>Whether the registry's SKU allows one more (or this one), in ACR's words when it does not.</summary>
    public virtual Task<IResult?> CheckAllowedAsync(ChildContext context, RegistryRecord registry, bool creating) =>
        Task.FromResult<IResult?>(null);

    /// <summary>The properties to keep for a PUT (<paramref name="existing"/> null) or an update, or an
    /// error.</summary>
    public abstract Task<(JsonObject? Properties, IResult? Error)> BuildAsync(
        ChildContext context, RegistryRecord registry, string name, JsonObject given, JsonObject? existing);

    /// <summary>Children the registry has without anyone creating them, such as the system scope maps.</summary>
    public virtual IEnumerable<(string Name, JsonObject Properties)> BuiltIn(RegistryRecord registry) => [];

    /// <summary>The properties as ARM shows them: secrets and write-only fields left out.</summary>
    public virtual JsonObject Present(JsonObject properties) => properties;

    public virtual Task OnDeletedAsync(ChildContext context, RegistryRecord registry, string name)
        => Task.CompletedTask;
}
