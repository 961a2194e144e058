using RollbackVerifier.Cli;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Tests.Analysis;

/// <summary>scenario.yml's rules.disable and expect.absent, and the lint command, on scenario folders written here.</summary>
[TestFixture]
[NonParallelizable]
public sealed class StaticRulesScenarioTests
{
    private string _dir = string.Empty;

    [SetUp]
    public void CreateFolder()
    {
        _dir = Path.Combine(Path.GetTempPath(), "rv-rules-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "baseline.sql"), "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);\n");
        File.WriteAllText(Path.Combine(_dir, "forward.sql"), "ALTER TABLE t ADD COLUMN b TEXT;\n");
        File.WriteAllText(Path.Combine(_dir, "rollback.sql"), "ALTER TABLE t DROP COLUMN b;\n");
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    private Scenario Load(string yaml)
    {
        File.WriteAllText(Path.Combine(_dir, "scenario.yml"), yaml);
        return ScenarioLoader.Load(_dir, null);
    }

    private ScenarioDefinitionException Invalid(string yaml) =>
        Assert.Throws<ScenarioDefinitionException>(() => Load(yaml))!;

    [Test]
    public void Rules_disable_and_expect_absent_are_read()
    {
        var scenario = Load("engines: [postgres]\nrules:\n  disable:\n    - code: lock-timeout-missing\n      reason: the deploy role sets lock_timeout\nexpect:\n  absent: [RV50x, rv501]\n");

        Assert.Multiple(() =>
        {
            Assert.That(scenario.Rules.Disabled.Select(d => (d.Code, d.Reason, d.Location)), Is.EqualTo(new[] { ("RV512", "the deploy role sets lock_timeout", (string?)"scenario.yml:4") }));
            Assert.That(scenario.Expect.Absent, Is.EqualTo(new[] { "RV50x", "RV501" }));
        });
    }

    [TestCase("engines: [sqlite]\nrules:\n  disable:\n    - code: RV512\n", 4, "disabled rule RV512 needs a written 'reason'")]
    [TestCase("engines: [sqlite]\nrules:\n  disable:\n    - code: RV304\n      reason: x\n", 4, "rules.disable: RV304 is not a static rule")]
    [TestCase("engines: [sqlite]\nrules:\n  disabled: []\n", 3, "unknown key 'rules.disabled' (did you mean 'rules.disable'?)")]
    [TestCase("engines: [sqlite]\nexpect:\n  absent: [RV5]\n", 3, "expect.absent: 'RV5' is neither a finding code (RV501) nor a family of codes (RV5xx, RV50x)")]
    [TestCase("engines: [sqlite]\nexpect:\n  absent: [RV9xx]\n", 3, "expect.absent: 'RV9xx' is neither")]
    [TestCase("engines: [sqlite]\nexpect:\n  findings: [RV501]\n  absent: [RV5xx]\n", 4, "expect.absent: RV5xx forbids RV501, which expect.findings requires")]
    [TestCase("engines: [sqlite]\nrules:\n  disable:\n    - { code: RV512, reason: x }\nexpect:\n  absent: [RV51x]\n", 6, "expect.absent: RV51x includes RV512, which rules.disable turns off")]
    [TestCase("engines: [sqlite]\nexpect:\n  findings: [RV512]\nrules:\n  disable:\n    - { code: RV512, reason: x }\n", 6, "rules.disable: RV512 is required by expect.findings")]
    public void Mistakes_are_errors_with_file_and_line(string yaml, int line, string problem)
    {
        var error = Invalid(yaml);

        Assert.Multiple(() =>
        {
            Assert.That(error.Line, Is.EqualTo(line), error.Message);
            Assert.That(error.Message, Does.Contain("scenario.yml").And.Contain(problem));
        });
    }

    [Test]
    public async Task Lint_exits_1_on_warnings_and_0_when_they_are_below_fail_on()
    {
        File.WriteAllText(Path.Combine(_dir, "rollback.sql"), "DROP TABLE t;\n");
        Load("engines: [sqlite]\n");

        var (failing, output) = await RunAsync("lint", _dir);
        var (passing, _) = await RunAsync("lint", _dir, "--fail-on", "error");

        Assert.Multiple(() =>
        {
            Assert.That((failing, passing), Is.EqualTo((CliApp.ExpectationNotMet, CliApp.Success)));
            Assert.That(output, Does.Match(@"rollback\.sql:1: warning RV501 destructive-without-copy: DROP TABLE t .*\[.* on sqlite\]"));
            Assert.That(output, Does.Contain("1 finding in 1 rollback (1 at or above warning)"));
        });
    }

    [Test]
    public async Task Lint_of_a_safe_rollback_is_quiet_and_lists_disabled_rules_when_verbose()
    {
        Load("engines: [postgres]\nrules:\n  disable:\n    - code: RV512\n      reason: the deploy role sets lock_timeout\n");

        var (code, output) = await RunAsync("lint", _dir, "--verbose");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(CliApp.Success), output);
            Assert.That(output, Does.Contain("note: RV512 disabled: the deploy role sets lock_timeout").And.Contain("0 findings in 1 rollback"));
        });
    }

    [Test]
    public async Task Lint_reads_loose_files_with_an_engine()
    {
        var forward = Path.Combine(_dir, "forward.sql");
        var rollback = Path.Combine(_dir, "rollback.sql");
        File.WriteAllText(rollback, "BEGIN;\nDROP INDEX CONCURRENTLY t_a_idx;\nCOMMIT;\n");
        File.WriteAllText(forward, "CREATE INDEX CONCURRENTLY t_a_idx ON t (a);\n");

        var (code, output) = await RunAsync("lint", "--forward", forward, "--rollback", rollback, "--engine", "postgres", "--fail-on", "none");
        var (missingEngine, _) = await RunAsync("lint", "--forward", forward, "--rollback", rollback);
        var (missingFile, _) = await RunAsync("lint", "--forward", forward + ".nope", "--rollback", rollback, "--engine", "postgres");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(CliApp.Success));
            Assert.That(output, Does.Contain("RV507 concurrently-in-transaction"));
            Assert.That((missingEngine, missingFile), Is.EqualTo((CliApp.InvalidInput, CliApp.InvalidInput)));
        });
    }

    /// <summary>
    /// The CLI in-process: lint prints plain lines to stdout, captured here; the Spectre console and stderr are captured
    /// by <see cref="Cli.CliRun"/> and every writer is restored after, so later tests never write to a disposed one.
    /// </summary>
    private static async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        // The default Spectre console binds to Console.Out when first used: make it exist before stdout is redirected,
        // or CliRun would restore one that writes to this writer after it is disposed.
        _ = Spectre.Console.AnsiConsole.Console;
        var original = Console.Out;
        using var writer = new StringWriter();
        Console.SetOut(writer);
        try
        {
            var outcome = await Cli.CliRun.RunAsync(args);
            return (outcome.Code, writer + outcome.Output + outcome.Errors);
        }
        finally
        {
            Console.SetOut(original);
        }
    }
}
