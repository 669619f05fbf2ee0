using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Acre.EndToEnd.Tests.Support;

namespace Acre.EndToEnd.Tests;

/// <summary><c>kill -9</c> during a chunked upload and after pushes: what was acknowledged survives.</summary>
public sealed class CrashRecoveryTests
{
    private const int Chunk = 1024 * 1024;

    [Fact]
    public async Task KillDuringChunkedUpload_KeepsPushes_AndResumesFromAcknowledgedOffset()
    {
        using var work = new TempDirectory();
        string data = work.Sub("data");
        var acre = await AcreProcess.StartAsync(data);
        var pushed = new Dictionary<string, (string Digest, byte[] Bytes)>();
        using (var client = acre.Http())
        {
            for (int i = 0; i < 5; i++)
            {
                pushed[$"crash/app{i}"] = await PushImageAsync(client, $"crash/app{i}", $"content {i}");
            }
        }

        long total = 5L * Chunk;
        string blobDigest = "sha256:"
            + Convert.ToHexStringLower(await SHA256.HashDataAsync(new PatternStream(total, 3)));
        string location;
        using (var client = acre.Http())
        {
            using var start = await client.PostAsync("/v2/crash/big/blobs/uploads/", null);
            location = start.Headers.Location!.ToString();
            var source = new PatternStream(total, 3);
            for (int i = 0; i < 2; i++)
            {
                await PatchAsync(client, location, source, (long)i * Chunk, Chunk);
            }

            var stalled = new PatternStream(total, 3, pauseAfter: 3L * Chunk);
            await SkipAsync(stalled, 2L * Chunk);
            var inFlight = client.PatchAsync(location, new StreamContent(stalled));
            await stalled.Paused.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await acre.KillHardAsync();
            stalled.Resume();
            await Assert.ThrowsAnyAsync<Exception>(() => inFlight.WaitAsync(TimeSpan.FromSeconds(60)));
        }

        await acre.StartAsync();
        await using (acre)
        {
            using var client = acre.Http();
            foreach (var (repository, (digest, bytes)) in pushed)
            {
                using var manifest = await client.GetAsync($"/v2/{repository}/manifests/latest");
                Assert.Equal(digest, manifest.Headers.GetValues("Docker-Content-Digest").Single());
                Assert.Equal(bytes, await manifest.Content.ReadAsByteArrayAsync());
            }

            using var status = await client.GetAsync(location);
            Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
            Assert.Equal($"0-{2 * Chunk - 1}", status.Headers.GetValues("Range").Single());

            var resumed = new PatternStream(total, 3);
            await SkipAsync(resumed, 2L * Chunk);
            for (int i = 2; i < 5; i++)
            {
                await PatchAsync(client, location, resumed, (long)i * Chunk, Chunk);
            }

            using var put = await client.PutAsync($"{location}?digest={blobDigest}", null);
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }
    }

    private static async Task PatchAsync(HttpClient client, string location, Stream source, long offset, int length)
    {
        byte[] buffer = new byte[length];
        await source.ReadExactlyAsync(buffer);
        var content = new ByteArrayContent(buffer);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + length - 1}");
        using var response = await client.PatchAsync(location, content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static async Task<(string Digest, byte[] Bytes)> PushImageAsync(HttpClient client, string repository,
        string text)
    {
        byte[] config = Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","text":"{{text}}"}""");
        byte[] layer = Encoding.UTF8.GetBytes(text);
        string configDigest = await PushBlobAsync(client, repository, config);
        string layerDigest = await PushBlobAsync(client, repository, layer);
        byte[] manifest = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{configDigest}}",
             "size":{{config.Length}}},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar",
             "digest":"{{layerDigest}}","size":{{layer.Length}}}]}
            """);
        var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
        using var response = await client.PutAsync($"/v2/{repository}/manifests/latest", content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (response.Headers.GetValues("Docker-Content-Digest").Single(), manifest);
    }

    private static async Task<string> PushBlobAsync(HttpClient client, string repository, byte[] bytes)
    {
        string digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        using var response = await client.PostAsync(
            $"/v2/{repository}/blobs/uploads/?digest={digest}", new ByteArrayContent(bytes));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return digest;
    }

    private static async Task SkipAsync(Stream stream, long count)
    {
        byte[] buffer = new byte[64 * 1024];
        while (count > 0)
        {
            count -= await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)));
        }
    }
}
