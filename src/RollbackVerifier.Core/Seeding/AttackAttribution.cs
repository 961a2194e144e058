using RollbackVerifier.Reporting;

namespace RollbackVerifier.Seeding;

/// <summary>
/// Says which adversarial live rows a failed rollback statement most likely met: attacks on the tables the statement
/// names, those on columns it names first, edge rows last.
/// </summary>
public static class AttackAttribution
{
    /// <summary>At most <paramref name="limit"/> attacks that wrote rows, best match first.</summary>
    public static IReadOnlyList<SeedAttack> For(string statement, IEnumerable<SeedTableSummary> seeding, int limit = 3)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(seeding);
        var candidates = seeding
            .Where(s => s.Phase == "live" && MentionsTable(statement, Unqualified(s.Table)))
            .SelectMany(s => (s.Adversarial ?? []).Where(a => a.Rows > 0))
            .ToList();
        var named = candidates.Where(a => a.Columns.Count > 0 && a.Columns.Any(c => SeedPlanner.ContainsIdentifier(statement, c))).ToList();
        var ranked = named.Count > 0
            ? named
            : candidates.OrderBy(a => a.Kind == "edge" ? 1 : 0).ToList();
        return ranked.Take(limit).ToList();
    }

    /// <summary>
    /// Attacks on a data finding's object (<c>table</c> or <c>table.column</c>): the live rows a rollback deleted or
    /// rewrote, such as duplicates it removed to restore a unique key. Edge rows are left out (they attack scripts, not rules).
    /// </summary>
    public static IReadOnlyList<SeedAttack> ForObject(string findingObject, IEnumerable<SeedTableSummary> seeding, int limit = 2)
    {
        ArgumentNullException.ThrowIfNull(findingObject);
        ArgumentNullException.ThrowIfNull(seeding);
        var result = new List<SeedAttack>();
        foreach (var summary in seeding.Where(s => s.Phase == "live"))
        {
            var column = findingObject == summary.Table ? null
                : findingObject.StartsWith(summary.Table + ".", StringComparison.Ordinal) ? findingObject[(summary.Table.Length + 1)..]
                : null;
            if (findingObject != summary.Table && column is null)
            {
                continue;
            }

            result.AddRange((summary.Adversarial ?? []).Where(a => a.Rows > 0 && a.Kind != "edge" && (column is null || a.Columns.Contains(column))));
        }

        return result.Take(limit).ToList();
    }

    /// <summary>"5 rows written after the forward migration have name longer than 40 characters (old varchar(40))".</summary>
    public static string Sentence(SeedAttack attack)
    {
        ArgumentNullException.ThrowIfNull(attack);
        return $"{attack.Rows} row{(attack.Rows == 1 ? "" : "s")} written after the forward migration {(attack.Rows == 1 ? "has" : "have")} {attack.Description}";
    }

    /// <summary>The statement names the table (a table called <c>order</c> or <c>group</c> is not named by ORDER BY / GROUP BY).</summary>
    private static bool MentionsTable(string statement, string table)
    {
        var stripped = System.Text.RegularExpressions.Regex.Replace(statement, @"\b(ORDER|GROUP|PARTITION)\s+BY\b", " ", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        return SeedPlanner.ContainsIdentifier(stripped, table);
    }

    private static string Unqualified(string table) => table.LastIndexOf('.') is var dot and >= 0 ? table[(dot + 1)..] : table;
}
