using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Splitting;

namespace RollbackVerifier.Tests.Unit;

public sealed class SplitterTests
{
    private static IReadOnlyList<SqlStatement> Pg(string sql) => new PostgresStatementSplitter().Split(sql, "test.sql");

    private static IReadOnlyList<SqlStatement> My(string sql) => new MySqlStatementSplitter().Split(sql, "test.sql");

    private static IReadOnlyList<SqlStatement> Lite(string sql) => new SqliteStatementSplitter().Split(sql, "test.sql");

    [Test]
    public void Splits_on_semicolons_outside_quotes_and_comments_with_numbers_and_lines()
    {
        var statements = Pg("-- header\nSELECT 'a;b';\n\n/* c; /* nested; */ */ SELECT \"x;y\" FROM t; SELECT 3");
        Assert.That(statements.Select(s => s.Text), Is.EqualTo(new[] { "SELECT 'a;b'", "SELECT \"x;y\" FROM t", "SELECT 3" }));
        Assert.That(statements.Select(s => s.Line), Is.EqualTo(new[] { 2, 4, 4 }));
        Assert.That(statements.Select(s => s.Number), Is.EqualTo(new[] { 1, 2, 3 }));
    }

    [Test]
    public void Postgres_dollar_quoted_bodies_stay_whole_and_parameters_are_not_tags()
    {
        var statements = Pg("CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END $body$ LANGUAGE plpgsql;\nPREPARE p AS SELECT $1;\nSELECT $$a;b$$;");
        Assert.That(statements, Has.Count.EqualTo(3));
        Assert.That(statements[0].Text, Does.EndWith("LANGUAGE plpgsql"));
        Assert.That(statements[1].Text, Is.EqualTo("PREPARE p AS SELECT $1"));
    }

    [Test]
    public void Postgres_begin_atomic_body_is_one_statement()
    {
        var statements = Pg("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END;\nSELECT 2;");
        Assert.That(statements, Has.Count.EqualTo(2));
    }

    [Test]
    public void Postgres_escape_strings_honour_backslashes()
    {
        Assert.That(Pg("SELECT E'it\\'s; fine'; SELECT 2;"), Has.Count.EqualTo(2));
    }

    [TestCase("CREATE INDEX CONCURRENTLY i ON t (a)", true)]
    [TestCase("DROP INDEX CONCURRENTLY i", true)]
    [TestCase("VACUUM t", true)]
    [TestCase("ALTER TYPE mood ADD VALUE 'x'", true)]
    [TestCase("CREATE INDEX i ON t (a)", false)]
    public void Postgres_marks_statements_that_cannot_run_in_a_transaction(string sql, bool expected) =>
        Assert.That(Pg(sql)[0].RequiresNoTransaction, Is.EqualTo(expected));

    [TestCase("BEGIN", StatementKind.BeginTransaction)]
    [TestCase("START TRANSACTION", StatementKind.BeginTransaction)]
    [TestCase("COMMIT", StatementKind.Commit)]
    [TestCase("END", StatementKind.Commit)]
    [TestCase("ROLLBACK", StatementKind.Rollback)]
    [TestCase("ROLLBACK TO SAVEPOINT a", StatementKind.Regular)]
    [TestCase("-- c\nbegin transaction", StatementKind.BeginTransaction)]
    public void Classifies_transaction_control(string sql, StatementKind kind) => Assert.That(Pg(sql)[0].Kind, Is.EqualTo(kind));

    [Test]
    public void Psql_meta_commands_are_rejected_with_their_line()
    {
        var ex = Assert.Throws<ScriptSplitException>(() => Pg("SELECT 1;\n\\connect other\n"));
        Assert.That(ex!.Line, Is.EqualTo(2));
        Assert.That(ex.Message, Does.Contain("test.sql:2").And.Contain("\\connect"));
    }

    [TestCase("SELECT 'abc;\nSELECT 2;", 1, "single-quoted")]
    [TestCase("SELECT 1;\n/* open", 2, "comment")]
    [TestCase("SELECT 1;\n\nSELECT $x$ never closed", 3, "dollar-quoted")]
    public void Unterminated_constructs_name_the_line_where_they_start(string sql, int line, string what)
    {
        var ex = Assert.Throws<ScriptSplitException>(() => Pg(sql));
        Assert.That(ex!.Line, Is.EqualTo(line));
        Assert.That(ex.Message, Does.Contain(what));
    }

    [Test]
    public void MySql_delimiter_command_changes_the_delimiter()
    {
        var statements = My("DELIMITER $$\nCREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET NEW.a = 1; SET NEW.b = 2; END$$\nDELIMITER ;\nSELECT 1;");
        Assert.That(statements, Has.Count.EqualTo(2));
        Assert.That(statements[0].Text, Does.StartWith("CREATE TRIGGER").And.EndWith("END"));
        Assert.That(statements[1].Line, Is.EqualTo(4));
    }

    [Test]
    public void MySql_compound_bodies_without_delimiter_stay_whole()
    {
        var sql = "CREATE PROCEDURE p() BEGIN IF 1 THEN SELECT 1; END IF; WHILE 0 DO SELECT 2; END WHILE; SELECT IF(1, 2, 3); END;\nSELECT 9;";
        var statements = My(sql);
        Assert.That(statements, Has.Count.EqualTo(2));
        Assert.That(statements[1].Text, Is.EqualTo("SELECT 9"));
    }

    [Test]
    public void MySql_hash_comments_backticks_and_backslash_escapes()
    {
        var statements = My("# c;\nSELECT `a;b`, 'it\\'s;' FROM t; SELECT 2 -- x;\n;");
        Assert.That(statements, Has.Count.EqualTo(2));
        Assert.That(statements[0].Line, Is.EqualTo(2));
    }

    [Test]
    public void MySql_implicit_commit_detection()
    {
        Assert.Multiple(() =>
        {
            Assert.That(My("ALTER TABLE t ADD c INT")[0].CommitsImplicitly, Is.True);
            Assert.That(My("CREATE TEMPORARY TABLE t (a INT)")[0].CommitsImplicitly, Is.False);
            Assert.That(My("UPDATE t SET a = 1")[0].CommitsImplicitly, Is.False);
        });
    }

    [Test]
    public void Sqlite_trigger_bodies_with_case_stay_whole()
    {
        var sql = "CREATE TRIGGER tr AFTER UPDATE ON t BEGIN UPDATE t SET a = CASE WHEN 1 THEN 2 END; DELETE FROM u; END;\nSELECT [x;y] FROM t;";
        var statements = Lite(sql);
        Assert.That(statements, Has.Count.EqualTo(2));
        Assert.That(statements[0].Text, Does.EndWith("END"));
    }

    [Test]
    public void Crlf_line_endings_count_lines_correctly()
    {
        var statements = Lite("SELECT 1;\r\n\r\nSELECT\r\n 2;");
        Assert.That(statements[1].Line, Is.EqualTo(3));
        Assert.That(statements[1].Text, Is.EqualTo("SELECT\n 2"));
    }

    [Test]
    public void Empty_statements_are_skipped() => Assert.That(Pg(";;  ; -- nothing\n"), Is.Empty);
}
