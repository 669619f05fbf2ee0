using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Acre.Bench;

/// <summary>A tiny OCI image: a config blob, one layer and the manifest naming them, unique per index.</summary>
public sealed record SmallImage(string Repository, string Tag, TinyBlob Config, TinyBlob Layer, byte[] Manifest)
{
    public const string ManifestMediaType = "application/vnd.oci.image.manifest.v1+json";
    private const int LayerBytes = 1024;

    public static SmallImage Create(string repository, string tag, int index)
    {
        var config = TinyBlob.Of(Encoding.UTF8.GetBytes(
            $"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{{\"Env\":[\"IMAGE={repository}:{tag}\"]}}," +
            $"\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[]}},\"index\":{index}}}"));
        byte[] layerBytes = new byte[LayerBytes];
        new Random(index).NextBytes(layerBytes);
        Encoding.UTF8.GetBytes($"{repository}:{tag}").CopyTo(layerBytes, 0);
        var layer = TinyBlob.Of(layerBytes);
        byte[] manifest = Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{ManifestMediaType}\"," +
            $"\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\"," +
            $"\"digest\":\"{config.Digest}\",\"size\":{config.Bytes.Length}}}," +
            $"\"layers\":[{{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\"," +
            $"\"digest\":\"{layer.Digest}\",\"size\":{layer.Bytes.Length}}}]}}");
        return new SmallImage(repository, tag, config, layer, manifest);
    }

    /// <summary>As docker pushes: HEAD each blob, upload the missing ones (POST + PUT), then the manifest.</summary>
    public async Task PushAsync(RegistryClient client, CancellationToken ct)
    {
        foreach (var blob in new[] { Config, Layer })
        {
            if (!await client.BlobExistsAsync(Repository, blob.Digest, ct))
            {
                await client.PushMonolithicAsync(Repository, blob.Content(), blob.Digest, ct);
            }
        }

        await client.PutManifestAsync(Repository, Tag, Manifest, ManifestMediaType, ct);
    }

    /// <summary>GET the manifest by tag, then both blobs, checking every byte count.</summary>
    public async Task PullAsync(RegistryClient client, CancellationToken ct)
    {
        byte[] manifest = await client.GetManifestAsync(Repository, Tag, ManifestMediaType, ct);
        byte[] config = await client.GetBlobBytesAsync(Repository, Config.Digest, ct);
        byte[] layer = await client.GetBlobBytesAsync(Repository, Layer.Digest, ct);
        if (manifest.Length != Manifest.Length || config.Length != Config.Bytes.Length ||
            layer.Length != Layer.Bytes.Length)
        {
            throw new InvalidOperationException(
                $"{client.Endpoint.Name} returned wrong content for {Repository}:{Tag}");
        }
    }
}

/// <summary>A small blob kept in memory with its digest.</summary>
public sealed record TinyBlob(byte[] Bytes, string Digest)
{
    public static TinyBlob Of(byte[] bytes) => new(bytes, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)));

    public HttpContent Content()
    {
        var content = new ByteArrayContent(Bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }
}
