using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Acre.Content;
using Acre.Tests.Support;

namespace Acre.Tests.DataPlane;

public sealed class AcrMetadataTests(AcreServerFixture acre) : IClassFixture<AcreServerFixture>
{
    [Fact]
    public async Task Repository_HasCountsTimesAndAttributes()
    {
        using var client = acre.Admin();
        var pusher = new OciPusher(client);
        await pusher.PushImageAsync("meta/repo", "a", "one");
        await pusher.PushImageAsync("meta/repo", "b", "two");

        var repository = await client.GetFromJsonAsync<JsonElement>("/acr/v1/meta/repo");

        Assert.Equal("local.azurecr.localhost", repository.GetProperty("registry").GetString());
        Assert.Equal("meta/repo", repository.GetProperty("imageName").GetString());
        Assert.Equal(2, repository.GetProperty("manifestCount").GetInt32());
        Assert.Equal(2, repository.GetProperty("tagCount").GetInt32());
        Assert.True(repository.GetProperty("changeableAttributes").GetProperty("writeEnabled").GetBoolean());
        Assert.True(DateTimeOffset.Parse(repository.GetProperty("createdTime").GetString()!)
            > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task Tags_ListInBothTimeOrders_WithPaging()
    {
        using var client = acre.Admin();
        var pusher = new OciPusher(client);
        foreach (string tag in new[] { "first", "second", "third" })
        {
            await pusher.PushImageAsync("meta/order", tag, tag);
            await Task.Delay(5);
        }

        var descending = await TagNamesAsync(client, "/acr/v1/meta/order/_tags?orderby=timedesc");
        var ascending = await TagNamesAsync(client, "/acr/v1/meta/order/_tags?orderby=timeasc");
        using var page = await client.GetAsync("/acr/v1/meta/order/_tags?orderby=timedesc&n=2");
        string link = page.Headers.GetValues("Link").Single();
        var rest = await TagNamesAsync(client, link[1..link.IndexOf('>', StringComparison.Ordinal)]);

        Assert.Equal(["third", "second", "first"], descending);
        Assert.Equal(["first", "second", "third"], ascending);
        Assert.Equal(["first"], rest);
    }

    [Fact]
    public async Task Manifests_HavePlatformSizeTagsAndIndexReferences()
    {
        using var client = acre.Admin();
        var pusher = new OciPusher(client);
        var (image, bytes) = await pusher.PushImageAsync("meta/platform", "v1");
        string index = $$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[
             {"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{image}}","size":{{bytes.Length}},
              "platform":{"architecture":"amd64","os":"linux"} }]}
            """;
        await pusher.PutManifestAsync("meta/platform", "multi", Encoding.UTF8.GetBytes(index), MediaTypes.OciIndex);

        var manifest = (await client.GetFromJsonAsync<JsonElement>($"/acr/v1/meta/platform/_manifests/{image}"))
            .GetProperty("manifest");
        var indexDigest = Digest.Compute(Encoding.UTF8.GetBytes(index));
        var indexManifest = (await client.GetFromJsonAsync<JsonElement>(
                $"/acr/v1/meta/platform/_manifests/{indexDigest}"))
            .GetProperty("manifest");
        var listed = await client.GetFromJsonAsync<JsonElement>("/acr/v1/meta/platform/_manifests");

        Assert.Equal("amd64", manifest.GetProperty("architecture").GetString());
        Assert.Equal("linux", manifest.GetProperty("os").GetString());
        Assert.Equal(["v1"], manifest.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!));
        Assert.True(manifest.GetProperty("imageSize").GetInt64() > bytes.Length);
        Assert.Equal("application/vnd.oci.image.config.v1+json", manifest.GetProperty("configMediaType").GetString());
        Assert.Equal(image.ToString(), indexManifest.GetProperty("references")[0].GetProperty("digest").GetString());
        Assert.Equal(2, listed.GetProperty("manifests").GetArrayLength());
    }

    [Fact]
    public async Task WriteLockedTag_CannotBeOverwrittenOrDeleted_UntilUnlocked()
    {
        using var client = acre.Admin();
        var pusher = new OciPusher(client);
        var (original, _) = await pusher.PushImageAsync("meta/locked", "prod", "v1");

        await PatchAsync(client, "/acr/v1/meta/locked/_tags/prod", new { writeEnabled = false });
        var overwrite = await Assert.ThrowsAsync<Xunit.Sdk.EqualException>(
            () => pusher.PushImageAsync("meta/locked", "prod", "v2"));
        using var untag = await client.DeleteAsync("/acr/v1/meta/locked/_tags/prod");
        using var delete = await client.DeleteAsync($"/v2/meta/locked/manifests/{original}");
        var current = await client.GetFromJsonAsync<JsonElement>("/acr/v1/meta/locked/_tags/prod");
        await PatchAsync(client, "/acr/v1/meta/locked/_tags/prod", new { writeEnabled = true });
        await pusher.PushImageAsync("meta/locked", "prod", "v3");

        Assert.Contains("MethodNotAllowed", overwrite.Message, StringComparison.Ordinal);
        await Errors.AssertAsync(untag, HttpStatusCode.MethodNotAllowed, "REGISTRY_DISALLOWED_OPERATION");
        await Errors.AssertAsync(delete, HttpStatusCode.MethodNotAllowed, "REGISTRY_DISALLOWED_OPERATION");
        Assert.Equal(original.ToString(), current.GetProperty("tag").GetProperty("digest").GetString());
    }

    [Fact]
    public async Task DeleteLock_BlocksOnlyDeletion()
    {
        using var client = acre.Admin();
        var pusher = new OciPusher(client);
        var (digest, _) = await pusher.PushImageAsync("meta/nodelete", "1");

        await PatchAsync(client, $"/acr/v1/meta/nodelete/_manifests/{digest}", new { deleteEnabled = false });
        using var delete = await client.DeleteAsync($"/v2/meta/nodelete/manifests/{digest}");
        await pusher.PushImageAsync("meta/nodelete", "2", "another");

        await Errors.AssertAsync(delete, HttpStatusCode.MethodNotAllowed, "REGISTRY_DISALLOWED_OPERATION");
    }

    [Fact]
    public async Task ReadAndListLocks_BlockPullsAndHideFromListings()
    {
        using var client = acre.Admin();
        var pusher = new OciPusher(client);
        await pusher.PushImageAsync("meta/hidden", "visible", "a");
        await pusher.PushImageAsync("meta/hidden", "secret", "b");

        await PatchAsync(client, "/acr/v1/meta/hidden/_tags/secret", new { readEnabled = false, listEnabled = false });
        using var pull = await client.GetAsync("/v2/meta/hidden/manifests/secret");
        var tags = await client.GetFromJsonAsync<JsonElement>("/v2/meta/hidden/tags/list");
        await PatchAsync(client, "/acr/v1/meta/hidden", new { listEnabled = false });
        var catalog = await client.GetFromJsonAsync<JsonElement>("/acr/v1/_catalog");

        await Errors.AssertAsync(pull, HttpStatusCode.MethodNotAllowed, "REGISTRY_DISALLOWED_OPERATION");
        Assert.Equal(["visible"], tags.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!));
        Assert.DoesNotContain("meta/hidden",
            catalog.GetProperty("repositories").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task RepositoryWriteLock_AppliesToEverythingInIt()
    {
        using var client = acre.Admin();
        var pusher = new OciPusher(client);
        await pusher.PushImageAsync("meta/frozen", "1");

        await PatchAsync(client, "/acr/v1/meta/frozen", new { writeEnabled = false });
        await Assert.ThrowsAsync<Xunit.Sdk.EqualException>(() => pusher.PushImageAsync("meta/frozen", "2", "new"));
        using var delete = await client.DeleteAsync("/acr/v1/meta/frozen");

        await Errors.AssertAsync(delete, HttpStatusCode.MethodNotAllowed, "REGISTRY_DISALLOWED_OPERATION");
    }

    [Fact]
    public async Task DeleteRepository_RemovesEveryManifestAndTag()
    {
        using var client = acre.Admin();
        var pusher = new OciPusher(client);
        var (digest, _) = await pusher.PushImageAsync("meta/doomed", "x");

        using var delete = await client.DeleteAsync("/acr/v1/meta/doomed");
        var body = await delete.Content.ReadFromJsonAsync<JsonElement>();
        using var get = await client.GetAsync("/acr/v1/meta/doomed");

        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        Assert.Equal(digest.ToString(), body.GetProperty("manifestsDeleted")[0].GetString());
        Assert.Equal("x", body.GetProperty("tagsDeleted")[0].GetString());
        await Errors.AssertAsync(get, HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    [Fact]
    public async Task MetadataRoutes_NeedMetadataScopes()
    {
        using var admin = acre.Admin();
        await new OciPusher(admin).PushImageAsync("meta/scoped", "1");
        var pullToken = await admin.GetFromJsonAsync<JsonElement>("/oauth2/token?scope=repository:meta/scoped:pull");
        using var pullOnly = acre.Http(auth: new AuthenticationHeaderValue("Bearer",
            pullToken.GetProperty("access_token").GetString()));

        using var refused = await pullOnly.GetAsync("/acr/v1/meta/scoped/_tags");
        using var unknownTag = await admin.GetAsync("/acr/v1/meta/scoped/_tags/nope");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("repository:meta/scoped:metadata_read", refused.Headers.WwwAuthenticate.ToString(),
            StringComparison.Ordinal);
        await Errors.AssertAsync(unknownTag, HttpStatusCode.NotFound, "TAG_UNKNOWN");
    }

    [Fact]
    public async Task EscapedSlash_InARepositoryName_IsOneName_AsTheSdksSendIt()
    {
        using var client = acre.Admin();
        await new OciPusher(client).PushImageAsync("team/escaped", "1");

        using var metadata = await client.GetAsync("/acr/v1/team%2Fescaped/_tags");
        using var manifest = await client.GetAsync("/v2/team%2Fescaped/manifests/1");

        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
    }

    [Fact]
    public async Task AttributesPatch_WithARepeatedAttribute_Is400()
    {
        using var client = acre.Admin();
        await new OciPusher(client).PushImageAsync("meta/twice", "a");
        using var body = new StringContent("""{"writeEnabled":false,"writeEnabled":true}""", Encoding.UTF8,
            "application/json");

        using var response = await client.PatchAsync("/acr/v1/meta/twice", body);

        await Errors.AssertAsync(response, HttpStatusCode.BadRequest, "UNSUPPORTED");
    }

    private static async Task PatchAsync(HttpClient client, string path, object attributes)
    {
        using var response = await client.PatchAsJsonAsync(path, attributes);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<string[]> TagNamesAsync(HttpClient client, string path)
    {
        var body = await client.GetFromJsonAsync<JsonElement>(path);
        return [.. body.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()!)];
    }
}
