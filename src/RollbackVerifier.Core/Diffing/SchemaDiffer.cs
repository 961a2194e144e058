using RollbackVerifier.Findings;
using RollbackVerifier.Model;

namespace RollbackVerifier.Diffing;

/// <summary>
/// Compares the schema before the migration (expected, S0) with the schema after the rollback (actual, S2).
/// One generic differ over the neutral model; objects are matched by name, then by shape so that a restored
/// object under a new name is a rename warning, not a missing plus an extra.
/// Object naming: "table", "table.column", "table/kind name" for constraints, indexes and triggers.
/// </summary>
public static class SchemaDiffer
{
    public static IReadOnlyList<Finding> Diff(SchemaSnapshot expected, SchemaSnapshot actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var findings = new List<Finding>();
        var missingTables = new HashSet<string>(StringComparer.Ordinal);

        foreach (var table in expected.Tables)
        {
            var after = actual.FindTable(table.Name);
            if (after is null)
            {
                missingTables.Add(table.Name.ToString());
                findings.Add(Finding.Create(FindingCodes.TableMissing, table.Name.ToString(), $"Table {table.Name} existed before the migration and is missing after the rollback."));
                continue;
            }

            DiffTable(table, after, findings);
        }

        foreach (var table in actual.Tables.Where(t => expected.FindTable(t.Name) is null))
        {
            findings.Add(Finding.Create(FindingCodes.TableExtra, table.Name.ToString(), $"Table {table.Name} did not exist before the migration and remains after the rollback."));
        }

        DiffKeyed(expected.Views, actual.Views, v => v.Name.ToString(), v => v.Definition, findings, FindingCodes.ViewMissing, FindingCodes.ViewExtra, FindingCodes.ViewChanged, "view",
            (before, after) => before with { } == after ? null : Describe(before.Definition, after.Definition, before.IsMaterialized, after.IsMaterialized));

        DiffKeyed(
            expected.Triggers.Where(t => !missingTables.Contains(t.Table.ToString())).ToList(),
            actual.Triggers,
            t => $"{t.Table}/trigger {t.Name}",
            t => t.Definition,
            findings,
            FindingCodes.TriggerMissing,
            FindingCodes.TriggerExtra,
            FindingCodes.TriggerChanged,
            "trigger",
            (before, after) => before == after ? null : $"{before.Timing} {before.Events}{(before.IsEnabled ? "" : " (disabled)")}: {before.Definition} -> {after.Timing} {after.Events}{(after.IsEnabled ? "" : " (disabled)")}: {after.Definition}");

        foreach (var e in expected.Enums)
        {
            var after = actual.Enums.FirstOrDefault(a => a.Name == e.Name);
            if (after is null)
            {
                findings.Add(Finding.Create(FindingCodes.EnumChanged, e.Name.ToString(), $"Enum type {e.Name} is missing after the rollback.", Labels(e), null));
            }
            else if (after.Labels != e.Labels)
            {
                findings.Add(Finding.Create(FindingCodes.EnumChanged, e.Name.ToString(), $"Enum type {e.Name} has labels {Labels(after)} after the rollback, was {Labels(e)}.", Labels(e), Labels(after)));
            }
        }

        foreach (var e in actual.Enums.Where(a => expected.Enums.All(x => x.Name != a.Name)))
        {
            findings.Add(Finding.Create(FindingCodes.EnumChanged, e.Name.ToString(), $"Enum type {e.Name} did not exist before the migration and remains after the rollback.", null, Labels(e)));
        }

        DiffKeyed(expected.Routines, actual.Routines, r => $"{r.Name}({r.Signature})", r => r.Definition, findings, FindingCodes.RoutineMissing, FindingCodes.RoutineExtra, FindingCodes.RoutineChanged, r => r.Kind.ToLowerInvariant(),
            (before, after) => before == after ? null : "definition differs");

        DiffKeyed(
            expected.Sequences.Where(s => s.OwnedBy is null || !missingTables.Contains(OwnerTable(s.OwnedBy))).ToList(),
            actual.Sequences,
            s => s.Kind == SequenceKind.Sequence ? s.Name.ToString() : $"{s.Name} ({KindName(s.Kind)})",
            SequenceText,
            findings,
            FindingCodes.SequenceMissing,
            FindingCodes.SequenceExtra,
            FindingCodes.SequenceChanged,
            s => KindName(s.Kind),
            (before, after) => before == after ? null : $"{SequenceText(before)} -> {SequenceText(after)}");

        return Order(findings);
    }

    internal static List<Finding> Order(IEnumerable<Finding> findings) =>
        findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Code, StringComparer.Ordinal).ThenBy(f => f.Object, StringComparer.Ordinal).ToList();

    private static string KindName(SequenceKind kind) => kind switch
    {
        SequenceKind.AutoIncrement => "auto-increment counter",
        SequenceKind.SqliteSequence => "sqlite_sequence entry",
        _ => "sequence",
    };

    private static string OwnerTable(string ownedBy)
    {
        var dot = ownedBy.LastIndexOf('.');
        return dot < 0 ? ownedBy : ownedBy[..dot];
    }

    private static string SequenceText(Sequence s) =>
        $"{s.DataType ?? "?"} start {Show(s.Start)} increment {Show(s.Increment)} min {Show(s.MinValue)} max {Show(s.MaxValue)}{(s.Cycle ? " cycle" : "")}{(s.OwnedBy is null ? "" : " owned by " + s.OwnedBy)}";

    private static string Show(long? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-";

    private static string Labels(EnumType e) => "(" + string.Join(", ", e.Labels.Select(l => "'" + l + "'")) + ")";

    private static string? Describe(string before, string after, bool beforeMaterialized, bool afterMaterialized) =>
        before == after && beforeMaterialized == afterMaterialized ? null : $"{(beforeMaterialized ? "materialized " : "")}{before} -> {(afterMaterialized ? "materialized " : "")}{after}";

    private static void DiffKeyed<T>(
        IReadOnlyList<T> expected,
        IReadOnlyList<T> actual,
        Func<T, string> key,
        Func<T, string> render,
        List<Finding> findings,
        FindingCode missing,
        FindingCode extra,
        FindingCode changed,
        string kind,
        Func<T, T, string?> change)
        where T : notnull =>
        DiffKeyed(expected, actual, key, render, findings, missing, extra, changed, _ => kind, change);

    private static void DiffKeyed<T>(
        IReadOnlyList<T> expected,
        IReadOnlyList<T> actual,
        Func<T, string> key,
        Func<T, string> render,
        List<Finding> findings,
        FindingCode missing,
        FindingCode extra,
        FindingCode changed,
        Func<T, string> kind,
        Func<T, T, string?> change)
        where T : notnull
    {
        var actualByKey = actual.GroupBy(key).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var expectedKeys = expected.Select(key).ToHashSet(StringComparer.Ordinal);
        foreach (var item in expected)
        {
            var k = key(item);
            if (!actualByKey.TryGetValue(k, out var after))
            {
                findings.Add(Finding.Create(missing, k, $"The {kind(item)} {k} existed before the migration and is missing after the rollback.", render(item), null));
                continue;
            }

            if (change(item, after) is { } difference)
            {
                findings.Add(Finding.Create(changed, k, $"The {kind(item)} {k} differs after the rollback: {difference}.", render(item), render(after)));
            }
        }

        foreach (var item in actual.Where(a => !expectedKeys.Contains(key(a))))
        {
            var k = key(item);
            findings.Add(Finding.Create(extra, k, $"The {kind(item)} {k} did not exist before the migration and remains after the rollback.", null, render(item)));
        }
    }

    private static void DiffTable(Table before, Table after, List<Finding> findings)
    {
        var table = before.Name.ToString();
        foreach (var column in before.Columns)
        {
            var target = after.FindColumn(column.Name);
            var obj = $"{table}.{column.Name}";
            if (target is null)
            {
                findings.Add(Finding.Create(FindingCodes.ColumnMissing, obj, $"Column {obj} ({column.DataType}) is missing after the rollback.", ColumnText(column), null));
                continue;
            }

            if (column.DataType != target.DataType || column.Length != target.Length || column.Precision != target.Precision || column.Scale != target.Scale
                || column.Family != target.Family || column.EnumValues != target.EnumValues)
            {
                var b = TypeText(column);
                var a = TypeText(target);
                findings.Add(Finding.Create(FindingCodes.ColumnTypeChanged, obj, $"Column {obj} is {a} after the rollback, was {b}.", b, a));
            }

            if (column.IsNullable != target.IsNullable)
            {
                findings.Add(Finding.Create(FindingCodes.ColumnNullabilityChanged, obj, $"Column {obj} is {Nullability(target)} after the rollback, was {Nullability(column)}.", Nullability(column), Nullability(target)));
            }

            if (column.Default != target.Default)
            {
                findings.Add(Finding.Create(FindingCodes.ColumnDefaultChanged, obj, $"Column {obj} has default {target.Default ?? "(none)"} after the rollback, was {column.Default ?? "(none)"}.", column.Default, target.Default));
            }

            if (column.Identity != target.Identity || column.GeneratedExpression != target.GeneratedExpression)
            {
                findings.Add(Finding.Create(FindingCodes.ColumnIdentityChanged, obj, $"Column {obj} is {IdentityText(target)} after the rollback, was {IdentityText(column)}.", IdentityText(column), IdentityText(target)));
            }

            if (column.Collation != target.Collation)
            {
                findings.Add(Finding.Create(FindingCodes.ColumnCollationChanged, obj, $"Column {obj} has collation {target.Collation ?? "(default)"} after the rollback, was {column.Collation ?? "(default)"}.", column.Collation, target.Collation));
            }
        }

        foreach (var column in after.Columns.Where(c => before.FindColumn(c.Name) is null))
        {
            var obj = $"{table}.{column.Name}";
            findings.Add(Finding.Create(FindingCodes.ColumnExtra, obj, $"Column {obj} ({column.DataType}) did not exist before the migration and remains after the rollback.", null, ColumnText(column)));
        }

        var common = before.Columns.Select(c => c.Name).Where(n => after.FindColumn(n) is not null).ToList();
        var commonAfter = after.Columns.Select(c => c.Name).Where(n => before.FindColumn(n) is not null).ToList();
        if (!common.SequenceEqual(commonAfter, StringComparer.Ordinal))
        {
            findings.Add(Finding.Create(
                FindingCodes.ColumnOrderChanged,
                table,
                $"Columns of {table} are in a different order after the rollback; SELECT * and positional INSERT see different columns.",
                string.Join(", ", common),
                string.Join(", ", commonAfter)));
        }

        DiffPrimaryKey(table, before.PrimaryKey, after.PrimaryKey, findings);

        DiffConstraints(
            table, "foreign key", before.ForeignKeys, after.ForeignKeys, f => f.Name, f => f.Shape, ForeignKeyText, findings,
            FindingCodes.ForeignKeyMissing, FindingCodes.ForeignKeyExtra, FindingCodes.ForeignKeyChanged, FindingCodes.ConstraintRenamed,
            (x, y) => x with { Name = null } == y with { Name = null });
        DiffConstraints(
            table, "unique constraint", before.Uniques, after.Uniques, u => u.Name, u => string.Join(",", u.Columns), u => $"UNIQUE ({string.Join(", ", u.Columns)}){(u.NullsNotDistinct ? " NULLS NOT DISTINCT" : "")}", findings,
            FindingCodes.UniqueMissing, FindingCodes.UniqueExtra, FindingCodes.UniqueChanged, FindingCodes.ConstraintRenamed,
            (x, y) => x with { Name = null } == y with { Name = null });
        DiffConstraints(
            table, "check constraint", before.Checks, after.Checks, c => c.Name, c => c.Expression, c => $"CHECK ({c.Expression}){(c.IsEnforced ? "" : " NOT ENFORCED")}", findings,
            FindingCodes.CheckMissing, FindingCodes.CheckExtra, FindingCodes.CheckChanged, FindingCodes.ConstraintRenamed,
            (x, y) => x with { Name = null } == y with { Name = null });
        DiffConstraints(
            table, "index", before.Indexes, after.Indexes, i => i.Name, i => i.Shape, IndexText, findings,
            FindingCodes.IndexMissing, FindingCodes.IndexExtra, FindingCodes.IndexChanged, FindingCodes.IndexRenamed,
            (x, y) => x.Shape == y.Shape && x.IsValid == y.IsValid);
    }

    private static void DiffPrimaryKey(string table, PrimaryKey? before, PrimaryKey? after, List<Finding> findings)
    {
        static string Text(PrimaryKey? pk) => pk is null ? "(none)" : $"PRIMARY KEY ({string.Join(", ", pk.Columns)})";
        if (before?.Columns != after?.Columns)
        {
            findings.Add(Finding.Create(FindingCodes.PrimaryKeyChanged, table, $"Table {table} has primary key {Text(after)} after the rollback, was {Text(before)}.", Text(before), Text(after)));
        }
        else if (before is not null && after is not null && before.Name != after.Name)
        {
            findings.Add(Finding.Create(FindingCodes.ConstraintRenamed, $"{table}/primary key {before.Name}", $"The primary key of {table} is named {after.Name} after the rollback, was {before.Name}.", before.Name, after.Name));
        }
    }

    private static void DiffConstraints<T>(
        string table,
        string kind,
        IReadOnlyList<T> before,
        IReadOnlyList<T> after,
        Func<T, string?> name,
        Func<T, string> shape,
        Func<T, string> render,
        List<Finding> findings,
        FindingCode missing,
        FindingCode extra,
        FindingCode changed,
        FindingCode renamed,
        Func<T, T, bool> equivalent)
        where T : class
    {
        var unmatchedAfter = after.ToList();
        var unmatchedBefore = new List<T>();
        foreach (var item in before)
        {
            var byName = name(item) is { } n ? unmatchedAfter.FirstOrDefault(a => name(a) == n) : null;
            if (byName is null)
            {
                unmatchedBefore.Add(item);
                continue;
            }

            unmatchedAfter.Remove(byName);
            if (!equivalent(item, byName))
            {
                var obj = $"{table}/{kind} {name(item)}";
                findings.Add(Finding.Create(changed, obj, $"The {kind} {name(item)} on {table} is {render(byName)} after the rollback, was {render(item)}.", render(item), render(byName)));
            }
        }

        foreach (var item in unmatchedBefore)
        {
            var obj = $"{table}/{kind} {name(item) ?? shape(item)}";
            var byShape = unmatchedAfter.FirstOrDefault(a => shape(a) == shape(item));
            if (byShape is null)
            {
                findings.Add(Finding.Create(missing, obj, $"The {kind} {name(item) ?? render(item)} on {table} is missing after the rollback.", render(item), null));
                continue;
            }

            unmatchedAfter.Remove(byShape);
            if (name(item) == name(byShape))
            {
                // Both unnamed (SQLite): the same constraint, matched by shape.
                if (!equivalent(item, byShape))
                {
                    findings.Add(Finding.Create(changed, obj, $"The {kind} on {table} is {render(byShape)} after the rollback, was {render(item)}.", render(item), render(byShape)));
                }

                continue;
            }

            findings.Add(Finding.Create(renamed, obj, $"The {kind} {name(item)} on {table} was restored as {name(byShape) ?? "(unnamed)"}; migrations that name it will fail.", name(item), name(byShape)));
            if (!equivalent(item, byShape))
            {
                findings.Add(Finding.Create(changed, obj, $"The {kind} {name(item)} on {table} is {render(byShape)} after the rollback, was {render(item)}.", render(item), render(byShape)));
            }
        }

        foreach (var item in unmatchedAfter)
        {
            var obj = $"{table}/{kind} {name(item) ?? shape(item)}";
            findings.Add(Finding.Create(extra, obj, $"The {kind} {name(item) ?? render(item)} on {table} did not exist before the migration and remains after the rollback.", null, render(item)));
        }
    }

    private static string ForeignKeyText(ForeignKey fk) =>
        $"FOREIGN KEY ({string.Join(", ", fk.Columns)}) REFERENCES {fk.ReferencedTable} ({string.Join(", ", fk.ReferencedColumns)}) ON DELETE {fk.OnDelete} ON UPDATE {fk.OnUpdate}"
        + (fk.IsDeferrable ? fk.IsInitiallyDeferred ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE" : "")
        + (fk.IsEnforced ? "" : " NOT ENFORCED");

    private static string IndexText(TableIndex index) =>
        index.Shape + (index.IsValid ? "" : " (INVALID: a failed CREATE INDEX CONCURRENTLY?)");

    private static string TypeText(Column c) =>
        c.EnumValues.Count > 0 && !c.DataType.Contains('(', StringComparison.Ordinal)
            ? $"{c.DataType} ({string.Join(", ", c.EnumValues)})"
            : c.DataType;

    private static string Nullability(Column c) => c.IsNullable ? "NULL" : "NOT NULL";

    private static string IdentityText(Column c) =>
        c.GeneratedExpression is not null ? $"generated as ({c.GeneratedExpression})"
        : c.Identity switch
        {
            IdentityKind.Always => "GENERATED ALWAYS AS IDENTITY",
            IdentityKind.ByDefault => "GENERATED BY DEFAULT AS IDENTITY",
            IdentityKind.AutoIncrement => "auto-increment",
            _ => "a plain column",
        };

    private static string ColumnText(Column c) =>
        $"{c.DataType} {Nullability(c)}{(c.Default is null ? "" : " DEFAULT " + c.Default)}";
}
