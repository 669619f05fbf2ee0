using System.Text.RegularExpressions;

namespace Acre.Registry;

/// <summary>What a path under <c>/v2/</c> addresses. Repository names hold slashes, so the route is read from the end.</summary>
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

    [GeneratedRegex(
        @"^(?<name>.+?)/(?:(?<kind>tags/list)/?|(?<kind>blobs/uploads)/?(?<ref>[^/]*)|" +
        @"(?<kind>manifests|blobs|referrers)/(?<ref>[^/]+))$")]
    private static partial Regex Pattern();
}
