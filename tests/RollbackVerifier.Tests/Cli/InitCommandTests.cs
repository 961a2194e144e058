using RollbackVerifier.Cli;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Tests.Cli;

/// <summary>init: a scenario folder from a forward and a rollback script, checked before the user is told what to run.</summary>
[NonParallelizable]
public sealed class InitCommandTests
{
    private string _work = string.Empty;

    [SetUp]
    public void CreateWork() => _work = CliRun.TempFolder("rv-init-");

    [TearDown]
    public void DeleteWork() => CliRun.Delete(_work);

    private string Script(string name, string text)
    {
        var path = Path.Combine(_work, "migrations", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private (string Baseline, string Forward, string Rollback) Scripts() => (
        Script("V1__baseline.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);"),
        Script("V2__drop_a.sql", "ALTER TABLE t DROP COLUMN a;"),
        Script("U2__drop_a.sql", "ALTER TABLE t ADD COLUMN a TEXT;"));

    [Test]
    public async Task A_scaffolded_scenario_loads_splits_and_runs_with_the_command_it_prints()
    {
        var (baseline, forward, rollback) = Scripts();
        var folder = Path.Combine(_work, "scenarios", "drop-a");

        var init = await CliRun.RunAsync("init", folder, "--forward", forward, "--rollback", rollback, "--baseline", baseline, "--engine", "sqlite", "--name", "drop column a", "--description", "Drops a: \"the rollback\" re-adds it empty.");

        Assert.That(init.Code, Is.EqualTo(CliApp.Success), init.Output + init.Errors);
        Assert.That(File.ReadAllText(Path.Combine(folder, "forward.sql")), Is.EqualTo(File.ReadAllText(forward)));
        Assert.That(File.ReadAllText(Path.Combine(folder, "rollback.sql")), Is.EqualTo(File.ReadAllText(rollback)));
        Assert.That(File.ReadAllText(Path.Combine(folder, "baseline.sql")), Is.EqualTo(File.ReadAllText(baseline)));
        var scenario = ScenarioLoader.Load(folder, null);
        Assert.That((scenario.Name, scenario.Description, scenario.Engines), Is.EqualTo(("drop column a", "Drops a: \"the rollback\" re-adds it empty.", (IReadOnlyList<EngineKind>)[EngineKind.Sqlite])).Using<(string, string, IReadOnlyList<EngineKind>)>((x, y) => x.Item1 == y.Item1 && x.Item2 == y.Item2 && x.Item3.SequenceEqual(y.Item3)));
        Assert.That(init.Output, Does.Contain("ok    sqlite: baseline 1 statement, forward 1 statement, rollback 1 statement"));
        Assert.That(File.ReadAllText(Path.Combine(folder, "scenario.yml")), Does.Contain("# ").And.Contain("accepted:"), "commented examples for the other keys");

        var next = init.Output.Split('\n').Single(l => l.TrimStart().StartsWith("rollback-verifier verify", StringComparison.Ordinal)).Trim();
        var verify = await CliRun.RunAsync([.. next.Split(' ').Skip(1).Select(a => Path.IsPathRooted(a) || !a.Contains('/', StringComparison.Ordinal) ? a : Path.GetFullPath(a)), "--progress", "none"]);
        Assert.That(verify.Code, Is.EqualTo(CliApp.ExpectationNotMet), "the re-added column is empty, so the scenario (expecting pass) fails: " + verify.Output);
        Assert.That(verify.Output, Does.Contain("RV304"));
    }

    [Test]
    public async Task An_existing_folder_with_files_is_kept_unless_force_is_given()
    {
        var (_, forward, rollback) = Scripts();
        var folder = Path.Combine(_work, "existing");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "forward.sql"), "-- mine");

        var refused = await CliRun.RunAsync("init", folder, "--forward", forward, "--rollback", rollback, "--engine", "sqlite");
        Assert.That(refused.Code, Is.EqualTo(CliApp.InvalidInput));
        Assert.That(refused.Errors, Does.Contain("already exists and is not empty").And.Contain("--force"));
        Assert.That(File.ReadAllText(Path.Combine(folder, "forward.sql")), Is.EqualTo("-- mine"), "nothing overwritten");

        var forced = await CliRun.RunAsync("init", folder, "--forward", forward, "--rollback", rollback, "--engine", "sqlite", "--force");
        Assert.That(forced.Code, Is.EqualTo(CliApp.Success), forced.Errors);
        Assert.That(File.ReadAllText(Path.Combine(folder, "forward.sql")), Is.EqualTo(File.ReadAllText(forward)));
    }

    [Test]
    public async Task A_script_that_does_not_split_exits_2_naming_the_file_and_line()
    {
        var forward = Script("bad.sql", "ALTER TABLE t ADD COLUMN b TEXT;\nUPDATE t SET b = 'unterminated;\n");
        var rollback = Script("undo.sql", "ALTER TABLE t DROP COLUMN b;");
        var folder = Path.Combine(_work, "bad");

        var run = await CliRun.RunAsync("init", folder, "--forward", forward, "--rollback", rollback, "--engine", "postgres");

        Assert.That(run.Code, Is.EqualTo(CliApp.InvalidInput));
        Assert.That(run.Errors, Does.Contain(Path.Combine(folder, "forward.sql") + ":2:").And.Contain("unterminated"));
    }

    [Test]
    public async Task Without_an_engine_the_scenario_names_none_and_the_next_command_passes_one()
    {
        var (baseline, forward, rollback) = Scripts();
        var folder = Path.Combine(_work, "neutral");

        var run = await CliRun.RunAsync("init", folder, "--forward", forward, "--rollback", rollback, "--baseline", baseline);

        Assert.That(run.Code, Is.EqualTo(CliApp.Success), run.Errors);
        Assert.That(run.Output, Does.Contain("--engine postgres"));
        Assert.That(() => ScenarioLoader.Load(folder, null), Throws.InstanceOf<ScenarioDefinitionException>().With.Message.Contains("no engine"));
        Assert.That(ScenarioLoader.Load(folder, EngineKind.MySql).Engines, Is.EqualTo(new[] { EngineKind.MySql }));
    }

    [TestCase("--forward", "missing.sql")]
    [TestCase("--rollback", "missing.sql")]
    public async Task A_missing_script_exits_2_naming_it(string option, string file)
    {
        var (_, forward, rollback) = Scripts();
        string[] args = option == "--forward" ? ["--forward", file, "--rollback", rollback] : ["--forward", forward, "--rollback", file];

        var run = await CliRun.RunAsync(["init", Path.Combine(_work, "x"), .. args, "--engine", "sqlite"]);

        Assert.That(run.Code, Is.EqualTo(CliApp.InvalidInput));
        Assert.That(run.Errors, Does.Contain($"{option} {file}: no such file"));
        Assert.That(Path.Combine(_work, "x"), Does.Not.Exist, "nothing written");
    }

    [Test]
    public async Task Forward_and_rollback_are_both_required()
    {
        var run = await CliRun.RunAsync("init", Path.Combine(_work, "x"), "--forward", "f.sql");
        Assert.That(run.Code, Is.EqualTo(CliApp.InvalidInput));
        Assert.That(run.Errors, Does.Contain("--rollback"));
    }

    [Test]
    public void Every_commented_example_in_the_template_loads_when_uncommented()
    {
        var folder = Path.Combine(_work, "examples");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "forward.sql"), "SELECT 1;");
        File.WriteAllText(Path.Combine(folder, "rollback.sql"), "SELECT 1;");
        File.WriteAllText(Path.Combine(folder, "scenario.yml"), ScenarioTemplate.Render(null, null, [], hasBaseline: false, examples: true));

        var scenario = ScenarioLoader.Load(folder, null);

        Assert.That(scenario.Name, Is.EqualTo("my-scenario"));
        Assert.That(scenario.Engines, Is.EqualTo(new[] { EngineKind.Postgres }));
        Assert.That(scenario.Seed.Tables.Keys, Is.EquivalentTo(new[] { "audit_log", "customers" }));
        Assert.That(scenario.Expect.Accepted.Single().Code, Is.EqualTo("RV305"));
        Assert.That(scenario.Timeouts.Step, Is.EqualTo(TimeSpan.FromMinutes(5)));
    }

    [TestCase("plain name", "plain name")]
    [TestCase("yes", "\"yes\"")]
    [TestCase("12", "\"12\"")]
    [TestCase("a: b", "\"a: b\"")]
    [TestCase("- item", "\"- item\"")]
    [TestCase("café \"quoted\"", "\"café \\\"quoted\\\"\"")]
    public void Names_and_descriptions_are_written_as_yaml_that_reads_back_the_same(string text, string yaml)
    {
        Assert.That(ScenarioTemplate.Scalar(text), Is.EqualTo(yaml));
        var folder = Path.Combine(_work, "scalar");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "forward.sql"), "SELECT 1;");
        File.WriteAllText(Path.Combine(folder, "rollback.sql"), "SELECT 1;");
        File.WriteAllText(Path.Combine(folder, "scenario.yml"), ScenarioTemplate.Render(text, text, [EngineKind.Sqlite], hasBaseline: false));
        var scenario = ScenarioLoader.Load(folder, null);
        Assert.That((scenario.Name, scenario.Description), Is.EqualTo((text, text)));
    }
}
