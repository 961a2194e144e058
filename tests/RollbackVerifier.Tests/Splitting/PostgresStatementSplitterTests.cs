using System.Diagnostics;
using System.Text;
using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Splitting;

namespace RollbackVerifier.Tests.Splitting;

public sealed class PostgresStatementSplitterTests
{
    private const string File = "migrations/V2__up.sql";

    private static IReadOnlyList<SqlStatement> Split(string sql) => new PostgresStatementSplitter().Split(sql, File);

    private static string[] Texts(string sql) => Split(sql).Select(s => s.Text).ToArray();

    private static ScriptSplitException SplitFails(string sql) => Assert.Throws<ScriptSplitException>(() => Split(sql))!;

    [Test]
    public void Emits_numbered_trimmed_statements_without_their_delimiters()
    {
        var statements = Split("CREATE TABLE t (a int);\n  INSERT INTO t VALUES (1) ;\nSELECT 1");

        Assert.That(statements, Is.EqualTo(new[]
        {
            new SqlStatement(1, 1, "CREATE TABLE t (a int)", StatementKind.Regular, false),
            new SqlStatement(2, 2, "INSERT INTO t VALUES (1)", StatementKind.Regular, false),
            new SqlStatement(3, 3, "SELECT 1", StatementKind.Regular, false),
        }));
    }

    [Test]
    public void Single_quoted_strings_hide_semicolons_and_double_quotes_escape()
    {
        Assert.That(Texts("SELECT 'it''s; here'; SELECT 2;"), Is.EqualTo(new[] { "SELECT 'it''s; here'", "SELECT 2" }));
    }

    [Test]
    public void A_backslash_in_a_standard_string_is_literal()
    {
        // standard_conforming_strings: 'a\' is a complete string.
        Assert.That(Texts("SELECT 'a\\'; SELECT 2;"), Is.EqualTo(new[] { "SELECT 'a\\'", "SELECT 2" }));
    }

    [TestCase("SELECT E'it\\'s; fine'; SELECT 2;", "SELECT E'it\\'s; fine'")]
    [TestCase("SELECT e'ends with \\\\'; SELECT 2;", "SELECT e'ends with \\\\'")]
    [TestCase("SELECT E'doubled '' quote;'; SELECT 2;", "SELECT E'doubled '' quote;'")]
    public void Escape_strings_honour_backslashes(string sql, string first)
    {
        Assert.That(Texts(sql), Is.EqualTo(new[] { first, "SELECT 2" }));
    }

    [Test]
    public void A_word_ending_in_e_before_a_quote_is_not_an_escape_string_prefix()
    {
        // "type 'x'" style literal: the word is "date", not "E".
        Assert.That(Texts("SELECT date '2020-01-01\\'; SELECT 2;"), Has.Length.EqualTo(2));
    }

    [Test]
    public void Double_quoted_identifiers_hide_semicolons_and_double_quotes_escape()
    {
        Assert.That(Texts("SELECT \"a\"\";b\" FROM \"t;u\"; SELECT 2"), Is.EqualTo(new[] { "SELECT \"a\"\";b\" FROM \"t;u\"", "SELECT 2" }));
    }

    [Test]
    public void Dollar_quoted_bodies_stay_whole()
    {
        var sql = "CREATE FUNCTION f() RETURNS int AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$ LANGUAGE plpgsql;\nSELECT f();";

        var statements = Split(sql);

        Assert.That(statements.Select(s => s.Text), Is.EqualTo(new[]
        {
            "CREATE FUNCTION f() RETURNS int AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$ LANGUAGE plpgsql",
            "SELECT f()",
        }));
        Assert.That(statements[1].Line, Is.EqualTo(6));
    }

    [Test]
    public void Tagged_dollar_quotes_close_only_on_the_same_tag()
    {
        var sql = "DO $outer$ BEGIN EXECUTE $inner$ SELECT 1; $inner$; PERFORM $$;$$; END $outer$; SELECT 2;";

        Assert.That(Texts(sql), Is.EqualTo(new[]
        {
            "DO $outer$ BEGIN EXECUTE $inner$ SELECT 1; $inner$; PERFORM $$;$$; END $outer$",
            "SELECT 2",
        }));
    }

    [Test]
    public void Dollar_tags_are_case_sensitive()
    {
        Assert.That(Texts("SELECT $Tag$ $tag$; $TAG$ ; $Tag$; SELECT 2;"), Is.EqualTo(new[] { "SELECT $Tag$ $tag$; $TAG$ ; $Tag$", "SELECT 2" }));
    }

    [Test]
    public void Positional_parameters_are_not_dollar_tags()
    {
        Assert.That(
            Texts("PREPARE p(int, int) AS SELECT $1 + $2; EXECUTE p(1, 2);"),
            Is.EqualTo(new[] { "PREPARE p(int, int) AS SELECT $1 + $2", "EXECUTE p(1, 2)" }));
    }

    [Test]
    public void A_dollar_tag_cannot_start_with_a_digit()
    {
        // "$1$" is the parameter $1 followed by "$", not the tag "$1$" (which would swallow the rest of the script).
        Assert.That(Texts("SELECT $1$2; SELECT 3;"), Is.EqualTo(new[] { "SELECT $1$2", "SELECT 3" }));
    }

    [Test]
    public void Begin_atomic_outside_create_function_or_procedure_is_not_a_body()
    {
        // A column named "begin" aliased "atomic".
        Assert.That(Texts("SELECT begin atomic FROM t; SELECT 2;"), Is.EqualTo(new[] { "SELECT begin atomic FROM t", "SELECT 2" }));
    }

    [Test]
    public void Trailing_comments_before_the_delimiter_are_not_statement_text()
    {
        Assert.That(Texts("SELECT 1 /* why */ -- note\n;\nSELECT 2 -- last"), Is.EqualTo(new[] { "SELECT 1", "SELECT 2" }));
    }

    [Test]
    public void A_dollar_inside_an_identifier_does_not_open_a_dollar_quote()
    {
        Assert.That(Texts("SELECT a$b$c FROM t$x$; SELECT 2;"), Is.EqualTo(new[] { "SELECT a$b$c FROM t$x$", "SELECT 2" }));
    }

    [Test]
    public void Line_comments_hide_semicolons_and_leading_comments_are_dropped()
    {
        var statements = Split("-- header; not a statement\n-- another\nSELECT 1 -- trailing; comment\n, 2;\n");

        Assert.That(statements, Has.Count.EqualTo(1));
        Assert.That(statements[0].Text, Is.EqualTo("SELECT 1 -- trailing; comment\n, 2"));
        Assert.That(statements[0].Line, Is.EqualTo(3));
    }

    [Test]
    public void Block_comments_nest()
    {
        var statements = Split("/* outer /* inner; */ still comment; */ SELECT /* a; /* b; */ */ 1; SELECT 2;");

        Assert.That(statements.Select(s => s.Text), Is.EqualTo(new[] { "SELECT /* a; /* b; */ */ 1", "SELECT 2" }));
    }

    [Test]
    public void Quotes_inside_comments_and_comment_markers_inside_quotes_are_ignored()
    {
        Assert.That(
            Texts("SELECT '--not; a comment', '/*'; -- it's\n/* \" $$ */ SELECT 2;"),
            Is.EqualTo(new[] { "SELECT '--not; a comment', '/*'", "SELECT 2" }));
    }

    [Test]
    public void Begin_atomic_bodies_with_case_stay_whole()
    {
        var sql = """
            CREATE FUNCTION f(a int) RETURNS int
            LANGUAGE sql
            BEGIN ATOMIC
              SELECT 1;
              SELECT CASE WHEN a > 0 THEN 2 ELSE 3 END;
              SELECT (CASE a WHEN 1 THEN 1 END);
            END;
            SELECT f(1);
            """;

        var statements = Split(sql);

        Assert.That(statements, Has.Count.EqualTo(2));
        Assert.That(statements[0].Text, Does.StartWith("CREATE FUNCTION f(a int)").And.EndWith("SELECT (CASE a WHEN 1 THEN 1 END);\nEND"));
        Assert.That(statements[0].Kind, Is.EqualTo(StatementKind.Regular));
        Assert.That(statements[1], Is.EqualTo(new SqlStatement(2, 8, "SELECT f(1)", StatementKind.Regular, false)));
    }

    [Test]
    public void Create_or_replace_procedure_with_begin_atomic_stays_whole()
    {
        var sql = "create or replace procedure p() language sql begin atomic insert into t values (1); delete from u; end; call p();";

        Assert.That(Texts(sql), Is.EqualTo(new[]
        {
            "create or replace procedure p() language sql begin atomic insert into t values (1); delete from u; end",
            "call p()",
        }));
    }

    [Test]
    public void End_outside_a_function_body_is_a_statement_of_its_own()
    {
        var statements = Split("BEGIN; UPDATE t SET a = CASE WHEN b THEN 1 END; END;");

        Assert.That(statements.Select(s => s.Kind), Is.EqualTo(new[] { StatementKind.BeginTransaction, StatementKind.Regular, StatementKind.Commit }));
    }

    [Test]
    public void Unterminated_begin_atomic_body_names_the_line_of_the_body()
    {
        var ex = SplitFails("SELECT 1;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n SELECT 1;\n");

        Assert.That(ex.Line, Is.EqualTo(3));
        Assert.That(ex.File, Is.EqualTo(File));
        Assert.That(ex.Message, Does.Contain("BEGIN ATOMIC").And.Contain("unterminated"));
    }

    [Test]
    public void Semicolons_inside_parentheses_do_not_split_like_psql()
    {
        var sql = "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)); SELECT 1;";

        Assert.That(Texts(sql), Is.EqualTo(new[]
        {
            "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))",
            "SELECT 1",
        }));
    }

    [Test]
    public void An_unclosed_parenthesis_is_reported_at_its_line()
    {
        var ex = SplitFails("SELECT 1;\nSELECT (1;\nSELECT 2;");

        Assert.That(ex.Line, Is.EqualTo(2));
        Assert.That(ex.Message, Does.Contain("parenthesis"));
    }

    [TestCase("SELECT 1;\n\\connect other\nSELECT 2;", 2, "\\connect other", "connects to another database")]
    [TestCase("\\set owner alice\nSELECT 1;", 1, "\\set owner alice", "sets a psql variable")]
    [TestCase("SELECT 1;\n  \\i other.sql", 2, "\\i other.sql", "includes another file")]
    [TestCase("SELECT 1;\n\\copy t from 'x.csv'", 2, "\\copy t from 'x.csv'", "client-side file")]
    [TestCase("SELECT 1\n\\gset\n", 2, "\\gset", "is not supported; scripts must be plain SQL")]
    [TestCase("SELECT 1 \\g\n", 1, "\\g", "is not supported; scripts must be plain SQL")]
    public void Psql_meta_commands_that_change_what_runs_are_rejected_with_file_and_line(string sql, int line, string command, string why)
    {
        var ex = SplitFails(sql);

        Assert.That(ex.Line, Is.EqualTo(line));
        Assert.That(ex.Message, Does.StartWith($"{File}:{line}: psql meta-command '{command}'").And.Contain(why));
    }

    [Test]
    public void Psql_output_commands_are_skipped_and_later_statements_keep_their_lines()
    {
        var statements = new PostgresStatementSplitter().Split("\\set ON_ERROR_STOP on\n\\echo creating\nCREATE TABLE t (id int);\n\\timing on\nSELECT 1; \\qecho done\nSELECT 2;", File);

        Assert.That(statements.Select(s => (s.Line, s.Text)), Is.EqualTo(new[] { (3, "CREATE TABLE t (id int)"), (5, "SELECT 1"), (6, "SELECT 2") }));
    }

    [Test]
    public void Backslashes_inside_quotes_and_comments_are_not_meta_commands()
    {
        Assert.That(Texts("SELECT '\\n', E'\\t', $$\\d$$, \"a\\b\"; -- \\connect x\n/* \\set */ SELECT 2;"), Has.Length.EqualTo(2));
    }

    [TestCase("SELECT 1;\n\nSELECT 'abc;\nSELECT 2;", 3, "unterminated single-quoted string")]
    [TestCase("SELECT 1;\nSELECT E'abc\\';", 2, "unterminated escape string")]
    [TestCase("SELECT \"abc;\n", 1, "unterminated double-quoted identifier")]
    [TestCase("SELECT 1;\n\nSELECT $x$ never closed $y$;", 3, "unterminated dollar-quoted string $x$")]
    [TestCase("SELECT 1;\nSELECT $$ never closed;", 2, "unterminated dollar-quoted string $$")]
    [TestCase("SELECT 1;\n/* open", 2, "unterminated /* comment")]
    [TestCase("SELECT 1;\n/* outer /* inner */\nSELECT 2;", 2, "unterminated /* comment")]
    public void Unterminated_constructs_name_the_line_where_they_start(string sql, int line, string problem)
    {
        var ex = SplitFails(sql);

        Assert.That(ex.Line, Is.EqualTo(line));
        Assert.That(ex.Message, Does.StartWith($"{File}:{line}: {problem}").And.EndWith("starting here"));
    }

    [Test]
    public void Line_numbers_count_lines_inside_multi_line_strings_comments_and_bodies()
    {
        var sql = "SELECT 'a\nb\nc';\n/* x\ny */ SELECT $$\n\n$$; SELECT 3;\n\n\n  SELECT\n4";

        Assert.That(Split(sql).Select(s => s.Line), Is.EqualTo(new[] { 1, 5, 7, 10 }));
    }

    [Test]
    public void Crlf_line_endings_are_counted_once_and_normalised()
    {
        var statements = Split("SELECT 'a\r\nb';\r\n\r\n-- c\r\nSELECT\r\n  2;\r\n");

        Assert.That(statements.Select(s => s.Line), Is.EqualTo(new[] { 1, 5 }));
        Assert.That(statements.Select(s => s.Text), Is.EqualTo(new[] { "SELECT 'a\nb'", "SELECT\n  2" }));
    }

    [Test]
    public void A_leading_byte_order_mark_is_ignored()
    {
        Assert.That(Split("\uFEFFBEGIN;")[0].Kind, Is.EqualTo(StatementKind.BeginTransaction));
    }

    [Test]
    public void Empty_statements_are_skipped_and_numbering_stays_contiguous()
    {
        var statements = Split(";;\n ; -- only a comment\n;/* c */;SELECT 1;;;SELECT 2;");

        Assert.That(statements.Select(s => (s.Number, s.Text)), Is.EqualTo(new[] { (1, "SELECT 1"), (2, "SELECT 2") }));
    }

    [TestCase("")]
    [TestCase("   \n\t\n")]
    [TestCase("-- nothing\n/* at all */")]
    public void Scripts_without_statements_split_into_nothing(string sql) => Assert.That(Split(sql), Is.Empty);

    [Test]
    public void A_final_statement_without_delimiter_is_emitted_without_trailing_whitespace()
    {
        Assert.That(Texts("SELECT 1;\nSELECT 2\n\n"), Is.EqualTo(new[] { "SELECT 1", "SELECT 2" }));
    }

    [Test]
    public void Comments_after_the_last_delimiter_do_not_make_a_statement()
    {
        Assert.That(Texts("SELECT 1; -- done\n/* end */\n"), Is.EqualTo(new[] { "SELECT 1" }));
    }

    [TestCase("BEGIN", StatementKind.BeginTransaction)]
    [TestCase("begin transaction", StatementKind.BeginTransaction)]
    [TestCase("BEGIN WORK", StatementKind.BeginTransaction)]
    [TestCase("BEGIN ISOLATION LEVEL SERIALIZABLE", StatementKind.BeginTransaction)]
    [TestCase("BEGIN READ ONLY", StatementKind.BeginTransaction)]
    [TestCase("BEGIN NOT DEFERRABLE", StatementKind.BeginTransaction)]
    [TestCase("START TRANSACTION ISOLATION LEVEL REPEATABLE READ", StatementKind.BeginTransaction)]
    [TestCase("-- comment\n/* another */ Begin", StatementKind.BeginTransaction)]
    [TestCase("COMMIT", StatementKind.Commit)]
    [TestCase("COMMIT WORK", StatementKind.Commit)]
    [TestCase("commit transaction", StatementKind.Commit)]
    [TestCase("END", StatementKind.Commit)]
    [TestCase("END TRANSACTION", StatementKind.Commit)]
    [TestCase("ROLLBACK", StatementKind.Rollback)]
    [TestCase("ROLLBACK WORK", StatementKind.Rollback)]
    [TestCase("ABORT", StatementKind.Rollback)]
    [TestCase("ROLLBACK TO SAVEPOINT a", StatementKind.Regular)]
    [TestCase("ROLLBACK TO a", StatementKind.Regular)]
    [TestCase("ROLLBACK WORK TO SAVEPOINT a", StatementKind.Regular)]
    [TestCase("COMMIT PREPARED 'tx'", StatementKind.Regular)]
    [TestCase("ROLLBACK PREPARED 'tx'", StatementKind.Regular)]
    [TestCase("SAVEPOINT a", StatementKind.Regular)]
    [TestCase("RELEASE SAVEPOINT a", StatementKind.Regular)]
    [TestCase("SELECT 'BEGIN'", StatementKind.Regular)]
    [TestCase("BEGIN ATOMIC", StatementKind.Regular)]
    [TestCase("BEGINNING", StatementKind.Regular)]
    public void Classifies_transaction_control(string sql, StatementKind kind) => Assert.That(Split(sql)[0].Kind, Is.EqualTo(kind));

    [TestCase("CREATE INDEX CONCURRENTLY i ON t (a)", true)]
    [TestCase("create unique index concurrently i on t (a)", true)]
    [TestCase("DROP INDEX CONCURRENTLY IF EXISTS i", true)]
    [TestCase("REINDEX INDEX CONCURRENTLY i", true)]
    [TestCase("REINDEX TABLE CONCURRENTLY t", true)]
    [TestCase("REINDEX (VERBOSE) DATABASE d", true)]
    [TestCase("REINDEX SCHEMA s", true)]
    [TestCase("VACUUM", true)]
    [TestCase("VACUUM (ANALYZE) t", true)]
    [TestCase("CREATE DATABASE d", true)]
    [TestCase("DROP DATABASE IF EXISTS d", true)]
    [TestCase("CREATE TABLESPACE ts LOCATION '/x'", true)]
    [TestCase("DROP TABLESPACE ts", true)]
    [TestCase("ALTER SYSTEM SET work_mem = '64MB'", true)]
    [TestCase("ALTER TYPE mood ADD VALUE 'meh'", true)]
    [TestCase("ALTER TYPE public.mood ADD VALUE IF NOT EXISTS 'meh' BEFORE 'sad'", true)]
    [TestCase("CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p", true)]
    [TestCase("DROP SUBSCRIPTION s", true)]
    [TestCase("ALTER TABLE measurements DETACH PARTITION measurements_2020 CONCURRENTLY", true)]
    [TestCase("ALTER DATABASE d SET TABLESPACE ts", true)]
    [TestCase("DISCARD ALL", true)]
    [TestCase("/* leading */ VACUUM t", true)]
    [TestCase("CREATE INDEX i ON t (a)", false)]
    [TestCase("CREATE UNIQUE INDEX i ON t (a)", false)]
    [TestCase("DROP INDEX i", false)]
    [TestCase("REINDEX INDEX i", false)]
    [TestCase("REINDEX TABLE t", false)]
    [TestCase("ALTER TYPE mood RENAME VALUE 'a' TO 'b'", false)]
    [TestCase("ALTER TABLE measurements DETACH PARTITION measurements_2020", false)]
    [TestCase("ALTER TABLE t ADD COLUMN concurrently int", false)]
    [TestCase("ALTER DATABASE d SET work_mem = '1MB'", false)]
    [TestCase("CREATE TABLE concurrently (a int)", false)]
    [TestCase("SELECT 'VACUUM'", false)]
    [TestCase("DISCARD PLANS", false)]
    public void Marks_statements_that_cannot_run_in_a_transaction_block(string sql, bool expected) =>
        Assert.That(Split(sql)[0].RequiresNoTransaction, Is.EqualTo(expected));

    [Test]
    public void Large_scripts_split_in_linear_time()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < 60_000; i++)
        {
            builder.Append("INSERT INTO t (a, b) VALUES (").Append(i).Append(", 'text; with ''quotes'''); -- note;\n");
            builder.Append("/* block; */ SELECT $$;$$, E'\\'';\n");
        }

        var sql = builder.ToString();
        Assert.That(sql, Has.Length.GreaterThan(5_000_000));

        var stopwatch = Stopwatch.StartNew();
        var statements = Split(sql);
        stopwatch.Stop();

        Assert.That(statements, Has.Count.EqualTo(120_000));
        Assert.That(statements[^1].Line, Is.EqualTo(120_000));
        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
    }

    [Test]
    public void A_huge_dollar_quoted_body_with_many_dollars_is_scanned_once()
    {
        var body = string.Concat(Enumerable.Repeat("x $ y $1 $a ", 200_000));
        var statements = Split($"SELECT $body${body}$body$; SELECT 2;");

        Assert.That(statements, Has.Count.EqualTo(2));
        Assert.That(statements[0].Text, Has.Length.EqualTo(body.Length + 19));
    }
}
