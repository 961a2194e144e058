using System.Text.Json;
using RollbackVerifier.Cli;
using RollbackVerifier.Execution;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios.Histories;

namespace RollbackVerifier.Tests.Histories;

/// <summary>
/// verify --history on every fixture folder and every engine its format supports: each migration's verdict and error
/// codes are asserted (the good downs pass, the bad down is caught, the missing down is irreversible), and the chain
/// semantics where an up fails.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
public sealed class HistoryRunTests
{
    private const string Pass = "pass";

    private static readonly string[] Standard = [Pass, Pass, Pass, Pass, Pass, Pass, "fail RV304", "fail RV108"];

    /// <summary>Per fixture: the expected verdict and unaccepted error codes of each migration, in history order.</summary>
    private static readonly Dictionary<string, string[]> Expected = new()
    {
        ["paired"] = Standard,
        ["folder"] = Standard,
        ["dbmate"] = Standard,
        ["goose"] = Standard,
        ["liquibase"] = Standard,

        // V7's RV108 is accepted in rollback-verifier.yml; the repeatable view only gets an RV109 note.
        ["flyway"] = [Pass, Pass, Pass, Pass, Pass, Pass, "fail RV304", Pass, Pass],

        // The reworked trigger function comes after the tag, with a revert that restores the first version.
        ["sqitch"] = [.. Standard, Pass],
    };

    private static IEnumerable<TestCaseData> Cases() =>
        from format in Expected.Keys
        from engine in EngineKinds.All
        select new TestCaseData(format, engine).SetName($"History_{format}_on_{engine.ToName()}").SetCategory(engine.ToName());

    private string _temp = string.Empty;

    [SetUp]
    public void CreateTemp() => Directory.CreateDirectory(_temp = Path.Combine(Path.GetTempPath(), "rv-histrun-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteTemp() => Directory.Delete(_temp, recursive: true);

    /// <summary>Runs every planned scenario of the history on one engine, in order, as verify --history does.</summary>
    internal static async Task<List<ScenarioResult>> RunAsync(HistoryOptions options, EngineKind engine)
    {
        var runner = new HistoryRunner(HistoryPlan.Create(options with { Engine = engine }));
        var results = new List<ScenarioResult>();
        foreach (var scenario in runner.Plan.Scenarios)
        {
            results.Add(await runner.RunAsync(scenario, engine, TestEngines.Get(engine), CancellationToken.None));
        }

        return results;
    }

    private static string Outcome(ScenarioResult r)
    {
        var errors = r.Findings.Where(f => f.Severity == Severity.Error && f.AcceptedReason is null).Select(f => f.Code).Distinct().Order(StringComparer.Ordinal);
        return string.Join(" ", new[] { r.Verdict.ToKebab() }.Concat(errors));
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Every_migration_of_the_fixture_gets_its_verdict(string format, EngineKind engine)
    {
        var results = await RunAsync(new HistoryOptions(HistoryLoaderTests.Fixture(format)), engine);

        Assert.That(results.Select(Outcome), Is.EqualTo(Expected[format]), string.Join("\n", results.Select(r => $"{r.Scenario}: {Outcome(r)} {r.Reason}")));
        Assert.That(results.Select(r => r.History!.Index), Is.EqualTo(Enumerable.Range(1, results.Count)));
        // The trigger migration's down drops the trigger, then the column: on MySQL each DDL commits on its own, so the
        // run analysis must find the half state (accepted in the fixture with its reason); the transactional engines must not.
        var halfApplied = results.SelectMany(r => r.Findings).Where(f => f.Code == "RV610").ToList();
        Assert.That(halfApplied, engine == EngineKind.MySql ? Is.Not.Empty.And.All.Matches<Finding>(f => f.AcceptedReason != null) : Is.Empty);
        Assert.That(results.Where(r => !r.MeetsExpectation).Select(r => $"{r.Scenario}: {string.Join("; ", r.ExpectationProblems)}"), Is.Empty, "the fixture's rollback-verifier.yml states the same expectations");
        var bad = results[6].Findings.First(f => f.Code == "RV304");
        Assert.That(bad.Object, Does.EndWith("customers.phone"));
    }

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_temp, relative);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>0001 good, 0002 without a down, 0003 whose up fails on line 2, 0004 and 0005 good.</summary>
    private void WriteBrokenChain(bool irreversibleUpFails = false)
    {
        Write("0001_customers.up.sql", "CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR(50));\n");
        Write("0001_customers.down.sql", "DROP TABLE customers;\n");
        Write("0002_customers_index.up.sql", irreversibleUpFails ? "CREATE INDEX ix_name ON customers (nickname);\n" : "CREATE INDEX ix_name ON customers (name);\n");
        Write("0003_orders.up.sql", "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER);\nINSERT INTO order_totals SELECT id FROM orders;\n");
        Write("0003_orders.down.sql", "DROP TABLE orders;\n");
        Write("0004_customers_email.up.sql", "ALTER TABLE customers ADD COLUMN email VARCHAR(100);\n");
        Write("0004_customers_email.down.sql", "ALTER TABLE customers DROP COLUMN email;\n");
        Write("0005_customers_phone.up.sql", "ALTER TABLE customers ADD COLUMN phone VARCHAR(100);\n");
        Write("0005_customers_phone.down.sql", "ALTER TABLE customers DROP COLUMN phone;\n");
    }

    [Test]
    public async Task Where_an_up_fails_that_migration_is_broken_with_file_and_line_and_the_chain_stops()
    {
        WriteBrokenChain();
        var results = await RunAsync(new HistoryOptions(_temp), EngineKind.Sqlite);

        Assert.That(results.Select(r => r.Verdict), Is.EqualTo(new[] { Verdict.Pass, Verdict.Fail, Verdict.Broken, Verdict.NotRun, Verdict.NotRun }));
        Assert.That(results[1].Findings.Single().Code, Is.EqualTo(FindingCodes.IrreversibleMigration.Code), "a missing down is a finding, not a silent skip");
        var failed = results[2].FailedStatement!;
        Assert.That((Path.GetFileName(failed.File), failed.Line, failed.Phase), Is.EqualTo(("0003_orders.up.sql", 2, RollbackVerifier.Scenarios.Phase.Forward)));
        Assert.That(results[2].Reason, Does.Contain("0003_orders.up.sql:2"));
        Assert.That(results[3].Reason, Does.StartWith("chain stopped at 0003: its up fails at 0003_orders.up.sql:2"));
        Assert.That(results.Skip(3).Select(r => r.History!.ChainStoppedAt), Is.EqualTo(new[] { "0003", "0003" }));
        Assert.That(results.Take(3).Select(r => r.History!.ChainStoppedAt), Has.All.Null);
    }

    [Test]
    public async Task An_earlier_up_outside_the_range_that_fails_breaks_the_first_migration_of_the_range()
    {
        WriteBrokenChain();
        var results = await RunAsync(new HistoryOptions(_temp) { From = "4" }, EngineKind.Sqlite);

        Assert.That(results.Select(r => r.Verdict), Is.EqualTo(new[] { Verdict.Broken, Verdict.NotRun }));
        Assert.That(results[0].FailedStatement!.Phase, Is.EqualTo(RollbackVerifier.Scenarios.Phase.Baseline));
        Assert.That(results[0].Reason, Does.Contain("earlier migration").And.Contain("0003 at statement 2 (0003_orders.up.sql:2)"));
        Assert.That(results[0].MeetsExpectation, Is.False, "a broken chain must fail the run even when the failing up is not in the range");
        Assert.That(results[1].Reason, Does.StartWith("chain stopped at 0003"));
    }

    [Test]
    public async Task The_up_of_a_migration_without_down_is_still_applied_and_stops_the_chain_when_it_fails()
    {
        WriteBrokenChain(irreversibleUpFails: true);
        var results = await RunAsync(new HistoryOptions(_temp), EngineKind.Sqlite);

        Assert.That(results.Select(r => r.Verdict), Is.EqualTo(new[] { Verdict.Pass, Verdict.Broken, Verdict.NotRun, Verdict.NotRun, Verdict.NotRun }));
        Assert.That((Path.GetFileName(results[1].FailedStatement!.File), results[1].FailedStatement!.Line), Is.EqualTo(("0002_customers_index.up.sql", 1)));
        Assert.That(results[2].History!.ChainStoppedAt, Is.EqualTo("0002"));
    }

    [Test]
    public async Task A_unit_runs_its_ups_in_order_and_its_downs_in_reverse()
    {
        var fixture = HistoryLoaderTests.Fixture("paired");
        var good = await RunAsync(new HistoryOptions(fixture) { Unit = "3..5" }, EngineKind.Sqlite);
        var bad = await RunAsync(new HistoryOptions(fixture) { Unit = "0006..0007" }, EngineKind.Sqlite);
        var forwardOnly = await RunAsync(new HistoryOptions(fixture) { Unit = "7..8" }, EngineKind.Sqlite);

        Assert.That((Outcome(good.Single()), Outcome(bad.Single()), Outcome(forwardOnly.Single())), Is.EqualTo(("pass", "fail RV304", "fail RV108")));
        Assert.That(good.Single().History!.Unit, Is.EqualTo(new[] { "0003", "0004", "0005" }));
        Assert.That(forwardOnly.Single().Findings.Single().Message, Does.Contain("0008_index_orders_created_at.down.sql"));
    }

    [Test]
    public async Task The_cli_verifies_a_history_and_reports_each_migrations_place_in_json()
    {
        var output = Path.Combine(_temp, "out");
        var code = await CliApp.RunAsync(["verify", "--history", HistoryLoaderTests.Fixture("paired"), "--engine", "sqlite", "--to", "0007", "--report", "json,md", "--out", output]);

        Assert.That(code, Is.EqualTo(CliApp.Success), "every migration meets the fixture's expectations");
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "report.json")));
        var results = report.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.That(results, Has.Count.EqualTo(7));
        var history = results[6].GetProperty("history");
        Assert.That(
            (history.GetProperty("format").GetString(), history.GetProperty("version").GetString(), history.GetProperty("migration").GetString(), history.GetProperty("index").GetInt32(), history.GetProperty("count").GetInt32()),
            Is.EqualTo(("paired", "0007", "0007_drop_customer_phone", 7, 8)));
        Assert.That(history.GetProperty("chainStoppedAt").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(output, "report.md")), Does.Contain("Migration 7 of 8 (version 0007) of the paired history"));

        Assert.That(await CliApp.RunAsync(["verify", "--history", _temp, "--engine", "sqlite"]), Is.EqualTo(CliApp.InvalidInput), "an empty folder has no format");
        Assert.That(await CliApp.RunAsync(["verify", "--from", "3", "scenarios"]), Is.EqualTo(CliApp.InvalidInput), "--from needs --history");
    }
}
