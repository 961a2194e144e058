using RollbackVerifier.Execution;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Analysis;

/// <summary>The static rules as a step of a scenario run: read the scripts before running, confirm the findings after.</summary>
public static class StaticRulesStep
{
    /// <summary>The static analysis of the scenario's scripts (a script that cannot be split is reported by the run itself).</summary>
    /// <returns>
    /// Null when there is nothing the rules can read: a forward or rollback that is an external command (its SQL is
    /// not ours to see), a unit of several migrations, or a script that cannot be split.
    /// </returns>
    public static StaticAnalysisResult? Analyze(Scenario scenario, EngineKind engine, ScenarioScripts scripts)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(scripts);
        if (ScriptChain.Single(scripts, scenario, Phase.Forward) is not { } forward || ScriptChain.Single(scripts, scenario, Phase.Rollback) is not { } rollback
            || forward.Step.Script.Command is not null || rollback.Step.Script.Command is not null)
        {
            return null;
        }

        // A history's migration runs its up and down in the mode its format gives them; the baseline (earlier ups, or a
        // command) is read only when it is one SQL script.
        var baseline = scripts.BaselineSteps is null && scripts.Baseline is { Command: null } b ? b : null;
        var input = StaticAnalysisInput.For(scenario, engine, scripts) with
        {
            Baseline = baseline,
            Forward = forward.Step.Script,
            Rollback = rollback.Step.Script,
            RollbackExecution = rollback.Mode,
        };
        try
        {
            return StaticAnalyzer.Analyze(input);
        }
        catch (ScriptSplitException)
        {
            return null;
        }
    }

    /// <summary>The static findings confirmed against the run's findings and failure.</summary>
    public static StaticAnalysisResult? Confirm(StaticAnalysisResult? analysis, IReadOnlyList<Finding> runFindings, StatementFailure? failed, IEnumerable<PhaseTiming> timings, IReadOnlyList<RunObservation>? observations = null)
    {
        if (analysis is null)
        {
            return null;
        }

        var rollbackRan = timings.Any(t => t.Phase == "rollback");
        return StaticAnalyzer.Confirm(analysis, new RunEvidence(runFindings, failed, rollbackRan, observations ?? []));
    }
}
