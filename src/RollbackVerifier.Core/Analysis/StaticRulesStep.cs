using RollbackVerifier.Execution;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Analysis;

/// <summary>The static rules as a step of a scenario run: read the scripts before running, confirm the findings after.</summary>
public static class StaticRulesStep
{
    /// <summary>The static analysis of the scenario's scripts, or null when a script cannot be split (the run reports that itself).</summary>
    public static StaticAnalysisResult? Analyze(Scenario scenario, EngineKind engine, ScenarioScripts scripts)
    {
        try
        {
            return StaticAnalyzer.Analyze(StaticAnalysisInput.For(scenario, engine, scripts));
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
