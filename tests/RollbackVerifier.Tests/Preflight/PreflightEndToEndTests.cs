using RollbackVerifier.Cli;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.MySql;
using RollbackVerifier.PostgreSql;
using RollbackVerifier.Preflight;
using RollbackVerifier.Scenarios;
using RollbackVerifier.Sqlite;

namespace RollbackVerifier.Tests.Preflight;

/// <summary>
/// A forward that relaxes NOT NULL, a length and a unique key, rows that break them: the verification run's checklist
/// counts the adversarial live rows, and `preflight` against a database in the migrated state reports such rows with
/// their keys, from the scenario or from the checklist file a verify run wrote, and changes nothing.
/// </summary>
[TestFixture(EngineKind.Postgres)]
[TestFixture(EngineKind.MySql)]
[TestFixture(EngineKind.Sqlite)]
[NonParallelizable]
public sealed class PreflightEndToEndTests(EngineKind engine)
{
    private static string Fixture => Path.Combine(TestEngines.RepoRoot, "fixtures", "preflight", "relaxed-rules");

    private string _out = string.Empty;

    [SetUp]
    public void CreateOut() => _out = Path.Combine(Path.GetTempPath(), "rv-preflight-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteOut()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    private CheckKind[] Expected => engine == EngineKind.Sqlite ? [CheckKind.NotNull, CheckKind.Unique] : [CheckKind.NotNull, CheckKind.Length, CheckKind.Unique];

    [Test]
    public async Task The_checks_count_the_adversarial_live_rows_of_the_verification_run()
    {
        var scenario = ScenarioLoader.Load(Fixture, engine);
        var result = await new ScenarioRunner().RunAsync(scenario, engine, TestEngines.Get(engine), CancellationToken.None);

        Assert.That(result.MeetsExpectation, Is.True, string.Join("; ", result.ExpectationProblems));
        var run = result.Checklist!;
        Assert.That(run.Checklist.Checks.Select(c => c.Kind), Is.EquivalentTo(Expected));
        Assert.Multiple(() =>
        {
            foreach (var check in run.Checklist.Checks)
            {
                var written = result.Seeding.Where(s => s.Phase == "live" && s.Table == check.Table).SelectMany(s => s.Adversarial ?? [])
                    .Where(a => check.Attacks.Contains(a.Kind)).Sum(a => a.Rows);
                var outcome = run.CountOf(check.Id)!;
                Assert.That(written, Is.GreaterThan(0), $"{check.Id}: the seeder wrote no rows against it");
                // Duplicates are counted as groups: two live rows may copy the same existing address.
                Assert.That(outcome.Count, check.Kind == CheckKind.Unique ? Is.InRange(1L, written) : Is.GreaterThanOrEqualTo(written), $"{check.Id} missed adversarial live rows");
                Assert.That(outcome.SampleKeys, Is.Not.Empty, check.Id);
                Assert.That(run.Evidence[check.Id], Has.Some.StartsWith("RV101"), $"{check.Id} is not backed by the failing rollback statement");
            }
        });
        Assert.That(run.SchemaDdl, Does.Contain("customers"));
    }

    [Test]
    public async Task Preflight_reports_the_rows_that_break_the_rollback_with_their_keys_and_changes_nothing()
    {
        await using var db = await MigratedDatabaseWithViolationsAsync();
        var (code, output) = await PreflightTestSupport.CaptureAsync("preflight", Fixture, TargetOption, Target(db));

        Assert.That(code, Is.EqualTo(CliApp.ExpectationNotMet), output);
        Assert.That(output, Does.Contain("PF-null-").And.Contain("PF-unique-").And.Contain("id=101").And.Contain("email=dup@example.com, copies=2"));
        Assert.That(output, Does.Contain("session: read-only on the server"));
        if (engine != EngineKind.Sqlite)
        {
            Assert.That(output, Does.Contain("PF-length-").And.Contain("id=102"));
        }

        Assert.That(output, Does.Not.Contain("Password=").IgnoreCase);
        await AssertRowsUnchangedAsync(db);
    }

    [Test]
    public async Task Preflight_runs_the_checklist_file_of_a_verify_run_and_refuses_one_edited_to_write()
    {
        var (verified, verifyOutput) = await PreflightTestSupport.CaptureAsync("verify", Fixture, "--engine", engine.ToName(), "--report", "json", "--out", _out);
        Assert.That(verified, Is.EqualTo(CliApp.Success), verifyOutput);
        var file = Path.Combine(_out, "relaxed-rules", ChecklistFile.FileName(engine));
        Assert.That(File.Exists(file), Is.True, verifyOutput);

        await using var db = await MigratedDatabaseWithViolationsAsync();
        var (code, output) = await PreflightTestSupport.CaptureAsync("preflight", "--checklist", file, TargetOption, Target(db));
        Assert.That(code, Is.EqualTo(CliApp.ExpectationNotMet), output);
        Assert.That(output, Does.Contain("PF-null-").And.Contain("id=101"));

        var edited = Path.Combine(_out, "edited.sql");
        await File.WriteAllTextAsync(edited, await File.ReadAllTextAsync(file) + "\n-- @check cleanup\nDELETE FROM customers WHERE nickname IS NULL;\n");
        (code, output) = await PreflightTestSupport.CaptureAsync("preflight", "--checklist", edited, TargetOption, Target(db));
        Assert.That(code, Is.EqualTo(CliApp.InvalidInput), output);
        Assert.That(output, Does.Contain("cleanup").And.Contain("nothing was sent to the database"));
        await AssertRowsUnchangedAsync(db);
    }

    private string TargetOption => engine switch { EngineKind.Postgres => "--postgres-url", EngineKind.MySql => "--mysql-url", _ => "--sqlite-file" };

    private static string Target(IDatabaseInstance db) => db switch
    {
        PostgresInstance pg => pg.ConnectionString,
        MySqlInstance my => my.ConnectionString,
        SqliteInstance lite => lite.FilePath,
        _ => throw new ArgumentException("unknown instance", nameof(db)),
    };

    /// <summary>A database where baseline and forward ran, holding rows that break each relaxed rule (ids 101-103).</summary>
    private async Task<IDatabaseInstance> MigratedDatabaseWithViolationsAsync()
    {
        var scenario = ScenarioLoader.Load(Fixture, engine);
        var scripts = scenario.Scripts[engine];
        var db = await TestEngines.Get(engine).CreateDatabaseAsync(new DatabaseRequest("preflight-target", IsolationMode.Database), CancellationToken.None);
        foreach (var (phase, script) in new[] { (Phase.Baseline, scripts.Baseline!), (Phase.Forward, scripts.Forward) })
        {
            var outcome = await ScriptExecutor.RunAsync(db, phase, script, ExecutionMode.Autocommit, ScenarioTimeouts.Default, CancellationToken.None);
            Assert.That(outcome.Succeeded, Is.True, outcome.Failure?.ErrorMessage);
        }

        await PreflightTestSupport.ExecuteAsync(db,
            "INSERT INTO customers (id, email, nickname) VALUES (1, 'ann@example.com', 'ann'), (2, 'dup@example.com', 'bob')",
            "INSERT INTO customers (id, email, nickname) VALUES (101, 'cy@example.com', NULL)",
            "INSERT INTO customers (id, email, nickname) VALUES (102, 'dee@example.com', 'a nickname far longer than twenty characters')",
            "INSERT INTO customers (id, email, nickname) VALUES (103, 'dup@example.com', 'eve')");
        return db;
    }

    private static async Task AssertRowsUnchangedAsync(IDatabaseInstance db)
    {
        var connection = await db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM customers WHERE id IN (1, 2, 101, 102, 103)";
            Assert.That(Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(5));
        }
    }
}
