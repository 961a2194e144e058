using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Analysis;
using RollbackVerifier.Model;

namespace RollbackVerifier.Scenarios;

/// <summary>The migration phases a scenario runs.</summary>
public enum Phase
{
    Baseline,
    Forward,
    Rollback,
    Reapply,
}

/// <summary>How a runner executes a script.</summary>
public enum ExecutionMode
{
    /// <summary>Statement by statement in autocommit, honouring the script's own BEGIN/COMMIT (psql without -1, mysql client).</summary>
    Autocommit,

    /// <summary>The whole script in one transaction (Flyway, psql -1).</summary>
    Transaction,
}

/// <summary>One script of a scenario for one engine.</summary>
/// <param name="Path">Absolute path of the file (for messages).</param>
/// <param name="Text">Script text; may be empty.</param>
public sealed record ScriptSource(string Path, string Text)
{
    /// <summary>Set when the step is an external command (scenario.yml <c>steps:</c>); Path is then scenario.yml and Text the command line.</summary>
    public CommandStep? Command { get; init; }
}

/// <summary>One script of a sequence with the mode it must run in (null: the scenario's mode for the phase).</summary>
public sealed record ScriptStep(ScriptSource Script, ExecutionMode? Mode = null);

/// <summary>The scripts of a scenario resolved for one engine (per-engine variants applied).</summary>
public sealed record ScenarioScripts(ScriptSource? Baseline, ScriptSource Forward, ScriptSource Rollback)
{
    /// <summary>When set, the scripts applied in order instead of <see cref="Baseline"/> (a migration history's earlier ups).</summary>
    public IReadOnlyList<ScriptStep>? BaselineSteps { get; init; }

    /// <summary>When set, the scripts applied in order instead of <see cref="Forward"/> (several migrations verified as one unit).</summary>
    public IReadOnlyList<ScriptStep>? ForwardSteps { get; init; }

    /// <summary>When set, the scripts applied in order instead of <see cref="Rollback"/> (a unit's downs, last migration first).</summary>
    public IReadOnlyList<ScriptStep>? RollbackSteps { get; init; }
}

/// <summary>Per-table seeding overrides.</summary>
/// <param name="Rows">Rows to seed before the migration; null for the scenario default.</param>
/// <param name="LiveRows">Rows to insert after the forward migration; null for the default.</param>
/// <param name="Exclude">Do not seed this table.</param>
public sealed record TableSeedSettings(int? Rows, int? LiveRows, bool Exclude)
{
    /// <summary>Per-column overrides by column name.</summary>
    public IReadOnlyDictionary<string, ColumnSeedOverride> Columns { get; init; } = new Dictionary<string, ColumnSeedOverride>(StringComparer.Ordinal);

    public bool Equals(TableSeedSettings? other) =>
        other is not null && Rows == other.Rows && LiveRows == other.LiveRows && Exclude == other.Exclude
        && Columns.Count == other.Columns.Count
        && Columns.All(c => other.Columns.TryGetValue(c.Key, out var o) && c.Value.Equals(o));

    public override int GetHashCode() => HashCode.Combine(Rows, LiveRows, Exclude, Columns.Count);
}

/// <summary>
/// How the user fixes a column's values in scenario.yml (<c>seed.tables.T.columns.C</c>). Exactly one of
/// <paramref name="Value"/> (with <paramref name="HasValue"/>), <paramref name="Values"/>, <paramref name="Range"/> or
/// <paramref name="Dataset"/> may be set; <paramref name="Nulls"/> may accompany any of them.
/// </summary>
/// <param name="Location">Where the override is written (file:line), for planning errors.</param>
/// <param name="HasValue">True when a fixed value is given (which may be null).</param>
/// <param name="Value">The fixed value as text, or null for SQL NULL.</param>
/// <param name="Values">A list to pick from (null entries are SQL NULL).</param>
/// <param name="Range">Inclusive bounds as text (numbers, dates or timestamps).</param>
/// <param name="Dataset">A Bogus dataset and method, such as <c>internet.email</c> or <c>commerce.productName</c>.</param>
/// <param name="Nulls">Share of rows that get NULL (0 to 1); null for the default.</param>
public sealed record ColumnSeedOverride(
    string Location,
    bool HasValue,
    string? Value,
    ValueList<string?>? Values,
    (string Min, string Max)? Range,
    string? Dataset,
    double? Nulls);

/// <summary>Seeding settings.</summary>
/// <param name="Seed">Random seed; the same seed gives the same rows everywhere.</param>
/// <param name="Rows">Pre-existing rows per table.</param>
/// <param name="LiveRows">Rows per table written in the new shape after the forward migration.</param>
/// <param name="Tables">Per-table overrides by table name (unqualified or schema.table).</param>
public sealed record SeedSettings(int Seed, int Rows, int LiveRows, IReadOnlyDictionary<string, TableSeedSettings> Tables)
{
    public static SeedSettings Default { get; } = new(12345, 50, 10, new Dictionary<string, TableSeedSettings>());

    /// <summary>
    /// Attack kinds the live phase may use (see docs/seeding.md), or null for all. An empty list writes only
    /// well-behaved live rows (for scenarios that test something else).
    /// </summary>
    public ValueList<string>? Attacks { get; init; }
}

/// <summary>A finding the scenario accepts, with the written reason. Object null accepts the code on any object.</summary>
public sealed record AcceptedFinding(string Code, string? Object, string Reason);

/// <summary>What the scenario author expects.</summary>
/// <param name="Verdict">Expected verdict, or null for "pass with no unaccepted error findings".</param>
/// <param name="Findings">Codes that must be reported (each at least once).</param>
/// <param name="Accepted">Findings that do not fail the scenario.</param>
public sealed record ScenarioExpectation(Verdict? Verdict, IReadOnlyList<string> Findings, IReadOnlyList<AcceptedFinding> Accepted)
{
    public static ScenarioExpectation None { get; } = new(null, [], []);

    /// <summary>Codes (RV501) or code families (RV5xx) that must not be reported (expect.absent): proof that a safe rollback stays quiet.</summary>
    public IReadOnlyList<string> Absent { get; init; } = [];
}

/// <summary>Per-step timeouts.</summary>
public sealed record ScenarioTimeouts(TimeSpan Step, TimeSpan Statement)
{
    public static ScenarioTimeouts Default { get; } = new(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(2));
}

/// <summary>Execution mode per phase.</summary>
public sealed record ExecutionSettings(ExecutionMode Baseline, ExecutionMode Forward, ExecutionMode Rollback)
{
    public static ExecutionSettings Default { get; } = new(ExecutionMode.Autocommit, ExecutionMode.Autocommit, ExecutionMode.Autocommit);

    public ExecutionMode For(Phase phase) => phase switch
    {
        Phase.Baseline => Baseline,
        Phase.Rollback => Rollback,
        _ => Forward,
    };
}

/// <summary>A scenario as loaded from its folder: plain data, no I/O.</summary>
/// <param name="Name">Scenario name (folder name unless scenario.yml names it).</param>
/// <param name="Directory">Absolute folder path.</param>
/// <param name="Description">Free text, may be empty.</param>
/// <param name="Engines">Engines this scenario targets (from scenario.yml or per-engine files); empty means "given on the command line".</param>
/// <param name="Scripts">Scripts resolved per engine.</param>
public sealed record Scenario(
    string Name,
    string Directory,
    string Description,
    IReadOnlyList<EngineKind> Engines,
    IReadOnlyDictionary<EngineKind, ScenarioScripts> Scripts,
    SeedSettings Seed,
    ScenarioExpectation Expect,
    ScenarioTimeouts Timeouts,
    ExecutionSettings Execution,
    IsolationMode Isolation)
{
    /// <summary>How the rollback's run is analysed: locks, table rebuilds, atomicity (scenario.yml <c>analysis:</c>).</summary>
    public RunAnalysisSettings Analysis { get; init; } = RunAnalysisSettings.Default;
    /// <summary>Tables left out of seeding and comparison (scenario.yml <c>compare:</c>).</summary>
    public CompareSettings Compare { get; init; } = CompareSettings.Default;
    /// <summary>Static rules the scenario turns off, with reasons (scenario.yml <c>rules:</c>; docs/static-rules.md).</summary>
    public global::RollbackVerifier.Analysis.StaticRuleSettings Rules { get; init; } = global::RollbackVerifier.Analysis.StaticRuleSettings.Default;
}
