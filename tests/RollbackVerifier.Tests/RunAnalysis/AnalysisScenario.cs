using System.Runtime.CompilerServices;
using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Analysis;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Tests.RunAnalysis;

/// <summary>Scenarios built in memory for the run-analysis tests, and running them on the shared test engines.</summary>
internal static class AnalysisScenario
{
    public static Scenario Build(
        EngineKind kind,
        string baseline,
        string forward,
        string rollback,
        ExecutionMode rollbackMode = ExecutionMode.Autocommit,
        RunAnalysisSettings? analysis = null,
        int rows = 40,
        [CallerMemberName] string name = "")
    {
        var dir = Path.Combine(Path.GetTempPath(), "rv-analysis-" + name);
        var scripts = new ScenarioScripts(
            new ScriptSource(Path.Combine(dir, "baseline.sql"), baseline),
            new ScriptSource(Path.Combine(dir, "forward.sql"), forward),
            new ScriptSource(Path.Combine(dir, "rollback.sql"), rollback));
        return new Scenario(
            name.Length > 40 ? name[..40] : name,
            dir,
            string.Empty,
            [kind],
            new Dictionary<EngineKind, ScenarioScripts> { [kind] = scripts },
            // No adversarial live rows: these tests are about how statements run, not about data that breaks them.
            SeedSettings.Default with { Rows = rows, LiveRows = 5, Attacks = ValueList<string>.Empty },
            ScenarioExpectation.None,
            ScenarioTimeouts.Default,
            ExecutionSettings.Default with { Rollback = rollbackMode },
            IsolationMode.Database)
        {
            Analysis = analysis ?? RunAnalysisSettings.Default,
        };
    }

    public static async Task<ScenarioResult> RunAsync(Scenario scenario, EngineKind kind)
    {
        var result = await new ScenarioRunner().RunAsync(scenario, kind, TestEngines.Get(kind), CancellationToken.None);
        Assert.That(result.Verdict, Is.Not.EqualTo(Verdict.Broken).And.Not.EqualTo(Verdict.NotRun), () => Describe(result));
        Assert.That(result.RunAnalysis, Is.Not.Null, () => Describe(result));
        return result;
    }

    /// <summary>The result for assertion messages: findings and the analysis as JSON.</summary>
    public static string Describe(ScenarioResult result) =>
        RollbackVerifier.NUnit.FailureMessage.For(result, null, "(not written)") + "\n"
        + JsonReportWriter.Render(new VerificationReport("test", DateTimeOffset.UnixEpoch, TimeSpan.Zero, [result]));

    public static IEnumerable<string> Codes(ScenarioResult result) => result.Findings.Select(f => f.Code);
}
