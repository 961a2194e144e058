using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using MySqlConnector;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;

namespace RollbackVerifier.MySql;

/// <summary>A throwaway MySQL database; disposing it drops the database (or the container that isolates it).</summary>
internal sealed class MySqlInstance(MySqlDialect dialect, string databaseName, MySqlServer server, Func<MySqlInstance, Task> onDispose) : IDatabaseInstance
{
    private int _disposed;

    public EngineKind Kind => EngineKind.MySql;

    public IDialect Dialect => dialect;

    public string ServerVersion => server.Version;

    public string DatabaseName => databaseName;

    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new MySqlConnection(server.ConnectionFor(databaseName).ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // UTC so TIMESTAMP values read the same everywhere; MySQL 8 caches TABLES.AUTO_INCREMENT unless told not to.
            var settings = server.IsMariaDb ? "SET SESSION time_zone = '+00:00'" : "SET SESSION time_zone = '+00:00', SESSION information_schema_stats_expiry = 0";
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

    public async Task<SchemaSnapshot> InspectSchemaAsync(CancellationToken cancellationToken)
    {
        var connection = (MySqlConnection)await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await MySqlInspector.InspectAsync(connection, databaseName, server.IsMariaDb, cancellationToken).ConfigureAwait(false);
        }
    }

    public async IAsyncEnumerable<string?[]> ReadRowsAsync(Table table, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        var select = string.Join(", ", table.Columns.Select(c => c.Family == TypeFamily.Decimal
            ? $"CAST({dialect.QuoteIdentifier(c.Name)} AS CHAR)"
            : dialect.QuoteIdentifier(c.Name)));
        var connection = (MySqlConnection)await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = new MySqlCommand($"SELECT {select} FROM {Dialect.QuoteName(table.Name)}", connection);
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var row = new string?[table.Columns.Count];
                        for (var i = 0; i < row.Length; i++)
                        {
                            row[i] = MySqlValues.Canonical(table.Columns[i], reader.IsDBNull(i) ? null : reader.GetValue(i));
                        }

                        yield return row;
                    }
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await onDispose(this).ConfigureAwait(false);
        }
    }
}

/// <summary>Canonical text of MySQL values.</summary>
internal static class MySqlValues
{
    public static string? Canonical(Column column, object? value) => value switch
    {
        null => null,
        string s when column.Family == TypeFamily.Decimal => CanonicalValue.NormalizeNumericText(s),
        DateTime dt when column.Family == TypeFamily.Date => dt.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        DateTime dt => CanonicalValue.FormatDateTime(DateTime.SpecifyKind(dt, DateTimeKind.Unspecified)),
        _ => CanonicalValue.Format(value),
    };
}
