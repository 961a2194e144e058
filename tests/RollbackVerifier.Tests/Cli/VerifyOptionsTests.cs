using System.Text.Json;
using RollbackVerifier.Cli;

namespace RollbackVerifier.Tests.Cli;

/// <summary>verify's options end to end on the embedded SQLite engine: engine lists, filters, shards, --fail-on, --parallel, --no-color.</summary>
[NonParallelizable]
public sealed class VerifyOptionsTests
{
    private string _out = string.Empty;

    [SetUp]
    public void CreateOut() => _out = CliRun.TempFolder("rv-verify-options-");

    [TearDown]
    public void DeleteOut() => CliRun.Delete(_out);

    private static string Scenarios => Path.Combine(TestEngines.RepoRoot, "scenarios");

    private List<(string Scenario, string Engine, string Verdict)> Results(string folder = "")
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, folder, "report.json")));
        return json.RootElement.GetProperty("results").EnumerateArray()
            .Select(r => (r.GetProperty("scenario").GetString()!, r.GetProperty("engine").GetString()!, r.GetProperty("verdict").GetString()!))
            .ToList();
    }

    [Test]
    public async Task Filters_take_globs_and_exclusions_and_an_engine_list_keeps_the_engines_named()
    {
        var run = await CliRun.RunAsync("verify", Scenarios, "--engine", "sqlite,postgres", "-e", "mysql", "--filter", "drop-column-readded-*", "--name", "add-column", "--filter", "!*-not-null", "--postgres-url", "postgres://nobody@127.0.0.1:1/x", "--mysql-url", "mysql://nobody@127.0.0.1:1/x", "--report", "json", "--out", _out, "--progress", "none");

        Assert.That(Results().Select(r => (r.Scenario, r.Engine)), Is.EqualTo(new[]
        {
            ("add-column", "postgres"), ("add-column", "mysql"), ("add-column", "sqlite"),
            ("drop-column-readded-empty", "postgres"), ("drop-column-readded-empty", "mysql"), ("drop-column-readded-empty", "sqlite"),
            ("drop-column-readded-nullable", "postgres"), ("drop-column-readded-nullable", "mysql"), ("drop-column-readded-nullable", "sqlite"),
        }), run.Output);
        Assert.That(Results().Where(r => r.Engine != "sqlite").Select(r => r.Verdict), Is.All.EqualTo("not-run"), "the servers named do not exist");
        Assert.That(run.Code, Is.EqualTo(CliApp.Success), "not-run meets expectations without --require-engines");
    }

    [Test]
    public async Task A_filter_that_matches_nothing_is_an_error_not_an_empty_success()
    {
        var run = await CliRun.RunAsync("verify", Scenarios, "--engine", "sqlite", "--filter", "no-such-scenario-*");
        Assert.That(run.Code, Is.EqualTo(CliApp.InvalidInput));
        Assert.That(run.Errors, Does.Contain("no scenario matches --filter 'no-such-scenario-*'"));
    }

    [TestCase("--shard", "3/2", "--shard '3/2': the shard number must be between 1 and 2")]
    [TestCase("--shard", "0/2", "--shard '0/2'")]
    [TestCase("--shard", "two", "--shard 'two' is not a shard")]
    [TestCase("--engine", "oracle", "unknown engine 'oracle'")]
    [TestCase("--engine", "sqlite,db2", "unknown engine 'db2'")]
    [TestCase("--fail-on", "info", "--fail-on 'info'")]
    [TestCase("--parallel", "0", "--parallel 0")]
    [TestCase("--progress", "fancy", "--progress 'fancy'")]
    [TestCase("--report", "json,pdf", "unsupported report format 'pdf'")]
    public async Task Bad_values_exit_2_with_a_message_naming_the_value(string option, string value, string message)
    {
        var run = await CliRun.RunAsync("verify", CliRun.Scenario("add-column"), option, value);
        Assert.That(run.Code, Is.EqualTo(CliApp.InvalidInput));
        Assert.That(run.Errors, Does.Contain(message));
    }

    [Test]
    public async Task Shards_split_the_runs_so_that_together_they_are_the_whole_run_each_run_once()
    {
        var args = new[] { "verify", Scenarios, "--engine", "sqlite", "--filter", "drop-column-*", "--filter", "add-column", "--filter", "rename-*", "--report", "json", "--progress", "none" };
        var whole = await CliRun.RunAsync([.. args, "--out", Path.Combine(_out, "whole")]);
        var parts = new List<(string, string, string)>();
        for (var i = 1; i <= 3; i++)
        {
            var shard = await CliRun.RunAsync([.. args, "--shard", $"{i}/3", "--out", Path.Combine(_out, $"s{i}")]);
            Assert.That(shard.Code, Is.EqualTo(CliApp.Success), shard.Output + shard.Errors);
            Assert.That(shard.Output, Does.Contain($"shard {i}/3: "));
            parts.AddRange(Results($"s{i}"));
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, $"s{i}", "report.json")));
            Assert.That(json.RootElement.GetProperty("shard").GetProperty("index").GetInt32(), Is.EqualTo(i));
        }

        Assert.That(whole.Code, Is.EqualTo(CliApp.Success));
        Assert.That(parts, Is.EquivalentTo(Results("whole")), "every run in exactly one shard, with the same verdict");
        Assert.That(parts.Select(p => (p.Item1, p.Item2)).Distinct().Count(), Is.EqualTo(parts.Count));
    }

    [Test]
    public async Task Fail_on_fails_the_run_for_unaccepted_findings_even_when_the_scenario_expects_them()
    {
        // drop-column-readded-empty expects verdict fail with RV304; drop-column-readded-nullable accepts its RV206
        // (an error) and has an RV210 warning.
        var common = new[] { "verify", CliRun.Scenario("drop-column-readded-empty"), CliRun.Scenario("drop-column-readded-nullable"), "--engine", "sqlite", "--progress", "none", "--report", "json" };

        var plain = await CliRun.RunAsync([.. common, "--out", Path.Combine(_out, "plain")]);
        var errors = await CliRun.RunAsync([.. common, "--fail-on", "error", "--out", Path.Combine(_out, "error")]);
        var warnings = await CliRun.RunAsync([.. common, "--fail-on", "warning", "--out", Path.Combine(_out, "warning")]);

        Assert.That(plain.Code, Is.EqualTo(CliApp.Success), "both meet their expectations");
        Assert.That(errors.Code, Is.EqualTo(CliApp.ExpectationNotMet));
        Assert.That(errors.Output, Does.Contain("--fail-on error: 1 unaccepted finding at or above error: RV304 dropped-data-not-restored (customers.country)"));
        Assert.That(errors.Output, Does.Not.Contain("RV206 column-nullability"), "an accepted finding never fails the gate");
        Assert.That(warnings.Code, Is.EqualTo(CliApp.ExpectationNotMet));
        Assert.That(warnings.Output, Does.Contain("--fail-on warning:").And.Contain("RV210"));

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "error", "report.json")));
        Assert.That(json.RootElement.GetProperty("success").GetBoolean(), Is.False, "the report agrees with the exit code");
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.That(results.Select(r => r.GetProperty("meetsExpectation").GetBoolean()), Is.EqualTo(new[] { false, true }));
    }

    [Test]
    public async Task Parallel_runs_give_the_same_report_in_the_same_order_as_one_at_a_time()
    {
        var common = new[] { "verify", Scenarios, "--engine", "sqlite", "--filter", "drop-*", "--filter", "rename-*", "--filter", "add-column", "--report", "json", "--progress", "plain" };

        var one = await CliRun.RunAsync([.. common, "--parallel", "1", "--out", Path.Combine(_out, "one")]);
        var four = await CliRun.RunAsync([.. common, "--parallel", "4", "--out", Path.Combine(_out, "four")]);

        Assert.That((one.Code, four.Code), Is.EqualTo((CliApp.Success, CliApp.Success)), four.Output);
        Assert.That(Results("four"), Is.EqualTo(Results("one")));
        string ResultLines(string output) => Normalize(string.Join("\n", output.ReplaceLineEndings("\n").Split('\n').Where(l => l.StartsWith("pass ", StringComparison.Ordinal) || l.StartsWith("fail ", StringComparison.Ordinal))));
        Assert.That(ResultLines(four.Output), Is.Not.Empty.And.EqualTo(ResultLines(one.Output)), "result lines in run order, whatever finished first");
        Assert.That(four.Output, Does.Contain("[6/"), "plain progress lines name the item");
    }

    /// <summary>Result lines without their durations.</summary>
    private static string Normalize(string lines) => System.Text.RegularExpressions.Regex.Replace(lines, @"\(\d+\.\ds\)", "(t)");

    [Test]
    public void No_color_is_taken_out_of_the_arguments_before_a_double_dash_only()
    {
        var (arguments, noColor) = CliApp.TakeGlobalFlags(["verify", "--no-color", "x", "--", "--no-color"]);
        Assert.That((arguments, noColor), Is.EqualTo((new[] { "verify", "x", "--", "--no-color" }, true)));
        Assert.That(CliApp.TakeGlobalFlags(["verify", "x"]).NoColor, Is.False);
    }

    [Test]
    public async Task No_color_turns_colours_off_on_a_colour_terminal_for_any_command()
    {
        var args = new[] { "verify", CliRun.Scenario("drop-column-readded-empty"), "--engine", "sqlite", "--progress", "none" };
        var colored = await CliRun.RunAsync(ansi: true, args);
        var plain = await CliRun.RunAsync(ansi: true, [.. args, "--no-color"]);
        var explained = await CliRun.RunAsync(ansi: true, "explain", "RV304", "--no-color");

        Assert.That((colored.Code, plain.Code, explained.Code), Is.EqualTo((CliApp.Success, CliApp.Success, CliApp.Success)), plain.Errors);
        Assert.That(colored.Output, Does.Match(@"\u001b\[3[0-7]m"), "verdicts are coloured on a colour terminal");
        Assert.That(plain.Output, Does.Not.Match(@"\u001b\[(3[0-9]|9[0-7]|38;)"), "no colour codes under --no-color");
        Assert.That(plain.Output, Does.Contain("drop-column-readded-empty on sqlite"));
        Assert.That(CliApp.Colors, Is.False, "errors follow it too");
    }
}
