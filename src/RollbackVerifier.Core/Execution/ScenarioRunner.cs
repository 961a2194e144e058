using System.Diagnostics;
using RollbackVerifier.Diffing;
using RollbackVerifier.Execution.Analysis;
using RollbackVerifier.Execution.Commands;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios;
using RollbackVerifier.Seeding;

namespace RollbackVerifier.Execution;

/// <summary>
/// Runs one scenario on one engine: baseline, seed, S0, forward, S1, live rows, S1', rollback, S2, forward again;
/// then diffs schema (S0 vs S2) and data (the oracle) into findings and a verdict.
/// </summary>
public sealed class ScenarioRunner
{
    /// <summary>Receives phase and seeding progress of every run (see <see cref="RunProgress"/>); null for none.</summary>
    public IProgress<RunProgress>? Progress { get; init; }

    public async Task<ScenarioResult> RunAsync(Scenario scenario, EngineKind engine, IDatabaseEngine databaseEngine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(databaseEngine);

        var run = new RunState(scenario, engine, new ProgressTracker(Progress, scenario.Name, engine));
        if (!scenario.Scripts.TryGetValue(engine, out var scripts))
        {
            return run.Finish(Verdict.Broken, $"scenario has no scripts for {engine.ToName()}");
        }

        run.StaticAnalysis = global::RollbackVerifier.Analysis.StaticRulesStep.Analyze(scenario, engine, scripts);

        IDatabaseInstance database;
        try
        {
            database = await run.TimeAsync("create-database", () => databaseEngine.CreateDatabaseAsync(new DatabaseRequest(scenario.Name, scenario.Isolation), cancellationToken)).ConfigureAwait(false);
        }
        catch (EngineUnavailableException ex)
        {
            return run.Finish(Verdict.NotRun, ex.Message);
        }

        await using (database.ConfigureAwait(false))
        {
            run.ServerVersion = database.ServerVersion;
            try
            {
                return await RunPhasesAsync(run, database, scripts, cancellationToken).ConfigureAwait(false);
            }
            catch (ScenarioDefinitionException ex)
            {
                return run.Finish(Verdict.Broken, ex.Message);
            }
            catch (RollbackVerifierException ex) when (ex is not EngineUnavailableException)
            {
                return run.Finish(Verdict.Broken, ex.Message);
            }
        }
    }

    private static async Task<ScenarioResult> RunPhasesAsync(RunState run, IDatabaseInstance db, ScenarioScripts scripts, CancellationToken ct)
    {
        var scenario = run.Scenario;
        if (ScriptChain.StepsFor(scripts, Phase.Baseline).Count > 0)
        {
            var outcome = await run.TimeAsync("baseline", () => ScriptChain.RunAsync(db, Phase.Baseline, scripts, scenario, ct, run.Record)).ConfigureAwait(false);
            if (!outcome.Succeeded)
            {
                run.FailedStatement = outcome.Failure;
                return run.Finish(Verdict.Broken, CommandStepFindings.BrokenReason(outcome) ?? $"baseline failed at statement {outcome.Failure!.Number} (line {outcome.Failure.Line}): {outcome.Failure.ErrorMessage}");
            }
        }

        var store = await RowStore.CreateAsync(ct).ConfigureAwait(false);
        await using (store.ConfigureAwait(false))
        {
            var baselineSchema = run.Filter.Apply(await db.InspectSchemaAsync(ct).ConfigureAwait(false));
            run.Seeding.AddRange(await run.TimeAsync("seed", () => Seeder.SeedAsync(db, baselineSchema, scenario.Seed, SeedPhase.PreExisting, ct, rowsWritten: run.Progress.Rows)).ConfigureAwait(false));

            var s0 = await run.TimeAsync("snapshot-s0", () => CaptureAsync(run.Filter, db, store, RowStore.BeforeForward, ct)).ConfigureAwait(false);

            var forward = await run.TimeAsync("forward", () => ScriptChain.RunAsync(db, Phase.Forward, scripts, scenario, ct, run.Record)).ConfigureAwait(false);
            if (!forward.Succeeded)
            {
                run.FailedStatement = forward.Failure;
                return run.Finish(Verdict.Broken, CommandStepFindings.BrokenReason(forward) ?? $"forward migration failed at statement {forward.Failure!.Number} (line {forward.Failure.Line}): {forward.Failure.ErrorMessage}");
            }

            var s1 = await run.TimeAsync("snapshot-s1", () => CaptureAsync(run.Filter, db, store, RowStore.AfterForward, ct)).ConfigureAwait(false);
            if (s1 == s0 && await store.DataEqualAsync(RowStore.BeforeForward, s0, RowStore.AfterForward, s1, ct).ConfigureAwait(false))
            {
                run.Findings.Add(Finding.Create(FindingCodes.ForwardNoChange, scripts.Forward.Path, "The forward migration changed neither schema nor data, so the rollback was not tested."));
                return run.Finish(Verdict.NothingTested, "the forward migration changed nothing");
            }

            run.Seeding.AddRange(await run.TimeAsync("seed-live", () => Seeder.SeedAsync(db, s1, scenario.Seed, SeedPhase.Live, ct, previous: s0, rowsWritten: run.Progress.Rows)).ConfigureAwait(false));
            var s1Live = await run.TimeAsync("snapshot-s1-live", () => CaptureAsync(run.Filter, db, store, RowStore.BeforeRollback, ct)).ConfigureAwait(false);
            run.Checklist = await run.TimeAsync("checklist", () => Preflight.ScenarioChecklist.PrepareAsync(db, scenario, s0, s1, scripts, ct)).ConfigureAwait(false);

            // The run analysis watches a rollback of one script, in the mode it runs in (a history's down carries its
            // format's mode); a unit's sequence of downs runs without it (no statements to watch).
            var (analysedScript, analysedScenario) = ScriptChain.Single(scripts, scenario, Phase.Rollback) is { } single
                ? (single.Step.Script, scenario with { Execution = scenario.Execution with { Rollback = single.Mode } })
                : (scripts.Rollback with { Text = string.Empty }, scenario);
            var analysis = await run.TimeAsync("analysis-prepare", () => RunAnalyzer.PrepareAsync(db, analysedScenario, analysedScript, ct)).ConfigureAwait(false);
            await using var analysisScope = analysis.ConfigureAwait(false);
            var rollback = await run.TimeAsync("rollback", () => ScriptChain.RunAsync(db, Phase.Rollback, scripts, scenario, ct, run.Record, analysis.Options)).ConfigureAwait(false);
            if (!rollback.Succeeded)
            {
                var f = rollback.Failure!;
                run.FailedStatement = f;
                var code = rollback.TimedOut ? FindingCodes.StepTimeout : FindingCodes.RollbackFailed;
                // Say which live rows the statement most likely met, so a reader learns why it fails in production.
                var causes = rollback.TimedOut ? [] : AttackAttribution.For(f.Text, run.Seeding);
                var because = causes.Count == 0 ? string.Empty : "; " + string.Join("; ", causes.Select(AttackAttribution.Sentence));
                var evidence = new List<(string, string)> { ("statement", f.Text), ("errorCode", f.ErrorCode), ("statementsApplied", rollback.Committed.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
                if (causes.Count > 0)
                {
                    evidence.Add(("liveRows", string.Join("; ", causes.Select(AttackAttribution.Sentence))));
                }

                run.Findings.Add(CommandStepFindings.Adapt(rollback, Finding.Create(
                    code,
                    $"{Path.GetFileName(f.File)}:{f.Line}",
                    $"Rollback statement {f.Number} (line {f.Line}) failed with {f.ErrorCode}: {f.ErrorMessage}{because}",
                    evidence: Evidence.With([.. evidence]))));
            }

            var s2 = await run.TimeAsync("snapshot-s2", () => CaptureAsync(run.Filter, db, store, RowStore.AfterRollback, ct)).ConfigureAwait(false);

            // Half rolled back means the database changed before the failure: statements that ran and committed but
            // changed nothing (SET lock_timeout, a guard's SELECT) leave it exactly as the forward migration left it.
            if (!rollback.Succeeded && rollback.Committed > 0
                && !(s2 == s1Live && await store.DataEqualAsync(RowStore.BeforeRollback, s1Live, RowStore.AfterRollback, s2, ct).ConfigureAwait(false)))
            {
                var f = rollback.Failure!;
                run.Findings.Add(Finding.Create(
                    FindingCodes.PartialApplication,
                    Path.GetFileName(f.File),
                    $"{rollback.Committed} of {rollback.Statements} rollback statements stayed applied before statement {f.Number} failed; the database is half rolled back.",
                    evidence: Evidence.Counted(rollback.Committed)));
            }

            await run.TimeAsync("diff", async () =>
            {
                run.Findings.AddRange(SchemaDiffer.Diff(s0, s2));
                run.Findings.AddRange((await DataOracle.CheckAsync(store, new OracleSnapshots(s0, s1, s1Live, s2), ct).ConfigureAwait(false)).Select(f => Explain(f, run.Seeding)));
                if (rollback.Succeeded && s2 == s1Live && s1 != s0 && await store.DataEqualAsync(RowStore.BeforeRollback, s1Live, RowStore.AfterRollback, s2, ct).ConfigureAwait(false))
                {
                    run.Findings.Add(Finding.Create(FindingCodes.RollbackNoop, scripts.Rollback.Path, "The rollback changed nothing although the forward migration changed the schema."));
                }

                return true;
            }).ConfigureAwait(false);
            run.Findings.AddRange(await run.TimeAsync("analysis", () => analysis.FinishAsync(store, rollback, s1Live, s2, ct)).ConfigureAwait(false));
            run.Analysis = analysis.Result;

            if (rollback.Succeeded)
            {
                var reapply = await run.TimeAsync("reapply", () => ScriptChain.RunAsync(db, Phase.Reapply, scripts, scenario, ct, run.Record)).ConfigureAwait(false);
                if (!reapply.Succeeded)
                {
                    var f = reapply.Failure!;
                    run.FailedStatement ??= f;
                    run.Findings.Add(CommandStepFindings.Adapt(reapply, Finding.Create(
                        FindingCodes.ReapplyFailed,
                        $"{Path.GetFileName(f.File)}:{f.Line}",
                        $"After the rollback the forward migration fails at statement {f.Number} (line {f.Line}) with {f.ErrorCode}: {f.ErrorMessage}",
                        evidence: Evidence.With(("statement", f.Text), ("errorCode", f.ErrorCode)))));
                }
            }

            return run.Finish(null, null);
        }
    }

    /// <summary>Rows lost or rewritten by the rollback: says which adversarial live rows they were, when they were.</summary>
    private static Finding Explain(Finding finding, IReadOnlyList<SeedTableSummary> seeding)
    {
        if (finding.Code != FindingCodes.RowsLost.Code && finding.Code != FindingCodes.ValuesChanged.Code)
        {
            return finding;
        }

        var attacks = AttackAttribution.ForObject(finding.Object, seeding);
        if (attacks.Count == 0)
        {
            return finding;
        }

        var sentences = string.Join("; ", attacks.Select(AttackAttribution.Sentence));
        var details = new Dictionary<string, string>(finding.Evidence.Details, StringComparer.Ordinal) { ["liveRows"] = sentences };
        return finding with { Message = $"{finding.Message} Among the live rows: {sentences}.", Evidence = finding.Evidence with { Details = details } };
    }

    private static async Task<SchemaSnapshot> CaptureAsync(ComparisonFilter filter, IDatabaseInstance db, RowStore store, string capture, CancellationToken ct)
    {
        var schema = filter.Apply(await db.InspectSchemaAsync(ct).ConfigureAwait(false));
        await store.CaptureAsync(capture, schema, db.ReadRowsAsync, ct).ConfigureAwait(false);
        return schema;
    }

    /// <summary>Mutable state of one run, turned into an immutable <see cref="ScenarioResult"/> at the end.</summary>
    private sealed class RunState(Scenario scenario, EngineKind engine, ProgressTracker progress)
    {
        public Scenario Scenario { get; } = scenario;

        public ProgressTracker Progress { get; } = progress;

        public List<Finding> Findings { get; } = [];

        public List<PhaseTiming> Timings { get; } = [];

        public List<SeedTableSummary> Seeding { get; } = [];

        public StatementFailure? FailedStatement { get; set; }

        /// <summary>Tables left out of seeding and comparison (compare: in scenario.yml, migration-tool history tables).</summary>
        public ComparisonFilter Filter { get; } = new(scenario.Compare);

        public List<CommandStepRun> Commands { get; } = [];

        /// <summary>Keeps what a command step printed for the report.</summary>
        public void Record(ScriptOutcome outcome)
        {
            if (outcome.Command is { } command)
            {
                Commands.Add(command);
            }
        }

        public string? ServerVersion { get; set; }

        public RunAnalysis? Analysis { get; set; }
        public Preflight.ChecklistRun? Checklist { get; set; }
        /// <summary>The static rules' findings (RV5xx), confirmed against the run in <see cref="Finish"/>.</summary>
        public global::RollbackVerifier.Analysis.StaticAnalysisResult? StaticAnalysis { get; set; }

        public async Task<T> TimeAsync<T>(string phase, Func<Task<T>> action)
        {
            var watch = Stopwatch.StartNew();
            Progress.PhaseStarted(phase);
            try
            {
                return await action().ConfigureAwait(false);
            }
            finally
            {
                Timings.Add(new PhaseTiming(phase, watch.Elapsed));
                Progress.PhaseFinished(phase, watch.Elapsed);
            }
        }

        public ScenarioResult Finish(Verdict? forced, string? reason)
        {
            var analysis = forced == Verdict.NotRun ? null : global::RollbackVerifier.Analysis.StaticRulesStep.Confirm(StaticAnalysis, Findings, FailedStatement, Timings);
            var findings = Verdicts.ApplyAcceptance(Findings.Concat(analysis?.Findings ?? []), Scenario.Expect.Accepted);
            foreach (var skipped in Seeding.Where(s => s.Skipped > 0))
            {
                findings.Add(Finding.Create(
                    FindingCodes.SeedRowsSkipped,
                    skipped.Table,
                    $"{skipped.Skipped} generated {skipped.Phase} rows were refused by the database: {skipped.SkipReason}",
                    evidence: Evidence.Counted(skipped.Skipped)));
            }

            findings = FindingOrder.Sort(findings);
            var verdict = forced ?? Verdicts.FromFindings(findings);
            var problems = Verdicts.CheckExpectation(Scenario.Expect, verdict, findings);
            return new ScenarioResult(
                Scenario.Name,
                Scenario.Directory,
                engine,
                ServerVersion,
                verdict,
                problems.Count == 0,
                problems,
                findings,
                FailedStatement,
                Timings.ToArray(),
                reason,
                Seeding.ToArray())
            {
                Seed = Scenario.Seed.Seed,
                Reproduce = ReproduceCommand.For(Scenario.Directory, engine, Scenario.Seed.Seed),
                RunAnalysis = Analysis,
                Checklist = Checklist is null ? null : Preflight.ScenarioChecklist.WithFindings(Checklist, findings),
                CommandSteps = Commands.ToArray(),
                IgnoredTables = Filter.Ignored,
                StaticAnalysis = analysis,
            };
        }
    }
}

/// <summary>The rules that turn findings into a verdict and check a scenario's expectation.</summary>
public static class Verdicts
{
    /// <summary>Fail when any error finding is not accepted.</summary>
    public static Verdict FromFindings(IEnumerable<Finding> findings) =>
        findings.Any(f => f.Severity == Severity.Error && f.AcceptedReason is null) ? Verdict.Fail : Verdict.Pass;

    /// <summary>Marks findings the scenario accepts, with its reason.</summary>
    public static List<Finding> ApplyAcceptance(IEnumerable<Finding> findings, IReadOnlyList<AcceptedFinding> accepted) =>
        findings.Select(f =>
        {
            var match = accepted.FirstOrDefault(a =>
                FindingCodes.TryGet(a.Code, out var code) && code.Code == f.Code
                && (a.Object is null || string.Equals(a.Object, f.Object, StringComparison.Ordinal)
                    || f.Object.EndsWith("." + a.Object, StringComparison.Ordinal) || f.Object.StartsWith(a.Object + ".", StringComparison.Ordinal)
                    || f.Object.StartsWith(a.Object + " (", StringComparison.Ordinal)
                    || f.Object.StartsWith(a.Object + ":", StringComparison.Ordinal))); // a script names its statements (file:line)
            return match is null ? f : f with { AcceptedReason = match.Reason };
        }).ToList();

    /// <summary>What is wrong with the result against the expectation; empty when it is met.</summary>
    public static IReadOnlyList<string> CheckExpectation(ScenarioExpectation expect, Verdict verdict, IReadOnlyList<Finding> findings)
    {
        var problems = new List<string>();
        if (verdict == Verdict.NotRun)
        {
            return problems;
        }

        var expectedVerdict = expect.Verdict ?? Verdict.Pass;
        if (verdict != expectedVerdict)
        {
            problems.Add($"expected verdict {expectedVerdict.ToKebab()}, got {verdict.ToKebab()}");
        }

        foreach (var expected in expect.Findings)
        {
            var code = FindingCodes.TryGet(expected, out var found) ? found.Code : expected;
            if (!findings.Any(f => f.Code == code))
            {
                problems.Add($"expected finding {expected} was not reported");
            }
        }

        problems.AddRange(global::RollbackVerifier.Analysis.AbsentFindings.Check(expect, findings));
        return problems;
    }

    /// <summary>Kebab-case name used in files and reports (nothing-tested, not-run).</summary>
    public static string ToKebab(this Verdict verdict) => verdict switch
    {
        Verdict.NothingTested => "nothing-tested",
        Verdict.NotRun => "not-run",
        _ => verdict.ToString().ToLowerInvariant(),
    };
}
