using RollbackVerifier.Execution;
using RollbackVerifier.MySql;
using RollbackVerifier.PostgreSql;
using RollbackVerifier.Preflight;
using RollbackVerifier.Sqlite;

namespace RollbackVerifier.Tests.Preflight;

/// <summary>The guard reads the token stream by each engine's lexical rules: plain reads pass, anything that writes, locks or waits is refused.</summary>
public sealed class ReadOnlyGuardTests
{
    private static readonly IDialect Postgres = new PostgresDialect();
    private static readonly IDialect MySql = new MySqlDialect();
    private static readonly IDialect Sqlite = new SqliteDialect();

    private static IEnumerable<IDialect> All => [Postgres, MySql, Sqlite];

    [TestCase("SELECT count(*) FROM items")]
    [TestCase("select 1;")]
    [TestCase("(SELECT 1) UNION (SELECT 2)")]
    [TestCase("WITH r AS (SELECT id FROM items WHERE name IS NULL) SELECT count(*) FROM r")]
    [TestCase("VALUES (1), (2)")]
    [TestCase("EXPLAIN SELECT * FROM items")]
    [TestCase("SELECT 'DELETE FROM items; DROP TABLE items' AS text")]
    [TestCase("SELECT 1 -- DELETE FROM items\n")]
    [TestCase("SELECT /* UPDATE items SET x = 1 */ 1")]
    [TestCase("SELECT replace(name, 'a', 'b') FROM items")]
    [TestCase("SELECT substring(name FROM 1 FOR 3) FROM items")]
    public void Plain_reads_are_allowed(string sql)
    {
        foreach (var dialect in All)
        {
            Assert.That(ReadOnlyGuard.Check(sql, dialect).Allowed, Is.True, $"{dialect.Kind}: {ReadOnlyGuard.Check(sql, dialect).Reason}");
        }
    }

    [TestCase("UPDATE items SET name = 'x'", "starts with UPDATE")]
    [TestCase("DELETE FROM items", "starts with DELETE")]
    [TestCase("INSERT INTO items VALUES (1)", "starts with INSERT")]
    [TestCase("DROP TABLE items", "starts with DROP")]
    [TestCase("TRUNCATE items", "starts with TRUNCATE")]
    [TestCase("SET statement_timeout = 0", "starts with SET")]
    [TestCase("BEGIN", "starts with BEGIN")]
    [TestCase("COMMIT", "starts with COMMIT")]
    [TestCase("CALL cleanup()", "starts with CALL")]
    [TestCase("SELECT * INTO archive FROM items", "SELECT ... INTO")]
    [TestCase("SELECT 1; DELETE FROM items", "2 statements")]
    [TestCase("WITH gone AS (DELETE FROM items RETURNING id) SELECT count(*) FROM gone", "contains DELETE")]
    [TestCase("WITH x AS (UPDATE items SET name = 'x' RETURNING id) SELECT 1", "contains UPDATE")]
    [TestCase("WITH x AS (INSERT INTO items VALUES (1) RETURNING id) SELECT 1", "contains INSERT")]
    [TestCase("SELECT * FROM items FOR UPDATE", "FOR UPDATE locks rows")]
    [TestCase("SELECT * FROM items FOR SHARE", "FOR SHARE locks rows")]
    [TestCase("SELECT * FROM items FOR NO KEY UPDATE", "FOR NO locks rows")]
    [TestCase("SELECT * FROM items LOCK IN SHARE MODE", "takes locks")]
    [TestCase("SELECT sleep(10)", "calls sleep()")]
    public void Writes_locks_and_other_statements_are_refused_on_every_engine(string sql, string reason)
    {
        foreach (var dialect in All)
        {
            var decision = ReadOnlyGuard.Check(sql, dialect);
            Assert.That(decision.Allowed, Is.False, $"{dialect.Kind} allowed {sql}");
            Assert.That(decision.Reason, Does.Contain(reason), dialect.Kind.ToString());
        }
    }

    [TestCase("SELECT nextval('items_id_seq')", "nextval")]
    [TestCase("SELECT pg_catalog.setval('items_id_seq', 1)", "setval")]
    [TestCase("SELECT \"nextval\"('items_id_seq')", "nextval")]
    [TestCase("SELECT pg_advisory_lock(42)", "pg_advisory_lock")]
    [TestCase("SELECT pg_try_advisory_xact_lock(42)", "pg_try_advisory_xact_lock")]
    [TestCase("SELECT set_config('default_transaction_read_only', 'off', false)", "set_config")]
    [TestCase("SELECT * FROM dblink('host=x', 'DELETE FROM items') AS t(x int)", "dblink")]
    [TestCase("SELECT query_to_xml('DELETE FROM items', true, false, '')", "query_to_xml")]
    [TestCase("SELECT pg_terminate_backend(123)", "pg_terminate_backend")]
    [TestCase("SELECT pg_read_file('/etc/passwd')", "pg_read_file")]
    [TestCase("EXPLAIN ANALYZE SELECT * FROM items", "EXPLAIN ANALYZE")]
    [TestCase("EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM items", "EXPLAIN ANALYZE")]
    [TestCase("SELECT 1 FROM items FOR KEY SHARE", "FOR KEY")]
    [TestCase("SELECT $$x$$; DELETE FROM items", "2 statements")]
    [TestCase("SELECT 1\n\\! rm -rf /", "meta-command")]
    public void PostgreSQL_functions_and_forms_that_write_are_refused(string sql, string reason)
    {
        var decision = ReadOnlyGuard.Check(sql, Postgres);
        Assert.That(decision.Allowed, Is.False, sql);
        Assert.That(decision.Reason, Does.Contain(reason));
    }

    [TestCase("SELECT 1 /*!50000 , (SELECT count(*) FROM items) */", "executable comment")]
    [TestCase("SELECT 1 /*M! , (DELETE FROM items) */", "executable comment")]
    [TestCase("SELECT @n := count(*) FROM items", "assigns a variable")]
    [TestCase("SELECT GET_LOCK('x', 10)", "get_lock")]
    [TestCase("SELECT NEXT VALUE FOR invoice_numbers", "NEXT VALUE FOR")]
    [TestCase("SELECT NEXTVAL(invoice_numbers)", "nextval")]
    [TestCase("SELECT * FROM items INTO OUTFILE '/tmp/x'", "INTO")]
    [TestCase("SELECT LOAD_FILE('/etc/passwd')", "load_file")]
    [TestCase("REPLACE INTO items VALUES (1)", "starts with REPLACE")]
    [TestCase("EXPLAIN ANALYZE SELECT 1", "EXPLAIN ANALYZE")]
    public void MySQL_forms_that_write_are_refused(string sql, string reason)
    {
        var decision = ReadOnlyGuard.Check(sql, MySql);
        Assert.That(decision.Allowed, Is.False, sql);
        Assert.That(decision.Reason, Does.Contain(reason));
    }

    [TestCase("PRAGMA writable_schema = ON", "starts with PRAGMA")]
    [TestCase("ATTACH DATABASE '/tmp/x.db' AS x", "starts with ATTACH")]
    [TestCase("SELECT load_extension('/tmp/evil.so')", "load_extension")]
    [TestCase("SELECT writefile('/tmp/x', 'y')", "writefile")]
    [TestCase("VACUUM INTO '/tmp/copy.db'", "starts with VACUUM")]
    public void SQLite_forms_that_write_are_refused(string sql, string reason)
    {
        var decision = ReadOnlyGuard.Check(sql, Sqlite);
        Assert.That(decision.Allowed, Is.False, sql);
        Assert.That(decision.Reason, Does.Contain(reason));
    }

    [Test]
    public void Quoted_names_that_look_like_keywords_are_names_not_statements()
    {
        Assert.That(ReadOnlyGuard.Check("SELECT \"update\", \"delete\" FROM \"insert\"", Postgres).Allowed, Is.True);
        Assert.That(ReadOnlyGuard.Check("SELECT `update` FROM `drop`", MySql).Allowed, Is.True);
        Assert.That(ReadOnlyGuard.Check("SELECT [into] FROM \"lock\"", Sqlite).Allowed, Is.True);
    }

    [Test]
    public void An_unterminated_quote_cannot_hide_a_statement()
    {
        var decision = ReadOnlyGuard.Check("SELECT 'x; DELETE FROM items", Postgres);
        Assert.That(decision.Allowed, Is.False);
        Assert.That(decision.Reason, Does.Contain("cannot be read as SQL"));
    }

    [Test]
    public void Ensure_names_the_statement_and_says_nothing_was_sent()
    {
        var ex = Assert.Throws<StatementRefusedException>(() => ReadOnlyGuard.Ensure("DELETE FROM items", Postgres, "check PF-x (checklist.postgres.sql:12)"));
        Assert.That(ex!.Message, Does.Contain("PF-x (checklist.postgres.sql:12)").And.Contain("not sent"));
    }
}
