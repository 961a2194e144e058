using RollbackVerifier.Model;

namespace RollbackVerifier.Diffing;

/// <summary>How a column or table was followed through the forward migration.</summary>
public enum MappingSource
{
    EngineId,
    Name,
    Data,
}

/// <summary>Where an S0 table went in S1: the table and, per S0 column index, the S1 column index (or -1 when dropped).</summary>
public sealed record TableMapping(Table Before, Table After, MappingSource Source, int[] ColumnMap, MappingSource?[] ColumnSources);

/// <summary>
/// Follows tables and columns through the forward migration: by the engine's own identity (PostgreSQL oid and
/// attribute number survive renames and type changes), then by name, then by data correlation between the S0
/// and S1 captures (renames on engines that expose no identity).
/// </summary>
public static class ColumnMapper
{
    /// <summary>Share of joined non-null rows whose values must agree for a data-correlated rename.</summary>
    public const double CorrelationThreshold = 0.9;

    public static async Task<IReadOnlyDictionary<ObjectName, TableMapping>> MapAsync(RowStore store, SchemaSnapshot s0, SchemaSnapshot s1, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(s0);
        ArgumentNullException.ThrowIfNull(s1);
        var result = new Dictionary<ObjectName, TableMapping>();
        var used = new HashSet<ObjectName>();
        var pending = new List<Table>();

        foreach (var before in s0.Tables)
        {
            Table? after = null;
            var source = MappingSource.Name;
            if (before.EngineId.Value is { } id && s1.FindTableByEngineId(id) is { } byId)
            {
                after = byId;
                source = MappingSource.EngineId;
            }
            else if (before.EngineId.Value is null && s1.FindTable(before.Name) is { } byName)
            {
                after = byName;
            }

            if (after is null)
            {
                pending.Add(before);
                continue;
            }

            used.Add(after.Name);
            result[before.Name] = await MapColumnsAsync(store, before, after, source, ct).ConfigureAwait(false);
        }

        // Tables that kept neither id nor name: a renamed table holds (nearly) the same rows under most column names.
        foreach (var before in pending)
        {
            TableMapping? best = null;
            var bestScore = 0.0;
            foreach (var candidate in s1.Tables.Where(t => !used.Contains(t.Name) && s0.FindTable(t.Name) is null))
            {
                var sharedNames = before.Columns.Count(c => candidate.FindColumn(c.Name) is not null);
                if (sharedNames * 2 < before.Columns.Count)
                {
                    continue;
                }

                var rowsBefore = await store.CountAsync("s0", before.Name, ct).ConfigureAwait(false);
                var rowsAfter = await store.CountAsync("s1", candidate.Name, ct).ConfigureAwait(false);
                if (rowsBefore != rowsAfter)
                {
                    continue;
                }

                var score = (double)sharedNames / before.Columns.Count;
                if (score > bestScore)
                {
                    bestScore = score;
                    best = await MapColumnsAsync(store, before, candidate, MappingSource.Data, ct).ConfigureAwait(false);
                }
            }

            if (best is not null)
            {
                used.Add(best.After.Name);
                result[before.Name] = best;
            }
        }

        return result;
    }

    private static async Task<TableMapping> MapColumnsAsync(RowStore store, Table before, Table after, MappingSource tableSource, CancellationToken ct)
    {
        var map = Enumerable.Repeat(-1, before.Columns.Count).ToArray();
        var sources = new MappingSource?[before.Columns.Count];
        var taken = new HashSet<int>();
        var idsKnown = before.Columns.All(c => c.EngineId.Value is not null) && after.Columns.All(c => c.EngineId.Value is not null) && tableSource == MappingSource.EngineId;

        for (var i = 0; i < before.Columns.Count; i++)
        {
            var column = before.Columns[i];
            int j;
            if (idsKnown)
            {
                j = IndexWhere(after, c => c.EngineId.Value == column.EngineId.Value);
                sources[i] = MappingSource.EngineId;
            }
            else
            {
                j = RowStore.IndexOf(after, column.Name);
                sources[i] = MappingSource.Name;
            }

            if (j >= 0 && taken.Add(j))
            {
                map[i] = j;
            }
            else
            {
                sources[i] = null;
            }
        }

        // Data correlation for columns that are still unmapped, joined through the primary key.
        var unmappedBefore = Enumerable.Range(0, map.Length).Where(i => map[i] < 0).ToList();
        var unmappedAfter = Enumerable.Range(0, after.Columns.Count).Where(j => !taken.Contains(j)).ToList();
        var keyPairs = KeyPairs(before, map);
        var t0 = store.TableFor("s0", before.Name);
        var t1 = store.TableFor("s1", after.Name);
        if (unmappedBefore.Count > 0 && unmappedAfter.Count > 0 && keyPairs is not null && t0 is not null && t1 is not null)
        {
            await store.EnsureIndexAsync(t1, keyPairs.Select(k => k.After).ToList(), ct).ConfigureAwait(false);
            var join = string.Join(" AND ", keyPairs.Select(k => $"a.{RowStore.Col(k.Before)} = b.{RowStore.Col(k.After)}"));
            foreach (var i in unmappedBefore)
            {
                var bestJ = -1;
                var bestRatio = 0.0;
                foreach (var j in unmappedAfter.Where(j => !taken.Contains(j)))
                {
                    var counts = await store.QueryAsync(
                        $"SELECT count(*), sum(a.{RowStore.Col(i)} = b.{RowStore.Col(j)}) FROM {t0} a JOIN {t1} b ON {join} WHERE a.{RowStore.Col(i)} IS NOT NULL",
                        ct).ConfigureAwait(false);
                    var total = long.Parse(counts[0][0] ?? "0", System.Globalization.CultureInfo.InvariantCulture);
                    var equal = long.Parse(counts[0][1] ?? "0", System.Globalization.CultureInfo.InvariantCulture);
                    var ratio = total == 0 ? 0 : (double)equal / total;
                    if (ratio >= CorrelationThreshold && ratio > bestRatio)
                    {
                        bestRatio = ratio;
                        bestJ = j;
                    }
                }

                if (bestJ >= 0)
                {
                    map[i] = bestJ;
                    sources[i] = MappingSource.Data;
                    taken.Add(bestJ);
                }
            }
        }

        return new TableMapping(before, after, tableSource, map, sources);
    }

    /// <summary>The primary key as (S0 column index, S1 column index) pairs, when every key column is mapped.</summary>
    internal static List<(int Before, int After)>? KeyPairs(Table before, int[] map)
    {
        if (before.PrimaryKey is not { } pk)
        {
            return null;
        }

        var pairs = new List<(int, int)>();
        foreach (var name in pk.Columns)
        {
            var i = RowStore.IndexOf(before, name);
            if (i < 0 || map[i] < 0)
            {
                return null;
            }

            pairs.Add((i, map[i]));
        }

        return pairs;
    }

    private static int IndexWhere(Table table, Func<Column, bool> predicate)
    {
        for (var i = 0; i < table.Columns.Count; i++)
        {
            if (predicate(table.Columns[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
