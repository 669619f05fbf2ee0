using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Acre.EndToEnd.Tests.Support;

namespace Acre.EndToEnd.Tests;

/// <summary>A 300 MiB blob pushed whole and in chunks and pulled back, while Acre's memory stays bounded.</summary>
public sealed class LargeBlobTests
{
    private const long Size = 300L * 1024 * 1024;
    private const int Chunk = 8 * 1024 * 1024;

    /// <summary>Acre streams blobs; its peak resident memory must stay far below the blob's size.</summary>
    private const long MemoryCeiling = 160L * 1024 * 1024;

    [Fact]
    public async Task LargeBlob_PushedWholeAndInChunks_PullsBack_WithBoundedMemory()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        using var client = acre.Http();
        string digest = await DigestOfAsync(new PatternStream(Size, 7));
        string chunkedDigest = await DigestOfAsync(new PatternStream(Size, 8));

        using var whole = await client.PostAsync($"/v2/big/blob/blobs/uploads/?digest={digest}",
            Octets(new PatternStream(Size, 7)));
        Assert.Equal(HttpStatusCode.Created, whole.StatusCode);
        await PushChunkedAsync(client, "big/chunked", chunkedDigest, new PatternStream(Size, 8));

        Assert.Equal(digest, await PullDigestAsync(client, $"/v2/big/blob/blobs/{digest}"));
        Assert.Equal(chunkedDigest, await PullDigestAsync(client, $"/v2/big/chunked/blobs/{chunkedDigest}"));
        var (peak, _) = acre.Memory();
        Assert.True(peak < MemoryCeiling, $"peak resident memory {peak >> 20} MiB is over {MemoryCeiling >> 20} MiB");
    }

    private static async Task PushChunkedAsync(HttpClient client, string repository, string digest, Stream source)
    {
        using var start = await client.PostAsync($"/v2/{repository}/blobs/uploads/", null);
        var location = start.Headers.Location!;
        byte[] buffer = new byte[Chunk];
        long offset = 0;
        int read;
        while ((read = await source.ReadAtLeastAsync(buffer, Chunk, throwOnEndOfStream: false)) > 0)
        {
            var content = new ByteArrayContent(buffer, 0, read);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + read - 1}");
            using var patch = await client.PatchAsync(location, content);
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
            location = patch.Headers.Location!;
            offset += read;
        }

        using var put = await client.PutAsync($"{location}?digest={digest}", null);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    private static async Task<string> PullDigestAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Size, response.Content.Headers.ContentLength);
        await using var body = await response.Content.ReadAsStreamAsync();
        return await DigestOfAsync(body);
    }

    private static async Task<string> DigestOfAsync(Stream stream) =>
        "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(stream));

    private static StreamContent Octets(Stream stream)
    {
        var content = new StreamContent(stream, 1024 * 1024);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.ContentLength = stream.Length;
        return content;
    }
}
