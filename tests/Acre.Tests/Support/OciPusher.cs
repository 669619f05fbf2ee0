using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Acre.Content;

namespace Acre.Tests.Support;

/// <summary>Pushes test content through the OCI routes the way clients do, checking each step.</summary>
public sealed class OciPusher(HttpClient client)
{
    public HttpClient Client => client;

    public async Task<Digest> PushBlobAsync(string repository, byte[] bytes)
    {
        var digest = Digest.Compute(bytes);
        using var response = await client.PostAsync(
            $"/v2/{repository}/blobs/uploads/?digest={digest}", new ByteArrayContent(bytes));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return digest;
    }

    /// <summary>Pushes a small image (config + one layer) and returns its manifest's digest and bytes.</summary>
    public async Task<(Digest Digest, byte[] Manifest)> PushImageAsync(
        string repository, string reference, string layerText = "layer", string? subject = null,
        string? artifactType = null)
    {
        byte[] config = Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","n":"{{layerText}}"}""");
        byte[] layer = Encoding.UTF8.GetBytes(layerText);
        var configDigest = await PushBlobAsync(repository, config);
        var layerDigest = await PushBlobAsync(repository, layer);
        string subjectJson = subject is null
            ? ""
            : $$""","subject":{"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{subject}}","size":1}""";
        string artifactJson = artifactType is null ? "" : $$""","artifactType":"{{artifactType}}" """;
        string manifest = $$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}"{{artifactJson}},
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{configDigest}}",
             "size":{{config.Length}}},
             "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{layerDigest}}",
             "size":{{layer.Length}}}]{{subjectJson}}}
            """;
        byte[] bytes = Encoding.UTF8.GetBytes(manifest);
        using var response = await PutManifestAsync(repository, reference, bytes, MediaTypes.OciManifest);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (Digest.Compute(bytes), bytes);
    }

    public Task<HttpResponseMessage> PutManifestAsync(string repository, string reference, byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return client.PutAsync($"/v2/{repository}/manifests/{reference}", content);
    }
}
