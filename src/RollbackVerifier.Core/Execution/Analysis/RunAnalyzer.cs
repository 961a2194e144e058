using System.Diagnostics;
using RollbackVerifier.Diffing;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Execution.Analysis;

/// <summary>
/// The run analysis of one scenario run, hooked into <see cref="ScenarioRunner"/>: before the rollback it sets up the
/// engine's observer and copies the pre-rollback database for the atomicity probes; afterwards it turns what it saw into
/// <see cref="RunAnalysis"/> and RV6xx findings. Disposing it drops the copy.
/// </summary>
public sealed class RunAnalyzer : IAsyncDisposable
{
    private readonly Scenario _scenario;
    private readonly ScriptSource _script;
    private readonly IRollbackObserver? _observer;
    private readonly IReadOnlyList<SqlStatement> _statements;
    private readonly Stopwatch _atomicityTime = new();
    private IDatabaseInstance? _image;
    private string? _imageProblem;
    private string? _cloneMethod;

    private RunAnalyzer(Scenario scenario, ScriptSource script, IRollbackObserver? observer, IReadOnlyList<SqlStatement> statements)
    {
        _scenario = scenario;
        _script = script;
        _observer = observer;
        _statements = statements;
        Options = observer is null ? null : new ExecutionOptions(observer, null);
    }

    /// <summary>Options for the real rollback run (the observer), or null when nothing observes it.</summary>
    public ExecutionOptions? Options { get; }

    /// <summary>The analysis, once <see cref="FinishAsync"/> has run.</summary>
    public RunAnalysis? Result { get; private set; }

    /// <summary>
    /// Prepares the analysis of <paramref name="scenario"/>'s rollback on <paramref name="database"/>, which must hold the
    /// pre-rollback state (S1'): creates the observer and, when the atomicity analysis has failure points to try, a copy
    /// of the database to start every probe from.
    /// </summary>
    public static async Task<RunAnalyzer> PrepareAsync(IDatabaseInstance database, Scenario scenario, ScriptSource rollback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(rollback);
        var settings = scenario.Analysis;
        // A command-step rollback (an external tool) has no statements of ours to watch or to stop between.
        var isCommand = rollback.Command is not null;
        IReadOnlyList<SqlStatement> statements = isCommand ? [] : database.Dialect.Splitter.Split(rollback.Text, rollback.Path);
        var observer = statements.Count > 0 && settings.Locks && database is IObservableDatabase observable ? observable.CreateObserver() : null;
        var analyzer = new RunAnalyzer(scenario, rollback, observer, statements);
        if (settings.Atomicity == AtomicityMode.Off
            || Atomicity.Candidates(statements, scenario.Execution.Rollback, settings.Atomicity, int.MaxValue).Count == 0)
        {
            return analyzer;
        }

        analyzer._atomicityTime.Start();
        try
        {
            if (database is ICloneableDatabase cloneable)
            {
                analyzer._cloneMethod = cloneable.CloneMethod;
                analyzer._image = await cloneable.CloneAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                analyzer._imageProblem = $"{database.Kind.ToName()} databases cannot be copied";
            }
        }
        catch (Exception ex) when (ex is RollbackVerifierException or System.Data.Common.DbException or IOException)
        {
            analyzer._imageProblem = "copying the pre-rollback database failed: " + ex.Message;
        }
        finally
        {
            analyzer._atomicityTime.Stop();
        }

        return analyzer;
    }

    /// <summary>
    /// Builds the analysis after the rollback ran (<paramref name="rollback"/>) and the run's captures are in
    /// <paramref name="store"/> (s1p for <paramref name="s1Live"/>, s2 for <paramref name="s2"/>); runs the atomicity
    /// probes. Returns the RV6xx findings.
    /// </summary>
    public async Task<IReadOnlyList<Finding>> FinishAsync(RowStore store, ScriptOutcome rollback, SchemaSnapshot s1Live, SchemaSnapshot s2, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(rollback);
        var findings = new List<Finding>();
        var file = Path.GetFileName(_script.Path);

        var statements = _observer?.Finish(file) ?? [];
        statements = await AttachRowsAsync(statements, store, s1Live, cancellationToken).ConfigureAwait(false);
        findings.AddRange(RunAnalysisFindings.ForStatements(statements, _statements, file));

        AtomicityReport? atomicity = null;
        var settings = _scenario.Analysis;
        if (settings.Atomicity != AtomicityMode.Off)
        {
            _atomicityTime.Start();
            try
            {
                var probe = new Atomicity(_scenario, _script, _statements, store, s1Live, rollback.Succeeded ? s2 : null);
                atomicity = await probe.RunAsync(_image, _cloneMethod, _imageProblem, rollback, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _atomicityTime.Stop();
                await DisposeImageAsync().ConfigureAwait(false);
            }

            atomicity = atomicity with { DurationMs = Math.Round(_atomicityTime.Elapsed.TotalMilliseconds, 1) };
            findings.AddRange(RunAnalysisFindings.ForAtomicity(atomicity, _statements, file));
        }

        Result = new RunAnalysis(statements, atomicity);
        return findings;
    }

    public async ValueTask DisposeAsync() => await DisposeImageAsync().ConfigureAwait(false);

    private async Task DisposeImageAsync()
    {
        var image = Interlocked.Exchange(ref _image, null);
        if (image is not null)
        {
            await image.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Rows each locked or altered table held just before the rollback, from the s1p capture.</summary>
    private static async Task<IReadOnlyList<StatementRun>> AttachRowsAsync(IReadOnlyList<StatementRun> statements, RowStore store, SchemaSnapshot s1Live, CancellationToken ct)
    {
        var counts = new Dictionary<string, long?>(StringComparer.Ordinal);
        async Task<long?> RowsAsync(string table)
        {
            if (!counts.TryGetValue(table, out var rows))
            {
                var found = s1Live.Tables.FirstOrDefault(t => string.Equals(t.Name.ToString(), table, StringComparison.Ordinal));
                rows = found is null ? null : await store.CountAsync(RowStore.BeforeRollback, found.Name, ct).ConfigureAwait(false);
                counts[table] = rows;
            }

            return rows;
        }

        var result = new List<StatementRun>(statements.Count);
        foreach (var statement in statements)
        {
            var locks = new List<RelationLock>(statement.Locks.Count);
            foreach (var l in statement.Locks)
            {
                locks.Add(l with { Rows = await RowsAsync(l.Table).ConfigureAwait(false) });
            }

            var alter = statement.Alter is { } a ? a with { Rows = await RowsAsync(a.Table).ConfigureAwait(false) } : null;
            result.Add(statement with { Locks = locks, Alter = alter });
        }

        return result;
    }
}
