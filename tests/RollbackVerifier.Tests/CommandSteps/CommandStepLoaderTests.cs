using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Tests.CommandSteps;

/// <summary>scenario.yml steps: and compare: keys, and their errors with file and line.</summary>
public sealed class CommandStepLoaderTests
{
    private string _dir = string.Empty;

    [SetUp]
    public void CreateFolder()
    {
        _dir = Path.Combine(Path.GetTempPath(), "rv-steps-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_dir, "app"));
        File.WriteAllText(Path.Combine(_dir, "baseline.sql"), "CREATE TABLE t (id INT);");
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    private void Yaml(string text) => File.WriteAllText(Path.Combine(_dir, "scenario.yml"), text);

    private string Manifest => Path.Combine(_dir, "scenario.yml");

    [Test]
    public void Shell_line_argv_list_and_options_are_parsed()
    {
        Yaml("""
            engines: [postgres, sqlite]
            steps:
              forward:
                command: dotnet ef database update AddNickname && echo "done"
                workdir: app
                env: { ASPNETCORE_ENVIRONMENT: Migration, EMPTY: }
                timeout: 90s
              rollback:
                command: [alembic, downgrade, "-1"]
            """);
        var scenario = ScenarioLoader.Load(_dir, null);
        var scripts = scenario.Scripts[EngineKind.Postgres];
        var forward = scripts.Forward.Command!;
        var rollback = scripts.Rollback.Command!;
        Assert.Multiple(() =>
        {
            Assert.That(scripts.Baseline!.Command, Is.Null, "the baseline stays a SQL file");
            Assert.That(forward.Shell, Is.True);
            Assert.That(forward.Arguments, Is.EqualTo(new[] { "dotnet ef database update AddNickname && echo \"done\"" }));
            Assert.That(forward.WorkingDirectory, Is.EqualTo(Path.Combine(_dir, "app")));
            Assert.That(forward.Environment, Is.EqualTo(new[] { KeyValuePair.Create("ASPNETCORE_ENVIRONMENT", "Migration"), KeyValuePair.Create("EMPTY", "") }));
            Assert.That(forward.Timeout, Is.EqualTo(TimeSpan.FromSeconds(90)));
            Assert.That(forward.Location, Is.EqualTo("scenario.yml:4"));
            Assert.That(scripts.Forward.Path, Is.EqualTo(Manifest));
            Assert.That(scripts.Forward.Text, Is.EqualTo(forward.Display));
            Assert.That(rollback.Shell, Is.False);
            Assert.That(rollback.Arguments, Is.EqualTo(new[] { "alembic", "downgrade", "-1" }));
            Assert.That(rollback.WorkingDirectory, Is.EqualTo(_dir), "the scenario folder by default");
            Assert.That(rollback.Timeout, Is.Null, "timeouts.step applies");
            Assert.That(rollback.Line, Is.EqualTo(9));
            Assert.That(scenario.Scripts[EngineKind.Sqlite].Rollback.Command, Is.EqualTo(rollback));
        });
    }

    [Test]
    public void Shell_false_splits_the_line_into_words_without_expanding()
    {
        Yaml("""
            engines: [sqlite]
            steps:
              forward: { command: python manage.py migrate shop 0003 }
              rollback:
                command: "tool --name 'two words' \"q\\\"d\" $HOME a\\ b"
                shell: false
            """);
        var rollback = ScenarioLoader.Load(_dir, null).Scripts[EngineKind.Sqlite].Rollback.Command!;
        Assert.That(rollback.Shell, Is.False);
        Assert.That(rollback.Arguments, Is.EqualTo(new[] { "tool", "--name", "two words", "q\"d", "$HOME", "a b" }));
        Assert.That(rollback.Display, Is.EqualTo("tool --name 'two words' 'q\"d' '$HOME' 'a b'"));
    }

    [Test]
    public void Per_engine_commands_leave_the_other_engines_their_sql_file_and_name_the_engines()
    {
        File.WriteAllText(Path.Combine(_dir, "forward.sql"), "ALTER TABLE t ADD c INT;");
        File.WriteAllText(Path.Combine(_dir, "rollback.sql"), "ALTER TABLE t DROP COLUMN c;");
        Yaml("""
            steps:
              rollback:
                postgres: { command: flyway undo }
                mysql:
                  command: [flyway, undo]
                  timeout: 1m
            """);
        var scenario = ScenarioLoader.Load(_dir, null);
        Assert.Multiple(() =>
        {
            Assert.That(scenario.Engines, Is.EqualTo(new[] { EngineKind.Postgres, EngineKind.MySql }), "engines named by per-engine steps");
            Assert.That(scenario.Scripts[EngineKind.Postgres].Rollback.Command!.Display, Is.EqualTo("flyway undo"));
            Assert.That(scenario.Scripts[EngineKind.MySql].Rollback.Command!.Timeout, Is.EqualTo(TimeSpan.FromMinutes(1)));
            Assert.That(scenario.Scripts[EngineKind.Postgres].Forward.Command, Is.Null);
        });

        var sqlite = ScenarioLoader.Load(_dir, EngineKind.Sqlite);
        Assert.That(sqlite.Engines, Is.Empty, "the scenario names postgres and mysql only");
    }

    [Test]
    public void Compare_ignore_tables_and_history_tables_are_parsed()
    {
        Yaml("""
            engines: [sqlite]
            steps: { forward: { command: x }, rollback: { command: y } }
            compare:
              ignore_tables:
                - table: audit_log
                  reason: rows are written by triggers on every statement
              history_tables: compare
            """);
        var compare = ScenarioLoader.Load(_dir, null).Compare;
        Assert.That(compare, Is.EqualTo(new CompareSettings([new IgnoredTableRule("audit_log", "rows are written by triggers on every statement")], false)));
        Yaml("engines: [sqlite]\nsteps: { forward: { command: x }, rollback: { command: y } }\n");
        Assert.That(ScenarioLoader.Load(_dir, null).Compare, Is.EqualTo(CompareSettings.Default));
        Assert.That(CompareSettings.Default.IgnoreHistoryTables, Is.True);
    }

    [TestCase("steps:\n  forward:\n    comand: x\n", 3, "unknown key 'steps.forward.comand' (did you mean 'steps.forward.command'?)")]
    [TestCase("steps:\n  forwards: { command: x }\n", 2, "unknown key 'steps.forwards' (did you mean 'steps.forward'?)")]
    [TestCase("steps:\n  forward: { workdir: app }\n", 2, "steps.forward needs a 'command'")]
    [TestCase("steps:\n  forward: alembic upgrade head\n", 2, "steps.forward must be a mapping")]
    [TestCase("steps:\n  forward:\n    command: []\n", 3, "steps.forward.command must name a program first")]
    [TestCase("steps:\n  forward:\n    command: \"\"\n", 3, "steps.forward.command must not be empty")]
    [TestCase("steps:\n  forward:\n    command: [a, b]\n    shell: true\n", 3, "shell: true takes the command as one line")]
    [TestCase("steps:\n  forward:\n    command: \"a 'b\"\n    shell: false\n", 3, "unterminated single quote")]
    [TestCase("steps:\n  forward:\n    command: x\n    shell: maybe\n", 4, "steps.forward.shell must be true or false")]
    [TestCase("steps:\n  forward:\n    command: x\n    workdir: ../no-such-folder\n", 4, "steps.forward.workdir: no such folder")]
    [TestCase("steps:\n  forward:\n    command: x\n    timeout: soon\n", 4, "steps.forward.timeout must be a positive duration")]
    [TestCase("steps:\n  forward:\n    command: x\n    env: { DATABASE_URL: postgres://prod }\n", 4, "env.DATABASE_URL: set by the harness")]
    [TestCase("steps:\n  forward:\n    command: x\n    env:\n      RV_ENGINE: mysql\n", 5, "env.RV_ENGINE: set by the harness")]
    [TestCase("steps:\n  forward:\n    command: x\n    env:\n      1BAD: x\n", 5, "not a valid environment variable name")]
    [TestCase("steps:\n  forward:\n    postgres: { command: x }\n    command: y\n", 3, "either one command")]
    [TestCase("steps:\n  forward:\n    oracle: { command: x }\n", 3, "unknown key 'steps.forward.oracle'")]
    [TestCase("compare:\n  ignore_tables:\n    - table: audit_log\n", 3, "ignored table audit_log needs a written 'reason'")]
    [TestCase("compare:\n  ignore_tables:\n    - audit_log\n", 3, "compare.ignore_tables item (a mapping with table and reason) must be a mapping")]
    [TestCase("compare:\n  history_tables: skip\n", 2, "compare.history_tables must be 'ignore' or 'compare'")]
    [TestCase("compare:\n  ignore-table: []\n", 2, "unknown key 'compare.ignore-table' (did you mean 'compare.ignore_tables'?)")]
    public void Invalid_step_or_compare_is_an_error_naming_file_and_line(string yaml, int line, string problem)
    {
        Yaml("engines: [sqlite]\n" + yaml);
        var ex = Assert.Throws<ScenarioDefinitionException>(() => ScenarioLoader.Load(_dir, null));
        Assert.That(ex!.Message, Does.Contain(problem));
        Assert.That(ex.Message, Does.StartWith(Manifest + ":" + (line + 1) + ":"), "line counted after the engines: line");
    }

    [Test]
    public void A_command_and_a_sql_file_for_the_same_step_is_an_error()
    {
        File.WriteAllText(Path.Combine(_dir, "forward.sql"), "ALTER TABLE t ADD c INT;");
        Yaml("engines: [sqlite]\nsteps:\n  forward:\n    command: alembic upgrade +1\n  rollback: { command: alembic downgrade -1 }\n");
        var ex = Assert.Throws<ScenarioDefinitionException>(() => ScenarioLoader.Load(_dir, null));
        Assert.That(ex!.Message, Does.StartWith(Manifest + ":4:").And.Contain("forward.sql is there too"));

        File.Delete(Path.Combine(_dir, "forward.sql"));
        Yaml("engines: [sqlite]\nfiles: { forward: up.sql }\nsteps:\n  forward: { command: a }\n  rollback: { command: b }\n");
        ex = Assert.Throws<ScenarioDefinitionException>(() => ScenarioLoader.Load(_dir, null));
        Assert.That(ex!.Message, Does.StartWith(Manifest + ":2:").And.Contain("files.forward names a script, but steps.forward runs a command"));
    }

    [Test]
    public void A_rollback_command_makes_rollback_sql_unnecessary()
    {
        File.WriteAllText(Path.Combine(_dir, "forward.sql"), "ALTER TABLE t ADD c INT;");
        Yaml("engines: [sqlite]\nsteps:\n  rollback: { command: \"dotnet ef database update Initial\" }\n");
        var scripts = ScenarioLoader.Load(_dir, null).Scripts[EngineKind.Sqlite];
        Assert.That(scripts.Forward.Command, Is.Null);
        Assert.That(scripts.Forward.Text, Is.EqualTo("ALTER TABLE t ADD c INT;"));
        Assert.That(scripts.Rollback.Command!.Display, Is.EqualTo("dotnet ef database update Initial"));
    }
}
