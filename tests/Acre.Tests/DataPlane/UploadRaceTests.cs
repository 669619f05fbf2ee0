using System.Net;
using System.Security.Cryptography;
using Acre.Content;
using Acre.Storage;
using Acre.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Acre.Tests.DataPlane;

/// <summary>
/// Requests that meet on one upload session. Each test holds a PATCH inside the server with a body it releases
/// itself, and lets the next request in only once the server shows it is holding or waiting for the session.
/// </summary>
public sealed class UploadRaceTests(AcreServerFixture acre) : IClassFixture<AcreServerFixture>
{
    private UploadLocks Sessions => acre.Server.App.Services.GetRequiredService<UploadLocks>();

    [Fact]
    public async Task Cancel_DuringPatch_AnswersPatchesUnknown_AndLeavesNoFile()
    {
        // Arrange
        using var client = acre.Admin();
        var (location, id) = await StartAsync(client, "race/cancel");
        using var streaming = new GatedContent(RandomNumberGenerator.GetBytes(2_000_000), 100_000);
        var streamingPatch = client.PatchAsync(location, streaming);
        await WaitForUsersAsync(id, 1);
        var waitingPatch = client.PatchAsync(location, new ByteArrayContent([1, 2, 3]));
        await WaitForUsersAsync(id, 2);

        // Act
        using var cancel = await client.DeleteAsync(location);
        streaming.Release();
        using var streamed = await streamingPatch;
        using var waited = await waitingPatch;
        using var status = await client.GetAsync(location);

        // Assert
        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        await Errors.AssertAsync(streamed, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await Errors.AssertAsync(waited, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await Errors.AssertAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        Assert.False(File.Exists(UploadFile(id)));
        Assert.Equal(0, Sessions.CountUsers(id));
    }

    [Fact]
    public async Task Patches_WithoutContentRange_AtOnce_RefuseTheLaterOne_AndKeepTheFirst()
    {
        // Arrange
        using var client = acre.Admin();
        var (location, id) = await StartAsync(client, "race/patches");
        byte[] first = RandomNumberGenerator.GetBytes(5_000_000);
        using var firstBody = new GatedContent(first, 1_000_000);
        var firstPatch = client.PatchAsync(location, firstBody);
        await WaitForUsersAsync(id, 1);
        var secondPatch = client.PatchAsync(location, new ByteArrayContent(RandomNumberGenerator.GetBytes(3_000_000)));
        await WaitForUsersAsync(id, 2);

        // Act
        firstBody.Release();
        using var accepted = await firstPatch;
        using var refused = await secondPatch;
        using var put = await client.PutAsync($"{location}?digest={Digest.Compute(first)}", null);

        // Assert
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("0-4999999", accepted.Headers.GetValues("Range").Single());
        await Errors.AssertAsync(refused, HttpStatusCode.RequestedRangeNotSatisfiable, "BLOB_UPLOAD_INVALID");
        Assert.Equal("0-4999999", refused.Headers.GetValues("Range").Single());
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(first, await client.GetByteArrayAsync($"/v2/race/patches/blobs/{Digest.Compute(first)}"));
    }

    [Fact]
    public async Task Put_DuringPatch_CommitsWhatThePatchAcknowledged()
    {
        // Arrange
        using var client = acre.Admin();
        var (location, id) = await StartAsync(client, "race/put");
        byte[] bytes = RandomNumberGenerator.GetBytes(3_000_000);
        using var head = await client.PatchAsync(location, new ByteArrayContent(bytes[..1000]));
        using var tail = new GatedContent(bytes[1000..], 100_000);
        var patch = client.PatchAsync(location, tail);
        await WaitForUsersAsync(id, 1);
        var put = client.PutAsync($"{location}?digest={Digest.Compute(bytes)}", null);
        await WaitForUsersAsync(id, 2);

        // Act
        tail.Release();
        using var patched = await patch;
        using var created = await put;

        // Assert
        Assert.Equal("0-2999999", patched.Headers.GetValues("Range").Single());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(bytes, await client.GetByteArrayAsync($"/v2/race/put/blobs/{Digest.Compute(bytes)}"));
    }

    [Fact]
    public async Task PutWithBody_DuringPatch_IsRefused_AndTheSessionKeepsThePatch()
    {
        // Arrange
        using var client = acre.Admin();
        var (location, id) = await StartAsync(client, "race/putbody");
        byte[] bytes = RandomNumberGenerator.GetBytes(2_000_000);
        using var body = new GatedContent(bytes, 100_000);
        var patch = client.PatchAsync(location, body);
        await WaitForUsersAsync(id, 1);
        var put = client.PutAsync($"{location}?digest={Digest.Compute([9, 9])}", new ByteArrayContent([9, 9]));
        await WaitForUsersAsync(id, 2);

        // Act
        body.Release();
        using var patched = await patch;
        using var refused = await put;
        using var status = await client.GetAsync(location);

        // Assert
        Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
        await Errors.AssertAsync(refused, HttpStatusCode.RequestedRangeNotSatisfiable, "BLOB_UPLOAD_INVALID");
        Assert.Equal("0-1999999", status.Headers.GetValues("Range").Single());
    }

    private static async Task<(string Location, string Id)> StartAsync(HttpClient client, string repository)
    {
        using var start = await client.PostAsync($"/v2/{repository}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        string location = start.Headers.Location!.ToString();
        return (location, location.Split('/')[^1]);
    }

    /// <summary>Waits until as many requests hold the session or wait for it.</summary>
    private Task WaitForUsersAsync(string id, int users) =>
        Condition.WaitAsync(() => Sessions.CountUsers(id) == users, $"{users} requests on upload {id}");

    private string UploadFile(string id) => Path.Combine(acre.Server.StorageRoot, "uploads", id);
}
