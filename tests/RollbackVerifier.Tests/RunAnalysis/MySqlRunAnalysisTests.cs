using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Analysis;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;
using static RollbackVerifier.Tests.RunAnalysis.AnalysisScenario;

namespace RollbackVerifier.Tests.RunAnalysis;

/// <summary>
/// How rollbacks run on MySQL/MariaDB, end to end: which ALTERs copy the table, run in place (with or without a
/// rebuild) or instantly (RV603-RV605), the half states implicit commits leave (RV610), and the SQL copy the atomicity
/// probes start from.
/// </summary>
[TestFixture]
[Category("mysql")]
public sealed class MySqlRunAnalysisTests
{
    private const EngineKind My = EngineKind.MySql;

    private const string Orders = """
        CREATE TABLE orders (
            id           BIGINT AUTO_INCREMENT PRIMARY KEY,
            customer_id  INT NOT NULL,
            total        DECIMAL(10, 2) NOT NULL,
            note         VARCHAR(100)
        ) ENGINE = InnoDB;
        """;

    private static readonly RunAnalysisSettings LocksOnly = RunAnalysisSettings.Default with { Atomicity = AtomicityMode.Off };

    [Test]
    public async Task Each_alter_is_reported_as_a_copy_in_place_or_instant()
    {
        const string forward = "ALTER TABLE orders ADD COLUMN extra INT;";
        const string rollback = """
            ALTER TABLE orders ADD INDEX orders_customer_idx (customer_id);
            ALTER TABLE orders MODIFY total DECIMAL(12, 2) NOT NULL;
            ALTER TABLE orders DROP COLUMN extra;
            ALTER TABLE orders FORCE;
            ALTER TABLE orders DROP INDEX orders_customer_idx, ALGORITHM=COPY;
            CREATE INDEX orders_total_idx ON orders (total);
            DROP INDEX orders_total_idx ON orders;
            ALTER TABLE orders MODIFY total DECIMAL(10, 2) NOT NULL;
            """;
        var result = await RunAsync(Build(My, Orders, forward, rollback, analysis: LocksOnly), My);
        var analysis = result.RunAnalysis!;
        AlterAlgorithm Alter(int statement) => analysis.Statement(statement)!.Alter ?? throw new AssertionException($"statement {statement} has no ALTER analysis\n{Describe(result)}");
        string CodeOf(int statement) => result.Findings.Single(f => f.Message.StartsWith($"Rollback statement {statement} ", StringComparison.Ordinal)).Code;

        Assert.Multiple(() =>
        {
            Assert.That((Alter(1).Algorithm, Alter(1).Rebuilt, Alter(1).Method), Is.EqualTo(("inplace", (bool?)false, "tried")), "ADD INDEX builds the index in place");
            Assert.That(CodeOf(1), Is.EqualTo("RV604"));

            Assert.That((Alter(2).Algorithm, Alter(2).Rebuilt), Is.EqualTo(("copy", (bool?)true)), "a column type change copies the table");
            Assert.That(Alter(2).RowsAffected, Is.EqualTo(Alter(2).Rows).And.GreaterThan(0), "the server reports the rows it copied");
            Assert.That(Alter(2).Reason, Does.Contain("Cannot change column type"), "the server's reason for refusing in place");
            Assert.That(CodeOf(2), Is.EqualTo("RV603"));
            Assert.That(result.Findings.Single(f => f.Code == "RV603" && f.Message.StartsWith("Rollback statement 2 ", StringComparison.Ordinal)).Severity, Is.EqualTo(RollbackVerifier.Findings.Severity.Warning));

            Assert.That((Alter(3).Algorithm, Alter(3).Rebuilt), Is.EqualTo(("instant", (bool?)false)), "DROP COLUMN is instant on MariaDB 10.4+ and MySQL 8.0.29+");
            Assert.That(CodeOf(3), Is.EqualTo("RV605"));

            Assert.That((Alter(4).Algorithm, Alter(4).Rebuilt), Is.EqualTo(("inplace", (bool?)true)), "FORCE rebuilds the table in place");

            Assert.That((Alter(5).Algorithm, Alter(5).Method), Is.EqualTo(("copy", "declared")), "an ALGORITHM the statement names is what runs");

            Assert.That((Alter(6).Algorithm, Alter(6).Rebuilt), Is.EqualTo(("inplace", (bool?)false)), "CREATE INDEX gets the clause without a comma");
            Assert.That(Alter(7).Algorithm, Is.EqualTo("inplace"), "DROP INDEX ... ON: no rows copied, same table id");
            Assert.That(Alter(7).Rebuilt, Is.False);
            Assert.That(analysis.Statements.Select(s => s.Alter?.Table), Is.All.EqualTo("orders"));
        });
    }

    [Test]
    public async Task A_session_that_chose_its_algorithm_is_not_second_guessed()
    {
        const string rollback = "SET SESSION alter_algorithm = 'COPY';\nALTER TABLE orders DROP COLUMN extra;";
        var result = await RunAsync(Build(My, Orders, "ALTER TABLE orders ADD COLUMN extra INT;", rollback, analysis: LocksOnly), My);

        var alter = result.RunAnalysis!.Statement(2)!.Alter!;
        Assert.Multiple(() =>
        {
            Assert.That(alter.Method, Is.EqualTo("observed"));
            Assert.That(alter.Algorithm, Is.EqualTo("copy"), "the session's alter_algorithm made the server copy");
            Assert.That(alter.Rebuilt, Is.True);
        });
    }

    private const string WithExtra = "ALTER TABLE orders ADD COLUMN extra INT;\nUPDATE orders SET extra = 1;";

    private const string ClearThenDrop = """
        UPDATE orders SET extra = NULL;
        ALTER TABLE orders DROP COLUMN extra;
        ALTER TABLE orders ADD INDEX orders_customer_idx (customer_id);
        ALTER TABLE orders DROP INDEX orders_customer_idx;
        """;

    [Test]
    public async Task Implicit_commits_leave_half_states_that_a_transaction_cannot_prevent()
    {
        var result = await RunAsync(Build(My, Orders, WithExtra, ClearThenDrop, ExecutionMode.Transaction), My);

        var atomicity = result.RunAnalysis!.Atomicity!;
        Assert.Multiple(() =>
        {
            Assert.That(atomicity.Skipped, Is.Null, () => Describe(result));
            Assert.That(atomicity.CloneMethod, Does.Contain("SQL copy"));

            // The ALTER after the UPDATE commits it before it runs, even inside the runner's transaction.
            var first = atomicity.Points.Single(p => p.AfterStatement == 1);
            Assert.That(first.State, Is.EqualTo(AtomicityState.HalfApplied), () => Describe(result));
            Assert.That(first.Applied, Has.Some.StartsWith("rows of orders changed"));
            Assert.That(first.Remaining, Has.Some.Contains("orders.extra"));

            // After the DROP COLUMN (committed at once) the database is where the whole rollback leaves it.
            Assert.That(atomicity.Points.Single(p => p.AfterStatement == 2).State, Is.EqualTo(AtomicityState.RolledBack));

            var third = atomicity.Points.Single(p => p.AfterStatement == 3);
            Assert.That(third.State, Is.EqualTo(AtomicityState.HalfApplied));
            Assert.That(third.Applied, Has.Some.Contains("orders_customer_idx"));
            Assert.That(result.Findings.Where(f => f.Code == "RV610").Select(f => f.Object), Is.EqualTo(new[] { "rollback.sql:1", "rollback.sql:3" }));
        });
    }

    [Test]
    public async Task The_same_rollback_on_postgresql_in_a_transaction_is_clean()
    {
        const string orders = "CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id integer NOT NULL, total numeric(10, 2) NOT NULL, note varchar(100));";
        const string rollback = """
            UPDATE orders SET extra = NULL;
            ALTER TABLE orders DROP COLUMN extra;
            CREATE INDEX orders_customer_idx ON orders (customer_id);
            DROP INDEX orders_customer_idx;
            """;
        var result = await RunAsync(Build(EngineKind.Postgres, orders, "ALTER TABLE orders ADD COLUMN extra integer;\nUPDATE orders SET extra = 1;", rollback, ExecutionMode.Transaction), EngineKind.Postgres);

        Assert.Multiple(() =>
        {
            Assert.That(result.RunAnalysis!.Atomicity!.Points.Select(p => p.State), Is.EqualTo(new[] { AtomicityState.Unchanged, AtomicityState.Unchanged, AtomicityState.Unchanged }), () => Describe(result));
            Assert.That(Codes(result), Has.No.Member("RV610"));
        });
    }

    [Test]
    public async Task The_sql_copy_reproduces_tables_keys_views_triggers_routines_and_rows()
    {
        const string baseline = """
            CREATE TABLE parent (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL, created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP) ENGINE = InnoDB;
            CREATE TABLE child (
                id INT AUTO_INCREMENT PRIMARY KEY,
                parent_id INT NOT NULL,
                amount INT NOT NULL CHECK (amount >= 0),
                doubled INT GENERATED ALWAYS AS (amount * 2) STORED,
                KEY child_amount (amount),
                CONSTRAINT child_parent FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE
            ) ENGINE = InnoDB;
            CREATE VIEW big_children AS SELECT id, amount FROM child WHERE amount > 10;
            CREATE VIEW big_children_names AS SELECT b.id, p.name FROM big_children b JOIN child c ON c.id = b.id JOIN parent p ON p.id = c.parent_id;
            CREATE TRIGGER child_amount_guard BEFORE INSERT ON child FOR EACH ROW SET NEW.amount = GREATEST(NEW.amount, 0);
            CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2;
            """;
        var scenario = Build(My, baseline, "ALTER TABLE child ADD COLUMN extra INT;", "ALTER TABLE child DROP COLUMN extra;\nSELECT 1;");
        var engine = TestEngines.Get(My);
        var database = await engine.CreateDatabaseAsync(new DatabaseRequest(scenario.Name, IsolationMode.Database), CancellationToken.None);
        await using (database)
        {
            var scripts = scenario.Scripts[My];
            Assert.That((await ScriptExecutor.RunAsync(database, Phase.Baseline, scripts.Baseline!, ExecutionMode.Autocommit, scenario.Timeouts, CancellationToken.None)).Succeeded, Is.True);
            var schema = await database.InspectSchemaAsync(CancellationToken.None);
            await RollbackVerifier.Seeding.Seeder.SeedAsync(database, schema, scenario.Seed, RollbackVerifier.Seeding.SeedPhase.PreExisting, CancellationToken.None);
            var copy = await ((ICloneableDatabase)database).CloneAsync(CancellationToken.None);
            await using (copy)
            {
                Assert.That(await copy.InspectSchemaAsync(CancellationToken.None), Is.EqualTo(await database.InspectSchemaAsync(CancellationToken.None)));
                foreach (var table in schema.Tables)
                {
                    var original = await Rows(database, table);
                    Assert.That(await Rows(copy, table), Is.EqualTo(original), table.Name.ToString());
                    Assert.That(original, Is.Not.Empty);
                }

                // The copy is a database of its own: writing to it leaves the original alone.
                await using var connection = await copy.OpenConnectionAsync(CancellationToken.None);
                await using var delete = connection.CreateCommand();
                delete.CommandText = "DELETE FROM parent";
                await delete.ExecuteNonQueryAsync();
                Assert.That(await Rows(database, schema.FindTable(ObjectName.Unqualified("child"))!), Is.Not.Empty);
            }
        }
    }

    private static async Task<List<string>> Rows(IDatabaseInstance database, Table table)
    {
        var rows = new List<string>();
        await foreach (var row in database.ReadRowsAsync(table, CancellationToken.None))
        {
            rows.Add(string.Join("|", row.Select(v => v ?? "<null>")));
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }
}
