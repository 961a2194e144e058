using System.Collections.Concurrent;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios;
using RollbackVerifier.Scenarios.Histories;

namespace RollbackVerifier.Execution;

/// <summary>
/// Runs the scenarios of a <see cref="HistoryPlan"/> with chain semantics: where an up fails (in its own scenario, in
/// a later scenario's baseline, or in the chain check that applies the ups of migrations without their own scenario),
/// that migration is broken with the failing statement, file and line, and every later migration on that engine is
/// not run, with the reason "chain stopped at VERSION". Migrations without a down are reported as irreversible (RV108)
/// without a database; their ups are applied once, in order, by the chain check. Other scenarios go to
/// <see cref="ScenarioRunner"/> unchanged.
/// </summary>
public sealed class HistoryRunner
{
    private readonly HistoryPlan _plan;
    private readonly ConcurrentDictionary<EngineKind, ChainState> _states = new();

    public HistoryRunner(HistoryPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        _plan = plan;
    }

    /// <summary>The plan whose scenarios this runner runs.</summary>
    public HistoryPlan Plan => _plan;

    /// <param name="progress">Receives the run's phases (see <see cref="ScenarioRunner.Progress"/>), or null.</param>
    public async Task<ScenarioResult> RunAsync(Scenario scenario, EngineKind engine, IDatabaseEngine databaseEngine, CancellationToken cancellationToken, IProgress<RunProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(databaseEngine);
        var runner = progress is null ? new ScenarioRunner() : new ScenarioRunner { Progress = progress };
        var step = _plan.StepFor(scenario.Name, engine);
        if (step is null)
        {
            return await runner.RunAsync(scenario, engine, databaseEngine, cancellationToken).ConfigureAwait(false);
        }

        var chain = _plan.Chains[engine];
        var state = _states.GetOrAdd(engine, _ => new ChainState(chain));
        var result = await RunStepAsync(runner, scenario, step, chain, state, databaseEngine, cancellationToken).ConfigureAwait(false);
        var stoppedAt = result.Verdict == Verdict.NotRun ? state.StopVersionBefore(step.Members[0]) : null;
        return result with { History = step.Position with { ChainStoppedAt = stoppedAt } };
    }

    private async Task<ScenarioResult> RunStepAsync(ScenarioRunner runner, Scenario scenario, PlannedStep step, EngineChain chain, ChainState state, IDatabaseEngine databaseEngine, CancellationToken ct)
    {
        if (state.Unavailable is { } unavailable)
        {
            return Synthesize(scenario, step, Verdict.NotRun, [], null, unavailable);
        }

        if (state.StopBefore(step.Members[0]) is { } earlier)
        {
            return Synthesize(scenario, step, Verdict.NotRun, [], null, earlier);
        }

        if (step.Kind == StepKind.Broken)
        {
            if (step.ProblemInUp)
            {
                state.Stop(step.Members[0], $"its up cannot be run: {step.Problem}");
            }

            return Synthesize(scenario, step, Verdict.Broken, [], null, step.Problem);
        }

        if (step.Kind is StepKind.Irreversible or StepKind.Repeatable)
        {
            var check = await state.CheckAsync(_plan, databaseEngine, ct).ConfigureAwait(false);
            if (check.Unavailable is { } reason)
            {
                state.Unavailable = reason;
                return Synthesize(scenario, step, Verdict.NotRun, [], null, reason);
            }

            if (state.StopBefore(step.Members[0]) is { } stopped)
            {
                return Synthesize(scenario, step, Verdict.NotRun, [], null, stopped);
            }

            if (check.Failure is { } failure && step.Members.Contains(check.FailedIndex))
            {
                var f = failure;
                return Synthesize(scenario, step, Verdict.Broken, [], failure, $"its up failed at statement {f.Number} ({Path.GetFileName(f.File)}:{f.Line}): {f.ErrorMessage}", check.ServerVersion);
            }

            return Synthesize(scenario, step, null, [step.Finding!], null, null, check.ServerVersion);
        }

        var result = await runner.RunAsync(scenario, chain.Engine, databaseEngine, ct).ConfigureAwait(false);
        if (result.Verdict == Verdict.NotRun)
        {
            state.Unavailable = result.Reason;
            return result;
        }

        if (result.Verdict != Verdict.Broken || result.FailedStatement is not { } failed)
        {
            return result;
        }

        var index = chain.IndexOfUp(failed.File, failed.Line);
        var where = $"{Path.GetFileName(failed.File)}:{failed.Line}";
        if (failed.Phase == Phase.Forward && index >= 0)
        {
            state.Stop(index, $"its up fails at {where}: {failed.ErrorMessage}");
            return result with { Reason = $"the up of {chain.Migrations[index].Version} failed at statement {failed.Number} ({where}): {failed.ErrorMessage}" };
        }

        if (failed.Phase == Phase.Baseline && index >= 0)
        {
            // An earlier up fails on this engine. If that migration has a scenario of its own, it reports the failure.
            state.Stop(index, $"its up fails at {where}: {failed.ErrorMessage}");
            return chain.OwnScenarios.Contains(index)
                ? Synthesize(scenario, step, Verdict.NotRun, [], null, state.StopBefore(step.Members[0]))
                : result with { Reason = $"an earlier migration's up fails, so this one cannot be verified: {chain.Migrations[index].Version} at statement {failed.Number} ({where}): {failed.ErrorMessage}; the chain stops there" };
        }

        return result;
    }

    /// <summary>A result made without running the scenario (not run, broken before running, irreversible, repeatable).</summary>
    private static ScenarioResult Synthesize(Scenario scenario, PlannedStep step, Verdict? verdict, IReadOnlyList<Finding> findings, StatementFailure? failure, string? reason, string? serverVersion = null)
    {
        var accepted = FindingOrder.Sort(Verdicts.ApplyAcceptance(findings, scenario.Expect.Accepted));
        var final = verdict ?? Verdicts.FromFindings(accepted);
        var problems = Verdicts.CheckExpectation(scenario.Expect, final, accepted);
        return new ScenarioResult(scenario.Name, scenario.Directory, step.Engine, serverVersion, final, problems.Count == 0, problems, accepted, failure, [], reason, []);
    }

    /// <summary>Outcome of the chain check on one engine.</summary>
    private sealed record ChainCheck(int FailedIndex, StatementFailure? Failure, string? Unavailable, string? ServerVersion);

    /// <summary>Where the chain stopped on one engine, and the chain check (run once, on first need).</summary>
    private sealed class ChainState(EngineChain chain)
    {
        private readonly Lock _lock = new();
        private (int Index, string Why)? _stop = chain.StaticStop;
        private Task<ChainCheck>? _check;

        public string? Unavailable { get; set; }

        public void Stop(int index, string why)
        {
            lock (_lock)
            {
                if (_stop is null || index < _stop.Value.Index)
                {
                    _stop = (index, why);
                }
            }
        }

        /// <summary>"chain stopped at V: why" when the chain stopped before <paramref name="index"/>.</summary>
        public string? StopBefore(int index)
        {
            lock (_lock)
            {
                return _stop is { } s && s.Index < index ? $"chain stopped at {chain.Migrations[s.Index].Version}: {s.Why}" : null;
            }
        }

        public string? StopVersionBefore(int index)
        {
            lock (_lock)
            {
                return _stop is { } s && s.Index < index ? chain.Migrations[s.Index].Version : null;
            }
        }

        public Task<ChainCheck> CheckAsync(HistoryPlan plan, IDatabaseEngine engine, CancellationToken ct)
        {
            lock (_lock)
            {
                return _check ??= RunCheckAsync(plan, engine, ct);
            }
        }

        /// <summary>Applies the ups in order on one fresh database, up to the last migration that has no scenario of its own.</summary>
        private async Task<ChainCheck> RunCheckAsync(HistoryPlan plan, IDatabaseEngine engine, CancellationToken ct)
        {
            IDatabaseInstance database;
            try
            {
                database = await engine.CreateDatabaseAsync(new DatabaseRequest(Path.GetFileName(plan.History.Folder) + "-chain", IsolationMode.Database), ct).ConfigureAwait(false);
            }
            catch (EngineUnavailableException ex)
            {
                return new ChainCheck(-1, null, ex.Message, null);
            }

            await using (database.ConfigureAwait(false))
            {
                var until = chain.StaticStop is { } stop ? Math.Min(stop.Index - 1, chain.CheckUntil) : chain.CheckUntil;
                for (var i = 0; i <= until; i++)
                {
                    var up = chain.Up(i);
                    var outcome = await ScriptExecutor.RunAsync(database, Phase.Forward, up.Script, up.Mode ?? ExecutionMode.Transaction, ScenarioTimeouts.Default, ct).ConfigureAwait(false);
                    if (!outcome.Succeeded)
                    {
                        var f = outcome.Failure!;
                        Stop(i, $"its up fails at {Path.GetFileName(f.File)}:{f.Line}: {f.ErrorMessage}");
                        return new ChainCheck(i, f, null, database.ServerVersion);
                    }
                }

                return new ChainCheck(-1, null, null, database.ServerVersion);
            }
        }
    }
}
