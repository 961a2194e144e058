using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Splitting;
using RollbackVerifier.Model;

namespace RollbackVerifier.Sqlite;

/// <summary>SQLite's SQL text rules: "double-quoted" identifiers, the sqlite3 shell's statement splitting, result-code errors.</summary>
public sealed partial class SqliteDialect : IDialect
{
    public EngineKind Kind => EngineKind.Sqlite;

    public IStatementSplitter Splitter { get; } = new SqliteStatementSplitter();

    /// <summary>Microsoft.Data.Sqlite runs statements synchronously and ignores the token once a statement runs; sqlite3_interrupt stops it.</summary>
    public IDisposable? InterruptOnCancel(DbConnection connection, CancellationToken cancellationToken) =>
        connection is SqliteConnection { Handle: { } handle }
            ? cancellationToken.Register(() => SQLitePCL.raw.sqlite3_interrupt(handle))
            : null;

    public string QuoteIdentifier(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        return "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>
    /// Maps a <see cref="SqliteException"/> to its extended result code name and number (for example
    /// "SQLITE_CONSTRAINT_CHECK(275)") and SQLite's own message without the provider's "SQLite Error n: '...'" wrapper.
    /// </summary>
    public DatabaseError DescribeError(DbException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is SqliteException sqlite)
        {
            var match = ProviderMessage().Match(sqlite.Message);
            var message = match.Success ? match.Groups["message"].Value : sqlite.Message;
            return new DatabaseError(SqliteErrorCodes.Describe(sqlite.SqliteErrorCode, sqlite.SqliteExtendedErrorCode), message);
        }

        return new DatabaseError(exception.ErrorCode == 0 ? "error" : exception.ErrorCode.ToString(System.Globalization.CultureInfo.InvariantCulture), exception.Message);
    }

    [GeneratedRegex(@"^SQLite Error -?\d+: '(?<message>.*)'\.?$", RegexOptions.Singleline)]
    private static partial Regex ProviderMessage();
}
