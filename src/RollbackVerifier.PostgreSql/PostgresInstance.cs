using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Npgsql;
using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Analysis;
using RollbackVerifier.Model;

namespace RollbackVerifier.PostgreSql;

/// <summary>
/// A throwaway PostgreSQL database. <see cref="OpenConnectionAsync"/> hands out unpooled connections with the server's
/// own session defaults, as a migration runner would get; the harness reads the catalogs and rows over a separate pool
/// whose sessions pin DateStyle, TimeZone, IntervalStyle, extra_float_digits and search_path so that canonical text
/// is stable. Disposing closes that pool and drops the database (forcing other sessions off), and removes the
/// instance's own container when it has one.
/// </summary>
public sealed class PostgresInstance : IDatabaseInstance, IObservableDatabase, ICloneableDatabase
{
    /// <summary>
    /// Session settings of the reading connections, sent in the startup packet (no extra round trip) and so taking
    /// precedence over ALTER DATABASE / ALTER ROLE settings a migration may have made. search_path is pinned because
    /// catalog renderings (format_type, regclass, view and trigger definitions) qualify names by it.
    /// </summary>
    internal const string ReadingSessionOptions =
        "-c DateStyle=ISO,YMD -c TimeZone=UTC -c IntervalStyle=iso_8601 -c extra_float_digits=1 -c search_path=public "
        + "-c bytea_output=hex -c default_transaction_read_only=on -c jit=off";

    private readonly NpgsqlDataSource _scripts;
    private readonly NpgsqlDataSource _reading;
    private readonly Func<PostgresInstance, Task> _drop;
    private readonly PostgresServer _server;
    private readonly string _runId;
    private int _disposed;

    internal PostgresInstance(PostgresDialect dialect, string databaseName, PostgresServer server, string runId, Func<PostgresInstance, Task> drop)
    {
        _server = server;
        _runId = runId;
        Dialect = dialect;
        BulkLoader = new PostgresBulkLoader(dialect);
        DatabaseName = databaseName;
        ServerVersion = server.Version;
        ContainerId = server.ContainerId;
        var connection = server.ConnectionFor(databaseName);
        connection.Pooling = false;
        ConnectionString = connection.ConnectionString;
        _scripts = NpgsqlDataSource.Create(connection);
        var reading = server.ConnectionFor(databaseName);
        reading.Options = ReadingSessionOptions;
        reading.ApplicationName = "rollbackverifier";
        _reading = NpgsqlDataSource.Create(reading);
        _drop = drop;
        ConnectionDetails = PostgresConnectionDetails.For(server.ConnectionFor(databaseName));
    }

    public EngineKind Kind => EngineKind.Postgres;

    public IDialect Dialect { get; }

    /// <summary>Binary COPY (text COPY for tables with array, timetz and other literal-only columns); see <see cref="PostgresBulkLoader"/>.</summary>
    public IBulkLoader BulkLoader { get; }

    public string ServerVersion { get; }

    public string DatabaseName { get; }

    /// <summary>Connection string of this database (unpooled, password included): for tools such as pg_dump and for tests.</summary>
    public string ConnectionString { get; }

    /// <summary>The container serving this database, or null on an existing server.</summary>
    internal string? ContainerId { get; }

    /// <summary>URL, connection string and libpq variables (PGHOST, ...) for command steps; see <see cref="PostgresConnectionDetails"/>.</summary>
    public ConnectionDetails ConnectionDetails { get; }

    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        return await _scripts.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<SchemaSnapshot> InspectSchemaAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenReadingConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await PostgresInspector.InspectAsync(connection, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <remarks>
    /// The select list follows <paramref name="table"/>'s column families (json read as jsonb, bytea hex-encoded or
    /// hashed on the server, money as numeric), so <paramref name="table"/> should describe the table as it is now, as
    /// <see cref="InspectSchemaAsync"/> returned it.
    /// </remarks>
    public async IAsyncEnumerable<string?[]> ReadRowsAsync(Table table, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        var families = table.Columns.Select(c => c.Family).ToArray();
        var selectList = string.Join(", ", table.Columns.Select(c => PostgresValues.SelectExpression(c, Dialect.QuoteIdentifier(c.Name))));
        var connection = await OpenReadingConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                // A table without columns still has rows: SELECT FROM t returns them with no fields.
                command.CommandText = $"SELECT {selectList} FROM {Dialect.QuoteName(table.Name)}";
                var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var row = new string?[families.Length];
                        for (var i = 0; i < families.Length; i++)
                        {
                            row[i] = await reader.IsDBNullAsync(i, cancellationToken).ConfigureAwait(false)
                                ? null
                                : PostgresValues.Canonical(await reader.GetFieldValueAsync<string>(i, cancellationToken).ConfigureAwait(false), families[i]);
                        }

                        yield return row;
                    }
                }
            }
        }
    }

    /// <summary>Locks per rollback statement: see <see cref="PostgresLockObserver"/>.</summary>
    public IRollbackObserver CreateObserver() => new PostgresLockObserver(this);

    public string CloneMethod => "CREATE DATABASE ... TEMPLATE (a file-level copy on the same server)";

    /// <summary>
    /// A copy made by the server itself (CREATE DATABASE ... TEMPLATE), on the same server, marked as this run's and
    /// dropped when disposed. The reading pool is emptied first: PostgreSQL refuses to copy a database with sessions.
    /// </summary>
    public async Task<IDatabaseInstance> CloneAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        var name = DatabaseNames.Create(DatabaseName[EngineSettings.DatabasePrefix.Length..], _runId, PostgresEngine.IdentifierLimit);
        _reading.Clear();
        await _server.CreateDatabaseFromTemplateAsync(name, DatabaseName, _runId, cancellationToken).ConfigureAwait(false);
        var server = _server;
        var runId = _runId;
        return new PostgresInstance((PostgresDialect)Dialect, name, server, runId, i => server.DropDatabaseAsync(i.DatabaseName, runId, CancellationToken.None));
    }

    /// <summary>Drops the database. A database that is not provably ours is not dropped and the refusal is thrown.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _reading.DisposeAsync().ConfigureAwait(false);
        await _scripts.DisposeAsync().ConfigureAwait(false);
        await _drop(this).ConfigureAwait(false);
    }

    internal async Task<NpgsqlConnection> OpenReadingConnectionAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        return await _reading.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }
}
