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
}
