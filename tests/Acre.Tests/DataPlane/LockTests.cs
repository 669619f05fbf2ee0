using System.Net;
using System.Net.Http.Json;
using System.Text;
using Acre.Content;
using Acre.Tests.Support;

namespace Acre.Tests.DataPlane;

/// <summary>Changeable attributes on the routes that reach content without naming a tag or manifest.</summary>
public sealed class LockTests(AcreServerFixture acre) : IClassFixture<AcreServerFixture>
{
    private const string Disallowed = "REGISTRY_DISALLOWED_OPERATION";

    [Theory]
    [InlineData("manifest")]
    [InlineData("tag")]
    public async Task DeleteRepository_IsDisallowed_WhenAHiddenItemIsLocked(string item)
    {
        // Arrange
        using var client = acre.Admin();
        string repository = $"locks/hidden-{item}";
        var (digest, _) = await new OciPusher(client).PushImageAsync(repository, "v1");
        string path = item == "tag" ? $"/acr/v1/{repository}/_tags/v1" : $"/acr/v1/{repository}/_manifests/{digest}";
        await PatchAsync(client, path, new { listEnabled = false, deleteEnabled = false });

        // Act
        using var delete = await client.DeleteAsync($"/acr/v1/{repository}");
        using var pull = await client.GetAsync($"/v2/{repository}/manifests/{digest}");

        // Assert
        await Errors.AssertAsync(delete, HttpStatusCode.MethodNotAllowed, Disallowed);
        Assert.Equal(HttpStatusCode.OK, pull.StatusCode);
    }

    [Theory]
    [InlineData("deleteEnabled")]
    [InlineData("writeEnabled")]
    public async Task DeleteBlob_IsDisallowed_WhenTheRepositoryIsLocked(string attribute)
    {
        // Arrange
        using var client = acre.Admin();
        string repository = $"locks/blob-{attribute.ToLowerInvariant()}";
        await new OciPusher(client).PushImageAsync(repository, "v1", "layer-of-" + attribute);
        var layer = Digest.Compute(Encoding.UTF8.GetBytes("layer-of-" + attribute));
        await PatchAsync(client, $"/acr/v1/{repository}", new Dictionary<string, bool> { [attribute] = false });

        // Act
        using var delete = await client.DeleteAsync($"/v2/{repository}/blobs/{layer}");
        using var pull = await client.GetAsync($"/v2/{repository}/blobs/{layer}");

        // Assert
        await Errors.AssertAsync(delete, HttpStatusCode.MethodNotAllowed, Disallowed);
        Assert.Equal(HttpStatusCode.OK, pull.StatusCode);
    }

    [Fact]
    public async Task DeleteBlob_IsDisallowed_WhenALockedManifestListsIt_AndAllowedOtherwise()
    {
        // Arrange
        using var client = acre.Admin();
        var pusher = new OciPusher(client);
        var (digest, _) = await pusher.PushImageAsync("locks/held", "v1", "held-layer");
        var layer = Digest.Compute("held-layer"u8);
        var loose = await pusher.PushBlobAsync("locks/held", "loose"u8.ToArray());
        await PatchAsync(client, $"/acr/v1/locks/held/_manifests/{digest}", new { deleteEnabled = false });

        // Act
        using var held = await client.DeleteAsync($"/v2/locks/held/blobs/{layer}");
        using var free = await client.DeleteAsync($"/v2/locks/held/blobs/{loose}");

        // Assert
        await Errors.AssertAsync(held, HttpStatusCode.MethodNotAllowed, Disallowed);
        Assert.Equal(HttpStatusCode.Accepted, free.StatusCode);
    }

    [Fact]
    public async Task DeleteBlob_IsDisallowed_WhenATagOfTheManifestListingItIsLocked()
    {
        using var client = acre.Admin();
        await new OciPusher(client).PushImageAsync("locks/tagheld", "prod", "tag-held-layer");
        var layer = Digest.Compute("tag-held-layer"u8);
        await PatchAsync(client, "/acr/v1/locks/tagheld/_tags/prod", new { writeEnabled = false });

        using var delete = await client.DeleteAsync($"/v2/locks/tagheld/blobs/{layer}");

        await Errors.AssertAsync(delete, HttpStatusCode.MethodNotAllowed, Disallowed);
    }

    [Fact]
    public async Task Mount_FromAReadLockedRepository_OpensASessionInstead()
    {
        // Arrange
        using var client = acre.Admin();
        await new OciPusher(client).PushImageAsync("locks/unreadable", "v1", "unreadable-layer");
        var layer = Digest.Compute("unreadable-layer"u8);
        await PatchAsync(client, "/acr/v1/locks/unreadable", new { readEnabled = false });

        // Act
        using var mount = await client.PostAsync(
            $"/v2/locks/copy/blobs/uploads/?mount={layer}&from=locks/unreadable", null);
        using var pull = await client.GetAsync($"/v2/locks/copy/blobs/{layer}");

        // Assert
        Assert.Equal(HttpStatusCode.Accepted, mount.StatusCode);
        Assert.Contains("/v2/locks/copy/blobs/uploads/", mount.Headers.Location!.ToString(), StringComparison.Ordinal);
        await Errors.AssertAsync(pull, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Theory]
    [InlineData("repository")]
    [InlineData("manifest")]
    public async Task Referrers_AreDisallowed_WhenTheSubjectMayNotBeRead(string locked)
    {
        // Arrange
        using var client = acre.Admin();
        string repository = $"locks/referrers-{locked}";
        var (subject, _) = await new OciPusher(client).PushImageAsync(repository, "v1");
        string path = locked == "repository" ? $"/acr/v1/{repository}" : $"/acr/v1/{repository}/_manifests/{subject}";
        await PatchAsync(client, path, new { readEnabled = false });

        // Act
        using var referrers = await client.GetAsync($"/v2/{repository}/referrers/{subject}");

        // Assert
        await Errors.AssertAsync(referrers, HttpStatusCode.MethodNotAllowed, Disallowed);
    }

    private static async Task PatchAsync(HttpClient client, string path, object attributes)
    {
        using var response = await client.PatchAsJsonAsync(path, attributes);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
