using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Splitting;

namespace RollbackVerifier.Tests.Splitting;

public sealed class SqliteStatementSplitterTests
{
    private const string File = "rollback.sql";

    private static IReadOnlyList<SqlStatement> Split(string sql) => new SqliteStatementSplitter().Split(sql, File);

    private static string[] Texts(string sql) => Split(sql).Select(s => s.Text).ToArray();

    private static ScriptSplitException SplitFails(string sql) => Assert.Throws<ScriptSplitException>(() => Split(sql))!;

    [Test]
    public void Emits_numbered_trimmed_statements_without_their_delimiters()
    {
        Assert.That(Split("CREATE TABLE t (a);\n\nINSERT INTO t VALUES (1) ;\nVACUUM"), Is.EqualTo(new[]
        {
            new SqlStatement(1, 1, "CREATE TABLE t (a)", StatementKind.Regular, false),
            new SqlStatement(2, 3, "INSERT INTO t VALUES (1)", StatementKind.Regular, false),
            new SqlStatement(3, 4, "VACUUM", StatementKind.Regular, true),
        }));
    }

    [TestCase("SELECT 'it''s; ok'; SELECT 2;", "SELECT 'it''s; ok'")]
    [TestCase("SELECT 'a\\'; SELECT 2;", "SELECT 'a\\'")]
    [TestCase("SELECT \"a\"\";b\" FROM t; SELECT 2;", "SELECT \"a\"\";b\" FROM t")]
    [TestCase("SELECT `a;b``c` FROM t; SELECT 2;", "SELECT `a;b``c` FROM t")]
    [TestCase("SELECT [a;b], [c'd] FROM [t;]; SELECT 2;", "SELECT [a;b], [c'd] FROM [t;]")]
    public void Quoted_strings_and_identifiers_hide_semicolons(string sql, string first)
    {
        Assert.That(Texts(sql), Is.EqualTo(new[] { first, "SELECT 2" }));
    }

    [Test]
    public void Line_comments_need_no_space_and_leading_and_trailing_comments_are_dropped()
    {
        var statements = Split("--header;\n/* c; */\nSELECT 1 --x;\n;SELECT 2;");

        Assert.That(statements.Select(s => (s.Line, s.Text)), Is.EqualTo(new[] { (3, "SELECT 1"), (4, "SELECT 2") }));
    }

    [Test]
    public void Block_comments_do_not_nest()
    {
        Assert.That(Texts("/* a /* b; */ SELECT 1; SELECT /* ; */ 2;"), Is.EqualTo(new[] { "SELECT 1", "SELECT /* ; */ 2" }));
    }

    [Test]
    public void Trigger_body_with_case_expressions_stays_whole()
    {
        var sql = """
            CREATE TRIGGER tr AFTER UPDATE ON t
            WHEN CASE WHEN new.a > 0 THEN 1 ELSE 0 END = 1
            BEGIN
              UPDATE t SET b = CASE new.a WHEN 1 THEN 'one;' ELSE CASE WHEN new.a > 1 THEN 'many' END END WHERE id = new.id;
              INSERT INTO log VALUES (new.id, 'end');
              SELECT RAISE(ABORT, 'no; way') WHERE new.a < 0;
            END;
            SELECT [x;y] FROM t;
            """;

        var statements = Split(sql);

        Assert.That(statements, Has.Count.EqualTo(2));
        Assert.That(statements[0].Text, Does.StartWith("CREATE TRIGGER tr AFTER UPDATE ON t\nWHEN CASE").And.EndWith("WHERE new.a < 0;\nEND"));
        Assert.That(statements[1], Is.EqualTo(new SqlStatement(2, 8, "SELECT [x;y] FROM t", StatementKind.Regular, false)));
    }

    [Test]
    public void Temp_trigger_if_not_exists_with_instead_of_stays_whole()
    {
        var sql = "create temp trigger if not exists v_ins instead of insert on v begin insert into t values (new.a); delete from u; end; select 1;";

        Assert.That(Texts(sql), Is.EqualTo(new[]
        {
            "create temp trigger if not exists v_ins instead of insert on v begin insert into t values (new.a); delete from u; end",
            "select 1",
        }));
    }

    [Test]
    public void Begin_and_end_outside_a_trigger_are_transaction_statements()
    {
        var statements = Split("CREATE TABLE trigger_log (\"begin\" INT, [end] INT);\nBEGIN;\nINSERT INTO trigger_log VALUES (1, 2);\nEND;");

        Assert.That(statements.Select(s => s.Kind), Is.EqualTo(new[]
        {
            StatementKind.Regular, StatementKind.BeginTransaction, StatementKind.Regular, StatementKind.Commit,
        }));
    }

    [Test]
    public void Unterminated_trigger_body_names_the_line_of_begin()
    {
        var ex = SplitFails("SELECT 1;\nCREATE TRIGGER tr AFTER INSERT ON t\nBEGIN\n  DELETE FROM u;\n");

        Assert.That(ex.Line, Is.EqualTo(3));
        Assert.That(ex.Message, Does.Contain("unterminated trigger body"));
    }

    [Test]
    public void Sqlite3_dot_commands_are_rejected_with_their_line()
    {
        var ex = SplitFails("SELECT 1;\n.read other.sql\n");

        Assert.That(ex.Line, Is.EqualTo(2));
        Assert.That(ex.Message, Does.StartWith($"{File}:2: sqlite3 dot-command '.read other.sql' is not supported"));
    }

    [TestCase("SELECT 1;\nSELECT 'abc;\nSELECT 2;", 2, "unterminated single-quoted string")]
    [TestCase("SELECT \"abc;", 1, "unterminated double-quoted identifier")]
    [TestCase("SELECT 1;\n\n\nSELECT `abc;", 4, "unterminated backtick-quoted identifier")]
    [TestCase("SELECT [abc;", 1, "unterminated bracket-quoted identifier")]
    [TestCase("SELECT 1;\n/* open\n", 2, "unterminated /* comment")]
    public void Unterminated_constructs_name_the_line_where_they_start(string sql, int line, string problem)
    {
        var ex = SplitFails(sql);

        Assert.That(ex.Line, Is.EqualTo(line));
        Assert.That(ex.Message, Does.StartWith($"{File}:{line}: {problem}").And.EndWith("starting here"));
    }

    [Test]
    public void Crlf_and_multi_line_strings_keep_line_numbers_right()
    {
        var statements = Split("INSERT INTO t VALUES ('a\r\nb\r\nc');\r\n\r\nSELECT\r\n 2;\r\nCREATE TRIGGER tr AFTER INSERT ON t\r\nBEGIN\r\n SELECT 1;\r\nEND;");

        Assert.That(statements.Select(s => s.Line), Is.EqualTo(new[] { 1, 5, 7 }));
        Assert.That(statements[1].Text, Is.EqualTo("SELECT\n 2"));
        Assert.That(statements[2].Text, Is.EqualTo("CREATE TRIGGER tr AFTER INSERT ON t\nBEGIN\n SELECT 1;\nEND"));
    }

    [Test]
    public void Empty_statements_are_skipped_and_a_final_statement_needs_no_delimiter()
    {
        var statements = Split(";\n;;-- c\nSELECT 1;;;\nSELECT 2\n-- trailing");

        Assert.That(statements.Select(s => (s.Number, s.Text)), Is.EqualTo(new[] { (1, "SELECT 1"), (2, "SELECT 2") }));
    }

    [TestCase("BEGIN", StatementKind.BeginTransaction)]
    [TestCase("BEGIN TRANSACTION", StatementKind.BeginTransaction)]
    [TestCase("BEGIN DEFERRED", StatementKind.BeginTransaction)]
    [TestCase("begin immediate transaction", StatementKind.BeginTransaction)]
    [TestCase("BEGIN EXCLUSIVE", StatementKind.BeginTransaction)]
    [TestCase("COMMIT", StatementKind.Commit)]
    [TestCase("COMMIT TRANSACTION", StatementKind.Commit)]
    [TestCase("END", StatementKind.Commit)]
    [TestCase("END TRANSACTION", StatementKind.Commit)]
    [TestCase("ROLLBACK", StatementKind.Rollback)]
    [TestCase("ROLLBACK TRANSACTION", StatementKind.Rollback)]
    [TestCase("ROLLBACK TO sp", StatementKind.Regular)]
    [TestCase("ROLLBACK TRANSACTION TO SAVEPOINT sp", StatementKind.Regular)]
    [TestCase("SAVEPOINT sp", StatementKind.Regular)]
    [TestCase("RELEASE sp", StatementKind.Regular)]
    [TestCase("/* c */ -- d\nCOMMIT", StatementKind.Commit)]
    public void Classifies_transaction_control(string sql, StatementKind kind) => Assert.That(Split(sql)[0].Kind, Is.EqualTo(kind));

    [TestCase("VACUUM", true)]
    [TestCase("vacuum main", true)]
    [TestCase("VACUUM INTO 'backup.db'", true)]
    [TestCase("CREATE INDEX i ON t (a)", false)]
    [TestCase("DROP TABLE t", false)]
    [TestCase("SELECT 'VACUUM'", false)]
    public void Only_vacuum_must_run_outside_a_transaction(string sql, bool expected) =>
        Assert.That(Split(sql)[0].RequiresNoTransaction, Is.EqualTo(expected));
}
