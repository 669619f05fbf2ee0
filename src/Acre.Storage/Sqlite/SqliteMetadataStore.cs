using Microsoft.Data.Sqlite;

namespace Acre.Storage.Sqlite;

/// <summary>
/// The embedded metadata store: one SQLite database in WAL mode. Reads run concurrently on pooled
/// connections; writes are serialised in-process so that no writer ever waits on SQLite's busy loop.
/// </summary>
public sealed partial class SqliteMetadataStore : IMetadataStore, IDisposable
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly bool _durable;

    /// <param name="path">The database file.</param>
    /// <param name="durable">False for throwaway stores, which skip fsync entirely.</param>
    public SqliteMetadataStore(string path, bool durable = true)
    {
        _durable = durable;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        Schema.Apply(connection);
    }

    public void Dispose()
    {
        _writeGate.Dispose();
        SqliteConnection.ClearAllPools();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, _durable ? "PRAGMA synchronous=NORMAL;" : "PRAGMA synchronous=OFF;");
        return connection;
    }

    private Task<T> ReadAsync<T>(Func<SqliteConnection, T> read)
    {
        using var connection = Open();
        return Task.FromResult(read(connection));
    }

    /// <summary>Runs <paramref name="write"/> in one immediate transaction, alone among this store's writers.</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> write, CancellationToken ct)
    {
        await _writeGate.WaitAsync(ct);
        try
        {
            using var connection = Open();
            using var transaction = connection.BeginTransaction(deferred: false);
            T result = write(connection, transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private Task WriteAsync(Action<SqliteConnection, SqliteTransaction> write, CancellationToken ct) =>
        WriteAsync((c, t) =>
        {
            write(c, t);
            return true;
        }, ct);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(
        SqliteConnection connection, string sql, SqliteTransaction? transaction, params (string, object?)[] args)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in args)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static DateTimeOffset Time(long unixMilliseconds)
        => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);
}
