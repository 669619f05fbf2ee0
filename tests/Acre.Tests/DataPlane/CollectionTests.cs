using System.Net;
using Acre.Hosting;
using Acre.Storage;
using Acre.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Acre.Tests.DataPlane;

public sealed class CollectionTests : IAsyncLifetime
{
    private readonly AcreServerFixture _acre = new() { Configure = o => o with { CollectGrace = TimeSpan.Zero } };

    public Task InitializeAsync() => _acre.InitializeAsync();

    public Task DisposeAsync() => _acre.DisposeAsync();

    [Fact]
    public async Task Collector_RemovesUnreferencedBlobsAndIdleUploads_AndKeepsImages()
    {
        using var client = _acre.Admin();
        var pusher = new OciPusher(client);
        var loose = await pusher.PushBlobAsync("gc/app", [1, 2, 3, 4]);
        var (image, _) = await pusher.PushImageAsync("gc/app", "kept");
        using var upload = await client.PostAsync("/v2/gc/app/blobs/uploads/", null);
        var collector = _acre.Server.App.Services.GetRequiredService<BlobCollector>();
        var blobs = _acre.Server.App.Services.GetRequiredService<IBlobStore>();

        await collector.CollectAsync(CancellationToken.None);
        await Task.Delay(5);
        var second = await collector.CollectAsync(CancellationToken.None);

        Assert.Equal(1, second.Blobs);
        Assert.Null(blobs.Open(loose));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v2/gc/app/blobs/{loose}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(upload.Headers.Location)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v2/gc/app/manifests/{image}")).StatusCode);
    }

    [Fact]
    public async Task Collector_KeepsAnIdleSession_WhileAPatchStreamsIntoIt()
    {
        // Arrange
        using var client = _acre.Admin();
        var collector = _acre.Server.App.Services.GetRequiredService<BlobCollector>();
        var sessions = _acre.Server.App.Services.GetRequiredService<UploadLocks>();
        using var start = await client.PostAsync("/v2/gc/streaming/blobs/uploads/", null);
        string location = start.Headers.Location!.ToString();
        string id = location.Split('/')[^1];
        await Task.Delay(5);
        byte[] bytes = new byte[300_000];
        using var body = new GatedContent(bytes, 100_000);
        var patch = client.PatchAsync(location, body);
        await Condition.WaitAsync(() => sessions.CountUsers(id) == 1, "the PATCH holding its session");

        // Act
        var collected = await collector.CollectAsync(CancellationToken.None);
        body.Release();
        using var patched = await patch;

        // Assert
        Assert.Equal(0, collected.Uploads);
        Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
        Assert.Equal("0-299999", patched.Headers.GetValues("Range").Single());
    }
}
