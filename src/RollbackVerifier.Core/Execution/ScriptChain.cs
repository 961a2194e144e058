using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Execution;

/// <summary>
/// The scripts of one phase, run in order: a scenario's single script, or a sequence (a migration history's earlier
/// ups as baseline, a unit's ups or downs), each step in its own execution mode.
/// </summary>
public static class ScriptChain
{
    /// <summary>The steps of a phase; the reapply phase runs the forward steps again.</summary>
    public static IReadOnlyList<ScriptStep> StepsFor(ScenarioScripts scripts, Phase phase)
    {
        ArgumentNullException.ThrowIfNull(scripts);
        return phase switch
        {
            Phase.Baseline => scripts.BaselineSteps ?? (scripts.Baseline is { } baseline ? [new ScriptStep(baseline)] : []),
            Phase.Rollback => scripts.RollbackSteps ?? [new ScriptStep(scripts.Rollback)],
            _ => scripts.ForwardSteps ?? [new ScriptStep(scripts.Forward)],
        };
    }

    /// <summary>
    /// Runs the steps of <paramref name="phase"/> until one fails. Statement and committed counts add up over the
    /// steps that ran, so a failing third step reports what the first two left applied.
    /// </summary>
    public static async Task<ScriptOutcome> RunAsync(IDatabaseInstance database, Phase phase, ScenarioScripts scripts, Scenario scenario, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var statements = 0;
        var committed = 0;
        foreach (var step in StepsFor(scripts, phase))
        {
            var mode = step.Mode ?? scenario.Execution.For(phase);
            var outcome = await ScriptExecutor.RunAsync(database, phase, step.Script, mode, scenario.Timeouts, cancellationToken).ConfigureAwait(false);
            statements += outcome.Statements;
            committed += outcome.Committed;
            if (!outcome.Succeeded)
            {
                return outcome with { Statements = statements, Committed = committed };
            }
        }

        return new ScriptOutcome(statements, committed, null, false);
    }
}
