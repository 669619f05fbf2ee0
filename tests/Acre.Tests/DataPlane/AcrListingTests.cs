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
        Assert.Equal([image.ToString(), "x"], references.EnumerateArray().Select(r => r.GetProperty("digest").GetString()));
        Assert.False(references[0].TryGetProperty("os", out _));
        Assert.Equal(JsonValueKind.Null, references[1].GetProperty("os").ValueKind);
    }

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
}
