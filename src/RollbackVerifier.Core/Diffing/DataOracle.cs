using System.Globalization;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;

namespace RollbackVerifier.Diffing;

/// <summary>
/// The schema snapshots of a run: <paramref name="S0"/> before the forward migration, <paramref name="S1"/> just after
/// it, <paramref name="S1Live"/> after live rows were written in the new shape (same shape as S1, later sequence
/// positions) and <paramref name="S2"/> after the rollback. Their rows are the store captures s0, s1, s1p and s2.
/// </summary>
public sealed record OracleSnapshots(SchemaSnapshot S0, SchemaSnapshot S1, SchemaSnapshot S1Live, SchemaSnapshot S2);

/// <summary>
/// The data oracle. Every table of S0 that exists after the rollback must hold the rows it held just before the
/// rollback (S1': live inserts, updates and deletes kept), with the values of every column that survived the forward
/// migration as they were just before the rollback, and for rows that existed before the migration the values of
/// columns the forward dropped as they were before it. A table the forward dropped must be back with its S0 rows.
/// Changes the forward made itself may be undone: rows it inserted may go, rows it deleted may come back, values it
/// rewrote may return to their S0 values (and when a rollback does that for a column, values written live into that
/// column are expected to be rewritten too, so they are not compared). Data written live into objects only the
/// forward created is discarded by design (RV305 warnings). Sequences must not hand out keys in use (RV404) nor move
/// backwards (RV405). All comparisons run as SQL inside the <see cref="RowStore"/>; no table is loaded into memory.
/// </summary>
public static class DataOracle
{
    /// <summary>How many sample keys a finding carries.</summary>
    public const int SampleSize = 5;

    /// <summary>Most aggregate expressions per query (SQLite allows 2000 result columns).</summary>
    private const int ExpressionsPerQuery = 300;

    private const string S0 = RowStore.BeforeForward;
    private const string S1 = RowStore.AfterForward;
    private const string S1p = RowStore.BeforeRollback;
    private const string S2 = RowStore.AfterRollback;

    public static async Task<IReadOnlyList<Finding>> CheckAsync(RowStore store, OracleSnapshots snapshots, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(snapshots);
        var findings = new List<Finding>();
        var mapping = await ColumnMapper.MapAsync(store, snapshots.S0, snapshots.S1, ct).ConfigureAwait(false);

        foreach (var t0 in snapshots.S0.Tables)
        {
            var t2 = snapshots.S2.FindTable(t0.Name);
            if (t2 is null)
            {
                continue; // RV201 is the schema differ's.
            }

            var context = new TableContext(store, t0, t2, mapping.ForBefore(t0.Name), findings);
            await context.CheckAsync(ct).ConfigureAwait(false);
        }

        await CheckForwardOnlyDataAsync(store, snapshots, mapping, findings, ct).ConfigureAwait(false);
        await CheckSequencesAsync(store, snapshots, findings, ct).ConfigureAwait(false);
        return FindingOrder.Sort(findings);
    }

    // ------------------------------------------------------------------ one table of S0

    /// <summary>
    /// A column of S0 that exists by name after the rollback; <see cref="After"/> is its S1 name, or null when the
    /// forward dropped it. Generated columns are derived data: their expression is the schema differ's (RV208), so
    /// their values are not compared (except as part of a key).
    /// </summary>
    private sealed record ColumnPlan(Column Column, string? After, ColumnMapping? Mapping, bool Generated);

    private sealed class TableContext(RowStore store, Table t0, Table t2, TableMapping? mapping, List<Finding> findings)
    {
        private readonly string _tableName = t0.Name.ToString();
        private readonly StoredTable _s0 = store.Require(S0, t0.Name);
        private readonly StoredTable _s2 = store.Require(S2, t2.Name);
        private readonly StoredTable? _s1 = mapping is null ? null : store.Require(S1, mapping.After.Name);
        private readonly StoredTable? _s1p = mapping is null ? null : store.Find(S1p, mapping.After.Name) ?? store.Require(S1, mapping.After.Name);

        private bool Survived => mapping is not null;

        public async Task CheckAsync(CancellationToken ct)
        {
            var plans = new List<ColumnPlan>();
            foreach (var column in t0.Columns)
            {
                if (!_s2.Has(column.Name))
                {
                    continue; // RV203 is the schema differ's.
                }

                var m = mapping?.ForBefore(column.Name);
                if (m is not null && !(_s1!.Has(m.After.Name) && _s1p!.Has(m.After.Name)))
                {
                    m = null;
                }

                var generated = column.GeneratedExpression is not null || t2.FindColumn(column.Name)?.GeneratedExpression is not null;
                plans.Add(new ColumnPlan(column, m?.After.Name, m, generated));
            }

            var key = ColumnMapper.RowKey(t0);
            var keyPlans = key?.Select(k => plans.FirstOrDefault(p => p.Column.Name == k)).ToList();
            if (keyPlans is not null && keyPlans.All(p => p is not null && (!Survived || p.After is not null)))
            {
                await CheckKeyedAsync(keyPlans!, plans.Where(p => !p.Generated && !key!.Contains(p.Column.Name)).ToList(), ct).ConfigureAwait(false);
            }
            else
            {
                await CheckWholeRowsAsync(plans.Where(p => !p.Generated).ToList(), ct).ConfigureAwait(false);
            }
        }

        // -------------------------------------------------------------- tables with a key

        private async Task CheckKeyedAsync(List<ColumnPlan> key, List<ColumnPlan> values, CancellationToken ct)
        {
            var keyNames = key.Select(k => k.Column.Name).ToList();
            string[] KeyCols(StoredTable table, bool after) => key.Select(k => table.Col(after ? k.After! : k.Column.Name)).ToArray();
            var k0 = KeyCols(_s0, false);
            var k2 = KeyCols(_s2, false);
            var k1 = Survived ? KeyCols(_s1!, true) : [];
            var k1p = Survived ? KeyCols(_s1p!, true) : [];

            var sources = new List<string>
            {
                Project(_s0, k0, 0),
                Project(_s2, k2, 3),
            };
            if (Survived)
            {
                sources.Add(Project(_s1!, k1, 1));
                sources.Add(Project(_s1p!, k1p, 2));
            }

            var ks = Enumerable.Range(0, key.Count).Select(K).ToList();
            var presence = store.ScratchName();
            await store.ExecuteAsync(
                $"CREATE TEMP TABLE {presence} AS SELECT {string.Join(", ", ks)}, sum(s = 0) AS n0, sum(s = 1) AS n1, sum(s = 2) AS n1p, sum(s = 3) AS n2 "
                + $"FROM ({string.Join(" UNION ALL ", sources)}) GROUP BY {string.Join(", ", ks)}",
                ct).ConfigureAwait(false);
            try
            {
                var details = Details(("compared by", $"key ({string.Join(", ", keyNames)})"));
                if (Survived && mapping!.Before.Name != mapping.After.Name)
                {
                    details.Add("table after forward", mapping.Describe());
                }

                // Rows. The forward's own inserts may be removed and its own deletes restored by the rollback.
                var (lostWhere, lostAmount, addedWhere, addedAmount) = Survived
                    ? ("n1p > n2 AND NOT (n0 = 0 AND n1 > 0)", "n1p - n2", "n2 > n1p AND NOT (n0 > 0 AND n1 = 0 AND n2 <= n0)", "n2 - n1p")
                    : ("n0 > n2", "n0 - n2", "n2 > n0", "n2 - n0");
                var lost = await store.ScalarLongAsync($"SELECT coalesce(sum({lostAmount}), 0) FROM {presence} WHERE {lostWhere}", ct).ConfigureAwait(false) ?? 0;
                if (lost > 0)
                {
                    var samples = await KeySamplesAsync($"SELECT {string.Join(", ", ks)} FROM {presence} WHERE {lostWhere} ORDER BY rowid LIMIT {SampleSize}", keyNames, ct).ConfigureAwait(false);
                    findings.Add(Finding.Create(
                        Survived ? FindingCodes.RowsLost : FindingCodes.DroppedDataNotRestored,
                        _tableName,
                        Survived
                            ? $"{lost} rows of {_tableName} that existed just before the rollback are missing after it (for example {samples[0]})."
                            : $"The forward migration dropped table {_tableName}; {lost} of its rows are not back after the rollback (for example {samples[0]}): they are unrecoverable.",
                        evidence: new Evidence(lost, samples, details)));
                }

                var added = await store.ScalarLongAsync($"SELECT coalesce(sum({addedAmount}), 0) FROM {presence} WHERE {addedWhere}", ct).ConfigureAwait(false) ?? 0;
                if (added > 0)
                {
                    var samples = await KeySamplesAsync($"SELECT {string.Join(", ", ks)} FROM {presence} WHERE {addedWhere} ORDER BY rowid LIMIT {SampleSize}", keyNames, ct).ConfigureAwait(false);
                    findings.Add(Finding.Create(
                        FindingCodes.RowsAdded,
                        _tableName,
                        Survived
                            ? $"{added} rows of {_tableName} after the rollback were not there just before it (for example {samples[0]}): rows deleted since the migration came back, or rows were invented."
                            : $"{added} rows of {_tableName} after the rollback were not in the table the forward migration dropped (for example {samples[0]}).",
                        evidence: new Evidence(added, samples, details)));
                }

                if (values.Count > 0)
                {
                    await CompareKeyedValuesAsync(presence, ks, keyNames, k0, k1, k1p, k2, values, details, ct).ConfigureAwait(false);
                }
            }
            finally
            {
                await store.ExecuteAsync($"DROP TABLE IF EXISTS temp.{presence}", CancellationToken.None).ConfigureAwait(false);
            }
        }

        /// <summary>What one compared column counts, as SQL predicates over the joined rows.</summary>
        /// <param name="Mismatch">Rows that existed before the migration and whose value is not as expected.</param>
        /// <param name="Live">Rows written live (or by the forward) whose value differs from just before the rollback.</param>
        /// <param name="Converted">Rows that existed before, with a non-null value, that the forward rewrote.</param>
        /// <param name="Inverted">Of those, rows the rollback gave their pre-migration value back.</param>
        /// <param name="Existing">Rows that existed before, not written live, with a non-null value.</param>
        private sealed record ValueCheck(ColumnPlan Plan, string Mismatch, string? Live, string? Converted, string? Inverted, string? Existing, string Expected, string Actual);

        private async Task CompareKeyedValuesAsync(
            string presence, List<string> ks, List<string> keyNames, string[] k0, string[] k1, string[] k1p, string[] k2, List<ColumnPlan> values, Dictionary<string, string> details, CancellationToken ct)
        {
            await store.EnsureIndexAsync(_s0, k0, ct).ConfigureAwait(false);
            await store.EnsureIndexAsync(_s2, k2, ct).ConfigureAwait(false);
            string On(string alias, string[] columns) => string.Join(" AND ", columns.Select((c, i) => $"{alias}.{c} = p.{ks[i]}"));

            string from;
            var checks = new List<ValueCheck>();
            if (Survived)
            {
                await store.EnsureIndexAsync(_s1!, k1, ct).ConfigureAwait(false);
                await store.EnsureIndexAsync(_s1p!, k1p, ct).ConfigureAwait(false);

                // p: presence, e: just before the rollback, a: after it, b: before the forward (rows that existed before
                // it and after it), f: just after the forward.
                from = $"FROM {presence} p JOIN {_s1p!.SqlName} e ON {On("e", k1p)} JOIN {_s2.SqlName} a ON {On("a", k2)} "
                    + $"LEFT JOIN {_s0.SqlName} b ON p.n0 = 1 AND p.n1 = 1 AND {On("b", k0)} "
                    + $"LEFT JOIN {_s1!.SqlName} f ON p.n0 = 1 AND p.n1 = 1 AND {On("f", k1)} "
                    + "WHERE p.n1p = 1 AND p.n2 = 1";
                foreach (var plan in values)
                {
                    var a = "a." + _s2.Col(plan.Column.Name);
                    var b = "b." + _s0.Col(plan.Column.Name);
                    if (plan.After is null)
                    {
                        checks.Add(new ValueCheck(plan, $"b.rowid IS NOT NULL AND {a} IS NOT {b}", null, null, null, null, b, a));
                        continue;
                    }

                    var e = "e." + _s1p!.Col(plan.After);
                    var f = "f." + _s1!.Col(plan.After);
                    var pre = $"(b.rowid IS NOT NULL AND {f} IS {e})";
                    checks.Add(new ValueCheck(
                        plan,
                        $"{pre} AND {a} IS NOT {e} AND {a} IS NOT {b}",
                        $"NOT {pre} AND {a} IS NOT {e}",
                        $"{pre} AND {b} IS NOT NULL AND {b} IS NOT {f}",
                        $"{pre} AND {b} IS NOT NULL AND {b} IS NOT {f} AND {a} IS {b}",
                        $"{pre} AND {b} IS NOT NULL",
                        e,
                        a));
                }
            }
            else
            {
                from = $"FROM {presence} p JOIN {_s0.SqlName} b ON {On("b", k0)} JOIN {_s2.SqlName} a ON {On("a", k2)} WHERE p.n0 = 1 AND p.n2 = 1";
                foreach (var plan in values)
                {
                    var a = "a." + _s2.Col(plan.Column.Name);
                    var b = "b." + _s0.Col(plan.Column.Name);
                    checks.Add(new ValueCheck(plan, $"{a} IS NOT {b}", null, null, null, null, b, a));
                }
            }

            const int PerCheck = 5;
            var expressions = checks
                .SelectMany(c => new[] { c.Mismatch, c.Live ?? "0", c.Converted ?? "0", c.Inverted ?? "0", c.Existing ?? "0" })
                .Select(x => $"coalesce(sum({x}), 0)")
                .ToList();
            var totals = new List<long>();
            foreach (var chunk in expressions.Chunk(ExpressionsPerQuery))
            {
                var row = (await store.QueryAsync($"SELECT {string.Join(", ", chunk)} {from}", ct).ConfigureAwait(false))[0];
                totals.AddRange(row.Select(ParseLong));
            }

            for (var i = 0; i < checks.Count; i++)
            {
                var check = checks[i];
                var (mismatched, live, converted, inverted, existing) =
                    (totals[PerCheck * i], totals[(PerCheck * i) + 1], totals[(PerCheck * i) + 2], totals[(PerCheck * i) + 3], totals[(PerCheck * i) + 4]);

                // The forward converted the column (rewrote most existing values) and the rollback converted most of
                // them back: it applies an inverse conversion to live values too, and what that should give cannot be
                // predicted, so live values are not compared. A forward that only patched a few rows does not count.
                var convertedBack = converted > 0 && converted * 2 >= existing && inverted * 2 >= converted;
                var compareLive = check.Live is not null && !convertedBack;
                var count = mismatched + (compareLive ? live : 0);
                if (count == 0)
                {
                    continue;
                }

                var predicate = compareLive ? $"(({check.Mismatch}) OR ({check.Live}))" : $"({check.Mismatch})";
                var rows = await store.QueryAsync(
                    $"SELECT {string.Join(", ", ks.Select(k => "p." + k))}, {check.Expected}, {check.Actual} {from} AND {predicate} ORDER BY p.rowid LIMIT {SampleSize}",
                    ct).ConfigureAwait(false);
                var samples = rows.Select(r => RenderKey(keyNames, r.Take(keyNames.Count).ToArray())).ToList();
                var before = rows[0][keyNames.Count];
                var after = rows[0][keyNames.Count + 1];
                var column = $"{_tableName}.{check.Plan.Column.Name}";
                var columnDetails = new Dictionary<string, string>(details, StringComparer.Ordinal);
                if (check.Plan.Mapping is { } m)
                {
                    columnDetails["column after forward"] = m.Describe();
                }

                if (convertedBack)
                {
                    columnDetails["values converted back"] = inverted.ToString(CultureInfo.InvariantCulture);
                }

                var example = $"{samples[0]}: {Show(before)} became {Show(after)}";
                if (!Survived)
                {
                    findings.Add(Finding.Create(
                        FindingCodes.DroppedDataNotRestored,
                        column,
                        $"The forward migration dropped table {_tableName}; {count} values of {column} are not restored by the rollback (for example {example}): they are unrecoverable.",
                        before,
                        after,
                        new Evidence(count, samples, columnDetails)));
                }
                else if (check.Plan.After is null)
                {
                    findings.Add(Finding.Create(
                        FindingCodes.DroppedDataNotRestored,
                        column,
                        $"The forward migration dropped column {column}; {count} rows that existed before the migration do not have their values back after the rollback (for example {example}): the values are unrecoverable.",
                        before,
                        after,
                        new Evidence(count, samples, columnDetails)));
                }
                else
                {
                    findings.Add(Finding.Create(
                        FindingCodes.ValuesChanged,
                        column,
                        $"{count} values of {column} differ after the rollback from just before it (for example {example}): truncated, rounded, converted or reset.",
                        before,
                        after,
                        new Evidence(count, samples, columnDetails)));
                }
            }
        }

        // -------------------------------------------------------------- tables without a key

        /// <summary>
        /// Without a key, rows are compared as multisets over the columns that can be compared: counts of rows lost and
        /// added only. Values of a column the forward dropped are checked per distinct row of the other columns.
        /// </summary>
        private async Task CheckWholeRowsAsync(List<ColumnPlan> plans, CancellationToken ct)
        {
            var compared = plans.Where(p => !Survived || p.After is not null).ToList();
            var names = compared.Select(p => p.Column.Name).ToList();
            var vs = Enumerable.Range(0, compared.Count).Select(V).ToList();
            if (vs.Count == 0)
            {
                vs.Add(V(0));
            }

            string[] Cols(StoredTable table, bool after) =>
                compared.Count == 0 ? ["NULL"] : compared.Select(p => table.Col(after ? p.After! : p.Column.Name)).ToArray();

            var sources = new List<string> { Project(_s0, Cols(_s0, false), 0, "v"), Project(_s2, Cols(_s2, false), 3, "v") };
            if (Survived)
            {
                sources.Add(Project(_s1!, Cols(_s1!, true), 1, "v"));
                sources.Add(Project(_s1p!, Cols(_s1p!, true), 2, "v"));
            }

            var groups = store.ScratchName();
            await store.ExecuteAsync(
                $"CREATE TEMP TABLE {groups} AS SELECT {string.Join(", ", vs)}, sum(s = 0) AS n0, sum(s = 1) AS n1, sum(s = 2) AS n1p, sum(s = 3) AS n2 "
                + $"FROM ({string.Join(" UNION ALL ", sources)}) GROUP BY {string.Join(", ", vs)}",
                ct).ConfigureAwait(false);
            try
            {
                var details = Details(("compared by", compared.Count == 0 ? "row count (no key, no comparable columns)" : "whole rows (no key)"));
                var (lostAmount, addedAmount) = Survived
                    ? ("n1p - n2 - max(0, n1 - n0)", "n2 - n1p - max(0, n0 - n1)")
                    : ("n0 - n2", "n2 - n0");
                var render = compared.Count == 0 ? null : names;
                var lost = await store.ScalarLongAsync($"SELECT coalesce(sum(max(0, {lostAmount})), 0) FROM {groups}", ct).ConfigureAwait(false) ?? 0;
                if (lost > 0)
                {
                    var samples = render is null ? [] : await KeySamplesAsync($"SELECT {string.Join(", ", vs)} FROM {groups} WHERE {lostAmount} > 0 ORDER BY rowid LIMIT {SampleSize}", render, ct).ConfigureAwait(false);
                    findings.Add(Finding.Create(
                        Survived ? FindingCodes.RowsLost : FindingCodes.DroppedDataNotRestored,
                        _tableName,
                        Survived
                            ? $"{lost} rows of {_tableName} (no key; compared as whole rows) that existed just before the rollback are missing or changed after it."
                            : $"The forward migration dropped table {_tableName}; {lost} of its rows (no key; compared as whole rows) are not back after the rollback: they are unrecoverable.",
                        evidence: new Evidence(lost, samples, details)));
                }

                var added = await store.ScalarLongAsync($"SELECT coalesce(sum(max(0, {addedAmount})), 0) FROM {groups}", ct).ConfigureAwait(false) ?? 0;
                if (added > 0)
                {
                    var samples = render is null ? [] : await KeySamplesAsync($"SELECT {string.Join(", ", vs)} FROM {groups} WHERE {addedAmount} > 0 ORDER BY rowid LIMIT {SampleSize}", render, ct).ConfigureAwait(false);
                    findings.Add(Finding.Create(
                        FindingCodes.RowsAdded,
                        _tableName,
                        $"{added} rows of {_tableName} (no key; compared as whole rows) after the rollback were not there just before it.",
                        evidence: new Evidence(added, samples, details)));
                }
            }
            finally
            {
                await store.ExecuteAsync($"DROP TABLE IF EXISTS temp.{groups}", CancellationToken.None).ConfigureAwait(false);
            }

            if (Survived)
            {
                foreach (var dropped in plans.Where(p => p.After is null))
                {
                    await CheckDroppedColumnWithoutKeyAsync(compared, dropped, ct).ConfigureAwait(false);
                }
            }
        }

        /// <summary>
        /// A column the forward dropped, in a table without a key: every S0 row whose other (surviving) columns are
        /// still present just before the rollback must be back with its value of the column.
        /// </summary>
        private async Task CheckDroppedColumnWithoutKeyAsync(List<ColumnPlan> compared, ColumnPlan dropped, CancellationToken ct)
        {
            var vs = compared.Select((_, i) => V(i)).ToList();
            var d = "d";
            var groupBy = string.Join(", ", vs.Append(d));
            string Row(StoredTable t, bool after) => string.Concat(compared.Select((p, i) => $"{t.Col(after ? p.After! : p.Column.Name)} AS {vs[i]}, "));
            var survivors = store.ScratchName();
            var select = vs.Count == 0 ? "count(*) AS n" : $"{string.Join(", ", compared.Select((p, i) => $"{_s1p!.Col(p.After!)} AS {vs[i]}"))}, count(*) AS n";
            await store.ExecuteAsync(
                $"CREATE TEMP TABLE {survivors} AS SELECT {select} FROM {_s1p!.SqlName}{(vs.Count == 0 ? string.Empty : " GROUP BY " + string.Join(", ", vs))}",
                ct).ConfigureAwait(false);
            try
            {
                if (vs.Count > 0)
                {
                    await store.ExecuteAsync($"CREATE INDEX temp.{survivors}_i ON {survivors} ({string.Join(", ", vs)})", ct).ConfigureAwait(false);
                }

                var cte = $"WITH g AS (SELECT {groupBy}, sum(s = 0) AS n0, sum(s = 3) AS n2 FROM ("
                    + $"SELECT {Row(_s0, false)}{_s0.Col(dropped.Column.Name)} AS d, 0 AS s FROM {_s0.SqlName} UNION ALL "
                    + $"SELECT {Row(_s2, false)}{_s2.Col(dropped.Column.Name)} AS d, 3 AS s FROM {_s2.SqlName}) GROUP BY {groupBy} HAVING n0 > n2) ";
                var join = $"FROM g JOIN {survivors} r ON {(vs.Count == 0 ? "1" : string.Join(" AND ", vs.Select(v => $"r.{v} IS g.{v}")))}";
                var count = await store.ScalarLongAsync($"{cte}SELECT coalesce(sum(min(g.n0 - g.n2, r.n)), 0) {join}", ct).ConfigureAwait(false) ?? 0;
                if (count == 0)
                {
                    return;
                }

                var names = compared.Select(p => p.Column.Name).ToList();
                var rows = await store.QueryAsync($"{cte}SELECT {string.Join(", ", vs.Select(v => "g." + v).Append("g.d"))} {join} LIMIT {SampleSize}", ct).ConfigureAwait(false);
                var samples = names.Count == 0 ? [] : rows.Select(r => RenderKey(names, r.Take(names.Count).ToArray())).ToList();
                var before = rows[0][names.Count];
                var where = names.Count == 0 ? "1" : string.Join(" AND ", compared.Select((p, i) => $"{_s2.Col(p.Column.Name)} IS {Literal(rows[0][i])}"));
                var afterRow = await store.QueryAsync($"SELECT {_s2.Col(dropped.Column.Name)} FROM {_s2.SqlName} WHERE {where} LIMIT 1", ct).ConfigureAwait(false);
                var after = afterRow.Count == 0 ? null : afterRow[0][0];
                var column = $"{_tableName}.{dropped.Column.Name}";
                findings.Add(Finding.Create(
                    FindingCodes.DroppedDataNotRestored,
                    column,
                    $"The forward migration dropped column {column}; {count} rows that existed before the migration (no key; matched on their other columns) do not have their values back after the rollback: the values are unrecoverable.",
                    before,
                    after,
                    new Evidence(count, samples, Details(("compared by", "whole rows (no key)")))));
            }
            finally
            {
                await store.ExecuteAsync($"DROP TABLE IF EXISTS temp.{survivors}", CancellationToken.None).ConfigureAwait(false);
            }
        }

        private async Task<List<string>> KeySamplesAsync(string sql, IReadOnlyList<string> names, CancellationToken ct) =>
            (await store.QueryAsync(sql, ct).ConfigureAwait(false)).Select(r => RenderKey(names, r)).ToList();
    }

    // ------------------------------------------------------------------ data written into forward-only objects

    private static async Task CheckForwardOnlyDataAsync(RowStore store, OracleSnapshots snapshots, ForwardMapping mapping, List<Finding> findings, CancellationToken ct)
    {
        foreach (var t1 in snapshots.S1.Tables.Where(t => mapping.ForAfter(t.Name) is null))
        {
            if (snapshots.S2.FindTable(t1.Name) is not null && snapshots.S0.FindTable(t1.Name) is null)
            {
                continue; // Left behind by the rollback: RV202, nothing is discarded.
            }

            var s1 = store.Find(S1, t1.Name);
            var s1p = store.Find(S1p, t1.Name);
            if (s1 is null || s1p is null)
            {
                continue;
            }

            var (count, samples) = await LiveWrittenAsync(store, s1, s1p, t1, null, ct).ConfigureAwait(false);
            if (count > 0)
            {
                findings.Add(Finding.Create(
                    FindingCodes.NewDataDiscarded,
                    t1.Name.ToString(),
                    $"{count} rows written after the forward migration into table {t1.Name}, which the rollback drops, are discarded.",
                    evidence: new Evidence(count, samples, Details(("created by", "the forward migration")))));
            }
        }

        foreach (var tm in mapping.Tables)
        {
            var t2 = snapshots.S2.FindTable(tm.Before.Name);
            var s1 = store.Find(S1, tm.After.Name);
            var s1p = store.Find(S1p, tm.After.Name);
            if (t2 is null || s1 is null || s1p is null)
            {
                continue; // A table missing after the rollback is RV201; its columns are not reported again.
            }

            foreach (var c1 in tm.After.Columns.Where(c => tm.ForAfter(c.Name) is null && c.GeneratedExpression is null && s1p.Has(c.Name) && s1.Has(c.Name)))
            {
                if (t2.FindColumn(c1.Name) is not null)
                {
                    continue; // Left behind by the rollback: RV204, nothing is discarded.
                }

                var (count, samples) = await LiveWrittenAsync(store, s1, s1p, tm.After, c1.Name, ct).ConfigureAwait(false);
                if (count > 0)
                {
                    var column = $"{tm.After.Name}.{c1.Name}";
                    findings.Add(Finding.Create(
                        FindingCodes.NewDataDiscarded,
                        column,
                        $"{count} values written after the forward migration into column {column}, which the rollback drops, are discarded.",
                        evidence: new Evidence(count, samples, Details(("created by", "the forward migration")))));
                }
            }
        }
    }

    /// <summary>
    /// Rows (or non-null values of <paramref name="column"/>) of S1' that were not there just after the forward:
    /// written live, as opposed to written by the forward itself (backfills, backup copies). Multiset difference of
    /// S1' minus S1 over the key and the column, or over the whole row when the table has no key.
    /// </summary>
    private static async Task<(long Count, List<string> Samples)> LiveWrittenAsync(RowStore store, StoredTable s1, StoredTable s1p, Table t1, string? column, CancellationToken ct)
    {
        var key = ColumnMapper.RowKey(t1)?.Where(k => s1.Has(k) && s1p.Has(k)).ToList();
        if (key is { Count: 0 })
        {
            key = null;
        }

        // A whole row for a table (a live update counts as written), the key and the value for a column.
        var projected = key is null || column is null
            ? t1.Columns.Select(c => c.Name).Where(n => s1.Has(n) && s1p.Has(n)).ToList()
            : key.Append(column).Distinct(StringComparer.Ordinal).ToList();
        if (projected.Count == 0)
        {
            return (Math.Max(0, s1p.RowCount - s1.RowCount), []);
        }

        var vs = projected.Select((_, i) => V(i)).ToList();
        string Side(StoredTable t, int tag) =>
            $"SELECT {string.Join(", ", projected.Select((c, i) => $"{t.Col(c)} AS {vs[i]}"))}, {tag} AS s FROM {t.SqlName}"
            + (column is null ? string.Empty : $" WHERE {t.Col(column)} IS NOT NULL");
        var grouped = $"SELECT {string.Join(", ", vs)}, sum(s = 1) AS n1, sum(s = 2) AS n1p FROM ({Side(s1, 1)} UNION ALL {Side(s1p, 2)}) GROUP BY {string.Join(", ", vs)} HAVING n1p > n1";
        var count = await store.ScalarLongAsync($"SELECT coalesce(sum(n1p - n1), 0) FROM ({grouped})", ct).ConfigureAwait(false) ?? 0;
        if (count == 0 || key is null)
        {
            return (count, []);
        }

        var rows = await store.QueryAsync($"SELECT {string.Join(", ", key.Select(k => vs[projected.IndexOf(k)]))} FROM ({grouped}) LIMIT {SampleSize}", ct).ConfigureAwait(false);
        return (count, rows.Select(r => RenderKey(key, r)).ToList());
    }

    // ------------------------------------------------------------------ sequences

    private static async Task CheckSequencesAsync(RowStore store, OracleSnapshots snapshots, List<Finding> findings, CancellationToken ct)
    {
        foreach (var sequence in snapshots.S2.Sequences)
        {
            var next = sequence.NextValue.Value;
            var increment = sequence.Increment ?? 1;
            var behind = false;
            if (next is { } n && increment != 0 && FindOwner(snapshots.S2, sequence) is var (table, column) && store.Find(S2, table.Name) is { } captured && captured.Has(column.Name))
            {
                var c = captured.Col(column.Name);
                var integer = $"{c} IS NOT NULL AND CAST(CAST({c} AS INTEGER) AS TEXT) = {c}";
                var extreme = await store.ScalarLongAsync($"SELECT {(increment > 0 ? "max" : "min")}(CAST({c} AS INTEGER)) FROM {captured.SqlName} WHERE {integer}", ct).ConfigureAwait(false);
                if (extreme is { } used && (increment > 0 ? used >= n : used <= n))
                {
                    behind = true;
                    var owner = $"{table.Name}.{column.Name}";
                    var taken = await store.ScalarLongAsync($"SELECT EXISTS (SELECT 1 FROM {captured.SqlName} WHERE {c} = '{n.ToString(CultureInfo.InvariantCulture)}')", ct).ConfigureAwait(false) == 1;
                    var usedText = used.ToString(CultureInfo.InvariantCulture);
                    var nextText = n.ToString(CultureInfo.InvariantCulture);
                    findings.Add(Finding.Create(
                        FindingCodes.SequenceBehindKey,
                        SchemaDiffer.SequenceObject(sequence),
                        taken
                            ? $"The next insert into {table.Name} would get {nextText} from {SchemaDiffer.SequenceSubject(sequence)}, which is already used ({owner} holds values up to {usedText})."
                            : $"The next insert into {table.Name} would get {nextText} from {SchemaDiffer.SequenceSubject(sequence)}, within the range already used ({owner} holds values up to {usedText}).",
                        usedText,
                        nextText,
                        new Evidence(null, [$"{column.Name}={usedText}"], Details(("owner", owner), ("max key", usedText), ("next value", nextText)))));
                }
            }

            if (behind || next is null)
            {
                continue;
            }

            // Compare the last values handed out, not the next ones: a rollback that only restores the increment
            // (INCREMENT BY 10 back to 1) lowers the next value without handing anything out twice.
            var live = snapshots.S1Live.Sequences.FirstOrDefault(s => s.Name == sequence.Name && s.Kind == sequence.Kind);
            if (live?.NextValue.Value is { } liveNext && LastHandedOut(live, liveNext) is var liveLast && LastHandedOut(sequence, next.Value) is var last
                && (increment > 0 ? last < liveLast : last > liveLast))
            {
                var before = liveNext.ToString(CultureInfo.InvariantCulture);
                var after = next.Value.ToString(CultureInfo.InvariantCulture);
                findings.Add(Finding.Create(
                    FindingCodes.SequenceReset,
                    SchemaDiffer.SequenceObject(sequence),
                    $"{SchemaDiffer.Capitalize(SchemaDiffer.SequenceSubject(sequence))} moved backwards across the rollback: its next value is {after}, it was {before} just before; values already handed out will be handed out again.",
                    before,
                    after,
                    new Evidence(null, [], Details(("next value before rollback", before), ("next value after rollback", after)))));
            }
        }
    }

    /// <summary>The value a sequence handed out last (or would have, before its first use): its next value less one step.</summary>
    private static long LastHandedOut(Sequence sequence, long next) => next - (sequence.Increment ?? 1);

    /// <summary>The table and column named by <see cref="Sequence.OwnedBy"/> ("schema.table.column" or "table.column"), or null.</summary>
    internal static (Table Table, Column Column)? FindOwner(SchemaSnapshot snapshot, Sequence sequence)
    {
        if (sequence.OwnedBy is not { Length: > 0 } owner)
        {
            return null;
        }

        // Compare whole renderings rather than splitting on dots: names may contain dots.
        foreach (var table in snapshot.Tables)
        {
            foreach (var column in table.Columns)
            {
                if (owner == $"{table.Name}.{column.Name}")
                {
                    return (table, column);
                }
            }
        }

        var unqualified = snapshot.Tables
            .SelectMany(t => t.Columns.Select(c => (Table: t, Column: c)))
            .Where(x => owner == $"{x.Table.Name.Name}.{x.Column.Name}"
                || (x.Table.Name.Schema.Length == 0 && owner.EndsWith($".{x.Table.Name.Name}.{x.Column.Name}", StringComparison.Ordinal)))
            .ToList();
        return unqualified.Count == 1 ? unqualified[0] : null;
    }

    // ------------------------------------------------------------------ SQL and text helpers

    private static string K(int i) => "k" + i.ToString(CultureInfo.InvariantCulture);

    private static string V(int i) => "v" + i.ToString(CultureInfo.InvariantCulture);

    /// <summary>SELECT cols AS k0.., tag AS s FROM table.</summary>
    private static string Project(StoredTable table, string[] columns, int tag, string prefix = "k") =>
        $"SELECT {string.Join(", ", columns.Select((c, i) => $"{c} AS {prefix}{i.ToString(CultureInfo.InvariantCulture)}"))}, {tag.ToString(CultureInfo.InvariantCulture)} AS s FROM {table.SqlName}";

    private static string Literal(string? value) => value is null ? "NULL" : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static long ParseLong(string? text) => text is null ? 0 : long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static Dictionary<string, string> Details(params (string Key, string Value)[] details) =>
        details.ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal);

    /// <summary>"id=42" or "order_id=7, line=2"; long values shortened.</summary>
    private static string RenderKey(IReadOnlyList<string> names, IReadOnlyList<string?> values) =>
        string.Join(", ", names.Select((n, i) => $"{n}={Shorten(values[i]) ?? "NULL"}"));

    private static string Show(string? value) => value is null ? "NULL" : "'" + Shorten(value) + "'";

    private static string? Shorten(string? value) => value is { Length: > 60 } ? value[..57] + "..." : value;
}
