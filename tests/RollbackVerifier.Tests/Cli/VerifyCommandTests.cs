using System.Text.Json;
using RollbackVerifier.Cli;

namespace RollbackVerifier.Tests.Cli;

/// <summary>The CLI's contract: exit codes 0/1/2 and a JSON report, on the embedded SQLite engine.</summary>
[NonParallelizable]
public sealed class VerifyCommandTests
{
    private string _out = string.Empty;

    [SetUp]
    public void CreateOut() => _out = Path.Combine(Path.GetTempPath(), "rv-cli-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteOut()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    private static string Scenario(string name) => Path.Combine(TestEngines.RepoRoot, "scenarios", name);

    [Test]
    public async Task Rows_option_scales_the_seeded_volume_and_reports_it()
    {
        var code = await CliApp.RunAsync(["verify", Scenario("add-column"), "--engine", "sqlite", "--rows", "2000", "--live-rows", "40", "--report", "json", "--out", _out]);

        Assert.That(code, Is.EqualTo(CliApp.Success));
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_out, "report.json")));
        var seeding = report.RootElement.GetProperty("results")[0].GetProperty("seeding").EnumerateArray().ToList();
        (string, long) Row(JsonElement s) => (s.GetProperty("table").GetString()!, s.GetProperty("inserted").GetInt64());
        Assert.That(seeding.Where(s => s.GetProperty("phase").GetString() == "pre-existing").Select(Row), Is.EquivalentTo(new[] { ("customers", 2000L), ("orders", 2000L) }));
        var live = seeding.Where(s => s.GetProperty("phase").GetString() == "live").Select(Row).ToList();
        Assert.That(live.Select(r => r.Item1), Is.EquivalentTo(new[] { "customers", "orders" }));
        Assert.That(live.Select(r => r.Item2), Has.All.GreaterThanOrEqualTo(40L), "40 well-behaved live rows per table, plus the edge rows");
    }

    /// <summary>Runs the CLI with its console output captured.</summary>
    private static async Task<(int Code, string Output)> CaptureAsync(params string[] args)
    {
        var previous = Spectre.Console.AnsiConsole.Console;
        using var writer = new StringWriter();
        Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(writer) });
        try
        {
            return (await CliApp.RunAsync(args), writer.ToString());
        }
        finally
        {
            Spectre.Console.AnsiConsole.Console = previous;
        }
    }

    [Test]
    public async Task List_shows_scenarios_with_engines_and_expectations_without_running_them()
    {
        var (code, output) = await CaptureAsync("list", Scenario("add-column"), Scenario("drop-column-readded-empty"));
        Assert.That(code, Is.EqualTo(CliApp.Success));
        Assert.That(output, Does.Contain("add-column").And.Contain("drop-column-readded-empty").And.Contain("RV304").And.Contain("2 scenarios"));
        Assert.That(await CliApp.RunAsync(["list", Path.Combine(_out, "nope")]), Is.EqualTo(CliApp.InvalidInput));
        Assert.That(await CliApp.RunAsync(["list", Scenario("add-column"), "--engine", "oracle"]), Is.EqualTo(CliApp.InvalidInput));
    }

    [Test]
    public void Every_finding_code_has_advice_on_fixing_the_rollback()
    {
        Assert.That(RollbackVerifier.Findings.FindingCodes.All.Where(c => RollbackVerifier.Findings.FindingAdvice.For(c.Code) is not { Length: > 40 }).Select(c => c.Code), Is.Empty);
    }

    [Test]
    public async Task Explain_prints_meaning_and_advice_and_suggests_codes_for_unknown_ones()
    {
        var (byCode, sequence) = await CaptureAsync("explain", "rv404");
        var (byName, dropped) = await CaptureAsync("explain", "dropped-data-not-restored");
        Assert.That((byCode, byName), Is.EqualTo((CliApp.Success, CliApp.Success)));
        Assert.That(sequence, Does.Contain("RV404 sequence-behind-max-key").And.Contain("setval").And.Contain("How to fix the rollback"));
        Assert.That(dropped, Does.Contain("RV304 dropped-data-not-restored"));
        Assert.That(await CliApp.RunAsync(["explain", "RV999"]), Is.EqualTo(CliApp.InvalidInput));
    }

    [Test]
    public async Task Junit_report_is_written_for_ci_test_reporters()
    {
        var code = await CliApp.RunAsync(["verify", Scenario("add-column"), Scenario("drop-column-readded-empty"), "--engine", "sqlite", "--report", "junit", "--out", _out]);

        Assert.That(code, Is.EqualTo(CliApp.Success));
        var xml = System.Xml.Linq.XDocument.Load(Path.Combine(_out, "report.junit.xml"));
        Assert.That(xml.Descendants("testcase").Select(c => c.Attribute("name")!.Value), Is.EquivalentTo(new[] { "add-column", "drop-column-readded-empty" }));
        Assert.That(xml.Descendants("failure"), Is.Empty, "both scenarios meet their expectations");
        Assert.That(xml.Descendants("system-out").Select(o => o.Value), Has.Some.Contain("RV304"));
    }

    [Test]
    public void Rows_option_replaces_the_defaults_and_scales_per_table_counts()
    {
        var seed = RollbackVerifier.Scenarios.SeedSettings.Default with
        {
            Rows = 50,
            Tables = new Dictionary<string, RollbackVerifier.Scenarios.TableSeedSettings> { ["lookup"] = new(5, null, false) },
        };

        var scaled = VerifyCommand.Scale(seed, 50_000, null);

        Assert.That((scaled.Rows, scaled.LiveRows, scaled.Tables["lookup"].Rows), Is.EqualTo((50_000, 10, (int?)5000)));
    }

    [Test]
    public async Task Negative_rows_are_a_usage_error()
    {
        Assert.That(await CliApp.RunAsync(["verify", Scenario("add-column"), "--engine", "sqlite", "--rows", "-3"]), Is.EqualTo(CliApp.InvalidInput));
    }

    [Test]
    public async Task Scenarios_meeting_their_expectations_exit_0_and_write_the_json_report()
    {
        var code = await CliApp.RunAsync(["verify", Scenario("add-column"), Scenario("drop-column-readded-empty"), "--engine", "sqlite", "--report", "json", "--out", _out]);

        Assert.That(code, Is.EqualTo(CliApp.Success));
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_out, "report.json")));
        var root = report.RootElement;
        Assert.That(root.GetProperty("schemaVersion").GetInt32(), Is.EqualTo(1));
        var results = root.GetProperty("results").EnumerateArray().ToList();
        Assert.That(results.Select(r => r.GetProperty("verdict").GetString()), Is.EqualTo(new[] { "pass", "fail" }));
        var findings = results[1].GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()).ToList();
        Assert.That(findings, Does.Contain("RV304"));
    }

    [Test]
    public async Task A_scenario_missing_its_expectation_exits_1()
    {
        var dir = Path.Combine(_out, "scenario");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "baseline.sql"), "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);");
        await File.WriteAllTextAsync(Path.Combine(dir, "forward.sql"), "ALTER TABLE t DROP COLUMN a;");
        await File.WriteAllTextAsync(Path.Combine(dir, "rollback.sql"), "ALTER TABLE t ADD COLUMN a TEXT;");

        Assert.That(await CliApp.RunAsync(["verify", dir, "--engine", "sqlite"]), Is.EqualTo(CliApp.ExpectationNotMet));
    }

    [TestCase("--engine", "oracle")]
    [TestCase("--report", "pdf")]
    public async Task Invalid_options_exit_2(string option, string value) =>
        Assert.That(await CliApp.RunAsync(["verify", Scenario("add-column"), option, value]), Is.EqualTo(CliApp.InvalidInput));

    [Test]
    public async Task A_missing_folder_exits_2() =>
        Assert.That(await CliApp.RunAsync(["verify", Path.Combine(_out, "nope"), "--engine", "sqlite"]), Is.EqualTo(CliApp.InvalidInput));
}
