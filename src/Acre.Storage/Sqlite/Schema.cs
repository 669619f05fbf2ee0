using Microsoft.Data.Sqlite;

namespace Acre.Storage.Sqlite;

/// <summary>The tables, created on first open. Times are Unix milliseconds; names are stored as given.</summary>
internal static class Schema
{
    private const string Ddl = """
        CREATE TABLE IF NOT EXISTS registries(
            name TEXT PRIMARY KEY, admin_enabled INTEGER NOT NULL, admin_password TEXT NOT NULL,
            admin_password2 TEXT NOT NULL, created INTEGER NOT NULL, subscription_id TEXT NOT NULL DEFAULT '',
            resource_group TEXT NOT NULL DEFAULT '', display_name TEXT NOT NULL DEFAULT '',
            location TEXT NOT NULL DEFAULT '', sku TEXT NOT NULL DEFAULT 'Premium',
            anonymous_pull INTEGER NOT NULL DEFAULT 0, tags TEXT, properties TEXT, updated INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS resource_groups(
            subscription_id TEXT NOT NULL, name_key TEXT NOT NULL, name TEXT NOT NULL, location TEXT NOT NULL,
            tags TEXT, created INTEGER NOT NULL, PRIMARY KEY(subscription_id, name_key)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS repositories(
            registry TEXT NOT NULL, name TEXT NOT NULL, created INTEGER NOT NULL, updated INTEGER NOT NULL,
            delete_enabled INTEGER NOT NULL DEFAULT 1, write_enabled INTEGER NOT NULL DEFAULT 1,
            read_enabled INTEGER NOT NULL DEFAULT 1, list_enabled INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY(registry, name)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS blobs(
            digest TEXT PRIMARY KEY, size INTEGER NOT NULL, created INTEGER NOT NULL, unused_since INTEGER)
            WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS blob_links(
            registry TEXT NOT NULL, repository TEXT NOT NULL, digest TEXT NOT NULL, linked INTEGER NOT NULL,
            PRIMARY KEY(registry, repository, digest)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS blob_links_by_digest ON blob_links(digest);
        CREATE TABLE IF NOT EXISTS manifests(
            registry TEXT NOT NULL, repository TEXT NOT NULL, digest TEXT NOT NULL, media_type TEXT NOT NULL,
            artifact_type TEXT, config_media_type TEXT, subject TEXT, size INTEGER NOT NULL,
            content BLOB NOT NULL, annotations TEXT, created INTEGER NOT NULL, updated INTEGER NOT NULL,
            image_size INTEGER NOT NULL DEFAULT 0, architecture TEXT, os TEXT,
            delete_enabled INTEGER NOT NULL DEFAULT 1, write_enabled INTEGER NOT NULL DEFAULT 1,
            read_enabled INTEGER NOT NULL DEFAULT 1, list_enabled INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY(registry, repository, digest)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS manifests_by_subject ON manifests(registry, repository, subject)
            WHERE subject IS NOT NULL;
        CREATE TABLE IF NOT EXISTS manifest_references(
            registry TEXT NOT NULL, repository TEXT NOT NULL, digest TEXT NOT NULL, child TEXT NOT NULL,
            is_manifest INTEGER NOT NULL, PRIMARY KEY(registry, repository, digest, child)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS manifest_references_by_child
            ON manifest_references(registry, repository, child);
        CREATE TABLE IF NOT EXISTS tags(
            registry TEXT NOT NULL, repository TEXT NOT NULL, name TEXT NOT NULL, digest TEXT NOT NULL,
            created INTEGER NOT NULL, updated INTEGER NOT NULL,
            delete_enabled INTEGER NOT NULL DEFAULT 1, write_enabled INTEGER NOT NULL DEFAULT 1,
            read_enabled INTEGER NOT NULL DEFAULT 1, list_enabled INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY(registry, repository, name)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS tags_by_digest ON tags(registry, repository, digest);
        CREATE TABLE IF NOT EXISTS registry_children(
            registry TEXT NOT NULL, kind TEXT NOT NULL, name_key TEXT NOT NULL, name TEXT NOT NULL,
            body TEXT NOT NULL, created INTEGER NOT NULL, updated INTEGER NOT NULL,
            PRIMARY KEY(registry, kind, name_key)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS webhook_events(
            registry TEXT NOT NULL, webhook TEXT NOT NULL, id TEXT NOT NULL, created INTEGER NOT NULL,
            body TEXT NOT NULL, PRIMARY KEY(registry, webhook, created, id)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS uploads(
            id TEXT PRIMARY KEY, registry TEXT NOT NULL, repository TEXT NOT NULL, offset INTEGER NOT NULL,
            created INTEGER NOT NULL, updated INTEGER NOT NULL) WITHOUT ROWID;
        """;

    public static void Apply(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Ddl;
        command.ExecuteNonQuery();
    }
}
