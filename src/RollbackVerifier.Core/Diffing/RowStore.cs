using System.Globalization;
using Microsoft.Data.Sqlite;
using RollbackVerifier.Model;

namespace RollbackVerifier.Diffing;

/// <summary>
/// The rows of every capture of a run (s0, s1, s1p, s2) in a temporary SQLite file: one store table per captured
/// table, text columns c0..cN holding canonical values (NULL as NULL). The oracle and the column mapper compare
/// captures with SQL joins and aggregates there, so no table ever has to fit in memory.
/// See docs/decisions/0001-row-store-in-sqlite.md. Not thread-safe: one run uses one store from one flow.
/// </summary>
public sealed class RowStore : IAsyncDisposable
{
    /// <summary>Capture name: before the forward migration (pre-existing rows seeded).</summary>
    public const string BeforeForward = "s0";

    /// <summary>Capture name: just after the forward migration.</summary>
    public const string AfterForward = "s1";

    /// <summary>Capture name: after live rows were written in the new shape, just before the rollback.</summary>
    public const string BeforeRollback = "s1p";

    /// <summary>Capture name: after the rollback.</summary>
    public const string AfterRollback = "s2";

    private readonly SqliteConnection _connection;
    private readonly string _path;
    private readonly Dictionary<(string Capture, ObjectName Table), StoredTable> _tables = [];
    private readonly HashSet<string> _indexes = new(StringComparer.Ordinal);
    private int _counter;
    private bool _disposed;

    private RowStore(SqliteConnection connection, string path)
    {
        _connection = connection;
        _path = path;
    }

    /// <summary>The temporary file holding the rows (deleted on dispose).</summary>
    public string FilePath => _path;

    /// <summary>Creates an empty store in a new file under the temp folder.</summary>
    public static async Task<RowStore> CreateAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"rollbackverifier-rows-{Guid.NewGuid():N}.db");
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var store = new RowStore(connection, path);
            await store.ExecuteAsync("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536;", cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            DeleteFiles(path);
            throw;
        }
    }

    /// <summary>
    /// Stores every table of <paramref name="schema"/> under the capture name, streaming the rows from
    /// <paramref name="readRows"/> (canonical values in the table's column order) into the file in one transaction
    /// per table. Capturing the same name again replaces the earlier capture.
    /// </summary>
    public async Task CaptureAsync(string capture, SchemaSnapshot schema, Func<Table, CancellationToken, IAsyncEnumerable<string?[]>> readRows, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(capture);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(readRows);
        ObjectDisposedException.ThrowIf(_disposed, this);

        foreach (var old in _tables.Where(t => t.Key.Capture == capture).ToList())
        {
            await ExecuteAsync($"DROP TABLE {old.Value.SqlName}", cancellationToken).ConfigureAwait(false);
            _tables.Remove(old.Key);
        }

        foreach (var table in schema.Tables)
        {
            var stored = new StoredTable("t" + (++_counter).ToString(CultureInfo.InvariantCulture), table);
            var width = table.Columns.Count;
            var definition = width == 0 ? "z_ INTEGER" : string.Join(", ", Enumerable.Range(0, width).Select(i => StoredTable.Col(i) + " TEXT"));
            await ExecuteAsync($"CREATE TABLE {stored.SqlName} ({definition})", cancellationToken).ConfigureAwait(false);
            _tables[(capture, table.Name)] = stored;

            var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                using var insert = _connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = width == 0
                    ? $"INSERT INTO {stored.SqlName} DEFAULT VALUES"
                    : $"INSERT INTO {stored.SqlName} VALUES ({string.Join(", ", Enumerable.Range(0, width).Select(i => "$p" + i.ToString(CultureInfo.InvariantCulture)))})";
                var parameters = Enumerable.Range(0, width).Select(i => insert.Parameters.Add("$p" + i.ToString(CultureInfo.InvariantCulture), SqliteType.Text)).ToArray();
                insert.Prepare();
                long rows = 0;
                await foreach (var row in readRows(table, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    if (row is null || row.Length != width)
                    {
                        throw new InvalidOperationException(
                            $"Reading {table.Name} for capture {capture} returned a row of {row?.Length ?? 0} values; the table has {width} columns.");
                    }

                    for (var i = 0; i < width; i++)
                    {
                        parameters[i].Value = (object?)row[i] ?? DBNull.Value;
                    }

                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    rows++;
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                stored.RowCount = rows;
            }
        }
    }

    /// <summary>How many rows the capture holds for the table.</summary>
    /// <exception cref="ArgumentException">The table was not captured under that name.</exception>
    public Task<long> CountAsync(string capture, ObjectName table, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Require(capture, table).RowCount);
    }

    /// <summary>
    /// True when both captures hold the same tables (by name), each with the same columns (by name, in any order)
    /// and the same multiset of rows. Used for "the forward changed nothing" and "the rollback changed nothing".
    /// </summary>
    public async Task<bool> DataEqualAsync(string captureA, SchemaSnapshot schemaA, string captureB, SchemaSnapshot schemaB, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schemaA);
        ArgumentNullException.ThrowIfNull(schemaB);
        if (schemaA.Tables.Count != schemaB.Tables.Count)
        {
            return false;
        }

        foreach (var tableA in schemaA.Tables)
        {
            var tableB = schemaB.FindTable(tableA.Name);
            if (tableB is null
                || tableA.Columns.Count != tableB.Columns.Count
                || tableA.Columns.Any(c => tableB.FindColumn(c.Name) is null))
            {
                return false;
            }

            var a = Require(captureA, tableA.Name);
            var b = Require(captureB, tableB.Name);
            if (a.RowCount != b.RowCount)
            {
                return false;
            }

            if (a.RowCount == 0 || tableA.Columns.Count == 0)
            {
                continue;
            }

            // Equal totals, and every (row, multiplicity) group of A present in B, means equal multisets.
            var columnsA = string.Join(", ", tableA.Columns.Select(c => a.Col(c.Name)));
            var columnsB = string.Join(", ", tableA.Columns.Select(c => b.Col(c.Name)));
            var differs = await ScalarLongAsync(
                $"SELECT EXISTS (SELECT {columnsA}, count(*) FROM {a.SqlName} GROUP BY {columnsA} EXCEPT SELECT {columnsB}, count(*) FROM {b.SqlName} GROUP BY {columnsB})",
                cancellationToken).ConfigureAwait(false);
            if (differs != 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The stored capture of a table, or null.</summary>
    internal StoredTable? Find(string capture, ObjectName table) => _tables.GetValueOrDefault((capture, table));

    /// <summary>The stored capture of a table.</summary>
    internal StoredTable Require(string capture, ObjectName table) =>
        Find(capture, table) ?? throw new ArgumentException($"Table {table} was not captured under '{capture}'.", nameof(table));

    /// <summary>Indexes a store table on the given columns once, for joins by key.</summary>
    internal async Task EnsureIndexAsync(StoredTable table, IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        if (columns.Count == 0)
        {
            return;
        }

        var name = table.SqlName + "_i_" + string.Join("_", columns);
        if (_indexes.Add(name))
        {
            await ExecuteAsync($"CREATE INDEX {name} ON {table.SqlName} ({string.Join(", ", columns)})", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A fresh name for a scratch table.</summary>
    internal string ScratchName() => "x" + (++_counter).ToString(CultureInfo.InvariantCulture);

    internal async Task<long?> ScalarLongAsync(string sql, CancellationToken cancellationToken)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    /// <summary>Runs a query whose result is small (aggregates, samples) and returns its rows as text.</summary>
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
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _connection.DisposeAsync().ConfigureAwait(false);
        DeleteFiles(_path);
    }

    private static void DeleteFiles(string path)
    {
        foreach (var file in new[] { path, path + "-journal", path + "-wal", path + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // Best effort: never fail a run over a temp file; the OS cleans the temp folder eventually.
            }
            catch (UnauthorizedAccessException)
            {
                // Same.
            }
        }
    }
}

/// <summary>One captured table in the store: its SQL name and the table it captured (column i is stored as ci).</summary>
internal sealed class StoredTable(string sqlName, Table table)
{
    public string SqlName { get; } = sqlName;

    public Table Table { get; } = table;

    public long RowCount { get; set; }

    public static string Col(int index) => "c" + index.ToString(CultureInfo.InvariantCulture);

    public int IndexOf(string column) => Table.IndexOf(column);

    public bool Has(string column) => IndexOf(column) >= 0;

    /// <summary>The store column holding <paramref name="column"/>.</summary>
    public string Col(string column)
    {
        var index = IndexOf(column);
        return index >= 0 ? Col(index) : throw new ArgumentException($"Column {column} is not part of captured table {Table.Name}.", nameof(column));
    }
}
