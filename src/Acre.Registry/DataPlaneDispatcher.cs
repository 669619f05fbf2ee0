using Acre.Content;
using Acre.Registry.Auth;
using Acre.Registry.Errors;
using Acre.Registry.Handlers;
using Microsoft.AspNetCore.Http;

namespace Acre.Registry;

/// <summary>
/// The single entry of <c>/v2/</c>: parses the route, authorises it against the scope it needs, and hands it
/// to the handler of that resource.
/// </summary>
public sealed class DataPlaneDispatcher(
    CallerAuthenticator authenticator,
    BlobHandlers blobs,
    UploadHandlers uploads,
    ManifestHandlers manifests,
    ListingHandlers listings,
    AcrHandlers acr)
{
    public const string ApiVersionHeader = "Docker-Distribution-API-Version";

    public async Task HandleAsync(HttpContext context)
    {
        bool acrApi = context.Request.Path.StartsWithSegments("/acr/v1", out var rest);
        if (!acrApi)
        {
            context.Response.Headers[ApiVersionHeader] = "registry/2.0";
        }

        // The Azure SDKs escape a repository name as one segment ("team%2Fapp"), which the server leaves escaped.
        string path = (acrApi
                ? rest.Value?.TrimStart('/')
                : context.Request.Path.Value is { Length: >= 4 } p ? p[4..] : "")
            ?.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase) ?? "";
        var route = acrApi ? DataPlaneRoute.ParseAcr(path) : DataPlaneRoute.Parse(path);
        IResult result = await DispatchAsync(context, route);
        await result.ExecuteAsync(context);
    }

    private async Task<IResult> DispatchAsync(HttpContext context, DataPlaneRoute route)
    {
        var feature = RegistryFeature.Get(context);
        if (feature?.Registry is null)
        {
            return ErrorResult.Of(ErrorCode.NameUnknown, $"registry '{feature?.Name}' not found");
        }

        if (route.Kind == RouteKind.Unknown)
        {
            return ErrorResult.Of(ErrorCode.NotFound);
        }

        if (route.Repository.Length > 0 && !Names.IsValidRepository(route.Repository))
        {
            return ErrorResult.Of(ErrorCode.NameInvalid, detail: new { name = route.Repository });
        }

        string method = context.Request.Method;
        if (!RequiredAccess.TryGet(route, method, out var needed, out var challenge))
        {
            return ErrorResult.Of(ErrorCode.Unsupported, $"{method} is not supported here");
        }

        var outcome = await authenticator.AuthenticateAsync(context, feature);
        if (outcome.Caller is not { } caller)
        {
            return Challenge.Unauthorized(context, challenge, outcome.CredentialsRejected ? "invalid_token" : null);
        }

        if (needed is not null && !caller.May(needed))
        {
            return caller.FromBearer
                ? Challenge.Unauthorized(context, challenge, "insufficient_scope")
                : ErrorResult.Of(ErrorCode.Denied);
        }

        var request = new DataPlaneRequest(context, feature.Registry, route, caller);
        return await RouteAsync(request, method);
    }

    private Task<IResult> RouteAsync(DataPlaneRequest request, string method) => request.Route.Kind switch
    {
        RouteKind.Base => Task.FromResult<IResult>(Results.Json(new { })),
        RouteKind.Catalog => listings.CatalogAsync(request),
        RouteKind.Tags => listings.TagsAsync(request),
        RouteKind.Referrers => listings.ReferrersAsync(request),
        RouteKind.Manifest when HttpMethods.IsPut(method) => manifests.PutAsync(request),
        RouteKind.Manifest when HttpMethods.IsDelete(method) => manifests.DeleteAsync(request),
        RouteKind.Manifest => manifests.GetAsync(request),
        RouteKind.Blob when HttpMethods.IsDelete(method) => blobs.DeleteAsync(request),
        RouteKind.Blob => blobs.GetAsync(request),
        RouteKind.UploadStart => uploads.StartAsync(request),
        RouteKind.AcrCatalog or RouteKind.AcrRepository or RouteKind.AcrTags or RouteKind.AcrTag or
            RouteKind.AcrManifests or RouteKind.AcrManifest => acr.HandleAsync(request, method),
        RouteKind.Upload when HttpMethods.IsPatch(method) => uploads.PatchAsync(request),
        RouteKind.Upload when HttpMethods.IsPut(method) => uploads.PutAsync(request),
        RouteKind.Upload when HttpMethods.IsDelete(method) => uploads.CancelAsync(request),
        RouteKind.Upload => uploads.StatusAsync(request),
        _ => Task.FromResult<IResult>(ErrorResult.Of(ErrorCode.NotFound)),
    };
}
