using Microsoft.Data.Sqlite;

namespace Acre.Storage.Sqlite;

public sealed partial class SqliteMetadataStore
{
    private const string RegistryColumns = """
        name, admin_enabled, admin_password, admin_password2, created, subscription_id, resource_group,
        display_name, location, sku, anonymous_pull, tags, properties, updated
        """;

    public Task<RegistryRecord?> GetRegistryAsync(string name, CancellationToken ct) =>
        ReadAsync(c => ReadRegistries(c, null, $"SELECT {RegistryColumns} FROM registries WHERE name = $n",
            ("$n", name.ToLowerInvariant())).FirstOrDefault());

    public Task<IReadOnlyList<RegistryRecord>> ListRegistriesAsync(CancellationToken ct) =>
        ReadAsync<IReadOnlyList<RegistryRecord>>(c =>
            ReadRegistries(c, null, $"SELECT {RegistryColumns} FROM registries ORDER BY name"));

    public Task<RegistryRecord> EnsureRegistryAsync(RegistryRecord registry, CancellationToken ct) =>
        WriteAsync((c, t) =>
        {
            using (var insert = Command(c, $"INSERT OR IGNORE INTO registries({RegistryColumns}) VALUES ({Values})",
                t, RegistryParameters(registry)))
            {
                insert.ExecuteNonQuery();
            }

            return ReadRegistries(c, t, $"SELECT {RegistryColumns} FROM registries WHERE name = $n",
                ("$n", registry.Name))[0];
        }, ct);

    public Task PutRegistryAsync(RegistryRecord registry, CancellationToken ct) =>
        WriteAsync((c, t) =>
        {
            using var upsert = Command(c, $"INSERT OR REPLACE INTO registries({RegistryColumns}) VALUES ({Values})", t,
                RegistryParameters(registry));
            upsert.ExecuteNonQuery();
        }, ct);

    public Task SetAdminPasswordAsync(string registry, string password, CancellationToken ct) =>
        WriteAsync((c, t) =>
        {
            using var update = Command(c, "UPDATE registries SET admin_password = $p WHERE name = $n", t,
                ("$p", password), ("$n", registry));
            update.ExecuteNonQuery();
        }, ct);

    public Task<bool> DeleteRegistryAsync(string name, CancellationToken ct) =>
        WriteAsync((c, t) =>
        {
            foreach (string table in ContentTables)
            {
                using var content = Command(c, $"DELETE FROM {table} WHERE registry = $n", t, ("$n", name));
                content.ExecuteNonQuery();
            }

            foreach (string table in new[] { "uploads", "registry_children", "webhook_events" })
            {
                using var owned = Command(c, $"DELETE FROM {table} WHERE registry = $n", t, ("$n", name));
                owned.ExecuteNonQuery();
            }

            using var registry = Command(c, "DELETE FROM registries WHERE name = $n", t, ("$n", name));
            return registry.ExecuteNonQuery() > 0;
        }, ct);

    public Task<RegistryUsage> GetRegistryUsageAsync(string name, CancellationToken ct) =>
        ReadAsync(c =>
        {
            using var command = Command(c, """
                SELECT
                  (SELECT COALESCE(SUM(b.size), 0) FROM blobs b
                     WHERE b.digest IN (SELECT DISTINCT digest FROM blob_links WHERE registry = $n)) +
                  (SELECT COALESCE(SUM(size), 0) FROM manifests WHERE registry = $n),
                  (SELECT COUNT(DISTINCT repository) FROM manifests WHERE registry = $n)
                """, null, ("$n", name));
            using var reader = command.ExecuteReader();
            reader.Read();
            return new RegistryUsage(reader.GetInt64(0), reader.GetInt32(1));
        });

    private static readonly string[] ContentTables =
        ["repositories", "blob_links", "manifests", "manifest_references", "tags"];

    private const string Values = "$n, $e, $p, $p2, $c, $sub, $rg, $dn, $loc, $sku, $anon, $tags, $props, $u";

    private static (string, object?)[] RegistryParameters(RegistryRecord r) =>
    [
        ("$n", r.Name), ("$e", r.AdminUserEnabled ? 1 : 0), ("$p", r.AdminPassword), ("$p2", r.AdminPassword2),
        ("$c", r.Created.ToUnixTimeMilliseconds()), ("$sub", r.SubscriptionId), ("$rg", r.ResourceGroup),
        ("$dn", r.DisplayName), ("$loc", r.Location), ("$sku", r.Sku), ("$anon", r.AnonymousPullEnabled ? 1 : 0),
        ("$tags", r.TagsJson), ("$props", r.PropertiesJson), ("$u", r.Updated.ToUnixTimeMilliseconds()),
    ];

    private static List<RegistryRecord> ReadRegistries(
        SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string, object?)[] args)
    {
        using var command = Command(connection, sql, transaction, args);
        using var reader = command.ExecuteReader();
        var registries = new List<RegistryRecord>();
        while (reader.Read())
        {
            string name = reader.GetString(0);
            string displayName = reader.GetString(7);
            registries.Add(new RegistryRecord(name, reader.GetInt64(1) != 0, reader.GetString(2), reader.GetString(3),
                Time(reader.GetInt64(4)))
            {
                SubscriptionId = reader.GetString(5),
                ResourceGroup = reader.GetString(6),
                DisplayName = displayName.Length > 0 ? displayName : name,
                Location = reader.GetString(8),
                Sku = reader.GetString(9),
                AnonymousPullEnabled = reader.GetInt64(10) != 0,
                TagsJson = reader.IsDBNull(11) ? null : reader.GetString(11),
                PropertiesJson = reader.IsDBNull(12) ? null : reader.GetString(12),
                Updated = Time(reader.GetInt64(13)),
            });
        }

        return registries;
    }
}
