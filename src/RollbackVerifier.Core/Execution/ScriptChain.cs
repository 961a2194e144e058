using RollbackVerifier.Execution.Analysis;
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

    /// <summary>The one step of a phase and the mode it runs in, or null for a sequence (a unit of several migrations).</summary>
    public static (ScriptStep Step, ExecutionMode Mode)? Single(ScenarioScripts scripts, Scenario scenario, Phase phase)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return StepsFor(scripts, phase) is [var only] ? (only, only.Mode ?? scenario.Execution.For(phase)) : null;
    }

    /// <summary>
    /// Runs the steps of <paramref name="phase"/> until one fails. Statement and committed counts add up over the
    /// steps that ran, so a failing third step reports what the first two left applied.
    /// </summary>
    /// <param name="onStep">Called with each step's own outcome (command steps keep their output there).</param>
    /// <param name="options">Execution options (the run analysis's statement hooks) for a phase of one step; a sequence runs without them.</param>
    public static async Task<ScriptOutcome> RunAsync(
        IDatabaseInstance database,
        Phase phase,
        ScenarioScripts scripts,
        Scenario scenario,
        CancellationToken cancellationToken,
        Action<ScriptOutcome>? onStep = null,
        ExecutionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var statements = 0;
        var committed = 0;
        var steps = StepsFor(scripts, phase);
        foreach (var step in steps)
        {
            var mode = step.Mode ?? scenario.Execution.For(phase);
            var outcome = await ScriptExecutor.RunAsync(database, phase, step.Script, mode, scenario.Timeouts, cancellationToken, steps.Count == 1 ? options : null).ConfigureAwait(false);
            onStep?.Invoke(outcome);
            if (steps.Count == 1)
            {
                return outcome;
            }

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
