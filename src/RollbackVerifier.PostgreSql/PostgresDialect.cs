using System.Data.Common;
using System.Globalization;
using System.Text;
using Npgsql;
using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Splitting;
using RollbackVerifier.Model;

namespace RollbackVerifier.PostgreSql;

/// <summary>
/// PostgreSQL's SQL text rules: "double-quoted" identifiers, psql's statement splitting, SQLSTATE errors, and casts
/// that feed text parameters into enum, json, array and date/time columns.
/// </summary>
public sealed partial class PostgresDialect : IDialect
{
    public EngineKind Kind => EngineKind.Postgres;

    public IStatementSplitter Splitter { get; } = new PostgresStatementSplitter();

    /// <summary>Always quotes, doubling embedded quotes, so case and reserved words survive.</summary>
    public string QuoteIdentifier(string identifier) => Quote(identifier);

    /// <summary>The quoting rule, for the server and inspector code that has no dialect instance.</summary>
    internal static string Quote(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        return "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>
    /// Parameters arrive as .NET values (long, decimal, string, DateTime, TimeSpan, ...). Text, integer, float, boolean,
    /// binary and uuid values convert to the column's type implicitly (and an explicit cast to varchar(n) would
    /// truncate silently instead of failing), everything else is cast to the column's own type: PostgreSQL has no
    /// implicit cast from text to enum, json or arrays, nor from interval to time.
    /// </summary>
    public string ValueExpression(Column column, string parameter)
    {
        ArgumentNullException.ThrowIfNull(column);
        return column.Family switch
        {
            TypeFamily.Text or TypeFamily.Integer or TypeFamily.Float or TypeFamily.Boolean or TypeFamily.Binary or TypeFamily.Uuid => parameter,
            TypeFamily.Time => $"CAST(CAST({parameter} AS time without time zone) AS {column.DataType})",
            _ => $"CAST({parameter} AS {column.DataType})",
        };
    }

    /// <summary>SQLSTATE and the server's primary message; detail, hint, position and context go to the detail.</summary>
    public DatabaseError DescribeError(DbException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is PostgresException pg)
        {
            var detail = new StringBuilder();
            Append(detail, "DETAIL", pg.Detail);
            Append(detail, "HINT", pg.Hint);
            Append(detail, "POSITION", pg.Position > 0 ? pg.Position.ToString(CultureInfo.InvariantCulture) : null);
            Append(detail, "CONTEXT", pg.Where);
            Append(detail, "CONSTRAINT", pg.ConstraintName);
            return new DatabaseError(pg.SqlState, pg.MessageText, detail.Length == 0 ? null : detail.ToString());
        }

        var code = exception.SqlState ?? (exception is NpgsqlException ? "npgsql" : "error");
        return new DatabaseError(code, exception.Message, exception.InnerException?.Message);
    }

    private static void Append(StringBuilder builder, string label, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        if (builder.Length > 0)
        {
            builder.Append('\n');
        }

        builder.Append(label).Append(": ").Append(value);
    }
}
