namespace Acre.Storage.Sqlite;

public sealed partial class SqliteMetadataStore
{
    public Task CreateUploadAsync(UploadRecord upload, CancellationToken ct) =>
        WriteAsync((c, t) =>
        {
            using var command = Command(c, """
                INSERT INTO uploads(id, registry, repository, offset, created, updated)
                VALUES ($id, $r, $p, $o, $c, $c)
                """, t, ("$id", upload.Id), ("$r", upload.Registry), ("$p", upload.Repository),
                ("$o", upload.Offset), ("$c", upload.Created.ToUnixTimeMilliseconds()));
            command.ExecuteNonQuery();
        }, ct);

    public Task<UploadRecord?> GetUploadAsync(string id, CancellationToken ct) =>
        ReadAsync(c =>
        {
            using var command = Command(c,
                "SELECT id, registry, repository, offset, created, updated FROM uploads WHERE id = $id", null,
                ("$id", id));
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new UploadRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                    Time(reader.GetInt64(4)), Time(reader.GetInt64(5)))
                : null;
        });

    public Task SetUploadOffsetAsync(string id, long offset, CancellationToken ct) =>
        WriteAsync((c, t) =>
        {
            using var command = Command(c, "UPDATE uploads SET offset = $o, updated = $now WHERE id = $id", t,
                ("$o", offset), ("$now", Now()), ("$id", id));
            command.ExecuteNonQuery();
        }, ct);

    public Task DeleteUploadAsync(string id, CancellationToken ct) =>
        WriteAsync((c, t) =>
        {
            using var command = Command(c, "DELETE FROM uploads WHERE id = $id", t, ("$id", id));
            command.ExecuteNonQuery();
        }, ct);

    public Task<IReadOnlyList<string>> ListStaleUploadsAsync(DateTimeOffset before, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<string>>(c =>
        {
            using var command = Command(c, "SELECT id FROM uploads WHERE updated < $b", null,
                ("$b", before.ToUnixTimeMilliseconds()));
            using var reader = command.ExecuteReader();
            var ids = new List<string>();
            while (reader.Read())
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        });
}
