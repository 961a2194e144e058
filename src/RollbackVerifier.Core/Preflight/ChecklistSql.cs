using System.Text;
using RollbackVerifier.Model;

namespace RollbackVerifier.Preflight;

/// <summary>
/// The shape of every check: one read-only query that returns the count of offending rows and a bounded, ordered
/// sample of their keys. The count comes from a one-row derived table LEFT JOINed to the sample, so a clean check still
/// returns one row (count 0, NULL keys). CTEs and LIMIT in derived tables work on PostgreSQL, MySQL 8, MariaDB 10.2+
/// and SQLite 3.8+.
/// </summary>
public static class ChecklistSql
{
    /// <summary>The result column holding the count.</summary>
    public const string CountColumn = "rv_offending";

    /// <summary>How many sample keys a check returns at most.</summary>
    public const int SampleSize = 10;

    /// <summary>The CTE's name (a name no application table is likely to have).</summary>
    private const string Offending = "rv_offending_rows";

    /// <summary>
    /// The check query over <paramref name="from"/> (FROM ... WHERE ... [GROUP BY ... HAVING ...]) with the sample
    /// columns <paramref name="sample"/> (an expression and the output name of each).
    /// </summary>
    public static string Query(IPreflightDialect dialect, IReadOnlyList<(string Expression, string Name)> sample, string from)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(sample);
        if (sample.Count == 0)
        {
            throw new ArgumentException("A check needs at least one sample column.", nameof(sample));
        }

        var names = sample.Select(s => dialect.QuoteIdentifier(s.Name)).ToList();
        var list = string.Join(", ", names);
        var select = string.Join(", ", sample.Select((s, i) => s.Expression == names[i] ? s.Expression : $"{s.Expression} AS {names[i]}"));
        var sql = new StringBuilder();
        sql.Append("WITH ").Append(Offending).Append(" AS (\n");
        sql.Append("    SELECT ").Append(select).Append('\n');
        foreach (var line in from.Split('\n'))
        {
            sql.Append("    ").Append(line).Append('\n');
        }

        sql.Append(")\n");
        sql.Append("SELECT c.").Append(CountColumn).Append(", ").Append(string.Join(", ", names.Select(n => "s." + n))).Append('\n');
        sql.Append("FROM (SELECT count(*) AS ").Append(CountColumn).Append(" FROM ").Append(Offending).Append(") AS c\n");
        sql.Append("LEFT JOIN (SELECT ").Append(list).Append(" FROM ").Append(Offending).Append(" ORDER BY ").Append(list)
            .Append(" LIMIT ").Append(SampleSize).Append(") AS s ON 1 = 1\n");
        sql.Append("ORDER BY ").Append(string.Join(", ", names.Select(n => "s." + n)));
        return sql.ToString();
    }

    /// <summary>Sample columns for rows of <paramref name="table"/>: its primary key, else a unique key of NOT NULL columns, else <paramref name="fallback"/>.</summary>
    public static IReadOnlyList<string> KeyColumns(Table table, IEnumerable<string> fallback)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.PrimaryKey is { Columns.Count: > 0 } pk)
        {
            return pk.Columns;
        }

        var unique = table.Uniques.Select(u => (IReadOnlyList<string>)u.Columns)
            .Concat(table.Indexes.Where(i => i.IsUnique && i.Predicate is null && i.Keys.All(k => !k.IsExpression)).Select(i => (IReadOnlyList<string>)i.Keys.Select(k => k.Expression).ToList()))
            .FirstOrDefault(set => set.All(c => table.FindColumn(c) is { IsNullable: false }));
        return unique ?? fallback.Distinct(StringComparer.Ordinal).Take(4).ToList();
    }
}
