using RollbackVerifier.Execution.Analysis;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;
using static RollbackVerifier.Tests.RunAnalysis.AnalysisScenario;

namespace RollbackVerifier.Tests.RunAnalysis;

/// <summary>
/// How rollbacks run on PostgreSQL, end to end: the locks each statement takes (by relation name, with rows and hold
/// times), the RV601/RV602 warnings for locks that block other sessions, and the atomicity probes (RV610) that stop the
/// rollback after each statement on a copy of the database.
/// </summary>
[TestFixture]
[Category("postgres")]
public sealed class PostgresRunAnalysisTests
{
    private const EngineKind Pg = EngineKind.Postgres;

    private const string Orders = """
        CREATE TABLE orders (
            id           serial PRIMARY KEY,
            customer_id  integer NOT NULL,
            total        numeric(10, 2) NOT NULL
        );
        """;

    private const string AddIndex = "CREATE INDEX orders_customer_idx ON orders (customer_id);";

    private static readonly RunAnalysisSettings LocksOnly = RunAnalysisSettings.Default with { Atomicity = AtomicityMode.Off };

    [Test]
    public async Task Drop_index_on_a_populated_table_takes_access_exclusive_and_is_flagged_with_mode_table_rows_and_location()
    {
        var result = await RunAsync(Build(Pg, Orders, AddIndex, "-- undo the index\nDROP INDEX orders_customer_idx;", analysis: LocksOnly), Pg);

        var statement = result.RunAnalysis!.Statement(1)!;
        var table = statement.Locks.Single(l => l.Relation == "public.orders");
        var finding = result.Findings.Single(f => f.Code == "RV601");
        Assert.Multiple(() =>
        {
            Assert.That(statement.Line, Is.EqualTo(2));
            Assert.That(table.Mode, Is.EqualTo("ACCESS EXCLUSIVE"));
            Assert.That(table.BlocksReads && table.BlocksWrites && table.Visible, Is.True);
            Assert.That(table.Rows, Is.GreaterThanOrEqualTo(40), "the rows the table held just before the rollback");
            Assert.That(table.HeldUntil, Is.EqualTo("statement end"));
            Assert.That(table.HeldMs, Is.GreaterThanOrEqualTo(statement.DurationMs));
            Assert.That(table.Source, Is.EqualTo("observed"));

            // The dropped index is named although its catalog row is gone when pg_locks is read.
            Assert.That(statement.Locks.Select(l => (l.Relation, l.RelationKind, l.Table)), Does.Contain(("public.orders_customer_idx", "index", "public.orders")));

            Assert.That(finding.Object, Is.EqualTo("public.orders"));
            Assert.That(finding.Severity, Is.EqualTo(RollbackVerifier.Findings.Severity.Warning));
            Assert.That(finding.Message, Does.Contain("rollback.sql:2").And.Contain("ACCESS EXCLUSIVE").And.Contain($"({table.Rows} rows)"));
            Assert.That(finding.Evidence.Details["mode"], Is.EqualTo("ACCESS EXCLUSIVE"));
            Assert.That(finding.Evidence.Details["heldMs"], Is.Not.Empty);
            Assert.That(result.Verdict, Is.EqualTo(RollbackVerifier.Execution.Verdict.Pass), "a lock is a production risk, not a failed rollback");
        });
    }

    [Test]
    public async Task Drop_index_concurrently_takes_no_lock_that_blocks_reads_or_writes()
    {
        var result = await RunAsync(Build(Pg, Orders, AddIndex, "DROP INDEX CONCURRENTLY orders_customer_idx;", analysis: LocksOnly), Pg);

        var locks = result.RunAnalysis!.Statement(1)!.Locks;
        Assert.Multiple(() =>
        {
            Assert.That(Codes(result), Has.No.Member("RV601").And.No.Member("RV602"), () => Describe(result));
            Assert.That(locks.Where(l => l.Table == "public.orders" && l.Visible).Select(l => (l.BlocksReads, l.BlocksWrites)), Is.All.EqualTo((false, false)), () => Describe(result));
            Assert.That(locks.Select(l => l.Mode), Does.Contain("SHARE UPDATE EXCLUSIVE"), () => Describe(result));
            Assert.That(result.RunAnalysis.Statement(1)!.InTransaction, Is.False);
        });
    }

    [Test]
    public async Task A_lock_taken_inside_the_scripts_transaction_is_held_until_its_commit()
    {
        const string rollback = """
            BEGIN;
            DROP INDEX orders_customer_idx;
            SELECT pg_sleep(0.3);
            COMMIT;
            """;
        var result = await RunAsync(Build(Pg, Orders, AddIndex, rollback, analysis: LocksOnly), Pg);

        var drop = result.RunAnalysis!.Statement(2)!;
        var table = drop.Locks.Single(l => l.Relation == "public.orders");
        Assert.Multiple(() =>
        {
            Assert.That(drop.InTransaction, Is.True);
            Assert.That(table.Mode, Is.EqualTo("ACCESS EXCLUSIVE"));
            Assert.That(table.HeldUntil, Is.EqualTo("commit (statement 4)"));
            Assert.That(table.ReleasedAt, Is.EqualTo(4));
            Assert.That(drop.DurationMs, Is.LessThan(300), "DROP INDEX itself is fast");
            Assert.That(table.HeldMs, Is.GreaterThanOrEqualTo(300), "but its lock waits for the rest of the transaction");
            Assert.That(result.Findings.Single(f => f.Code == "RV601").Message, Does.Contain("held until commit (statement 4)"));
        });
    }

    [Test]
    public async Task A_lock_taken_in_the_runners_transaction_is_held_until_the_runner_commits()
    {
        const string rollback = "DROP INDEX orders_customer_idx;\nSELECT pg_sleep(0.2);";
        var result = await RunAsync(Build(Pg, Orders, AddIndex, rollback, ExecutionMode.Transaction, LocksOnly), Pg);

        var table = result.RunAnalysis!.Statement(1)!.Locks.Single(l => l.Relation == "public.orders");
        Assert.Multiple(() =>
        {
            Assert.That(table.HeldUntil, Is.EqualTo("runner commit"));
            Assert.That(table.HeldMs, Is.GreaterThanOrEqualTo(200));
        });
    }

    [Test]
    public async Task Common_rollback_statements_take_the_locks_postgresql_documents()
    {
        const string baseline = """
            CREATE TABLE parent (id serial PRIMARY KEY, name text NOT NULL);
            CREATE TABLE child (id serial PRIMARY KEY, parent_id integer REFERENCES parent (id), amount integer NOT NULL);
            """;
        const string forward = "ALTER TABLE child DROP CONSTRAINT child_parent_id_fkey;";
        const string rollback = """
            CREATE INDEX child_amount_idx ON child (amount);
            ALTER TABLE child ADD CONSTRAINT child_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES parent (id) NOT VALID;
            ALTER TABLE child ADD CONSTRAINT child_amount_check CHECK (amount IS NOT NULL) NOT VALID;
            ALTER TABLE child VALIDATE CONSTRAINT child_amount_check;
            UPDATE child SET amount = amount WHERE id <= 5;
            ALTER TABLE child ALTER COLUMN amount TYPE bigint;
            ALTER TABLE child ALTER COLUMN amount TYPE integer;
            DROP INDEX child_amount_idx;
            """;
        var result = await RunAsync(Build(Pg, baseline, forward, rollback, analysis: LocksOnly), Pg);
        var analysis = result.RunAnalysis!;
        string Mode(int statement, string relation) => analysis.Statement(statement)!.Locks.SingleOrDefault(l => l.Relation == relation)?.Mode ?? "none";
        TableWork? Work(int statement) => analysis.Statement(statement)!.Tables.SingleOrDefault(t => t.Table == "public.child");

        Assert.That(result.FailedStatement, Is.Null, () => Describe(result));
        Assert.Multiple(() =>
        {
            Assert.That(Mode(1, "public.child"), Is.EqualTo("SHARE"), "CREATE INDEX blocks writes, not reads");
            Assert.That(analysis.Statement(1)!.Locks.Single(l => l.Relation == "public.child_amount_idx").Visible, Is.False, "the new index is nobody else's yet");
            Assert.That(Mode(2, "public.child"), Is.EqualTo("SHARE ROW EXCLUSIVE"), "ADD FOREIGN KEY ... NOT VALID blocks writes of the child");
            Assert.That(Mode(2, "public.parent"), Is.EqualTo("SHARE ROW EXCLUSIVE"), "... and of the parent");
            Assert.That(Mode(3, "public.child"), Is.EqualTo("ACCESS EXCLUSIVE"), "ADD CHECK ... NOT VALID is brief but exclusive");
            Assert.That(Mode(4, "public.child"), Is.EqualTo("SHARE UPDATE EXCLUSIVE"), "VALIDATE CONSTRAINT lets reads and writes through");
            Assert.That(Work(4)?.RowsRead, Is.GreaterThan(0), "but scans the table");
            Assert.That(Work(3), Is.Null, "NOT VALID reads no row");
            Assert.That(Mode(5, "public.child"), Is.EqualTo("ROW EXCLUSIVE"));
            Assert.That(Work(5)?.RowsWritten, Is.EqualTo(5), "UPDATE locks the rows it writes");
            Assert.That(Mode(6, "public.child"), Is.EqualTo("ACCESS EXCLUSIVE"));
            Assert.That(Work(6)?.Rewritten, Is.True, "a type change rewrites the table");
            Assert.That(Work(8)?.Rewritten ?? false, Is.False, "DROP INDEX does not");

            var byStatement = result.Findings.Where(f => f.Code is "RV601" or "RV602").Select(f => (f.Code, f.Evidence.Details["statement"].Split(' ')[0] + " " + f.Object)).ToList();
            Assert.That(byStatement, Does.Contain(("RV602", "CREATE public.child")));
            Assert.That(byStatement, Does.Contain(("RV602", "ALTER public.parent")));
            Assert.That(byStatement, Does.Contain(("RV601", "DROP public.child")));
            Assert.That(result.Findings.Where(f => f.Code is "RV601" or "RV602").Select(f => f.Evidence.Details["statement"]), Has.None.StartsWith("ALTER TABLE child VALIDATE").And.None.StartsWith("UPDATE"));
            Assert.That(result.Findings.Single(f => f.Evidence.Details.GetValueOrDefault("statement") == "ALTER TABLE child ALTER COLUMN amount TYPE bigint").Message, Does.Contain("rewrites the table"));
        });
    }

    [Test]
    public async Task Wrapping_autocommit_statements_keeps_their_semantics()
    {
        // A deferred foreign key fails when the statement's own transaction ends; LOCK TABLE fails outside a transaction.
        const string baseline = """
            CREATE TABLE parent (id serial PRIMARY KEY);
            CREATE TABLE child (id serial PRIMARY KEY, parent_id integer NOT NULL REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);
            """;
        foreach (var (rollback, failing, code) in new[] { ("ALTER TABLE child ADD COLUMN x int;\nDELETE FROM parent;", 2, "23503"), ("LOCK TABLE parent IN ACCESS EXCLUSIVE MODE;", 1, "25P01") })
        {
            var observed = await new RollbackVerifier.Execution.ScenarioRunner().RunAsync(Build(Pg, baseline, "ALTER TABLE child ADD COLUMN y int;", rollback, analysis: LocksOnly), Pg, TestEngines.Get(Pg), CancellationToken.None);
            var plain = await new RollbackVerifier.Execution.ScenarioRunner().RunAsync(Build(Pg, baseline, "ALTER TABLE child ADD COLUMN y int;", rollback, analysis: LocksOnly with { Locks = false }), Pg, TestEngines.Get(Pg), CancellationToken.None);
            Assert.Multiple(() =>
            {
                foreach (var result in new[] { observed, plain })
                {
                    Assert.That(result.FailedStatement?.Number, Is.EqualTo(failing), () => Describe(result));
                    Assert.That(result.FailedStatement?.ErrorCode, Is.EqualTo(code), () => Describe(result));
                }

                Assert.That(observed.Findings.Select(f => (f.Code, f.Object)), Is.SupersetOf(plain.Findings.Select(f => (f.Code, f.Object))));
            });
        }
    }

    private const string TwoColumnsAndAnIndex = """
        ALTER TABLE orders ADD COLUMN note text;
        ALTER TABLE orders ADD COLUMN channel varchar(20);
        CREATE INDEX orders_total_idx ON orders (total);
        """;

    private const string UndoTwoColumnsAndAnIndex = """
        DROP INDEX orders_total_idx;
        ALTER TABLE orders DROP COLUMN channel;
        ALTER TABLE orders DROP COLUMN note;
        """;

    [Test]
    public async Task An_autocommit_rollback_stopped_half_way_is_reported_with_what_is_half_done()
    {
        var result = await RunAsync(Build(Pg, Orders, TwoColumnsAndAnIndex, UndoTwoColumnsAndAnIndex), Pg);

        var atomicity = result.RunAnalysis!.Atomicity!;
        var half = result.Findings.Where(f => f.Code == "RV610").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(atomicity.Skipped, Is.Null, () => Describe(result));
            Assert.That(atomicity.Points.Select(p => (p.AfterStatement, p.State)), Is.EqualTo(new[] { (1, AtomicityState.HalfApplied), (2, AtomicityState.HalfApplied) }));
            Assert.That(atomicity.Points[0].Applied, Is.EqualTo(new[] { "public.orders (index orders_total_idx) dropped" }));
            Assert.That(atomicity.Points[0].Remaining, Has.Exactly(2).Items.And.Some.Contains("public.orders.channel").And.Some.Contains("public.orders.note"));
            Assert.That(atomicity.Points[1].Applied, Has.Some.Contains("public.orders.channel"));
            Assert.That(atomicity.Points[1].Remaining, Has.Exactly(1).Items.And.Some.Contains("public.orders.note"));
            Assert.That(half.Select(f => f.Object), Is.EqualTo(new[] { "rollback.sql:1", "rollback.sql:2" }));
            Assert.That(half[0].Severity, Is.EqualTo(RollbackVerifier.Findings.Severity.Error));
            Assert.That(half[0].Message, Does.Contain("after statement 1").And.Contain("Done:").And.Contain("Not done:"));
            Assert.That(result.Verdict, Is.EqualTo(RollbackVerifier.Execution.Verdict.Fail), "a rollback that can stop half way fails");
            Assert.That(result.Timings.Select(t => t.Phase), Does.Contain("analysis"));
            Assert.That(atomicity.DurationMs, Is.GreaterThan(0));
        });
    }

    [TestCase(ExecutionMode.Transaction, "")]
    [TestCase(ExecutionMode.Autocommit, "BEGIN;\n")]
    public async Task The_same_rollback_in_a_transaction_comes_out_clean_at_every_point(ExecutionMode mode, string begin)
    {
        var rollback = begin + UndoTwoColumnsAndAnIndex + (begin.Length > 0 ? "\nCOMMIT;" : string.Empty);
        var result = await RunAsync(Build(Pg, Orders, TwoColumnsAndAnIndex, rollback, mode, RunAnalysisSettings.Default with { Atomicity = AtomicityMode.All }), Pg);

        var atomicity = result.RunAnalysis!.Atomicity!;
        int[] points = begin.Length > 0 ? [1, 2, 3, 4] : [1, 2];
        Assert.Multiple(() =>
        {
            Assert.That(atomicity.Skipped, Is.Null, () => Describe(result));
            Assert.That(atomicity.Points.Select(p => p.AfterStatement), Is.EqualTo(points), "every statement but the last (mode all)");
            Assert.That(atomicity.Points.Select(p => p.State), Is.All.EqualTo(AtomicityState.Unchanged), () => Describe(result));
            Assert.That(Codes(result), Has.No.Member("RV610"));
            Assert.That(result.Verdict, Is.EqualTo(RollbackVerifier.Execution.Verdict.Pass), () => Describe(result));
        });
    }

    [Test]
    public async Task A_failed_rollback_is_probed_only_before_the_statement_that_failed()
    {
        const string forward = "ALTER TABLE orders ADD COLUMN note text;\nALTER TABLE orders ALTER COLUMN total DROP NOT NULL;\nUPDATE orders SET total = NULL WHERE id <= 3;";
        const string rollback = "ALTER TABLE orders DROP COLUMN note;\nALTER TABLE orders ALTER COLUMN total SET NOT NULL;\nSELECT 1;";
        var result = await RunAsync(Build(Pg, Orders, forward, rollback), Pg);

        var atomicity = result.RunAnalysis!.Atomicity!;
        Assert.Multiple(() =>
        {
            Assert.That(result.FailedStatement?.Number, Is.EqualTo(2));
            Assert.That(atomicity.Points.Select(p => p.AfterStatement), Is.EqualTo(new[] { 1 }));
            Assert.That(atomicity.Points[0].State, Is.EqualTo(AtomicityState.HalfApplied));
            Assert.That(atomicity.Points[0].Remaining, Is.Empty, "there is no rolled-back state to compare with");
        });
    }
}
