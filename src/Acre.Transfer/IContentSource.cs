using Acre.Content;

namespace Acre.Transfer;

/// <summary>Where imported content comes from: another repository of Acre's, or an upstream registry.</summary>
public interface IContentSource
{
    /// <summary>A description for messages, such as <c>127.0.0.1:5000/library/busybox</c>.</summary>
    string Name { get; }

    Task<(byte[] Content, string MediaType)> GetManifestAsync(string reference, CancellationToken ct);

    /// <summary>Whether the blob's bytes are already in Acre's store, so that linking is enough.</summary>
    bool IsLocal { get; }

    Task<Stream> OpenBlobAsync(Digest digest, CancellationToken ct);
}

/// <summary>A repository of one of Acre's own registries: its blobs are already in the store.</summary>
public sealed class LocalSource(Storage.IMetadataStore metadata, string registry, string repository) : IContentSource
{
    public string Name => $"{registry}/{repository}";

    public bool IsLocal => true;

    public async Task<(byte[] Content, string MediaType)> GetManifestAsync(string reference, CancellationToken ct)
    {
        var manifest = await metadata.GetManifestAsync(registry, repository, reference, ct)
            ?? throw new UpstreamException(404, $"manifest {Name}:{reference} was not found");
        return (manifest.Content.ToArray(), manifest.MediaType);
    }

    public Task<Stream> OpenBlobAsync(Digest digest, CancellationToken ct) =>
        throw new InvalidOperationException("local blobs are linked, not copied");
}

/// <summary>A repository of an upstream registry, pulled through an <see cref="UpstreamSession"/>.</summary>
public sealed class UpstreamSource(UpstreamSession session, string repository) : IContentSource
{
    public string Name => $"{session.LoginServer}/{repository}";

    public bool IsLocal => false;

    public Task<(byte[] Content, string MediaType)> GetManifestAsync(string reference, CancellationToken ct) =>
        session.GetManifestAsync(repository, reference, ct);

    public async Task<Stream> OpenBlobAsync(Digest digest, CancellationToken ct)
    {
        var response = await session.GetBlobAsync(repository, digest, ct);
        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(ct));
    }

    /// <summary>A body that disposes its response with it.</summary>
    private sealed class ResponseStream(HttpResponseMessage response, Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
