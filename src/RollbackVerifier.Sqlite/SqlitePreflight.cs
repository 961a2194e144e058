using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Preflight;

namespace RollbackVerifier.Sqlite;

/// <summary>
/// SQLite's pieces of the pre-rollback checklist. SQLite enforces no declared length, precision or integer width, so
/// only NOT NULL, unique keys, checks, foreign keys, conversions (text that will not become a number under the old
/// column's affinity) and discarded data are checked. The session is read-only twice: the file is opened read-only
/// (Mode=ReadOnly) and PRAGMA query_only refuses writes on the connection. No transaction is held open: in
/// rollback-journal mode a long read transaction would hold off production writers.
/// </summary>
public sealed partial class SqliteDialect : IPreflightDialect
{
    public string Literal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    public string? TooLong(Column old, Column column, string expression) => null;

    public string Round(string expression, int scale) => $"round({expression}, {scale.ToString(CultureInfo.InvariantCulture)})";

    /// <summary>
    /// Under numeric affinity, text that is a number becomes one; anything else stays text in the numeric column (or
    /// fails in a STRICT table). Comparing the value with its cast applies that affinity.
    /// </summary>
    public string? WillNotConvert(Column old, string expression, string? serverVersion)
    {
        ArgumentNullException.ThrowIfNull(old);
        return old.Family switch
        {
            TypeFamily.Integer => $"{expression} <> CAST({expression} AS INTEGER)",
            TypeFamily.Decimal or TypeFamily.Float => $"{expression} <> CAST({expression} AS REAL)",
            _ => null,
        };
    }

    public string NotDistinct(string left, string right) => $"{left} IS {right}";

    public string? OutsideLabels(Column old, string expression)
    {
        ArgumentNullException.ThrowIfNull(old);
        return old.EnumValues.Count == 0 ? null : $"CAST({expression} AS TEXT) NOT IN ({string.Join(", ", old.EnumValues.Select(Literal))})";
    }

    public bool SequencesCanCollide => false;

    public IReadOnlyList<string> ReadOnlySession(PreflightLimits limits, string? serverVersion)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return ["PRAGMA query_only = ON", $"PRAGMA busy_timeout = {((long)limits.LockWait.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}"];
    }

    public string? BeginReadOnly => null;

    public string ReadOnlyProbe(string? serverVersion) => "PRAGMA query_only";

    public IReadOnlyList<string> ResetSession(string? serverVersion) => ["PRAGMA query_only = OFF"];

    /// <summary>SQLITE_READONLY (8) and its extended codes.</summary>
    public bool IsReadOnlyRefusal(DatabaseError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Code.StartsWith("SQLITE_READONLY", StringComparison.Ordinal);
    }

    public IReadOnlyList<string> HowToRunReadOnly(string fileName) =>
    [
        "Run it read-only with the sqlite3 shell (the file is opened read-only and writes are refused):",
        $"  sqlite3 -readonly -cmd \"PRAGMA query_only = ON\" app.db < {fileName}",
        "or with the guard that refuses any statement that is not a plain read before it is sent:",
        $"  rollback-verifier preflight <scenario folder> --checklist {fileName} --sqlite-file app.db",
    ];
}

/// <summary>Opens a production SQLite file for preflight: read-only mode, unpooled, foreign keys as applications configure them.</summary>
public static class SqlitePreflightConnection
{
    /// <exception cref="FileNotFoundException">The file does not exist (read-only mode never creates one).</exception>
    public static async Task<(DbConnection Connection, string Description, string ServerVersion)> OpenAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"SQLite database {full} does not exist.", full);
        }

        var connection = new SqliteConnection(SqliteInstance.BuildConnectionString(full, SqliteOpenMode.ReadOnly));
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return (connection, full, "SQLite " + connection.ServerVersion);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
