using Acre.Content;
using Microsoft.Data.Sqlite;

namespace Acre.Storage.Sqlite;

public sealed partial class SqliteMetadataStore
{
    public Task<IReadOnlyList<ManifestReference>> FindMissingAsync(
        string registry, string repository, IReadOnlyList<ManifestReference> references, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<ManifestReference>>(c =>
        {
            using var blob = Command(c,
                "SELECT 1 FROM blob_links WHERE registry = $r AND repository = $p AND digest = $d", null,
                ("$r", registry), ("$p", repository), ("$d", ""));
            using var manifest = Command(c,
                "SELECT 1 FROM manifests WHERE registry = $r AND repository = $p AND digest = $d", null,
                ("$r", registry), ("$p", repository), ("$d", ""));
            var missing = new List<ManifestReference>();
            foreach (var reference in references.Where(r => !r.IsForeign))
            {
                var command = reference.IsManifest ? manifest : blob;
                command.Parameters["$d"].Value = reference.Digest.ToString();
                if (command.ExecuteScalar() is null)
                {
                    missing.Add(reference);
                }
            }

            return missing;
        });

    public Task PutManifestAsync(ManifestWrite manifest, CancellationToken ct) =>
        WriteAsync((c, t) =>
        {
            long now = Now();
            string digest = manifest.Digest.ToString();
            TouchRepository(c, t, manifest.Registry, manifest.Repository, now);
            using (var insert = Command(c, """
                INSERT INTO manifests(registry, repository, digest, media_type, artifact_type, config_media_type,
                    subject, size, content, annotations, created, updated, image_size, architecture, os)
                VALUES ($r, $p, $d, $mt, $at, $cmt, $s, $size, $content, $a, $now, $now, $is, $arch, $os)
                ON CONFLICT DO UPDATE SET updated = $now
                """, t, ("$r", manifest.Registry), ("$p", manifest.Repository), ("$d", digest),
                ("$mt", manifest.Parsed.MediaType), ("$at", manifest.Parsed.ArtifactType),
                ("$cmt", manifest.Parsed.ConfigMediaType), ("$s", manifest.Parsed.Subject?.ToString()),
                ("$size", manifest.Content.Length), ("$content", manifest.Content.ToArray()),
                ("$a", manifest.Parsed.AnnotationsJson), ("$now", now), ("$is", manifest.ImageSize),
                ("$arch", manifest.Architecture), ("$os", manifest.Os)))
            {
                insert.ExecuteNonQuery();
            }

            InsertReferences(c, t, manifest, digest);
            if (manifest.Tag is not null)
            {
                using var tag = Command(c, """
                    INSERT INTO tags(registry, repository, name, digest, created, updated)
                    VALUES ($r, $p, $t, $d, $now, $now)
                    ON CONFLICT DO UPDATE SET digest = $d, updated = $now
                    """, t, ("$r", manifest.Registry), ("$p", manifest.Repository), ("$t", manifest.Tag),
                    ("$d", digest), ("$now", now));
                tag.ExecuteNonQuery();
            }
        }, ct);

    public Task<ManifestRecord?> GetManifestAsync(
        string registry, string repository, string reference, CancellationToken ct) =>
        ReadAsync(c =>
        {
            string sql = Digest.IsDigestShaped(reference)
                ? """
                  SELECT digest, media_type, content FROM manifests
                  WHERE registry = $r AND repository = $p AND digest = $ref
                  """
                : """
                  SELECT m.digest, m.media_type, m.content FROM tags t
                  JOIN manifests m ON m.registry = t.registry AND m.repository = t.repository AND m.digest = t.digest
                  WHERE t.registry = $r AND t.repository = $p AND t.name = $ref
                  """;
            using var command = Command(c, sql, null, ("$r", registry), ("$p", repository), ("$ref", reference));
            using var reader = command.ExecuteReader();
            if (!reader.Read() || !Digest.TryParse(reader.GetString(0), out var digest, out _))
            {
                return null;
            }

            return new ManifestRecord(digest.Value, reader.GetString(1), (byte[])reader.GetValue(2));
        });

    public Task<IReadOnlyList<string>?> DeleteManifestAsync(
        string registry, string repository, Digest digest, CancellationToken ct) =>
        WriteAsync<IReadOnlyList<string>?>((c, t) =>
        {
            var args = new (string, object?)[] { ("$r", registry), ("$p", repository), ("$d", digest.ToString()) };
            using (var delete = Command(c,
                "DELETE FROM manifests WHERE registry = $r AND repository = $p AND digest = $d", t, args))
            {
                if (delete.ExecuteNonQuery() == 0)
                {
                    return null;
                }
            }

            var tags = new List<string>();
            using (var deleteTags = Command(c,
                "DELETE FROM tags WHERE registry = $r AND repository = $p AND digest = $d RETURNING name", t, args))
            using (var reader = deleteTags.ExecuteReader())
            {
                while (reader.Read())
                {
                    tags.Add(reader.GetString(0));
                }
            }

            using (var references = Command(c,
                "DELETE FROM manifest_references WHERE registry = $r AND repository = $p AND digest = $d", t, args))
            {
                references.ExecuteNonQuery();
            }

            TouchRepository(c, t, registry, repository, Now());
            return tags;
        }, ct);

    public Task<NamePage?> ListTagsAsync(
        string registry, string repository, string? last, int limit, CancellationToken ct) =>
        ReadAsync(c =>
        {
            using (var exists = Command(c,
                "SELECT 1 FROM manifests WHERE registry = $r AND repository = $p LIMIT 1", null,
                ("$r", registry), ("$p", repository)))
            {
                if (exists.ExecuteScalar() is null)
                {
                    return null;
                }
            }

            return (NamePage?)ReadPage(c, """
                SELECT name FROM tags WHERE registry = $r AND repository = $p AND name > $last AND list_enabled = 1
                ORDER BY name LIMIT $limit
                """, limit, ("$r", registry), ("$p", repository), ("$last", last ?? ""));
        });

    public Task<NamePage> ListRepositoriesAsync(
        string registry, string? last, int limit, ListOrder order, CancellationToken ct) =>
        ReadAsync(c =>
        {
            var (where, orderBy, args) = PageClause("r", "name", last, order,
                "SELECT updated FROM repositories WHERE registry = $r AND name = $last");
            return ReadPage(c, $"""
                SELECT r.name FROM repositories r WHERE r.registry = $r AND r.list_enabled = 1 {where}
                AND EXISTS (SELECT 1 FROM manifests m WHERE m.registry = r.registry AND m.repository = r.name)
                ORDER BY {orderBy} LIMIT $limit
                """, limit, [("$r", registry), .. args]);
        });

    public Task<IReadOnlyList<ReferrerRecord>> ListReferrersAsync(
        string registry, string repository, Digest subject, string? artifactType, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<ReferrerRecord>>(c =>
        {
            using var command = Command(c, """
                SELECT digest, media_type, size, artifact_type, annotations FROM manifests
                WHERE registry = $r AND repository = $p AND subject = $s AND ($at IS NULL OR artifact_type = $at)
                ORDER BY created, digest
                """, null, ("$r", registry), ("$p", repository), ("$s", subject.ToString()), ("$at", artifactType));
            using var reader = command.ExecuteReader();
            var referrers = new List<ReferrerRecord>();
            while (reader.Read())
            {
                if (Digest.TryParse(reader.GetString(0), out var digest, out _))
                {
                    referrers.Add(new ReferrerRecord(digest.Value, reader.GetString(1), reader.GetInt64(2),
                        reader.IsDBNull(3) ? null : reader.GetString(3),
                            reader.IsDBNull(4) ? null : reader.GetString(4)));
                }
            }

            return referrers;
        });

    private static void InsertReferences(SqliteConnection c, SqliteTransaction t, ManifestWrite manifest, string digest)
    {
        using var command = Command(c, """
            INSERT OR IGNORE INTO manifest_references(registry, repository, digest, child, is_manifest)
            VALUES ($r, $p, $d, $child, $m)
            """, t, ("$r", manifest.Registry), ("$p", manifest.Repository), ("$d", digest), ("$child", ""),
            ("$m", 0));
        foreach (var reference in manifest.Parsed.References)
        {
            command.Parameters["$child"].Value = reference.Digest.ToString();
            command.Parameters["$m"].Value = reference.IsManifest ? 1 : 0;
            command.ExecuteNonQuery();
        }
    }

    private static NamePage ReadPage(SqliteConnection c, string sql, int limit, params (string, object?)[] args)
    {
        using var command = Command(c, sql, null, [.. args, ("$limit", limit + 1)]);
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        bool hasMore = names.Count > limit;
        if (hasMore)
        {
            names.RemoveAt(names.Count - 1);
        }

        return new NamePage(names, hasMore);
    }
}
