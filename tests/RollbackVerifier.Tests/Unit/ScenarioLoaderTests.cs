using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Tests.Unit;

public sealed class ScenarioLoaderTests
{
    private string _dir = string.Empty;

    [SetUp]
    public void CreateFolder()
    {
        _dir = Path.Combine(Path.GetTempPath(), "rv-loader-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "forward.sql"), "ALTER TABLE t ADD c INT;");
        File.WriteAllText(Path.Combine(_dir, "rollback.sql"), "ALTER TABLE t DROP COLUMN c;");
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    private void Yaml(string text) => File.WriteAllText(Path.Combine(_dir, "scenario.yml"), text);

    [Test]
    public void Folder_without_manifest_needs_an_engine_from_the_command_line()
    {
        var ex = Assert.Throws<ScenarioDefinitionException>(() => ScenarioLoader.Load(_dir, null));
        Assert.That(ex!.Message, Does.Contain("--engine"));
        var scenario = ScenarioLoader.Load(_dir, EngineKind.Sqlite);
        Assert.That(scenario.Engines, Is.EqualTo(new[] { EngineKind.Sqlite }));
        Assert.That(scenario.Scripts[EngineKind.Sqlite].Baseline, Is.Null);
    }

    [Test]
    public void Full_manifest_is_parsed()
    {
        Yaml("""
            name: my scenario
            engines: [postgres, sqlite]
            seed: { seed: 7, rows: 20, live-rows: 3, tables: { audit: { exclude: true, rows: 2 } } }
            expect:
              verdict: nothing-tested
              findings: [RV203, column-extra]
              accepted:
                - code: RV305
                  object: t.c
                  reason: agreed with product
            timeouts: { step: 90s, statement: 2m }
            execution: { rollback: transaction }
            isolation: container
            """);
        var s = ScenarioLoader.Load(_dir, null);
        Assert.Multiple(() =>
        {
            Assert.That(s.Name, Is.EqualTo("my scenario"));
            Assert.That(s.Engines, Is.EqualTo(new[] { EngineKind.Postgres, EngineKind.Sqlite }));
            Assert.That(s.Seed.Seed, Is.EqualTo(7));
            Assert.That(s.Seed.LiveRows, Is.EqualTo(3));
            Assert.That(s.Seed.Tables["audit"], Is.EqualTo(new TableSeedSettings(2, null, true)));
            Assert.That(s.Expect.Verdict, Is.EqualTo(Verdict.NothingTested));
            Assert.That(s.Expect.Findings, Is.EqualTo(new[] { "RV203", "RV204" }));
            Assert.That(s.Expect.Accepted.Single(), Is.EqualTo(new AcceptedFinding("RV305", "t.c", "agreed with product")));
            Assert.That(s.Timeouts, Is.EqualTo(new ScenarioTimeouts(TimeSpan.FromSeconds(90), TimeSpan.FromMinutes(2))));
            Assert.That(s.Execution.Rollback, Is.EqualTo(ExecutionMode.Transaction));
            Assert.That(s.Execution.Forward, Is.EqualTo(ExecutionMode.Autocommit));
            Assert.That(s.Isolation, Is.EqualTo(IsolationMode.Container));
        });
    }

    [TestCase("engines: [postgres]\nseeds: {}\n", 2, "unknown key 'seeds' (did you mean 'seed'?)")]
    [TestCase("engines: [postgres]\nseed:\n  rows: many\n", 3, "seed.rows must be an integer, got 'many'")]
    [TestCase("engines: [postgres, oracle]\n", 1, "unknown engine 'oracle'")]
    [TestCase("engines: [sqlite]\nexpect:\n  findings: [RV999]\n", 3, "unknown finding code 'RV999'")]
    [TestCase("engines: [sqlite]\nexpect:\n  accepted:\n    - code: RV305\n", 4, "needs a written 'reason'")]
    [TestCase("engines: [sqlite]\nexpect: { verdict: great }\n", 2, "expect.verdict must be one of")]
    [TestCase("engines: [sqlite]\nseed: { rows: -1 }\n", 2, "must not be negative")]
    [TestCase("engines: [sqlite]\nname: a: b\n", 2, "invalid YAML")]
    [TestCase("engines: [sqlite]\nseed:\n  tables:\n    t:\n      columns:\n        c: { dataset: internet.nope }\n", 6, "seed.tables.t.columns.c.dataset: Bogus dataset 'Internet' has no method 'nope'")]
    [TestCase("engines: [sqlite]\nseed:\n  tables:\n    t:\n      columns:\n        c: { value: 1, values: [2] }\n", 6, "give only one of value, values, range, dataset")]
    [TestCase("engines: [sqlite]\nseed:\n  tables:\n    t:\n      columns:\n        c:\n          range: [1]\n", 7, "must be a list of two bounds")]
    [TestCase("engines: [sqlite]\nseed:\n  tables:\n    t:\n      columns:\n        c:\n          nulls: 2\n", 7, "share between 0 and 1")]
    [TestCase("engines: [sqlite]\nseed:\n  attacks: [length, typo]\n", 3, "unknown attack kind 'typo'")]
    public void Invalid_manifest_is_an_error_naming_file_and_line(string yaml, int line, string problem)
    {
        Yaml(yaml);
        var ex = Assert.Throws<ScenarioDefinitionException>(() => ScenarioLoader.Load(_dir, null));
        Assert.That(ex!.Message, Does.Contain(problem));
        Assert.That(ex.Message, Does.StartWith(Path.Combine(_dir, "scenario.yml") + ":" + line + ":"));
    }

    [Test]
    public void Column_overrides_and_attack_kinds_are_parsed()
    {
        Yaml("""
            engines: [sqlite]
            seed:
              rows: 10
              attacks: [length, null]
              tables:
                customers:
                  columns:
                    tier: { values: [gold, silver, ~] }
                    email: { dataset: internet.email, nulls: 0.25 }
                    score: { range: [1, 5] }
                    region: { value: null }
            """);
        var seed = ScenarioLoader.Load(_dir, null).Seed;
        var columns = seed.Tables["customers"].Columns;
        Assert.Multiple(() =>
        {
            Assert.That(seed.Attacks, Is.EqualTo(new[] { "length", "null" }));
            Assert.That(columns["tier"].Values, Is.EqualTo(new[] { "gold", "silver", null }));
            Assert.That((columns["email"].Dataset, columns["email"].Nulls), Is.EqualTo(("internet.email", (double?)0.25)));
            Assert.That(columns["score"].Range, Is.EqualTo(("1", "5")));
            Assert.That((columns["region"].HasValue, columns["region"].Value), Is.EqualTo((true, (string?)null)));
            Assert.That(columns["tier"].Location, Is.EqualTo("scenario.yml:8"));
        });
    }

    [Test]
    public void Unclosed_flow_list_is_an_invalid_yaml_error_naming_the_file()
    {
        Yaml("engines: [sqlite\nname: x\n");
        var ex = Assert.Throws<ScenarioDefinitionException>(() => ScenarioLoader.Load(_dir, null));
        Assert.That(ex!.Message, Does.StartWith(Path.Combine(_dir, "scenario.yml")).And.Contain("invalid YAML"));
    }

    [Test]
    public void Missing_rollback_names_the_expected_files()
    {
        File.Delete(Path.Combine(_dir, "rollback.sql"));
        var ex = Assert.Throws<ScenarioDefinitionException>(() => ScenarioLoader.Load(_dir, EngineKind.Postgres));
        Assert.That(ex!.Message, Does.Contain("rollback.postgres.sql").And.Contain("rollback.sql"));
    }

    [Test]
    public void Per_engine_variants_override_and_infer_engines()
    {
        File.Delete(Path.Combine(_dir, "forward.sql"));
        File.WriteAllText(Path.Combine(_dir, "forward.mysql.sql"), "ALTER TABLE t ADD c INT;");
        var s = ScenarioLoader.Load(_dir, null);
        Assert.That(s.Engines, Is.EqualTo(new[] { EngineKind.MySql }));
        Assert.That(s.Scripts[EngineKind.MySql].Forward.Path, Does.EndWith("forward.mysql.sql"));
        Assert.That(s.Scripts[EngineKind.MySql].Rollback.Path, Does.EndWith("rollback.sql"));
    }

    [Test]
    public void Discover_finds_nested_scenarios_and_rejects_missing_paths()
    {
        var parent = Path.GetDirectoryName(_dir)!;
        Assert.That(ScenarioLoader.Discover([_dir]), Is.EqualTo(new[] { _dir }));
        Assert.Throws<ScenarioDefinitionException>(() => ScenarioLoader.Discover([Path.Combine(parent, "no-such-" + Guid.NewGuid())]));
    }
}
