using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Acre.Content;
using Acre.Tests.Support;

namespace Acre.Tests.DataPlane;

public sealed class UploadTests(AcreServerFixture acre) : IClassFixture<AcreServerFixture>
{
    [Fact]
    public async Task MonolithicPost_Creates_AndBlobReadsBack()
    {
        using var client = acre.Admin();
        byte[] bytes = RandomNumberGenerator.GetBytes(5000);

        var digest = await new OciPusher(client).PushBlobAsync("up/mono", bytes);
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/up/mono/blobs/{digest}"));
        byte[] body = await client.GetByteArrayAsync($"/v2/up/mono/blobs/{digest}");

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(5000, head.Content.Headers.ContentLength);
        Assert.Equal(digest.ToString(), head.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal(bytes, body);
    }

    [Fact]
    public async Task ChunkedUpload_OutOfOrderChunkIs416_AndSessionStaysUsable()
    {
        using var client = acre.Admin();
        byte[] bytes = RandomNumberGenerator.GetBytes(3000);

        using var start = await client.PostAsync("/v2/up/chunked/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        Assert.Equal("0-0", start.Headers.GetValues("Range").Single());
        string location = start.Headers.Location!.ToString();
        Assert.Equal(location.Split('/')[^1], start.Headers.GetValues("Docker-Upload-UUID").Single());

        using var first = await PatchAsync(client, location, bytes[..1000], 0);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("0-999", first.Headers.GetValues("Range").Single());

        using var skipped = await PatchAsync(client, location, bytes[2000..], 2000);
        await Errors.AssertAsync(skipped, HttpStatusCode.RequestedRangeNotSatisfiable, "BLOB_UPLOAD_INVALID");

        using var status = await client.GetAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal("0-999", status.Headers.GetValues("Range").Single());

        using var second = await PatchAsync(client, location, bytes[1000..2000], 1000);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);

        var digest = Digest.Compute(bytes);
        using var put = await client.PutAsync($"{location}?digest={digest}", Content(bytes[2000..], 2000));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal($"/v2/up/chunked/blobs/{digest}", put.Headers.Location!.ToString());
        Assert.Equal(bytes, await client.GetByteArrayAsync($"/v2/up/chunked/blobs/{digest}"));

        using var gone = await client.GetAsync(location);
        await Errors.AssertAsync(gone, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task StreamedPatch_WithoutContentRange_Works()
    {
        using var client = acre.Admin();
        byte[] bytes = RandomNumberGenerator.GetBytes(100_000);
        using var start = await client.PostAsync("/v2/up/stream/blobs/uploads/", null);
        string location = start.Headers.Location!.ToString();

        using var patch = await client.PatchAsync(location, new StreamContent(new MemoryStream(bytes)));
        using var put = await client.PutAsync($"{patch.Headers.Location}?digest={Digest.Compute(bytes)}", null);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    [Fact]
    public async Task Put_WithWrongDigest_IsDigestInvalid()
    {
        using var client = acre.Admin();
        using var start = await client.PostAsync("/v2/up/wrong/blobs/uploads/", null);

        using var put = await client.PutAsync(
            $"{start.Headers.Location}?digest={Digest.Compute([1])}", new ByteArrayContent([2]));

        await Errors.AssertAsync(put, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Put_AfterAWrongDigest_VerifiesTheSameBytesAgain()
    {
        // Arrange
        using var client = acre.Admin();
        byte[] bytes = RandomNumberGenerator.GetBytes(16);
        var digest = Digest.Compute(bytes);
        string retried = await UploadWithWrongDigestAsync(client, "up/retry", bytes);
        string resent = await UploadWithWrongDigestAsync(client, "up/resent", bytes);

        // Act
        using var right = await client.PutAsync($"{retried}?digest={digest}", null);
        using var doubled = await client.PutAsync($"{resent}?digest={digest}", Content(bytes, 16));
        byte[] stored = await client.GetByteArrayAsync($"/v2/up/retry/blobs/{digest}");
        using var planted = await client.GetAsync($"/v2/up/resent/blobs/{digest}");

        // Assert
        Assert.Equal(HttpStatusCode.Created, right.StatusCode);
        Assert.Equal(bytes, stored);
        await Errors.AssertAsync(doubled, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        Assert.Equal(HttpStatusCode.NotFound, planted.StatusCode);
    }

    /// <summary>Uploads the bytes in one PATCH, then PUTs a wrong digest; returns the session's location.</summary>
    private static async Task<string> UploadWithWrongDigestAsync(HttpClient client, string repository, byte[] bytes)
    {
        using var start = await client.PostAsync($"/v2/{repository}/blobs/uploads/", null);
        using var patch = await PatchAsync(client, start.Headers.Location!.ToString(), bytes, 0);
        using var wrong = await client.PutAsync($"{patch.Headers.Location}?digest={Digest.Compute([1])}", null);
        await Errors.AssertAsync(wrong, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        return patch.Headers.Location!.ToString();
    }

    [Theory]
    [InlineData("sha256:123")]
    [InlineData("md5:abc")]
    [InlineData("sha512:0000000000000000000000000000000000000000000000000000000000000000" +
        "0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task Post_WithBadDigest_IsDigestInvalid(string digest)
    {
        using var client = acre.Admin();

        using var response = await client.PostAsync($"/v2/up/bad/blobs/uploads/?digest={digest}",
            new ByteArrayContent([1]));

        await Errors.AssertAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task EmptyBlob_Uploads()
    {
        using var client = acre.Admin();

        var digest = await new OciPusher(client).PushBlobAsync("up/empty", []);
        using var get = await client.GetAsync($"/v2/up/empty/blobs/{digest}");

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(0, get.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Cancel_RemovesTheSession()
    {
        using var client = acre.Admin();
        using var start = await client.PostAsync("/v2/up/cancel/blobs/uploads/", null);

        using var cancel = await client.DeleteAsync(start.Headers.Location);
        using var again = await client.DeleteAsync(start.Headers.Location);

        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        await Errors.AssertAsync(again, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Session_BelongsToItsRepository()
    {
        using var client = acre.Admin();
        using var start = await client.PostAsync("/v2/up/mine/blobs/uploads/", null);
        string id = start.Headers.Location!.ToString().Split('/')[^1];

        using var response = await client.GetAsync($"/v2/up/theirs/blobs/uploads/{id}");

        await Errors.AssertAsync(response, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Mount_FromRepositoryHoldingTheBlob_Is201()
    {
        using var client = acre.Admin();
        var digest = await new OciPusher(client).PushBlobAsync("up/source", [1, 2, 3]);

        using var mount = await client.PostAsync($"/v2/up/target/blobs/uploads/?mount={digest}&from=up/source", null);
        using var missing = await client.PostAsync(
            $"/v2/up/target/blobs/uploads/?mount={Digest.Compute([9])}&from=up/source", null);

        Assert.Equal(HttpStatusCode.Created, mount.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v2/up/target/blobs/{digest}")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, missing.StatusCode);
    }

    [Fact]
    public async Task Mount_WithoutPullOnTheSource_OpensASession()
    {
        using var admin = acre.Admin();
        var digest = await new OciPusher(admin).PushBlobAsync("up/secret", [4, 5, 6]);
        using var tokenResponse = await admin.GetAsync("/oauth2/token?scope=repository:up/thief:pull,push");
        var token = (await tokenResponse.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>())
            .GetProperty("access_token").GetString();
        using var thief = acre.Http(auth: new AuthenticationHeaderValue("Bearer", token));

        using var mount = await thief.PostAsync($"/v2/up/thief/blobs/uploads/?mount={digest}&from=up/secret", null);
        using var read = await thief.GetAsync($"/v2/up/thief/blobs/{digest}");

        Assert.Equal(HttpStatusCode.Accepted, mount.StatusCode);
        await Errors.AssertAsync(read, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Blob_IsNotReadableFromAnotherRepository()
    {
        using var client = acre.Admin();
        var digest = await new OciPusher(client).PushBlobAsync("up/owner", [7, 7, 7]);

        using var response = await client.GetAsync($"/v2/up/stranger/blobs/{digest}");

        await Errors.AssertAsync(response, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Range_Is206_AndUnsatisfiableIs416()
    {
        using var client = acre.Admin();
        byte[] bytes = RandomNumberGenerator.GetBytes(1000);
        var digest = await new OciPusher(client).PushBlobAsync("up/range", bytes);

        var partial = new HttpRequestMessage(HttpMethod.Get, $"/v2/up/range/blobs/{digest}");
        partial.Headers.Range = new RangeHeaderValue(100, 199);
        using var ranged = await client.SendAsync(partial);
        var beyond = new HttpRequestMessage(HttpMethod.Get, $"/v2/up/range/blobs/{digest}");
        beyond.Headers.Range = new RangeHeaderValue(5000, 6000);
        using var unsatisfiable = await client.SendAsync(beyond);

        Assert.Equal(HttpStatusCode.PartialContent, ranged.StatusCode);
        Assert.Equal(bytes[100..200], await ranged.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, unsatisfiable.StatusCode);
    }

    [Theory]
    [InlineData("bytes=-10", 990, 10)]
    [InlineData("bytes=995-", 995, 5)]
    [InlineData("bytes=990-5000", 990, 10)]
    public async Task Range_SuffixAndOpenEnded_AreServed(string range, int start, int count)
    {
        using var client = acre.Admin();
        byte[] bytes = RandomNumberGenerator.GetBytes(1000);
        var digest = await new OciPusher(client).PushBlobAsync("up/ranges", bytes);
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/up/ranges/blobs/{digest}");
        request.Headers.TryAddWithoutValidation("Range", range);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(bytes[start..(start + count)], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal($"bytes {start}-{start + count - 1}/1000", response.Content.Headers.ContentRange!.ToString());
    }

    [Theory]
    [InlineData("bytes=0-9,20-29")]
    [InlineData("bytes=5-2")]
    [InlineData("bytes=abc")]
    [InlineData("items=0-9")]
    public async Task Range_ThatIsNotOneValidByteRange_IsIgnored(string range)
    {
        using var client = acre.Admin();
        byte[] bytes = RandomNumberGenerator.GetBytes(1000);
        var digest = await new OciPusher(client).PushBlobAsync("up/ignored", bytes);
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/up/ignored/blobs/{digest}");
        request.Headers.TryAddWithoutValidation("Range", range);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentRange);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("bytes=1000-")]
    [InlineData("bytes=-0")]
    public async Task Range_ThatNoByteSatisfies_Is416(string range)
    {
        using var client = acre.Admin();
        byte[] bytes = RandomNumberGenerator.GetBytes(1000);
        var digest = await new OciPusher(client).PushBlobAsync("up/unsatisfiable", bytes);
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/up/unsatisfiable/blobs/{digest}");
        request.Headers.TryAddWithoutValidation("Range", range);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("bytes */1000", response.Content.Headers.ContentRange!.ToString());
    }

    [Fact]
    public async Task DeleteBlob_Is202_ThenUnknown()
    {
        using var client = acre.Admin();
        var digest = await new OciPusher(client).PushBlobAsync("up/delete", [3, 3]);

        using var delete = await client.DeleteAsync($"/v2/up/delete/blobs/{digest}");
        using var get = await client.GetAsync($"/v2/up/delete/blobs/{digest}");
        using var again = await client.DeleteAsync($"/v2/up/delete/blobs/{digest}");

        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        await Errors.AssertAsync(get, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        await Errors.AssertAsync(again, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task InvalidName_IsNameInvalid()
    {
        using var client = acre.Admin();

        using var response = await client.PostAsync("/v2/Bad_Name/blobs/uploads/", null);

        await Errors.AssertAsync(response, HttpStatusCode.BadRequest, "NAME_INVALID");
    }

    private static Task<HttpResponseMessage> PatchAsync(HttpClient client, string location, byte[] chunk, long start)
    {
        return client.PatchAsync(location, Content(chunk, start));
    }

    private static ByteArrayContent Content(byte[] chunk, long start)
    {
        var content = new ByteArrayContent(chunk);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{start + chunk.Length - 1}");
        return content;
    }
}
