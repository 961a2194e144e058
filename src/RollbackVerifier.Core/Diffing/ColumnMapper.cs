using System.Globalization;
using RollbackVerifier.Model;

namespace RollbackVerifier.Diffing;

/// <summary>How a table or column was followed through the forward migration.</summary>
public enum MappingSource
{
    /// <summary>The engine's own identity (PostgreSQL table oid, column attnum): survives renames and type changes.</summary>
    EngineId,

    /// <summary>The same name.</summary>
    Name,

    /// <summary>Data correlation between the captures before and after the forward migration (a rename on an engine without ids).</summary>
    Data,
}

/// <summary>One column followed through the forward migration.</summary>
public sealed record ColumnMapping(Column Before, Column After, MappingSource Source)
{
    /// <summary>For evidence: "total -> amount (data)".</summary>
    public string Describe() =>
        Before.Name == After.Name
            ? $"{Before.Name} (by {SourceText(Source)})"
            : $"{Before.Name} -> {After.Name} (by {SourceText(Source)})";

    internal static string SourceText(MappingSource source) => source switch
    {
        MappingSource.EngineId => "engine id",
        MappingSource.Name => "name",
        _ => "data",
    };
}

/// <summary>Where a table of S0 went in S1, with its columns. S0 columns without a mapping were dropped by the forward.</summary>
public sealed record TableMapping(Table Before, Table After, MappingSource Source, IReadOnlyList<ColumnMapping> Columns)
{
    /// <summary>The mapping of an S0 column, or null when the forward dropped it.</summary>
    public ColumnMapping? ForBefore(string beforeColumn) => Columns.FirstOrDefault(c => c.Before.Name == beforeColumn);

    /// <summary>The mapping onto an S1 column, or null when only the forward created it.</summary>
    public ColumnMapping? ForAfter(string afterColumn) => Columns.FirstOrDefault(c => c.After.Name == afterColumn);

    /// <summary>For evidence: "orders -> sales (data)".</summary>
    public string Describe() =>
        Before.Name == After.Name
            ? $"{Before.Name} (by {ColumnMapping.SourceText(Source)})"
            : $"{Before.Name} -> {After.Name} (by {ColumnMapping.SourceText(Source)})";
}

/// <summary>Every S0 table the forward migration kept, mapped to its S1 counterpart. S0 tables not listed were dropped.</summary>
public sealed class ForwardMapping(IReadOnlyList<TableMapping> tables)
{
    public IReadOnlyList<TableMapping> Tables { get; } = tables;

    public TableMapping? ForBefore(ObjectName table) => Tables.FirstOrDefault(t => t.Before.Name == table);

    public TableMapping? ForAfter(ObjectName table) => Tables.FirstOrDefault(t => t.After.Name == table);
}

/// <summary>
/// Follows tables and columns through the forward migration, from S0 to S1: first by the engine's own identity
/// (PostgreSQL keeps a table's oid and a column's attnum through renames and type changes, and never reuses an
/// attnum), then by name, then by data correlation between the two captures (how renames show on MySQL and SQLite).
/// </summary>
public static class ColumnMapper
{
    /// <summary>Share of compared non-null values that must agree for a data-correlated rename.</summary>
    public const double CorrelationThreshold = 0.9;

    /// <summary>Most aggregate expressions per correlation query (SQLite allows 2000 result columns).</summary>
    private const int ExpressionsPerQuery = 400;

    /// <summary>Maps S0 (capture s0) to S1 (capture s1).</summary>
    public static Task<ForwardMapping> MapAsync(RowStore store, SchemaSnapshot before, SchemaSnapshot after, CancellationToken cancellationToken) =>
        MapAsync(store, RowStore.BeforeForward, before, RowStore.AfterForward, after, cancellationToken);

    /// <summary>Maps the tables of <paramref name="before"/> to those of <paramref name="after"/> using the named captures for data correlation.</summary>
    public static async Task<ForwardMapping> MapAsync(
        RowStore store, string captureBefore, SchemaSnapshot before, string captureAfter, SchemaSnapshot after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);

        var pairs = new Dictionary<ObjectName, (Table After, MappingSource Source)>();
        var taken = new HashSet<ObjectName>();

        // 1. Engine identity: the same object, whatever its name now.
        foreach (var t0 in before.Tables)
        {
            if (t0.EngineId.Value is { } id
                && after.Tables.FirstOrDefault(t => t.EngineId.Value == id && !taken.Contains(t.Name)) is { } t1)
            {
                pairs[t0.Name] = (t1, MappingSource.EngineId);
                taken.Add(t1.Name);
            }
        }

        // 2. Name. A same-named table with another id was re-created (rebuilt by copy, usually): it is still the table.
        foreach (var t0 in before.Tables.Where(t => !pairs.ContainsKey(t.Name)))
        {
            if (after.FindTable(t0.Name) is { } t1 && taken.Add(t1.Name))
            {
                pairs[t0.Name] = (t1, MappingSource.Name);
            }
        }

        // 3. Data: a table under a new name holding (nearly) the rows the old one held, on the columns they share.
        foreach (var t0 in before.Tables.Where(t => !pairs.ContainsKey(t.Name)))
        {
            var source = store.Find(captureBefore, t0.Name);
            if (source is null)
            {
                continue;
            }

            Table? best = null;
            var bestScore = 0.0;
            foreach (var candidate in after.Tables.Where(t => !taken.Contains(t.Name) && before.FindTable(t.Name) is null))
            {
                var target = store.Find(captureAfter, candidate.Name);
                if (target is null)
                {
                    continue;
                }

                var score = await TableCorrelationAsync(store, source, target, cancellationToken).ConfigureAwait(false);
                if (score >= CorrelationThreshold && score > bestScore)
                {
                    best = candidate;
                    bestScore = score;
                }
            }

            if (best is not null)
            {
                pairs[t0.Name] = (best, MappingSource.Data);
                taken.Add(best.Name);
            }
        }

        var result = new List<TableMapping>();
        foreach (var t0 in before.Tables)
        {
            if (pairs.TryGetValue(t0.Name, out var pair))
            {
                var columns = await MapColumnsAsync(store, captureBefore, t0, captureAfter, pair.After, cancellationToken).ConfigureAwait(false);
                result.Add(new TableMapping(t0, pair.After, pair.Source, columns));
            }
        }

        return new ForwardMapping(result);
    }

    /// <summary>
    /// The key the oracle and the mapper join rows by: the primary key, else the first unique constraint whose
    /// columns are all NOT NULL. Null when the table has neither (rows are then compared as multisets).
    /// </summary>
    public static IReadOnlyList<string>? RowKey(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.PrimaryKey is { Columns.Count: > 0 } pk && pk.Columns.All(c => table.FindColumn(c) is not null))
        {
            return pk.Columns;
        }

        return table.Uniques
            .Where(u => u.Columns.Count > 0 && u.Columns.All(c => table.FindColumn(c) is { IsNullable: false }))
            .Select(u => (IReadOnlyList<string>)u.Columns)
            .FirstOrDefault();
    }

    /// <summary>
    /// How well a table under a new name matches: the share of rows that agree on the columns both tables have by
    /// name (most of the old table's columns must still be there). Two empty tables match when their columns do,
    /// on engines without table ids.
    /// </summary>
    private static async Task<double> TableCorrelationAsync(RowStore store, StoredTable before, StoredTable after, CancellationToken ct)
    {
        var shared = before.Table.Columns.Where(c => after.Has(c.Name)).Select(c => c.Name).ToList();
        if (shared.Count == 0 || shared.Count * 2 <= before.Table.Columns.Count)
        {
            return 0;
        }

        if (before.RowCount == 0 || after.RowCount == 0)
        {
            // No rows to go by: only the shape. Where the engine has table ids a rename would have kept the id, so a
            // same-shaped new table is a new table.
            var sameColumns = before.RowCount == after.RowCount
                && before.Table.EngineId.Value is null
                && shared.Count == before.Table.Columns.Count
                && shared.Count == after.Table.Columns.Count;
            return sameColumns ? 1 : 0;
        }

        var larger = Math.Max(before.RowCount, after.RowCount);
        if ((double)Math.Min(before.RowCount, after.RowCount) / larger < CorrelationThreshold)
        {
            return 0;
        }

        var g = string.Join(", ", shared.Select((_, i) => "v" + i.ToString(CultureInfo.InvariantCulture)));
        var projectBefore = string.Join(", ", shared.Select((c, i) => $"{before.Col(c)} AS v{i.ToString(CultureInfo.InvariantCulture)}"));
        var projectAfter = string.Join(", ", shared.Select(c => after.Col(c)));
        var overlap = await store.ScalarLongAsync(
            $"SELECT sum(min(n0, n1)) FROM (SELECT sum(s = 0) AS n0, sum(s = 1) AS n1 FROM (SELECT {projectBefore}, 0 AS s FROM {before.SqlName} UNION ALL SELECT {projectAfter}, 1 FROM {after.SqlName}) GROUP BY {g})",
            ct).ConfigureAwait(false) ?? 0;
        return (double)overlap / larger;
    }

    private static async Task<IReadOnlyList<ColumnMapping>> MapColumnsAsync(RowStore store, string captureBefore, Table t0, string captureAfter, Table t1, CancellationToken ct)
    {
        var mapped = new Dictionary<string, ColumnMapping>(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        void Map(Column c0, Column c1, MappingSource source)
        {
            mapped[c0.Name] = new ColumnMapping(c0, c1, source);
            taken.Add(c1.Name);
        }

        // Column ids only identify columns within the same table object.
        var sameObject = t0.EngineId.Value is { } tableId && t1.EngineId.Value == tableId;
        if (sameObject)
        {
            foreach (var c0 in t0.Columns)
            {
                if (c0.EngineId.Value is { } id && t1.Columns.FirstOrDefault(c => c.EngineId.Value == id && !taken.Contains(c.Name)) is { } c1)
                {
                    Map(c0, c1, MappingSource.EngineId);
                }
            }
        }

        foreach (var c0 in t0.Columns.Where(c => !mapped.ContainsKey(c.Name)))
        {
            if (t1.FindColumn(c0.Name) is not { } c1 || taken.Contains(c1.Name))
            {
                continue;
            }

            // Same name, different attnum in the same table: the forward dropped the column and added another under
            // its name. Only the data can say it is a copy (ADD new, copy, DROP old, RENAME) rather than a reset.
            var idsDisagree = sameObject && c0.EngineId.Value is not null && c1.EngineId.Value is not null && c0.EngineId.Value != c1.EngineId.Value;
            if (!idsDisagree)
            {
                Map(c0, c1, MappingSource.Name);
            }
        }

        var s0 = store.Find(captureBefore, t0.Name);
        var s1 = store.Find(captureAfter, t1.Name);
        if (s0 is not null && s1 is not null && s0.RowCount > 0 && s1.RowCount > 0)
        {
            await MapByDataAsync(store, s0, s1, t0, t1, mapped, taken, Map, ct).ConfigureAwait(false);
        }

        return t0.Columns.Where(c => mapped.ContainsKey(c.Name)).Select(c => mapped[c.Name]).ToList();
    }

    private static async Task MapByDataAsync(
        RowStore store, StoredTable s0, StoredTable s1, Table t0, Table t1, Dictionary<string, ColumnMapping> mapped, HashSet<string> taken, Action<Column, Column, MappingSource> map, CancellationToken ct)
    {
        List<Column> Unmapped0() => t0.Columns.Where(c => !mapped.ContainsKey(c.Name)).ToList();
        List<Column> Unmapped1() => t1.Columns.Where(c => !taken.Contains(c.Name)).ToList();
        if (Unmapped0().Count == 0 || Unmapped1().Count == 0)
        {
            return;
        }

        // A renamed key column cannot be joined on: match it by its value distribution first.
        var key = RowKey(t0);
        if (key is not null && key.Any(k => !mapped.ContainsKey(k)))
        {
            var keyColumns = Unmapped0().Where(c => key.Contains(c.Name)).ToList();
            Assign(await DistributionScoresAsync(store, s0, s1, keyColumns, Unmapped1(), ct).ConfigureAwait(false), map);
        }

        if (Unmapped0().Count == 0 || Unmapped1().Count == 0)
        {
            return;
        }

        var scores = key is not null && key.All(mapped.ContainsKey)
            ? await JoinScoresAsync(store, s0, s1, key.Select(k => (s0.Col(k), s1.Col(mapped[k].After.Name))).ToList(), Unmapped0(), Unmapped1(), ct).ConfigureAwait(false)
            : await DistributionScoresAsync(store, s0, s1, Unmapped0(), Unmapped1(), ct).ConfigureAwait(false);
        Assign(scores, map);
    }

    /// <summary>Greedy one-to-one assignment, best agreement first; ties go to the earlier columns.</summary>
    private static void Assign(List<(Column Before, Column After, double Score)> scores, Action<Column, Column, MappingSource> map)
    {
        var usedBefore = new HashSet<string>(StringComparer.Ordinal);
        var usedAfter = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (c0, c1, _) in scores
                     .Where(s => s.Score >= CorrelationThreshold)
                     .OrderByDescending(s => s.Score)
                     .ThenBy(s => s.Before.Position)
                     .ThenBy(s => s.After.Position))
        {
            if (!usedBefore.Contains(c0.Name) && !usedAfter.Contains(c1.Name))
            {
                usedBefore.Add(c0.Name);
                usedAfter.Add(c1.Name);
                map(c0, c1, MappingSource.Data);
            }
        }
    }

    /// <summary>Per column pair: of the rows joined by key whose S0 value is not null, the share whose S1 value is equal.</summary>
    private static async Task<List<(Column Before, Column After, double Score)>> JoinScoresAsync(
        RowStore store, StoredTable s0, StoredTable s1, List<(string Before, string After)> key, List<Column> before, List<Column> after, CancellationToken ct)
    {
        await store.EnsureIndexAsync(s1, key.Select(k => k.After).ToList(), ct).ConfigureAwait(false);
        var join = string.Join(" AND ", key.Select(k => $"b.{k.After} = a.{k.Before}"));
        var pairs = before.SelectMany(c0 => after.Select(c1 => (Before: c0, After: c1))).ToList();
        var result = new List<(Column, Column, double)>();
        foreach (var chunk in pairs.Chunk(ExpressionsPerQuery / 2))
        {
            var expressions = chunk.SelectMany(p => new[]
            {
                $"count(a.{s0.Col(p.Before.Name)})",
                $"coalesce(sum(a.{s0.Col(p.Before.Name)} = b.{s1.Col(p.After.Name)}), 0)",
            });
            var row = (await store.QueryAsync($"SELECT {string.Join(", ", expressions)} FROM {s0.SqlName} a JOIN {s1.SqlName} b ON {join}", ct).ConfigureAwait(false))[0];
            for (var i = 0; i < chunk.Length; i++)
            {
                var total = ParseLong(row[2 * i]);
                var equal = ParseLong(row[(2 * i) + 1]);
                result.Add((chunk[i].Before, chunk[i].After, total == 0 ? 0 : (double)equal / total));
            }
        }

        return result;
    }

    /// <summary>Per column pair, without a key to join on: the overlap of the two multisets of non-null values.</summary>
    private static async Task<List<(Column Before, Column After, double Score)>> DistributionScoresAsync(
        RowStore store, StoredTable s0, StoredTable s1, List<Column> before, List<Column> after, CancellationToken ct)
    {
        var result = new List<(Column, Column, double)>();
        foreach (var c0 in before)
        {
            foreach (var c1 in after)
            {
                var x = s0.Col(c0.Name);
                var y = s1.Col(c1.Name);
                var row = (await store.QueryAsync(
                    $"SELECT (SELECT count({x}) FROM {s0.SqlName}), (SELECT count({y}) FROM {s1.SqlName}), "
                    + $"(SELECT sum(min(n0, n1)) FROM (SELECT sum(s = 0) AS n0, sum(s = 1) AS n1 FROM (SELECT {x} AS v, 0 AS s FROM {s0.SqlName} WHERE {x} IS NOT NULL UNION ALL SELECT {y}, 1 FROM {s1.SqlName} WHERE {y} IS NOT NULL) GROUP BY v))",
                    ct).ConfigureAwait(false))[0];
                var larger = Math.Max(ParseLong(row[0]), ParseLong(row[1]));
                result.Add((c0, c1, larger == 0 ? 0 : (double)ParseLong(row[2]) / larger));
            }
        }

        return result;
    }

    private static long ParseLong(string? text) => text is null ? 0 : long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
