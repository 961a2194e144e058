using System.Data.Common;
using System.Globalization;
using Npgsql;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Preflight;
using RollbackVerifier.Seeding;

namespace RollbackVerifier.PostgreSql;

/// <summary>
/// PostgreSQL's pieces of the pre-rollback checklist: char_length for varchar(n), round on numeric, casts tested with
/// pg_input_is_valid (PostgreSQL 16+) or, before 16, a pattern for the types whose text form a pattern decides
/// (integers, numerics, floats, booleans, uuids), and a session made read-only with default_transaction_read_only,
/// a REPEATABLE READ READ ONLY transaction, statement_timeout and lock_timeout.
/// </summary>
public sealed partial class PostgresDialect : IPreflightDialect
{
    private const string Number = @"^\s*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$";

    /// <summary>A standard string; with backslashes an E'' string, so standard_conforming_strings does not matter.</summary>
    public string Literal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var quoted = value.Replace("'", "''", StringComparison.Ordinal);
        return value.Contains('\\', StringComparison.Ordinal) ? "E'" + quoted.Replace("\\", "\\\\", StringComparison.Ordinal) + "'" : "'" + quoted + "'";
    }

    /// <summary>varchar(n) and char(n) count characters.</summary>
    public string? TooLong(Column old, Column column, string expression)
    {
        ArgumentNullException.ThrowIfNull(old);
        return old.Length is { } length ? $"char_length({expression}) > {length.ToString(CultureInfo.InvariantCulture)}" : null;
    }

    /// <summary>round(numeric, int) exists only for numeric; a float column is cast first (numeric rounds half away from zero, as the conversion does).</summary>
    public string Round(string expression, int scale) => $"round(CAST({expression} AS numeric), {scale.ToString(CultureInfo.InvariantCulture)})";

    public string? WillNotConvert(Column old, string expression, string? serverVersion)
    {
        ArgumentNullException.ThrowIfNull(old);
        if (ServerVersions.Major(serverVersion) >= 16)
        {
            return $"NOT pg_input_is_valid({expression}, {Literal(old.DataType)})";
        }

        // Before 16 only types whose input a pattern decides exactly; dates, times, intervals and json need a cast
        // that raises, which a read-only check must not rely on.
        var e = expression;
        switch (old.Family)
        {
            case TypeFamily.Integer:
            {
                var (lo, hi) = ValueGenerator.IntegerTypeRange(old);
                return $"CASE WHEN {e} ~ {Literal(@"^\s*[-+]?[0-9]{1,18}\s*$")} THEN CAST({e} AS bigint) NOT BETWEEN {lo.ToString(CultureInfo.InvariantCulture)} AND {hi.ToString(CultureInfo.InvariantCulture)} ELSE true END";
            }

            case TypeFamily.Decimal when old.Precision is { } precision:
            {
                var limit = Relaxations.Pow10(precision - (old.Scale ?? 0)).ToString(CultureInfo.InvariantCulture);
                return $"CASE WHEN {e} ~ {Literal(Number)} THEN abs(round(CAST({e} AS numeric), {(old.Scale ?? 0).ToString(CultureInfo.InvariantCulture)})) >= {limit} ELSE true END";
            }

            case TypeFamily.Decimal:
                return $"{e} !~ {Literal(Number)} AND lower(trim({e})) <> 'nan'";
            case TypeFamily.Float:
                return $"{e} !~ {Literal(Number)} AND lower(trim({e})) NOT IN ('nan', 'infinity', '+infinity', '-infinity', 'inf', '+inf', '-inf')";
            case TypeFamily.Boolean:
                return $"lower(trim({e})) NOT IN ('t', 'tr', 'tru', 'true', 'f', 'fa', 'fal', 'fals', 'false', 'y', 'ye', 'yes', 'n', 'no', 'on', 'of', 'off', '1', '0')";
            case TypeFamily.Uuid:
                return $"{e} !~ {Literal(@"^\{?[0-9a-fA-F]{4}(-?[0-9a-fA-F]{4}){7}\}?$")}";
            default:
                return null;
        }
    }

    public string NotDistinct(string left, string right) => $"{left} IS NOT DISTINCT FROM {right}";

    /// <summary>Compared as text, so a label the column's current type lacks cannot make the query fail.</summary>
    public string? OutsideLabels(Column old, string expression)
    {
        ArgumentNullException.ThrowIfNull(old);
        return old.EnumValues.Count == 0 ? null : $"CAST({expression} AS text) NOT IN ({string.Join(", ", old.EnumValues.Select(Literal))})";
    }

    public bool SequencesCanCollide => true;

    public IReadOnlyList<string> ReadOnlySession(PreflightLimits limits, string? serverVersion)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return
        [
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
            $"SET statement_timeout = {Milliseconds(limits.Statement)}",
            $"SET lock_timeout = {Milliseconds(limits.LockWait)}",
            "SET application_name = 'rollback-verifier preflight'",
        ];
    }

    public string? BeginReadOnly => "BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";

    public string ReadOnlyProbe(string? serverVersion) => "SELECT current_setting('transaction_read_only')";

    public IReadOnlyList<string> ResetSession(string? serverVersion) =>
        ["SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE", "RESET statement_timeout", "RESET lock_timeout", "RESET application_name"];

    /// <summary>SQLSTATE 25006 read_only_sql_transaction.</summary>
    public bool IsReadOnlyRefusal(DatabaseError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Code == "25006";
    }

    public IReadOnlyList<string> HowToRunReadOnly(string fileName) =>
    [
        "Run it read-only with psql (the server refuses any write in such a session):",
        $"  PGOPTIONS='-c default_transaction_read_only=on -c statement_timeout=60s -c lock_timeout=2s' psql \"$DATABASE_URL\" -X -f {fileName}",
        "or with the guard that refuses any statement that is not a plain read before it is sent:",
        $"  rollback-verifier preflight <scenario folder> --checklist {fileName} --postgres-url \"$DATABASE_URL\"",
    ];

    private static string Milliseconds(TimeSpan time) => ((long)Math.Max(1, time.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
}

/// <summary>Opens a production connection for preflight: unpooled, read-only from the startup packet on, named in pg_stat_activity.</summary>
public static class PostgresPreflightConnection
{
    /// <summary>Opens the database named by <paramref name="target"/> (a postgres:// URL or a connection string).</summary>
    /// <returns>The open connection, the server described without its password, and the server version.</returns>
    /// <exception cref="ArgumentException">The URL is invalid.</exception>
    public static async Task<(DbConnection Connection, string Description, string ServerVersion)> OpenAsync(string target, CancellationToken cancellationToken)
    {
        var builder = PostgresServerUrl.Parse(target);
        builder.Pooling = false;
        builder.ApplicationName = "rollback-verifier preflight";

        // Read-only before the first statement: even a session setting that fails cannot leave a writable session behind.
        builder.Options = ((builder.Options ?? string.Empty) + " -c default_transaction_read_only=on").Trim();
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return (connection, PostgresServerUrl.Describe(builder), "PostgreSQL " + connection.PostgreSqlVersion.ToString());
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
