using System.Globalization;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;

namespace RollbackVerifier.Diffing;

/// <summary>
/// Compares the schema before the migration (expected, S0) with the schema after the rollback (actual, S2) and
/// reports every difference as a finding (RV201–RV235, RV401–RV403). One generic differ over the neutral model:
/// objects are matched by name, then constraints and indexes by shape, so that an object restored under a new name
/// is a rename warning rather than a missing plus an extra.
/// </summary>
/// <remarks>
/// <para>Object names (<see cref="Finding.Object"/>), where <c>table</c> is schema-qualified when the engine has schemas
/// (<c>public.orders</c>) and bare otherwise (<c>orders</c>):</para>
/// <list type="bullet">
/// <item>tables, views, enum types, sequences: the qualified name, e.g. <c>public.orders</c>;</item>
/// <item>columns: <c>table.column</c>, e.g. <c>public.orders.total</c>;</item>
/// <item>the primary key: <c>table (primary key)</c>;</item>
/// <item>constraints, indexes and triggers: <c>table (kind name)</c> with kind one of <c>foreign key</c>, <c>unique</c>,
/// <c>check</c>, <c>index</c>, <c>trigger</c>, e.g. <c>public.orders (index orders_customer_idx)</c>; an unnamed
/// constraint (SQLite) is shown by its definition instead of a name: <c>orders (check (qty &gt; 0))</c>;</item>
/// <item>routines: <c>name(signature)</c>, e.g. <c>public.add_tax(numeric)</c>;</item>
/// <item>auto-increment counters: <c>table (AUTO_INCREMENT)</c> or <c>table (sqlite_sequence)</c>.</item>
/// </list>
/// <para>Objects that belong to a table that is missing (or extra) as a whole — its columns, constraints, indexes,
/// triggers and the sequences it owns — are not reported separately; the table finding lists them as evidence.
/// Likewise a PostgreSQL enum type whose labels changed is reported once (RV231), not again on every column of that type.</para>
/// </remarks>
public static class SchemaDiffer
{
    private const string NoIdentity = "none";

    private const string InvalidIndexNote = "left INVALID (a failed CREATE INDEX CONCURRENTLY?)";

    public static IReadOnlyList<Finding> Diff(SchemaSnapshot expected, SchemaSnapshot actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);

        var findings = new List<Finding>();
        var changedEnums = ChangedEnumLabels(expected, actual);

        var actualTables = Lookup(actual.Tables, t => t.Name);
        var expectedTables = Lookup(expected.Tables, t => t.Name);
        var missingTables = expected.Tables.Where(t => !actualTables.ContainsKey(t.Name)).DistinctBy(t => t.Name).ToList();
        var extraTables = actual.Tables.Where(t => !expectedTables.ContainsKey(t.Name)).DistinctBy(t => t.Name).ToList();

        foreach (var before in expected.Tables.DistinctBy(t => t.Name))
        {
            if (actualTables.TryGetValue(before.Name, out var after))
            {
                DiffTable(before, after, changedEnums, findings);
            }
        }

        foreach (var table in missingTables)
        {
            var renamedTo = table.EngineId.Value is { } id ? extraTables.FirstOrDefault(t => t.EngineId.Value == id) : null;
            findings.Add(Finding.Create(
                FindingCodes.TableMissing,
                table.Name.ToString(),
                $"Table {table.Name} existed before the migration and is missing after the rollback"
                + (renamedTo is null ? "." : $" (it looks renamed to {renamedTo.Name}: same engine id)."),
                before: ColumnList(table),
                evidence: TableEvidence(table, expected, renamedTo is null ? null : ("renamedTo", renamedTo.Name.ToString()))));
        }

        foreach (var table in extraTables)
        {
            var renamedFrom = table.EngineId.Value is { } id ? missingTables.FirstOrDefault(t => t.EngineId.Value == id) : null;
            findings.Add(Finding.Create(
                FindingCodes.TableExtra,
                table.Name.ToString(),
                $"Table {table.Name} did not exist before the migration and remains after the rollback"
                + (renamedFrom is null ? "." : $" (it looks like {renamedFrom.Name} renamed: same engine id)."),
                after: ColumnList(table),
                evidence: TableEvidence(table, actual, renamedFrom is null ? null : ("renamedFrom", renamedFrom.Name.ToString()))));
        }

        var missingNames = missingTables.Select(t => t.Name).ToHashSet();
        var extraNames = extraTables.Select(t => t.Name).ToHashSet();

        DiffViews(expected.Views, actual.Views, findings);
        DiffTriggers(
            expected.Triggers.Where(t => !missingNames.Contains(t.Table)),
            actual.Triggers.Where(t => !extraNames.Contains(t.Table)),
            findings);
        DiffEnums(expected.Enums, actual.Enums, findings);
        DiffRoutines(expected.Routines, actual.Routines, findings);
        DiffSequences(
            expected.Sequences.Where(s => !missingTables.Any(t => IsOwnedBy(s, t))),
            actual.Sequences.Where(s => !extraTables.Any(t => IsOwnedBy(s, t))),
            findings);

        return FindingOrder.Sort(findings);
    }

    // ---------------------------------------------------------------- tables and columns

    private static void DiffTable(Table before, Table after, HashSet<(ValueList<string> Before, ValueList<string> After)> changedEnums, List<Finding> findings)
    {
        var table = before.Name.ToString();
        var afterColumns = Lookup(after.Columns, c => c.Name);
        var beforeColumns = Lookup(before.Columns, c => c.Name);
        var extraColumns = after.Columns.Where(c => !beforeColumns.ContainsKey(c.Name)).ToList();
        var missingColumns = before.Columns.Where(c => !afterColumns.ContainsKey(c.Name)).ToList();

        foreach (var column in before.Columns.DistinctBy(c => c.Name))
        {
            var obj = $"{table}.{column.Name}";
            if (!afterColumns.TryGetValue(column.Name, out var target))
            {
                var renamedTo = column.EngineId.Value is { } id ? extraColumns.FirstOrDefault(c => c.EngineId.Value == id) : null;
                findings.Add(Finding.Create(
                    FindingCodes.ColumnMissing,
                    obj,
                    $"Column {obj} ({column.DataType}) existed before the migration and is missing after the rollback"
                    + (renamedTo is null ? "." : $" (it looks renamed to {renamedTo.Name}: same engine id)."),
                    before: ColumnText(column),
                    evidence: renamedTo is null ? null : Evidence.With(("renamedTo", renamedTo.Name))));
                continue;
            }

            DiffColumn(obj, column, target, changedEnums, findings);
        }

        foreach (var column in extraColumns)
        {
            var obj = $"{table}.{column.Name}";
            var renamedFrom = column.EngineId.Value is { } id ? missingColumns.FirstOrDefault(c => c.EngineId.Value == id) : null;
            findings.Add(Finding.Create(
                FindingCodes.ColumnExtra,
                obj,
                $"Column {obj} ({column.DataType}) did not exist before the migration and remains after the rollback"
                + (renamedFrom is null ? "." : $" (it looks like {renamedFrom.Name} renamed: same engine id)."),
                after: ColumnText(column),
                evidence: renamedFrom is null ? null : Evidence.With(("renamedFrom", renamedFrom.Name))));
        }

        var orderBefore = before.Columns.OrderBy(c => c.Position).Select(c => c.Name).Where(afterColumns.ContainsKey).Distinct().ToList();
        var orderAfter = after.Columns.OrderBy(c => c.Position).Select(c => c.Name).Where(beforeColumns.ContainsKey).Distinct().ToList();
        if (!orderBefore.SequenceEqual(orderAfter, StringComparer.Ordinal))
        {
            var moved = orderBefore.Where((name, i) => !string.Equals(orderAfter[i], name, StringComparison.Ordinal)).ToList();
            findings.Add(Finding.Create(
                FindingCodes.ColumnOrderChanged,
                table,
                $"The columns of {table} are in a different order after the rollback, so SELECT * and INSERT without a column list see them differently.",
                string.Join(", ", orderBefore),
                string.Join(", ", orderAfter),
                Evidence.With(("moved", string.Join(", ", moved)))));
        }

        DiffPrimaryKey(table, before.PrimaryKey, after.PrimaryKey, findings);
        DiffConstraints(table, before.ForeignKeys, after.ForeignKeys, ForeignKeyRules, findings);
        DiffConstraints(table, before.Uniques, after.Uniques, UniqueRules, findings);
        DiffConstraints(table, before.Checks, after.Checks, CheckRules, findings);
        DiffConstraints(table, before.Indexes, after.Indexes, IndexRules, findings);
    }

    private static void DiffColumn(string obj, Column before, Column after, HashSet<(ValueList<string> Before, ValueList<string> After)> changedEnums, List<Finding> findings)
    {
        var typeDiffers = before.DataType != after.DataType || before.Length != after.Length || before.Precision != after.Precision
            || before.Scale != after.Scale || before.Family != after.Family;
        var labelsDiffer = before.EnumValues != after.EnumValues;

        // A PostgreSQL enum type whose labels changed is reported once as RV231, not again on each column using it.
        if (typeDiffers || (labelsDiffer && !changedEnums.Contains((before.EnumValues, after.EnumValues))))
        {
            var (b, a) = (TypeText(before), TypeText(after));
            if (b == a)
            {
                (b, a) = (b + TypeDetails(before), a + TypeDetails(after));
            }

            findings.Add(Finding.Create(FindingCodes.ColumnTypeChanged, obj, $"Column {obj} is {a} after the rollback, was {b}.", b, a));
        }

        if (before.IsNullable != after.IsNullable)
        {
            findings.Add(Finding.Create(
                FindingCodes.ColumnNullabilityChanged,
                obj,
                after.IsNullable
                    ? $"Column {obj} allows NULL after the rollback, was NOT NULL."
                    : $"Column {obj} is NOT NULL after the rollback, allowed NULL before the migration.",
                Nullability(before),
                Nullability(after)));
        }

        if (before.Default != after.Default)
        {
            var message = (before.Default, after.Default) switch
            {
                (null, _) => $"Column {obj} has default {after.Default} after the rollback, had no default before the migration.",
                (_, null) => $"Column {obj} has no default after the rollback, was {before.Default}.",
                _ => $"Column {obj} has default {after.Default} after the rollback, was {before.Default}.",
            };
            findings.Add(Finding.Create(FindingCodes.ColumnDefaultChanged, obj, message, before.Default, after.Default));
        }

        if (before.Identity != after.Identity || before.GeneratedExpression != after.GeneratedExpression)
        {
            var (b, a) = (IdentityText(before), IdentityText(after));
            findings.Add(Finding.Create(
                FindingCodes.ColumnIdentityChanged,
                obj,
                $"Column {obj} is {(a == NoIdentity ? "a plain column" : a)} after the rollback, was {(b == NoIdentity ? "a plain column" : b)}.",
                b,
                a));
        }

        if (before.Collation != after.Collation)
        {
            findings.Add(Finding.Create(
                FindingCodes.ColumnCollationChanged,
                obj,
                $"Column {obj} has {CollationText(after.Collation)} after the rollback, was {CollationText(before.Collation)}.",
                before.Collation,
                after.Collation));
        }
    }

    private static void DiffPrimaryKey(string table, PrimaryKey? before, PrimaryKey? after, List<Finding> findings)
    {
        var obj = $"{table} (primary key)";
        if (before is null && after is null)
        {
            return;
        }

        if (before is null || after is null || before.Columns != after.Columns)
        {
            var message = before is null ? $"Table {table} has PRIMARY KEY ({List(after!.Columns)}) after the rollback, had no primary key before the migration."
                : after is null ? $"Table {table} has no primary key after the rollback, was PRIMARY KEY ({List(before.Columns)})."
                : $"The primary key of {table} is ({List(after.Columns)}) after the rollback, was ({List(before.Columns)}).";
            findings.Add(Finding.Create(FindingCodes.PrimaryKeyChanged, obj, message, PrimaryKeyText(before), PrimaryKeyText(after)));
            return;
        }

        if (before.Name != after.Name)
        {
            findings.Add(Finding.Create(
                FindingCodes.ConstraintRenamed,
                obj,
                $"The primary key of {table} is named {after.Name ?? "(unnamed)"} after the rollback, was {before.Name ?? "(unnamed)"}; migrations that refer to it by name will fail.",
                before.Name,
                after.Name));
        }
    }

    // ---------------------------------------------------------------- constraints and indexes

    /// <summary>How one kind of table-level object (foreign key, unique, check, index) is named, matched, rendered and compared.</summary>
    private sealed record ConstraintRules<T>(
        string Noun,
        string ObjectKind,
        FindingCode Missing,
        FindingCode Extra,
        FindingCode Changed,
        FindingCode Renamed,
        Func<T, string?> Name,
        Func<T, string> Shape,
        Func<T, string> UnnamedLabel,
        Func<T, string> Render,
        Func<T, T, List<string>> Compare);

    private static readonly ConstraintRules<ForeignKey> ForeignKeyRules = new(
        "foreign key",
        "foreign key",
        FindingCodes.ForeignKeyMissing,
        FindingCodes.ForeignKeyExtra,
        FindingCodes.ForeignKeyChanged,
        FindingCodes.ConstraintRenamed,
        f => f.Name,
        f => f.Shape,
        ForeignKeyShapeText,
        ForeignKeyText,
        CompareForeignKeys);

    private static readonly ConstraintRules<UniqueConstraint> UniqueRules = new(
        "unique constraint",
        "unique",
        FindingCodes.UniqueMissing,
        FindingCodes.UniqueExtra,
        FindingCodes.UniqueChanged,
        FindingCodes.ConstraintRenamed,
        u => u.Name,
        u => string.Join(",", u.Columns),
        u => $"({List(u.Columns)})",
        UniqueText,
        CompareUniques);

    private static readonly ConstraintRules<CheckConstraint> CheckRules = new(
        "check constraint",
        "check",
        FindingCodes.CheckMissing,
        FindingCodes.CheckExtra,
        FindingCodes.CheckChanged,
        FindingCodes.ConstraintRenamed,
        c => c.Name,
        c => c.Expression,
        c => $"({c.Expression})",
        CheckText,
        CompareChecks);

    private static readonly ConstraintRules<TableIndex> IndexRules = new(
        "index",
        "index",
        FindingCodes.IndexMissing,
        FindingCodes.IndexExtra,
        FindingCodes.IndexChanged,
        FindingCodes.IndexRenamed,
        i => i.Name,
        i => i.Shape,
        i => i.Shape,
        IndexText,
        CompareIndexes);

    private static void DiffConstraints<T>(string table, IReadOnlyList<T> before, IReadOnlyList<T> after, ConstraintRules<T> rules, List<Finding> findings)
        where T : class
    {
        string Label(T item) => rules.Name(item) ?? rules.UnnamedLabel(item);
        string Obj(T item) => $"{table} ({rules.ObjectKind} {Label(item)})";
        string Subject(T item) => rules.Name(item) is { } n ? $"{Capitalize(rules.Noun)} {n} on {table}" : $"The {rules.Noun} {rules.Render(item)} on {table}";

        var unmatchedAfter = after.ToList();
        var unmatchedBefore = new List<T>();
        var pairs = new List<(T Before, T After)>();

        // 1. By name.
        foreach (var item in before)
        {
            var match = rules.Name(item) is { } name ? unmatchedAfter.FirstOrDefault(a => rules.Name(a) == name) : null;
            if (match is null)
            {
                unmatchedBefore.Add(item);
                continue;
            }

            unmatchedAfter.Remove(match);
            pairs.Add((item, match));
        }

        // 2. By shape: the same object restored under another name (or an unnamed one, matched as such).
        foreach (var item in unmatchedBefore.ToList())
        {
            var candidates = unmatchedAfter.Where(a => rules.Shape(a) == rules.Shape(item)).ToList();
            var match = candidates.FirstOrDefault(a => rules.Compare(item, a).Count == 0) ?? candidates.FirstOrDefault();
            if (match is null)
            {
                continue;
            }

            unmatchedAfter.Remove(match);
            unmatchedBefore.Remove(item);
            pairs.Add((item, match));
        }

        foreach (var (b, a) in pairs)
        {
            if (rules.Name(b) != rules.Name(a))
            {
                findings.Add(Finding.Create(
                    rules.Renamed,
                    Obj(b),
                    $"{Subject(b)} was restored under the name {rules.Name(a) ?? "(unnamed)"}; migrations that refer to it by name will fail.",
                    rules.Name(b) ?? "(unnamed)",
                    rules.Name(a) ?? "(unnamed)",
                    Evidence.With(("definition", rules.Render(a)))));
            }

            var changes = rules.Compare(b, a);
            if (changes.Count > 0)
            {
                var message = changes.Count == 1 && changes[0] == InvalidIndexNote
                    ? $"{Subject(b)} is {InvalidIndexNote} after the rollback."
                    : $"{Subject(b)} differs after the rollback: {string.Join("; ", changes)}.";
                findings.Add(Finding.Create(rules.Changed, Obj(b), message, rules.Render(b), rules.Render(a)));
            }
        }

        foreach (var item in unmatchedBefore)
        {
            findings.Add(Finding.Create(
                rules.Missing,
                Obj(item),
                $"{Subject(item)} existed before the migration and is missing after the rollback.",
                before: rules.Render(item)));
        }

        foreach (var item in unmatchedAfter)
        {
            findings.Add(Finding.Create(
                rules.Extra,
                Obj(item),
                $"{Subject(item)} did not exist before the migration and remains after the rollback.",
                after: rules.Render(item)));
        }
    }

    private static List<string> CompareForeignKeys(ForeignKey b, ForeignKey a)
    {
        var changes = new List<string>();
        if (b.Shape != a.Shape)
        {
            changes.Add($"it is {ForeignKeyShapeText(a)}, was {ForeignKeyShapeText(b)}");
        }

        if (!string.Equals(b.OnDelete, a.OnDelete, StringComparison.Ordinal))
        {
            changes.Add($"ON DELETE is {a.OnDelete}, was {b.OnDelete}");
        }

        if (!string.Equals(b.OnUpdate, a.OnUpdate, StringComparison.Ordinal))
        {
            changes.Add($"ON UPDATE is {a.OnUpdate}, was {b.OnUpdate}");
        }

        if (b.IsDeferrable != a.IsDeferrable || b.IsInitiallyDeferred != a.IsInitiallyDeferred)
        {
            changes.Add($"it is {Deferrability(a)}, was {Deferrability(b)}");
        }

        if (b.IsEnforced != a.IsEnforced)
        {
            changes.Add($"it is {Enforcement(a.IsEnforced)}, was {Enforcement(b.IsEnforced)}");
        }

        return changes;
    }

    private static List<string> CompareUniques(UniqueConstraint b, UniqueConstraint a)
    {
        var changes = new List<string>();
        if (b.Columns != a.Columns)
        {
            changes.Add($"it covers ({List(a.Columns)}), was ({List(b.Columns)})");
        }

        if (b.NullsNotDistinct != a.NullsNotDistinct)
        {
            changes.Add($"it is {NullsDistinct(a.NullsNotDistinct)}, was {NullsDistinct(b.NullsNotDistinct)}");
        }

        return changes;
    }

    private static List<string> CompareChecks(CheckConstraint b, CheckConstraint a)
    {
        var changes = new List<string>();
        if (!string.Equals(b.Expression, a.Expression, StringComparison.Ordinal))
        {
            changes.Add($"the expression is ({a.Expression}), was ({b.Expression})");
        }

        if (b.IsEnforced != a.IsEnforced)
        {
            changes.Add($"it is {Enforcement(a.IsEnforced)}, was {Enforcement(b.IsEnforced)}");
        }

        return changes;
    }

    private static List<string> CompareIndexes(TableIndex b, TableIndex a)
    {
        var changes = new List<string>();
        if (b.Keys != a.Keys)
        {
            changes.Add($"the keys are ({KeysText(a.Keys)}), were ({KeysText(b.Keys)})");
        }

        if (b.IncludedColumns != a.IncludedColumns)
        {
            changes.Add($"it includes ({List(a.IncludedColumns)}), included ({List(b.IncludedColumns)})");
        }

        if (b.IsUnique != a.IsUnique)
        {
            changes.Add(a.IsUnique ? "it is UNIQUE, was not unique" : "it is not unique, was UNIQUE");
        }

        if (!string.Equals(b.Predicate, a.Predicate, StringComparison.Ordinal))
        {
            changes.Add($"its predicate is {PredicateText(a.Predicate)}, was {PredicateText(b.Predicate)}");
        }

        if (!string.Equals(b.Method, a.Method, StringComparison.Ordinal))
        {
            changes.Add($"its method is {a.Method}, was {b.Method}");
        }

        if (b.IsValid != a.IsValid)
        {
            changes.Add(a.IsValid ? "it is valid, was INVALID" : InvalidIndexNote);
        }

        return changes;
    }

    // ---------------------------------------------------------------- schema-level objects

    private static void DiffViews(IEnumerable<View> expected, IEnumerable<View> actual, List<Finding> findings) =>
        DiffKeyed(
            expected,
            actual,
            v => v.Name,
            v => findings.Add(Finding.Create(FindingCodes.ViewMissing, v.Name.ToString(), $"{ViewNoun(v)} {v.Name} existed before the migration and is missing after the rollback.", before: ViewText(v))),
            v => findings.Add(Finding.Create(FindingCodes.ViewExtra, v.Name.ToString(), $"{ViewNoun(v)} {v.Name} did not exist before the migration and remains after the rollback.", after: ViewText(v))),
            (b, a) =>
            {
                if (b.IsMaterialized != a.IsMaterialized)
                {
                    findings.Add(Finding.Create(
                        FindingCodes.ViewChanged,
                        b.Name.ToString(),
                        $"View {b.Name} is {(a.IsMaterialized ? "a materialized view" : "a plain view")} after the rollback, was {(b.IsMaterialized ? "a materialized view" : "a plain view")}.",
                        ViewText(b),
                        ViewText(a),
                        DefinitionEvidence(b.Definition, a.Definition)));
                }
                else if (!string.Equals(b.Definition, a.Definition, StringComparison.Ordinal))
                {
                    findings.Add(Finding.Create(
                        FindingCodes.ViewChanged,
                        b.Name.ToString(),
                        $"{ViewNoun(b)} {b.Name} has a different definition after the rollback (first difference at character {FirstDifference(b.Definition, a.Definition) + 1}).",
                        ViewText(b),
                        ViewText(a),
                        DefinitionEvidence(b.Definition, a.Definition)));
                }
            });

    private static void DiffTriggers(IEnumerable<Trigger> expected, IEnumerable<Trigger> actual, List<Finding> findings) =>
        DiffKeyed(
            expected,
            actual,
            t => (t.Table, t.Name),
            t => findings.Add(Finding.Create(FindingCodes.TriggerMissing, TriggerObject(t), $"Trigger {t.Name} on {t.Table} existed before the migration and is missing after the rollback.", before: TriggerText(t))),
            t => findings.Add(Finding.Create(FindingCodes.TriggerExtra, TriggerObject(t), $"Trigger {t.Name} on {t.Table} did not exist before the migration and remains after the rollback.", after: TriggerText(t))),
            (b, a) =>
            {
                var changes = new List<string>();
                if (!string.Equals(b.Timing, a.Timing, StringComparison.Ordinal) || !string.Equals(b.Events, a.Events, StringComparison.Ordinal))
                {
                    changes.Add($"it fires {a.Timing} {a.Events}, was {b.Timing} {b.Events}");
                }

                if (b.IsEnabled != a.IsEnabled)
                {
                    changes.Add(a.IsEnabled ? "it is enabled, was disabled" : "it is disabled, was enabled");
                }

                if (!string.Equals(b.Definition, a.Definition, StringComparison.Ordinal))
                {
                    changes.Add($"its definition differs from character {FirstDifference(b.Definition, a.Definition) + 1}");
                }

                if (changes.Count > 0)
                {
                    findings.Add(Finding.Create(
                        FindingCodes.TriggerChanged,
                        TriggerObject(b),
                        $"Trigger {b.Name} on {b.Table} differs after the rollback: {string.Join("; ", changes)}.",
                        TriggerText(b),
                        TriggerText(a),
                        b.Definition == a.Definition ? null : DefinitionEvidence(b.Definition, a.Definition)));
                }
            });

    private static void DiffEnums(IEnumerable<EnumType> expected, IEnumerable<EnumType> actual, List<Finding> findings) =>
        DiffKeyed(
            expected,
            actual,
            e => e.Name,
            e => findings.Add(Finding.Create(FindingCodes.EnumChanged, e.Name.ToString(), $"Enum type {e.Name} existed before the migration and is missing after the rollback.", before: Labels(e.Labels))),
            e => findings.Add(Finding.Create(FindingCodes.EnumChanged, e.Name.ToString(), $"Enum type {e.Name} did not exist before the migration and remains after the rollback.", after: Labels(e.Labels))),
            (b, a) =>
            {
                if (b.Labels == a.Labels)
                {
                    return;
                }

                var added = a.Labels.Except(b.Labels, StringComparer.Ordinal).ToList();
                var removed = b.Labels.Except(a.Labels, StringComparer.Ordinal).ToList();
                var details = new List<(string, string)>();
                if (added.Count > 0)
                {
                    details.Add(("added", Labels(added)));
                }

                if (removed.Count > 0)
                {
                    details.Add(("removed", Labels(removed)));
                }

                var message = added.Count == 0 && removed.Count == 0
                    ? $"Enum type {b.Name} has its labels in a different order after the rollback: {Labels(a.Labels)}, was {Labels(b.Labels)}."
                    : $"Enum type {b.Name} has labels {Labels(a.Labels)} after the rollback, was {Labels(b.Labels)}.";
                if (added.Count == 0 && removed.Count == 0)
                {
                    details.Add(("order", "same labels, different sort order"));
                }

                findings.Add(Finding.Create(FindingCodes.EnumChanged, b.Name.ToString(), message, Labels(b.Labels), Labels(a.Labels), Evidence.With([.. details])));
            });

    private static void DiffRoutines(IEnumerable<Routine> expected, IEnumerable<Routine> actual, List<Finding> findings) =>
        DiffKeyed(
            expected,
            actual,
            r => (r.Name, r.Signature),
            r => findings.Add(Finding.Create(FindingCodes.RoutineMissing, RoutineObject(r), $"{RoutineNoun(r)} {RoutineObject(r)} existed before the migration and is missing after the rollback.", before: r.Definition)),
            r => findings.Add(Finding.Create(FindingCodes.RoutineExtra, RoutineObject(r), $"{RoutineNoun(r)} {RoutineObject(r)} did not exist before the migration and remains after the rollback.", after: r.Definition)),
            (b, a) =>
            {
                if (!string.Equals(b.Kind, a.Kind, StringComparison.OrdinalIgnoreCase))
                {
                    findings.Add(Finding.Create(
                        FindingCodes.RoutineChanged,
                        RoutineObject(b),
                        $"{RoutineObject(b)} is a {a.Kind.ToLowerInvariant()} after the rollback, was a {b.Kind.ToLowerInvariant()}.",
                        b.Definition,
                        a.Definition));
                }
                else if (!string.Equals(b.Definition, a.Definition, StringComparison.Ordinal))
                {
                    findings.Add(Finding.Create(
                        FindingCodes.RoutineChanged,
                        RoutineObject(b),
                        $"{RoutineNoun(b)} {RoutineObject(b)} has a different definition after the rollback (first difference at character {FirstDifference(b.Definition, a.Definition) + 1}).",
                        b.Definition,
                        a.Definition,
                        DefinitionEvidence(b.Definition, a.Definition)));
                }
            });

    private static void DiffSequences(IEnumerable<Sequence> expected, IEnumerable<Sequence> actual, List<Finding> findings) =>
        DiffKeyed(
            expected,
            actual,
            s => (s.Name, s.Kind),
            s => findings.Add(Finding.Create(FindingCodes.SequenceMissing, SequenceObject(s), $"{Capitalize(SequenceSubject(s))} existed before the migration and is missing after the rollback.", before: SequenceText(s))),
            s => findings.Add(Finding.Create(FindingCodes.SequenceExtra, SequenceObject(s), $"{Capitalize(SequenceSubject(s))} did not exist before the migration and remains after the rollback.", after: SequenceText(s))),
            (b, a) =>
            {
                var changes = new List<string>();
                void Compare<TValue>(string what, TValue before, TValue after, Func<TValue, string> show)
                {
                    if (!EqualityComparer<TValue>.Default.Equals(before, after))
                    {
                        changes.Add($"{what} is {show(after)}, was {show(before)}");
                    }
                }

                Compare("its type", b.DataType, a.DataType, v => v ?? "unknown");
                Compare("START", b.Start, a.Start, Show);
                Compare("INCREMENT", b.Increment, a.Increment, Show);
                Compare("MINVALUE", b.MinValue, a.MinValue, Show);
                Compare("MAXVALUE", b.MaxValue, a.MaxValue, Show);
                Compare("CYCLE", b.Cycle, a.Cycle, v => v ? "on" : "off");
                Compare("its owner", b.OwnedBy, a.OwnedBy, v => v ?? "none");
                if (changes.Count > 0)
                {
                    findings.Add(Finding.Create(
                        FindingCodes.SequenceChanged,
                        SequenceObject(b),
                        $"{Capitalize(SequenceSubject(b))} differs after the rollback: {string.Join("; ", changes)}.",
                        SequenceText(b),
                        SequenceText(a)));
                }
            });

    /// <summary>Matches two lists by key (first occurrence wins) and reports missing, extra and common items.</summary>
    private static void DiffKeyed<T, TKey>(IEnumerable<T> expected, IEnumerable<T> actual, Func<T, TKey> key, Action<T> missing, Action<T> extra, Action<T, T> both)
        where TKey : notnull
    {
        var expectedList = expected.DistinctBy(key).ToList();
        var actualList = actual.DistinctBy(key).ToList();
        var actualByKey = actualList.ToDictionary(key);
        var expectedKeys = expectedList.Select(key).ToHashSet();
        foreach (var item in expectedList)
        {
            if (actualByKey.TryGetValue(key(item), out var after))
            {
                both(item, after);
            }
            else
            {
                missing(item);
            }
        }

        foreach (var item in actualList.Where(a => !expectedKeys.Contains(key(a))))
        {
            extra(item);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static Dictionary<TKey, T> Lookup<T, TKey>(IEnumerable<T> items, Func<T, TKey> key)
        where TKey : notnull
    {
        var result = new Dictionary<TKey, T>();
        foreach (var item in items)
        {
            result.TryAdd(key(item), item);
        }

        return result;
    }

    /// <summary>Label lists of enum types present in both snapshots whose labels differ (reported once as RV231).</summary>
    private static HashSet<(ValueList<string> Before, ValueList<string> After)> ChangedEnumLabels(SchemaSnapshot expected, SchemaSnapshot actual)
    {
        var after = Lookup(actual.Enums, e => e.Name);
        return expected.Enums
            .Where(e => after.TryGetValue(e.Name, out var a) && a.Labels != e.Labels)
            .Select(e => (e.Labels, after[e.Name].Labels))
            .ToHashSet();
    }

    /// <summary>True when the sequence belongs to the table: its counter (MySQL, SQLite) or a sequence OWNED BY one of its columns.</summary>
    private static bool IsOwnedBy(Sequence sequence, Table table) =>
        (sequence.Kind != SequenceKind.Sequence && sequence.Name == table.Name)
        || (sequence.OwnedBy is { } owner && table.Columns.Any(c => string.Equals(owner, $"{table.Name}.{c.Name}", StringComparison.Ordinal)));

    private static Evidence TableEvidence(Table table, SchemaSnapshot snapshot, (string Key, string Value)? rename)
    {
        var details = new List<(string Key, string Value)> { ("columns", table.Columns.Count.ToString(CultureInfo.InvariantCulture)) };
        if (table.Indexes.Count > 0)
        {
            details.Add(("indexes", string.Join(", ", table.Indexes.Select(i => i.Name).Order(StringComparer.Ordinal))));
        }

        var triggers = snapshot.Triggers.Where(t => t.Table == table.Name).Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        if (triggers.Count > 0)
        {
            details.Add(("triggers", string.Join(", ", triggers)));
        }

        var sequences = snapshot.Sequences.Where(s => IsOwnedBy(s, table)).Select(SequenceObject).Order(StringComparer.Ordinal).ToList();
        if (sequences.Count > 0)
        {
            details.Add(("sequences", string.Join(", ", sequences)));
        }

        if (rename is { } r)
        {
            details.Add(r);
        }

        return Evidence.With([.. details]);
    }

    private static int FirstDifference(string before, string after)
    {
        var length = Math.Min(before.Length, after.Length);
        for (var i = 0; i < length; i++)
        {
            if (before[i] != after[i])
            {
                return i;
            }
        }

        return length;
    }

    private static Evidence DefinitionEvidence(string before, string after)
    {
        var at = FirstDifference(before, after);
        return Evidence.With(
            ("firstDifferenceAt", (at + 1).ToString(CultureInfo.InvariantCulture)),
            ("beforeExcerpt", Excerpt(before, at)),
            ("afterExcerpt", Excerpt(after, at)));
    }

    private static string Excerpt(string text, int at)
    {
        var start = Math.Max(0, at - 20);
        var end = Math.Min(text.Length, at + 40);
        return (start > 0 ? "..." : "") + text[start..end] + (end < text.Length ? "..." : "");
    }

    internal static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string List(IEnumerable<string> items) => string.Join(", ", items);

    private static string Show(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "unset";

    private static string Labels(IEnumerable<string> labels) => "(" + string.Join(", ", labels.Select(l => "'" + l + "'")) + ")";

    private static string ColumnList(Table table) => string.Join(", ", table.Columns.OrderBy(c => c.Position).Select(c => $"{c.Name} {ColumnText(c)}"));

    private static string ColumnText(Column c) =>
        $"{c.DataType} {Nullability(c)}"
        + (c.Default is null ? "" : " DEFAULT " + c.Default)
        + (IdentityText(c) is var identity && identity != NoIdentity ? " " + identity : "")
        + (c.Collation is null ? "" : " COLLATE " + c.Collation);

    private static string TypeText(Column c) =>
        c.EnumValues.Count > 0 && !c.DataType.Contains('(', StringComparison.Ordinal) ? $"{c.DataType} {Labels(c.EnumValues)}" : c.DataType;

    private static string TypeDetails(Column c)
    {
        static string Part(string name, int? value) => value is null ? "" : $", {name} {value.Value.ToString(CultureInfo.InvariantCulture)}";
        return $" [{c.Family.ToString().ToLowerInvariant()}{Part("length", c.Length)}{Part("precision", c.Precision)}{Part("scale", c.Scale)}]";
    }

    private static string Nullability(Column c) => c.IsNullable ? "NULL" : "NOT NULL";

    private static string IdentityText(Column c)
    {
        var identity = c.Identity switch
        {
            IdentityKind.Always => "GENERATED ALWAYS AS IDENTITY",
            IdentityKind.ByDefault => "GENERATED BY DEFAULT AS IDENTITY",
            IdentityKind.AutoIncrement => "AUTO_INCREMENT",
            _ => null,
        };
        var generated = c.GeneratedExpression is null ? null : $"GENERATED ALWAYS AS ({c.GeneratedExpression})";
        return (identity, generated) switch
        {
            (null, null) => NoIdentity,
            (_, null) => identity,
            (null, _) => generated,
            _ => identity + " " + generated,
        };
    }

    private static string CollationText(string? collation) => collation is null ? "the default collation" : $"collation {collation}";

    private static string? PrimaryKeyText(PrimaryKey? pk) => pk is null ? null : $"PRIMARY KEY ({List(pk.Columns)})";

    private static string ForeignKeyShapeText(ForeignKey fk) => $"({List(fk.Columns)}) REFERENCES {fk.ReferencedTable} ({List(fk.ReferencedColumns)})";

    private static string ForeignKeyText(ForeignKey fk) =>
        $"FOREIGN KEY {ForeignKeyShapeText(fk)} ON DELETE {fk.OnDelete} ON UPDATE {fk.OnUpdate}"
        + (fk.IsDeferrable ? " " + Deferrability(fk) : "")
        + (fk.IsEnforced ? "" : " NOT ENFORCED");

    private static string Deferrability(ForeignKey fk) =>
        !fk.IsDeferrable ? "NOT DEFERRABLE" : fk.IsInitiallyDeferred ? "DEFERRABLE INITIALLY DEFERRED" : "DEFERRABLE INITIALLY IMMEDIATE";

    private static string Enforcement(bool enforced) => enforced ? "ENFORCED" : "NOT ENFORCED";

    private static string NullsDistinct(bool notDistinct) => notDistinct ? "NULLS NOT DISTINCT" : "NULLS DISTINCT";

    private static string UniqueText(UniqueConstraint u) => $"UNIQUE ({List(u.Columns)})" + (u.NullsNotDistinct ? " NULLS NOT DISTINCT" : "");

    private static string CheckText(CheckConstraint c) => $"CHECK ({c.Expression})" + (c.IsEnforced ? "" : " NOT ENFORCED");

    private static string KeysText(IEnumerable<IndexKey> keys) =>
        List(keys.Select(k => k.Expression
            + (k.Collation is null ? "" : " COLLATE " + k.Collation)
            + (k.Descending ? " DESC" : "")
            + (k.NullsOrder is null ? "" : " " + k.NullsOrder)));

    private static string PredicateText(string? predicate) => predicate is null ? "none" : $"WHERE {predicate}";

    private static string IndexText(TableIndex i) =>
        $"{(i.IsUnique ? "UNIQUE " : "")}INDEX USING {i.Method} ({KeysText(i.Keys)})"
        + (i.IncludedColumns.Count > 0 ? $" INCLUDE ({List(i.IncludedColumns)})" : "")
        + (i.Predicate is null ? "" : $" WHERE {i.Predicate}")
        + (i.IsValid ? "" : " INVALID");

    private static string ViewNoun(View v) => v.IsMaterialized ? "Materialized view" : "View";

    private static string ViewText(View v) => (v.IsMaterialized ? "MATERIALIZED VIEW AS " : "VIEW AS ") + v.Definition;

    private static string TriggerObject(Trigger t) => $"{t.Table} (trigger {t.Name})";

    private static string TriggerText(Trigger t) => $"{t.Timing} {t.Events}{(t.IsEnabled ? "" : " DISABLED")}: {t.Definition}";

    private static string RoutineObject(Routine r) => $"{r.Name}({r.Signature})";

    private static string RoutineNoun(Routine r) => Capitalize(r.Kind.ToLowerInvariant());

    /// <summary>A sequence as a finding's object (acceptance rules match on it, so the schema and data checks share it).</summary>
    internal static string SequenceObject(Sequence s) => s.Kind switch
    {
        SequenceKind.AutoIncrement => $"{s.Name} (AUTO_INCREMENT)",
        SequenceKind.SqliteSequence => $"{s.Name} (sqlite_sequence)",
        _ => s.Name.ToString(),
    };

    /// <summary>A sequence in a sentence ("the AUTO_INCREMENT counter of table t"); capitalize it at a sentence's start.</summary>
    internal static string SequenceSubject(Sequence s) => s.Kind switch
    {
        SequenceKind.AutoIncrement => $"the AUTO_INCREMENT counter of table {s.Name}",
        SequenceKind.SqliteSequence => $"the sqlite_sequence entry of table {s.Name}",
        _ => $"sequence {s.Name}",
    };

    private static string SequenceText(Sequence s)
    {
        var parts = new List<string> { s.DataType ?? "unknown type" };
        if (s.Start is { } start)
        {
            parts.Add("START " + start.ToString(CultureInfo.InvariantCulture));
        }

        if (s.Increment is { } increment)
        {
            parts.Add("INCREMENT " + increment.ToString(CultureInfo.InvariantCulture));
        }

        if (s.MinValue is { } min)
        {
            parts.Add("MINVALUE " + min.ToString(CultureInfo.InvariantCulture));
        }

        if (s.MaxValue is { } max)
        {
            parts.Add("MAXVALUE " + max.ToString(CultureInfo.InvariantCulture));
        }

        parts.Add(s.Cycle ? "CYCLE" : "NO CYCLE");
        if (s.OwnedBy is { } owner)
        {
            parts.Add("OWNED BY " + owner);
        }

        return string.Join(" ", parts);
    }
}
