using Microsoft.Data.Sqlite;

namespace Acre.Storage.Sqlite;

public sealed partial class SqliteMetadataStore
{
    public Task<ResourceGroupRecord?> GetResourceGroupAsync(string subscriptionId, string name, CancellationToken ct) =>
        ReadAsync(c => ReadGroups(c, "WHERE subscription_id = $s AND name_key = $k",
            ("$s", subscriptionId.ToLowerInvariant()), ("$k", name.ToLowerInvariant())).FirstOrDefault());

    public Task<IReadOnlyList<ResourceGroupRecord>> ListResourceGroupsAsync(string subscriptionId,
        CancellationToken ct) =>
        ReadAsync<IReadOnlyList<ResourceGroupRecord>>(c =>
            ReadGroups(c, "WHERE subscription_id = $s ORDER BY name_key", ("$s", subscriptionId.ToLowerInvariant())));

    public Task PutResourceGroupAsync(ResourceGroupRecord group, CancellationToken ct) =>
        WriteAsync((c, t) =>
        {
            using var command = Command(c, """
                INSERT INTO resource_groups(subscription_id, name_key, name, location, tags, created)
                VALUES ($s, $k, $n, $l, $t, $c)
                ON CONFLICT DO UPDATE SET tags = $t
                """, t, ("$s", group.SubscriptionId.ToLowerInvariant()), ("$k", group.Name.ToLowerInvariant()),
                ("$n", group.Name), ("$l", group.Location), ("$t", group.TagsJson),
                ("$c", group.Created.ToUnixTimeMilliseconds()));
            command.ExecuteNonQuery();
        }, ct);

    public Task<bool> DeleteResourceGroupAsync(string subscriptionId, string name, CancellationToken ct) =>
        WriteAsync((c, t) =>
        {
            using var command = Command(c, "DELETE FROM resource_groups WHERE subscription_id = $s AND name_key = $k",
                t, ("$s", subscriptionId.ToLowerInvariant()), ("$k", name.ToLowerInvariant()));
            return command.ExecuteNonQuery() > 0;
        }, ct);

    private static List<ResourceGroupRecord> ReadGroups(SqliteConnection c, string where, params (string,
        object?)[] args)
    {
        using var command = Command(c,
            $"SELECT subscription_id, name, location, tags, created FROM resource_groups {where}", null, args);
        using var reader = command.ExecuteReader();
        var groups = new List<ResourceGroupRecord>();
        while (reader.Read())
        {
            groups.Add(new ResourceGroupRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), Time(reader.GetInt64(4))));
        }

        return groups;
    }
}
