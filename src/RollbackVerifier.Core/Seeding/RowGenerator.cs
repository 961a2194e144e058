using RollbackVerifier.Model;

namespace RollbackVerifier.Seeding;

/// <summary>Parent keys for foreign keys, read from the database after the parent table is seeded.</summary>
public interface IKeyPools
{
    /// <summary>The referenced column values of every parent row, in a stable order.</summary>
    IReadOnlyList<object?[]> Get(ForeignKey key);
}

/// <summary>
/// Produces the rows of one table plan, deterministically: the same seed, pools and ordinal base give the same rows.
/// Every tenth row carries tame edge values (maximum-length and multi-byte free text, timestamps at DST changes)
/// wherever the column's type and checks allow them (formatted text such as emails and codes keeps its format); the hostile ones (empty strings, boundary numbers) are kept for live
/// rows, so that pre-existing data stays what production data plausibly holds.
/// </summary>
public sealed class RowGenerator
{
    private const int EdgeEvery = 10;
    private readonly TablePlan _plan;
    private readonly ValueGenerator _values;
    private readonly long _ordinalBase;
    private readonly Func<long, object?>[] _sources;
    private readonly IReadOnlyList<object?>[] _edges;
    private readonly IReadOnlyList<object?>[] _liveEdges;
    private readonly (int Left, string Operator, int Right)[] _comparisons;
    private readonly List<object?[]> _inRowKeys = [];
    private readonly IReadOnlyList<object?[]>[] _referencePools;

    private readonly long _referenceOffset;

    internal RowGenerator(TablePlan plan, ValueGenerator values, IKeyPools pools, long ordinalBase, long referenceOffset = 0)
    {
        _referenceOffset = referenceOffset;
        _plan = plan;
        _values = values;
        _ordinalBase = ordinalBase;
        var referenced = plan.References.SelectMany(r => r.Indexes).ToHashSet();
        _sources = plan.Columns.Select((c, i) => Source(values, plan.ValueColumns[i], c, plan.Rules[i])).ToArray();
        _referencePools = plan.References.Select(r => r.Mode is ReferenceMode.Deferred or ReferenceMode.InRow ? [] : pools.Get(r.Key)).ToArray();
        _liveEdges = plan.Columns.Select((c, i) => referenced.Contains(i) || plan.Rules[i].Unique || plan.Rules[i].Override is not null
            ? (IReadOnlyList<object?>)[]
            : ValueGenerator.EdgeValues(c, plan.Rules[i])).ToArray();
        _edges = plan.Columns.Select((c, i) => c.Family != TypeFamily.Text || ValueGenerator.IsFreeText(c)
            ? (IReadOnlyList<object?>)_liveEdges[i].Where(ValueGenerator.IsTameEdge).ToList()
            : []).ToArray();
        _comparisons = plan.Checks.Comparisons
            .Select(c => (Left: plan.Columns.IndexOfColumn(c.Left), c.Operator, Right: plan.Columns.IndexOfColumn(c.Right)))
            .Where(c => c.Left >= 0 && c.Right >= 0)
            .ToArray();
        foreach (var (left, _, right) in _comparisons)
        {
            _edges[left] = [];
            _edges[right] = [];
            _liveEdges[left] = [];
            _liveEdges[right] = [];
        }
    }

    /// <summary>Values of <paramref name="valueColumn"/>'s type, as text where the written column became text.</summary>
    private static Func<long, object?> Source(ValueGenerator values, Column valueColumn, Column written, ColumnRules rules)
    {
        var source = values.Compile(valueColumn, rules);
        if (valueColumn.Family == written.Family || written.Family != TypeFamily.Text)
        {
            return source;
        }

        return ordinal => source(ordinal) is { } value ? CanonicalValue.Format(value) : null;
    }

    /// <summary>The table's random generator (for choices the seeder makes about this table's rows).</summary>
    public Bogus.Randomizer Random => _values.Random;

    /// <summary>Row <paramref name="row"/> of this generator (0-based); its unique ordinal is the base plus the row.</summary>
    public object?[] Next(long row, bool edges = true)
    {
        var ordinal = _ordinalBase + row;
        var values = new object?[_sources.Length];
        var edgeRow = edges && row % EdgeEvery == EdgeEvery - 1;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = edgeRow && _edges[i].Count > 0 ? Distinct(_edges[i][(int)(row / EdgeEvery % _edges[i].Count)], ordinal) : _sources[i](ordinal);
        }

        FillReferences(values, row);
        ApplyComparisons(values);
        return values;
    }

    /// <summary>Ends an edge string with the row ordinal (same length), so edge rows never duplicate each other.</summary>
    private static object? Distinct(object? value, long ordinal)
    {
        if (value is not string text)
        {
            return value;
        }

        var digits = ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var runes = text.EnumerateRunes().ToList();
        return runes.Count <= digits.Length ? text : string.Concat(runes.Take(runes.Count - digits.Length).Select(r => r.ToString())) + digits;
    }

    /// <summary>Puts an edge value into every column of <paramref name="row"/> that has one (live edge rows); false when none has.</summary>
    public bool ApplyEdges(object?[] row, int variant)
    {
        ArgumentNullException.ThrowIfNull(row);
        var changed = false;
        for (var i = 0; i < row.Length; i++)
        {
            if (_liveEdges[i].Count > 0)
            {
                row[i] = _liveEdges[i][(variant + i) % _liveEdges[i].Count];
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>Values for the columns at <paramref name="indexes"/> only (for UPDATE of existing rows).</summary>
    public object?[] NextValues(long row, IReadOnlyList<int> indexes)
    {
        var ordinal = _ordinalBase + row;
        return indexes.Select(i => _sources[i](ordinal)).ToArray();
    }

    private void FillReferences(object?[] values, long row)
    {
        for (var r = 0; r < _plan.References.Count; r++)
        {
            var reference = _plan.References[r];
            object?[]? pick = null;
            switch (reference.Mode)
            {
                case ReferenceMode.Deferred:
                    break;
                case ReferenceMode.InRow:
                    var own = reference.ReferencedIndexes.Select(i => values[i]).ToArray();
                    pick = _inRowKeys.Count == 0 ? own : _inRowKeys[_values.Random.Int(0, _inRowKeys.Count - 1)];
                    _inRowKeys.Add(own);
                    break;
                default:
                    var pool = _referencePools[r];
                    if (pool.Count == 0)
                    {
                        break;
                    }

                    if (reference.Mode == ReferenceMode.Sequential)
                    {
                        var index = row + _referenceOffset;
                        pick = index < pool.Count ? pool[(int)index] : null;
                    }
                    else if (reference.Mode == ReferenceMode.Combination)
                    {
                        pick = pool[(int)(CombinationDigit(reference, row + _referenceOffset) % pool.Count)];
                    }
                    else if (!(reference.Nullable && _values.Random.Int(0, 9) == 0))
                    {
                        pick = pool[_values.Random.Int(0, pool.Count - 1)];
                    }

                    break;
            }

            for (var k = 0; k < reference.Indexes.Count; k++)
            {
                values[reference.Indexes[k]] = pick?[k];
            }
        }
    }

    /// <summary>Mixed-radix digit of <paramref name="row"/> for one key of a unique key made of foreign keys, so rows get distinct parent combinations.</summary>
    private long CombinationDigit(ReferencePlan reference, long row)
    {
        var divisor = 1L;
        for (var r = 0; r < _plan.References.Count; r++)
        {
            var other = _plan.References[r];
            if (other.Mode != ReferenceMode.Combination)
            {
                continue;
            }

            if (ReferenceEquals(other, reference))
            {
                return row / divisor;
            }

            divisor *= Math.Max(1, _referencePools[r].Count);
        }

        return row;
    }

    private void ApplyComparisons(object?[] values)
    {
        foreach (var (left, op, right) in _comparisons)
        {
            if (values[left] is not IComparable a || values[right] is not { } b || a.GetType() != b.GetType())
            {
                continue;
            }

            var order = a.CompareTo(b);
            var holds = op switch
            {
                "<" => order < 0,
                "<=" => order <= 0,
                ">" => order > 0,
                ">=" => order >= 0,
                "=" => order == 0,
                _ => order != 0,
            };
            if (holds)
            {
                continue;
            }

            if (op == "=")
            {
                values[left] = b;
            }
            else if (order != 0)
            {
                (values[left], values[right]) = (values[right], values[left]);
            }
            else
            {
                values[op is "<" or "<=" ? right : left] = Nudge(b);
            }
        }
    }

    private static object Nudge(object value) => value switch
    {
        long l => l + 1,
        decimal d => d + 1,
        double f => f + 1,
        DateTime t => t.AddHours(1),
        TimeSpan s => s + TimeSpan.FromMinutes(1),
        string s => s + "z",
        _ => value,
    };
}
