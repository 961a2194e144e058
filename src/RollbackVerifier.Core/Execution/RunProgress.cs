using System.Diagnostics;
using RollbackVerifier.Model;

namespace RollbackVerifier.Execution;

/// <summary>What a progress event says.</summary>
public enum RunProgressKind
{
    /// <summary>A phase (create-database, baseline, seed, forward, ...) started.</summary>
    PhaseStarted,

    /// <summary>A phase finished; <see cref="RunProgress.PhaseDuration"/> holds how long it took.</summary>
    PhaseFinished,

    /// <summary>The seeder wrote more rows; <see cref="RunProgress.RowsSeeded"/> holds the new total.</summary>
    RowsSeeded,
}

/// <summary>
/// One progress event of a scenario run, for live displays. Events of one run arrive in order, from the thread that runs
/// it; runs executing concurrently report concurrently, so a receiver shared between runs must be thread-safe.
/// </summary>
/// <param name="Scenario">Scenario name.</param>
/// <param name="Engine">Engine.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Phase">The phase the event belongs to (for <see cref="RunProgressKind.RowsSeeded"/>: seed or seed-live).</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="RowsSeeded">Rows the seeder has written in this run so far (pre-existing and live together).</param>
/// <param name="PhaseDuration">For <see cref="RunProgressKind.PhaseFinished"/>: how long the phase took.</param>
public sealed record RunProgress(string Scenario, EngineKind Engine, RunProgressKind Kind, string Phase, TimeSpan Elapsed, long RowsSeeded, TimeSpan? PhaseDuration = null);

/// <summary>Turns the runner's phase boundaries and the seeder's row counts into <see cref="RunProgress"/> events.</summary>
internal sealed class ProgressTracker
{
    private readonly IProgress<RunProgress>? _sink;
    private readonly string _scenario;
    private readonly EngineKind _engine;
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private long _seededBefore;
    private long _seededInPhase;
    private string _phase = string.Empty;

    public ProgressTracker(IProgress<RunProgress>? sink, string scenario, EngineKind engine)
    {
        _sink = sink;
        _scenario = scenario;
        _engine = engine;
        Rows = sink is null ? null : new RowSink(this);
    }

    /// <summary>Where the seeder reports the rows written in the current phase; null when nobody listens.</summary>
    public IProgress<long>? Rows { get; }

    public void PhaseStarted(string phase)
    {
        _phase = phase;
        Send(RunProgressKind.PhaseStarted, null);
    }

    public void PhaseFinished(string phase, TimeSpan duration)
    {
        // A seed phase's rows count from now on as written before the next one.
        _seededBefore += _seededInPhase;
        _seededInPhase = 0;
        _phase = phase;
        Send(RunProgressKind.PhaseFinished, duration);
    }

    private void Send(RunProgressKind kind, TimeSpan? duration) =>
        _sink?.Report(new RunProgress(_scenario, _engine, kind, _phase, _watch.Elapsed, _seededBefore + _seededInPhase, duration));

    private sealed class RowSink(ProgressTracker tracker) : IProgress<long>
    {
        public void Report(long value)
        {
            tracker._seededInPhase = value;
            tracker.Send(RunProgressKind.RowsSeeded, null);
        }
    }
}
