using System.Data.Common;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using MySqlConnector;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;

namespace RollbackVerifier.MySql;

/// <summary>How <see cref="MySqlBulkLoader"/> writes.</summary>
public enum MySqlBulkMode
{
    /// <summary>MySqlBulkCopy when the server allows LOAD DATA LOCAL INFILE (asked once per loader), else multi-row INSERT.</summary>
    Auto,

    /// <summary>Always MySqlBulkCopy (LOAD DATA LOCAL INFILE).</summary>
    BulkCopy,

    /// <summary>Always multi-row INSERT batches.</summary>
    MultiRowInsert,
}

/// <summary>
/// Loads rows into a MySQL / MariaDB table inside one transaction, all or nothing:
/// <list type="bullet">
/// <item>with <see cref="MySqlBulkCopy"/> (LOAD DATA LOCAL INFILE) when the server has <c>local_infile=ON</c> (MariaDB's
/// default; MySQL 8 ships with it off) and the connection string allows it. LOAD DATA LOCAL turns refusals into
/// warnings (a duplicate key skips the row, a NULL into NOT NULL or a too-long string is adjusted), so any warning or
/// any row not inserted rolls the transaction back and throws a <see cref="MySqlBulkLoadException"/> naming the first
/// problem; notes (such as decimal rounding, which INSERT also accepts) are not problems.</item>
/// <item>else with multi-row <c>INSERT ... VALUES (...),(...)</c> batches of up to 1,000 rows, parameterised (at most
/// 65,535 parameters, well within <c>max_allowed_packet</c>), full batches through one server-side prepared
/// statement; the server refuses a bad row as it would a single INSERT.</item>
/// </list>
/// Tables with a YEAR column (which MySqlBulkCopy does not support) use the INSERT batches. The connection stays usable
/// after a refusal. An exception thrown by the row source is rethrown as it is, not wrapped.
/// </summary>
public sealed class MySqlBulkLoader : IBulkLoader
{
    /// <summary>MySQL's limit on placeholders in one statement.</summary>
    internal const int MaxParameters = 65_535;

    /// <summary>Rows per INSERT batch at most: beyond this the statement gets longer without getting faster.</summary>
    internal const int MaxRowsPerInsert = 1_000;

    private readonly IDialect _dialect;
    private readonly MySqlBulkMode _mode;

    // -1 unknown, 0 no, 1 yes: asked once per loader (one loader per database instance).
    private int _localInfile = -1;
    private long _maxAllowedPacket;

    public MySqlBulkLoader(MySqlDialect dialect, MySqlBulkMode mode = MySqlBulkMode.Auto)
    {
        _dialect = dialect ?? throw new ArgumentNullException(nameof(dialect));
        _mode = mode;
    }

    /// <summary>What the last <see cref="LoadAsync"/> used, for tests and benchmarks.</summary>
    public MySqlBulkMode LastMode { get; private set; } = MySqlBulkMode.Auto;

    public async Task<long> LoadAsync(DbConnection connection, Table table, IReadOnlyList<Column> columns, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        if (connection is not MySqlConnection mysql)
        {
            throw new ArgumentException($"{nameof(MySqlBulkLoader)} needs a {nameof(MySqlConnection)}, got {connection.GetType().Name}.", nameof(connection));
        }

        if (columns.Count == 0)
        {
            // Rows of defaults only: INSERT INTO t () VALUES ().
            LastMode = MySqlBulkMode.MultiRowInsert;
            return await new PreparedInsertLoader(_dialect).LoadAsync(connection, table, columns, rows, cancellationToken).ConfigureAwait(false);
        }

        // MySqlBulkCopy refuses tables with YEAR columns (it cannot tell 0 from 2000).
        var useBulkCopy = _mode != MySqlBulkMode.MultiRowInsert
            && !table.Columns.Any(IsYear)
            && (_mode == MySqlBulkMode.BulkCopy || await LocalInfileAsync(mysql, cancellationToken).ConfigureAwait(false));
        if (useBulkCopy)
        {
            var source = new RowReader(rows, columns, cancellationToken);
            await using (source.ConfigureAwait(false))
            {
                try
                {
                    LastMode = MySqlBulkMode.BulkCopy;
                    return await BulkCopyAsync(mysql, table, columns, source, cancellationToken).ConfigureAwait(false);
                }
                catch (MySqlException ex) when (_mode == MySqlBulkMode.Auto && !source.Started && IsLocalInfileRefusal(ex))
                {
                    // The server or client refused LOAD DATA LOCAL before reading a row: remember, and use INSERT batches.
                    Volatile.Write(ref _localInfile, 0);
                }
            }
        }

        LastMode = MySqlBulkMode.MultiRowInsert;
        return await MultiRowInsertAsync(mysql, table, columns, rows, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsYear(Column column) => column.DataType.StartsWith("year", StringComparison.OrdinalIgnoreCase);

    /// <summary>ER_NOT_ALLOWED_COMMAND (1148), ER_CLIENT_LOCAL_FILES_DISABLED (3948), or MySqlConnector's own refusal.</summary>
    private static bool IsLocalInfileRefusal(MySqlException ex) =>
        ex.Number is 1148 or 3948 || ex.Message.Contains("AllowLoadLocalInfile", StringComparison.Ordinal);

    private async Task<bool> LocalInfileAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        var known = Volatile.Read(ref _localInfile);
        if (known >= 0)
        {
            return known == 1;
        }

        var allowed = new MySqlConnectionStringBuilder(connection.ConnectionString).AllowLoadLocalInfile;
        if (allowed)
        {
            var command = new MySqlCommand("SELECT @@GLOBAL.local_infile", connection);
            await using (command.ConfigureAwait(false))
            {
                var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                allowed = Convert.ToInt64(value, CultureInfo.InvariantCulture) == 1;
            }
        }

        Volatile.Write(ref _localInfile, allowed ? 1 : 0);
        return allowed;
    }

    // ----- MySqlBulkCopy ------------------------------------------------------------------------------------------

    private async Task<long> BulkCopyAsync(MySqlConnection connection, Table table, IReadOnlyList<Column> columns, RowReader source, CancellationToken cancellationToken)
    {
        var warnings = new List<MySqlError>();
        void Collect(object sender, MySqlInfoMessageEventArgs e) => warnings.AddRange(e.Errors);

        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var bulkCopy = new MySqlBulkCopy(connection, transaction)
            {
                DestinationTableName = _dialect.QuoteName(table.Name),
                ConflictOption = MySqlBulkLoaderConflictOption.None,
                BulkCopyTimeout = 0,
            };
            for (var i = 0; i < columns.Count; i++)
            {
                bulkCopy.ColumnMappings.Add(Mapping(i, columns[i]));
            }

            MySqlBulkCopyResult result;
            connection.InfoMessage += Collect;
            try
            {
                result = await bulkCopy.WriteToServerAsync(source, cancellationToken).ConfigureAwait(false);
            }
            catch (MySqlException ex)
            {
                if (source.SourceException is { } sourceError)
                {
                    // MySqlConnector wraps whatever the row source threw ("Error during LOAD DATA LOCAL INFILE").
                    ExceptionDispatchInfo.Throw(sourceError);
                }

                var problem = warnings.FirstOrDefault(w => !IsNote(w));
                if (problem is not null && ex.ErrorCode == MySqlErrorCode.BulkCopyFailed)
                {
                    // Rows were skipped (duplicate keys, foreign keys, checks); the warnings say why.
                    throw new MySqlBulkLoadException((int)problem.ErrorCode, $"{ex.Message} First refusal: {problem.Message}", ex);
                }

                throw;
            }
            finally
            {
                connection.InfoMessage -= Collect;
            }

            if (source.SourceException is { } failure)
            {
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                ExceptionDispatchInfo.Throw(failure);
            }

            var refusal = result.Warnings.Concat(warnings).FirstOrDefault(w => !IsNote(w));
            if (refusal is not null || result.RowsInserted != source.RowsRead)
            {
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                throw refusal is not null
                    ? new MySqlBulkLoadException((int)refusal.ErrorCode, $"LOAD DATA into {table.Name} was refused: {refusal.Message}")
                    : new MySqlBulkLoadException(0, $"{source.RowsRead} rows were sent to {table.Name} but {result.RowsInserted} were inserted.");
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result.RowsInserted;
        }
    }

    private static bool IsNote(MySqlError error) => string.Equals(error.Level, "Note", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Binary strings travel hex-encoded and BIT values as numbers, each through a user variable and an expression
    /// (MySqlBulkCopy's own detection of these looks at table positions, which differ when columns are left out).
    /// </summary>
    private MySqlBulkCopyColumnMapping Mapping(int ordinal, Column column)
    {
        var variable = "@rv_bulk_" + ordinal.ToString(CultureInfo.InvariantCulture);
        if (column.Family == TypeFamily.Binary || MySqlTypes.IsSpatial(BaseType(column.DataType)))
        {
            return new MySqlBulkCopyColumnMapping(ordinal, variable, $"{_dialect.QuoteIdentifier(column.Name)} = UNHEX({variable})");
        }

        if (column.DataType.StartsWith("bit", StringComparison.OrdinalIgnoreCase))
        {
            return new MySqlBulkCopyColumnMapping(ordinal, variable, $"{_dialect.QuoteIdentifier(column.Name)} = CAST({variable} AS UNSIGNED)");
        }

        return new MySqlBulkCopyColumnMapping(ordinal, column.Name);
    }

    private static string BaseType(string dataType)
    {
        var end = dataType.IndexOfAny(['(', ' ']);
        return end < 0 ? dataType : dataType[..end];
    }

    // ----- multi-row INSERT ---------------------------------------------------------------------------------------

    private async Task<long> MultiRowInsertAsync(MySqlConnection connection, Table table, IReadOnlyList<Column> columns, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var packet = await MaxAllowedPacketAsync(connection, cancellationToken).ConfigureAwait(false);

        // Room for the statement in one packet, with a margin: values are escaped (up to twice their size) on the way.
        var budget = Math.Max(64 * 1024, (packet / 2) - (64 * 1024));
        var rowsPerBatch = Math.Clamp(MaxParameters / columns.Count, 1, MaxRowsPerInsert);
        var prefix = $"INSERT INTO {_dialect.QuoteName(table.Name)} ({string.Join(", ", columns.Select(c => _dialect.QuoteIdentifier(c.Name)))}) VALUES ";
        var tuple = "(" + string.Join(",", Enumerable.Repeat("?", columns.Count)) + ")";

        MySqlCommand? full = null;
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var batch = new List<object?[]>(rowsPerBatch);
            long bytes = 0, written = 0;
            try
            {
                await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    var size = EstimateSize(row);
                    if (batch.Count > 0 && (batch.Count == rowsPerBatch || bytes + size > budget))
                    {
                        written += await FlushAsync(batch).ConfigureAwait(false);
                        batch.Clear();
                        bytes = 0;
                    }

                    batch.Add(row);
                    bytes += size;
                }

                if (batch.Count > 0)
                {
                    written += await FlushAsync(batch).ConfigureAwait(false);
                }
            }
            finally
            {
                if (full is not null)
                {
                    await full.DisposeAsync().ConfigureAwait(false);
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return written;
        }

        async Task<long> FlushAsync(List<object?[]> batch)
        {
            MySqlCommand command;
            if (batch.Count == rowsPerBatch)
            {
                // Full batches (all but the last, usually) reuse one server-side prepared statement: values travel in
                // the binary protocol, with no escaping on the client and no parsing on the server.
                if (full is null)
                {
                    full = CreateCommand(rowsPerBatch);
                    await full.PrepareAsync(cancellationToken).ConfigureAwait(false);
                }

                command = full;
            }
            else
            {
                command = CreateCommand(batch.Count);
            }

            try
            {
                var index = 0;
                foreach (var row in batch)
                {
                    for (var i = 0; i < columns.Count; i++)
                    {
                        command.Parameters[index++].Value = ParameterValue(row[i]);
                    }
                }

                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (!ReferenceEquals(command, full))
                {
                    await command.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        MySqlCommand CreateCommand(int rowCount)
        {
            var text = new StringBuilder(prefix.Length + (rowCount * (tuple.Length + 1)));
            text.Append(prefix);
            for (var r = 0; r < rowCount; r++)
            {
                if (r > 0)
                {
                    text.Append(',');
                }

                text.Append(tuple);
            }

            var command = new MySqlCommand(text.ToString(), connection, transaction);
            for (var p = 0; p < rowCount * columns.Count; p++)
            {
                command.Parameters.Add(new MySqlParameter());
            }

            return command;
        }
    }

    /// <summary>
    /// A Guid goes as its text: MariaDB's UUID type refuses the 16 bytes a prepared statement would otherwise send
    /// ("Incorrect uuid value"), and MySQL has no UUID type (the seeder writes Guids only for UUID columns).
    /// </summary>
    private static object ParameterValue(object? value) => value switch
    {
        null => DBNull.Value,
        Guid g => g.ToString("D"),
        _ => value,
    };

    private async Task<long> MaxAllowedPacketAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        var known = Interlocked.Read(ref _maxAllowedPacket);
        if (known > 0)
        {
            return known;
        }

        var command = new MySqlCommand("SELECT @@SESSION.max_allowed_packet", connection);
        await using (command.ConfigureAwait(false))
        {
            var value = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            Interlocked.Exchange(ref _maxAllowedPacket, value);
            return value;
        }
    }

    /// <summary>Bytes a row may take in the statement text: escaped strings and binary values at worst double.</summary>
    private static long EstimateSize(object?[] row)
    {
        long size = 0;
        foreach (var value in row)
        {
            size += value switch
            {
                null => 5,
                string s => (2L * Encoding.UTF8.GetMaxByteCount(s.Length)) + 4,
                byte[] b => (2L * b.Length) + 12,
                _ => 40,
            };
        }

        return size;
    }

    /// <summary>
    /// The row stream as the <see cref="DbDataReader"/> MySqlBulkCopy reads (asynchronously, row by row). Binary
    /// columns get bytes (a string is its UTF-8), NULL is <see cref="DBNull"/>. An exception of the row source ends
    /// the data and is kept in <see cref="SourceException"/> for the loader to rethrow.
    /// </summary>
    private sealed class RowReader(IAsyncEnumerable<object?[]> rows, IReadOnlyList<Column> columns, CancellationToken cancellationToken) : DbDataReader
    {
        private readonly bool[] _binary = columns.Select(c => c.Family == TypeFamily.Binary || MySqlTypes.IsSpatial(BaseType(c.DataType))).ToArray();
        private IAsyncEnumerator<object?[]>? _enumerator;
        private object?[] _current = [];
        private bool _closed;

        public bool Started => _enumerator is not null;

        public long RowsRead { get; private set; }

        public Exception? SourceException { get; private set; }

        public override int FieldCount => columns.Count;

        public override object this[int ordinal] => GetValue(ordinal);

        public override object this[string name] => GetValue(GetOrdinal(name));

        public override int RecordsAffected => -1;

        public override bool HasRows => true;

        public override bool IsClosed => _closed;

        public override int Depth => 0;

        public override async Task<bool> ReadAsync(CancellationToken ignored)
        {
            _enumerator ??= rows.GetAsyncEnumerator(cancellationToken);
            try
            {
                if (!await _enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    return false;
                }
            }
            catch (Exception ex)
            {
                // Thrown into MySqlConnector, this would be wrapped in a MySqlException and break the session; ending
                // the data instead lets the LOAD DATA finish cleanly, and the loader rolls back and rethrows it.
                SourceException = ex;
                return false;
            }

            _current = _enumerator.Current;
            RowsRead++;
            return true;
        }

        public override bool Read() => ReadAsync(CancellationToken.None).GetAwaiter().GetResult();

        public override bool NextResult() => false;

        public override object GetValue(int ordinal) => _current[ordinal] switch
        {
            null => DBNull.Value,
            string s when _binary[ordinal] => Encoding.UTF8.GetBytes(s),
            var value => value,
        };

        public override int GetValues(object[] values)
        {
            ArgumentNullException.ThrowIfNull(values);
            var count = Math.Min(values.Length, columns.Count);
            for (var i = 0; i < count; i++)
            {
                values[i] = GetValue(i);
            }

            return count;
        }

        public override bool IsDBNull(int ordinal) => _current[ordinal] is null or DBNull;

        public override string GetName(int ordinal) => columns[ordinal].Name;

        public override int GetOrdinal(string name)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                if (string.Equals(columns[i].Name, name, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            throw new IndexOutOfRangeException(name);
        }

        public override string GetDataTypeName(int ordinal) => columns[ordinal].DataType;

        public override Type GetFieldType(int ordinal) => _current.Length > ordinal && _current[ordinal] is { } value ? value.GetType() : typeof(object);

        public override bool GetBoolean(int ordinal) => (bool)GetValue(ordinal);

        public override byte GetByte(int ordinal) => Convert.ToByte(GetValue(ordinal), CultureInfo.InvariantCulture);

        public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
        {
            var bytes = (byte[])GetValue(ordinal);
            if (buffer is null)
            {
                return bytes.Length;
            }

            var count = (int)Math.Max(0, Math.Min(length, bytes.Length - dataOffset));
            Array.Copy(bytes, dataOffset, buffer, bufferOffset, count);
            return count;
        }

        public override char GetChar(int ordinal) => GetString(ordinal)[0];

        public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
        {
            var text = GetString(ordinal);
            if (buffer is null)
            {
                return text.Length;
            }

            var count = (int)Math.Max(0, Math.Min(length, text.Length - dataOffset));
            text.CopyTo((int)dataOffset, buffer, bufferOffset, count);
            return count;
        }

        public override DateTime GetDateTime(int ordinal) => (DateTime)GetValue(ordinal);

        public override decimal GetDecimal(int ordinal) => Convert.ToDecimal(GetValue(ordinal), CultureInfo.InvariantCulture);

        public override double GetDouble(int ordinal) => Convert.ToDouble(GetValue(ordinal), CultureInfo.InvariantCulture);

        public override float GetFloat(int ordinal) => Convert.ToSingle(GetValue(ordinal), CultureInfo.InvariantCulture);

        public override Guid GetGuid(int ordinal) => (Guid)GetValue(ordinal);

        public override short GetInt16(int ordinal) => Convert.ToInt16(GetValue(ordinal), CultureInfo.InvariantCulture);

        public override int GetInt32(int ordinal) => Convert.ToInt32(GetValue(ordinal), CultureInfo.InvariantCulture);

        public override long GetInt64(int ordinal) => Convert.ToInt64(GetValue(ordinal), CultureInfo.InvariantCulture);

        public override string GetString(int ordinal) => Convert.ToString(GetValue(ordinal), CultureInfo.InvariantCulture) ?? string.Empty;

        public override System.Collections.IEnumerator GetEnumerator() => throw new NotSupportedException();

        public override async ValueTask DisposeAsync()
        {
            _closed = true;
            if (_enumerator is not null)
            {
                await _enumerator.DisposeAsync().ConfigureAwait(false);
                _enumerator = null;
            }

            await base.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>
/// A bulk load the server accepted only in part (LOAD DATA LOCAL reports refused rows as warnings and skips or adjusts
/// them); the transaction was rolled back. <see cref="Number"/> is the server's error number of the first refusal.
/// </summary>
public sealed class MySqlBulkLoadException : DbException
{
    public MySqlBulkLoadException()
    {
    }

    public MySqlBulkLoadException(string message)
        : base(message)
    {
    }

    public MySqlBulkLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MySqlBulkLoadException(int number, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Number = number;
    }

    /// <summary>The server's error number of the first refusal (for example 1062 duplicate entry, 1263 NULL into NOT NULL), 0 when unknown.</summary>
    public int Number { get; }
}
