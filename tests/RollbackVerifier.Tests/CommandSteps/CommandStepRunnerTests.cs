using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Commands;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;
using RollbackVerifier.Tests.Support;

namespace RollbackVerifier.Tests.CommandSteps;

/// <summary>
/// Running one command step against a SQLite database: exit codes, output order, argv without a shell, programs that
/// cannot start, timeouts and cancellation that stop the whole process tree, leftovers, secrets, and SQLite locking.
/// </summary>
[TestFixture]
[NonParallelizable]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class CommandStepRunnerTests
{
    private static readonly ScenarioTimeouts Timeouts = new(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30));
    private readonly List<int> _spawned = [];
    private string _dir = string.Empty;
    private IDatabaseInstance _db = null!;

    [SetUp]
    public async Task CreateDatabase()
    {
        if (!ProcessTree.CanFindLeftovers)
        {
            Assert.Ignore("these tests drive /bin/sh and read /proc (Linux)");
        }

        _dir = Path.Combine(Path.GetTempPath(), "rv-cmd-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _db = await TestEngines.Get(EngineKind.Sqlite).CreateDatabaseAsync(new DatabaseRequest("command-steps", IsolationMode.Database), CancellationToken.None);
    }

    [TearDown]
    public async Task DropDatabase()
    {
        // When a test fails, what it started must still not outlive it (by process id, nothing else).
        foreach (var pid in _spawned.Where(Processes.IsAlive))
        {
            ProcessTree.TryKill(pid, entireTree: true);
        }

        _spawned.Clear();
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }

        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private CommandStep Shell(string line, TimeSpan? timeout = null, params (string, string)[] env) =>
        new([line], true, _dir, env.Select(e => KeyValuePair.Create(e.Item1, e.Item2)).ToValueList(), timeout, Path.Combine(_dir, "scenario.yml"), 12);

    private CommandStep Argv(params string[] argv) =>
        new(argv.ToValueList(), false, _dir, ValueList<KeyValuePair<string, string>>.Empty, null, Path.Combine(_dir, "scenario.yml"), 12);

    private Task<ScriptOutcome> Run(CommandStep step, CancellationToken cancellationToken = default, IDatabaseInstance? db = null) =>
        CommandStepRunner.RunAsync(db ?? _db, Phase.Rollback, step, Timeouts, cancellationToken);

    [Test]
    public async Task Exit_zero_succeeds_and_stdout_and_stderr_keep_their_order()
    {
        var outcome = await Run(Shell("echo one; echo two >&2; echo three; echo four >&2"));
        Assert.That(outcome.Succeeded, Is.True);
        Assert.That(outcome.Command!.ExitCode, Is.EqualTo(0));
        Assert.That(outcome.Command.Output, Is.EqualTo("one\ntwo\nthree\nfour\n"));
        Assert.That((outcome.Command.Phase, outcome.Command.Location, outcome.Command.Shell), Is.EqualTo((Phase.Rollback, "scenario.yml:12", true)));
    }

    [Test]
    public async Task Non_zero_exit_is_a_failed_step_with_the_error_line()
    {
        var outcome = await Run(Shell("echo applying; echo 'ERROR: relation \"archive\" does not exist' >&2; echo '   ^'; exit 7"));
        Assert.That(outcome.Succeeded, Is.False);
        Assert.That(outcome.TimedOut, Is.False);
        Assert.That(outcome.Command!.ExitCode, Is.EqualTo(7));
        Assert.That(outcome.Failure!.ErrorCode, Is.EqualTo("exit 7"));
        Assert.That(outcome.Failure.ErrorMessage, Is.EqualTo("ERROR: relation \"archive\" does not exist"));
        Assert.That((outcome.Failure.File, outcome.Failure.Line, outcome.Committed), Is.EqualTo((Path.Combine(_dir, "scenario.yml"), 12, 0)));
    }

    [Test]
    public async Task Argv_form_passes_arguments_verbatim_without_a_shell()
    {
        var outcome = await Run(Argv("printf", "%s|", "$HOME", "a b", "*", "; echo injected"));
        Assert.That(outcome.Command!.Output, Is.EqualTo("$HOME|a b|*|; echo injected|\n"));
    }

    [Test]
    public async Task A_relative_program_is_found_from_the_working_directory()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "bin"));
        var tool = Path.Combine(_dir, "bin", "tool.sh");
        await File.WriteAllTextAsync(tool, "#!/bin/sh\necho \"tool in $(pwd) for $RV_PHASE\"\n");
        File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var outcome = await Run(Argv("bin/tool.sh"));
        Assert.That(outcome.Command!.Output, Is.EqualTo($"tool in {_dir} for rollback\n"));
    }

    [Test]
    public void A_program_that_is_not_on_path_cannot_start_and_names_the_line()
    {
        var ex = Assert.ThrowsAsync<ScenarioDefinitionException>(() => Run(Argv("rv-no-such-tool", "downgrade")));
        Assert.That(ex!.Message, Does.StartWith(Path.Combine(_dir, "scenario.yml") + ":12:").And.Contain("'rv-no-such-tool' was not found on PATH"));
    }

    [Test]
    public async Task A_file_without_execute_permission_cannot_start()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "migrate.sh"), "echo hi\n");
        var ex = Assert.ThrowsAsync<ScenarioDefinitionException>(() => Run(Argv("./migrate.sh")));
        Assert.That(ex!.Message, Does.Contain("is not executable").And.Contain("[sh, migrate.sh]"));
    }

    [Test]
    public void A_shell_line_whose_program_is_missing_cannot_start()
    {
        var ex = Assert.ThrowsAsync<ScenarioDefinitionException>(() => Run(Shell("rv-no-such-tool downgrade -1")));
        Assert.That(ex!.Message, Does.StartWith(Path.Combine(_dir, "scenario.yml") + ":12:").And.Contain("exited with 127 (command not found)").And.Contain("rv-no-such-tool"));
    }

    [Test]
    public async Task Timeout_stops_the_command_its_child_and_a_daemon_it_started()
    {
        // The subshell exits at once, so the daemon is re-parented and outside the command's process tree.
        var outcome = await Run(Shell("sleep 300 & echo \"child $!\"; (setsid sleep 301 & echo \"daemon $!\"); wait", TimeSpan.FromSeconds(2)));
        var pids = Pids(outcome.Command!.Output);
        Assert.That(pids, Has.Count.EqualTo(2), outcome.Command.Output);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.TimedOut, Is.True);
            Assert.That(outcome.Failure!.ErrorCode, Is.EqualTo("timeout"));
            Assert.That(outcome.Command.ExitCode, Is.Null);
            Assert.That(outcome.Command.Output, Does.Contain("timed out after 2s"));
            Assert.That(pids.Where(Processes.IsAlive), Is.Empty, "no process of the step survives the timeout");
        });
    }

    [Test]
    public async Task Cancellation_stops_the_command_and_its_children_before_it_propagates()
    {
        var marker = Path.Combine(_dir, "pids");
        using var cancel = new CancellationTokenSource();
        var run = Run(Shell($"sleep 300 & echo $! > {marker}; (setsid sleep 301 & echo $! >> {marker}); wait"), cancel.Token);
        for (var i = 0; i < 100 && (!File.Exists(marker) || File.ReadAllLines(marker).Length < 2); i++)
        {
            await Task.Delay(100);
        }

        var pids = File.ReadAllLines(marker).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToList();
        _spawned.AddRange(pids);
        Assert.That(pids.All(Processes.IsAlive), Is.True, "both running before the cancellation");
        await cancel.CancelAsync();
        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(pids.Where(Processes.IsAlive), Is.Empty, "Ctrl-C leaves no process of the step running");
    }

    [Test]
    public async Task A_background_process_holding_the_output_open_does_not_keep_the_step_until_its_timeout()
    {
        var outcome = await Run(Shell("sleep 300 & echo \"child $!\"; echo migrated", TimeSpan.FromSeconds(30)));
        var pids = Pids(outcome.Command!.Output);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Succeeded, Is.True, outcome.Command.Output);
            Assert.That(outcome.TimedOut, Is.False);
            Assert.That(outcome.Command.Output, Does.Contain("kept its output open; stopped them"));
            Assert.That(pids.Where(Processes.IsAlive), Is.Empty);
        });
    }

    [Test]
    public async Task A_process_left_running_after_the_command_exits_is_stopped()
    {
        var outcome = await Run(Shell("sleep 300 >/dev/null 2>&1 & echo \"child $!\""));
        var pids = Pids(outcome.Command!.Output);
        Assert.That(outcome.Succeeded, Is.True);
        Assert.That(outcome.Command.Output, Does.Contain("stopped 1 process the command left running"));
        Assert.That(pids.Where(Processes.IsAlive), Is.Empty);
    }

    [Test]
    public async Task The_password_reaches_the_command_only_through_its_environment_and_never_its_output()
    {
        const string password = "Zq8-secret-Vb3x";
        var db = new WithPassword(_db, password);
        var step = Shell("echo \"pw=$RV_DB_PASSWORD url=$DATABASE_URL len=${#RV_DB_PASSWORD}\"; echo \"$RV_DB_PASSWORD\" >&2; exit 2");
        var outcome = await Run(step, db: db);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Command!.Output, Does.Not.Contain(password));
            Assert.That(outcome.Command.Output, Does.Contain("pw=[redacted]").And.Contain($"len={password.Length}"), "the command saw the password");
            Assert.That(outcome.Failure!.ErrorMessage, Does.Not.Contain(password));
            Assert.That(outcome.Command.Command, Does.Not.Contain(password));
        });

        var shown = await Run(Shell($"echo 'the line itself names {password}'"), db: db);
        Assert.That(shown.Command!.Command, Is.EqualTo($"echo 'the line itself names {Redaction.Mask}'"), "the command line shown is redacted too");
    }

    [Test]
    public async Task Working_directory_and_scenario_env_reach_the_command()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "app"));
        var step = Shell("pwd; echo \"$ASPNETCORE_ENVIRONMENT $ConnectionStrings__AppDb\"", null, ("ASPNETCORE_ENVIRONMENT", "Migration"), ("ConnectionStrings__AppDb", "${RV_CONNECTION_STRING};Cache=Shared")) with
        {
            WorkingDirectory = Path.Combine(_dir, "app"),
        };
        var outcome = await Run(step);
        Assert.That(outcome.Command!.Output, Is.EqualTo($"{Path.Combine(_dir, "app")}\nMigration {_db.ConnectionDetails!.ConnectionString};Cache=Shared\n"));
    }

    [Test]
    public async Task An_external_sqlite_writer_is_not_blocked_by_the_harness_in_rollback_journal_or_wal_mode([Values("delete", "wal")] string journal)
    {
        ClientRequirement.Ensure("python3");
        var connection = await _db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            await Execute(connection, $"PRAGMA journal_mode = {journal}; CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO items VALUES (1, 'harness');");
        }

        // The harness has written and read the file; the command gets the write lock at once (busy timeout 0) or fails.
        _ = await _db.InspectSchemaAsync(CancellationToken.None);
        var script = Path.Combine(_dir, "write.py");
        await File.WriteAllTextAsync(script, """
            import os, sqlite3
            db = sqlite3.connect(os.environ["RV_DB_PATH"], timeout=0, isolation_level=None)
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO items VALUES (2, 'command')")
            db.execute("COMMIT")
            print(db.execute("PRAGMA journal_mode").fetchone()[0])
            """);
        var outcome = await Run(Argv("python3", script));
        Assert.That(outcome.Succeeded, Is.True, outcome.Command!.Output);
        Assert.That(outcome.Command.Output, Is.EqualTo(journal + "\n"));

        var schema = await _db.InspectSchemaAsync(CancellationToken.None);
        var rows = new List<string?[]>();
        await foreach (var row in _db.ReadRowsAsync(schema.Tables.Single(), CancellationToken.None))
        {
            rows.Add(row);
        }

        Assert.That(rows.Select(r => r[1]), Is.EquivalentTo(new[] { "harness", "command" }), "the harness sees what the command wrote");
    }

    [Test]
    public void Marked_processes_are_found_by_their_environment()
    {
        var id = Guid.NewGuid().ToString("N");
        var start = new System.Diagnostics.ProcessStartInfo("sleep", "30") { Environment = { [CommandEnvironment.StepIdVariable] = id } };
        using var process = System.Diagnostics.Process.Start(start)!;
        try
        {
            Assert.That(ProcessTree.FindMarked(id), Is.EqualTo(new[] { process.Id }));
            Assert.That(ProcessTree.FindMarked(Guid.NewGuid().ToString("N")), Is.Empty);
            Assert.That(ProcessTree.KillMarked(id), Is.EqualTo(1));
            Assert.That(process.WaitForExit(5000), Is.True);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private static async Task Execute(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        await using (command)
        {
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>The process ids a test command printed ("child 123", "daemon 456"); remembered for the teardown.</summary>
    private List<int> Pids(string output)
    {
        var pids = PidPattern().Matches(output).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        _spawned.AddRange(pids);
        return pids;
    }

    [GeneratedRegex(@"(?:child|daemon) (\d+)")]
    private static partial Regex PidPattern();

    /// <summary>The SQLite instance, but with a password in its connection details (SQLite has none to hide).</summary>
    private sealed class WithPassword(IDatabaseInstance inner, string password) : IDatabaseInstance
    {
        public EngineKind Kind => inner.Kind;

        public IDialect Dialect => inner.Dialect;

        public string ServerVersion => inner.ServerVersion;

        public string DatabaseName => inner.DatabaseName;

        public IBulkLoader BulkLoader => inner.BulkLoader;

        public ConnectionDetails ConnectionDetails => inner.ConnectionDetails! with
        {
            User = "app",
            Password = password,
            Url = $"postgresql://app:{Uri.EscapeDataString(password)}@127.0.0.1:5432/x",
        };

        public Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) => inner.OpenConnectionAsync(cancellationToken);

        public Task<SchemaSnapshot> InspectSchemaAsync(CancellationToken cancellationToken) => inner.InspectSchemaAsync(cancellationToken);

        public IAsyncEnumerable<string?[]> ReadRowsAsync(Table table, CancellationToken cancellationToken) => inner.ReadRowsAsync(table, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
