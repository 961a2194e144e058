using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Analysis;
using RollbackVerifier.Execution.Splitting;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using RollbackVerifier.MySql;
using RollbackVerifier.PostgreSql;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Tests.RunAnalysis;

/// <summary>The parts of the run analysis that need no database: settings, failure points, statement rules, findings.</summary>
public sealed class RunAnalysisUnitTests
{
    // ------------------------------------------------------------------ settings (scenario.yml and CLI)

    [Test]
    public void Analysis_settings_are_read_from_scenario_yml()
    {
        var dir = Scenario("analysis:\n  locks: false\n  atomicity: all\n  atomicity_limit: 3\n");
        var scenario = ScenarioLoader.Load(dir, EngineKind.Sqlite);
        Assert.That(scenario.Analysis, Is.EqualTo(new RunAnalysisSettings(false, AtomicityMode.All, 3)));
        Assert.That(ScenarioLoader.Load(Scenario(string.Empty), EngineKind.Sqlite).Analysis, Is.EqualTo(RunAnalysisSettings.Default));
    }

    [TestCase("analysis:\n  atomicity: sometimes\n", 2, "analysis.atomicity must be one of off, sample, all, got 'sometimes'")]
    [TestCase("analysis:\n  atomicity_limit: 0\n", 2, "analysis.atomicity_limit must be a positive integer, got '0'")]
    [TestCase("analysis:\n  locks: maybe\n", 2, "analysis.locks must be true or false, got 'maybe'")]
    [TestCase("analysis:\n  lock: true\n", 2, "unknown key 'analysis.lock'")]
    [TestCase("analysis: sample\n", 1, "analysis must be a mapping")]
    public void Bad_analysis_settings_name_the_file_and_line(string yaml, int line, string problem)
    {
        var dir = Scenario("name: x\n" + yaml);
        var ex = Assert.Throws<ScenarioDefinitionException>(() => ScenarioLoader.Load(dir, EngineKind.Sqlite))!;
        Assert.Multiple(() =>
        {
            Assert.That(ex.File, Is.EqualTo(Path.Combine(dir, "scenario.yml")));
            Assert.That(ex.Line, Is.EqualTo(line + 1));
            Assert.That(ex.Message, Does.Contain(problem));
        });
    }

    [Test]
    public void Command_line_options_replace_the_scenarios_atomicity()
    {
        var settings = new RunAnalysisSettings(true, AtomicityMode.All, 3);
        Assert.Multiple(() =>
        {
            Assert.That(settings.With("off", null), Is.EqualTo(settings with { Atomicity = AtomicityMode.Off }));
            Assert.That(settings.With(null, 12), Is.EqualTo(settings with { AtomicityLimit = 12 }));
            Assert.That(settings.With(null, null), Is.EqualTo(settings));
            Assert.That(() => settings.With("most", null), Throws.ArgumentException.With.Message.Contains("--atomicity must be one of off, sample, all"));
            Assert.That(() => settings.With(null, 0), Throws.ArgumentException.With.Message.Contains("--atomicity-limit"));
        });
    }

    // ------------------------------------------------------------------ failure points

    private static IReadOnlyList<SqlStatement> Split(string sql) => new PostgresStatementSplitter().Split(sql, "rollback.sql");

    [Test]
    public void Sampled_points_are_the_statements_that_can_change_something_except_the_last()
    {
        var statements = Split("SET lock_timeout = '1s';\nBEGIN;\nDROP INDEX a;\nSELECT setval('s', 5);\nSHOW search_path;\nCOMMIT;\nDROP TABLE t;");
        Assert.Multiple(() =>
        {
            Assert.That(Numbers(Atomicity.Candidates(statements, ExecutionMode.Autocommit, AtomicityMode.Sample, 8)), Is.EqualTo(new[] { 3, 4, 6 }), "SET, BEGIN and SHOW change nothing; a COMMIT does");
            Assert.That(Numbers(Atomicity.Candidates(statements, ExecutionMode.Autocommit, AtomicityMode.All, 8)), Is.EqualTo(new[] { 1, 2, 3, 4, 5, 6 }));
            Assert.That(Numbers(Atomicity.Candidates(statements, ExecutionMode.Transaction, AtomicityMode.All, 8)), Is.EqualTo(new[] { 1, 3, 4, 5 }), "the runner skips the script's BEGIN/COMMIT");
            Assert.That(Numbers(Atomicity.Candidates(statements, ExecutionMode.Autocommit, AtomicityMode.Sample, 8, before: 4)), Is.EqualTo(new[] { 3 }), "statements after the one that failed never ran");
            Assert.That(Atomicity.Candidates(Split("DROP TABLE t;"), ExecutionMode.Autocommit, AtomicityMode.All, 8), Is.Empty);
        });
    }

    [Test]
    public void A_long_rollback_is_sampled_evenly_keeping_the_first_and_last_point()
    {
        var statements = Split(string.Join("\n", Enumerable.Range(1, 30).Select(i => $"ALTER TABLE t ADD COLUMN c{i} int;")));
        var sample = Numbers(Atomicity.Candidates(statements, ExecutionMode.Autocommit, AtomicityMode.Sample, 5));
        Assert.Multiple(() =>
        {
            Assert.That(sample, Is.EqualTo(new[] { 1, 8, 15, 22, 29 }));
            Assert.That(Numbers(Atomicity.Candidates(statements, ExecutionMode.Autocommit, AtomicityMode.Sample, 5)), Is.EqualTo(sample), "deterministic");
            Assert.That(Numbers(Atomicity.Candidates(statements, ExecutionMode.Autocommit, AtomicityMode.Sample, 1)), Is.EqualTo(new[] { 29 }));
        });
    }

    private static int[] Numbers(IEnumerable<SqlStatement> statements) => statements.Select(s => s.Number).ToArray();

    // ------------------------------------------------------------------ PostgreSQL: which statements are wrapped

    [TestCase("DROP INDEX orders_idx", true)]
    [TestCase("ALTER TABLE orders ADD COLUMN x int", true)]
    [TestCase("UPDATE orders SET x = 1", true)]
    [TestCase("CLUSTER orders USING orders_pkey", true)]
    [TestCase("DROP INDEX CONCURRENTLY orders_idx", false)]
    [TestCase("CREATE UNIQUE INDEX CONCURRENTLY i ON t (a)", false)]
    [TestCase("VACUUM orders", false)]
    [TestCase("CALL archive_orders()", false)]
    [TestCase("DO $$ BEGIN PERFORM 1; END $$", false)]
    [TestCase("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE", false)]
    [TestCase("SAVEPOINT s", false)]
    [TestCase("ROLLBACK TO SAVEPOINT s", false)]
    [TestCase("CLUSTER", false)]
    [TestCase("ALTER TYPE mood ADD VALUE 'meh'", false)]
    [TestCase("BEGIN", false)]
    public void Autocommit_statements_are_wrapped_in_a_transaction_only_where_that_changes_nothing(string sql, bool wrapped) =>
        Assert.That(PostgresLockObserver.CanWrap(Split(sql + ";")[0]), Is.EqualTo(wrapped));

    // ------------------------------------------------------------------ MySQL: the ALTER's table and algorithm clause

    [TestCase("ALTER TABLE orders ADD COLUMN x INT", "alter", "orders", null, false)]
    [TestCase("ALTER ONLINE IGNORE TABLE `shop`.`order lines` DROP COLUMN x", "alter", "order lines", null, false)]
    [TestCase("alter table /* why */ orders modify total decimal(12,2), ALGORITHM = INPLACE, LOCK=NONE", "alter", "orders", "inplace", true)]
    [TestCase("ALTER TABLE orders ADD COLUMN `algorithm` INT, ADD COLUMN lock_reason INT", "alter", "orders", null, false)]
    [TestCase("CREATE UNIQUE INDEX IF NOT EXISTS orders_idx USING BTREE ON orders (customer_id)", "create-index", "orders", null, false)]
    [TestCase("DROP INDEX orders_idx ON `orders`", "drop-index", "orders", null, false)]
    [TestCase("OPTIMIZE TABLE orders", "optimize", "orders", null, false)]
    public void MySql_alter_target_is_read_from_the_statement(string sql, string kind, string table, string? algorithm, bool hasLock) =>
        Assert.That(MySqlAlterTarget.Parse(sql), Is.EqualTo(new MySqlAlterTarget(kind, table, algorithm, hasLock)));

    [TestCase("ALTER VIEW v AS SELECT 1")]
    [TestCase("DROP TABLE orders")]
    [TestCase("CREATE TABLE orders (id INT)")]
    [TestCase("UPDATE orders SET note = 'ALTER TABLE x'")]
    public void Other_statements_are_no_alter_target(string sql) => Assert.That(MySqlAlterTarget.Parse(sql), Is.Null);

    [Test]
    public void The_algorithm_clause_follows_the_statements_grammar()
    {
        Assert.Multiple(() =>
        {
            Assert.That(MySqlAlterTarget.Parse("ALTER TABLE t ADD c INT")!.WithAlgorithm("ALTER TABLE t ADD c INT", "INSTANT"), Is.EqualTo("ALTER TABLE t ADD c INT\n, ALGORITHM=INSTANT"));
            Assert.That(MySqlAlterTarget.Parse("CREATE INDEX i ON t (c)")!.WithAlgorithm("CREATE INDEX i ON t (c)", "NOCOPY"), Is.EqualTo("CREATE INDEX i ON t (c)\nALGORITHM=NOCOPY"));
            Assert.That(MySqlAlterTarget.Parse("OPTIMIZE TABLE t")!.CanAppendAlgorithm, Is.False);
            Assert.That(MySqlAlterObserver.InnoDbFileName("order-lines_2"), Is.EqualTo("order@002dlines_2"));
        });
    }

    // ------------------------------------------------------------------ findings

    private static RelationLock Lock(string relation, string table, string mode, bool reads, bool writes, bool visible = true, long? rows = 10) =>
        new(relation, relation == table ? "table" : "index", table, mode, reads, writes, visible, 12.5, null, "statement end", "observed") { Rows = rows };

    [Test]
    public void Blocking_locks_on_tables_other_sessions_use_and_that_hold_rows_are_flagged_once_per_statement_and_table()
    {
        var statements = Split("DROP INDEX a;\nCREATE INDEX b ON t (x);\nCREATE TABLE n (id int);\nVACUUM t;");
        var runs = new[]
        {
            new StatementRun(1, 1, "rollback.sql", "DROP INDEX a", 3, false) { Locks = [Lock("public.t", "public.t", "ACCESS EXCLUSIVE", true, true), Lock("public.a", "public.t", "ACCESS EXCLUSIVE", true, true)] },
            new StatementRun(2, 2, "rollback.sql", "CREATE INDEX b", 3, false) { Locks = [Lock("public.t", "public.t", "SHARE", false, true), Lock("public.b", "public.t", "ACCESS EXCLUSIVE", true, true, visible: false)] },
            new StatementRun(3, 3, "rollback.sql", "CREATE TABLE n", 3, false) { Locks = [Lock("public.n", "public.n", "ACCESS EXCLUSIVE", true, true, visible: false, rows: null)] },
            new StatementRun(4, 4, "rollback.sql", "VACUUM t", 3, false) { Locks = [Lock("public.t", "public.t", "SHARE UPDATE EXCLUSIVE", false, false)] },
            new StatementRun(5, 5, "rollback.sql", "TRUNCATE e", 3, false) { Locks = [Lock("public.e", "public.e", "ACCESS EXCLUSIVE", true, true, rows: 0)] },
        };

        var findings = RunAnalysisFindings.ForStatements(runs, statements, "rollback.sql");
        Assert.Multiple(() =>
        {
            Assert.That(findings.Select(f => (f.Code, f.Object)), Is.EqualTo(new[] { ("RV601", "public.t"), ("RV602", "public.t") }));
            Assert.That(findings[0].Message, Does.Contain("rollback.sql:1").And.Contain("ACCESS EXCLUSIVE on public.t (10 rows)"));
            Assert.That(findings[0].Evidence.Details["locks"], Does.Contain("public.a"), "the index's lock is listed with the table's");
            Assert.That(findings[0].Evidence.Count, Is.EqualTo(10));
            Assert.That(findings[1].Message, Does.Contain("writes of public.t wait"));
        });
    }

    [TestCase("copy", true, 20L, "RV603")]
    [TestCase("inplace", true, 20L, "RV604")]
    [TestCase("inplace", false, 20L, "RV604")]
    [TestCase("instant", false, 20L, "RV605")]
    [TestCase("copy", true, null, null)]
    public void Each_mysql_alter_is_one_finding(string algorithm, bool rebuilt, long? rows, string? code)
    {
        var run = new StatementRun(1, 1, "rollback.sql", "ALTER TABLE t", 4, false) { Alter = new AlterAlgorithm("t", algorithm, rebuilt, 0, "tried", "Cannot change column type") { Rows = rows } };
        var findings = RunAnalysisFindings.ForStatements([run], Split("ALTER TABLE t ADD c int;"), "rollback.sql");
        Assert.That(findings.Select(f => f.Code), Is.EqualTo(code is null ? Array.Empty<string>() : new[] { code }), "a copy of a table the rollback created costs nothing in production");
        if (code == "RV603")
        {
            Assert.That(findings[0].Message, Does.Contain("Cannot change column type"));
        }
    }

    [Test]
    public void Every_half_applied_point_is_an_error_and_an_analysis_that_could_not_copy_is_a_warning()
    {
        var statements = Split("DROP INDEX a;\nALTER TABLE t DROP COLUMN c;\nDROP TABLE x;");
        var report = new AtomicityReport("sample", 8, "copy", 2,
        [
            new AtomicityPoint(1, 1, "DROP INDEX a", AtomicityState.HalfApplied, ["index a dropped"], ["column t.c dropped", "table x dropped"]),
            new AtomicityPoint(2, 2, "ALTER TABLE t DROP COLUMN c", AtomicityState.RolledBack, [], []),
        ], 10, null);
        var findings = RunAnalysisFindings.ForAtomicity(report, statements, "rollback.sql");
        var skipped = RunAnalysisFindings.ForAtomicity(report with { Points = [], Skipped = "the copy differs" }, statements, "rollback.sql");
        Assert.Multiple(() =>
        {
            Assert.That(findings.Select(f => (f.Code, f.Severity, f.Object)), Is.EqualTo(new[] { ("RV610", Severity.Error, "rollback.sql:1") }));
            Assert.That(findings[0].Message, Does.Contain("statement 2 (line 2) fails").And.Contain("Done: index a dropped.").And.Contain("Not done: column t.c dropped; table x dropped."));
            Assert.That(findings[0].Evidence.Details["remaining"], Is.EqualTo("column t.c dropped\ntable x dropped"));
            Assert.That(skipped.Select(f => (f.Code, f.Severity)), Is.EqualTo(new[] { ("RV611", Severity.Warning) }));
        });
    }

    private static string Scenario(string yaml)
    {
        var dir = Path.Combine(Path.GetTempPath(), "rv-analysis-yml-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "forward.sql"), "CREATE TABLE t (id int);");
        File.WriteAllText(Path.Combine(dir, "rollback.sql"), "DROP TABLE t;");
        File.WriteAllText(Path.Combine(dir, "scenario.yml"), yaml);
        return dir;
    }
}
