using System.Globalization;
using RollbackVerifier.Model;

namespace RollbackVerifier.Execution;

/// <summary>
/// One part of a run split over several machines (<c>--shard 2/3</c>): 1-based <paramref name="Index"/> of
/// <paramref name="Count"/>. See docs/decisions/0003-shards.md for how work is assigned.
/// </summary>
public sealed record Shard(int Index, int Count)
{
    /// <summary>"2/3".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    /// <summary>Parses "i/n" with 1 &lt;= i &lt;= n; <paramref name="problem"/> says what is wrong otherwise.</summary>
    public static bool TryParse(string? text, out Shard? shard, out string? problem)
    {
        shard = null;
        var parts = (text ?? string.Empty).Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            problem = $"'{text}' is not a shard: write i/n, the 1-based shard number and the number of shards, e.g. 2/4";
            return false;
        }

        problem = count < 1
            ? $"'{text}': the number of shards must be at least 1"
            : index < 1 || index > count
                ? $"'{text}': the shard number must be between 1 and {count} (shards are numbered from 1)"
                : null;
        shard = problem is null ? new Shard(index, count) : null;
        return shard is not null;
    }

    /// <summary>
    /// The 1-based shard of each item, for <paramref name="count"/> shards. Items are grouped by engine and ordered by
    /// <paramref name="key"/> (ordinal) within an engine, then dealt out in turn, the count running on across engines:
    /// the result depends only on the keys (not on file-system or argument order, nor on the machine), every item gets
    /// exactly one shard, and shards differ by at most one item in total and per engine.
    /// </summary>
    public static int[] Assign<T>(IReadOnlyList<T> items, Func<T, EngineKind> engine, Func<T, string> key, int count)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var shards = new int[items.Count];
        var next = 0;
        var ordered = Enumerable.Range(0, items.Count)
            .OrderBy(i => Model.EngineOrder.Of(engine(items[i])))
            .ThenBy(i => key(items[i]), StringComparer.Ordinal);
        foreach (var i in ordered)
        {
            shards[i] = (next++ % count) + 1;
        }

        return shards;
    }
}
