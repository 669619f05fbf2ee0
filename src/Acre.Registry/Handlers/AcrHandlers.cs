using System.Text.Json;
using System.Text.Json.Nodes;
using Acre.Content;
using Acre.Registry.Errors;
using Acre.Storage;
using Microsoft.AspNetCore.Http;

namespace Acre.Registry.Handlers;

/// <summary>
/// ACR's metadata API under <c>/acr/v1/</c>: catalog, repository, tags and manifests with their times, sizes,
/// platforms and changeable attributes; the answers have the shapes of the data-plane spec.
/// </summary>
public sealed class AcrHandlers(IMetadataStore metadata, IRegistryEventSink events, TimeProvider time)
{
    public Task<IResult> HandleAsync(DataPlaneRequest request, string method) => (request.Route.Kind, method) switch
    {
        (RouteKind.AcrCatalog, _) => CatalogAsync(request),
        (RouteKind.AcrRepository, "PATCH") => PatchAsync(request, UpdateRepositoryAsync),
        (RouteKind.AcrRepository, "DELETE") => DeleteRepositoryAsync(request),
        (RouteKind.AcrRepository, _) => GetRepositoryAsync(request),
        (RouteKind.AcrTags, _) => ListTagsAsync(request),
        (RouteKind.AcrTag, "PATCH") => PatchAsync(request, UpdateTagAsync),
        (RouteKind.AcrTag, "DELETE") => DeleteTagAsync(request),
        (RouteKind.AcrTag, _) => GetTagAsync(request),
        (RouteKind.AcrManifests, _) => ListManifestsAsync(request),
        (RouteKind.AcrManifest, "PATCH") => PatchAsync(request, UpdateManifestAsync),
        (RouteKind.AcrManifest, _) => GetManifestAsync(request),
        _ => Task.FromResult<IResult>(ErrorResult.Of(ErrorCode.Unsupported)),
    };

    private async Task<IResult> CatalogAsync(DataPlaneRequest request)
    {
        if (!AcrListing.TryRead(request, out var listing, out var error))
        {
            return error;
        }

        var page = await metadata.ListRepositoriesAsync(request.RegistryName, listing.Last, listing.Limit,
            listing.Order, request.Aborted);
        listing.AddLink(request, "/acr/v1/_catalog", page.Names, page.HasMore, name => name);
        return Results.Json(new { repositories = page.Names });
    }

    private async Task<IResult> GetRepositoryAsync(DataPlaneRequest request) =>
        await metadata.GetRepositoryAsync(request.RegistryName, request.Repository, request.Aborted) is { } repository
            ? Json(AcrJson.RepositoryJson(request, repository))
            : UnknownRepository(request);

    private async Task<IResult> UpdateRepositoryAsync(DataPlaneRequest request, AttributesChange change) =>
        await metadata.UpdateRepositoryAttributesAsync(request.RegistryName, request.Repository, change,
            request.Aborted)
            is { } repository
            ? Json(AcrJson.RepositoryJson(request, repository))
            : UnknownRepository(request);

    private async Task<IResult> DeleteRepositoryAsync(DataPlaneRequest request)
    {
        var repository = await metadata.GetRepositoryAsync(request.RegistryName, request.Repository, request.Aborted);
        if (repository is null)
        {
            return UnknownRepository(request);
        }

        var content = await metadata.GetRepositoryContentAsync(request.RegistryName, request.Repository,
            request.Aborted);
        if (!Locks.MayDeleteRepository(repository.Attributes, content))
        {
            return ErrorResult.Of(ErrorCode.Disallowed);
        }

        var deleted = await metadata.DeleteRepositoryAsync(request.RegistryName, request.Repository, request.Aborted);
        foreach (var manifest in content.Manifests)
        {
            events.Publish(request.Event(RegistryEvent.Delete, null,
                manifest.Digest.ToString(), manifest.MediaType, manifest.Content.Length,
                time.GetUtcNow()));
        }

        return Results.Json(new { manifestsDeleted = deleted?.Manifests ?? [], tagsDeleted = deleted?.Tags ?? [] },
            statusCode: StatusCodes.Status202Accepted);
    }

    private async Task<IResult> ListTagsAsync(DataPlaneRequest request)
    {
        if (!AcrListing.TryRead(request, out var listing, out var error))
        {
            return error;
        }

        Digest? digest = Digest.TryParse(request.Query("digest"), out var d, out _) ? d : null;
        if (await metadata.GetRepositoryAsync(request.RegistryName, request.Repository, request.Aborted) is null)
        {
            return UnknownRepository(request);
        }

        var (tags, more) = await metadata.ListTagInfoAsync(request.RegistryName, request.Repository, listing.Last,
            listing.Limit, listing.Order, digest, request.Aborted);
        listing.AddLink(request, $"/acr/v1/{request.Repository}/_tags", tags, more, t => t.Name);
        return Json(new JsonObject
        {
            ["registry"] = AcrJson.Registry(request),
            ["imageName"] = request.Repository,
            ["tags"] = new JsonArray([.. tags.Select(AcrJson.TagJson)]),
        });
    }

    private async Task<IResult> GetTagAsync(DataPlaneRequest request) =>
        await metadata.GetTagAsync(request.RegistryName, request.Repository, request.Route.Reference, request.Aborted)
            is { } tag
            ? Json(AcrJson.TagEnvelope(request, tag))
            : UnknownTag(request);

    private async Task<IResult> UpdateTagAsync(DataPlaneRequest request, AttributesChange change) =>
        await metadata.UpdateTagAttributesAsync(request.RegistryName, request.Repository, request.Route.Reference,
            change, request.Aborted) is { } tag
            ? Json(AcrJson.TagEnvelope(request, tag))
            : UnknownTag(request);

    private async Task<IResult> DeleteTagAsync(DataPlaneRequest request)
    {
        string name = request.Route.Reference;
        var tag = await metadata.GetTagAsync(request.RegistryName, request.Repository, name, request.Aborted);
        if (tag is null)
        {
            return UnknownTag(request);
        }

        var locks = await metadata.GetLockStateAsync(request.RegistryName, request.Repository, name, null,
            request.Aborted);
        if (!Locks.MayDeleteTag(locks))
        {
            return ErrorResult.Of(ErrorCode.Disallowed);
        }

        await metadata.DeleteTagAsync(request.RegistryName, request.Repository, name, request.Aborted);
        events.Publish(request.Event(RegistryEvent.Delete, name,
            tag.Digest.ToString(), null, 0, time.GetUtcNow()));
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    private async Task<IResult> ListManifestsAsync(DataPlaneRequest request)
    {
        if (!AcrListing.TryRead(request, out var listing, out var error))
        {
            return error;
        }

        if (await metadata.GetRepositoryAsync(request.RegistryName, request.Repository, request.Aborted) is null)
        {
            return UnknownRepository(request);
        }

        var (manifests, more) = await metadata.ListManifestInfoAsync(request.RegistryName, request.Repository,
            listing.Last, listing.Limit, listing.Order, request.Aborted);
        listing.AddLink(request, $"/acr/v1/{request.Repository}/_manifests", manifests, more,
            m => m.Digest.ToString());
        return Json(new JsonObject
        {
            ["registry"] = AcrJson.Registry(request),
            ["imageName"] = request.Repository,
            ["manifests"] = new JsonArray([.. manifests.Select(AcrJson.ManifestJson)]),
        });
    }

    private async Task<IResult> GetManifestAsync(DataPlaneRequest request) =>
        await FindManifestAsync(request) is { } manifest
            ? Json(AcrJson.ManifestEnvelope(request, manifest))
            : ErrorResult.Of(ErrorCode.ManifestUnknown, detail: new { reference = request.Route.Reference });

    private async Task<IResult> UpdateManifestAsync(DataPlaneRequest request, AttributesChange change)
    {
        var found = await FindManifestAsync(request);
        var manifest = found is null
            ? null
            : await metadata.UpdateManifestAttributesAsync(request.RegistryName, request.Repository, found.Digest,
                change, request.Aborted);
        return manifest is null
            ? ErrorResult.Of(ErrorCode.ManifestUnknown, detail: new { reference = request.Route.Reference })
            : Json(AcrJson.ManifestEnvelope(request, manifest));
    }

    /// <summary>A manifest by digest, or by the tag that points at it.</summary>
    private async Task<ManifestInfo?> FindManifestAsync(DataPlaneRequest request)
    {
        string reference = request.Route.Reference;
        Digest? digest = Digest.TryParse(reference, out var parsed, out _)
            ? parsed
            : (await metadata.GetTagAsync(request.RegistryName, request.Repository, reference,
                request.Aborted))?.Digest;
        return digest is null
            ? null
            : await metadata.GetManifestInfoAsync(request.RegistryName, request.Repository, digest.Value,
                request.Aborted);
    }

    private static async Task<IResult> PatchAsync(
        DataPlaneRequest request, Func<DataPlaneRequest, AttributesChange, Task<IResult>> update)
    {
        AttributesChange? change;
        try
        {
            // A repeated attribute is refused while parsing: a JsonObject would throw on it only when read.
            var body = await JsonNode.ParseAsync(request.Http.Request.Body,
                documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false },
                cancellationToken: request.Aborted);
            change = body is JsonObject o ? ReadChange(o) : null;
        }
        catch (JsonException)
        {
            change = null;
        }

        return change is null
            ? ErrorResult.Of(ErrorCode.Unsupported, "the body must be an object of boolean attributes", null, 400)
            : await update(request, change);
    }

    private static AttributesChange? ReadChange(JsonObject body)
    {
        bool? Flag(string name) => body[name] is JsonValue v && v.TryGetValue<bool>(out bool b) ? b : null;
        bool valid = body.All(p => p.Key is "teleportEnabled" || p.Value is JsonValue v && v.TryGetValue<bool>(out _));
        return valid
            ? new AttributesChange(Flag("deleteEnabled"), Flag("writeEnabled"), Flag("readEnabled"),
                Flag("listEnabled"))
            : null;
    }

    private static IResult Json(JsonObject body) =>
        Results.Text(body.ToJsonString(), "application/json; charset=utf-8");

    private static ErrorResult UnknownRepository(DataPlaneRequest request) =>
        ErrorResult.Of(ErrorCode.NameUnknown, detail: new { name = request.Repository });

    private static ErrorResult UnknownTag(DataPlaneRequest request) =>
        ErrorResult.Of(ErrorCode.TagUnknown, detail: new { tag = request.Route.Reference });
}
