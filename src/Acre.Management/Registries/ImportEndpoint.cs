using System.Text.Json.Nodes;
using Acre.Content;
using Acre.Management.Arm;
using Acre.Storage;
using Acre.Transfer;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Registries;

/// <summary>
/// <c>importImage</c>: copies an image (an index with every platform) from another registry of Acre's, named by
/// resource id, or from any registry by URI, into target tags or untagged repositories.
/// </summary>
public sealed class ImportEndpoint(
    ArmContext context, RegistryService registries, UpstreamClient upstream, ContentImporter importer,
    AsyncOperations operations)
{
    public void Map(RouteGroup arm) =>
        arm.Post(RegistryEndpoints.Registry + "/importImage", (HttpContext http, string subscriptionId,
            string resourceGroupName, string registryName, CancellationToken ct) => RegistryEndpoints.WithRegistryAsync(
                registries, subscriptionId, resourceGroupName, registryName, ct, r => ImportAsync(http, r, ct)));

    private async Task<IResult> ImportAsync(HttpContext http, RegistryRecord registry, CancellationToken ct)
    {
        var (body, error) = await ArmBody.ReadAsync(http);
        if (body is null)
        {
            return error!;
        }

        var request = await ReadAsync(body, ct);
        if (request.Error is not null)
        {
            return request.Error;
        }

        var targets = Targets(body, request.Repository, request.Reference);
        bool force = string.Equals(ArmBody.Text(body["mode"]), "Force", StringComparison.OrdinalIgnoreCase);
        foreach (var (repository, tags) in targets)
        {
            if (!Names.IsValidRepository(repository) || tags.Any(t => !Names.IsValidTag(t)))
            {
                return ArmError.Invalid("InvalidParameters",
                    $"The target '{repository}' is not a valid repository and tag.");
            }

            foreach (string? tag in tags.Count == 0 ? [null] : tags.Select(t => (string?)t))
            {
                if (!Locks.MayPush(await context.Metadata.GetLockStateAsync(registry.Name, repository, tag, null, ct)))
                {
                    return ArmError.Result(409, "OperationNotAllowed", $"The target '{repository}" +
                        $"{(tag is null ? "" : ":" + tag)}' is locked (writeEnabled: false) and cannot be written.");
                }

                if (tag is not null && !force &&
                    await context.Metadata.GetTagAsync(registry.Name, repository, tag, ct) is not null)
                {
                    return ArmError.Result(409, "TagAlreadyExists",
                        $"The target tag '{repository}:{tag}' already exists. Use mode 'Force' to overwrite it.");
                }
            }
        }

        try
        {
            foreach (var (repository, tags) in targets)
            {
                await importer.ImportAsync(request.Source!, request.Reference, new ImportTarget(
                    registry.Name, repository, tags, ArmFilter.PrincipalOf(http).Name), ct);
            }
        }
        catch (UpstreamException e)
        {
            return ArmError.Invalid(e.IsNotFound ? "ImageNotFound" : e.IsUnauthorized ? "Unauthorized" : "ImportFailed",
                $"The import from {request.Source!.Name} failed: {e.Message}");
        }

        operations.Complete(http, registry.SubscriptionId, registry.Location, withLocation: true);
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    private async Task<(IContentSource? Source, string Repository, string Reference, IResult? Error)> ReadAsync(
        JsonObject body, CancellationToken ct)
    {
        var source = body["source"] as JsonObject;
        string image = ArmBody.Text(source?["sourceImage"]) ?? "";
        var (repository, reference) = SplitImage(image);
        if (source is null || repository.Length == 0)
        {
            return (null, "", "", ArmError.Invalid("InvalidParameters",
                "'source.sourceImage' must name an image, as repository:tag or repository@digest."));
        }

        if (ArmBody.Text(source["resourceId"]) is { Length: > 0 } resourceId)
        {
            string name = resourceId.TrimEnd('/')[(resourceId.TrimEnd('/').LastIndexOf('/') + 1)..];
            var registry = await context.Metadata.GetRegistryAsync(name, ct);
            return registry is null || !resourceId.StartsWith($"/subscriptions/{registry.SubscriptionId}/",
                StringComparison.OrdinalIgnoreCase)
                ? (null, "", "", ArmError.Invalid("InvalidParameters",
                    $"The source registry '{resourceId}' was not found."))
                : (new LocalSource(context.Metadata, registry.Name, repository), repository, reference, null);
        }

        if (ArmBody.Text(source["registryUri"]) is not { Length: > 0 } uri)
        {
            return (null, "", "", ArmError.Invalid("InvalidParameters",
                "The source needs a 'resourceId' or a 'registryUri'."));
        }

        var credentials = source["credentials"] is JsonObject given && ArmBody.Text(given["password"]) is { } password
            ? new UpstreamCredentials(ArmBody.Text(given["username"]) ?? "", password)
            : null;
        string loginServer = uri.Replace("https://", "", StringComparison.OrdinalIgnoreCase)
            .Replace("http://", "", StringComparison.OrdinalIgnoreCase).TrimEnd('/');
        return (new UpstreamSource(upstream.Open(loginServer, credentials), repository), repository, reference, null);
    }

    /// <summary>The target repositories and their tags; by default the source's own name and tag.</summary>
    private static List<(string Repository, List<string> Tags)> Targets(JsonObject body, string repository,
        string reference)
    {
        var targets = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string target in (body["targetTags"] as JsonArray ?? []).Select(ArmBody.Text).OfType<string>())
        {
            var (targetRepository, tag) = SplitImage(target);
            if (!targets.TryGetValue(targetRepository, out var tags))
            {
                targets[targetRepository] = tags = [];
            }

            tags.Add(tag);
        }

        foreach (string untagged in (body["untaggedTargetRepositories"] as JsonArray ?? []).Select(ArmBody.Text)
            .OfType<string>())
        {
            targets.TryAdd(untagged, []);
        }

        if (targets.Count == 0)
        {
            targets[repository] = Digest.IsDigestShaped(reference) ? [] : [reference];
        }

        return [.. targets.Select(t => (t.Key, t.Value))];
    }

    private static (string Repository, string Reference) SplitImage(string image)
    {
        int at = image.IndexOf('@', StringComparison.Ordinal);
        if (at > 0)
        {
            return (image[..at], image[(at + 1)..]);
        }

        int colon = image.LastIndexOf(':');
        return colon > 0 && !image[colon..].Contains('/', StringComparison.Ordinal)
            ? (image[..colon], image[(colon + 1)..])
            : (image, "latest");
    }
}
