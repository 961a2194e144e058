using System.Data.Common;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;

namespace RollbackVerifier.Seeding;

/// <summary>
/// Inserts rows one at a time in autocommit with one reused command (SQLite keeps it compiled), counting the rows the database refuses
/// (and keeping the first refusal's message) instead of failing.
/// </summary>
internal sealed class RowInserter : IAsyncDisposable
{
    private readonly DbCommand _command;
    private readonly DbParameter[] _parameters;
    private readonly IDialect _dialect;

    public RowInserter(IDialect dialect, DbConnection connection, Table table, IReadOnlyList<Column> columns)
    {
        _dialect = dialect;
        _command = connection.CreateCommand();
        _command.CommandText = PreparedInsertLoader.InsertSql(dialect, table, columns);
        _parameters = new DbParameter[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            _parameters[i] = _command.CreateParameter();
            _parameters[i].ParameterName = dialect.Parameter(i);
            _command.Parameters.Add(_parameters[i]);
        }
    }

    public long Inserted { get; private set; }

    public long Refused { get; private set; }

    /// <summary>The first refusal, as the engine worded it (with its error code).</summary>
    public string? FirstReason { get; private set; }

    /// <summary>Inserts one row; returns null when written, else the database's reason.</summary>
    public async Task<string?> TryInsertAsync(object?[] values, CancellationToken ct)
    {
        for (var i = 0; i < _parameters.Length; i++)
        {
            _parameters[i].Value = values[i] ?? DBNull.Value;
        }

        try
        {
            await _command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            Inserted++;
            return null;
        }
        catch (DbException ex)
        {
            var error = _dialect.DescribeError(ex);
            var reason = error.Code.Length > 0 && !error.Message.Contains(error.Code, StringComparison.Ordinal) ? $"{error.Code}: {error.Message}" : error.Message;
            Refused++;
            FirstReason ??= reason;
            return reason;
        }
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}
