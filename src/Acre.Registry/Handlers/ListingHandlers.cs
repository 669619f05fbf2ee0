using System.Text.Json.Nodes;
using Acre.Content;
using Acre.Registry.Errors;
using Acre.Storage;
using Microsoft.AspNetCore.Http;

namespace Acre.Registry.Handlers;

/// <summary>Tags, catalog and referrers: lexically sorted pages with <c>n</c>, <c>last</c> and a <c>Link</c>
/// header.</summary>
public sealed class ListingHandlers(IMetadataStore metadata)
{
    /// <summary>The page size when the client names none, and the most it may ask for.</summary>
    public const int DefaultPageSize = 1000;

    public async Task<IResult> TagsAsync(DataPlaneRequest request)
    {
        if (ReadPaging(request) is not { } paging)
        {
            return ErrorResult.Of(ErrorCode.PaginationNumberInvalid, detail: new { n = request.Query("n") });
        }

        var page = paging.Limit == 0
            ? new NamePage([], false)
            : await metadata.ListTagsAsync(request.RegistryName, request.Repository, paging.Last, paging.Limit,
                request.Aborted);
        if (page is null)
        {
            return ErrorResult.Of(ErrorCode.NameUnknown, detail: new { name = request.Repository });
        }

        AddLink(request, $"/v2/{request.Repository}/tags/list", page, paging.Limit);
        return Results.Json(new { name = request.Repository, tags = page.Names });
    }

    public async Task<IResult> CatalogAsync(DataPlaneRequest request)
    {
        if (ReadPaging(request) is not { } paging)
        {
            return ErrorResult.Of(ErrorCode.PaginationNumberInvalid, detail: new { n = request.Query("n") });
        }

        var page = paging.Limit == 0
            ? new NamePage([], false)
            : await metadata.ListRepositoriesAsync(request.RegistryName, paging.Last, paging.Limit, ListOrder.Name,
                request.Aborted);
        AddLink(request, "/v2/_catalog", page, paging.Limit);
        return Results.Json(new { repositories = page.Names });
    }

    public async Task<IResult> ReferrersAsync(DataPlaneRequest request)
    {
        if (BlobHandlers.ParseDigest(request.Route.Reference) is not { } subject)
        {
            return BlobHandlers.DigestError(request.Route.Reference);
        }

        // The answer describes the subject, so it is read as a pull of the subject by digest would be.
        var locks = await metadata.GetLockStateAsync(request.RegistryName, request.Repository, null, subject,
            request.Aborted);
        if (!Locks.MayRead(locks))
        {
            return ErrorResult.Of(ErrorCode.Disallowed);
        }

        string? artifactType = request.Query("artifactType") is { Length: > 0 } filter ? filter : null;
        var referrers = await metadata.ListReferrersAsync(
            request.RegistryName, request.Repository, subject, artifactType, request.Aborted);
        var manifests = new JsonArray();
        foreach (var referrer in referrers)
        {
            var descriptor = new JsonObject
            {
                ["mediaType"] = referrer.MediaType,
                ["digest"] = referrer.Digest.ToString(),
                ["size"] = referrer.Size,
            };
            if (referrer.ArtifactType is not null)
            {
                descriptor["artifactType"] = referrer.ArtifactType;
            }

            if (referrer.AnnotationsJson is not null)
            {
                descriptor["annotations"] = JsonNode.Parse(referrer.AnnotationsJson);
            }

            manifests.Add(descriptor);
        }

        if (artifactType is not null)
        {
            request.Http.Response.Headers["OCI-Filters-Applied"] = "artifactType";
        }

        var index =
            new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = MediaTypes.OciIndex, ["manifests"] = manifests };
        return Results.Text(index.ToJsonString(), MediaTypes.OciIndex);
    }

    internal static Paging? ReadPaging(DataPlaneRequest request)
    {
        string n = request.Query("n");
        long limit = DefaultPageSize;
        if (n.Length > 0 && (!long.TryParse(n, out limit) || limit < 0))
        {
            return null;
        }

        string last = request.Query("last");
        return new Paging((int)Math.Min(limit, DefaultPageSize), last.Length > 0 ? last : null);
    }

    private static void AddLink(DataPlaneRequest request, string path, NamePage page, int limit) =>
        AddLink(request, path, page.HasMore && page.Names.Count > 0 ? page.Names[^1] : null, limit, "");

    /// <summary>The <c>Link</c> to the next page, when <paramref name="last"/> says one follows.</summary>
    internal static void AddLink(DataPlaneRequest request, string path, string? last, int limit, string extraQuery)
    {
        if (last is not null)
        {
            request.Http.Response.Headers.Link =
                $"<{path}?last={Uri.EscapeDataString(last)}&n={limit}{extraQuery}>; rel=\"next\"";
        }
    }

    internal sealed record Paging(int Limit, string? Last);
}
