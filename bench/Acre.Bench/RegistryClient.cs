using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;

namespace Acre.Bench;

/// <summary>The few OCI Distribution calls the benchmark makes, streamed, against one endpoint.</summary>
public sealed class RegistryClient(Endpoint endpoint)
{
    private const int ReadBufferSize = 1024 * 1024;

    public Endpoint Endpoint { get; } = endpoint;

    public async Task<bool> BlobExistsAsync(string repository, string digest, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}", null, ct);
        return response.StatusCode == HttpStatusCode.OK;
    }

    /// <summary>POST to open a session, then one PUT carrying the whole body and its digest.</summary>
    public async Task PushMonolithicAsync(string repository, HttpContent body, string digest, CancellationToken ct)
    {
        Uri session = await StartUploadAsync(repository, ct);
        using var response = await SendAsync(HttpMethod.Put, WithDigest(session, digest), body, ct);
        Expect(response, HttpStatusCode.Created);
    }

    /// <summary>POST, PATCH chunks of <paramref name="chunkSize"/> (hashed as they go), then PUT the digest.</summary>
    public async Task<string> PushChunkedAsync(string repository, BlobData data, int chunkSize, CancellationToken ct)
    {
        Uri session = await StartUploadAsync(repository, ct);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (long offset = 0; offset < data.Size; offset += chunkSize)
        {
            long length = Math.Min(chunkSize, data.Size - offset);
            var chunk = new GeneratedContent(data, offset, length, hash);
            using var request = Request(HttpMethod.Patch, session, chunk);
            request.Content!.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + length - 1}");
            using var response = await Endpoint.Http.SendAsync(request, ct);
            Expect(response, HttpStatusCode.Accepted);
            session = Resolve(response.Headers.Location);
        }

        string digest = "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
        using var done = await SendAsync(HttpMethod.Put, WithDigest(session, digest), new ByteArrayContent([]), ct);
        Expect(done, HttpStatusCode.Created);
        return digest;
    }

    /// <summary>GETs a blob and reads it to the end; hashes it only when <paramref name="hash"/> is given.</summary>
    public Task<long> PullBlobAsync(string repository, string digest, IncrementalHash? hash, CancellationToken ct) =>
        DownloadAsync($"/v2/{repository}/blobs/{digest}", hash, ct);

    public async Task PutManifestAsync(string repository, string reference, byte[] manifest, string mediaType,
        CancellationToken ct)
    {
        var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await SendAsync(HttpMethod.Put, $"/v2/{repository}/manifests/{reference}", content, ct);
        Expect(response, HttpStatusCode.Created);
    }

    public async Task<byte[]> GetManifestAsync(string repository, string reference, string mediaType,
        CancellationToken ct)
    {
        using var request = Request(HttpMethod.Get, Resolve($"/v2/{repository}/manifests/{reference}"), null);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
        using var response = await Endpoint.Http.SendAsync(request, ct);
        Expect(response, HttpStatusCode.OK);
        return await response.Content.ReadAsByteArrayAsync(ct);
    }

    public async Task<byte[]> GetBlobBytesAsync(string repository, string digest, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/v2/{repository}/blobs/{digest}", null, ct);
        Expect(response, HttpStatusCode.OK);
        return await response.Content.ReadAsByteArrayAsync(ct);
    }

    /// <summary>Walks <c>/v2/_catalog</c> page by page along <c>Link</c>; returns the names and pages read.</summary>
    public async Task<(int Names, int Pages)> WalkCatalogAsync(int pageSize, CancellationToken ct)
    {
        string? next = $"/v2/_catalog?n={pageSize}";
        int names = 0, pages = 0;
        while (next is not null)
        {
            using var response = await SendAsync(HttpMethod.Get, next, null, ct);
            Expect(response, HttpStatusCode.OK);
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            using var json = await JsonDocument.ParseAsync(body, cancellationToken: ct);
            names += json.RootElement.GetProperty("repositories").GetArrayLength();
            pages++;
            next = NextLink(response);
        }

        return (names, pages);
    }

    /// <summary>GETs any path of an endpoint and reads it to the end in 1 MiB reads.</summary>
    public async Task<long> DownloadAsync(string path, IncrementalHash? hash, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Get, Resolve(path), null);
        using var response = await Endpoint.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        Expect(response, HttpStatusCode.OK);

        await using var body = await response.Content.ReadAsStreamAsync(ct);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        try
        {
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(0, ReadBufferSize), ct)) > 0)
            {
                hash?.AppendData(buffer, 0, read);
                total += read;
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<Uri> StartUploadAsync(string repository, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/", null, ct);
        Expect(response, HttpStatusCode.Accepted);
        return Resolve(response.Headers.Location);
    }

    private Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, HttpContent? content, CancellationToken ct) =>
        SendAsync(method, Resolve(path), content, ct);

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, Uri uri, HttpContent? content, CancellationToken ct)
    {
        using var request = Request(method, uri, content);
        return await Endpoint.Http.SendAsync(request, ct);
    }

    private HttpRequestMessage Request(HttpMethod method, Uri uri, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Headers.Authorization = Endpoint.Authorization;
        return request;
    }

    private Uri Resolve(string path) => LoopbackHttp.RequireLoopback(new Uri(Endpoint.BaseUri, path));

    private Uri Resolve(Uri? location) => location is null
        ? throw new InvalidOperationException($"{Endpoint.Name} sent no Location")
        : LoopbackHttp.RequireLoopback(new Uri(Endpoint.BaseUri, location));

    private static Uri WithDigest(Uri session, string digest) =>
        new($"{session}{(session.Query.Length > 0 ? '&' : '?')}digest={Uri.EscapeDataString(digest)}");

    /// <summary>The path of <c>Link: &lt;…&gt;; rel="next"</c>, or null on the last page.</summary>
    private static string? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        string link = values.First();
        int open = link.IndexOf('<', StringComparison.Ordinal);
        int close = link.IndexOf('>', StringComparison.Ordinal);
        return open >= 0 && close > open ? link[(open + 1)..close] : null;
    }

    private static void Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode != status)
        {
            throw new HttpRequestException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath} answered " +
                $"{(int)response.StatusCode}, expected {(int)status}", null, response.StatusCode);
        }
    }
}
