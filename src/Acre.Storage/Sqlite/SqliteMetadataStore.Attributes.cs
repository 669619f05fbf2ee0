using Acre.Content;
using Microsoft.Data.Sqlite;

namespace Acre.Storage.Sqlite;

public sealed partial class SqliteMetadataStore
{
    private const string AttributeColumns = "delete_enabled, write_enabled, read_enabled, list_enabled";

    public Task<LockState> GetLockStateAsync(
        string registry, string repository, string? tag, Digest? digest, CancellationToken ct) =>
        ReadAsync(c =>
        {
            var args = new (string, object?)[] { ("$r", registry), ("$p", repository), ("$t", tag) };
            var repositoryLocks = Attributes(c, $"SELECT {AttributeColumns} FROM repositories " +
                "WHERE registry = $r AND name = $p", args);
            ChangeableAttributes? tagLocks = null;
            string? manifest = digest?.ToString();
            if (tag is not null)
            {
                tagLocks = Attributes(c, $"SELECT {AttributeColumns} FROM tags " +
                    "WHERE registry = $r AND repository = $p AND name = $t", args);
                using var target = Command(c,
                    "SELECT digest FROM tags WHERE registry = $r AND repository = $p AND name = $t", null, args);
                manifest ??= target.ExecuteScalar() as string;
            }

            if (manifest is null || !Digest.TryParse(manifest, out var resolved, out _))
            {
                return new LockState(repositoryLocks, tagLocks, null, null, []);
            }

            var manifestArgs = new (string, object?)[] { ("$r", registry), ("$p", repository), ("$d", manifest) };
            var manifestLocks = Attributes(c, $"SELECT {AttributeColumns} FROM manifests " +
                "WHERE registry = $r AND repository = $p AND digest = $d", manifestArgs);
            var tagsOfManifest = AttributeList(c, $"SELECT {AttributeColumns} FROM tags " +
                "WHERE registry = $r AND repository = $p AND digest = $d", manifestArgs);
            return new LockState(repositoryLocks, tagLocks, resolved, manifestLocks, tagsOfManifest);
        });

    public Task<IReadOnlyList<ChangeableAttributes>> ListBlobHolderLocksAsync(
        string registry, string repository, Digest blob, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<ChangeableAttributes>>(c => AttributeList(c, $"""
            WITH holders AS (SELECT digest FROM manifest_references
              WHERE registry = $r AND repository = $p AND child = $b)
            SELECT {AttributeColumns} FROM manifests
              WHERE registry = $r AND repository = $p AND digest IN (SELECT digest FROM holders)
            UNION ALL
            SELECT {AttributeColumns} FROM tags
              WHERE registry = $r AND repository = $p AND digest IN (SELECT digest FROM holders)
            """, [("$r", registry), ("$p", repository), ("$b", blob.ToString())]));

    public Task<RepositoryInfo?> UpdateRepositoryAttributesAsync(
        string registry, string repository, AttributesChange change, CancellationToken ct) =>
        UpdateAttributesAsync("repositories", "registry = $r AND name = $p", change,
            [("$r", registry), ("$p", repository)], c => ReadRepository(c, registry, repository), ct);

    public Task<TagInfo?> UpdateTagAttributesAsync(
        string registry, string repository, string tag, AttributesChange change, CancellationToken ct) =>
        UpdateAttributesAsync("tags", "registry = $r AND repository = $p AND name = $t", change,
            [("$r", registry), ("$p", repository), ("$t", tag)], c => ReadTag(c, registry, repository, tag), ct);

    public Task<ManifestInfo?> UpdateManifestAttributesAsync(
        string registry, string repository, Digest digest, AttributesChange change, CancellationToken ct) =>
        UpdateAttributesAsync("manifests", "registry = $r AND repository = $p AND digest = $d", change,
            [("$r", registry), ("$p", repository), ("$d", digest.ToString())],
            c => ReadManifests(c, registry, repository, "AND m.digest = $d", [("$d", digest.ToString())])
                .FirstOrDefault(),
            ct);

    private async Task<T?> UpdateAttributesAsync<T>(string table, string where, AttributesChange change,
        (string, object?)[] args, Func<SqliteConnection, T?> read, CancellationToken ct)
        where T : class
    {
        bool updated = await WriteAsync((c, t) =>
        {
            using var command = Command(c, $"""
                UPDATE {table} SET
                  delete_enabled = COALESCE($de, delete_enabled), write_enabled = COALESCE($we, write_enabled),
                  read_enabled = COALESCE($re, read_enabled), list_enabled = COALESCE($le, list_enabled),
                  updated = $now
                WHERE {where}
                """, t, [.. args, ("$de", Flag(change.DeleteEnabled)), ("$we", Flag(change.WriteEnabled)),
                ("$re", Flag(change.ReadEnabled)), ("$le", Flag(change.ListEnabled)), ("$now", Now())]);
            return command.ExecuteNonQuery() > 0;
        }, ct);
        return updated ? await ReadAsync(read) : null;
    }

    private static object? Flag(bool? value) => value is null ? null : value.Value ? 1 : 0;

    private static ChangeableAttributes? Attributes(SqliteConnection c, string sql, (string, object?)[] args) =>
        AttributeList(c, sql, args).FirstOrDefault();

    private static List<ChangeableAttributes> AttributeList(SqliteConnection c, string sql, (string, object?)[] args)
    {
        using var command = Command(c, sql, null, args);
        using var reader = command.ExecuteReader();
        var list = new List<ChangeableAttributes>();
        while (reader.Read())
        {
            list.Add(ReadAttributes(reader, 0));
        }

        return list;
    }

    private static ChangeableAttributes ReadAttributes(SqliteDataReader reader, int first) => new(
        reader.GetInt64(first) != 0, reader.GetInt64(first + 1) != 0, reader.GetInt64(first + 2) != 0,
        reader.GetInt64(first + 3) != 0);
}
