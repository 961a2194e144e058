using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios;
using RollbackVerifier.Tests.Support;

namespace RollbackVerifier.Tests.EndToEnd;

/// <summary>
/// Every scenario under scenarios/ and fixtures/e2e/ runs on every engine it names and must meet its own
/// expectation (verdict and finding codes in scenario.yml). This is how the end-to-end behaviour of the
/// whole pipeline is pinned: each fixture names the findings it must trigger.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
public sealed class ExampleScenarioTests
{
    public static IEnumerable<TestCaseData> Cases()
    {
        var root = TestEngines.RepoRoot;
        var folders = new[] { Path.Combine(root, "scenarios"), Path.Combine(root, "fixtures", "e2e") }.Where(Directory.Exists);
        foreach (var directory in ScenarioLoader.Discover(folders))
        {
            var scenario = ScenarioLoader.Load(directory, null);
            foreach (var engine in scenario.Engines)
            {
                var relative = Path.GetRelativePath(root, directory).Replace('\\', '/');
                yield return new TestCaseData(directory, engine).SetName($"{relative} on {engine.ToName()}");
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Scenario_meets_its_expectation(string directory, EngineKind engine)
    {
        var scenario = ScenarioLoader.Load(directory, engine);
        var databaseEngine = TestEngines.Get(engine);

        var result = await new ScenarioRunner().RunAsync(scenario, engine, databaseEngine, CancellationToken.None);

        Assert.That(result.Verdict, Is.Not.EqualTo(Verdict.NotRun), () => result.Reason ?? "engine not available");
        Assert.That(result.MeetsExpectation, Is.True, () => Describe(result));
    }

    internal static string Describe(ScenarioResult result)
    {
        var lines = new List<string> { $"verdict {result.Verdict}; {string.Join("; ", result.ExpectationProblems)}", $"reason: {result.Reason}" };
        if (result.FailedStatement is { } f)
        {
            lines.Add($"failed statement {f.Phase} #{f.Number} line {f.Line}: {f.Text} -> {f.ErrorCode} {f.ErrorMessage}");
        }

        lines.AddRange(result.Findings.Select(f => $"  {f.Code} {f.Severity} {f.Object}: {f.Message} [before={f.Before} after={f.After}]"));
        lines.AddRange(result.Seeding.Select(s => $"  seed {s.Table} {s.Phase}: +{s.Inserted} ~{s.Updated} -{s.Deleted} skipped {s.Skipped} {s.SkipReason}"));
        return string.Join(Environment.NewLine, lines);
    }
}
