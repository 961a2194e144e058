using System.Runtime.CompilerServices;
using RollbackVerifier.Diffing;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;

namespace RollbackVerifier.Tests.Oracle;

/// <summary>Builds <see cref="SchemaSnapshot"/>s by hand for the data oracle tests (tables, keys, engine ids, sequences).</summary>
internal sealed class OracleSnapshotBuilder
{
    private readonly List<Table> _tables = [];
    private readonly List<Sequence> _sequences = [];

    /// <summary>"schema.name" or "name" (unqualified, as on MySQL and SQLite).</summary>
    public static ObjectName Name(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? ObjectName.Unqualified(name) : new ObjectName(name[..dot], name[(dot + 1)..]);
    }

    public OracleSnapshotBuilder Table(string name, Action<OracleTableBuilder> build)
    {
        var table = new OracleTableBuilder(Name(name));
        build(table);
        _tables.Add(table.Build());
        return this;
    }

    public OracleSnapshotBuilder Sequence(string name, string? ownedBy, long? nextValue, SequenceKind kind = SequenceKind.Sequence, long increment = 1)
    {
        _sequences.Add(new Sequence(Name(name), kind, "bigint", 1, increment, 1, long.MaxValue, false, ownedBy, nextValue));
        return this;
    }

    public SchemaSnapshot Build() => SchemaSnapshot.Create(_tables, [], _sequences, [], [], []);
}

internal sealed class OracleTableBuilder(ObjectName name)
{
    private readonly List<Column> _columns = [];
    private readonly List<UniqueConstraint> _uniques = [];
    private PrimaryKey? _primaryKey;
    private long? _engineId;

    /// <summary>A column; <paramref name="engineId"/> plays PostgreSQL's attnum.</summary>
    public OracleTableBuilder Column(string column, TypeFamily family = TypeFamily.Text, long? engineId = null, bool nullable = true, string? dataType = null, string? generated = null)
    {
        _columns.Add(new Column(
            column,
            _columns.Count + 1,
            dataType ?? family.ToString().ToLowerInvariant(),
            family,
            null,
            null,
            null,
            nullable,
            null,
            IdentityKind.None,
            generated,
            null,
            ValueList<string>.Empty,
            engineId));
        return this;
    }

    public OracleTableBuilder Key(params string[] columns)
    {
        _primaryKey = new PrimaryKey(null, columns.ToValueList());
        return this;
    }

    public OracleTableBuilder Unique(params string[] columns)
    {
        _uniques.Add(new UniqueConstraint(null, columns.ToValueList(), false));
        return this;
    }

    /// <summary>Plays PostgreSQL's table oid.</summary>
    public OracleTableBuilder EngineId(long id)
    {
        _engineId = id;
        return this;
    }

    public Table Build() => Table.Create(name, _columns, _primaryKey, uniques: _uniques, engineId: _engineId);
}

/// <summary>
/// One oracle run fed from in-memory rows: the four snapshots and, per capture and table, the rows the engine would
/// stream (canonical strings in column order).
/// </summary>
internal sealed class OracleRun
{
    private readonly Dictionary<(string Capture, ObjectName Table), List<string?[]>> _rows = [];

    public required SchemaSnapshot S0 { get; init; }

    public required SchemaSnapshot S1 { get; init; }

    /// <summary>Defaults to <see cref="S1"/> (same shape; sequences may differ).</summary>
    public SchemaSnapshot? S1Live { get; init; }

    public required SchemaSnapshot S2 { get; init; }

    /// <summary>Rows of <paramref name="table"/> in a capture (s0, s1, s1p, s2).</summary>
    public OracleRun Rows(string capture, string table, params string?[][] rows)
    {
        _rows[(capture, OracleSnapshotBuilder.Name(table))] = [.. rows];
        return this;
    }

    /// <summary>The same rows in several captures.</summary>
    public OracleRun Rows(string[] captures, string table, params string?[][] rows)
    {
        foreach (var capture in captures)
        {
            Rows(capture, table, rows);
        }

        return this;
    }

    public static string?[] R(params string?[] values) => values;

    public async Task CaptureAllAsync(RowStore store)
    {
        await store.CaptureAsync(RowStore.BeforeForward, S0, Reader(RowStore.BeforeForward), CancellationToken.None);
        await store.CaptureAsync(RowStore.AfterForward, S1, Reader(RowStore.AfterForward), CancellationToken.None);
        await store.CaptureAsync(RowStore.BeforeRollback, S1Live ?? S1, Reader(RowStore.BeforeRollback), CancellationToken.None);
        await store.CaptureAsync(RowStore.AfterRollback, S2, Reader(RowStore.AfterRollback), CancellationToken.None);
    }

    public async Task<IReadOnlyList<Finding>> CheckAsync()
    {
        var store = await RowStore.CreateAsync(CancellationToken.None);
        await using (store)
        {
            await CaptureAllAsync(store);
            return await DataOracle.CheckAsync(store, new OracleSnapshots(S0, S1, S1Live ?? S1, S2), CancellationToken.None);
        }
    }

    public async Task<ForwardMapping> MapAsync()
    {
        var store = await RowStore.CreateAsync(CancellationToken.None);
        await using (store)
        {
            await CaptureAllAsync(store);
            return await ColumnMapper.MapAsync(store, S0, S1, CancellationToken.None);
        }
    }

    public Func<Table, CancellationToken, IAsyncEnumerable<string?[]>> Reader(string capture) =>
        (table, ct) => Stream(_rows.GetValueOrDefault((capture, table.Name)) ?? [], ct);

    public static async IAsyncEnumerable<string?[]> Stream(IEnumerable<string?[]> rows, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            yield return row;
        }
    }
}

/// <summary>Short descriptions of findings for assertion messages.</summary>
internal static class FindingText
{
    public static string Describe(this IEnumerable<Finding> findings) =>
        string.Join(Environment.NewLine, findings.Select(f => $"{f.Code} {f.Object} count={f.Evidence.Count} [{string.Join("; ", f.Evidence.SampleKeys)}] {f.Before} -> {f.After}: {f.Message}"));
}
