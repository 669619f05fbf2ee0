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
        if (ListingHandlers.ReadPaging(request) is not { } paging)
        {
            return ErrorResult.Of(ErrorCode.PaginationNumberInvalid, detail: new { n = request.Query("n") });
        }

        var page = await metadata.ListRepositoriesAsync(request.RegistryName, paging.Last, paging.Limit,
            request.Aborted);
        ListingHandlers.AddLink(request, "/acr/v1/_catalog", page.HasMore ? page.Names[^1] : null, paging.Limit, "");
        return Results.Json(new { repositories = page.Names });
    }

    private async Task<IResult> GetRepositoryAsync(DataPlaneRequest request) =>
        await metadata.GetRepositoryAsync(request.RegistryName, request.Repository, request.Aborted) is { } repository
            ? Json(RepositoryJson(request, repository))
            : UnknownRepository(request);

    private async Task<IResult> UpdateRepositoryAsync(DataPlaneRequest request, AttributesChange change) =>
        await metadata.UpdateRepositoryAttributesAsync(request.RegistryName, request.Repository, change,
            request.Aborted)
            is { } repository
            ? Json(RepositoryJson(request, repository))
            : UnknownRepository(request);

    private async Task<IResult> DeleteRepositoryAsync(DataPlaneRequest request)
    {
        var repository = await metadata.GetRepositoryAsync(request.RegistryName, request.Repository, request.Aborted);
        if (repository is null)
        {
            return UnknownRepository(request);
        }

        var (manifests, _) = await metadata.ListManifestInfoAsync(
            request.RegistryName, request.Repository, null, int.MaxValue - 1, ListOrder.Name, request.Aborted);
        var (tags, _) = await metadata.ListTagInfoAsync(
            request.RegistryName, request.Repository, null, int.MaxValue - 1, ListOrder.Name, null, request.Aborted);
        if (!Locks.MayDeleteRepository(repository.Attributes) ||
            manifests.Any(m => !Locks.IsDeletable(m.Attributes)) || tags.Any(t => !Locks.IsDeletable(t.Attributes)))
        {
            return ErrorResult.Of(ErrorCode.Disallowed);
        }

        var deleted = await metadata.DeleteRepositoryAsync(request.RegistryName, request.Repository, request.Aborted);
        foreach (var manifest in manifests)
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
        if (ListingHandlers.ReadPaging(request) is not { } paging || ReadOrder(request) is not { } order)
        {
            return ErrorResult.Of(ErrorCode.PaginationNumberInvalid, detail: new { n = request.Query("n") });
        }

        Digest? digest = Digest.TryParse(request.Query("digest"), out var d, out _) ? d : null;
        if (await metadata.GetRepositoryAsync(request.RegistryName, request.Repository, request.Aborted) is null)
        {
            return UnknownRepository(request);
        }

        var (tags, more) = await metadata.ListTagInfoAsync(request.RegistryName, request.Repository, paging.Last,
            paging.Limit, order, digest, request.Aborted);
        AddLink(request, "_tags", more ? tags[^1].Name : null, paging.Limit);
        return Json(new JsonObject
        {
            ["registry"] = Registry(request),
            ["imageName"] = request.Repository,
            ["tags"] = new JsonArray([.. tags.Select(TagJson)]),
        });
    }

    private async Task<IResult> GetTagAsync(DataPlaneRequest request) =>
        await metadata.GetTagAsync(request.RegistryName, request.Repository, request.Route.Reference, request.Aborted)
            is { } tag
            ? Json(TagEnvelope(request, tag))
            : UnknownTag(request);

    private async Task<IResult> UpdateTagAsync(DataPlaneRequest request, AttributesChange change) =>
        await metadata.UpdateTagAttributesAsync(request.RegistryName, request.Repository, request.Route.Reference,
            change, request.Aborted) is { } tag
            ? Json(TagEnvelope(request, tag))
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
        if (ListingHandlers.ReadPaging(request) is not { } paging || ReadOrder(request) is not { } order)
        {
            return ErrorResult.Of(ErrorCode.PaginationNumberInvalid, detail: new { n = request.Query("n") });
        }

        if (await metadata.GetRepositoryAsync(request.RegistryName, request.Repository, request.Aborted) is null)
        {
            return UnknownRepository(request);
        }

        var (manifests, more) = await metadata.ListManifestInfoAsync(request.RegistryName, request.Repository,
            paging.Last, paging.Limit, order, request.Aborted);
        AddLink(request, "_manifests", more ? manifests[^1].Digest.ToString() : null, paging.Limit);
        return Json(new JsonObject
        {
            ["registry"] = Registry(request),
            ["imageName"] = request.Repository,
            ["manifests"] = new JsonArray([.. manifests.Select(ManifestJson)]),
        });
    }

    private async Task<IResult> GetManifestAsync(DataPlaneRequest request) =>
        await FindManifestAsync(request) is { } manifest
            ? Json(ManifestEnvelope(request, manifest))
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
            : Json(ManifestEnvelope(request, manifest));
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
            ? new AttributesChange(Flag("deleteEnabled"), Flag("writeEnabled"), Flag("readEnabled"), Flag("listEnabled"))
            : null;
    }

    private static ListOrder? ReadOrder(DataPlaneRequest request) => request.Query("orderby") switch
    {
        "" => ListOrder.Name,
        "timedesc" => ListOrder.TimeDescending,
        "timeasc" => ListOrder.TimeAscending,
        _ => null,
    };

    private static void AddLink(DataPlaneRequest request, string resource, string? last, int limit)
    {
        string order = request.Query("orderby") is { Length: > 0 } o ? $"&orderby={o}" : "";
        ListingHandlers.AddLink(request, $"/acr/v1/{request.Repository}/{resource}", last, limit, order);
    }

    private static string Registry(DataPlaneRequest request) =>
        RegistryFeature.Get(request.Http)?.Audience ?? request.RegistryName;

    private static JsonObject RepositoryJson(DataPlaneRequest request, RepositoryInfo repository) => new()
    {
        ["registry"] = Registry(request),
        ["imageName"] = repository.Name,
        ["createdTime"] = Time(repository.Created),
        ["lastUpdateTime"] = Time(repository.Updated),
        ["manifestCount"] = repository.ManifestCount,
        ["tagCount"] = repository.TagCount,
        ["changeableAttributes"] = Attributes(repository.Attributes, teleport: true),
    };

    private static JsonObject TagEnvelope(DataPlaneRequest request, TagInfo tag) => new()
    {
        ["registry"] = Registry(request),
        ["imageName"] = request.Repository,
        ["tag"] = TagJson(tag),
    };

    private static JsonObject TagJson(TagInfo tag) => new()
    {
        ["name"] = tag.Name,
        ["digest"] = tag.Digest.ToString(),
        ["createdTime"] = Time(tag.Created),
        ["lastUpdateTime"] = Time(tag.Updated),
        ["signed"] = false,
        ["changeableAttributes"] = Attributes(tag.Attributes, teleport: false),
    };

    private static JsonObject ManifestEnvelope(DataPlaneRequest request, ManifestInfo manifest) => new()
    {
        ["registry"] = Registry(request),
        ["imageName"] = request.Repository,
        ["manifest"] = ManifestJson(manifest),
    };

    private static JsonObject ManifestJson(ManifestInfo manifest)
    {
        var json = new JsonObject
        {
            ["digest"] = manifest.Digest.ToString(),
            ["imageSize"] = manifest.ImageSize,
            ["createdTime"] = Time(manifest.Created),
            ["lastUpdateTime"] = Time(manifest.Updated),
            ["mediaType"] = manifest.MediaType,
            ["tags"] = new JsonArray([.. manifest.Tags.Select(t => (JsonNode?)t)]),
            ["changeableAttributes"] = Attributes(manifest.Attributes, teleport: false),
        };
        if (manifest.Architecture is not null)
        {
            json["architecture"] = manifest.Architecture;
            json["os"] = manifest.Os;
        }

        if (manifest.ConfigMediaType is not null)
        {
            json["configMediaType"] = manifest.ConfigMediaType;
        }

        if (MediaTypes.IsIndex(manifest.MediaType))
        {
            json["references"] = References(manifest.Content);
        }

        return json;
    }

    /// <summary>An index's children with their platforms, read from the stored bytes.</summary>
    private static JsonArray References(ReadOnlyMemory<byte> content)
    {
        var references = new JsonArray();
        using var document = JsonDocument.Parse(content);
        if (document.RootElement.TryGetProperty("manifests", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                var reference = new JsonObject { ["digest"] = child.GetProperty("digest").GetString() };
                if (child.TryGetProperty("platform", out var platform))
                {
                    reference["architecture"] = platform.TryGetProperty("architecture", out var a) ? a.GetString() : null;
                    reference["os"] = platform.TryGetProperty("os", out var os) ? os.GetString() : null;
                }

                references.Add(reference);
            }
        }

        return references;
    }

    private static JsonObject Attributes(ChangeableAttributes attributes, bool teleport)
    {
        var json = new JsonObject
        {
            ["deleteEnabled"] = attributes.DeleteEnabled,
            ["writeEnabled"] = attributes.WriteEnabled,
            ["readEnabled"] = attributes.ReadEnabled,
            ["listEnabled"] = attributes.ListEnabled,
        };
        if (teleport)
        {
            json["teleportEnabled"] = false;
        }

        return json;
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("O");

    private static IResult Json(JsonObject body) => Results.Text(body.ToJsonString(), "application/json; charset=utf-8");

    private static ErrorResult UnknownRepository(DataPlaneRequest request) =>
        ErrorResult.Of(ErrorCode.NameUnknown, detail: new { name = request.Repository });

    private static ErrorResult UnknownTag(DataPlaneRequest request) =>
        ErrorResult.Of(ErrorCode.TagUnknown, detail: new { tag = request.Route.Reference });
}
