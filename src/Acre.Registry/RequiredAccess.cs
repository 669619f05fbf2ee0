using Acre.Identity;
using Microsoft.AspNetCore.Http;

namespace Acre.Registry;

/// <summary>The access each route and method needs, and the scope its challenge names.</summary>
public static class RequiredAccess
{
    /// <param name="needed">What the caller must hold; null for <c>/v2/</c>, which needs only a valid
    /// credential.</param>
    /// <param name="challenge">The scope to name in a 401, as Docker expects it (a push asks for pull,push).</param>
    public static bool TryGet(
        DataPlaneRoute route, string method, out AccessScope? needed, out AccessScope? challenge)
    {
        bool read = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
        string? action = route.Kind switch
        {
            RouteKind.Base or RouteKind.Catalog when read => "",
            RouteKind.Tags or RouteKind.Referrers when HttpMethods.IsGet(method) => "pull",
            RouteKind.Manifest or RouteKind.Blob when read => "pull",
            RouteKind.Manifest when HttpMethods.IsPut(method) => "push",
            RouteKind.Manifest or RouteKind.Blob when HttpMethods.IsDelete(method) => "delete",
            RouteKind.UploadStart when HttpMethods.IsPost(method) => "push",
            RouteKind.Upload when HttpMethods.IsPatch(method) || HttpMethods.IsPut(method) ||
                HttpMethods.IsGet(method) || HttpMethods.IsDelete(method) => "push",
            RouteKind.AcrCatalog when read => "",
            RouteKind.AcrTags or RouteKind.AcrManifests when read => "metadata_read",
            RouteKind.AcrRepository or RouteKind.AcrTag or RouteKind.AcrManifest => MetadataAction(method),
            _ => null,
        };

        needed = null;
        challenge = null;
        if (action is null)
        {
            return false;
        }

        if (route.Kind is RouteKind.Catalog or RouteKind.AcrCatalog)
        {
            needed = challenge = AccessScope.ForCatalog();
        }
        else if (route.Kind != RouteKind.Base)
        {
            needed = AccessScope.ForRepository(route.Repository, action);
            challenge = action == "push" ? AccessScope.ForRepository(route.Repository, "pull", "push") : needed;
        }

        return true;
    }

    private static string? MetadataAction(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? "metadata_read"
        : HttpMethods.IsPatch(method) ? "metadata_write"
        : HttpMethods.IsDelete(method) ? "delete"
        : null;
}
