using Acre.Content;

namespace Acre.Storage.Sqlite;

public sealed partial class SqliteMetadataStore
{
    public Task<(IReadOnlyList<Digest> Blobs, int Links)> MarkUnusedBlobsAsync(
        DateTimeOffset before, CancellationToken ct) =>
        WriteAsync<(IReadOnlyList<Digest>, int)>((c, t) =>
        {
            long cutoff = before.ToUnixTimeMilliseconds();
            int links;
            using (var unlink = Command(c, """
                DELETE FROM blob_links WHERE linked < $cutoff AND NOT EXISTS (
                    SELECT 1 FROM manifest_references m WHERE m.registry = blob_links.registry
                    AND m.repository = blob_links.repository AND m.child = blob_links.digest)
                """, t, ("$cutoff", cutoff)))
            {
                links = unlink.ExecuteNonQuery();
            }

            using (var mark = Command(c, """
                UPDATE blobs SET unused_since = $now WHERE unused_since IS NULL
                AND NOT EXISTS (SELECT 1 FROM blob_links l WHERE l.digest = blobs.digest)
                """, t, ("$now", Now())))
            {
                mark.ExecuteNonQuery();
            }

            using var select = Command(c, "SELECT digest FROM blobs WHERE unused_since < $cutoff", t,
                ("$cutoff", cutoff));
            using var reader = select.ExecuteReader();
            var digests = new List<Digest>();
            while (reader.Read())
            {
                if (Digest.TryParse(reader.GetString(0), out var digest, out _))
                {
                    digests.Add(digest.Value);
                }
            }

            return (digests, links);
        }, ct);

    public Task<bool> RemoveBlobIfUnusedAsync(Digest digest, DateTimeOffset before, CancellationToken ct) =>
        WriteAsync((c, t) =>
        {
            using var command = Command(c, """
                DELETE FROM blobs WHERE digest = $d AND unused_since < $cutoff
                AND NOT EXISTS (SELECT 1 FROM blob_links l WHERE l.digest = blobs.digest)
                """, t, ("$d", digest.ToString()), ("$cutoff", before.ToUnixTimeMilliseconds()));
            return command.ExecuteNonQuery() > 0;
        }, ct);
}
