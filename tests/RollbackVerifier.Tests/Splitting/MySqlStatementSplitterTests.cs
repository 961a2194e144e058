using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Splitting;

namespace RollbackVerifier.Tests.Splitting;

public sealed class MySqlStatementSplitterTests
{
    private const string File = "down/001.sql";

    private static IReadOnlyList<SqlStatement> Split(string sql) => new MySqlStatementSplitter().Split(sql, File);

    private static string[] Texts(string sql) => Split(sql).Select(s => s.Text).ToArray();

    private static ScriptSplitException SplitFails(string sql) => Assert.Throws<ScriptSplitException>(() => Split(sql))!;

    private static bool ImplicitCommit(string sql) => Split(sql)[0].CommitsImplicitly;

    [Test]
    public void Emits_numbered_trimmed_statements_without_their_delimiters()
    {
        Assert.That(Split("CREATE TABLE t (a INT);\nINSERT INTO t VALUES (1)"), Is.EqualTo(new[]
        {
            new SqlStatement(1, 1, "CREATE TABLE t (a INT)", StatementKind.Regular, false) { CommitsImplicitly = true },
            new SqlStatement(2, 2, "INSERT INTO t VALUES (1)", StatementKind.Regular, false),
        }));
    }

    [TestCase("SELECT 'it\\'s; ok'; SELECT 2;", "SELECT 'it\\'s; ok'")]
    [TestCase("SELECT 'it''s; ok'; SELECT 2;", "SELECT 'it''s; ok'")]
    [TestCase("SELECT 'ends in backslash\\\\'; SELECT 2;", "SELECT 'ends in backslash\\\\'")]
    [TestCase("SELECT \"a\\\";b\"; SELECT 2;", "SELECT \"a\\\";b\"")]
    [TestCase("SELECT \"a\"\";b\"; SELECT 2;", "SELECT \"a\"\";b\"")]
    [TestCase("SELECT `a;b``c` FROM `t;`; SELECT 2;", "SELECT `a;b``c` FROM `t;`")]
    [TestCase("SELECT `a\\`; SELECT 2;", "SELECT `a\\`")]
    public void Quoted_strings_and_identifiers_hide_semicolons(string sql, string first)
    {
        Assert.That(Texts(sql), Is.EqualTo(new[] { first, "SELECT 2" }));
    }

    [Test]
    public void Double_dash_starts_a_comment_only_when_followed_by_whitespace()
    {
        Assert.That(Texts("SELECT 1--2;\nSELECT 3; --\tcomment; here\nSELECT 4 --"), Is.EqualTo(new[] { "SELECT 1--2", "SELECT 3", "SELECT 4" }));
    }

    [Test]
    public void Hash_comments_hide_semicolons_and_leading_and_trailing_comments_are_dropped()
    {
        var statements = Split("# header; still comment\n-- another\nSELECT 1 # trailing; comment\n;");

        Assert.That(statements, Has.Count.EqualTo(1));
        Assert.That(statements[0].Text, Is.EqualTo("SELECT 1"));
        Assert.That(statements[0].Line, Is.EqualTo(3));
    }

    [Test]
    public void Block_comments_do_not_nest()
    {
        Assert.That(Texts("/* a /* b; */ SELECT 1; SELECT /* ; */ 2;"), Is.EqualTo(new[] { "SELECT 1", "SELECT /* ; */ 2" }));
    }

    [Test]
    public void Executable_comments_are_statement_text_not_dropped_comments()
    {
        var statements = Split("/* plain */ /*!40101 SET @OLD_SQL_MODE=@@SQL_MODE */;\n/*!40000 ALTER TABLE `t` DISABLE KEYS */;\n/*M!100316 SET x = 1 */;");

        Assert.That(statements.Select(s => s.Text), Is.EqualTo(new[]
        {
            "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE */",
            "/*!40000 ALTER TABLE `t` DISABLE KEYS */",
            "/*M!100316 SET x = 1 */",
        }));
        Assert.That(statements.Select(s => s.Line), Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(statements[1].CommitsImplicitly, Is.True);
        Assert.That(statements[0].CommitsImplicitly, Is.False);
    }

    [Test]
    public void Optimizer_hints_are_ordinary_comments_inside_the_statement()
    {
        Assert.That(Texts("SELECT /*+ MAX_EXECUTION_TIME(1000); */ 1; SELECT 2;"), Is.EqualTo(new[] { "SELECT /*+ MAX_EXECUTION_TIME(1000); */ 1", "SELECT 2" }));
    }

    [Test]
    public void Delimiter_dollars_keeps_a_trigger_body_whole()
    {
        var sql = """
            DELIMITER $$
            CREATE TRIGGER trg BEFORE INSERT ON t
            FOR EACH ROW
            BEGIN
              SET NEW.a = 1;
              SET NEW.b = 'x$';
            END$$
            DELIMITER ;
            INSERT INTO t VALUES (1);
            """;

        var statements = Split(sql);

        Assert.That(statements, Has.Count.EqualTo(2));
        Assert.That(statements[0].Text, Is.EqualTo("CREATE TRIGGER trg BEFORE INSERT ON t\nFOR EACH ROW\nBEGIN\n  SET NEW.a = 1;\n  SET NEW.b = 'x$';\nEND"));
        Assert.That(statements[0].Line, Is.EqualTo(2));
        Assert.That(statements[1], Is.EqualTo(new SqlStatement(2, 9, "INSERT INTO t VALUES (1)", StatementKind.Regular, false)));
    }

    [Test]
    public void Delimiter_slashes_keeps_a_procedure_with_nested_blocks_whole()
    {
        var sql = """
            delimiter //
            CREATE PROCEDURE p(IN n INT)
            BEGIN
              DECLARE i INT DEFAULT 0;
              WHILE i < n DO
                IF i = 2 THEN SELECT 'two;'; END IF;
                SET i = i + 1;
              END WHILE;
            END //
            delimiter ;
            CALL p(3);
            """;

        var statements = Split(sql);

        Assert.That(statements.Select(s => s.Line), Is.EqualTo(new[] { 2, 11 }));
        Assert.That(statements[0].Text, Does.StartWith("CREATE PROCEDURE p(IN n INT)\nBEGIN").And.EndWith("END WHILE;\nEND"));
        Assert.That(statements[1].Text, Is.EqualTo("CALL p(3)"));
    }

    [Test]
    public void A_custom_delimiter_makes_semicolons_ordinary_everywhere()
    {
        Assert.That(Texts("DELIMITER //\nSELECT 1; SELECT 2//\nSELECT 3"), Is.EqualTo(new[] { "SELECT 1; SELECT 2", "SELECT 3" }));
    }

    [Test]
    public void A_custom_delimiter_is_not_recognised_inside_quotes_and_comments()
    {
        Assert.That(
            Texts("DELIMITER $$\nSELECT '$$', `a$$b` -- $$\n, 1 /* $$ */ $$"),
            Is.EqualTo(new[] { "SELECT '$$', `a$$b` -- $$\n, 1" }));
    }

    [Test]
    public void Mysqldump_style_double_semicolon_delimiter_with_executable_comments()
    {
        var sql = "DELIMITER ;;\n/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER trg BEFORE UPDATE ON t FOR EACH ROW BEGIN SET NEW.a = 1; END */;;\nDELIMITER ;\nSELECT 1;";

        Assert.That(Texts(sql), Is.EqualTo(new[]
        {
            "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER trg BEFORE UPDATE ON t FOR EACH ROW BEGIN SET NEW.a = 1; END */",
            "SELECT 1",
        }));
    }

    [Test]
    public void Quoted_delimiter_argument_and_trailing_text_on_the_delimiter_line()
    {
        Assert.That(Texts("DELIMITER '||' ignored\nSELECT 1; SELECT 2||SELECT 3"), Is.EqualTo(new[] { "SELECT 1; SELECT 2", "SELECT 3" }));
    }

    [Test]
    public void Delimiter_is_a_command_only_at_the_start_of_a_statement()
    {
        Assert.That(Texts("SELECT a,\ndelimiter FROM t;"), Is.EqualTo(new[] { "SELECT a,\ndelimiter FROM t" }));
    }

    [Test]
    public void Delimiter_may_follow_a_statement_on_the_same_line()
    {
        Assert.That(Texts("SELECT 1; DELIMITER $$\nSELECT 2; SELECT 3$$"), Is.EqualTo(new[] { "SELECT 1", "SELECT 2; SELECT 3" }));
    }

    [Test]
    public void Delimiter_without_argument_is_an_error_at_its_line()
    {
        var ex = SplitFails("SELECT 1;\nDELIMITER   \nSELECT 2;");

        Assert.That(ex.Line, Is.EqualTo(2));
        Assert.That(ex.Message, Does.Contain("DELIMITER must be followed"));
    }

    [Test]
    public void Delimiter_with_a_backslash_is_an_error()
    {
        Assert.That(SplitFails("DELIMITER \\\\\n").Message, Does.Contain("backslash"));
    }

    [Test]
    public void Procedure_with_compound_body_stays_whole_without_delimiter()
    {
        var sql = """
            CREATE PROCEDURE p(IN x INT)
            BEGIN
              DECLARE done INT DEFAULT 0;
              DECLARE CONTINUE HANDLER FOR SQLEXCEPTION BEGIN SET done = 1; END;
              DROP TABLE IF EXISTS tmp;
              CREATE TABLE IF NOT EXISTS tmp (a INT);
              IF (x > 0) THEN
                SELECT IF(x > 1, 'a', 'b');
              ELSEIF x = 0 THEN
                SELECT REPEAT('x', 3);
              ELSE
                IF NOT EXISTS (SELECT 1 FROM t) THEN SELECT 1; END IF;
              END IF;
              CASE x WHEN 1 THEN SELECT 1; ELSE SELECT CASE WHEN x THEN 2 END; END CASE;
              lbl: LOOP
                LEAVE lbl;
              END LOOP lbl;
              REPEAT SET x = x - 1; UNTIL x <= 0 END REPEAT;
              WHILE x < 3 DO SET x = x + 1; END WHILE;
            END;
            SELECT 9;
            """;

        var statements = Split(sql);

        Assert.That(statements, Has.Count.EqualTo(2));
        Assert.That(statements[0].Text, Does.StartWith("CREATE PROCEDURE p(IN x INT)").And.EndWith("END WHILE;\nEND"));
        Assert.That(statements[1], Is.EqualTo(new SqlStatement(2, 21, "SELECT 9", StatementKind.Regular, false)));
    }

    [Test]
    public void Trigger_with_begin_end_body_stays_whole_without_delimiter()
    {
        var sql = "CREATE DEFINER=`root`@`%` TRIGGER trg AFTER INSERT ON t FOR EACH ROW BEGIN INSERT INTO log VALUES (NEW.id); UPDATE c SET n = n + 1; END;\nINSERT INTO t VALUES (1);";

        Assert.That(Texts(sql), Is.EqualTo(new[]
        {
            "CREATE DEFINER=`root`@`%` TRIGGER trg AFTER INSERT ON t FOR EACH ROW BEGIN INSERT INTO log VALUES (NEW.id); UPDATE c SET n = n + 1; END",
            "INSERT INTO t VALUES (1)",
        }));
    }

    [Test]
    public void Trigger_whose_body_is_an_if_statement_stays_whole()
    {
        var sql = "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW IF NEW.a < 0 THEN SET NEW.a = 0; END IF;\nSELECT 1;";

        Assert.That(Texts(sql), Has.Length.EqualTo(2));
    }

    [Test]
    public void Procedure_whose_body_is_an_if_statement_stays_whole()
    {
        var sql = "CREATE PROCEDURE p(x INT) IF x > 0 THEN SELECT 1; ELSE SELECT 2; END IF;\nCALL p(1);";

        Assert.That(Texts(sql), Is.EqualTo(new[] { "CREATE PROCEDURE p(x INT) IF x > 0 THEN SELECT 1; ELSE SELECT 2; END IF", "CALL p(1)" }));
    }

    [Test]
    public void Trigger_with_a_single_statement_body_ends_at_its_semicolon()
    {
        var sql = "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW SET NEW.a = IF(NEW.b, 1, REPEAT('x', 2));\nSELECT 1;";

        Assert.That(Texts(sql), Is.EqualTo(new[]
        {
            "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW SET NEW.a = IF(NEW.b, 1, REPEAT('x', 2))",
            "SELECT 1",
        }));
    }

    [Test]
    public void Function_and_event_bodies_stay_whole_without_delimiter()
    {
        var sql = """
            CREATE FUNCTION f(a INT) RETURNS INT DETERMINISTIC
            BEGIN
              DECLARE r INT;
              SET r = CASE WHEN a > 0 THEN a ELSE 0 END;
              RETURN r;
            END;
            CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM log; OPTIMIZE TABLE log; END;
            CREATE OR REPLACE DEFINER = CURRENT_USER PROCEDURE q() SQL SECURITY INVOKER BEGIN SELECT 1; END;
            SELECT f(1);
            """;

        var statements = Split(sql);

        Assert.That(statements.Select(s => s.Line), Is.EqualTo(new[] { 1, 7, 8, 9 }));
        Assert.That(statements[1].Text, Is.EqualTo("CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM log; OPTIMIZE TABLE log; END"));
    }

    [Test]
    public void Compound_tracking_applies_only_to_create_routine_statements()
    {
        var sql = "CREATE TABLE event (id INT, `begin` INT, status INT CHECK (status IN (1, 2)));\nSELECT CASE WHEN 1 THEN 2 END;\nSELECT IF(1, 2, 3);\nSELECT 4;";

        Assert.That(Texts(sql), Has.Length.EqualTo(4));
    }

    [Test]
    public void Transaction_statements_at_top_level_are_separate()
    {
        var statements = Split("BEGIN;\nUPDATE t SET a = 1;\nCOMMIT;\nBEGIN WORK;\nROLLBACK;\nSTART TRANSACTION;\nCOMMIT WORK;");

        Assert.That(statements.Select(s => s.Kind), Is.EqualTo(new[]
        {
            StatementKind.BeginTransaction, StatementKind.Regular, StatementKind.Commit,
            StatementKind.BeginTransaction, StatementKind.Rollback,
            StatementKind.BeginTransaction, StatementKind.Commit,
        }));
    }

    [Test]
    public void Unterminated_compound_body_names_the_line_where_the_body_starts()
    {
        var ex = SplitFails("SELECT 1;\nCREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\n  IF 1 THEN SELECT 2; END IF;\n");

        Assert.That(ex.Line, Is.EqualTo(3));
        Assert.That(ex.Message, Does.Contain("unterminated compound statement"));
    }

    [TestCase("SELECT 1;\nSELECT 'abc;\nSELECT 2;", 2, "unterminated single-quoted string")]
    [TestCase("SELECT 'abc\\';", 1, "unterminated single-quoted string")]
    [TestCase("SELECT 1;\n\nSELECT \"abc;", 3, "unterminated double-quoted string")]
    [TestCase("SELECT `abc;", 1, "unterminated backtick-quoted identifier")]
    [TestCase("SELECT 1;\n/* open\n", 2, "unterminated /* comment")]
    [TestCase("SELECT 1;\n/*!40101 SET x = 1;\n", 2, "unterminated /*! comment")]
    public void Unterminated_constructs_name_the_line_where_they_start(string sql, int line, string problem)
    {
        var ex = SplitFails(sql);

        Assert.That(ex.Line, Is.EqualTo(line));
        Assert.That(ex.Message, Does.StartWith($"{File}:{line}: {problem}").And.EndWith("starting here"));
    }

    [Test]
    public void Line_numbers_survive_crlf_multi_line_strings_and_delimiter_lines()
    {
        var statements = Split("SELECT 'a\r\nb';\r\n# c\r\nDELIMITER $$\r\nSELECT\r\n 1$$\r\nDELIMITER ;\r\n\r\nSELECT 2;");

        Assert.That(statements.Select(s => (s.Line, s.Text)), Is.EqualTo(new[] { (1, "SELECT 'a\nb'"), (5, "SELECT\n 1"), (9, "SELECT 2") }));
    }

    [Test]
    public void Empty_statements_are_skipped_and_a_final_statement_needs_no_delimiter()
    {
        var statements = Split(";;\n# c\n;SELECT 1;;\nSELECT 2 ");

        Assert.That(statements.Select(s => (s.Number, s.Text)), Is.EqualTo(new[] { (1, "SELECT 1"), (2, "SELECT 2") }));
    }

    [TestCase("BEGIN", StatementKind.BeginTransaction)]
    [TestCase("BEGIN WORK", StatementKind.BeginTransaction)]
    [TestCase("START TRANSACTION", StatementKind.BeginTransaction)]
    [TestCase("start transaction with consistent snapshot, read only", StatementKind.BeginTransaction)]
    [TestCase("# c\nCOMMIT", StatementKind.Commit)]
    [TestCase("COMMIT WORK", StatementKind.Commit)]
    [TestCase("COMMIT AND NO CHAIN", StatementKind.Commit)]
    [TestCase("ROLLBACK", StatementKind.Rollback)]
    [TestCase("ROLLBACK WORK", StatementKind.Rollback)]
    [TestCase("ROLLBACK TO SAVEPOINT s", StatementKind.Regular)]
    [TestCase("ROLLBACK WORK TO s", StatementKind.Regular)]
    [TestCase("SAVEPOINT s", StatementKind.Regular)]
    [TestCase("START REPLICA", StatementKind.Regular)]
    public void Classifies_transaction_control(string sql, StatementKind kind) => Assert.That(Split(sql)[0].Kind, Is.EqualTo(kind));

    [TestCase("CREATE INDEX i ON t (a)")]
    [TestCase("DROP DATABASE d")]
    [TestCase("ALTER TABLE t ADD COLUMN b INT")]
    public void No_statement_requires_running_outside_a_transaction(string sql) =>
        Assert.That(Split(sql)[0].RequiresNoTransaction, Is.False);

    [TestCase("CREATE TABLE t (a INT)", true)]
    [TestCase("CREATE TEMPORARY TABLE t (a INT)", false)]
    [TestCase("DROP TEMPORARY TABLE IF EXISTS t", false)]
    [TestCase("DROP TABLE t", true)]
    [TestCase("ALTER TABLE t ADD c INT", true)]
    [TestCase("CREATE INDEX i ON t (a)", true)]
    [TestCase("DROP INDEX i ON t", true)]
    [TestCase("CREATE OR REPLACE VIEW v AS SELECT 1", true)]
    [TestCase("DROP VIEW v", true)]
    [TestCase("CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1", true)]
    [TestCase("DROP PROCEDURE IF EXISTS p", true)]
    [TestCase("CREATE DATABASE d", true)]
    [TestCase("RENAME TABLE a TO b", true)]
    [TestCase("TRUNCATE TABLE t", true)]
    [TestCase("truncate t", true)]
    [TestCase("LOCK TABLES t WRITE", true)]
    [TestCase("UNLOCK TABLES", true)]
    [TestCase("GRANT SELECT ON d.* TO u", true)]
    [TestCase("ANALYZE TABLE t", true)]
    [TestCase("/* why */ ALTER EVENT e DISABLE", true)]
    [TestCase("UPDATE t SET a = 1", false)]
    [TestCase("INSERT INTO t VALUES (1)", false)]
    [TestCase("SELECT 'CREATE TABLE x'", false)]
    [TestCase("SET @a = 1", false)]
    [TestCase("BEGIN", false)]
    public void Detects_statements_that_commit_implicitly(string sql, bool expected) => Assert.That(ImplicitCommit(sql), Is.EqualTo(expected));
}
