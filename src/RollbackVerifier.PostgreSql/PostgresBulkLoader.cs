using System.Data.Common;
using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;

namespace RollbackVerifier.PostgreSql;

/// <summary>
/// Loads rows with <c>COPY ... FROM STDIN</c>, one statement per call, so the load is atomic: a refused row (constraint,
/// type or length violation) fails the whole COPY, nothing stays written, and the server's error propagates as a
/// <see cref="PostgresException"/>. The connection stays usable afterwards (a failed or cancelled COPY ends with the
/// server's ReadyForQuery).
/// <para>
/// The wire format of every column is chosen from the receive function of its base type (domains resolved), read from
/// the catalogs on the first load of a table (and again when a column's declared type changes): integers, numeric,
/// money, floats, boolean, the text-like types (text, varchar, char(n), name, citext, json, enum labels, all of which
/// receive UTF-8 text), jsonb, bytea, date, time, timestamp, timestamptz, interval and uuid go through binary COPY
/// with Npgsql writing the base type explicitly (a long into a smallint column is narrowed with a range check, a
/// TimeSpan into a time column is a time of day). A table with any other column type (arrays, timetz, inet, bit,
/// ranges, xml, geometric and extension types, written by the seeder as literals) is loaded with text COPY instead,
/// where the server parses every value with the column's input function as an INSERT would.
/// </para>
/// <para>
/// Value conventions match <see cref="PostgresDialect.ValueExpression"/> on a server whose TimeZone is UTC (the
/// containers' default): DateTime values of any kind are written as they read into timestamp, and as UTC into
/// timestamptz; a TimeSpan into time wraps at 24 hours as the interval-to-time cast does. A value the client cannot
/// convert for its column (a string that is no number for an integer column, a long beyond smallint) is refused
/// with a <see cref="DbException"/> carrying the SQLSTATE the server would have used.
/// </para>
/// </summary>
public sealed class PostgresBulkLoader(PostgresDialect dialect) : IBulkLoader
{
    private readonly IDialect _dialect = dialect ?? throw new ArgumentNullException(nameof(dialect));

    /// <summary>
    /// Wire formats by table and column types (the seeder loads a table in chunks when rows may be refused); a column
    /// whose declared type changed gives a new key.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Wire[]> _wires = new(StringComparer.Ordinal);

    /// <summary>How one column travels in a COPY.</summary>
    internal enum Wire
    {
        /// <summary>UTF-8 text in binary COPY (text, varchar, bpchar, name, citext, json, enums).</summary>
        Text,
        Int2,
        Int4,
        Int8,
        Numeric,
        Money,
        Float4,
        Float8,
        Bool,
        Jsonb,
        Bytea,
        Date,
        Time,
        Timestamp,
        TimestampTz,
        Interval,
        Uuid,

        /// <summary>No binary writer: the table is loaded with text COPY.</summary>
        TextOnly,
    }

    public async Task<long> LoadAsync(DbConnection connection, Table table, IReadOnlyList<Column> columns, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        if (connection is not NpgsqlConnection npgsql)
        {
            throw new ArgumentException($"{nameof(PostgresBulkLoader)} needs an {nameof(NpgsqlConnection)}, got {connection.GetType().Name}.", nameof(connection));
        }

        if (columns.Count == 0)
        {
            // COPY needs a column list; rows of defaults only are INSERT ... DEFAULT VALUES.
            return await new PreparedInsertLoader(_dialect).LoadAsync(connection, table, columns, rows, cancellationToken).ConfigureAwait(false);
        }

        var wires = await ReadWiresAsync(npgsql, table, columns, cancellationToken).ConfigureAwait(false);
        var copy = $"COPY {_dialect.QuoteName(table.Name)} ({string.Join(", ", columns.Select(c => _dialect.QuoteIdentifier(c.Name)))}) FROM STDIN";
        return Array.IndexOf(wires, Wire.TextOnly) >= 0
            ? await CopyTextAsync(npgsql, copy, columns, wires, rows, cancellationToken).ConfigureAwait(false)
            : await CopyBinaryAsync(npgsql, copy + " (FORMAT BINARY)", columns, wires, rows, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The wire of a base type's receive function (pg_type.typreceive); null for a type without one.</summary>
    internal static Wire WireOf(string? receiveFunction) => receiveFunction switch
    {
        "textrecv" or "varcharrecv" or "bpcharrecv" or "namerecv" or "citextrecv" or "enum_recv" or "json_recv" => Wire.Text,
        "int2recv" => Wire.Int2,
        "int4recv" => Wire.Int4,
        "int8recv" => Wire.Int8,
        "numeric_recv" => Wire.Numeric,
        "cash_recv" => Wire.Money,
        "float4recv" => Wire.Float4,
        "float8recv" => Wire.Float8,
        "boolrecv" => Wire.Bool,
        "jsonb_recv" => Wire.Jsonb,
        "bytearecv" => Wire.Bytea,
        "date_recv" => Wire.Date,
        "time_recv" => Wire.Time,
        "timestamp_recv" => Wire.Timestamp,
        "timestamptz_recv" => Wire.TimestampTz,
        "interval_recv" => Wire.Interval,
        "uuid_recv" => Wire.Uuid,
        _ => Wire.TextOnly,
    };

    private async Task<Wire[]> ReadWiresAsync(NpgsqlConnection connection, Table table, IReadOnlyList<Column> columns, CancellationToken cancellationToken)
    {
        var key = _dialect.QuoteName(table.Name) + "(" + string.Join(",", columns.Select(c => _dialect.QuoteIdentifier(c.Name) + " " + c.DataType)) + ")";
        if (_wires.TryGetValue(key, out var known))
        {
            return known;
        }

        var (wires, complete) = await QueryWiresAsync(connection, table, columns, cancellationToken).ConfigureAwait(false);
        if (complete)
        {
            _wires[key] = wires;
        }

        return wires;
    }

    /// <summary>The wires of <paramref name="columns"/>; complete is false when the table lacks one of them (the COPY will say so).</summary>
    private async Task<(Wire[] Wires, bool Complete)> QueryWiresAsync(NpgsqlConnection connection, Table table, IReadOnlyList<Column> columns, CancellationToken cancellationToken)
    {
        var receive = new Dictionary<string, string?>(StringComparer.Ordinal);
        var command = new NpgsqlCommand(SqlResources.Load("bulk_columns.sql"), connection);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = _dialect.QuoteName(table.Name), NpgsqlDbType = NpgsqlDbType.Text });
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    receive[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
                }
            }
        }

        // A column the table does not have is left to the server, whose COPY then names it.
        var wires = columns.Select(c => receive.TryGetValue(c.Name, out var function) ? WireOf(function) : Wire.TextOnly).ToArray();
        return (wires, columns.All(c => receive.ContainsKey(c.Name)));
    }

    private static async Task<long> CopyBinaryAsync(
        NpgsqlConnection connection, string copy, IReadOnlyList<Column> columns, Wire[] wires, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken).ConfigureAwait(false);
        var completed = false;
        try
        {
            await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < wires.Length; i++)
                {
                    var value = row[i];
                    if (value is null or DBNull)
                    {
                        await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await WriteAsync(importer, value, wires[i], columns[i], cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            var written = await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            completed = true;
            return checked((long)written);
        }
        finally
        {
            await CloseAsync(importer.DisposeAsync, completed).ConfigureAwait(false);
        }
    }

    private static async Task<long> CopyTextAsync(
        NpgsqlConnection connection, string copy, IReadOnlyList<Column> columns, Wire[] wires, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var writer = (NpgsqlCopyTextWriter)await connection.BeginTextImportAsync(copy, cancellationToken).ConfigureAwait(false);
        var completed = false;
        try
        {
            long written = 0;
            var line = new StringBuilder(256);
            await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                line.Clear();
                for (var i = 0; i < wires.Length; i++)
                {
                    if (i > 0)
                    {
                        line.Append('\t');
                    }

                    AppendCopyText(line, row[i], wires[i], columns[i]);
                }

                line.Append('\n');
                await writer.WriteAsync(line, cancellationToken).ConfigureAwait(false);
                written++;
            }

            // Disposing a text import completes it: the server's verdict on the rows arrives here.
            await writer.DisposeAsync().ConfigureAwait(false);
            completed = true;
            return written;
        }
        finally
        {
            if (!completed)
            {
                await CloseAsync(writer.CancelAsync, completed: false).ConfigureAwait(false);
                await CloseAsync(writer.DisposeAsync, completed: false).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Ends an import. After a failure the import is cancelled; errors raised while cancelling (the server's own
    /// report of the refused row, already superseded by the exception in flight) are not allowed to replace it.
    /// </summary>
    private static async Task CloseAsync(Func<ValueTask> close, bool completed)
    {
        if (completed)
        {
            await close().ConfigureAwait(false);
            return;
        }

        try
        {
            await close().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            System.Diagnostics.Trace.TraceInformation(Reporting.Secrets.Redact($"RollbackVerifier: cancelling a failed COPY: {ex.Message}"));
        }
    }

    private static async Task CloseAsync(Func<Task> close, bool completed) =>
        await CloseAsync(() => new ValueTask(close()), completed).ConfigureAwait(false);

    // ----- binary values ------------------------------------------------------------------------------------------

    private static Task WriteAsync(NpgsqlBinaryImporter importer, object value, Wire wire, Column column, CancellationToken ct)
    {
        switch (wire)
        {
            case Wire.Text:
                return importer.WriteAsync(value as string ?? InvariantText(value), NpgsqlDbType.Text, ct);
            case Wire.Int2:
                return importer.WriteAsync((short)Range(Integer(value, column), short.MinValue, short.MaxValue, column, "smallint"), NpgsqlDbType.Smallint, ct);
            case Wire.Int4:
                return importer.WriteAsync((int)Range(Integer(value, column), int.MinValue, int.MaxValue, column, "integer"), NpgsqlDbType.Integer, ct);
            case Wire.Int8:
                return importer.WriteAsync(Integer(value, column), NpgsqlDbType.Bigint, ct);
            case Wire.Numeric:
                return importer.WriteAsync(Decimal(value, column), NpgsqlDbType.Numeric, ct);
            case Wire.Money:
                return importer.WriteAsync(Decimal(value, column), NpgsqlDbType.Money, ct);
            case Wire.Float4:
                return importer.WriteAsync((float)Double(value, column), NpgsqlDbType.Real, ct);
            case Wire.Float8:
                return importer.WriteAsync(Double(value, column), NpgsqlDbType.Double, ct);
            case Wire.Bool:
                return importer.WriteAsync(Boolean(value, column), NpgsqlDbType.Boolean, ct);
            case Wire.Jsonb:
                return importer.WriteAsync(value as string ?? throw Refused(column, value, "42804"), NpgsqlDbType.Jsonb, ct);
            case Wire.Bytea:
                return importer.WriteAsync(Bytes(value, column), NpgsqlDbType.Bytea, ct);
            case Wire.Date:
                return importer.WriteAsync(DateOnly.FromDateTime(DateTimeValue(value, column, utc: false)), NpgsqlDbType.Date, ct);
            case Wire.Time:
                return importer.WriteAsync(TimeOfDay(TimeSpanValue(value, column)), NpgsqlDbType.Time, ct);
            case Wire.Timestamp:
                return importer.WriteAsync(DateTimeValue(value, column, utc: false), NpgsqlDbType.Timestamp, ct);
            case Wire.TimestampTz:
                return importer.WriteAsync(DateTimeValue(value, column, utc: true), NpgsqlDbType.TimestampTz, ct);
            case Wire.Interval:
                return importer.WriteAsync(TimeSpanValue(value, column), NpgsqlDbType.Interval, ct);
            case Wire.Uuid:
                return importer.WriteAsync(GuidValue(value, column), NpgsqlDbType.Uuid, ct);
            default:
                throw new InvalidOperationException($"Column {column.Name} has no binary COPY format.");
        }
    }

    private static long Integer(object value, Column column) => value switch
    {
        long l => l,
        int i => i,
        short s => s,
        byte b => b,
        sbyte sb => sb,
        ushort us => us,
        uint ui => ui,
        ulong ul when ul <= long.MaxValue => (long)ul,
        decimal d when d >= long.MinValue && d <= long.MaxValue => (long)Math.Round(d, MidpointRounding.AwayFromZero),
        double f when !double.IsNaN(f) && f >= long.MinValue && f < 9.2233720368547758E18 => (long)Math.Round(f, MidpointRounding.ToEven),
        string s when long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
        string => throw Refused(column, value, "22P02"),
        ulong or decimal or double => throw Refused(column, value, "22003"),
        _ => throw Refused(column, value, "42804"),
    };

    private static long Range(long value, long min, long max, Column column, string type) =>
        value >= min && value <= max ? value : throw new PostgresBulkValueException("22003", $"{type} out of range: {value} for column {column.Name}");

    private static decimal Decimal(object value, Column column) => value switch
    {
        decimal d => d,
        long l => l,
        int i => i,
        short s => s,
        double f when double.IsFinite(f) && Math.Abs(f) < 7.9E28 => (decimal)f,
        string s when decimal.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        string => throw Refused(column, value, "22P02"),
        _ => throw Refused(column, value, "42804"),
    };

    private static double Double(object value, Column column) => value switch
    {
        double f => f,
        float f => f,
        decimal d => (double)d,
        long l => l,
        int i => i,
        short s => s,
        string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        string => throw Refused(column, value, "22P02"),
        _ => throw Refused(column, value, "42804"),
    };

    private static bool Boolean(object value, Column column) => value switch
    {
        bool b => b,
        string s => s.Trim().ToLowerInvariant() switch
        {
            "t" or "true" or "y" or "yes" or "on" or "1" => true,
            "f" or "false" or "n" or "no" or "off" or "0" => false,
            _ => throw Refused(column, value, "22P02"),
        },
        _ => throw Refused(column, value, "42804"),
    };

    private static byte[] Bytes(object value, Column column) => value switch
    {
        byte[] b => b,
        ReadOnlyMemory<byte> m => m.ToArray(),
        string s when s.StartsWith("\\x", StringComparison.Ordinal) && TryHex(s.AsSpan(2), out var parsed) => parsed,
        string s => Encoding.UTF8.GetBytes(s),
        _ => throw Refused(column, value, "42804"),
    };

    private static bool TryHex(ReadOnlySpan<char> hex, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }

    /// <summary>A timestamp (<paramref name="utc"/> false: kind dropped) or an instant (<paramref name="utc"/> true: UTC; unspecified counts as UTC).</summary>
    private static DateTime DateTimeValue(object value, Column column, bool utc)
    {
        var dateTime = value switch
        {
            DateTime d => d,
            DateTimeOffset o => o.UtcDateTime,
            DateOnly d => d.ToDateTime(TimeOnly.MinValue),
            string s when DateTime.TryParse(
                s.Trim(),
                CultureInfo.InvariantCulture,
                utc ? DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal : DateTimeStyles.None,
                out var parsed) => parsed,
            string => throw Refused(column, value, "22007"),
            _ => throw Refused(column, value, "42804"),
        };
        return utc
            ? dateTime.Kind switch
            {
                DateTimeKind.Utc => dateTime,
                DateTimeKind.Local => dateTime.ToUniversalTime(),
                _ => DateTime.SpecifyKind(dateTime, DateTimeKind.Utc),
            }
            : DateTime.SpecifyKind(dateTime, DateTimeKind.Unspecified);
    }

    private static TimeSpan TimeSpanValue(object value, Column column) => value switch
    {
        TimeSpan t => t,
        TimeOnly t => t.ToTimeSpan(),
        string s when TimeSpan.TryParse(s.Trim(), CultureInfo.InvariantCulture, out var parsed) => parsed,
        string => throw Refused(column, value, "22007"),
        _ => throw Refused(column, value, "42804"),
    };

    /// <summary>The time of day of <paramref name="span"/>, wrapping at 24 hours as PostgreSQL's interval-to-time cast does.</summary>
    private static TimeSpan TimeOfDay(TimeSpan span)
    {
        var ticks = span.Ticks % TimeSpan.TicksPerDay;
        return new TimeSpan(ticks < 0 ? ticks + TimeSpan.TicksPerDay : ticks);
    }

    private static Guid GuidValue(object value, Column column) => value switch
    {
        Guid g => g,
        string s when Guid.TryParse(s.Trim(), out var parsed) => parsed,
        string => throw Refused(column, value, "22P02"),
        _ => throw Refused(column, value, "42804"),
    };

    private static PostgresBulkValueException Refused(Column column, object value, string sqlState) =>
        new(sqlState, $"COPY cannot write {value.GetType().Name} value '{Truncate(InvariantText(value))}' into column {column.Name} of type {column.DataType}");

    private static string Truncate(string text) => text.Length <= 60 ? text : text[..57] + "...";

    // ----- text COPY ----------------------------------------------------------------------------------------------

    /// <summary>Appends one field of COPY's text format: <c>\N</c> for NULL, else the value's PostgreSQL literal with backslash escapes.</summary>
    internal static void AppendCopyText(StringBuilder line, object? value, Wire wire, Column column)
    {
        if (value is null or DBNull)
        {
            line.Append("\\N");
            return;
        }

        var text = value switch
        {
            string s => s,
            DateTime d => wire switch
            {
                Wire.Date => d.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture),
                Wire.TimestampTz => DateTimeValue(d, column, utc: true).ToString("yyyy'-'MM'-'dd' 'HH':'mm':'ss'.'ffffff", CultureInfo.InvariantCulture) + "+00",
                _ => d.ToString("yyyy'-'MM'-'dd' 'HH':'mm':'ss'.'ffffff", CultureInfo.InvariantCulture),
            },
            TimeSpan t => wire == Wire.Interval ? IntervalText(t) : TimeOfDay(t).ToString("hh':'mm':'ss'.'ffffff", CultureInfo.InvariantCulture),
            _ => InvariantText(value),
        };
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\':
                    line.Append("\\\\");
                    break;
                case '\n':
                    line.Append("\\n");
                    break;
                case '\r':
                    line.Append("\\r");
                    break;
                case '\t':
                    line.Append("\\t");
                    break;
                default:
                    line.Append(c);
                    break;
            }
        }
    }

    /// <summary>"1 days 02:03:04.000000", "-1 days -02:03:04.000000": days and time as Npgsql writes a TimeSpan (months 0).</summary>
    private static string IntervalText(TimeSpan span)
    {
        var days = span.Days;
        var rest = span - TimeSpan.FromDays(days);
        var sign = rest < TimeSpan.Zero ? "-" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{days} days {sign}{rest.Duration():hh':'mm':'ss'.'ffffff}");
    }

    /// <summary>The PostgreSQL input text of a value that is not a string (as the value's ::text would print it).</summary>
    internal static string InvariantText(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        double f => f.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        byte[] b => "\\x" + Convert.ToHexStringLower(b),
        Guid g => g.ToString("D"),
        DateTime d => d.ToString("yyyy'-'MM'-'dd' 'HH':'mm':'ss'.'ffffff", CultureInfo.InvariantCulture) + (d.Kind == DateTimeKind.Utc ? "+00" : string.Empty),
        DateTimeOffset o => o.UtcDateTime.ToString("yyyy'-'MM'-'dd' 'HH':'mm':'ss'.'ffffff", CultureInfo.InvariantCulture) + "+00",
        TimeSpan t => IntervalText(t),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}

/// <summary>A value the bulk loader cannot send for its column; carries the SQLSTATE the server would have reported.</summary>
public sealed class PostgresBulkValueException : NpgsqlException
{
    private readonly string? _sqlState;

    public PostgresBulkValueException()
    {
    }

    public PostgresBulkValueException(string message)
        : base(message)
    {
    }

    public PostgresBulkValueException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PostgresBulkValueException(string sqlState, string message)
        : base(message)
    {
        _sqlState = sqlState;
    }

    public override string? SqlState => _sqlState;
}
