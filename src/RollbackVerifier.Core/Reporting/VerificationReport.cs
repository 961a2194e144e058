using RollbackVerifier.Execution;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Reporting;

/// <summary>A statement that failed, with the server's own error.</summary>
public sealed record StatementFailure(Phase Phase, string File, int Number, int Line, string Text, string ErrorCode, string ErrorMessage);

/// <summary>How long a phase took.</summary>
public sealed record PhaseTiming(string Phase, TimeSpan Duration);

/// <summary>Adversarial live rows of one kind: what they wrote, against which old rule, and how many went in.</summary>
/// <param name="Kind">Attack kind (length, scale, magnitude, conversion, null, duplicate, check, enum-label, orphan, edge).</param>
/// <param name="Columns">Columns the rows attack.</param>
/// <param name="Description">The value and the old rule, e.g. "name longer than 40 characters (old varchar(40))".</param>
/// <param name="Rows">Rows written.</param>
/// <param name="Refused">Rows the new schema refused as well (not written).</param>
/// <param name="RefusedReason">The first refusal's message, or null.</param>
public sealed record SeedAttack(string Kind, IReadOnlyList<string> Columns, string Description, long Rows, long Refused, string? RefusedReason)
{
    /// <summary>For people: "37 rows with name longer than 40 characters (old varchar(40))".</summary>
    public override string ToString() => $"{Rows} row{(Rows == 1 ? "" : "s")} with {Description}";
}

/// <summary>What the seeder wrote for one table and phase; <paramref name="Adversarial"/> says which live rows the old schema would not accept.</summary>
public sealed record SeedTableSummary(string Table, string Phase, long Inserted, long Updated, long Deleted, long Skipped, string? SkipReason, IReadOnlyList<SeedAttack>? Adversarial = null)
{
    /// <summary>The adversarial rows written, as sentences (attacks that wrote no row are left out).</summary>
    public IReadOnlyList<string> Attacks => (Adversarial ?? []).Where(a => a.Rows > 0).Select(a => a.ToString()).ToList();
}

/// <summary>The outcome of one scenario on one engine.</summary>
/// <param name="Scenario">Scenario name.</param>
/// <param name="Directory">Scenario folder.</param>
/// <param name="Engine">Engine.</param>
/// <param name="ServerVersion">Server product and version, when the engine ran.</param>
/// <param name="Verdict">Verdict.</param>
/// <param name="MeetsExpectation">True when the verdict and findings meet the scenario's expectation.</param>
/// <param name="ExpectationProblems">Why the expectation is not met (empty when met).</param>
/// <param name="Findings">Findings, errors first.</param>
/// <param name="FailedStatement">The statement that failed, if any.</param>
/// <param name="Timings">Per-phase timings.</param>
/// <param name="Reason">For Broken/NotRun: why, and how to fix it.</param>
/// <param name="Seeding">Seeder activity per table and phase.</param>
public sealed record ScenarioResult(
    string Scenario,
    string Directory,
    EngineKind Engine,
    string? ServerVersion,
    Verdict Verdict,
    bool MeetsExpectation,
    IReadOnlyList<string> ExpectationProblems,
    IReadOnlyList<Finding> Findings,
    StatementFailure? FailedStatement,
    IReadOnlyList<PhaseTiming> Timings,
    string? Reason,
    IReadOnlyList<SeedTableSummary> Seeding)
{
    /// <summary>Total time.</summary>
    public TimeSpan Duration => Timings.Aggregate(TimeSpan.Zero, (sum, t) => sum + t.Duration);

    // Issue 4 additions (history position, external step output) go here as init properties.

    /// <summary>The command steps that ran, in order, with their (redacted, bounded) output.</summary>
    public IReadOnlyList<CommandStepRun> CommandSteps { get; init; } = [];

    /// <summary>Tables left out of seeding and comparison, with the reason.</summary>
    public IReadOnlyList<IgnoredTable> IgnoredTables { get; init; } = [];
    /// <summary>For a migration of a history (verify --history): where it sits in the history; null otherwise.</summary>
    public Scenarios.Histories.HistoryPosition? History { get; init; }

    // Issue 6 additions (static rules) go here as init properties.

    /// <summary>The static rules' outcome (RV5xx findings are also in <see cref="Findings"/>), or null when they did not run.</summary>
    public Analysis.StaticAnalysisResult? StaticAnalysis { get; init; }

    // Issue 6 additions (locks, rebuilds, atomicity) go here as init properties.
    /// <summary>How the rollback ran (locks, table rebuilds per statement) and what stopping it half way leaves; null when not analysed.</summary>
    public Execution.Analysis.RunAnalysis? RunAnalysis { get; init; }

    // Issue 6 additions (pre-rollback checklist) go here as init properties.

    // Issue 5 additions (reports): what a reader needs to rerun the result.

    /// <summary>The random seed the run used (the scenario's, or --seed); null when not known.</summary>
    public int? Seed { get; init; }

    /// <summary>The command that reruns this scenario on this engine with the same seed and volumes (see <see cref="ReproduceCommand"/>).</summary>
    public string? Reproduce { get; init; }
    /// <summary>The pre-rollback checklist derived from this run, with what it counted before the rollback; null when the run did not get that far.</summary>
    public Preflight.ChecklistRun? Checklist { get; init; }

    /// <summary>A prompt for an AI assistant to repair the rollback (verify --review-prompt); null unless requested.</summary>
    public string? ReviewPrompt { get; init; }
}

/// <summary>Everything one run verified. Plain data; writers render it.</summary>
public sealed record VerificationReport(string ToolVersion, DateTimeOffset StartedAt, TimeSpan Duration, IReadOnlyList<ScenarioResult> Results)
{
    /// <summary>True when every scenario met its expectation.</summary>
    public bool Success => Results.All(r => r.MeetsExpectation);

    /// <summary>The part of a sharded run this report covers (<c>verify --shard</c>); null for a whole run or a merged one.</summary>
    public Shard? Shard { get; init; }
}
