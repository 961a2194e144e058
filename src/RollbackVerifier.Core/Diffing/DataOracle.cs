using System.Globalization;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;

namespace RollbackVerifier.Diffing;

/// <summary>The four schema snapshots of a run: before the migration, after forward, after live writes, after rollback.</summary>
public sealed record OracleSnapshots(SchemaSnapshot S0, SchemaSnapshot S1, SchemaSnapshot S1Live, SchemaSnapshot S2);

/// <summary>
/// The data oracle. Every table of S0 must, after the rollback, hold the rows it held just before the rollback
/// (S1': live inserts, updates and deletes kept), with the values of every column that survived the forward
/// migration unchanged; values of columns or tables the forward migration removed must be back for the
/// pre-existing rows, else they are unrecoverable. Data written into objects only the forward created is
/// discarded by design (a warning with counts). Sequences must not hand out keys already in use.
/// </summary>
public static class DataOracle
{
    private const int SampleSize = 5;

    public static async Task<IReadOnlyList<Finding>> CheckAsync(RowStore store, OracleSnapshots snapshots, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(snapshots);
        var findings = new List<Finding>();
        var mappings = await ColumnMapper.MapAsync(store, snapshots.S0, snapshots.S1, ct).ConfigureAwait(false);

        foreach (var t0 in snapshots.S0.Tables)
        {
            var t2 = snapshots.S2.FindTable(t0.Name);
            if (t2 is null)
            {
                continue; // RV201, reported by the schema differ.
            }

            mappings.TryGetValue(t0.Name, out var mapping);
            await CheckTableAsync(store, t0, mapping, t2, findings, ct).ConfigureAwait(false);
        }

        await CheckDiscardedAsync(store, snapshots, mappings, findings, ct).ConfigureAwait(false);
        await CheckSequencesAsync(store, snapshots, findings, ct).ConfigureAwait(false);
        return SchemaDiffer.Order(findings);
    }

    /// <summary>Where the expected value of one comparable column comes from.</summary>
    private sealed record ColumnPlan(Column Column, int ActualIndex, int ExpectedIndex, bool FromBefore);

    private static async Task CheckTableAsync(RowStore store, Table t0, TableMapping? mapping, Table t2, List<Finding> findings, CancellationToken ct)
    {
        var tableName = t0.Name.ToString();
        var actual = store.TableFor("s2", t2.Name)!;
        var before = store.TableFor("s0", t0.Name)!;
        var survived = mapping is not null;
        var expected = survived ? store.TableFor("s1p", mapping!.After.Name)! : before;

        var plans = new List<ColumnPlan>();
        for (var i = 0; i < t0.Columns.Count; i++)
        {
            var actualIndex = RowStore.IndexOf(t2, t0.Columns[i].Name);
            if (actualIndex < 0)
            {
                continue; // RV203, reported by the schema differ.
            }

            plans.Add(survived && mapping!.ColumnMap[i] >= 0
                ? new ColumnPlan(t0.Columns[i], actualIndex, mapping.ColumnMap[i], false)
                : new ColumnPlan(t0.Columns[i], actualIndex, i, !survived || mapping!.ColumnMap[i] < 0));
        }

        if (plans.Count == 0)
        {
            return;
        }

        // Key columns: the S0 primary key, which must be comparable and (if the table survived) mapped.
        List<(int Expected, int Actual, int Before, string Name)>? key = null;
        if (t0.PrimaryKey is { } pk)
        {
            key = [];
            foreach (var name in pk.Columns)
            {
                var plan = plans.FirstOrDefault(p => p.Column.Name == name);
                var i0 = RowStore.IndexOf(t0, name);
                if (plan is null || (survived && plan.FromBefore))
                {
                    key = null;
                    break;
                }

                key.Add((plan.ExpectedIndex, plan.ActualIndex, i0, name));
            }
        }

        var lostCode = survived ? FindingCodes.RowsLost : FindingCodes.DroppedDataNotRestored;
        var addedCode = survived ? FindingCodes.RowsAdded : FindingCodes.DroppedDataNotRestored;

        if (key is null)
        {
            await CompareMultisetsAsync(store, tableName, expected, actual, plans.Where(p => !p.FromBefore || !survived).ToList(), lostCode, addedCode, survived, findings, ct).ConfigureAwait(false);
            return;
        }

        await store.EnsureIndexAsync(expected, key.Select(k => k.Expected).ToList(), ct).ConfigureAwait(false);
        await store.EnsureIndexAsync(actual, key.Select(k => k.Actual).ToList(), ct).ConfigureAwait(false);
        var joinEA = string.Join(" AND ", key.Select(k => $"e.{RowStore.Col(k.Expected)} = a.{RowStore.Col(k.Actual)}"));
        var keyE = KeyRender(key.Select(k => (k.Name, $"e.{RowStore.Col(k.Expected)}")));
        var keyA = KeyRender(key.Select(k => (k.Name, $"a.{RowStore.Col(k.Actual)}")));

        var lost = await store.ScalarLongAsync($"SELECT count(*) FROM {expected} e WHERE NOT EXISTS (SELECT 1 FROM {actual} a WHERE {joinEA})", ct).ConfigureAwait(false) ?? 0;
        if (lost > 0)
        {
            var samples = await Samples(store, $"SELECT {keyE} FROM {expected} e WHERE NOT EXISTS (SELECT 1 FROM {actual} a WHERE {joinEA}) LIMIT {SampleSize}", ct).ConfigureAwait(false);
            findings.Add(Finding.Create(
                lostCode,
                tableName,
                survived
                    ? $"{lost} rows of {tableName} that existed just before the rollback are gone after it."
                    : $"{lost} rows of {tableName}, which the forward migration dropped, are not back after the rollback: they are unrecoverable.",
                evidence: Evidence.Counted(lost, samples)));
        }

        // Rows the forward migration itself deleted (in S0, not in S1) may legitimately come back with the rollback.
        var restoredByRollback = string.Empty;
        if (survived && store.TableFor("s1", mapping!.After.Name) is { } afterForward)
        {
            await store.EnsureIndexAsync(afterForward, key.Select(k => k.Expected).ToList(), ct).ConfigureAwait(false);
            await store.EnsureIndexAsync(before, key.Select(k => k.Before).ToList(), ct).ConfigureAwait(false);
            var joinBA = string.Join(" AND ", key.Select(k => $"b.{RowStore.Col(k.Before)} = a.{RowStore.Col(k.Actual)}"));
            var joinMA = string.Join(" AND ", key.Select(k => $"m.{RowStore.Col(k.Expected)} = a.{RowStore.Col(k.Actual)}"));
            restoredByRollback = $" AND NOT (EXISTS (SELECT 1 FROM {before} b WHERE {joinBA}) AND NOT EXISTS (SELECT 1 FROM {afterForward} m WHERE {joinMA}))";
        }

        var addedWhere = $"FROM {actual} a WHERE NOT EXISTS (SELECT 1 FROM {expected} e WHERE {joinEA}){restoredByRollback}";
        var added = await store.ScalarLongAsync("SELECT count(*) " + addedWhere, ct).ConfigureAwait(false) ?? 0;
        if (added > 0)
        {
            var samples = await Samples(store, $"SELECT {keyA} {addedWhere} LIMIT {SampleSize}", ct).ConfigureAwait(false);
            findings.Add(Finding.Create(
                addedCode,
                tableName,
                survived
                    ? $"{added} rows of {tableName} appear after the rollback that were not there just before it (deleted rows resurrected, or rows invented)."
                    : $"{added} rows of {tableName} after the rollback do not match the rows the forward migration dropped.",
                evidence: Evidence.Counted(added, samples)));
        }

        foreach (var plan in plans.Where(p => key.All(k => k.Name != p.Column.Name)))
        {
            var column = $"{tableName}.{plan.Column.Name}";
            string sql;
            FindingCode code;
            string message;
            if (!plan.FromBefore || !survived)
            {
                code = survived ? FindingCodes.ValuesChanged : FindingCodes.DroppedDataNotRestored;
                sql = $"FROM {expected} e JOIN {actual} a ON {joinEA} WHERE e.{RowStore.Col(plan.ExpectedIndex)} IS NOT a.{RowStore.Col(plan.ActualIndex)}";
                message = survived
                    ? "{0} rows of " + column + " have different values after the rollback than just before it (truncated, rounded, converted or reset)."
                    : "{0} values of " + column + ", whose table the forward migration dropped, are not restored: they are unrecoverable.";
                await AddColumnFindingAsync(store, code, column, message, sql, $"e.{RowStore.Col(plan.ExpectedIndex)}", $"a.{RowStore.Col(plan.ActualIndex)}", keyA, findings, ct).ConfigureAwait(false);
            }
            else
            {
                // The forward migration dropped this column: rows that existed before it and still exist must have their S0 values back.
                var keyBefore = key.Select(k => k.Before).ToList();
                await store.EnsureIndexAsync(before, keyBefore, ct).ConfigureAwait(false);
                var joinBA = string.Join(" AND ", key.Select(k => $"b.{RowStore.Col(k.Before)} = a.{RowStore.Col(k.Actual)}"));
                sql = $"FROM {before} b JOIN {actual} a ON {joinBA} JOIN {expected} e ON {joinEA} WHERE b.{RowStore.Col(plan.ExpectedIndex)} IS NOT a.{RowStore.Col(plan.ActualIndex)}";
                message = "{0} rows have lost their value of " + column + ", which the forward migration dropped; the rollback did not restore it, so the values are unrecoverable.";
                await AddColumnFindingAsync(store, FindingCodes.DroppedDataNotRestored, column, message, sql, $"b.{RowStore.Col(plan.ExpectedIndex)}", $"a.{RowStore.Col(plan.ActualIndex)}", keyA, findings, ct).ConfigureAwait(false);
            }
        }
    }

    private static async Task AddColumnFindingAsync(
        RowStore store, FindingCode code, string column, string messageFormat, string fromWhere, string expectedExpr, string actualExpr, string keyExpr, List<Finding> findings, CancellationToken ct)
    {
        var count = await store.ScalarLongAsync("SELECT count(*) " + fromWhere, ct).ConfigureAwait(false) ?? 0;
        if (count == 0)
        {
            return;
        }

        var rows = await store.QueryAsync($"SELECT {keyExpr}, {expectedExpr}, {actualExpr} {fromWhere} LIMIT {SampleSize}", ct).ConfigureAwait(false);
        var example = rows[0];
        findings.Add(Finding.Create(
            code,
            column,
            string.Format(CultureInfo.InvariantCulture, messageFormat, count) + $" Example: {example[0]}: {Show(example[1])} became {Show(example[2])}.",
            example[1],
            example[2],
            Evidence.Counted(count, rows.Select(r => r[0] ?? string.Empty))));
    }

    private static string Show(string? value) => value is null ? "NULL" : "'" + (value.Length > 60 ? value[..57] + "..." : value) + "'";

    private static async Task CompareMultisetsAsync(
        RowStore store, string tableName, string expected, string actual, List<ColumnPlan> plans, FindingCode lostCode, FindingCode addedCode, bool survived, List<Finding> findings, CancellationToken ct)
    {
        if (plans.Count == 0)
        {
            return;
        }

        var e = string.Join(", ", plans.Select((p, i) => $"{RowStore.Col(p.ExpectedIndex)} AS x{i}"));
        var a = string.Join(", ", plans.Select((p, i) => $"{RowStore.Col(p.ActualIndex)} AS x{i}"));
        var xs = string.Join(", ", plans.Select((_, i) => $"x{i}"));
        var on = string.Join(" AND ", plans.Select((_, i) => $"g.x{i} IS h.x{i}"));
        var cte = $"WITH ge AS (SELECT {xs}, count(*) AS n FROM (SELECT {e} FROM {expected}) GROUP BY {xs}), ga AS (SELECT {xs}, count(*) AS n FROM (SELECT {a} FROM {actual}) GROUP BY {xs}) ";
        var lost = await store.ScalarLongAsync(cte + $"SELECT sum(g.n - coalesce(h.n, 0)) FROM ge g LEFT JOIN ga h ON {on} WHERE g.n > coalesce(h.n, 0)", ct).ConfigureAwait(false) ?? 0;
        var added = await store.ScalarLongAsync(cte + $"SELECT sum(g.n - coalesce(h.n, 0)) FROM ga g LEFT JOIN ge h ON {on} WHERE g.n > coalesce(h.n, 0)", ct).ConfigureAwait(false) ?? 0;
        if (lost > 0)
        {
            findings.Add(Finding.Create(lostCode, tableName,
                survived
                    ? $"{lost} rows of {tableName} (no primary key; compared as whole rows) that existed just before the rollback are gone or changed after it."
                    : $"{lost} rows of {tableName}, which the forward migration dropped, are not back after the rollback: they are unrecoverable.",
                evidence: Evidence.Counted(lost)));
        }

        if (added > 0 && (survived || lost == 0))
        {
            findings.Add(Finding.Create(addedCode, tableName,
                $"{added} rows of {tableName} (no primary key; compared as whole rows) after the rollback were not there just before it.",
                evidence: Evidence.Counted(added)));
        }
    }

    private static string KeyRender(IEnumerable<(string Name, string Expr)> parts) =>
        string.Join(" || ', ' || ", parts.Select(p => $"'{p.Name.Replace("'", "''", StringComparison.Ordinal)}=' || coalesce({p.Expr}, 'NULL')"));

    private static async Task<IReadOnlyList<string>> Samples(RowStore store, string sql, CancellationToken ct) =>
        (await store.QueryAsync(sql, ct).ConfigureAwait(false)).Select(r => r[0] ?? string.Empty).ToList();

    private static async Task CheckDiscardedAsync(RowStore store, OracleSnapshots snapshots, IReadOnlyDictionary<ObjectName, TableMapping> mappings, List<Finding> findings, CancellationToken ct)
    {
        var mappedAfter = mappings.Values.ToDictionary(m => m.After.Name);
        foreach (var t1 in snapshots.S1Live.Tables)
        {
            var captured = store.TableFor("s1p", t1.Name);
            if (captured is null)
            {
                continue;
            }

            if (!mappedAfter.TryGetValue(t1.Name, out var mapping))
            {
                if (snapshots.S2.FindTable(t1.Name) is not null)
                {
                    continue; // Still there after the rollback: RV202, not discarded.
                }

                var rows = await store.CountAsync("s1p", t1.Name, ct).ConfigureAwait(false);
                if (rows > 0)
                {
                    findings.Add(Finding.Create(FindingCodes.NewDataDiscarded, t1.Name.ToString(),
                        $"{rows} rows in table {t1.Name}, which only the forward migration created, are discarded by the rollback.",
                        evidence: Evidence.Counted(rows)));
                }

                continue;
            }

            var t2 = snapshots.S2.FindTable(mapping.Before.Name);
            for (var j = 0; j < t1.Columns.Count; j++)
            {
                if (mapping.ColumnMap.Contains(j))
                {
                    continue;
                }

                if (t2?.FindColumn(t1.Columns[j].Name) is not null)
                {
                    continue; // Still there after the rollback: RV204, not discarded.
                }

                var values = await store.ScalarLongAsync($"SELECT count(*) FROM {captured} WHERE {RowStore.Col(j)} IS NOT NULL", ct).ConfigureAwait(false) ?? 0;
                if (values > 0)
                {
                    findings.Add(Finding.Create(FindingCodes.NewDataDiscarded, $"{t1.Name}.{t1.Columns[j].Name}",
                        $"{values} values in column {t1.Name}.{t1.Columns[j].Name}, which only the forward migration added, are discarded by the rollback.",
                        evidence: Evidence.Counted(values)));
                }
            }
        }
    }

    private static async Task CheckSequencesAsync(RowStore store, OracleSnapshots snapshots, List<Finding> findings, CancellationToken ct)
    {
        foreach (var sequence in snapshots.S2.Sequences)
        {
            var next = sequence.NextValue.Value;
            var reported = false;
            if (next is not null && sequence.OwnedBy is { } owner && owner.LastIndexOf('.') is var dot and > 0)
            {
                var tableText = owner[..dot];
                var columnName = owner[(dot + 1)..];
                var table = snapshots.S2.Tables.FirstOrDefault(t => t.Name.ToString() == tableText || t.Name.Name == tableText);
                var index = table is null ? -1 : RowStore.IndexOf(table, columnName);
                if (table is not null && index >= 0 && store.TableFor("s2", table.Name) is { } captured)
                {
                    var max = await store.ScalarLongAsync($"SELECT max(CAST({RowStore.Col(index)} AS INTEGER)) FROM {captured} WHERE {RowStore.Col(index)} IS NOT NULL", ct).ConfigureAwait(false);
                    var increment = sequence.Increment ?? 1;
                    if (max is { } m && increment > 0 && next <= m)
                    {
                        reported = true;
                        findings.Add(Finding.Create(FindingCodes.SequenceBehindKey, sequence.Name.ToString(),
                            $"The next value of {sequence.Name} is {next}, but {owner} already holds values up to {m}: the next insert collides.",
                            m.ToString(CultureInfo.InvariantCulture),
                            next.Value.ToString(CultureInfo.InvariantCulture),
                            Evidence.With(("maxKey", m.ToString(CultureInfo.InvariantCulture)), ("nextValue", next.Value.ToString(CultureInfo.InvariantCulture)))));
                    }
                }
            }

            var live = snapshots.S1Live.Sequences.FirstOrDefault(s => s.Name == sequence.Name && s.Kind == sequence.Kind);
            if (!reported && next is not null && live?.NextValue.Value is { } liveNext && (sequence.Increment ?? 1) > 0 && next < liveNext)
            {
                findings.Add(Finding.Create(FindingCodes.SequenceReset, sequence.Name.ToString(),
                    $"{sequence.Name} moved backwards across the rollback (next value {next}, was {liveNext}); values already handed out will be handed out again.",
                    liveNext.ToString(CultureInfo.InvariantCulture),
                    next.Value.ToString(CultureInfo.InvariantCulture)));
            }
        }
    }
}
