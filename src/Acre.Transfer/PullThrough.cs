using Acre.Content;

namespace Acre.Transfer;

/// <summary>
/// A pull that misses in a repository a cache rule maps: fetch the manifest (every platform) and its blobs from the
/// upstream, store them, and let the pull be served locally, now and later.
/// </summary>
public sealed class PullThrough(CacheRules rules, UpstreamClient upstream, ContentImporter importer)
{
    /// <summary>False when no rule covers the repository; throws <see cref="UpstreamException"/> when the upstream
    /// fails.</summary>
    public async Task<bool> TryFetchAsync(string registry, string repository, string reference, CancellationToken ct)
    {
        var mapping = await rules.ResolveAsync(registry, repository, ct);
        if (mapping is not { } found)
        {
            return false;
        }

        var session = upstream.Open(found.LoginServer, found.Credentials);
        string[] tags = Digest.IsDigestShaped(reference) ? [] : [reference];
        await importer.ImportAsync(new UpstreamSource(session, found.Repository), reference,
            new ImportTarget(registry, repository, tags, "cache"), ct);
        return true;
    }
}
