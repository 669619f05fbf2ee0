using System.Text.RegularExpressions;

namespace Acre.Registry;

/// <summary>What a path under <c>/v2/</c> addresses. Repository names hold slashes, so the route is read from the
/// end.</summary>
public enum RouteKind
{
    Base,
    Catalog,
    Tags,
    Manifest,
    UploadStart,
    Upload,
    Blob,
    Referrers,
    AcrCatalog,
    AcrRepository,
    AcrTags,
    AcrTag,
    AcrManifests,
    AcrManifest,
    Unknown,
}

public sealed partial record DataPlaneRoute(RouteKind Kind, string Repository, string Reference)
{
    public static DataPlaneRoute Parse(string path)
    {
        if (path is "" or "/")
        {
            return new(RouteKind.Base, "", "");
        }

        if (path is "_catalog" or "_catalog/")
        {
            return new(RouteKind.Catalog, "", "");
        }

        var match = Pattern().Match(path);
        if (!match.Success)
        {
            return new(RouteKind.Unknown, "", "");
        }

        string name = match.Groups["name"].Value;
        string reference = match.Groups["ref"].Value;
        var kind = match.Groups["kind"].Value switch
        {
            "tags/list" => RouteKind.Tags,
            "manifests" => RouteKind.Manifest,
            "blobs/uploads" when reference.Length == 0 => RouteKind.UploadStart,
            "blobs/uploads" => RouteKind.Upload,
            "blobs" => RouteKind.Blob,
            "referrers" => RouteKind.Referrers,
            _ => RouteKind.Unknown,
        };
        return new(kind, name, reference);
    }

    /// <summary>Parses a path under <c>/acr/v1/</c>: the catalog, a repository, or its tags and manifests.</summary>
    public static DataPlaneRoute ParseAcr(string path)
    {
        path = path.TrimEnd('/');
        if (path == "_catalog")
        {
            return new(RouteKind.AcrCatalog, "", "");
        }

        var match = AcrPattern().Match(path);
        if (!match.Success)
        {
            return path.Length == 0 ? new(RouteKind.Unknown, "", "") : new(RouteKind.AcrRepository, path, "");
        }

        string reference = match.Groups["ref"].Value;
        var kind = (match.Groups["kind"].Value, reference.Length > 0) switch
        {
            ("_tags", false) => RouteKind.AcrTags,
            ("_tags", true) => RouteKind.AcrTag,
            ("_manifests", false) => RouteKind.AcrManifests,
            _ => RouteKind.AcrManifest,
        };
        return new(kind, match.Groups["name"].Value, reference);
    }

    [GeneratedRegex(@"^(?<name>.+?)/(?<kind>_tags|_manifests)(?:/(?<ref>[^/]+))?$")]
    private static partial Regex AcrPattern();

    [GeneratedRegex(
        @"^(?<name>.+?)/(?:(?<kind>tags/list)/?|(?<kind>blobs/uploads)/?(?<ref>[^/]*)|" +
        @"(?<kind>manifests|blobs|referrers)/(?<ref>[^/]+))$")]
    private static partial Regex Pattern();
}
