using System.Text;
using Acre.Content;
using Acre.Storage;

namespace Acre.Tests.Storage;

/// <summary>The behaviour every metadata store must have; each implementation runs this suite.</summary>
public abstract class MetadataStoreContract : IDisposable
{
    protected const string Registry = "reg";

    private readonly Lazy<IMetadataStore> _store;

    protected MetadataStoreContract() => _store = new Lazy<IMetadataStore>(CreateStore);

    protected IMetadataStore Store => _store.Value;

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task EnsureRegistry_KeepsTheFirstPassword()
    {
        await Store.EnsureRegistryAsync(new RegistryRecord(Registry, true, "one", "two", DateTimeOffset.UtcNow), Ct);

        var again = await Store.EnsureRegistryAsync(
            new RegistryRecord(Registry, true, "other", "other", DateTimeOffset.UtcNow), Ct);

        Assert.Equal("one", again.AdminPassword);
    }

    [Fact]
    public async Task LinkBlob_IsPerRepository()
    {
        var digest = Digest.Compute("x"u8);

        await Store.LinkBlobAsync(Registry, "a", digest, 1, Ct);

        Assert.Equal(1, await Store.GetLinkedBlobSizeAsync(Registry, "a", digest, Ct));
        Assert.Null(await Store.GetLinkedBlobSizeAsync(Registry, "b", digest, Ct));
        Assert.Null(await Store.GetLinkedBlobSizeAsync("other", "a", digest, Ct));
    }

    [Fact]
    public async Task PutManifest_ServesByTagAndDigest_AndDeleteRemovesTags()
    {
        var (digest, content) = await PutImageAsync("app", "v1");

        var byTag = await Store.GetManifestAsync(Registry, "app", "v1", Ct);
        var byDigest = await Store.GetManifestAsync(Registry, "app", digest.ToString(), Ct);
        var tags = await Store.DeleteManifestAsync(Registry, "app", digest, Ct);

        Assert.Equal(content, byTag!.Content.ToArray());
        Assert.Equal(digest, byDigest!.Digest);
        Assert.Equal(["v1"], tags);
        Assert.Null(await Store.GetManifestAsync(Registry, "app", "v1", Ct));
    }

    [Fact]
    public async Task FindMissing_ListsUnlinkedBlobs()
    {
        var linked = Digest.Compute("a"u8);
        var absent = Digest.Compute("b"u8);
        await Store.LinkBlobAsync(Registry, "app", linked, 1, Ct);

        var missing = await Store.FindMissingAsync(Registry, "app",
            [new ManifestReference(linked, 1, false, false), new ManifestReference(absent, 1, false, false),
             new ManifestReference(Digest.Compute("c"u8), 1, false, IsForeign: true)], Ct);

        Assert.Equal(absent, Assert.Single(missing).Digest);
    }

    [Fact]
    public async Task ListTags_PagesLexically()
    {
        foreach (string tag in new[] { "b", "a", "c" })
        {
            await PutImageAsync("app", tag);
        }

        var first = await Store.ListTagsAsync(Registry, "app", null, 2, Ct);
        var second = await Store.ListTagsAsync(Registry, "app", "b", 2, Ct);

        Assert.Equal(["a", "b"], first!.Names);
        Assert.True(first.HasMore);
        Assert.Equal(["c"], second!.Names);
        Assert.False(second.HasMore);
        Assert.Null(await Store.ListTagsAsync(Registry, "nothing", null, 10, Ct));
    }

    [Fact]
    public async Task ListRepositories_ListsOnlyRepositoriesWithManifests()
    {
        await PutImageAsync("z/app", "1");
        await Store.LinkBlobAsync(Registry, "blobs-only", Digest.Compute("q"u8), 1, Ct);

        var page = await Store.ListRepositoriesAsync(Registry, null, 10, ListOrder.Name, Ct);

        Assert.Equal(["z/app"], page.Names);
    }

    [Fact]
    public async Task Uploads_KeepTheirOffset()
    {
        var now = DateTimeOffset.UtcNow;
        await Store.CreateUploadAsync(new UploadRecord("u1", Registry, "app", 0, now, now), Ct);

        await Store.SetUploadOffsetAsync("u1", 42, Ct);

        Assert.Equal(42, (await Store.GetUploadAsync("u1", Ct))!.Offset);
        Assert.Contains("u1", await Store.ListStaleUploadsAsync(now.AddDays(1), Ct));
        await Store.DeleteUploadAsync("u1", Ct);
        Assert.Null(await Store.GetUploadAsync("u1", Ct));
    }

    [Fact]
    public async Task Collection_MarksThenRemovesUnusedBlobs()
    {
        var digest = Digest.Compute("gone"u8);
        await Store.LinkBlobAsync(Registry, "app", digest, 4, Ct);
        await Store.UnlinkBlobAsync(Registry, "app", digest, Ct);

        var marked = await Store.MarkUnusedBlobsAsync(DateTimeOffset.UtcNow.AddMinutes(-1), Ct);
        var due = await Store.MarkUnusedBlobsAsync(DateTimeOffset.UtcNow.AddMinutes(1), Ct);

        Assert.Empty(marked.Blobs);
        Assert.Contains(digest, due.Blobs);
        Assert.True(await Store.RemoveBlobIfUnusedAsync(digest, DateTimeOffset.UtcNow.AddMinutes(1), Ct));
        Assert.Null(await Store.GetBlobSizeAsync(digest, Ct));
    }

    [Fact]
    public async Task Collection_KeepsBlobsThatManifestsReference()
    {
        await PutImageAsync("app", "1");

        var result = await Store.MarkUnusedBlobsAsync(DateTimeOffset.UtcNow.AddMinutes(1), Ct);

        Assert.Empty(result.Blobs);
        Assert.Equal(0, result.Links);
    }

    [Fact]
    public async Task GetRepositoryContent_IncludesHiddenItems()
    {
        var (digest, _) = await PutImageAsync("app", "v1");
        var hide = new AttributesChange(null, null, null, ListEnabled: false);
        await Store.UpdateTagAttributesAsync(Registry, "app", "v1", hide, Ct);
        await Store.UpdateManifestAttributesAsync(Registry, "app", digest, hide, Ct);

        var content = await Store.GetRepositoryContentAsync(Registry, "app", Ct);

        Assert.Equal(digest, Assert.Single(content.Manifests).Digest);
        Assert.Equal("v1", Assert.Single(content.Tags).Name);
    }

    [Fact]
    public async Task ListBlobHolderLocks_NamesTheManifestsListingTheBlob_AndTheirTags()
    {
        var (digest, _) = await PutImageAsync("app", "v1");
        await Store.UpdateTagAttributesAsync(Registry, "app", "v1", new AttributesChange(false, null, null, null), Ct);

        var holders = await Store.ListBlobHolderLocksAsync(Registry, "app", Digest.Compute("{}"u8), Ct);
        var none = await Store.ListBlobHolderLocksAsync(Registry, "app", Digest.Compute("other"u8), Ct);

        Assert.Equal(2, holders.Count);
        Assert.Single(holders, h => !h.DeleteEnabled);
        Assert.Empty(none);
        Assert.NotNull(await Store.GetManifestInfoAsync(Registry, "app", digest, Ct));
    }

    public void Dispose()
    {
        if (_store.IsValueCreated && _store.Value is IDisposable disposable)
        {
            disposable.Dispose();
        }

        DisposeResources();
        GC.SuppressFinalize(this);
    }

    protected abstract IMetadataStore CreateStore();

    protected virtual void DisposeResources()
    {
    }

    private async Task<(Digest Digest, byte[] Content)> PutImageAsync(string repository, string tag)
    {
        var config = Digest.Compute("{}"u8);
        await Store.LinkBlobAsync(Registry, repository, config, 2, Ct);
        string json = $$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{config}}","size":2},
             "layers":[],"annotations":{"tag":"{{tag}}"} }
            """;
        byte[] content = Encoding.UTF8.GetBytes(json);
        var parsed = ManifestParser.Parse(content, MediaTypes.OciManifest).Manifest!;
        var digest = Digest.Compute(content);
        await Store.PutManifestAsync(new ManifestWrite(Registry, repository, digest, content, parsed, tag), Ct);
        return (digest, content);
    }
}
