using System.Data.Common;
using RollbackVerifier.Model;

namespace RollbackVerifier.Execution;

/// <summary>
/// The portable bulk path: one prepared INSERT executed per row inside one transaction. SQLite's fastest path, and
/// every engine's fallback.
/// </summary>
public sealed class PreparedInsertLoader(IDialect dialect) : IBulkLoader
{
    public async Task<long> LoadAsync(DbConnection connection, Table table, IReadOnlyList<Column> columns, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);

        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.Transaction = transaction;
                command.CommandText = InsertSql(dialect, table, columns);
                var parameters = new DbParameter[columns.Count];
                for (var i = 0; i < columns.Count; i++)
                {
                    parameters[i] = command.CreateParameter();
                    parameters[i].ParameterName = dialect.Parameter(i);
                    command.Parameters.Add(parameters[i]);
                }

                long written = 0;
                var prepared = false;
                await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    for (var i = 0; i < parameters.Length; i++)
                    {
                        parameters[i].Value = row[i] ?? DBNull.Value;
                    }

                    if (!prepared)
                    {
                        await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
                        prepared = true;
                    }

                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    written++;
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return written;
            }
        }
    }

    /// <summary>INSERT INTO table (columns) VALUES (parameters), with the dialect's value casts.</summary>
    public static string InsertSql(IDialect dialect, Table table, IReadOnlyList<Column> columns)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0)
        {
            return dialect.Kind == EngineKind.MySql
                ? $"INSERT INTO {dialect.QuoteName(table.Name)} () VALUES ()"
                : $"INSERT INTO {dialect.QuoteName(table.Name)} DEFAULT VALUES";
        }

        return $"INSERT INTO {dialect.QuoteName(table.Name)} ({string.Join(", ", columns.Select(c => dialect.QuoteIdentifier(c.Name)))}) "
            + $"VALUES ({string.Join(", ", columns.Select((c, i) => dialect.ValueExpression(c, dialect.Parameter(i))))})";
    }
}
