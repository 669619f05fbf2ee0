using Acre.Registry;

namespace Acre.Tests.DataPlane;

public sealed class DataPlaneRouteTests
{
    [Theory]
    [InlineData("", RouteKind.Base, "", "")]
    [InlineData("_catalog", RouteKind.Catalog, "", "")]
    [InlineData("team/app/tags/list", RouteKind.Tags, "team/app", "")]
    [InlineData("a/manifests/latest", RouteKind.Manifest, "a", "latest")]
    [InlineData("a/blobs/uploads/", RouteKind.UploadStart, "a", "")]
    [InlineData("a/blobs/uploads", RouteKind.UploadStart, "a", "")]
    [InlineData("a/b/blobs/uploads/1234", RouteKind.Upload, "a/b", "1234")]
    [InlineData("a/blobs/sha256:00", RouteKind.Blob, "a", "sha256:00")]
    [InlineData("blobs/blobs/sha256:00", RouteKind.Blob, "blobs", "sha256:00")]
    [InlineData("x/manifests/y/manifests/z", RouteKind.Manifest, "x/manifests/y", "z")]
    [InlineData("a/referrers/sha256:00", RouteKind.Referrers, "a", "sha256:00")]
    [InlineData("a/other", RouteKind.Unknown, "", "")]
    public void Parse_ReadsRouteFromTheEnd(string path, RouteKind kind, string repository, string reference)
    {
        var route = DataPlaneRoute.Parse(path);

        Assert.Equal(kind, route.Kind);
        Assert.Equal(repository, route.Repository);
        Assert.Equal(reference, route.Reference);
    }
}
