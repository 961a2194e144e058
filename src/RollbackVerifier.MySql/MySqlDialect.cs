using System.Data.Common;
using System.Globalization;
using MySqlConnector;
using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Splitting;
using RollbackVerifier.Model;

namespace RollbackVerifier.MySql;

/// <summary>MySQL / MariaDB SQL text rules: backtick quoting, the mysql client's splitting, server error numbers.</summary>
public sealed partial class MySqlDialect : IDialect
{
    public EngineKind Kind => EngineKind.MySql;

    public IStatementSplitter Splitter { get; } = new MySqlStatementSplitter();

    public string QuoteIdentifier(string identifier) => Quote(identifier);

    /// <summary>The quoting rule, for the server and inspector code that has no dialect instance.</summary>
    internal static string Quote(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        return "`" + identifier.Replace("`", "``", StringComparison.Ordinal) + "`";
    }

    /// <summary>
    /// Code: the server's error number (for example "1265" for "Data truncated", "1062" for a duplicate key); detail: the
    /// SQLSTATE and MySqlConnector's name for the number. Client-side failures (timeouts, broken connections) carry
    /// MySqlConnector's own negative or zero numbers.
    /// </summary>
    public DatabaseError DescribeError(DbException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is MySqlBulkLoadException bulk)
        {
            return new DatabaseError(bulk.Number.ToString(CultureInfo.InvariantCulture), bulk.Message, bulk.InnerException?.Message);
        }

        if (exception is not MySqlException my)
        {
            return new DatabaseError(exception.SqlState ?? "error", exception.Message);
        }

        var detail = new List<string>();
        if (!string.IsNullOrEmpty(my.SqlState))
        {
            detail.Add("SQLSTATE " + my.SqlState);
        }

        if (Enum.IsDefined(my.ErrorCode))
        {
            detail.Add(my.ErrorCode.ToString());
        }

        return new DatabaseError(my.Number.ToString(CultureInfo.InvariantCulture), my.Message, detail.Count == 0 ? null : string.Join("; ", detail));
    }
}
