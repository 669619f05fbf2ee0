using Microsoft.Data.Sqlite;

namespace Acre.Storage.Sqlite;

public sealed partial class SqliteMetadataStore
{
    private const string RegistryColumns = "name, admin_enabled, admin_password, admin_password2, created";

    public Task<RegistryRecord?> GetRegistryAsync(string name, CancellationToken ct) =>
        ReadAsync(c => ReadRegistries(c, null, $"SELECT {RegistryColumns} FROM registries WHERE name = $n",
            ("$n", name)).FirstOrDefault());

    public Task<IReadOnlyList<RegistryRecord>> ListRegistriesAsync(CancellationToken ct) =>
        ReadAsync<IReadOnlyList<RegistryRecord>>(c =>
            ReadRegistries(c, null, $"SELECT {RegistryColumns} FROM registries ORDER BY name"));

    public Task<RegistryRecord> EnsureRegistryAsync(RegistryRecord registry, CancellationToken ct) =>
        WriteAsync((c, t) =>
        {
            using (var insert = Command(c, """
                INSERT OR IGNORE INTO registries(name, admin_enabled, admin_password, admin_password2, created)
                VALUES ($n, $e, $p, $p2, $c)
                """, t, ("$n", registry.Name), ("$e", registry.AdminUserEnabled ? 1 : 0),
                ("$p", registry.AdminPassword), ("$p2", registry.AdminPassword2),
                ("$c", registry.Created.ToUnixTimeMilliseconds())))
            {
                insert.ExecuteNonQuery();
            }

            return ReadRegistries(c, t, $"SELECT {RegistryColumns} FROM registries WHERE name = $n",
                ("$n", registry.Name))[0];
        }, ct);

    public Task SetAdminPasswordAsync(string registry, string password, CancellationToken ct) =>
        WriteAsync((c, t) =>
        {
            using var update = Command(c, "UPDATE registries SET admin_password = $p WHERE name = $n", t,
                ("$p", password), ("$n", registry));
            update.ExecuteNonQuery();
        }, ct);

    private static List<RegistryRecord> ReadRegistries(
        SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string, object?)[] args)
    {
        using var command = Command(connection, sql, transaction, args);
        using var reader = command.ExecuteReader();
        var registries = new List<RegistryRecord>();
        while (reader.Read())
        {
            registries.Add(new RegistryRecord(reader.GetString(0), reader.GetInt64(1) != 0, reader.GetString(2),
                reader.GetString(3), Time(reader.GetInt64(4))));
        }

        return registries;
    }
}
