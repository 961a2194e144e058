using System.Data.Common;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Analysis;
using RollbackVerifier.Model;

namespace RollbackVerifier.Sqlite;

/// <summary>
/// A throwaway SQLite database: one file in the engine's run directory. Connections are unpooled and open with
/// <c>PRAGMA foreign_keys = ON</c>, as most applications configure SQLite. Disposing deletes the file and its
/// -wal, -shm and -journal companions.
/// </summary>
public sealed class SqliteInstance : IDatabaseInstance, ICloneableDatabase
{
    private static readonly string[] CompanionSuffixes = ["", "-wal", "-shm", "-journal"];
    private readonly Action<SqliteInstance>? _onDisposed;
    private int _disposed;

    internal SqliteInstance(SqliteDialect dialect, string databaseName, string filePath, string serverVersion, Action<SqliteInstance>? onDisposed)
    {
        Dialect = dialect;
        BulkLoader = new PreparedInsertLoader(dialect);
        DatabaseName = databaseName;
        FilePath = filePath;
        ServerVersion = serverVersion;
        ConnectionString = BuildConnectionString(filePath, SqliteOpenMode.ReadWrite);
        _onDisposed = onDisposed;
        ConnectionDetails = ForCommands(filePath);
    }

    public EngineKind Kind => EngineKind.Sqlite;

    public IDialect Dialect { get; }

    /// <summary>One prepared INSERT per row inside one transaction: SQLite's fastest path (in process, no network).</summary>
    public IBulkLoader BulkLoader { get; }

    public string ServerVersion { get; }

    public string DatabaseName { get; }

    /// <summary>The database file.</summary>
    public string FilePath { get; }

    /// <summary>The connection string used by <see cref="OpenConnectionAsync"/> (unpooled, foreign keys on).</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// The file as command steps reach it: <c>sqlite:///</c> followed by the absolute path (SQLAlchemy and
    /// dj-database-url spell an absolute path with four slashes), a Microsoft.Data.Sqlite connection string, and the
    /// path itself (RV_DB_PATH). The harness opens no connection while a command runs (connections are unpooled and
    /// closed after each use), so the command can take the file's write lock.
    /// </summary>
    public ConnectionDetails ConnectionDetails { get; }

    /// <summary>Whether connections enforce foreign keys (<c>PRAGMA foreign_keys = ON</c>); always true for now.</summary>
    public static bool ForeignKeysEnforced => true;

    internal static string BuildConnectionString(string filePath, SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = filePath,
        Mode = mode,

        // Unpooled: no idle handle keeps the file open after the instance is disposed.
        Pooling = false,
        ForeignKeys = ForeignKeysEnforced,
    }.ToString();

    private static ConnectionDetails ForCommands(string filePath)
    {
        var full = Path.GetFullPath(filePath);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = full }.ToString();
        return new ConnectionDetails(null, null, full, null, null, connectionString, "sqlite:///" + full.Replace('\\', '/')) { FilePath = full };
    }

    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await OpenSqliteConnectionAsync(cancellationToken).ConfigureAwait(false);

    public async Task<SchemaSnapshot> InspectSchemaAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenSqliteConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await SqliteInspector.InspectAsync(connection, cancellationToken).ConfigureAwait(false);
        }
    }

    public async IAsyncEnumerable<string?[]> ReadRowsAsync(Table table, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        var families = table.Columns.Select(c => c.Family).ToArray();
        var selectList = table.Columns.Count == 0 ? "1" : string.Join(", ", table.Columns.Select(c => Dialect.QuoteIdentifier(c.Name)));
        var connection = await OpenSqliteConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = $"SELECT {selectList} FROM {Dialect.QuoteName(table.Name)}";
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var row = new string?[families.Length];
                        for (var i = 0; i < families.Length; i++)
                        {
                            // GetValue follows the storage class of this value: long, double, string, byte[] or DBNull.
                            row[i] = SqliteValues.Format(reader.GetValue(i), families[i]);
                        }

                        yield return row;
                    }
                }
            }
        }
    }

    public string CloneMethod => "SQLite online backup API (a page copy into a new file)";

    /// <summary>A page-by-page copy (the backup API) into a new file next to this one; disposing it deletes the file.</summary>
    public async Task<IDatabaseInstance> CloneAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        var name = DatabaseName + "_c" + Guid.NewGuid().ToString("N")[..8];
        var path = Path.Combine(Path.GetDirectoryName(FilePath)!, name + ".db");
        try
        {
            var source = await OpenSqliteConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                var target = new SqliteConnection(BuildConnectionString(path, SqliteOpenMode.ReadWriteCreate));
                await using (target.ConfigureAwait(false))
                {
                    await target.OpenAsync(cancellationToken).ConfigureAwait(false);
                    source.BackupDatabase(target);
                }
            }
        }
        catch (Exception ex) when (ex is SqliteException or IOException or OperationCanceledException)
        {
            DeleteFiles(path);
            if (ex is OperationCanceledException)
            {
                throw;
            }

            throw new RollbackVerifierException($"Copying SQLite database {FilePath} failed: {ex.Message}", ex);
        }

        return new SqliteInstance((SqliteDialect)Dialect, name, path, ServerVersion, null);
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return ValueTask.CompletedTask;
        }

        DeleteFiles(FilePath);
        _onDisposed?.Invoke(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Deletes a database file and its companions; failures are logged, never thrown (cleanup must not mask results).</summary>
    internal static void DeleteFiles(string filePath)
    {
        using (var probe = new SqliteConnection(BuildConnectionString(filePath, SqliteOpenMode.ReadWrite)))
        {
            SqliteConnection.ClearPool(probe);
        }

        foreach (var suffix in CompanionSuffixes)
        {
            var path = filePath + suffix;
            try
            {
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Trace.TraceWarning($"RollbackVerifier: could not delete SQLite file {path}: {ex.Message}");
            }
        }
    }

    private async Task<SqliteConnection> OpenSqliteConnectionAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
