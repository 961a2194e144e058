using System.Globalization;
using RollbackVerifier.Diffing;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Execution.Analysis;

/// <summary>
/// The atomicity analysis: for each (sampled) statement k of the rollback, start from a copy of the pre-rollback
/// database (S1'), run statements 1..k the way the scenario's runner does, stop as if statement k+1 failed (the
/// executor closes the connection, so an open transaction rolls back; on MySQL a DDL statement k+1 commits it first),
/// snapshot, and compare with S1' and with the rolled-back database S2.
/// </summary>
/// <remarks>
/// Probes are batched: one run stopped after the highest pending k also yields, from snapshots taken while it runs,
/// every pending point after which no transaction is open (a stop there leaves exactly that state). Points inside a
/// transaction need a run of their own; a copy that comes back unchanged is reused for the next one.
/// </remarks>
internal sealed class Atomicity(Scenario scenario, ScriptSource script, IReadOnlyList<SqlStatement> statements, RowStore store, SchemaSnapshot s1Live, SchemaSnapshot? s2)
{
    /// <summary>Store capture name of the probe being classified (replaced by each probe).</summary>
    private const string Probe = "probe";

    /// <summary>Leading words of statements that change neither schema nor data (session settings, plans, maintenance).</summary>
    private static readonly HashSet<string> NoEffect = new(StringComparer.Ordinal)
    {
        "SET", "SHOW", "EXPLAIN", "DESCRIBE", "DESC", "SAVEPOINT", "RELEASE", "USE", "PRAGMA", "ANALYZE", "VACUUM", "CHECKPOINT", "LISTEN", "UNLISTEN", "NOTIFY", "DISCARD", "RESET",
    };

    /// <summary>
    /// The failure points to try: statements after which the rollback can stop, the last one excluded (stopping after it
    /// is the finished rollback), within <paramref name="before"/> (the statement that failed in the real run, whose
    /// later statements never ran). In transaction mode the runner skips the script's BEGIN/COMMIT, so they are no points;
    /// <see cref="AtomicityMode.Sample"/> keeps the statements that can change something, at most <paramref name="limit"/>,
    /// spread evenly and always including the first and the last.
    /// </summary>
    public static IReadOnlyList<SqlStatement> Candidates(IReadOnlyList<SqlStatement> statements, ExecutionMode mode, AtomicityMode atomicity, int limit, int? before = null)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var last = statements.Count == 0 ? 0 : statements[^1].Number;
        var end = Math.Min(last, before ?? int.MaxValue);
        var points = statements
            .Where(s => s.Number < end && (mode == ExecutionMode.Autocommit || s.Kind == StatementKind.Regular))
            .Where(s => atomicity == AtomicityMode.All
                || (s.Kind != StatementKind.BeginTransaction && !(s.Kind == StatementKind.Regular && s.Keywords.Count > 0 && NoEffect.Contains(s.Keywords[0]))))
            .ToList();
        if (atomicity != AtomicityMode.Sample || points.Count <= limit)
        {
            return points;
        }

        if (limit == 1)
        {
            return [points[^1]];
        }

        return Enumerable.Range(0, limit)
            .Select(i => points[(int)Math.Round(i * (points.Count - 1) / (double)(limit - 1), MidpointRounding.AwayFromZero)])
            .Distinct()
            .ToList();
    }

    public async Task<AtomicityReport> RunAsync(IDatabaseInstance? image, string? cloneMethod, string? imageProblem, ScriptOutcome rollback, CancellationToken ct)
    {
        var settings = scenario.Analysis;
        var before = rollback.Succeeded ? (int?)null : rollback.Failure?.Number ?? 0;
        var all = Candidates(statements, scenario.Execution.Rollback, settings.Atomicity, int.MaxValue, before);
        var points = Candidates(statements, scenario.Execution.Rollback, settings.Atomicity, settings.AtomicityLimit, before);
        AtomicityReport Report(IReadOnlyList<AtomicityPoint> tried, string? skipped) =>
            new(RunAnalysisSettings.Name(settings.Atomicity), settings.AtomicityLimit, cloneMethod, all.Count, tried, 0, skipped);

        if (points.Count == 0)
        {
            var why = statements.Count <= 1 ? "the rollback has at most one statement"
                : before is { } failed ? $"the rollback failed at statement {failed}, before any point worth trying"
                : "no statement before the last one changes schema or data";
            return Report([], why);
        }

        if (image is null)
        {
            return Report([], imageProblem ?? "the pre-rollback database was not copied");
        }

        var results = new SortedDictionary<int, AtomicityPoint>();
        var pending = new SortedSet<int>(points.Select(p => p.Number));
        IDatabaseInstance? clean = null;
        var checkedCopy = false;
        try
        {
            while (pending.Count > 0)
            {
                var last = pending.Max;
                var database = clean ?? await ((ICloneableDatabase)image).CloneAsync(ct).ConfigureAwait(false);
                clean = null;
                try
                {
                    // The first copy is compared with S1' before anything runs on it: a copy that is not faithful would
                    // make every probe look half applied. (The image itself stays untouched, so copying it stays cheap.)
                    if (!checkedCopy && await DifferencesFromStartAsync(database, ct).ConfigureAwait(false) is { Count: > 0 } differences)
                    {
                        return Report([], $"the copy of the pre-rollback database ({cloneMethod}) differs from it: {string.Join("; ", differences.Take(5))}");
                    }

                    checkedCopy = true;
                    var snapshots = new Snapshots(pending.Where(k => k != last).ToHashSet(), async statement =>
                    {
                        results[statement.Number] = await ClassifyAsync(database, statement, ct).ConfigureAwait(false);
                        pending.Remove(statement.Number);
                    });
                    var outcome = await ScriptExecutor.RunAsync(database, Phase.Rollback, script, scenario.Execution.Rollback, scenario.Timeouts, ct, new ExecutionOptions(snapshots, last)).ConfigureAwait(false);
                    pending.Remove(last);
                    if (outcome.Failure is { ErrorCode: not ExecutionOptions.InjectedErrorCode } failure)
                    {
                        // The copy did not behave like the original run (a statement that succeeded there failed here).
                        results[last] = Point(last, AtomicityState.HalfApplied, [$"statement {failure.Number} failed in the probe although it succeeded in the run: {failure.ErrorCode} {failure.ErrorMessage}"], []);
                        continue;
                    }

                    var point = await ClassifyAsync(database, statements.First(s => s.Number == last), ct).ConfigureAwait(false);
                    results[last] = point;
                    if (point.State == AtomicityState.Unchanged && pending.Count > 0)
                    {
                        clean = database;
                    }
                }
                finally
                {
                    if (!ReferenceEquals(clean, database))
                    {
                        await database.DisposeAsync().ConfigureAwait(false);
                    }
                }
            }
        }
        finally
        {
            if (clean is not null)
            {
                await clean.DisposeAsync().ConfigureAwait(false);
            }
        }

        return Report(results.Values.ToList(), null);
    }

    private AtomicityPoint Point(int number, AtomicityState state, IReadOnlyList<string> applied, IReadOnlyList<string> remaining)
    {
        var statement = statements.First(s => s.Number == number);
        return new AtomicityPoint(number, statement.Line, statement.Summary, state, applied, remaining);
    }

    /// <summary>Snapshot of the copy as it came, compared with S1': what a faithful copy must not show.</summary>
    private async Task<IReadOnlyList<string>> DifferencesFromStartAsync(IDatabaseInstance copy, CancellationToken ct)
    {
        var schema = await CaptureAsync(copy, ct).ConfigureAwait(false);
        if (schema == s1Live && await store.DataEqualAsync(RowStore.BeforeRollback, s1Live, Probe, schema, ct).ConfigureAwait(false))
        {
            return [];
        }

        return await StateDifference.DescribeAsync(store, RowStore.BeforeRollback, s1Live, Probe, schema, ct).ConfigureAwait(false);
    }

    private async Task<AtomicityPoint> ClassifyAsync(IDatabaseInstance database, SqlStatement after, CancellationToken ct)
    {
        var schema = await CaptureAsync(database, ct).ConfigureAwait(false);
        if (schema == s1Live && await store.DataEqualAsync(RowStore.BeforeRollback, s1Live, Probe, schema, ct).ConfigureAwait(false))
        {
            return Point(after.Number, AtomicityState.Unchanged, [], []);
        }

        if (s2 is not null && schema == s2 && await store.DataEqualAsync(RowStore.AfterRollback, s2, Probe, schema, ct).ConfigureAwait(false))
        {
            return Point(after.Number, AtomicityState.RolledBack, [], []);
        }

        var applied = await StateDifference.DescribeAsync(store, RowStore.BeforeRollback, s1Live, Probe, schema, ct).ConfigureAwait(false);
        var remaining = s2 is null ? [] : await StateDifference.DescribeAsync(store, Probe, schema, RowStore.AfterRollback, s2, ct).ConfigureAwait(false);
        return Point(after.Number, AtomicityState.HalfApplied, applied, remaining);
    }

    private async Task<SchemaSnapshot> CaptureAsync(IDatabaseInstance database, CancellationToken ct)
    {
        var schema = await database.InspectSchemaAsync(ct).ConfigureAwait(false);
        await store.CaptureAsync(Probe, schema, database.ReadRowsAsync, ct).ConfigureAwait(false);
        return schema;
    }

    /// <summary>Takes a snapshot after each point at which no transaction is open: a stop there leaves exactly this state.</summary>
    private sealed class Snapshots(HashSet<int> points, Func<SqlStatement, Task> capture) : IStatementObserver
    {
        public async Task ExecuteAsync(StatementStep step, Func<string, CancellationToken, Task<int>> execute, CancellationToken cancellationToken) =>
            await execute(step.Statement.Text, cancellationToken).ConfigureAwait(false);

        public async Task AfterAsync(StatementStep step, bool transactionOpen, CancellationToken cancellationToken)
        {
            if (!transactionOpen && points.Remove(step.Statement.Number))
            {
                await capture(step.Statement).ConfigureAwait(false);
            }
        }

        public async Task CommitAsync(Func<Task> commit, CancellationToken cancellationToken) => await commit().ConfigureAwait(false);
    }
}

/// <summary>What differs between two captured states, in words: schema changes, then tables whose rows differ.</summary>
internal static class StateDifference
{
    /// <summary>Most entries listed (the rest are counted).</summary>
    private const int MaxEntries = 12;

    /// <summary>How <paramref name="to"/> differs from <paramref name="from"/>, as changes made on the way from one to the other.</summary>
    public static async Task<IReadOnlyList<string>> DescribeAsync(RowStore store, string fromCapture, SchemaSnapshot from, string toCapture, SchemaSnapshot to, CancellationToken ct)
    {
        var entries = SchemaDiffer.Diff(from, to).Select(Phrase).ToList();
        foreach (var table in from.Tables)
        {
            var other = to.FindTable(table.Name);
            if (other is null)
            {
                continue;
            }

            var a = store.Require(fromCapture, table.Name);
            var b = store.Require(toCapture, other.Name);
            var common = table.Columns.Select(c => c.Name).Where(n => b.Has(n)).ToList();
            if (common.Count == 0)
            {
                if (a.RowCount != b.RowCount)
                {
                    entries.Add(string.Create(CultureInfo.InvariantCulture, $"rows of {table.Name}: {a.RowCount} -> {b.RowCount}"));
                }

                continue;
            }

            var columnsA = string.Join(", ", common.Select(a.Col));
            var columnsB = string.Join(", ", common.Select(b.Col));
            var onlyA = await store.ScalarLongAsync($"SELECT count(*) FROM (SELECT {columnsA} FROM {a.SqlName} EXCEPT SELECT {columnsB} FROM {b.SqlName})", ct).ConfigureAwait(false) ?? 0;
            var onlyB = await store.ScalarLongAsync($"SELECT count(*) FROM (SELECT {columnsB} FROM {b.SqlName} EXCEPT SELECT {columnsA} FROM {a.SqlName})", ct).ConfigureAwait(false) ?? 0;
            if (onlyA > 0 || onlyB > 0 || a.RowCount != b.RowCount)
            {
                entries.Add(string.Create(CultureInfo.InvariantCulture,
                    $"rows of {table.Name} changed ({onlyA} row values gone, {onlyB} new; {a.RowCount} -> {b.RowCount} rows{(common.Count < table.Columns.Count || common.Count < other.Columns.Count ? ", compared on the columns both have" : "")})"));
            }
        }

        return entries.Count <= MaxEntries ? entries : [.. entries.Take(MaxEntries), $"and {entries.Count - MaxEntries} more differences"];
    }

    /// <summary>"index public.t_a dropped", "column public.t.c created", "public.t.a: column type changed (integer -> bigint)".</summary>
    private static string Phrase(Findings.Finding finding)
    {
        var name = finding.Name;
        var dash = name.LastIndexOf('-');
        var kind = dash < 0 ? name : name[..dash].Replace('-', ' ');
        var change = dash < 0 ? string.Empty : name[(dash + 1)..];
        var values = finding.Before is { Length: <= 80 } before && finding.After is { Length: <= 80 } after ? $" ({before} -> {after})" : string.Empty;

        // Objects that name their kind already ("public.orders (index orders_idx)") are not prefixed with it again.
        var what = finding.Object.Contains($"({kind} ", StringComparison.Ordinal) ? finding.Object : $"{kind} {finding.Object}";
        return change switch
        {
            "missing" => $"{what} dropped",
            "extra" => $"{what} created",
            _ => $"{finding.Object}: {name.Replace('-', ' ')}{values}",
        };
    }
}
