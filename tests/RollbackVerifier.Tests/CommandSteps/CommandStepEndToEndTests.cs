using System.Globalization;
using System.Text.RegularExpressions;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios;
using RollbackVerifier.Tests.Support;

namespace RollbackVerifier.Tests.CommandSteps;

/// <summary>
/// The scenarios of fixtures/command-steps on every engine they name: the steps are commands of a small migration tool
/// (tools/migrate.sh) that reaches the throwaway database only through the harness's environment variables, with psql,
/// the mariadb client and python3's sqlite3, as a team's Alembic, EF Core or in-house tool would.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class CommandStepEndToEndTests
{
    private static string Folder(string name) => Path.Combine(TestEngines.RepoRoot, "fixtures", "command-steps", name);

    private static IEnumerable<TestCaseData> Fixtures() =>
        ScenarioLoader.Discover([Path.Combine(TestEngines.RepoRoot, "fixtures", "command-steps")])
            .Select(dir => ScenarioLoader.Load(dir, null))
            .SelectMany(s => s.Engines.Select(kind => new TestCaseData(Path.GetFileName(s.Directory), kind).SetName($"{Path.GetFileName(s.Directory)} on {kind.ToName()}")));

    private static async Task<ScenarioResult> Run(string name, EngineKind kind, Func<Scenario, Scenario>? change = null)
    {
        var engine = TestEngines.Get(kind);
        ClientRequirement.EnsureFor(kind);
        var scenario = ScenarioLoader.Load(Folder(name), kind);
        scenario = change?.Invoke(scenario) ?? scenario;
        return await new ScenarioRunner().RunAsync(scenario, kind, engine, CancellationToken.None);
    }

    private static string Explain(ScenarioResult result) => RollbackVerifier.NUnit.FailureMessage.For(result, null, "(not written)")
        + "\n" + string.Join("\n", result.CommandSteps.Select(s => $"--- {s.Phase} exit {s.ExitCode}:\n{s.Output}"));

    [TestCaseSource(nameof(Fixtures))]
    public async Task Fixture_meets_its_expectation(string name, EngineKind kind)
    {
        var result = await Run(name, kind);
        Assert.That(result.MeetsExpectation, Is.True, () => Explain(result));
    }

    [TestCase(EngineKind.Postgres)]
    [TestCase(EngineKind.MySql)]
    [TestCase(EngineKind.Sqlite)]
    public async Task A_rollback_command_that_re_adds_a_column_empty_is_caught_by_the_oracle(EngineKind kind)
    {
        var result = await Run("drop-column-readded-empty", kind);
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), () => Explain(result));
            Assert.That(result.Findings.Select(f => f.Code), Does.Contain("RV304"));
            Assert.That(result.Findings.Select(f => f.Code), Has.None.EqualTo("RV202"), "the tool's history table is left out");
            Assert.That(result.CommandSteps.Select(s => s.Phase), Is.EqualTo(new[] { Phase.Forward, Phase.Rollback, Phase.Reapply }));
            Assert.That(result.CommandSteps.Select(s => s.ExitCode), Is.All.EqualTo(0));
            Assert.That(result.IgnoredTables.Select(t => t.Table.Split('.').Last()), Is.EqualTo(new[] { "schema_migrations" }));
            Assert.That(result.IgnoredTables.Single().Source, Is.EqualTo("history-table"));
        });
    }

    [TestCase(EngineKind.Postgres)]
    [TestCase(EngineKind.Sqlite)]
    public async Task With_history_tables_compared_the_tools_bookkeeping_shows_as_a_difference(EngineKind kind)
    {
        // The forward created schema_migrations and no rollback drops a tool's history table: a real difference,
        // which the built-in list leaves out (see the test above).
        var result = await Run("drop-column-readded-empty", kind, s => s with { Compare = s.Compare with { IgnoreHistoryTables = false } });
        Assert.That(result.Findings.Where(f => f.Code == "RV202").Select(f => f.Object), Has.Some.EndsWith("schema_migrations"), () => Explain(result));
        Assert.That(result.IgnoredTables, Is.Empty);
    }

    [TestCase(EngineKind.Postgres)]
    [TestCase(EngineKind.MySql)]
    [TestCase(EngineKind.Sqlite)]
    public async Task A_good_rollback_command_passes_and_the_forward_command_runs_again(EngineKind kind)
    {
        var result = await Run("drop-column-restored", kind);
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), () => Explain(result));
            Assert.That(result.CommandSteps.Select(s => s.Phase), Is.EqualTo(new[] { Phase.Baseline, Phase.Forward, Phase.Rollback, Phase.Reapply }));
            Assert.That(result.CommandSteps[3].Output, Does.Contain($"up 002_archive_nickname on {kind.ToName()} (phase reapply)"));
            Assert.That(result.CommandSteps[1].Timeout, Is.EqualTo(TimeSpan.FromMinutes(2)), "the step's own timeout");
            Assert.That(result.Seeding.Where(s => s.Inserted > 0).Select(s => s.Table), Has.None.Contains("schema_migrations"), "never seeded");
        });
    }

    [TestCase(EngineKind.Postgres, "does not exist")]
    [TestCase(EngineKind.MySql, "doesn't exist")]
    [TestCase(EngineKind.Sqlite, "no such table")]
    public async Task A_rollback_command_that_exits_non_zero_is_rv101_with_its_output_as_evidence(EngineKind kind, string engineError)
    {
        var result = await Run("rollback-fails", kind);
        var failed = result.Findings.SingleOrDefault(f => f.Code == "RV101");
        Assert.That(failed, Is.Not.Null, () => Explain(result));
        Assert.Multiple(() =>
        {
            Assert.That(failed!.Object, Is.EqualTo("scenario.yml:9"));
            Assert.That(failed.Message, Does.StartWith("Rollback command `../tools/migrate.sh down 002_drop_nickname` (scenario.yml:9) exited with code").And.Contain(engineError));
            Assert.That(failed.Evidence.Details["command"], Is.EqualTo("../tools/migrate.sh down 002_drop_nickname"));
            Assert.That(failed.Evidence.Details["exitCode"], Is.Not.EqualTo("0"));
            Assert.That(failed.Evidence.Details["output"], Does.Contain("customer_nickname_archive").And.Contain("migrate: down 002_drop_nickname"));
            Assert.That(result.FailedStatement!.ErrorCode, Does.StartWith("exit "));
            Assert.That(result.CommandSteps.Single(s => s.Phase == Phase.Rollback).ExitCode, Is.Not.EqualTo(0));
            Assert.That(result.CommandSteps.Select(s => s.Phase), Has.None.EqualTo(Phase.Reapply), "no reapply after a failed rollback");
        });
    }

    [TestCase(EngineKind.Postgres)]
    [TestCase(EngineKind.Sqlite)]
    public async Task A_rollback_command_that_hangs_is_stopped_with_its_process_tree(EngineKind kind)
    {
        var result = await Run("rollback-times-out", kind);
        var step = result.CommandSteps.Single(s => s.Phase == Phase.Rollback);
        var pids = PidPattern().Matches(step.Output).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.Findings.Select(f => f.Code), Does.Contain("RV105"), () => Explain(result));
            Assert.That(step.TimedOut, Is.True);
            Assert.That(step.Timeout, Is.EqualTo(TimeSpan.FromSeconds(3)));
            Assert.That(pids, Has.Count.EqualTo(2), step.Output);
            Assert.That(pids.Where(Processes.IsAlive), Is.Empty, "the child and the re-parented daemon are gone");
        });
    }

    [Test]
    public async Task A_rollback_command_that_does_not_exist_breaks_the_scenario_naming_the_line()
    {
        var result = await Run("rollback-not-found", EngineKind.Sqlite);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Broken));
        Assert.That(result.Reason, Does.StartWith(Path.Combine(Folder("rollback-not-found"), "scenario.yml") + ":8:")
            .And.Contain("cannot start the rollback command `rv-no-such-migration-tool downgrade -1`: 'rv-no-such-migration-tool' was not found on PATH"));
    }

    [TestCase(EngineKind.Postgres)]
    [TestCase(EngineKind.MySql)]
    public async Task The_password_appears_in_no_report(EngineKind kind)
    {
        var engine = TestEngines.Get(kind);
        string password;
        var probe = await engine.CreateDatabaseAsync(new DatabaseRequest("password-probe", IsolationMode.Database), CancellationToken.None);
        await using (probe)
        {
            password = probe.ConnectionDetails!.Password!;
        }

        Assert.That(password, Has.Length.GreaterThanOrEqualTo(16), "the harness's containers use a random password");
        var result = await Run("secrets-in-output", kind);
        Assert.That(result.Findings.Select(f => f.Code), Does.Contain("RV101"), () => Explain(result));
        var report = new VerificationReport("test", DateTimeOffset.UnixEpoch, TimeSpan.Zero, [result]);
        var console = new StringWriter();
        var ansi = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(console) });
        RollbackVerifier.Cli.ConsoleReport.WriteResult(ansi, result);
        var rendered = new Dictionary<string, string>
        {
            ["json"] = JsonReportWriter.Render(report),
            ["markdown"] = MarkdownReportWriter.Render(report),
            ["junit"] = JUnitReportWriter.Render(report),
            ["nunit failure message"] = RollbackVerifier.NUnit.FailureMessage.For(result, null, "(not written)"),
            ["console"] = console.ToString(),
        };
        foreach (var (format, text) in rendered)
        {
            Assert.That(text, Does.Not.Contain(password).And.Not.Contain(Uri.EscapeDataString(password)), format);
        }

        var forward = result.CommandSteps.Single(s => s.Phase == Phase.Forward).Output;
        Assert.That(forward, Does.Contain("password: [redacted]").And.Contain(kind == EngineKind.Postgres ? "PGPASSWORD=[redacted]" : "MYSQL_PWD=[redacted]"), "the command printed it; the report hides it");
        Assert.That(rendered["markdown"], Does.Contain("[redacted]"));
    }

    [GeneratedRegex(@"(?:child|daemon) pid (\d+)")]
    private static partial Regex PidPattern();
}
