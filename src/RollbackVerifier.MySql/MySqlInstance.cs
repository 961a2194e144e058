using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using MySqlConnector;
using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Analysis;
using RollbackVerifier.Model;

namespace RollbackVerifier.MySql;

/// <summary>
/// A throwaway MySQL database; disposing it drops the database (or removes the container that isolates it). Every
/// connection it opens runs with <c>time_zone = '+00:00'</c>, so TIMESTAMP values read the same on every machine, and on
/// MySQL 8 with <c>information_schema_stats_expiry = 0</c>, so TABLES.AUTO_INCREMENT is live rather than cached for a day
/// (MariaDB's is always live and has no such variable).
/// </summary>
internal sealed class MySqlInstance(MySqlDialect dialect, string databaseName, MySqlServer server, string runId, Func<MySqlInstance, Task> onDispose)
    : IDatabaseInstance, IObservableDatabase, ICloneableDatabase
{
    private int _disposed;

    public EngineKind Kind => EngineKind.MySql;

    public IDialect Dialect => dialect;

    /// <summary>MySqlBulkCopy when the server allows LOAD DATA LOCAL INFILE, else multi-row INSERT; see <see cref="MySqlBulkLoader"/>.</summary>
    public IBulkLoader BulkLoader { get; } = new MySqlBulkLoader(dialect);

    public string ServerVersion => server.Version;

    public string DatabaseName => databaseName;

    /// <summary>True on MariaDB, false on MySQL.</summary>
    internal bool IsMariaDb => server.IsMariaDb;

    /// <summary>The connection string of this database (password included).</summary>
    internal string ConnectionString => server.ConnectionFor(databaseName).ConnectionString;

    /// <summary>URL, connection string and client variables (MYSQL_HOST, ...) for command steps; see <see cref="MySqlConnectionDetails"/>.</summary>
    public ConnectionDetails ConnectionDetails => MySqlConnectionDetails.For(server.ConnectionFor(databaseName));

    /// <summary>The container serving this database, or null on an existing server.</summary>
    internal string? ContainerId => server.ContainerId;

    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await OpenAsync(cancellationToken).ConfigureAwait(false);

    public async Task<SchemaSnapshot> InspectSchemaAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await MySqlInspector.InspectAsync(connection, databaseName, server.IsMariaDb, cancellationToken).ConfigureAwait(false);
        }
    }

    public async IAsyncEnumerable<string?[]> ReadRowsAsync(Table table, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        var columns = table.Columns;
        var selectList = columns.Count == 0 ? "1" : string.Join(", ", columns.Select(c => MySqlValues.SelectExpression(c, dialect.QuoteIdentifier(c.Name))));
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = new MySqlCommand($"SELECT {selectList} FROM {Dialect.QuoteName(table.Name)}", connection);
            await using (command.ConfigureAwait(false))
            {
                // MySqlConnector streams a result set row by row; SequentialAccess keeps large values from being buffered twice.
                var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var row = new string?[columns.Count];
                        for (var i = 0; i < row.Length; i++)
                        {
                            row[i] = await reader.IsDBNullAsync(i, cancellationToken).ConfigureAwait(false) ? null : MySqlValues.Canonical(columns[i], reader.GetValue(i));
                        }

                        yield return row;
                    }
                }
            }
        }
    }

    /// <summary>How each ALTER ran: see <see cref="MySqlAlterObserver"/>.</summary>
    public IRollbackObserver CreateObserver() => new MySqlAlterObserver(server.IsMariaDb);

    public string CloneMethod => "SQL copy on the same server (SHOW CREATE ... and INSERT ... SELECT; MySQL has no database clone)";

    /// <summary>A copy on the same server made with SQL (<see cref="MySqlCloner"/>), marked as this run's and dropped when disposed.</summary>
    public async Task<IDatabaseInstance> CloneAsync(CancellationToken cancellationToken)
    {
        var name = DatabaseNames.Create(databaseName[EngineSettings.DatabasePrefix.Length..], runId, MySqlEngine.IdentifierLimit);
        await server.CreateDatabaseAsync(name, runId, cancellationToken).ConfigureAwait(false);
        var clone = new MySqlInstance(dialect, name, server, runId, i => server.DropDatabaseAsync(i.DatabaseName, runId, CancellationToken.None));
        try
        {
            var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await MySqlCloner.CopyAsync(connection, databaseName, name, cancellationToken).ConfigureAwait(false);
            }

            return clone;
        }
        catch (Exception ex) when (ex is MySqlException or RollbackVerifierException or OperationCanceledException)
        {
            await clone.DisposeAsync().ConfigureAwait(false);
            if (ex is MySqlException my)
            {
                throw new RollbackVerifierException($"Copying MySQL database {databaseName} failed: {my.Message}", my);
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await onDispose(this).ConfigureAwait(false);
        }
    }

    private async Task<MySqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        var connection = new MySqlConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // MariaDB has no information_schema_stats_expiry (and its TABLES.AUTO_INCREMENT is live); MySQL 8 needs it at 0.
            var settings = server.IsMariaDb
                ? "SET SESSION time_zone = '+00:00'"
                : "SET SESSION time_zone = '+00:00', SESSION information_schema_stats_expiry = 0";
            var command = new MySqlCommand(settings, connection);
            await using (command.ConfigureAwait(false))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
