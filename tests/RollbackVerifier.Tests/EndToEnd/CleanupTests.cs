using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;
using RollbackVerifier.Tests.Support;

namespace RollbackVerifier.Tests.EndToEnd;

/// <summary>
/// Our CI runs without the Testcontainers reaper, so the harness itself must remove every container it starts:
/// after success, failure, timeout and cancellation.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class CleanupTests
{
    private static readonly string SleepRollbackPostgres = "SELECT pg_sleep(30);";
    private static readonly string SleepRollbackMySql = "SELECT SLEEP(30);";

    [TestCase(EngineKind.Postgres)]
    [TestCase(EngineKind.MySql)]
    public async Task Cancelled_run_leaves_no_container(EngineKind kind)
    {
        DockerRequirement.Ensure();
        var runId = "leak" + EngineSettings.NewRunId();
        var engine = TestEngines.Create(kind, EngineSettings.FromEnvironment(kind, runId) with { ServerUrl = null });
        var scenario = Scenario(kind, kind == EngineKind.Postgres ? SleepRollbackPostgres : SleepRollbackMySql, TimeSpan.FromMinutes(1));
        using var cancellation = new CancellationTokenSource();
        try
        {
            var run = new ScenarioRunner().RunAsync(scenario, kind, engine, cancellation.Token);
            await WaitForContainerAsync(runId);
            cancellation.CancelAfter(TimeSpan.FromSeconds(3));
            Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
        }
        finally
        {
            await engine.DisposeAsync();
        }

        Assert.That(DockerRequirement.ListHarnessContainers(runId), Is.Empty);
    }

    [TestCase(EngineKind.Postgres)]
    [TestCase(EngineKind.MySql)]
    public async Task Timed_out_and_failed_runs_leave_no_container(EngineKind kind)
    {
        DockerRequirement.Ensure();
        var runId = "leak" + EngineSettings.NewRunId();
        var engine = TestEngines.Create(kind, EngineSettings.FromEnvironment(kind, runId) with { ServerUrl = null });
        try
        {
            var timedOut = await new ScenarioRunner().RunAsync(
                Scenario(kind, kind == EngineKind.Postgres ? SleepRollbackPostgres : SleepRollbackMySql, TimeSpan.FromSeconds(2)), kind, engine, CancellationToken.None);
            Assert.That(timedOut.Findings.Select(f => f.Code), Does.Contain("RV105"), () => RollbackVerifier.NUnit.FailureMessage.For(timedOut, null, "(not written)"));

            var failed = await new ScenarioRunner().RunAsync(Scenario(kind, "DROP TABLE no_such_table;", TimeSpan.FromMinutes(1)), kind, engine, CancellationToken.None);
            Assert.That(failed.Findings.Select(f => f.Code), Does.Contain("RV101"), () => RollbackVerifier.NUnit.FailureMessage.For(failed, null, "(not written)"));
            Assert.That(DockerRequirement.ListHarnessContainers(runId), Has.Count.EqualTo(1), "one shared container while the engine lives");
        }
        finally
        {
            await engine.DisposeAsync();
        }

        Assert.That(DockerRequirement.ListHarnessContainers(runId), Is.Empty);
    }

    private static async Task WaitForContainerAsync(string runId)
    {
        for (var i = 0; i < 600 && DockerRequirement.ListHarnessContainers(runId).Count == 0; i++)
        {
            await Task.Delay(100);
        }
    }

    private static Scenario Scenario(EngineKind kind, string rollback, TimeSpan stepTimeout)
    {
        var dir = Path.Combine(Path.GetTempPath(), "rv-cleanup-scenario");
        var scripts = new ScenarioScripts(
            new ScriptSource(Path.Combine(dir, "baseline.sql"), "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40));"),
            new ScriptSource(Path.Combine(dir, "forward.sql"), "ALTER TABLE items ADD COLUMN extra INT;"),
            new ScriptSource(Path.Combine(dir, "rollback.sql"), rollback));
        return new Scenario(
            "cleanup",
            dir,
            string.Empty,
            [kind],
            new Dictionary<EngineKind, ScenarioScripts> { [kind] = scripts },
            SeedSettings.Default with { Rows = 5, LiveRows = 2 },
            ScenarioExpectation.None,
            new ScenarioTimeouts(stepTimeout, stepTimeout),
            ExecutionSettings.Default,
            IsolationMode.Database);
    }
}
