using System.Data.Common;
using MySqlConnector;
using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Splitting;
using RollbackVerifier.Model;

namespace RollbackVerifier.MySql;

/// <summary>MySQL / MariaDB SQL text rules: backtick quoting, the mysql client's splitting, server error numbers.</summary>
public sealed class MySqlDialect : IDialect
{
    public EngineKind Kind => EngineKind.MySql;

    public IStatementSplitter Splitter { get; } = new MySqlStatementSplitter();

    public string QuoteIdentifier(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        return "`" + identifier.Replace("`", "``", StringComparison.Ordinal) + "`";
    }

    public DatabaseError DescribeError(DbException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception is MySqlException my
            ? new DatabaseError(my.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), my.Message, my.SqlState is null ? null : "SQLSTATE " + my.SqlState)
            : new DatabaseError("error", exception.Message);
    }
}
