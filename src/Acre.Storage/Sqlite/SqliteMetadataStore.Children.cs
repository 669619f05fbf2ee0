using Microsoft.Data.Sqlite;

namespace Acre.Storage.Sqlite;

public sealed partial class SqliteMetadataStore
{
    public Task<ChildRecord?> GetChildAsync(string registry, string kind, string name, CancellationToken ct) =>
        ReadAsync(c => ReadChildren(c, "AND name_key = $k", ("$r", registry), ("$kind", kind),
            ("$k", name.ToLowerInvariant())).FirstOrDefault());

    public Task<IReadOnlyList<ChildRecord>> ListChildrenAsync(string registry, string kind, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<ChildRecord>>(c =>
            ReadChildren(c, "ORDER BY name_key", ("$r", registry), ("$kind", kind)));

    public Task PutChildAsync(ChildRecord child, CancellationToken ct) =>
        WriteAsync((c, t) =>
        {
            using var command = Command(c, """
                INSERT INTO registry_children(registry, kind, name_key, name, body, created, updated)
                VALUES ($r, $kind, $k, $n, $b, $c, $u)
                ON CONFLICT DO UPDATE SET body = $b, updated = $u
                """, t, ("$r", child.Registry), ("$kind", child.Kind), ("$k", child.Name.ToLowerInvariant()),
                ("$n", child.Name), ("$b", child.BodyJson), ("$c", child.Created.ToUnixTimeMilliseconds()),
                ("$u", child.Updated.ToUnixTimeMilliseconds()));
            command.ExecuteNonQuery();
        }, ct);

    public Task<bool> DeleteChildAsync(string registry, string kind, string name, CancellationToken ct) =>
        WriteAsync((c, t) =>
        {
            using var command = Command(c,
                "DELETE FROM registry_children WHERE registry = $r AND kind = $kind AND name_key = $k", t,
                ("$r", registry), ("$kind", kind), ("$k", name.ToLowerInvariant()));
            bool deleted = command.ExecuteNonQuery() > 0;
            if (deleted && kind == "webhooks")
            {
                using var events = Command(c, "DELETE FROM webhook_events WHERE registry = $r AND webhook = $k", t,
                    ("$r", registry), ("$k", name.ToLowerInvariant()));
                events.ExecuteNonQuery();
            }

            return deleted;
        }, ct);

    public Task AddWebhookEventAsync(WebhookEventRecord webhookEvent, CancellationToken ct) =>
        WriteAsync((c, t) =>
        {
            using var command = Command(c, """
                INSERT INTO webhook_events(registry, webhook, id, created, body) VALUES ($r, $w, $id, $c, $b)
                """, t, ("$r", webhookEvent.Registry), ("$w", webhookEvent.Webhook.ToLowerInvariant()),
                ("$id", webhookEvent.Id), ("$c", webhookEvent.Created.ToUnixTimeMilliseconds()),
                ("$b", webhookEvent.BodyJson));
            command.ExecuteNonQuery();
        }, ct);

    public Task<IReadOnlyList<WebhookEventRecord>> ListWebhookEventsAsync(
        string registry, string webhook, int limit, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<WebhookEventRecord>>(c =>
        {
            using var command = Command(c, """
                SELECT webhook, id, created, body FROM webhook_events WHERE registry = $r AND webhook = $w
                ORDER BY created DESC, id LIMIT $limit
                """, null, ("$r", registry), ("$w", webhook.ToLowerInvariant()), ("$limit", limit));
            using var reader = command.ExecuteReader();
            var events = new List<WebhookEventRecord>();
            while (reader.Read())
            {
                events.Add(new WebhookEventRecord(registry, reader.GetString(0), reader.GetString(1),
                    Time(reader.GetInt64(2)), reader.GetString(3)));
            }

            return events;
        });

    private static List<ChildRecord> ReadChildren(SqliteConnection c, string tail, params (string, object?)[] args)
    {
        using var command = Command(c, $"""
            SELECT registry, kind, name, body, created, updated FROM registry_children
            WHERE registry = $r AND kind = $kind {tail}
            """, null, args);
        using var reader = command.ExecuteReader();
        var children = new List<ChildRecord>();
        while (reader.Read())
        {
            children.Add(new ChildRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.GetString(3), Time(reader.GetInt64(4)), Time(reader.GetInt64(5))));
        }

        return children;
    }
}
