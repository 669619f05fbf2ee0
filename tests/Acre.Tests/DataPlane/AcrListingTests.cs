using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Acre.Content;
using Acre.Storage;
using Acre.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Acre.Tests.DataPlane;

/// <summary><c>/acr/v1/</c> lists and manifest bodies at their edges: odd parameters and odd stored content.</summary>
public sealed class AcrListingTests(AcreServerFixture acre) : IClassFixture<AcreServerFixture>
{
    [Fact]
    public async Task PutIndex_WithAStringPlatform_IsManifestInvalid()
    {
        using var client = acre.Admin();
        var pusher = new OciPusher(client);
        var (image, bytes) = await pusher.PushImageAsync("list/platform", "v1");

        using var response = await pusher.PutManifestAsync("list/platform", "multi",
            Encoding.UTF8.GetBytes(Index(image, bytes.Length, "\"linux\"")), MediaTypes.OciIndex);

        await Errors.AssertAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Fact]
    public async Task Manifests_StoredWithOddPlatforms_AreListedWithoutThem()
    {
        // Arrange: an index stored as an older Acre accepted it, past today's checks.
        using var client = acre.Admin();
        var (image, bytes) = await new OciPusher(client).PushImageAsync("list/odd", "v1");
        byte[] index = Encoding.UTF8.GetBytes(Index(image, bytes.Length, "\"linux\"").Replace(
            "]}", ",{\"digest\":5},7,{\"digest\":\"x\",\"platform\":{\"os\":[]}}]}", StringComparison.Ordinal));
        var digest = await StoreUncheckedAsync("list/odd", index);

        // Act
        using var listed = await client.GetAsync("/acr/v1/list/odd/_manifests");
        using var single = await client.GetAsync($"/acr/v1/list/odd/_manifests/{digest}");

        // Assert
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, single.StatusCode);
        var references = (await single.Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("manifest").GetProperty("references");
        Assert.Equal([image.ToString(), "x"],
            references.EnumerateArray().Select(r => r.GetProperty("digest").GetString()));
        Assert.False(references[0].TryGetProperty("os", out _));
        Assert.Equal(JsonValueKind.Null, references[1].GetProperty("os").ValueKind);
    }

    [Theory]
    [InlineData("/acr/v1/_catalog?n=0", "repositories")]
    [InlineData("/acr/v1/list/zero/_tags?n=0", "tags")]
    [InlineData("/acr/v1/list/zero/_manifests?n=0", "manifests")]
    [InlineData("/acr/v1/list/zero/_tags?n=0&orderby=timedesc", "tags")]
    public async Task Lists_WithNZero_AreEmpty(string path, string property)
    {
        using var client = acre.Admin();
        await new OciPusher(client).PushImageAsync("list/zero", "v1");

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, body.GetProperty(property).GetArrayLength());
        Assert.False(response.Headers.Contains("Link"));
    }

    [Theory]
    [InlineData("/acr/v1/_catalog?orderby=bogus")]
    [InlineData("/acr/v1/list/order/_tags?orderby=bogus")]
    [InlineData("/acr/v1/list/order/_manifests?orderby=bogus")]
    public async Task Lists_WithAnUnknownOrder_AreRefused(string path)
    {
        using var client = acre.Admin();
        await new OciPusher(client).PushImageAsync("list/order", "v1");

        using var response = await client.GetAsync(path);

        var errors = await Errors.AssertAsync(response, HttpStatusCode.BadRequest, "UNSUPPORTED");
        Assert.Contains("orderby", errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catalog_ListsInTimeOrder_WithPaging()
    {
        // Arrange
        using var client = acre.Admin();
        var pusher = new OciPusher(client);
        foreach (string name in new[] { "list/time-c", "list/time-a", "list/time-b" })
        {
            await pusher.PushImageAsync(name, "v1", name);
            await Task.Delay(5);
        }

        // Act: other tests of this class add repositories too, so only these three are compared.
        var descending = await NamesAsync(client, "/acr/v1/_catalog?orderby=timedesc");
        var ascending = await NamesAsync(client, "/acr/v1/_catalog?orderby=timeasc");
        using var page = await client.GetAsync("/acr/v1/_catalog?orderby=timedesc&n=1&last=list/time-b");
        string link = page.Headers.GetValues("Link").Single();
        var pageBody = await page.Content.ReadFromJsonAsync<JsonElement>();
        var byName = await NamesAsync(client, "/acr/v1/_catalog?orderby=none");

        // Assert
        Assert.Equal(["list/time-b", "list/time-a", "list/time-c"], descending.Where(IsTimed));
        Assert.Equal(["list/time-c", "list/time-a", "list/time-b"], ascending.Where(IsTimed));
        Assert.Equal("list/time-a", pageBody.GetProperty("repositories").EnumerateArray().Single().GetString());
        Assert.Contains("last=list%2Ftime-a&n=1&orderby=timedesc", link, StringComparison.Ordinal);
        Assert.Equal(["list/time-a", "list/time-b", "list/time-c"], byName.Where(IsTimed));
    }

    private static bool IsTimed(string name) => name.StartsWith("list/time-", StringComparison.Ordinal);

    private async Task<Digest> StoreUncheckedAsync(string repository, byte[] content)
    {
        var metadata = acre.Server.App.Services.GetRequiredService<IMetadataStore>();
        var digest = Digest.Compute(content);
        var parsed = new ParsedManifest(MediaTypes.OciIndex, null, null, null, [], null);
        await metadata.PutManifestAsync(
            new ManifestWrite(acre.Registry, repository, digest, content, parsed, "odd"), CancellationToken.None);
        return digest;
    }

    private static string Index(Digest child, int size, string platform) => $$"""
        {"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[
         {"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{child}}","size":{{size}},"platform":{{platform}}}]}
        """;

    private static async Task<string[]> NamesAsync(HttpClient client, string path)
    {
        var body = await client.GetFromJsonAsync<JsonElement>(path);
        return [.. body.GetProperty("repositories").EnumerateArray().Select(r => r.GetString()!)];
    }
}
