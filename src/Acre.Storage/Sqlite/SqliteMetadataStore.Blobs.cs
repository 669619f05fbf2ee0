using Acre.Content;

namespace Acre.Storage.Sqlite;

public sealed partial class SqliteMetadataStore
{
    public Task<long?> GetLinkedBlobSizeAsync(string registry, string repository, Digest digest,
        CancellationToken ct) =>
        ReadAsync(c =>
        {
            using var command = Command(c, """
                SELECT b.size FROM blob_links l JOIN blobs b ON b.digest = l.digest
                WHERE l.registry = $r AND l.repository = $p AND l.digest = $d
                """, null, ("$r", registry), ("$p", repository), ("$d", digest.ToString()));
            return command.ExecuteScalar() is long size ? size : (long?)null;
        });

    public Task<long?> GetBlobSizeAsync(Digest digest, CancellationToken ct) =>
        ReadAsync(c =>
        {
            using var command = Command(c, "SELECT size FROM blobs WHERE digest = $d", null,
                ("$d", digest.ToString()));
            return command.ExecuteScalar() is long size ? size : (long?)null;
        });

    public Task LinkBlobAsync(string registry, string repository, Digest digest, long size, CancellationToken ct) =>
        WriteAsync((c, t) =>
        {
            long now = Now();
            using (var blob = Command(c, """
                INSERT INTO blobs(digest, size, created, unused_since) VALUES ($d, $s, $now, NULL)
                ON CONFLICT(digest) DO UPDATE SET unused_since = NULL
                """, t, ("$d", digest.ToString()), ("$s", size), ("$now", now)))
            {
                blob.ExecuteNonQuery();
            }

            TouchRepository(c, t, registry, repository, now);
            using var link = Command(c, """
                INSERT INTO blob_links(registry, repository, digest, linked) VALUES ($r, $p, $d, $now)
                ON CONFLICT DO UPDATE SET linked = $now
                """, t, ("$r", registry), ("$p", repository), ("$d", digest.ToString()), ("$now", now));
            link.ExecuteNonQuery();
        }, ct);

    public Task<bool> UnlinkBlobAsync(string registry, string repository, Digest digest, CancellationToken ct) =>
        WriteAsync((c, t) =>
        {
            using var command = Command(c,
                "DELETE FROM blob_links WHERE registry = $r AND repository = $p AND digest = $d", t,
                ("$r", registry), ("$p", repository), ("$d", digest.ToString()));
            return command.ExecuteNonQuery() > 0;
        }, ct);

    public Task<bool> RepositoryExistsAsync(string registry, string repository, CancellationToken ct) =>
        ReadAsync(c =>
        {
            using var command = Command(c, "SELECT 1 FROM repositories WHERE registry = $r AND name = $p", null,
                ("$r", registry), ("$p", repository));
            return command.ExecuteScalar() is not null;
        });

    private static void TouchRepository(
        Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction,
        string registry, string repository, long now)
    {
        using var command = Command(connection, """
            INSERT INTO repositories(registry, name, created, updated) VALUES ($r, $p, $now, $now)
            ON CONFLICT DO UPDATE SET updated = $now
            """, transaction, ("$r", registry), ("$p", repository), ("$now", now));
        command.ExecuteNonQuery();
    }
}
