using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;
using RollbackVerifier.Seeding;

namespace RollbackVerifier.Benchmarks;

/// <summary>
/// The project's own seeder, measured the way the harness uses it. Everything that touches the seeding API
/// (RollbackVerifier.Seeding: SeedPlanner.Plan, TablePlan.CreateGenerator, IKeyPools, Seeder.SeedAsync) is in this
/// file, so that a change of that API means a change here only.
/// </summary>
internal static class PlannerWorkload
{
    public static SeedSettings Settings(int seed, int rowsPerTable) => new(seed, rowsPerTable, 0, new Dictionary<string, TableSeedSettings>());

    /// <summary>
    /// Plans the schema and generates every row of every table without a database; parent keys come from
    /// <see cref="SyntheticKeyPools"/> (ids 1..n, as the identity columns of freshly loaded parents hold).
    /// </summary>
    public static long GenerateOnly(SchemaSnapshot schema, EngineKind kind, SeedSettings settings)
    {
        var plan = SeedPlanner.Plan(schema, settings, SeedPhase.PreExisting, kind);
        var pools = new SyntheticKeyPools(plan.Tables.ToDictionary(t => t.Table.Name, t => t.RowCount));
        long rows = 0;
        foreach (var table in plan.Tables)
        {
            var generator = table.CreateGenerator(settings.Seed, SeedPhase.PreExisting, pools, 0);
            for (var row = 0; row < table.RowCount; row++)
            {
                if (generator.Next(row).Length >= 0)
                {
                    rows++;
                }
            }
        }

        return rows;
    }

    /// <summary>Seeds the pre-existing rows (plan, key pools, generation overlapped with the engine's bulk loader); returns the rows inserted.</summary>
    public static async Task<long> SeedAsync(IDatabaseInstance database, SchemaSnapshot schema, SeedSettings settings, CancellationToken cancellationToken)
    {
        var summaries = await Seeder.SeedAsync(database, schema, settings, SeedPhase.PreExisting, cancellationToken);
        var refused = summaries.Where(s => s.Skipped > 0).ToList();
        if (refused.Count > 0)
        {
            Console.Error.WriteLine($"warning: the seeder had rows refused: {string.Join("; ", refused.Select(s => $"{s.Table}: {s.Skipped} ({s.SkipReason})"))}");
        }

        return summaries.Sum(s => s.Inserted);
    }

    /// <summary>Parent keys without a database: the single-column key values 1..n of each planned parent.</summary>
    private sealed class SyntheticKeyPools(IReadOnlyDictionary<ObjectName, int> rows) : IKeyPools
    {
        private readonly Dictionary<string, IReadOnlyList<object?[]>> _pools = new(StringComparer.Ordinal);

        public IReadOnlyList<object?[]> Get(ForeignKey key)
        {
            if (!_pools.TryGetValue(key.Shape, out var pool))
            {
                pool = key.ReferencedColumns.Count == 1 && rows.TryGetValue(key.ReferencedTable, out var count)
                    ? Enumerable.Range(1, count).Select(i => new object?[] { (long)i }).ToList()
                    : [];
                _pools[key.Shape] = pool;
            }

            return pool;
        }
    }
}
