using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Analysis;

/// <summary>A static rule a scenario turns off, with the written reason and where it is written.</summary>
/// <param name="Code">The rule's code (RV5xx).</param>
/// <param name="Reason">Why it does not apply to this scenario.</param>
/// <param name="Location">scenario.yml:line, for messages.</param>
public sealed record DisabledRule(string Code, string Reason, string? Location = null);

/// <summary>The static-rule settings of a scenario (scenario.yml <c>rules:</c>).</summary>
public sealed record StaticRuleSettings(IReadOnlyList<DisabledRule> Disabled)
{
    public static StaticRuleSettings Default { get; } = new([]);

    public DisabledRule? DisabledFor(string code) => Disabled.FirstOrDefault(d => string.Equals(d.Code, code, StringComparison.OrdinalIgnoreCase));
}

/// <summary>What the static rules read: one scenario's scripts for one engine, and how the rollback is run.</summary>
/// <param name="Engine">The engine (the dialect of the scripts).</param>
/// <param name="Baseline">The schema before the migration, when there is one (it tells which tables reference which).</param>
/// <param name="Forward">The forward migration.</param>
/// <param name="Rollback">The rollback.</param>
/// <param name="RollbackExecution">Whether the runner wraps the rollback in one transaction.</param>
/// <param name="Rules">Rules the scenario disables.</param>
public sealed record StaticAnalysisInput(EngineKind Engine, ScriptSource? Baseline, ScriptSource Forward, ScriptSource Rollback, ExecutionMode RollbackExecution, StaticRuleSettings Rules)
{
    public static StaticAnalysisInput For(Scenario scenario, EngineKind engine, ScenarioScripts scripts)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(scripts);
        return new StaticAnalysisInput(engine, scripts.Baseline, scripts.Forward, scripts.Rollback, scenario.Execution.Rollback, scenario.Rules);
    }

    /// <summary>Scripts outside a scenario folder (rollback-verifier lint --forward ... --rollback ...).</summary>
    /// <exception cref="ScenarioDefinitionException">A file is missing or not valid text.</exception>
    public static StaticAnalysisInput FromFiles(EngineKind engine, string? baseline, string forward, string rollback, ExecutionMode mode)
    {
        static ScriptSource Read(string file)
        {
            var path = Path.GetFullPath(file);
            return File.Exists(path) ? new ScriptSource(path, ScenarioText.Read(path)) : throw new ScenarioDefinitionException(path, null, "no such file");
        }

        return new StaticAnalysisInput(engine, baseline is null ? null : Read(baseline), Read(forward), Read(rollback), mode, StaticRuleSettings.Default);
    }
}

/// <summary>How a static finding fared against the run.</summary>
public enum ConfirmationStatus
{
    /// <summary>Not compared with a run (lint), or the run could not say.</summary>
    NotChecked,

    /// <summary>The run shows the problem the rule predicted.</summary>
    Confirmed,

    /// <summary>The run did not show it (the seeded data may not exercise it).</summary>
    NotObserved,

    /// <summary>The run shows the prediction was wrong (for example the object was restored after all).</summary>
    Refuted,

    /// <summary>The rollback failed before the statement the finding is about.</summary>
    NotReached,
}

/// <summary>A statement the parser did not (fully) understand: no rule concluded anything from it.</summary>
public sealed record NotUnderstoodStatement(string File, int Line, string Statement, string Reason);

/// <summary>The outcome of the static rules on one scenario and engine.</summary>
/// <param name="Findings">Findings (RV5xx), in statement order; after a run, with their confirmation in message and evidence.</param>
/// <param name="Disabled">Rules the scenario turned off, with the reasons.</param>
/// <param name="NotUnderstood">Statements of the forward migration and rollback that were not (fully) understood.</param>
/// <param name="Statements">How many statements were read per script (forward, rollback, baseline).</param>
public sealed record StaticAnalysisResult(
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<DisabledRule> Disabled,
    IReadOnlyList<NotUnderstoodStatement> NotUnderstood,
    IReadOnlyDictionary<string, int> Statements)
{
    /// <summary>The rules' own view of each finding, for confirmation against the run.</summary>
    internal IReadOnlyList<Rules.StaticFinding> Details { get; init; } = [];

    /// <summary>Confirmation status per finding, in the order of <see cref="Findings"/> (all <see cref="ConfirmationStatus.NotChecked"/> before a run).</summary>
    public IReadOnlyList<ConfirmationStatus> Confirmations { get; init; } = [];
}

/// <summary>
/// What a run showed, for confirming static findings: its findings (RV1xx-RV4xx, and the run analysis's RV6xx when
/// present), the failing statement, and observations a run analysis adds (locks held, tables rewritten).
/// </summary>
/// <param name="Findings">The run's findings.</param>
/// <param name="FailedStatement">The statement that failed, if any.</param>
/// <param name="RollbackRan">False when the run stopped before the rollback (forward failed, nothing tested).</param>
/// <param name="Observations">Facts a run analysis measured (hook for lock and rewrite analysis; empty until it reports).</param>
public sealed record RunEvidence(IReadOnlyList<Finding> Findings, StatementFailure? FailedStatement, bool RollbackRan, IReadOnlyList<RunObservation> Observations);

/// <summary>
/// One measured fact about the rollback's execution, reported by a run analysis: for example kind <c>lock</c>, object
/// <c>public.orders</c>, line 3, detail <c>AccessExclusiveLock held 1.2 s</c>. Static rules about locks and atomicity
/// confirm themselves from these (see docs/static-rules.md).
/// </summary>
/// <param name="Kind">lock, lock-wait, rewrite, transaction, ...</param>
/// <param name="Object">The table or object.</param>
/// <param name="Line">Line of the rollback statement, when known.</param>
/// <param name="Detail">What was measured, for people.</param>
public sealed record RunObservation(string Kind, string Object, int? Line, string Detail);
