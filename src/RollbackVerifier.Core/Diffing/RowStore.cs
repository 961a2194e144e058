using System.Globalization;
using Microsoft.Data.Sqlite;
using RollbackVerifier.Model;

namespace RollbackVerifier.Diffing;

/// <summary>
/// The rows of every capture (s0, s1, s1p, s2) in a temporary SQLite file, one table per captured table with
/// text columns c0..cN holding canonical values, so the oracle compares with SQL joins and never needs a whole
/// table in memory. See docs/decisions/0001-row-store-in-sqlite.md.
/// </summary>
public sealed class RowStore : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly string _path;
    private readonly Dictionary<(string Capture, ObjectName Table), string> _tables = [];
    private readonly HashSet<string> _indexed = new(StringComparer.Ordinal);
    private int _counter;

    private RowStore(SqliteConnection connection, string path)
    {
        _connection = connection;
        _path = path;
    }

    public static async Task<RowStore> CreateAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"rollbackverifier-rows-{Guid.NewGuid():N}.db");
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var store = new RowStore(connection, path);
        await store.ExecuteAsync("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;", cancellationToken).ConfigureAwait(false);
        return store;
    }

    /// <summary>Stores every table's rows of <paramref name="schema"/> under the capture name.</summary>
    public async Task CaptureAsync(string capture, SchemaSnapshot schema, Func<Table, CancellationToken, IAsyncEnumerable<string?[]>> readRows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(readRows);
        foreach (var table in schema.Tables)
        {
            var name = "t" + (++_counter).ToString(CultureInfo.InvariantCulture);
            var columns = Enumerable.Range(0, table.Columns.Count).Select(i => "c" + i.ToString(CultureInfo.InvariantCulture)).ToList();
            await ExecuteAsync($"CREATE TABLE {name} ({(columns.Count == 0 ? "c_ TEXT" : string.Join(", ", columns.Select(c => c + " TEXT")))})", cancellationToken).ConfigureAwait(false);
            _tables[(capture, table.Name)] = name;
            if (columns.Count == 0)
            {
                continue;
            }

            var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                using var insert = _connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = $"INSERT INTO {name} VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)))})";
                var parameters = columns.Select((_, i) => insert.Parameters.Add("$p" + i.ToString(CultureInfo.InvariantCulture), SqliteType.Text)).ToArray();
                await foreach (var row in readRows(table, cancellationToken).ConfigureAwait(false))
                {
                    for (var i = 0; i < parameters.Length; i++)
                    {
                        parameters[i].Value = (object?)row[i] ?? DBNull.Value;
                    }

                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The store table holding a capture of a table, or null when the table was not captured.</summary>
    internal string? TableFor(string capture, ObjectName table) => _tables.TryGetValue((capture, table), out var name) ? name : null;

    public async Task<long> CountAsync(string capture, ObjectName table, CancellationToken cancellationToken)
    {
        var name = TableFor(capture, table) ?? throw new ArgumentException($"{table} was not captured in {capture}", nameof(table));
        return await ScalarLongAsync($"SELECT count(*) FROM {name}", cancellationToken).ConfigureAwait(false) ?? 0;
    }

    /// <summary>True when both captures hold the same tables with the same columns (by name) and the same multiset of rows.</summary>
    public async Task<bool> DataEqualAsync(string captureA, SchemaSnapshot schemaA, string captureB, SchemaSnapshot schemaB, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schemaA);
        ArgumentNullException.ThrowIfNull(schemaB);
        if (schemaA.Tables.Count != schemaB.Tables.Count)
        {
            return false;
        }

        foreach (var a in schemaA.Tables)
        {
            var b = schemaB.FindTable(a.Name);
            if (b is null || a.Columns.Count != b.Columns.Count)
            {
                return false;
            }

            var columnsA = new List<string>();
            var columnsB = new List<string>();
            for (var i = 0; i < a.Columns.Count; i++)
            {
                var j = IndexOf(b, a.Columns[i].Name);
                if (j < 0)
                {
                    return false;
                }

                columnsA.Add(Col(i));
                columnsB.Add(Col(j));
            }

            var ta = TableFor(captureA, a.Name)!;
            var tb = TableFor(captureB, b.Name)!;
            if (columnsA.Count == 0)
            {
                continue;
            }

            var sql = $"SELECT (SELECT count(*) FROM {ta}) = (SELECT count(*) FROM {tb}) AND NOT EXISTS (SELECT {string.Join(", ", columnsA)} FROM {ta} EXCEPT SELECT {string.Join(", ", columnsB)} FROM {tb}) AND NOT EXISTS (SELECT {string.Join(", ", columnsB)} FROM {tb} EXCEPT SELECT {string.Join(", ", columnsA)} FROM {ta})";
            if (await ScalarLongAsync(sql, cancellationToken).ConfigureAwait(false) != 1)
            {
                return false;
            }
        }

        return true;
    }

    internal static string Col(int index) => "c" + index.ToString(CultureInfo.InvariantCulture);

    internal static int IndexOf(Table table, string column)
    {
        for (var i = 0; i < table.Columns.Count; i++)
        {
            if (table.Columns[i].Name == column)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Indexes a store table on the given columns once, for joins by key.</summary>
    internal async Task EnsureIndexAsync(string table, IReadOnlyList<int> columns, CancellationToken cancellationToken)
    {
        var name = table + "_k" + string.Join("_", columns);
        if (columns.Count == 0 || !_indexed.Add(name))
        {
            return;
        }

        await ExecuteAsync($"CREATE INDEX {name} ON {table} ({string.Join(", ", columns.Select(Col))})", cancellationToken).ConfigureAwait(false);
    }

    internal async Task<long?> ScalarLongAsync(string sql, CancellationToken cancellationToken)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    internal async Task<List<string?[]>> QueryAsync(string sql, CancellationToken cancellationToken)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        var rows = new List<string?[]>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
            }

            rows.Add(row);
        }

        return rows;
    }

    internal async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync().ConfigureAwait(false);
        foreach (var file in new[] { _path, _path + "-journal", _path + "-wal", _path + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // Best effort: the temp folder is cleaned by the OS eventually; never fail a run over it.
            }
        }
    }
}
