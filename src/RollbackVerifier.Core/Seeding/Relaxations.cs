using RollbackVerifier.Model;

namespace RollbackVerifier.Seeding;

/// <summary>
/// A rule of the pre-migration schema that the forward migration relaxed: rows written since may break it, and a
/// rollback that restores it meets them. The seeder writes such rows (<see cref="Attacks"/>); the pre-rollback
/// checklist counts them in production (<see cref="Preflight.ChecklistBuilder"/>).
/// </summary>
/// <param name="Kind">What was relaxed (never <see cref="AttackKind.Edge"/>).</param>
/// <param name="Before">The table before the migration.</param>
/// <param name="After">The table after the forward migration.</param>
/// <param name="Columns">The post-forward columns concerned, by their names in <paramref name="After"/>.</param>
public sealed record Relaxation(AttackKind Kind, Table Before, Table After, IReadOnlyList<string> Columns)
{
    /// <summary>For column rules (null, length, scale, magnitude, conversion, enum labels): the column before the migration.</summary>
    public Column? Old { get; init; }

    /// <summary>For column rules: the column after the forward migration.</summary>
    public Column? New { get; init; }

    /// <summary>Enum labels the new column accepts and the old one did not; empty when the new column is free text.</summary>
    public IReadOnlyList<string> AddedLabels { get; init; } = [];

    /// <summary>For magnitude: the largest value the old column holds.</summary>
    public decimal? OldMaximum { get; init; }

    /// <summary>For magnitude: the largest value the new column holds.</summary>
    public decimal? NewMaximum { get; init; }

    /// <summary>For duplicates: the dropped key (its columns by their pre-migration names, and where it came from).</summary>
    public UniqueKey? Key { get; init; }

    /// <summary>For checks: the dropped constraint, with its expression over the pre-migration column names.</summary>
    public CheckConstraint? Check { get; init; }

    /// <summary>For orphans: the dropped foreign key, as the pre-migration schema had it.</summary>
    public ForeignKey? ForeignKey { get; init; }

    /// <summary>True when live rows can be written into every column concerned (no identity or generated column).</summary>
    public bool Writable => Columns.All(c => After.FindColumn(c) is { } column && !column.IsGenerated && column.Identity == IdentityKind.None);
}

/// <summary>A key that makes rows unique: a primary key, a UNIQUE constraint or a unique index, by its column names.</summary>
/// <param name="Columns">The columns whose values the key keeps distinct (an expression key counts as the one column it uses).</param>
/// <param name="PrimaryKey">Set when the key is the primary key.</param>
/// <param name="Unique">Set when the key is a UNIQUE constraint.</param>
/// <param name="Index">Set when the key is a unique index (its key expressions and predicate).</param>
public sealed record UniqueKey(IReadOnlyList<string> Columns, PrimaryKey? PrimaryKey = null, UniqueConstraint? Unique = null, TableIndex? Index = null);

/// <summary>Works out what a forward migration relaxed, table by table.</summary>
public static class Relaxations
{
    /// <summary>
    /// The rules of <paramref name="before"/> that <paramref name="after"/> no longer enforces, in a stable order: per
    /// column (NOT NULL, length, scale, magnitude, conversion, enum labels), then unique keys, checks and foreign keys.
    /// SQLite enforces neither declared lengths nor precision nor integer widths, so none are relaxed there.
    /// </summary>
    public static IReadOnlyList<Relaxation> Find(Table before, Table after, EngineKind engine)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var result = new List<Relaxation>();
        foreach (var column in after.Columns)
        {
            if (Counterpart(before, after, column) is { } old)
            {
                result.AddRange(ColumnRelaxations(before, after, old, column, engine));
            }
        }

        result.AddRange(DroppedUniques(before, after));
        result.AddRange(DroppedChecks(before, after));
        result.AddRange(DroppedForeignKeys(before, after));
        return result;
    }

    /// <summary>The pre-migration column behind <paramref name="column"/>: same engine identity in the same table (survives renames), else same name.</summary>
    public static Column? Counterpart(Table before, Table after, Column column)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(column);
        if (before.EngineId.Value is { } tableId && after.EngineId.Value == tableId && column.EngineId.Value is { } id && before.FindColumnByEngineId(id) is { } byId)
        {
            return byId;
        }

        return before.FindColumn(column.Name);
    }

    /// <summary>The post-forward column behind the pre-migration column <paramref name="oldName"/>, or null when the forward dropped it.</summary>
    public static Column? Successor(Table before, Table after, string oldName)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return before.FindColumn(oldName) is { } old ? after.Columns.FirstOrDefault(c => Counterpart(before, after, c) == old) : null;
    }

    /// <summary>The post-forward table behind <paramref name="before"/>: same engine identity (survives renames), else same name.</summary>
    public static Table? Successor(Table before, SchemaSnapshot after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return (before.EngineId.Value is { } id ? after.FindTableByEngineId(id) : null) ?? after.FindTable(before.Name);
    }

    /// <summary>The largest value a column's integer type or decimal precision holds, or null when unbounded.</summary>
    public static decimal? Maximum(Column column, bool old)
    {
        ArgumentNullException.ThrowIfNull(column);
        return column.Family switch
        {
            TypeFamily.Integer when !old || ValueGenerator.IntegerTypeRange(column).Hi < long.MaxValue => ValueGenerator.IntegerTypeRange(column).Hi,
            TypeFamily.Decimal when column.Precision is { } p => Pow10(p - (column.Scale ?? 0)) - 1,
            TypeFamily.Decimal when !old => 1_000_000_000_000m,
            _ => null,
        };
    }

    /// <summary>10 to the power <paramref name="exponent"/>, capped at 10^27 (decimal's range).</summary>
    public static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < Math.Min(exponent, 27); i++)
        {
            result *= 10;
        }

        return result;
    }

    private static IEnumerable<Relaxation> ColumnRelaxations(Table before, Table after, Column old, Column now, EngineKind engine)
    {
        Relaxation Of(AttackKind kind) => new(kind, before, after, [now.Name]) { Old = old, New = now };

        var typeLimitsEnforced = engine != EngineKind.Sqlite;
        if (!old.IsNullable && now.IsNullable)
        {
            yield return Of(AttackKind.Null);
        }

        if (typeLimitsEnforced && old.Family == TypeFamily.Text && now.Family == TypeFamily.Text && old.Length is { } oldLength && (now.Length is null || now.Length > oldLength))
        {
            yield return Of(AttackKind.Length);
        }

        var oldScale = old.Family == TypeFamily.Integer ? 0 : old.Scale ?? 0;
        var newScale = now.Scale ?? (now.Precision is null ? 9 : 0); // unconstrained numeric keeps any number of decimals
        if (typeLimitsEnforced && old.Family is TypeFamily.Decimal or TypeFamily.Integer && now.Family == TypeFamily.Decimal && newScale > oldScale
            && (old.Family == TypeFamily.Integer || old.Scale is not null))
        {
            yield return Of(AttackKind.Scale);
        }

        if (typeLimitsEnforced && Maximum(old, old: true) is { } oldMax && Maximum(now, old: false) is { } newMax && newMax > oldMax)
        {
            yield return Of(AttackKind.Magnitude) with { OldMaximum = oldMax, NewMaximum = newMax };
        }

        if (now.Family == TypeFamily.Text && old.Family is not (TypeFamily.Text or TypeFamily.Enum or TypeFamily.Other or TypeFamily.Array))
        {
            yield return Of(AttackKind.Conversion);
        }

        if (now.EnumValues.Count > 0)
        {
            var added = now.EnumValues.Where(l => !old.EnumValues.Contains(l)).ToList();
            if (added.Count > 0 && (old.EnumValues.Count > 0 || old.Family == TypeFamily.Enum))
            {
                yield return Of(AttackKind.EnumLabel) with { AddedLabels = added };
            }
        }
        else if (old.EnumValues.Count > 0 && now.Family == TypeFamily.Text)
        {
            // An enum turned into free text: any value outside the old labels breaks the conversion back.
            yield return Of(AttackKind.EnumLabel);
        }
    }

    private static IEnumerable<Relaxation> DroppedUniques(Table before, Table after)
    {
        var now = SeedPlanner.UniqueSets(after).Select(s => s.Order(StringComparer.Ordinal).ToList()).ToList();
        foreach (var key in SeedPlanner.UniqueKeys(before).DistinctBy(k => string.Join(",", k.Columns.Order(StringComparer.Ordinal))))
        {
            var columns = key.Columns.Select(c => Successor(before, after, c)).ToList();
            if (columns.Any(c => c is null))
            {
                continue;
            }

            var names = columns.Select(c => c!.Name).ToList();
            if (now.Any(u => u.All(names.Contains)))
            {
                continue; // still unique (or a subset still is): the new schema refuses duplicates too
            }

            yield return new Relaxation(AttackKind.Duplicate, before, after, names) { Key = key };
        }
    }

    private static IEnumerable<Relaxation> DroppedChecks(Table before, Table after)
    {
        var remaining = after.Checks.Select(c => c.Expression).ToHashSet(StringComparer.Ordinal);
        foreach (var check in before.Checks.Where(c => c.IsEnforced && !remaining.Contains(c.Expression)))
        {
            var columns = before.Columns
                .Where(c => SeedPlanner.ContainsIdentifier(check.Expression, c.Name))
                .Select(c => Successor(before, after, c.Name)?.Name)
                .OfType<string>()
                .ToList();
            yield return new Relaxation(AttackKind.Check, before, after, columns) { Check = check };
        }
    }

    private static IEnumerable<Relaxation> DroppedForeignKeys(Table before, Table after)
    {
        var shapes = after.ForeignKeys.Select(fk => fk.Shape).ToHashSet(StringComparer.Ordinal);
        foreach (var fk in before.ForeignKeys.Where(fk => !shapes.Contains(fk.Shape) && fk.IsEnforced))
        {
            var columns = fk.Columns.Select(c => Successor(before, after, c)).ToList();
            if (columns.Any(c => c is null))
            {
                continue;
            }

            var names = columns.Select(c => c!.Name).ToList();
            if (after.ForeignKeys.Any(k => k.ReferencedTable == fk.ReferencedTable && k.Columns.SequenceEqual(names)))
            {
                continue;
            }

            yield return new Relaxation(AttackKind.Orphan, before, after, names) { ForeignKey = fk };
        }
    }
}
