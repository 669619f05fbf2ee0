using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Acre.Tests.Support;

namespace Acre.Tests.Tasks;

/// <summary>The Tasks run operations and the blob host, driven as the CLI and the Storage SDK drive them.</summary>
public sealed class RunEndpointTests : IClassFixture<AcreServerFixture>
{
    private const string Api = "api-version=2019-06-01-preview";
    private const string BlobHost = "acreuploads.blob.azurecr.localhost";
    private readonly AcreServerFixture _acre;

    public RunEndpointTests(AcreServerFixture acre) => _acre = acre;

    [Fact]
    public async Task ScheduleRun_BuildsTheUploadedContext_AndServesItsLog()
    {
        // Arrange
        using var arm = await RegistryAsync("runsbuild");
        string registry = Arm.RegistryPath("tasks", "runsbuild");
        var upload = await PostAsync(arm, $"{registry}/listBuildSourceUploadUrl");
        var uploadUrl = new Uri(upload.GetProperty("uploadUrl").GetString()!);
        using var blobs = _acre.Https(BlobHost);
        using var put = new ByteArrayContent(Context("FROM scratch\nCOPY hello.txt /\nCMD [\"/hello.txt\"]\n"));
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        using var uploaded = await blobs.PutAsync(uploadUrl.PathAndQuery, put);

        // Act
        var run = await PostAsync(arm, $"{registry}/scheduleRun", new
        {
            type = "DockerBuildRequest",
            imageNames = new[] { "hello:{{.Run.ID}}" },
            isPushEnabled = true,
            sourceLocation = upload.GetProperty("relativePath").GetString(),
            dockerFilePath = "Dockerfile",
            platform = new { os = "linux" },
        });
        string runId = run.GetProperty("properties").GetProperty("runId").GetString()!;
        var finished = await WaitAsync(arm, $"{registry}/runs/{runId}");
        var logLink = new Uri((await PostAsync(arm, $"{registry}/runs/{runId}/listLogSasUrl"))
            .GetProperty("logLink").GetString()!);
        using var head = await blobs.SendAsync(new HttpRequestMessage(HttpMethod.Head, logLink.PathAndQuery));
        using var ranged = new HttpRequestMessage(HttpMethod.Get, logLink.PathAndQuery);
        ranged.Headers.Add("x-ms-range", "bytes=0-9");
        using var part = await blobs.SendAsync(ranged);
        using var inverted = new HttpRequestMessage(HttpMethod.Get, logLink.PathAndQuery);
        inverted.Headers.Add("x-ms-range", "bytes=5-2");
        using var invalid = await blobs.SendAsync(inverted);
        using var listed = await arm.GetAsync($"{registry}/runs?{Api}&$filter=Status eq 'Succeeded'&$top=1");

        // Assert
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        Assert.Equal("ca1", runId);
        Assert.Equal("Succeeded", finished.GetProperty("status").GetString());
        var output = finished.GetProperty("outputImages")[0];
        Assert.Equal("ca1", output.GetProperty("tag").GetString());
        Assert.Equal("Succeeded", head.Headers.GetValues("x-ms-meta-Complete").Single());
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(10, (await part.Content.ReadAsByteArrayAsync()).Length);
        string range = part.Content.Headers.GetValues("Content-Range").Single();
        Assert.StartsWith("bytes 0-9/", range, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, invalid.StatusCode);
        Assert.Equal("InvalidRange", invalid.Headers.GetValues("x-ms-error-code").Single());
        Assert.Contains("<Code>InvalidRange</Code>", await invalid.Content.ReadAsStringAsync(),
            StringComparison.Ordinal);
        var value = (await listed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value");
        Assert.Equal(1, value.GetArrayLength());
    }

    [Fact]
    public async Task UploadUrl_RefusesAChangedSignature_AndTakesBlocks()
    {
        using var arm = await RegistryAsync("runsblocks");
        var upload = await PostAsync(arm, $"{Arm.RegistryPath("tasks", "runsblocks")}/listBuildSourceUploadUrl");
        string url = new Uri(upload.GetProperty("uploadUrl").GetString()!).PathAndQuery;
        using var blobs = _acre.Https(BlobHost);

        using var forged = await blobs.PutAsync(url.Replace("sig=", "sig=0", StringComparison.Ordinal),
            BlockBlob("x"u8.ToArray()));
        using var block = await blobs.PutAsync($"{url}&comp=block&blockid=QUFB",
            new ByteArrayContent("abc"u8.ToArray()));
        using var list = await blobs.PutAsync($"{url}&comp=blocklist", new StringContent(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList><Latest>QUFB</Latest></BlockList>"));

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Created, block.StatusCode);
        Assert.Equal(HttpStatusCode.Created, list.StatusCode);
        string stored = Path.Combine(_acre.Server.StorageRoot, "tasks",
            upload.GetProperty("relativePath").GetString()!);
        Assert.Equal("abc", await File.ReadAllTextAsync(stored));
    }

    [Fact]
    public async Task ScheduleRun_RefusesAContextThatWasNotUploaded()
    {
        using var arm = await RegistryAsync("runsrefuse");

        using var response = await arm.PostAsJsonAsync($"{Arm.RegistryPath("tasks", "runsrefuse")}/scheduleRun?{Api}",
            new { type = "DockerBuildRequest", dockerFilePath = "Dockerfile", sourceLocation = "https://x/y.git" });

        await Arm.AssertErrorAsync(response, 400, "InvalidRunRequest");
    }

    private async Task<HttpClient> RegistryAsync(string name)
    {
        var client = await Arm.ClientAsync(_acre);
        (await Arm.CreateGroupAsync(client, "tasks")).Dispose();
        await Arm.CreateRegistryAsync(client, "tasks", name);
        return client;
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object? body = null)
    {
        using var response = await client.PostAsJsonAsync($"{path}?{Api}", body ?? new { });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> WaitAsync(HttpClient client, string run)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            var properties = (await client.GetFromJsonAsync<JsonElement>($"{run}?{Api}")).GetProperty("properties");
            if (properties.GetProperty("status").GetString() is "Succeeded" or "Failed")
            {
                return properties;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{run} did not finish");
    }

    private static ByteArrayContent BlockBlob(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.Add("x-ms-blob-type", "BlockBlob");
        return content;
    }

    internal static byte[] Context(string dockerfile)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip))
        {
            foreach (var (name, text) in new[] { ("Dockerfile", dockerfile), ("hello.txt", "hello\n") })
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
                });
            }
        }

        return output.ToArray();
    }
}
