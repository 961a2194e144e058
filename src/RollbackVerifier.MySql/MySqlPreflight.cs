using System.Data.Common;
using System.Globalization;
using System.Text;
using MySqlConnector;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Preflight;
using RollbackVerifier.Seeding;

namespace RollbackVerifier.MySql;

/// <summary>
/// MySQL / MariaDB pieces of the pre-rollback checklist: CHAR_LENGTH for VARCHAR/CHAR limits and OCTET_LENGTH for the
/// TEXT types (their limits are bytes), casts tested by pattern for numbers and with JSON_VALID for json, and a session
/// made read-only with SET SESSION TRANSACTION READ ONLY, START TRANSACTION READ ONLY and a per-statement time limit
/// (MAX_EXECUTION_TIME on MySQL, max_statement_time on MariaDB) and lock wait limits.
/// </summary>
public sealed partial class MySqlDialect : IPreflightDialect
{
    private const string IntegerPattern = "^[[:space:]]*[-+]?[0-9]+[[:space:]]*$";
    private const string NumberPattern = "^[[:space:]]*[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]+)?[[:space:]]*$";

    /// <summary>
    /// A quoted string without backslashes means the same with or without NO_BACKSLASH_ESCAPES; any other text is
    /// written as hex and converted, which no sql_mode changes.
    /// </summary>
    public string Literal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Contains('\\', StringComparison.Ordinal) || value.Any(char.IsControl)
            ? $"CONVERT(X'{Convert.ToHexString(Encoding.UTF8.GetBytes(value))}' USING utf8mb4)"
            : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary>VARCHAR(n)/CHAR(n) limits are characters; TINYTEXT/TEXT/MEDIUMTEXT limits are bytes.</summary>
    public string? TooLong(Column old, Column column, string expression)
    {
        ArgumentNullException.ThrowIfNull(old);
        if (old.Length is not { } length)
        {
            return null;
        }

        var bytes = old.DataType.Contains("text", StringComparison.OrdinalIgnoreCase);
        return $"{(bytes ? "OCTET_LENGTH" : "CHAR_LENGTH")}({expression}) > {length.ToString(CultureInfo.InvariantCulture)}";
    }

    public string Round(string expression, int scale) => $"ROUND({expression}, {scale.ToString(CultureInfo.InvariantCulture)})";

    /// <summary>Numbers by pattern (and range), json with JSON_VALID; dates and times have no reliable read-only test (CAST accepts what strict ALTER refuses).</summary>
    public string? WillNotConvert(Column old, string expression, string? serverVersion)
    {
        ArgumentNullException.ThrowIfNull(old);
        var e = expression;
        switch (old.Family)
        {
            case TypeFamily.Integer or TypeFamily.Boolean:
            {
                // BOOL is TINYINT(1): any TINYINT value fits.
                var (lo, hi) = old.Family == TypeFamily.Boolean ? (-128L, 127L) : ValueGenerator.IntegerTypeRange(old);
                return $"CASE WHEN {e} REGEXP {Literal(IntegerPattern)} THEN CAST({e} AS DECIMAL(65, 0)) NOT BETWEEN {lo.ToString(CultureInfo.InvariantCulture)} AND {hi.ToString(CultureInfo.InvariantCulture)} ELSE 1 END";
            }

            case TypeFamily.Decimal when old.Precision is { } precision:
            {
                var limit = Relaxations.Pow10(precision - (old.Scale ?? 0)).ToString(CultureInfo.InvariantCulture);
                return $"CASE WHEN {e} REGEXP {Literal(NumberPattern)} THEN ABS(ROUND(CAST({e} AS DECIMAL(65, 30)), {(old.Scale ?? 0).ToString(CultureInfo.InvariantCulture)})) >= {limit} ELSE 1 END";
            }

            case TypeFamily.Decimal or TypeFamily.Float:
                return $"NOT ({e} REGEXP {Literal(NumberPattern)})";
            case TypeFamily.Json:
                return $"JSON_VALID({e}) = 0";
            default:
                return null;
        }
    }

    public string NotDistinct(string left, string right) => $"{left} <=> {right}";

    /// <summary>ENUM labels by text; SET values are combinations of labels, which a list comparison cannot test.</summary>
    public string? OutsideLabels(Column old, string expression)
    {
        ArgumentNullException.ThrowIfNull(old);
        return old.EnumValues.Count == 0 || old.DataType.StartsWith("set", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"CAST({expression} AS CHAR) NOT IN ({string.Join(", ", old.EnumValues.Select(Literal))})";
    }

    public bool SequencesCanCollide => false;

    public IReadOnlyList<string> ReadOnlySession(PreflightLimits limits, string? serverVersion)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var lockSeconds = Math.Max(1, (long)Math.Ceiling(limits.LockWait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return
        [
            "SET SESSION TRANSACTION READ ONLY",
            ServerVersions.IsMariaDb(serverVersion)
                ? $"SET SESSION max_statement_time = {limits.Statement.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}"
                : $"SET SESSION MAX_EXECUTION_TIME = {((long)limits.Statement.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}",
            $"SET SESSION lock_wait_timeout = {lockSeconds}",
            $"SET SESSION innodb_lock_wait_timeout = {lockSeconds}",
        ];
    }

    public string? BeginReadOnly => "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY";

    /// <summary>MariaDB before 11.1 names the variable tx_read_only; MySQL 8 removed that name.</summary>
    public string ReadOnlyProbe(string? serverVersion) =>
        ServerVersions.IsMariaDb(serverVersion) ? "SELECT @@session.tx_read_only" : "SELECT @@session.transaction_read_only";

    public IReadOnlyList<string> ResetSession(string? serverVersion) =>
    [
        "SET SESSION TRANSACTION READ WRITE",
        ServerVersions.IsMariaDb(serverVersion) ? "SET SESSION max_statement_time = DEFAULT" : "SET SESSION MAX_EXECUTION_TIME = DEFAULT",
        "SET SESSION lock_wait_timeout = DEFAULT",
        "SET SESSION innodb_lock_wait_timeout = DEFAULT",
    ];

    /// <summary>1792 ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION; 1290 and 1836 when the server itself runs read-only.</summary>
    public bool IsReadOnlyRefusal(DatabaseError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Code is "1792" or "1290" or "1836";
    }

    public IReadOnlyList<string> HowToRunReadOnly(string fileName) =>
    [
        "Run it read-only with the mysql client (the server refuses any write in such a session):",
        $"  MySQL:   mysql --init-command=\"SET SESSION transaction_read_only = ON, MAX_EXECUTION_TIME = 60000, lock_wait_timeout = 2\" -h HOST -u USER -p DATABASE < {fileName}",
        $"  MariaDB: mariadb --init-command=\"SET SESSION tx_read_only = ON, max_statement_time = 60, lock_wait_timeout = 2\" -h HOST -u USER -p DATABASE < {fileName}",
        "or with the guard that refuses any statement that is not a plain read before it is sent:",
        $"  rollback-verifier preflight <scenario folder> --checklist {fileName} --mysql-url \"mysql://USER@HOST:3306/DATABASE\"",
    ];
}

/// <summary>Opens a production connection for preflight: unpooled, on the database the URL names.</summary>
public static class MySqlPreflightConnection
{
    /// <summary>Opens the database named by <paramref name="target"/> (mysql://user:password@host:port/database or a connection string).</summary>
    /// <returns>The open connection, the server described without its password, and the server version.</returns>
    /// <exception cref="ArgumentException">The URL is invalid or names no database.</exception>
    public static async Task<(DbConnection Connection, string Description, string ServerVersion)> OpenAsync(string target, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        var builder = MySqlServerUrl.Parse(target);
        builder.Database = DatabaseOf(target);
        if (builder.Database.Length == 0)
        {
            throw new ArgumentException("The MySQL URL names no database: mysql://user:password@host:port/database", nameof(target));
        }

        builder.Pooling = false;
        builder.ApplicationName = "rollback-verifier preflight";
        var connection = new MySqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // MariaDB announces itself as "5.5.5-10.11.6-MariaDB..." for old clients' sake.
            var version = connection.ServerVersion.StartsWith("5.5.5-", StringComparison.Ordinal) ? connection.ServerVersion[6..] : connection.ServerVersion;
            var description = MySqlServerUrl.Describe(builder) + "/" + builder.Database;
            return (connection, description, (version.Contains("MariaDB", StringComparison.OrdinalIgnoreCase) ? "MariaDB " : "MySQL ") + version.Split('-')[0]);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The database of a URL's path or a connection string's Database key (the engine's parser drops it: it creates its own databases).</summary>
    private static string DatabaseOf(string target)
    {
        if (target.Contains("://", StringComparison.Ordinal))
        {
            return Uri.TryCreate(target, UriKind.Absolute, out var uri) ? Uri.UnescapeDataString(uri.AbsolutePath.Trim('/')) : string.Empty;
        }

        return new MySqlConnectionStringBuilder(target).Database;
    }
}
