using Acre.Content;
using Microsoft.Data.Sqlite;

namespace Acre.Storage.Sqlite;

/// <summary>ACR's metadata view: repositories, tags and manifests with times, sizes, platforms and
/// attributes.</summary>
public sealed partial class SqliteMetadataStore
{
    public Task<RepositoryInfo?> GetRepositoryAsync(string registry, string repository, CancellationToken ct) =>
        ReadAsync(c => ReadRepository(c, registry, repository));

    public Task<TagInfo?> GetTagAsync(string registry, string repository, string tag, CancellationToken ct) =>
        ReadAsync(c => ReadTag(c, registry, repository, tag));

    public Task<ManifestInfo?> GetManifestInfoAsync(
        string registry, string repository, Digest digest, CancellationToken ct) =>
        ReadAsync(c => ReadManifests(c, registry, repository, "AND m.digest = $d", [("$d", digest.ToString())])
            .FirstOrDefault());

    public Task<(IReadOnlyList<TagInfo> Tags, bool HasMore)> ListTagInfoAsync(string registry, string repository,
        string? last, int limit, ListOrder order, Digest? digest, CancellationToken ct) =>
        ReadAsync<(IReadOnlyList<TagInfo>, bool)>(c =>
        {
            var (where, orderBy, args) = PageClause("t", "name", last, order,
                $"SELECT updated FROM tags WHERE registry = $r AND repository = $p AND name = $last");
            string byDigest = digest is null ? "" : "AND t.digest = $digest";
            using var command = Command(c, $"""
                SELECT t.name, t.digest, t.created, t.updated, t.{AttributeColumns.Replace(", ", ", t.",
                    StringComparison.Ordinal)}
                FROM tags t WHERE t.registry = $r AND t.repository = $p AND t.list_enabled = 1 {byDigest} {where}
                ORDER BY {orderBy} LIMIT $limit
                """, null, [("$r", registry), ("$p", repository), ("$limit", limit + 1),
                ("$digest", digest?.ToString()), .. args]);
            var tags = ReadTags(command);
            bool more = tags.Count > limit;
            return (more ? tags[..limit] : tags, more);
        });

    public Task<(IReadOnlyList<ManifestInfo> Manifests, bool HasMore)> ListManifestInfoAsync(string registry,
        string repository, string? last, int limit, ListOrder order, CancellationToken ct) =>
        ReadAsync<(IReadOnlyList<ManifestInfo>, bool)>(c =>
        {
            var (where, orderBy, args) = PageClause("m", "digest", last, order,
                "SELECT updated FROM manifests WHERE registry = $r AND repository = $p AND digest = $last");
            var manifests = ReadManifests(c, registry, repository,
                $"AND m.list_enabled = 1 {where} ORDER BY {orderBy} LIMIT $limit", [("$limit", limit + 1), .. args]);
            bool more = manifests.Count > limit;
            return (more ? manifests[..limit] : manifests, more);
        });

    public Task<RepositoryContent> GetRepositoryContentAsync(
        string registry, string repository, CancellationToken ct) =>
        ReadAsync(c =>
        {
            var manifests = ReadManifests(c, registry, repository, "ORDER BY m.digest", []);
            using var command = Command(c, $"""
                SELECT name, digest, created, updated, {AttributeColumns} FROM tags
                WHERE registry = $r AND repository = $p ORDER BY name
                """, null, ("$r", registry), ("$p", repository));
            return new RepositoryContent(manifests, ReadTags(command));
        });

    public Task<bool> DeleteTagAsync(string registry, string repository, string tag, CancellationToken ct) =>
        WriteAsync((c, t) =>
        {
            using var command = Command(c, "DELETE FROM tags WHERE registry = $r AND repository = $p AND name = $t", t,
                ("$r", registry), ("$p", repository), ("$t", tag));
            bool deleted = command.ExecuteNonQuery() > 0;
            if (deleted)
            {
                TouchRepository(c, t, registry, repository, Now());
            }

            return deleted;
        }, ct);

    public Task<(IReadOnlyList<string> Manifests, IReadOnlyList<string> Tags)?> DeleteRepositoryAsync(
        string registry, string repository, CancellationToken ct) =>
        WriteAsync<(IReadOnlyList<string>, IReadOnlyList<string>)?>((c, t) =>
        {
            var args = new (string, object?)[] { ("$r", registry), ("$p", repository) };
            var manifests = Strings(c, t,
                "DELETE FROM manifests WHERE registry = $r AND repository = $p RETURNING digest", args);
            var tags = Strings(c, t, "DELETE FROM tags WHERE registry = $r AND repository = $p RETURNING name", args);
            foreach (string table in new[] { "manifest_references", "blob_links" })
            {
                using var content = Command(c, $"DELETE FROM {table} WHERE registry = $r AND repository = $p", t, args);
                content.ExecuteNonQuery();
            }

            using var repositoryRow = Command(c, "DELETE FROM repositories WHERE registry = $r AND name = $p", t, args);
            return repositoryRow.ExecuteNonQuery() == 0 && manifests.Count == 0 ? null : (manifests, tags);
        }, ct);

    /// <summary>The WHERE and ORDER BY of a page that starts after <paramref name="last"/>, by name or by
    /// time.</summary>
    private static (string Where, string OrderBy, (string, object?)[] Args) PageClause(
        string alias, string key, string? last, ListOrder order, string lastUpdatedSql)
    {
        var args = new (string, object?)[] { ("$last", last ?? "") };
        if (order == ListOrder.Name)
        {
            return ($"AND {alias}.{key} > $last", $"{alias}.{key}", args);
        }

        string direction = order == ListOrder.TimeDescending ? "DESC" : "ASC";
        string compare = order == ListOrder.TimeDescending ? "<" : ">";
        string where = last is null
            ? ""
            : $"AND ({alias}.updated {compare} ({lastUpdatedSql}) OR " +
              $"({alias}.updated = ({lastUpdatedSql}) AND {alias}.{key} > $last))";
        return (where, $"{alias}.updated {direction}, {alias}.{key}", args);
    }

    private static RepositoryInfo? ReadRepository(SqliteConnection c, string registry, string repository)
    {
        using var command = Command(c, $"""
            SELECT r.name, r.created, r.updated,
              (SELECT COUNT(*) FROM manifests m WHERE m.registry = r.registry AND m.repository = r.name),
              (SELECT COUNT(*) FROM tags t WHERE t.registry = r.registry AND t.repository = r.name),
              {AttributeColumns}
            FROM repositories r WHERE r.registry = $r AND r.name = $p
            AND EXISTS (SELECT 1 FROM manifests m WHERE m.registry = r.registry AND m.repository = r.name)
            """, null, ("$r", registry), ("$p", repository));
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new RepositoryInfo(reader.GetString(0), Time(reader.GetInt64(1)), Time(reader.GetInt64(2)),
                reader.GetInt32(3), reader.GetInt32(4), ReadAttributes(reader, 5))
            : null;
    }

    private static TagInfo? ReadTag(SqliteConnection c, string registry, string repository, string tag)
    {
        using var command = Command(c, $"""
            SELECT name, digest, created, updated, {AttributeColumns} FROM tags
            WHERE registry = $r AND repository = $p AND name = $t
            """, null, ("$r", registry), ("$p", repository), ("$t", tag));
        return ReadTags(command).FirstOrDefault();
    }

    private static List<TagInfo> ReadTags(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var tags = new List<TagInfo>();
        while (reader.Read())
        {
            if (Digest.TryParse(reader.GetString(1), out var digest, out _))
            {
                tags.Add(new TagInfo(reader.GetString(0), digest.Value, Time(reader.GetInt64(2)),
                    Time(reader.GetInt64(3)), ReadAttributes(reader, 4)));
            }
        }

        return tags;
    }

    private static List<ManifestInfo> ReadManifests(SqliteConnection c, string registry, string repository,
        string tail, (string, object?)[] args)
    {
        using var command = Command(c, $"""
            SELECT m.digest, m.media_type, m.config_media_type, m.image_size, m.architecture, m.os, m.created,
              m.updated, m.delete_enabled, m.write_enabled, m.read_enabled, m.list_enabled, m.content,
              (SELECT group_concat(t.name, char(10)) FROM tags t
                 WHERE t.registry = m.registry AND t.repository = m.repository AND t.digest = m.digest)
            FROM manifests m WHERE m.registry = $r AND m.repository = $p {tail}
            """, null, [("$r", registry), ("$p", repository), .. args]);
        using var reader = command.ExecuteReader();
        var manifests = new List<ManifestInfo>();
        while (reader.Read())
        {
            if (!Digest.TryParse(reader.GetString(0), out var digest, out _))
            {
                continue;
            }

            string[] tags = reader.IsDBNull(13) ? [] : reader.GetString(13).Split('\n');
            manifests.Add(new ManifestInfo(digest.Value, reader.GetString(1), NullableString(reader, 2),
                reader.GetInt64(3), NullableString(reader, 4), NullableString(reader, 5), Time(reader.GetInt64(6)),
                Time(reader.GetInt64(7)), [.. tags.Order(StringComparer.Ordinal)], ReadAttributes(reader, 8),
                (byte[])reader.GetValue(12)));
        }

        return manifests;
    }

    private static List<string> Strings(SqliteConnection c, SqliteTransaction t, string sql, (string, object?)[] args)
    {
        using var command = Command(c, sql, t, args);
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static string? NullableString(SqliteDataReader reader, int index) =>
        reader.IsDBNull(index) ? null : reader.GetString(index);
}
