using System.Net;
using System.Text;
using System.Text.Json;
using Acre.Content;
using Acre.Tests.Support;

namespace Acre.Tests.DataPlane;

public sealed class ManifestTests(AcreServerFixture acre) : IClassFixture<AcreServerFixture>
{
    [Fact]
    public async Task Put_StoresBytesExactly_AndServesByTagAndDigest()
    {
        using var client = acre.Admin();
        var (digest, bytes) = await new OciPusher(client).PushImageAsync("man/exact", "v1");

        using var byTag = await client.GetAsync("/v2/man/exact/manifests/v1");
        using var byDigest = await client.GetAsync($"/v2/man/exact/manifests/{digest}");
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v2/man/exact/manifests/v1"));

        Assert.Equal(bytes, await byTag.Content.ReadAsByteArrayAsync());
        Assert.Equal(bytes, await byDigest.Content.ReadAsByteArrayAsync());
        Assert.Equal(MediaTypes.OciManifest, byTag.Content.Headers.ContentType!.MediaType);
        Assert.Equal(digest.ToString(), head.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal(bytes.Length, head.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Put_ReturnsLocationAndDigest()
    {
        using var client = acre.Admin();
        var pusher = new OciPusher(client);
        var (_, bytes) = await pusher.PushImageAsync("man/loc", "a");

        using var response = await pusher.PutManifestAsync("man/loc", "b", bytes, MediaTypes.OciManifest);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v2/man/loc/manifests/{Digest.Compute(bytes)}", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Put_WithUnknownBlobs_ListsEachMissingBlob()
    {
        using var client = acre.Admin();
        string a = Digest.Compute("a"u8).ToString();
        string b = Digest.Compute("b"u8).ToString();
        string json = $$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{a}}","size":1},
             "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{b}}","size":1},
                       {"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{a}}","size":1,
                        "urls":["https://example.invalid/foreign"]}]}
            """;

        using var response = await new OciPusher(client).PutManifestAsync(
            "man/missing", "1", Encoding.UTF8.GetBytes(json), MediaTypes.OciManifest);

        var errors = await Errors.AssertAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
        Assert.Equal([a, b], errors.Select(e => e.GetProperty("detail").GetProperty("digest").GetString()));
    }

    [Fact]
    public async Task Put_WithForeignLayer_DoesNotNeedIt()
    {
        using var client = acre.Admin();
        var pusher = new OciPusher(client);
        var config = await pusher.PushBlobAsync("man/foreign", "{}"u8.ToArray());
        string json = $$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.DockerManifest}}",
             "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"{{config}}","size":2},
             "layers":[{"mediaType":"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
               "digest":"{{Digest.Compute("win"u8)}}","size":3,"urls":["https://example.invalid/layer"]}]}
            """;

        using var response = await pusher.PutManifestAsync(
            "man/foreign", "1", Encoding.UTF8.GetBytes(json), MediaTypes.DockerManifest);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Put_ContentTypeMismatch_IsManifestInvalid()
    {
        using var client = acre.Admin();
        var pusher = new OciPusher(client);
        var (_, bytes) = await pusher.PushImageAsync("man/type", "1");

        using var response = await pusher.PutManifestAsync("man/type", "2", bytes, MediaTypes.DockerManifest);

        await Errors.AssertAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Fact]
    public async Task Put_NotJson_IsManifestInvalid()
    {
        using var client = acre.Admin();

        using var response = await new OciPusher(client).PutManifestAsync(
            "man/junk", "1", "{not json"u8.ToArray(), MediaTypes.OciManifest);

        await Errors.AssertAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Fact]
    public async Task Put_Over4MiB_Is413()
    {
        using var client = acre.Admin();
        byte[] huge = Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', 4 * 1024 * 1024) + "\"}");

        using var response = await new OciPusher(client).PutManifestAsync("man/huge", "1", huge,
            MediaTypes.OciManifest);

        await Errors.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, "MANIFEST_INVALID");
    }

    [Fact]
    public async Task Put_ByWrongDigest_IsDigestInvalid()
    {
        using var client = acre.Admin();
        var pusher = new OciPusher(client);
        var (_, bytes) = await pusher.PushImageAsync("man/bydigest", "1");

        using var response = await pusher.PutManifestAsync(
            "man/bydigest", Digest.Compute("other"u8).ToString(), bytes, MediaTypes.OciManifest);

        await Errors.AssertAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Index_NeedsItsManifests()
    {
        using var client = acre.Admin();
        var pusher = new OciPusher(client);
        var (amd, amdBytes) = await pusher.PushImageAsync("man/index", "amd", "amd");
        var arm = Digest.Compute("not pushed"u8);
        string Index(Digest second) => $$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[
             {"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{amd}}","size":{{amdBytes.Length}},
              "platform":{"architecture":"amd64","os":"linux"} },
             {"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{second}}","size":1,
              "platform":{"architecture":"arm64","os":"linux"} }]}
            """;

        using var refused = await pusher.PutManifestAsync(
            "man/index", "multi", Encoding.UTF8.GetBytes(Index(arm)), MediaTypes.OciIndex);
        using var accepted = await pusher.PutManifestAsync(
            "man/index", "multi", Encoding.UTF8.GetBytes(Index(amd)), MediaTypes.OciIndex);

        await Errors.AssertAsync(refused, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    [Fact]
    public async Task DeleteByTag_IsUnsupported405()
    {
        using var client = acre.Admin();
        await new OciPusher(client).PushImageAsync("man/deltag", "1");

        using var response = await client.DeleteAsync("/v2/man/deltag/manifests/1");

        await Errors.AssertAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/man/deltag/manifests/1")).StatusCode);
    }

    [Fact]
    public async Task DeleteByDigest_RemovesManifestAndItsTags()
    {
        using var client = acre.Admin();
        var (digest, _) = await new OciPusher(client).PushImageAsync("man/del", "1");

        using var delete = await client.DeleteAsync($"/v2/man/del/manifests/{digest}");
        using var byTag = await client.GetAsync("/v2/man/del/manifests/1");
        using var again = await client.DeleteAsync($"/v2/man/del/manifests/{digest}");

        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        await Errors.AssertAsync(byTag, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await Errors.AssertAsync(again, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Get_UnknownRepository_IsNameUnknown_UnknownTag_IsManifestUnknown()
    {
        using var client = acre.Admin();
        await new OciPusher(client).PushImageAsync("man/known", "1");

        using var repository = await client.GetAsync("/v2/man/never/manifests/1");
        using var tag = await client.GetAsync("/v2/man/known/manifests/2");

        await Errors.AssertAsync(repository, HttpStatusCode.NotFound, "NAME_UNKNOWN");
        await Errors.AssertAsync(tag, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Subject_IsAnswered_AndReferrersListIt_EvenBeforeTheSubject()
    {
        using var client = acre.Admin();
        var pusher = new OciPusher(client);
        var subject = Digest.Compute("future subject"u8).ToString();

        var (sbom, _) = await pusher.PushImageAsync("man/ref", sbomTag, "sbom", subject, "application/x-sbom");
        var (sig, _) = await pusher.PushImageAsync("man/ref", sigTag, "sig", subject, "application/x-sig");
        using var all = await client.GetAsync($"/v2/man/ref/referrers/{subject}");
        using var filtered = await client.GetAsync($"/v2/man/ref/referrers/{subject}?artifactType=application/x-sig");
        using var none = await client.GetAsync($"/v2/man/ref/referrers/{Digest.Compute("nobody"u8)}");

        Assert.Equal(MediaTypes.OciIndex, all.Content.Headers.ContentType!.MediaType);
        Assert.Equal([sbom.ToString(), sig.ToString()], await DigestsAsync(all));
        Assert.Equal([sig.ToString()], await DigestsAsync(filtered));
        Assert.Equal("artifactType", filtered.Headers.GetValues("OCI-Filters-Applied").Single());
        Assert.Empty(await DigestsAsync(none));
    }

    [Fact]
    public async Task Put_WithSubject_AnswersOciSubject()
    {
        using var client = acre.Admin();
        var pusher = new OciPusher(client);
        var (subject, _) = await pusher.PushImageAsync("man/subj", "1");
        string config = (await pusher.PushBlobAsync("man/subj", "{}"u8.ToArray())).ToString();
        string json = $$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","artifactType":"application/x-a",
             "config":{"mediaType":"{{MediaTypes.OciEmpty}}","digest":"{{config}}","size":2},"layers":[],
             "subject":{"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{subject}}","size":1} }
            """;

        using var response = await pusher.PutManifestAsync(
            "man/subj", Digest.Compute(Encoding.UTF8.GetBytes(json)).ToString(), Encoding.UTF8.GetBytes(json),
            MediaTypes.OciManifest);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(subject.ToString(), response.Headers.GetValues("OCI-Subject").Single());
    }

    private const string sbomTag = "sbom";
    private const string sigTag = "sig";

    private static async Task<string[]> DigestsAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. document.RootElement.GetProperty("manifests").EnumerateArray()
            .Select(m => m.GetProperty("digest").GetString()!)];
    }
}
