using System.Text;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Tests.Scenarios;

/// <summary>
/// The scenario loader on the checked-in folders under fixtures/scenarios-valid and fixtures/scenarios-invalid: parsed
/// values, and for every mistake an error naming the file and the exact line.
/// </summary>
public sealed class ScenarioFixtureTests
{
    private static string Valid(string name) => RepoFiles.Path("fixtures/scenarios-valid", name);

    private static string Invalid(string name) => RepoFiles.Path("fixtures/scenarios-invalid", name);

    // folder, file the error names, 1-based line (null: the error names a file, no line), what the message says
    [TestCase("unknown-key", "scenario.yml", 4, "unknown key 'seeds' (did you mean 'seed'?)")]
    [TestCase("unknown-nested-key", "scenario.yml", 5, "unknown key 'seed.live_rowz' (did you mean 'seed.live_rows'?)")]
    [TestCase("wrong-type", "scenario.yml", 5, "seed.rows must be an integer, got 'many'")]
    [TestCase("bad-engine", "scenario.yml", 4, "unknown engine 'oracle'; expected postgres, mysql or sqlite")]
    [TestCase("bad-code", "scenario.yml", 5, "unknown finding code 'RV999'")]
    [TestCase("bad-verdict", "scenario.yml", 4, "expect.verdict must be one of pass, fail, broken, nothing-tested; got 'great'")]
    [TestCase("negative-number", "scenario.yml", 6, "seed.tables.orders.live_rows must not be negative, got -5")]
    [TestCase("bad-duration", "scenario.yml", 5, "timeouts.statement must be a positive duration such as 90s, 5m or 30, got 'fast'")]
    [TestCase("missing-reason", "scenario.yml", 8, "accepted finding RV210 needs a written 'reason'")]
    [TestCase("bad-yaml", "scenario.yml", 3, "invalid YAML: the '[' opened on this line is not closed with ']'")]
    [TestCase("missing-forward", "forward.sql", null, "missing script for sqlite: expected forward.sqlite.sql or forward.sql")]
    public void Invalid_fixture_is_an_error_naming_file_and_line(string folder, string file, int? line, string problem)
    {
        var ex = Assert.Throws<ScenarioDefinitionException>(() => ScenarioLoader.Load(Invalid(folder), null))!;

        var path = Path.Combine(Invalid(folder), file);
        Assert.Multiple(() =>
        {
            Assert.That(ex.File, Is.EqualTo(path));
            Assert.That(ex.Line, Is.EqualTo(line));
            Assert.That(ex.Message, Does.StartWith(line is null ? $"{path}: {problem}" : $"{path}:{line}: {problem}"));
        });
    }

    [Test]
    public void Unknown_key_error_lists_the_allowed_keys()
    {
        var ex = Assert.Throws<ScenarioDefinitionException>(() => ScenarioLoader.Load(Invalid("unknown-key"), null))!;
        Assert.That(ex.Message, Does.EndWith("allowed: name, description, engines, files, seed, expect, timeouts, execution, isolation, analysis, steps, compare, rules"));
    }

    [Test]
    public void Folder_with_generic_scripts_only_needs_an_engine()
    {
        var ex = Assert.Throws<ScenarioDefinitionException>(() => ScenarioLoader.Load(Invalid("no-engine"), null))!;
        Assert.Multiple(() =>
        {
            Assert.That(ex.File, Is.EqualTo(Invalid("no-engine")));
            Assert.That(ex.Message, Does.Contain("no engine").And.Contain("engines:").And.Contain("--engine"));
        });
    }

    [Test]
    public void Missing_forward_is_not_an_error_when_only_the_engine_that_has_it_runs()
    {
        var scenario = ScenarioLoader.Load(Invalid("missing-forward"), EngineKind.Postgres);
        Assert.That(scenario.Scripts[EngineKind.Postgres].Forward.Path, Is.EqualTo(Path.Combine(Invalid("missing-forward"), "forward.postgres.sql")));
    }

    [Test]
    public void Minimal_folder_takes_the_engine_from_the_command_line_and_defaults()
    {
        var dir = Valid("minimal");
        var s = ScenarioLoader.Load(dir, EngineKind.Sqlite);

        Assert.Multiple(() =>
        {
            Assert.That(s.Name, Is.EqualTo("minimal"));
            Assert.That(s.Directory, Is.EqualTo(dir));
            Assert.That(s.Description, Is.Empty);
            Assert.That(s.Engines, Is.EqualTo(new[] { EngineKind.Sqlite }));
            Assert.That(s.Scripts.Keys, Is.EquivalentTo(new[] { EngineKind.Sqlite }));
            Assert.That(s.Scripts[EngineKind.Sqlite].Baseline, Is.Null);
            Assert.That(s.Scripts[EngineKind.Sqlite].Forward, Is.EqualTo(new ScriptSource(Path.Combine(dir, "forward.sql"), "ALTER TABLE customers ADD COLUMN nickname VARCHAR(40);\n")));
            Assert.That(s.Scripts[EngineKind.Sqlite].Rollback.Path, Is.EqualTo(Path.Combine(dir, "rollback.sql")));
            Assert.That(s.Seed, Is.SameAs(SeedSettings.Default));
            Assert.That(s.Expect, Is.SameAs(ScenarioExpectation.None));
            Assert.That(s.Timeouts, Is.EqualTo(ScenarioTimeouts.Default));
            Assert.That(s.Execution, Is.EqualTo(ExecutionSettings.Default));
            Assert.That(s.Isolation, Is.EqualTo(IsolationMode.Database));
        });
    }

    [Test]
    public void Full_manifest_is_parsed()
    {
        var dir = Valid("full");
        var s = ScenarioLoader.Load(dir, null);

        Assert.Multiple(() =>
        {
            Assert.That(s.Name, Is.EqualTo("full-manifest"));
            Assert.That(s.Description, Is.EqualTo("Every scenario.yml key, parsed."));
            Assert.That(s.Engines, Is.EqualTo(new[] { EngineKind.Postgres, EngineKind.MySql, EngineKind.Sqlite }));
            Assert.That(s.Seed.Seed, Is.EqualTo(42));
            Assert.That(s.Seed.Rows, Is.EqualTo(200));
            Assert.That(s.Seed.LiveRows, Is.EqualTo(20));
            Assert.That(s.Seed.Tables, Has.Count.EqualTo(2));
            Assert.That(s.Seed.Tables["audit_log"], Is.EqualTo(new TableSeedSettings(null, null, true)));
            Assert.That(s.Seed.Tables["public.orders"], Is.EqualTo(new TableSeedSettings(5, 0, false)));
            Assert.That(s.Expect.Verdict, Is.EqualTo(Verdict.Fail));
            Assert.That(s.Expect.Findings, Is.EqualTo(new[] { "RV304", "RV203" }));
            Assert.That(s.Expect.Accepted, Is.EqualTo(new[]
            {
                new AcceptedFinding("RV305", "customers.nickname", "nicknames are a beta feature; losing them on rollback is agreed with product."),
                new AcceptedFinding("RV224", null, "index names are not referenced anywhere."),
            }));
            Assert.That(s.Timeouts, Is.EqualTo(new ScenarioTimeouts(TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(30))));
            Assert.That(s.Execution, Is.EqualTo(new ExecutionSettings(ExecutionMode.Autocommit, ExecutionMode.Transaction, ExecutionMode.Transaction)));
            Assert.That(s.Isolation, Is.EqualTo(IsolationMode.Container));

            // An empty baseline.sql is a baseline with no statements, not a missing one.
            Assert.That(s.Scripts[EngineKind.Postgres].Baseline, Is.EqualTo(new ScriptSource(Path.Combine(dir, "baseline.sql"), string.Empty)));
            Assert.That(s.Scripts[EngineKind.MySql].Forward.Path, Is.EqualTo(Path.Combine(dir, "forward.mysql.sql")));
            Assert.That(s.Scripts[EngineKind.Postgres].Forward.Path, Is.EqualTo(Path.Combine(dir, "forward.sql")));
            Assert.That(s.Scripts[EngineKind.Sqlite].Forward.Path, Is.EqualTo(Path.Combine(dir, "forward.sql")));
        });
    }

    [Test]
    public void Per_engine_variants_infer_the_engines_and_override_generic_files()
    {
        var dir = Valid("per-engine");
        var s = ScenarioLoader.Load(dir, null);

        Assert.Multiple(() =>
        {
            Assert.That(s.Engines, Is.EqualTo(new[] { EngineKind.Postgres, EngineKind.MySql }));
            Assert.That(s.Scripts[EngineKind.Postgres].Baseline!.Path, Is.EqualTo(Path.Combine(dir, "baseline.postgres.sql")));
            Assert.That(s.Scripts[EngineKind.Postgres].Forward.Path, Is.EqualTo(Path.Combine(dir, "forward.postgres.sql")));
            Assert.That(s.Scripts[EngineKind.Postgres].Rollback.Path, Is.EqualTo(Path.Combine(dir, "rollback.sql")));
            Assert.That(s.Scripts[EngineKind.MySql].Baseline!.Path, Is.EqualTo(Path.Combine(dir, "baseline.mysql.sql")));
            Assert.That(s.Scripts[EngineKind.MySql].Forward.Text, Is.EqualTo("ALTER TABLE customers MODIFY email TEXT NOT NULL;\n"));
            Assert.That(s.Scripts[EngineKind.MySql].Rollback.Path, Is.EqualTo(Path.Combine(dir, "rollback.sql")));
        });
    }

    [TestCase("per-engine", EngineKind.MySql, new[] { EngineKind.MySql })]
    [TestCase("per-engine", EngineKind.Sqlite, new EngineKind[0])]
    [TestCase("full", EngineKind.Sqlite, new[] { EngineKind.Sqlite })]
    [TestCase("group/nested", EngineKind.Postgres, new EngineKind[0])]
    public void Command_line_engine_narrows_the_scenario_engines(string folder, EngineKind engine, EngineKind[] expected)
    {
        var s = ScenarioLoader.Load(Valid(folder), engine);
        Assert.Multiple(() =>
        {
            Assert.That(s.Engines, Is.EqualTo(expected));
            Assert.That(s.Scripts.Keys, Is.EquivalentTo(expected));
        });
    }

    [Test]
    public void Renamed_files_get_per_engine_variants_too()
    {
        var dir = Valid("renamed-files");
        var s = ScenarioLoader.Load(dir, null);

        Assert.Multiple(() =>
        {
            Assert.That(s.Engines, Is.EqualTo(new[] { EngineKind.Postgres, EngineKind.Sqlite }));
            Assert.That(s.Scripts[EngineKind.Postgres].Forward.Path, Is.EqualTo(Path.Combine(dir, "up.postgres.sql")));
            Assert.That(s.Scripts[EngineKind.Sqlite].Forward.Path, Is.EqualTo(Path.Combine(dir, "up.sql")));
            Assert.That(s.Scripts[EngineKind.Sqlite].Rollback.Path, Is.EqualTo(Path.Combine(dir, "down.sql")));
            Assert.That(s.Scripts[EngineKind.Sqlite].Baseline!.Path, Is.EqualTo(Path.Combine(dir, "schema", "before.sql")));
        });
    }

    [Test]
    public void Discover_searches_subfolders_in_ordinal_order_and_stops_at_a_scenario()
    {
        var found = ScenarioLoader.Discover([Valid(string.Empty)]);

        Assert.That(found, Is.EqualTo(new[]
        {
            Valid("full"),
            Valid("group/nested"),
            Valid("minimal"),
            Valid("per-engine"),
            Valid("renamed-files"),
        }));
    }

    [Test]
    public void Discover_takes_a_scenario_folder_or_one_of_its_files_once()
    {
        var found = ScenarioLoader.Discover([Valid("minimal"), Path.Combine(Valid("minimal"), "forward.sql"), Valid("full") + Path.DirectorySeparatorChar]);
        Assert.That(found, Is.EqualTo(new[] { Valid("minimal"), Valid("full") }));
    }

    [Test]
    public void Discover_rejects_a_missing_path_naming_it()
    {
        var missing = RepoFiles.Path("fixtures/no-such-folder");
        var ex = Assert.Throws<ScenarioDefinitionException>(() => ScenarioLoader.Discover([Valid("minimal"), missing]))!;
        Assert.That(ex.Message, Is.EqualTo($"{missing}: no such scenario folder"));
    }

    [Test]
    public void Discover_rejects_a_folder_without_scenarios_naming_it()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(Path.Combine(temp.Path, "empty", "deeper"));
        var ex = Assert.Throws<ScenarioDefinitionException>(() => ScenarioLoader.Discover([temp.Path]))!;
        Assert.That(ex.Message, Does.StartWith(temp.Path + ": no scenario found"));
    }

    [Test]
    public void Scripts_are_read_as_utf8_with_or_without_a_byte_order_mark()
    {
        using var temp = new TempFolder();
        const string Text = "INSERT INTO t VALUES ('Zoë', '東京');\n";
        File.WriteAllText(Path.Combine(temp.Path, "forward.sql"), Text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        File.WriteAllText(Path.Combine(temp.Path, "rollback.sql"), Text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

        var scripts = ScenarioLoader.Load(temp.Path, EngineKind.Sqlite).Scripts[EngineKind.Sqlite];
        Assert.Multiple(() =>
        {
            Assert.That(scripts.Forward.Text, Is.EqualTo(Text));
            Assert.That(scripts.Rollback.Text, Is.EqualTo(Text));
        });
    }

    [Test]
    public void Script_that_is_not_utf8_is_an_error_naming_the_line()
    {
        using var temp = new TempFolder();
        File.WriteAllText(Path.Combine(temp.Path, "forward.sql"), "SELECT 1;\n");
        File.WriteAllBytes(Path.Combine(temp.Path, "rollback.sql"), [.. "SELECT 1;\nSELECT 2;\nSELECT '"u8, 0xE9, .. "';\n"u8]);

        var ex = Assert.Throws<ScenarioDefinitionException>(() => ScenarioLoader.Load(temp.Path, EngineKind.Sqlite))!;
        Assert.That(ex.Message, Is.EqualTo(Path.Combine(temp.Path, "rollback.sql") + ":3: the file is not valid UTF-8; save it as UTF-8"));
    }

    // YAML mistakes YamlDotNet reports at the wrong place or at none; the loader still names the line.
    [TestCase("engines: [sqlite]\nseed:\n\trows: 3\n", 3, "invalid YAML: a tab is used for indentation; indent with spaces")]
    [TestCase("engines: [sqlite]\nname: &n x\ndescription: *m\n", 3, "invalid YAML: the alias *m refers to no anchor &m defined before it")]
    [TestCase("engines: [sqlite]\nexpect: { verdict: pass\nname: x\n", 2, "invalid YAML: the '{' opened on this line is not closed with '}'")]
    [TestCase("engines: [sqlite]\nexpect: {verdict: pass\n", 2, "invalid YAML: the '{' opened on this line is not closed with '}'")]
    [TestCase("expect: {\n  verdict: pass\n  findings: [RV101]\n}\n", 3, "invalid YAML: While parsing a flow mapping, did not find expected ',' or '}'.")]
    [TestCase("engines: [sqlite]\nname: a: b\n", 2, "invalid YAML: While scanning a plain scalar value, found invalid mapping.")]
    [TestCase("engines: [sqlite]\n---\nname: second\n", 3, "scenario.yml must hold a single YAML document")]
    [TestCase("engines: [sqlite]\nname:\n", 2, "name must not be empty")]
    [TestCase("engines: [sqlite]\nfiles: { forward: /tmp/up.sql }\n", 2, "files.forward must be a path relative to the scenario folder, got '/tmp/up.sql'")]
    [TestCase("engines: [sqlite]\nexpect:\n  accepted:\n    - code: RV305\n      reason: \"  \"\n", 4, "accepted finding RV305 needs a written 'reason'")]
    [TestCase("engines: [sqlite]\nisolation: server\n", 2, "isolation must be 'database' or 'container', got 'server'")]
    [TestCase("engines: [sqlite]\nexecution: batch\n", 2, "execution must be 'autocommit' or 'transaction', got 'batch'")]
    [TestCase("- sqlite\n", 1, "the document must be a mapping")]
    public void Manifest_mistake_names_the_line(string yaml, int line, string problem)
    {
        using var temp = new TempFolder();
        File.WriteAllText(Path.Combine(temp.Path, "forward.sql"), "SELECT 1;\n");
        File.WriteAllText(Path.Combine(temp.Path, "rollback.sql"), "SELECT 1;\n");
        File.WriteAllText(Path.Combine(temp.Path, "scenario.yml"), yaml);

        var ex = Assert.Throws<ScenarioDefinitionException>(() => ScenarioLoader.Load(temp.Path, null))!;
        Assert.That(ex.Message, Is.EqualTo($"{Path.Combine(temp.Path, "scenario.yml")}:{line}: {problem}"));
    }

    [TestCase("execution: transaction\n", ExecutionMode.Transaction, ExecutionMode.Transaction, ExecutionMode.Transaction)]
    [TestCase("execution: { rollback: transaction }\n", ExecutionMode.Autocommit, ExecutionMode.Autocommit, ExecutionMode.Transaction)]
    public void Execution_is_one_mode_or_one_per_phase(string yaml, ExecutionMode baseline, ExecutionMode forward, ExecutionMode rollback)
    {
        using var temp = new TempFolder();
        File.WriteAllText(Path.Combine(temp.Path, "forward.sql"), "SELECT 1;\n");
        File.WriteAllText(Path.Combine(temp.Path, "rollback.sql"), "SELECT 1;\n");
        File.WriteAllText(Path.Combine(temp.Path, "scenario.yml"), "engines: sqlite\ntimeouts: { step: 1.5m, statement: 250ms }\n" + yaml);

        var s = ScenarioLoader.Load(temp.Path, null);
        Assert.Multiple(() =>
        {
            Assert.That(s.Engines, Is.EqualTo(new[] { EngineKind.Sqlite }));
            Assert.That(s.Execution, Is.EqualTo(new ExecutionSettings(baseline, forward, rollback)));
            Assert.That(s.Timeouts, Is.EqualTo(new ScenarioTimeouts(TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(250))));
        });
    }

    /// <summary>A throwaway folder under the system temp folder, removed on dispose.</summary>
    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rv-scenario-" + Guid.NewGuid().ToString("N"))).FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
