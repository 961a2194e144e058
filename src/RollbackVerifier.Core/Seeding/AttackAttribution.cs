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
            .Where(s => s.Phase == "live" && SeedPlanner.ContainsIdentifier(statement, Unqualified(s.Table)))
            .SelectMany(s => (s.Adversarial ?? []).Where(a => a.Rows > 0))
            .ToList();
        var named = candidates.Where(a => a.Columns.Count > 0 && a.Columns.Any(c => SeedPlanner.ContainsIdentifier(statement, c))).ToList();
        var ranked = named.Count > 0
            ? named
            : candidates.OrderBy(a => a.Kind == "edge" ? 1 : 0).ToList();
        return ranked.Take(limit).ToList();
    }

    /// <summary>"5 rows written after the forward migration have name longer than 40 characters (old varchar(40))".</summary>
    public static string Sentence(SeedAttack attack)
    {
        ArgumentNullException.ThrowIfNull(attack);
        return $"{attack.Rows} row{(attack.Rows == 1 ? "" : "s")} written after the forward migration {(attack.Rows == 1 ? "has" : "have")} {attack.Description}";
    }

    private static string Unqualified(string table) => table.LastIndexOf('.') is var dot and >= 0 ? table[(dot + 1)..] : table;
}
