using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Tests.Analysis;

/// <summary>
/// Each static rule on small scripts, per dialect: a case that must fire (with the object it names) and a case that
/// must stay quiet, including quoted and qualified names, case folding, comments, dollar quotes and IF EXISTS.
/// </summary>
[TestFixture]
public sealed class StaticRuleTests
{
    private const EngineKind Pg = EngineKind.Postgres;
    private const EngineKind My = EngineKind.MySql;
    private const EngineKind Lite = EngineKind.Sqlite;

    /// <summary>(code, engine, baseline, forward, rollback, expected object or null for "must not fire").</summary>
    public static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Fire(string name, string code, EngineKind engine, string? baseline, string forward, string rollback, string @object, ExecutionMode mode = ExecutionMode.Autocommit) =>
            new TestCaseData(code, engine, baseline, forward, rollback, @object, mode).SetName($"{code} fires on {engine}: {name}");
        TestCaseData Quiet(string name, string code, EngineKind engine, string? baseline, string forward, string rollback, ExecutionMode mode = ExecutionMode.Autocommit) =>
            new TestCaseData(code, engine, baseline, forward, rollback, null, mode).SetName($"{code} quiet on {engine}: {name}");

        const string Customers = "CREATE TABLE customers (id INT PRIMARY KEY, email VARCHAR(255) NOT NULL, country CHAR(2));";

        // RV501 destructive-without-copy
        yield return Fire("drop of a pre-existing table", "RV501", Pg, Customers, "ALTER TABLE customers ADD COLUMN nick text;", "DROP TABLE IF EXISTS public.customers;", "public.customers");
        yield return Fire("drop of a quoted pre-existing table", "RV501", Pg, "CREATE TABLE \"Customers\" (id int);", "ALTER TABLE \"Customers\" ADD COLUMN nick text;", "DROP TABLE \"Customers\";", "Customers");
        yield return Quiet("drop of the column the forward added, case folded", "RV501", Pg, Customers, "ALTER TABLE Customers ADD COLUMN Nick text;", "alter table CUSTOMERS drop column NICK;");
        yield return Quiet("drop of a quoted column the forward added", "RV501", Pg, Customers, "ALTER TABLE customers ADD COLUMN \"Nick\" text;", "ALTER TABLE customers DROP COLUMN \"Nick\";");
        yield return Fire("drop of the column the forward renamed", "RV501", Pg, Customers, "ALTER TABLE customers RENAME COLUMN email TO mail;", "ALTER TABLE customers DROP COLUMN mail;", "customers.mail");
        yield return Fire("TRUNCATE with backquotes", "RV501", My, Customers, "ALTER TABLE customers ADD COLUMN nick TEXT;", "TRUNCATE TABLE `customers`;", "customers");
        yield return Fire("DELETE without WHERE", "RV501", My, Customers, "ALTER TABLE customers ADD COLUMN nick TEXT;", "DELETE FROM customers;", "customers");
        yield return Quiet("DELETE with WHERE", "RV501", My, Customers, "ALTER TABLE customers ADD COLUMN nick TEXT;", "DELETE FROM customers WHERE id > 100;");
        yield return Quiet("UPDATE that fills a column the rollback re-added", "RV501", My, Customers, "ALTER TABLE customers DROP COLUMN country;", "ALTER TABLE customers ADD COLUMN country CHAR(2);\nUPDATE customers SET country = 'NL';");
        yield return Fire("UPDATE without WHERE of a pre-existing column", "RV501", Lite, Customers, "ALTER TABLE customers ADD COLUMN nick TEXT;", "UPDATE customers SET email = lower(email);", "customers.email");
        yield return Quiet("rebuild that copies the rows first", "RV501", Lite, Customers, "ALTER TABLE customers ADD COLUMN nick TEXT;",
            "CREATE TABLE customers_new (id INTEGER PRIMARY KEY, email VARCHAR(255) NOT NULL, country CHAR(2));\nINSERT INTO customers_new (id, email, country) SELECT id, email, country FROM customers;\nDROP TABLE customers;\nALTER TABLE customers_new RENAME TO customers;");
        yield return Quiet("drop of a table the forward created", "RV501", Lite, Customers, "CREATE TABLE customers_archive AS SELECT id, country FROM customers;", "DROP TABLE customers_archive;");
        yield return Quiet("a procedure the parser does not understand may have copied the table", "RV501", Pg, Customers, "ALTER TABLE customers ADD COLUMN nick text;", "CALL archive('customers');\nDROP TABLE customers;");

        // RV502 forward-change-not-undone
        yield return Fire("index left behind", "RV502", Pg, Customers, "ALTER TABLE customers ADD COLUMN nick text;\nCREATE INDEX customers_email_idx ON customers (email);", "ALTER TABLE customers DROP COLUMN nick;", "customers_email_idx");
        yield return Fire("a comment is not a mention", "RV502", Pg, Customers, "DROP INDEX customers_email_idx;", "-- CREATE INDEX customers_email_idx ON customers (email);\nSELECT 1;", "customers_email_idx");
        yield return Quiet("index that goes with the dropped column", "RV502", Pg, Customers, "ALTER TABLE customers ADD COLUMN nick text;\nCREATE INDEX customers_nick_idx ON customers (nick);", "ALTER TABLE customers DROP COLUMN nick;");
        yield return Fire("foreign key left behind", "RV502", My, Customers, "ALTER TABLE customers ADD COLUMN parent INT, ADD CONSTRAINT customers_parent_fk FOREIGN KEY (parent) REFERENCES customers (id);\nALTER TABLE customers ADD COLUMN x INT;", "ALTER TABLE customers DROP COLUMN x;", "customers.parent");
        yield return Quiet("constraint dropped by name", "RV502", My, Customers, "ALTER TABLE customers ADD CONSTRAINT customers_email_chk CHECK (email <> '');", "ALTER TABLE customers DROP CHECK customers_email_chk;");
        yield return Fire("trigger left behind", "RV502", Lite, Customers, "CREATE TRIGGER customers_touch AFTER UPDATE ON customers BEGIN UPDATE customers SET email = email WHERE id = NEW.id; END;", "SELECT 1;", "customers_touch");
        yield return Quiet("trigger dropped", "RV502", Lite, Customers, "CREATE TRIGGER customers_touch AFTER UPDATE ON customers BEGIN UPDATE customers SET email = email WHERE id = NEW.id; END;", "DROP TRIGGER IF EXISTS customers_touch;");
        yield return Quiet("a table the forward creates and drops itself", "RV502", Lite, Customers, "CREATE TABLE scratch (id INTEGER);\nDROP TABLE scratch;\nALTER TABLE customers ADD COLUMN nick TEXT;", "ALTER TABLE customers DROP COLUMN nick;");
        yield return Quiet("a mention inside a dollar-quoted body counts", "RV502", Pg, Customers, "DROP INDEX customers_email_idx;", "DO $$ BEGIN EXECUTE 'CREATE INDEX customers_email_idx ON customers (email)'; END $$;");

        // RV503 rollback-does-nothing
        yield return Fire("SELECT 1", "RV503", Pg, Customers, "ALTER TABLE customers ADD COLUMN nick text;", "-- TODO\nSELECT 1;", "rollback.postgres.sql");
        yield return Fire("comments only", "RV503", My, Customers, "ALTER TABLE customers ADD COLUMN nick TEXT;", "# nothing to do\n-- really\n/* none */", "rollback.mysql.sql");
        yield return Fire("empty file", "RV503", Lite, Customers, "ALTER TABLE customers ADD COLUMN nick TEXT;", "", "rollback.sqlite.sql");
        yield return Quiet("a forward that changes nothing", "RV503", Lite, Customers, "SELECT count(*) FROM customers;", "SELECT 1;");
        yield return Quiet("a rollback that refuses on purpose", "RV503", Pg, Customers, "ALTER TABLE customers ADD COLUMN nick text;", "DO $$ BEGIN RAISE EXCEPTION 'irreversible'; END $$;");
        yield return Quiet("a call the parser does not understand", "RV503", My, Customers, "ALTER TABLE customers ADD COLUMN nick TEXT;", "CALL undo_migration_42();");

        // RV504 narrowing-without-guard
        yield return Fire("text back to varchar(80)", "RV504", Pg, Customers, "ALTER TABLE customers ALTER COLUMN email TYPE text;", "ALTER TABLE customers ALTER COLUMN email TYPE varchar(80) USING left(email, 80);", "customers.email");
        yield return Fire("bigint back to integer on a qualified table", "RV504", Pg, "CREATE TABLE app.articles (id int, views integer);", "ALTER TABLE app.articles ALTER COLUMN views SET DATA TYPE bigint;", "ALTER TABLE app.articles ALTER COLUMN views TYPE int4;", "app.articles.views");
        yield return Quiet("widening back", "RV504", Pg, Customers, "ALTER TABLE customers ALTER COLUMN email TYPE varchar(100);", "ALTER TABLE customers ALTER COLUMN email TYPE varchar(255);");
        yield return Quiet("guarded by a DO block", "RV504", Pg, Customers, "ALTER TABLE customers ALTER COLUMN email TYPE text;",
            "DO $guard$ BEGIN IF EXISTS (SELECT 1 FROM customers WHERE length(email) > 80) THEN RAISE EXCEPTION 'too long'; END IF; END $guard$;\nALTER TABLE customers ALTER COLUMN email TYPE varchar(80);");
        yield return Fire("MODIFY TEXT to VARCHAR(80)", "RV504", My, Customers, "ALTER TABLE customers MODIFY email TEXT NOT NULL;", "ALTER TABLE customers MODIFY COLUMN email VARCHAR(80) NOT NULL;", "customers.email");
        yield return Fire("ENUM loses a label", "RV504", My, "CREATE TABLE orders (id INT, status ENUM('new','paid'));", "ALTER TABLE orders MODIFY status ENUM('new','paid','refunded');", "ALTER TABLE orders MODIFY status ENUM('new','paid');", "orders.status");
        yield return Quiet("guarded by a CHECK probe", "RV504", My, Customers, "ALTER TABLE customers MODIFY email TEXT NOT NULL;",
            "ALTER TABLE customers ADD CONSTRAINT guard_email CHECK (CHAR_LENGTH(email) <= 80);\nALTER TABLE customers DROP CONSTRAINT guard_email;\nALTER TABLE customers MODIFY email VARCHAR(80) NOT NULL;");
        yield return Quiet("SQLite does not enforce declared types", "RV504", Lite, Customers, "ALTER TABLE customers ADD COLUMN nick TEXT;", "ALTER TABLE customers DROP COLUMN nick;");
        yield return Quiet("a type the rules do not know", "RV504", Pg, "CREATE TABLE t (id int, shape geometry);", "ALTER TABLE t ALTER COLUMN shape TYPE geography;", "ALTER TABLE t ALTER COLUMN shape TYPE geometry;");

        // RV505 constraint-without-guard
        yield return Fire("SET NOT NULL", "RV505", Pg, Customers, "ALTER TABLE customers ALTER COLUMN email DROP NOT NULL;", "ALTER TABLE customers ALTER COLUMN email SET NOT NULL;", "customers.email");
        yield return Quiet("SET NOT NULL after the NULLs are filled", "RV505", Pg, Customers, "ALTER TABLE customers ALTER COLUMN email DROP NOT NULL;", "UPDATE customers SET email = 'unknown@example.com' WHERE email IS NULL;\nALTER TABLE customers ALTER COLUMN email SET NOT NULL;");
        yield return Fire("UNIQUE restored", "RV505", Pg, Customers, "ALTER TABLE customers DROP CONSTRAINT customers_email_key;", "ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email);", "customers.email");
        yield return Quiet("foreign key restored NOT VALID", "RV505", Pg, Customers, "ALTER TABLE customers ADD COLUMN parent int;", "ALTER TABLE customers ADD CONSTRAINT p_fk FOREIGN KEY (id) REFERENCES customers (id) NOT VALID;");
        yield return Fire("MODIFY back to NOT NULL", "RV505", My, Customers, "ALTER TABLE customers MODIFY country CHAR(2) NULL;\nALTER TABLE customers MODIFY email VARCHAR(255) NULL;", "ALTER TABLE customers MODIFY email VARCHAR(255) NOT NULL;", "customers.email");
        yield return Fire("unique index restored", "RV505", My, Customers, "DROP INDEX customers_email_uq ON customers;", "CREATE UNIQUE INDEX customers_email_uq ON customers (email);", "customers.email");
        yield return Fire("NOT NULL column added without a default", "RV505", My, Customers, "ALTER TABLE customers DROP COLUMN country;", "ALTER TABLE customers ADD COLUMN country CHAR(2) NOT NULL;", "customers.country");
        yield return Fire("rebuild copies NULLs into a NOT NULL column", "RV505", Lite, Customers,
            "CREATE TABLE c2 (id INTEGER PRIMARY KEY, email VARCHAR(255), country CHAR(2));\nINSERT INTO c2 SELECT * FROM customers;\nDROP TABLE customers;\nALTER TABLE c2 RENAME TO customers;",
            "CREATE TABLE c3 (id INTEGER PRIMARY KEY, email VARCHAR(255) NOT NULL, country CHAR(2));\nINSERT INTO c3 (id, email, country) SELECT id, email, country FROM customers;\nDROP TABLE customers;\nALTER TABLE c3 RENAME TO customers;", "c3.email");
        yield return Quiet("rebuild with the same rules", "RV505", Lite, Customers,
            "ALTER TABLE customers ADD COLUMN nick TEXT;",
            "CREATE TABLE c3 (id INTEGER PRIMARY KEY, email VARCHAR(255) NOT NULL, country CHAR(2));\nINSERT INTO c3 (id, email, country) SELECT id, email, country FROM customers;\nDROP TABLE customers;\nALTER TABLE c3 RENAME TO customers;");

        // RV506 concurrently-not-mirrored
        yield return Fire("plain DROP INDEX", "RV506", Pg, Customers, "CREATE INDEX CONCURRENTLY customers_email_idx ON customers (email);", "DROP INDEX customers_email_idx;", "customers_email_idx");
        yield return Fire("plain CREATE INDEX", "RV506", Pg, Customers, "DROP INDEX CONCURRENTLY IF EXISTS customers_email_idx;", "CREATE INDEX customers_email_idx ON customers (email);", "customers_email_idx");
        yield return Quiet("mirrored", "RV506", Pg, Customers, "CREATE INDEX CONCURRENTLY customers_email_idx ON customers (email);", "DROP INDEX CONCURRENTLY IF EXISTS customers_email_idx;");
        yield return Quiet("MySQL has no CONCURRENTLY", "RV506", My, Customers, "CREATE INDEX customers_email_idx ON customers (email);", "DROP INDEX customers_email_idx ON customers;");

        // RV507 concurrently-in-transaction
        yield return Fire("inside BEGIN ... COMMIT", "RV507", Pg, Customers, "CREATE INDEX CONCURRENTLY customers_email_idx ON customers (email);", "BEGIN;\nDROP INDEX CONCURRENTLY customers_email_idx;\nCOMMIT;", "rollback.postgres.sql:2");
        yield return Fire("the runner's transaction", "RV507", Pg, Customers, "CREATE INDEX CONCURRENTLY customers_email_idx ON customers (email);", "DROP INDEX CONCURRENTLY customers_email_idx;", "rollback.postgres.sql:1", ExecutionMode.Transaction);
        yield return Quiet("autocommit", "RV507", Pg, Customers, "CREATE INDEX CONCURRENTLY customers_email_idx ON customers (email);", "DROP INDEX CONCURRENTLY customers_email_idx;");
        yield return Quiet("after COMMIT", "RV507", Pg, Customers, "CREATE INDEX CONCURRENTLY customers_email_idx ON customers (email);", "BEGIN;\nALTER TABLE customers DROP COLUMN country;\nCOMMIT;\nDROP INDEX CONCURRENTLY customers_email_idx;");

        const string Parent = "CREATE TABLE warehouses (id INT PRIMARY KEY);\nCREATE TABLE orders (id INT PRIMARY KEY);";
        const string AddChild = "ALTER TABLE orders ADD COLUMN warehouse_id INT CONSTRAINT orders_wh_fk REFERENCES warehouses (id);";

        // RV508 foreign-key-order
        yield return Fire("parent dropped first", "RV508", Pg, Parent, AddChild, "DROP TABLE warehouses;\nALTER TABLE orders DROP COLUMN warehouse_id;", "warehouses");
        yield return Fire("parent dropped with CASCADE", "RV508", Pg, Parent, AddChild, "DROP TABLE warehouses CASCADE;", "warehouses");
        yield return Quiet("child first", "RV508", Pg, Parent, AddChild, "ALTER TABLE orders DROP COLUMN warehouse_id;\nDROP TABLE warehouses;");
        yield return Quiet("both in one statement", "RV508", Pg, Parent, AddChild, "DROP TABLE orders, warehouses;");
        yield return Fire("parent dropped first", "RV508", My, Parent, "ALTER TABLE orders ADD COLUMN warehouse_id INT, ADD CONSTRAINT orders_wh_fk FOREIGN KEY (warehouse_id) REFERENCES warehouses (id);", "DROP TABLE warehouses;", "warehouses");
        yield return Quiet("foreign key checks off", "RV508", My, Parent, "ALTER TABLE orders ADD COLUMN warehouse_id INT, ADD CONSTRAINT orders_wh_fk FOREIGN KEY (warehouse_id) REFERENCES warehouses (id);", "SET FOREIGN_KEY_CHECKS = 0;\nDROP TABLE warehouses;\nSET FOREIGN_KEY_CHECKS = 1;");
        yield return Fire("referenced table rebuilt with foreign keys on", "RV508", Lite, "CREATE TABLE products (id INTEGER PRIMARY KEY);\nCREATE TABLE lines (id INTEGER PRIMARY KEY, product_id INTEGER REFERENCES products (id) ON DELETE CASCADE);", "ALTER TABLE products ADD COLUMN x INTEGER;", "CREATE TABLE p2 (id INTEGER PRIMARY KEY);\nINSERT INTO p2 (id) SELECT id FROM products;\nDROP TABLE products;\nALTER TABLE p2 RENAME TO products;", "products");
        yield return Quiet("rebuilt with foreign keys off", "RV508", Lite, "CREATE TABLE products (id INTEGER PRIMARY KEY);\nCREATE TABLE lines (id INTEGER PRIMARY KEY, product_id INTEGER REFERENCES products (id));", "ALTER TABLE products ADD COLUMN x INTEGER;", "PRAGMA foreign_keys = OFF;\nCREATE TABLE p2 (id INTEGER PRIMARY KEY);\nINSERT INTO p2 (id) SELECT id FROM products;\nDROP TABLE products;\nALTER TABLE p2 RENAME TO products;\nPRAGMA foreign_keys = ON;");

        // RV509 setting-not-reset
        const string Invoices = "CREATE TABLE invoices (id INT PRIMARY KEY, currency CHAR(3) NOT NULL DEFAULT 'USD', vat INT);";
        yield return Fire("default left changed", "RV509", Pg, Invoices, "ALTER TABLE invoices ALTER COLUMN currency SET DEFAULT 'EUR';\nALTER TABLE invoices ADD COLUMN note text;", "ALTER TABLE invoices DROP COLUMN note;", "invoices.currency");
        yield return Quiet("default set back", "RV509", Pg, Invoices, "ALTER TABLE invoices ALTER COLUMN currency SET DEFAULT 'EUR';", "ALTER TABLE invoices ALTER COLUMN currency SET DEFAULT 'USD';");
        yield return Fire("sequence settings left changed", "RV509", Pg, "CREATE SEQUENCE invoice_seq;", "ALTER SEQUENCE invoice_seq INCREMENT BY 10;", "SELECT 1;", "invoice_seq");
        yield return Quiet("only the position moved", "RV509", Pg, "CREATE SEQUENCE invoice_seq;", "ALTER SEQUENCE invoice_seq RESTART WITH 100000;", "SELECT 1;");
        yield return Fire("identity removed", "RV509", Pg, "CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY);", "ALTER TABLE t ALTER COLUMN id DROP IDENTITY IF EXISTS;", "SELECT 1;", "t.id");
        yield return Fire("default left changed", "RV509", My, Invoices, "ALTER TABLE invoices ALTER COLUMN currency SET DEFAULT 'EUR';", "ALTER TABLE invoices DROP COLUMN vat;", "invoices.currency");
        yield return Quiet("MODIFY redefines the column", "RV509", My, Invoices, "ALTER TABLE invoices ALTER COLUMN currency SET DEFAULT 'EUR';", "ALTER TABLE invoices MODIFY currency CHAR(3) NOT NULL DEFAULT 'USD';");
        yield return Quiet("a column the forward added", "RV509", Lite, Invoices, "ALTER TABLE invoices ADD COLUMN region TEXT DEFAULT 'eu';", "ALTER TABLE invoices DROP COLUMN region;");

        // RV510 counter-reset-to-constant
        yield return Fire("identity restarted at a constant", "RV510", Pg, "CREATE TABLE invoices (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY);", "ALTER TABLE invoices ALTER COLUMN id RESTART WITH 100000;", "ALTER TABLE invoices ALTER COLUMN id RESTART WITH 1001;", "invoices.id");
        yield return Fire("setval to a constant", "RV510", Pg, "CREATE SEQUENCE s;", "SELECT setval('s', 5000);", "SELECT setval('public.s'::regclass, 10, true);", "s");
        yield return Quiet("setval from the data", "RV510", Pg, "CREATE TABLE t (id serial PRIMARY KEY);", "ALTER TABLE t ADD COLUMN x int;", "ALTER TABLE t DROP COLUMN x;\nSELECT setval(pg_get_serial_sequence('t', 'id'), (SELECT coalesce(max(id), 1) FROM t));");
        yield return Fire("AUTO_INCREMENT constant", "RV510", My, "CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY);", "ALTER TABLE t AUTO_INCREMENT = 5000;", "ALTER TABLE t AUTO_INCREMENT = 1;", "t");
        yield return Fire("sqlite_sequence written", "RV510", Lite, "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT);", "ALTER TABLE t ADD COLUMN x INTEGER;", "UPDATE sqlite_sequence SET seq = 10 WHERE name = 't';", "t");
        yield return Quiet("no counter touched", "RV510", Lite, "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT);", "ALTER TABLE t ADD COLUMN x INTEGER;", "ALTER TABLE t DROP COLUMN x;");

        // RV511 rollback-not-atomic
        yield return Fire("two changes, no transaction", "RV511", Pg, Customers, "ALTER TABLE customers ADD COLUMN a text;\nALTER TABLE customers ADD COLUMN b text;", "ALTER TABLE customers DROP COLUMN a;\nALTER TABLE customers DROP COLUMN b;", "rollback.postgres.sql");
        yield return Quiet("in BEGIN ... COMMIT", "RV511", Pg, Customers, "ALTER TABLE customers ADD COLUMN a text;\nALTER TABLE customers ADD COLUMN b text;", "SET lock_timeout = '5s';\nBEGIN;\nALTER TABLE customers DROP COLUMN a;\nALTER TABLE customers DROP COLUMN b;\nCOMMIT;");
        yield return Quiet("the runner's transaction", "RV511", Pg, Customers, "ALTER TABLE customers ADD COLUMN a text;\nALTER TABLE customers ADD COLUMN b text;", "ALTER TABLE customers DROP COLUMN a;\nALTER TABLE customers DROP COLUMN b;", ExecutionMode.Transaction);
        yield return Fire("two transactions", "RV511", Lite, Customers, "ALTER TABLE customers ADD COLUMN a TEXT;\nALTER TABLE customers ADD COLUMN b TEXT;", "BEGIN;\nALTER TABLE customers DROP COLUMN a;\nCOMMIT;\nBEGIN;\nALTER TABLE customers DROP COLUMN b;\nCOMMIT;", "rollback.sqlite.sql");
        yield return Quiet("one change", "RV511", Lite, Customers, "ALTER TABLE customers ADD COLUMN a TEXT;", "PRAGMA foreign_keys = OFF;\nALTER TABLE customers DROP COLUMN a;\nPRAGMA foreign_keys = ON;");
        yield return Fire("NOT NULL after committed DDL, START TRANSACTION notwithstanding", "RV511", My, Customers, "ALTER TABLE customers ADD COLUMN a TEXT;\nALTER TABLE customers MODIFY email VARCHAR(255) NULL;", "START TRANSACTION;\nALTER TABLE customers DROP COLUMN a;\nALTER TABLE customers MODIFY email VARCHAR(255) NOT NULL;\nCOMMIT;", "rollback.mysql.sql");
        yield return Quiet("the statement that can fail runs first", "RV511", My, Customers, "ALTER TABLE customers ADD COLUMN a TEXT;\nALTER TABLE customers MODIFY email VARCHAR(255) NULL;", "ALTER TABLE customers MODIFY email VARCHAR(255) NOT NULL;\nALTER TABLE customers DROP COLUMN a;");
        yield return Quiet("DDL that cannot fail on rows", "RV511", My, Customers, "ALTER TABLE customers ADD COLUMN a TEXT;\nALTER TABLE customers ADD COLUMN b TEXT;", "ALTER TABLE customers DROP COLUMN a;\nALTER TABLE customers DROP COLUMN b;");

        // RV512 lock-timeout-missing
        yield return Fire("ALTER TABLE without lock_timeout", "RV512", Pg, Customers, "ALTER TABLE customers ADD COLUMN a text;", "ALTER TABLE customers DROP COLUMN a;", "customers");
        yield return Fire("lock_timeout = 0 is no timeout", "RV512", Pg, Customers, "ALTER TABLE customers ADD COLUMN a text;", "SET lock_timeout = 0;\nALTER TABLE customers DROP COLUMN a;", "customers");
        yield return Quiet("lock_timeout set", "RV512", Pg, Customers, "ALTER TABLE customers ADD COLUMN a text;", "SET lock_timeout TO '3s';\nALTER TABLE customers DROP COLUMN a;");
        yield return Quiet("statement_timeout set with set_config", "RV512", Pg, Customers, "ALTER TABLE customers ADD COLUMN a text;", "SELECT set_config('statement_timeout', '30s', false);\nALTER TABLE customers DROP COLUMN a;");
        yield return Quiet("CONCURRENTLY takes no strong lock", "RV512", Pg, Customers, "CREATE INDEX CONCURRENTLY customers_email_idx ON customers (email);", "DROP INDEX CONCURRENTLY customers_email_idx;");
        yield return Quiet("MySQL has no lock_timeout", "RV512", My, Customers, "ALTER TABLE customers ADD COLUMN a TEXT;", "ALTER TABLE customers DROP COLUMN a;");

        // RV513 rename-breaks-running-code
        yield return Fire("column renamed back", "RV513", Pg, Customers, "ALTER TABLE customers RENAME COLUMN email TO mail;", "ALTER TABLE customers RENAME COLUMN mail TO email;", "customers.mail");
        yield return Fire("CHANGE with a new name", "RV513", My, Customers, "ALTER TABLE customers CHANGE email mail VARCHAR(255) NOT NULL;", "ALTER TABLE customers CHANGE COLUMN mail email VARCHAR(255) NOT NULL;", "customers.mail");
        yield return Fire("RENAME TABLE", "RV513", My, Customers, "RENAME TABLE customers TO clients;", "RENAME TABLE clients TO customers;", "clients");
        yield return Quiet("a rebuilt table swapped into place", "RV513", Lite, Customers, "ALTER TABLE customers ADD COLUMN a TEXT;", "CREATE TABLE c2 (id INTEGER PRIMARY KEY, email VARCHAR(255) NOT NULL, country CHAR(2));\nINSERT INTO c2 (id, email, country) SELECT id, email, country FROM customers;\nDROP TABLE customers;\nALTER TABLE c2 RENAME TO customers;");

        // RV514 dropped-data-recreated-empty
        yield return Fire("column re-added empty", "RV514", Pg, Customers, "ALTER TABLE customers DROP COLUMN country;", "ALTER TABLE customers ADD COLUMN country char(2);", "customers.country");
        yield return Fire("table re-created empty", "RV514", My, Customers, "DROP TABLE customers;", "CREATE TABLE customers (id INT PRIMARY KEY, email VARCHAR(255) NOT NULL, country CHAR(2));", "customers");
        yield return Quiet("column archived by the forward", "RV514", Lite, Customers, "CREATE TABLE country_archive (id INTEGER PRIMARY KEY, country CHAR(2));\nINSERT INTO country_archive (id, country) SELECT id, country FROM customers;\nALTER TABLE customers DROP COLUMN country;", "ALTER TABLE customers ADD COLUMN country CHAR(2);\nUPDATE customers SET country = (SELECT a.country FROM country_archive a WHERE a.id = customers.id);");

        // RV515 positional-copy
        yield return Fire("SELECT * into a reordered table", "RV515", Lite, "CREATE TABLE p (id INTEGER PRIMARY KEY, price INTEGER, stock INTEGER);", "ALTER TABLE p ADD COLUMN x INTEGER;", "CREATE TABLE p_old (id INTEGER PRIMARY KEY, stock INTEGER, price INTEGER, x INTEGER);\nINSERT INTO p_old SELECT * FROM p;", "p_old");
        yield return Quiet("columns named", "RV515", Lite, "CREATE TABLE p (id INTEGER PRIMARY KEY, price INTEGER, stock INTEGER);", "ALTER TABLE p ADD COLUMN x INTEGER;", "CREATE TABLE p_old (id INTEGER PRIMARY KEY, stock INTEGER, price INTEGER);\nINSERT INTO p_old (id, stock, price) SELECT id, stock, price FROM p;");
        yield return Fire("SELECT * into a reordered table", "RV515", My, "CREATE TABLE p (id INT PRIMARY KEY, price INT, stock INT);", "ALTER TABLE p ADD COLUMN x INT;", "CREATE TABLE p_old (id INT PRIMARY KEY, stock INT, price INT, x INT);\nINSERT INTO p_old SELECT * FROM p;", "p_old");
    }

    [TestCaseSource(nameof(Cases))]
    public void Rule_fires_exactly_where_it_should(string code, EngineKind engine, string? baseline, string forward, string rollback, string? expectedObject, ExecutionMode mode)
    {
        var findings = StaticLint.Findings(engine, forward, rollback, baseline, mode).Of(code);

        if (expectedObject is null)
        {
            Assert.That(findings, Is.Empty, StaticLint.Describe(findings));
        }
        else
        {
            Assert.That(findings.Select(f => f.Object), Does.Contain(expectedObject), StaticLint.Describe(findings));
            Assert.That(findings, Has.All.Matches<RollbackVerifier.Findings.Finding>(f => f.Message.EndsWith('.') && char.IsUpper(f.Message[0]) && f.Evidence.Details["rule"] == "static"));
        }
    }

    [Test]
    public void Every_static_rule_has_a_firing_and_a_quiet_case()
    {
        var cases = Cases().Select(c => (Code: (string)c.Arguments[0]!, Fires: c.Arguments[5] is not null)).ToList();

        Assert.Multiple(() =>
        {
            foreach (var code in RollbackVerifier.Analysis.StaticAnalyzer.Codes)
            {
                Assert.That(cases.Any(c => c.Code == code.Code && c.Fires), code.Code + " fires somewhere");
                Assert.That(cases.Any(c => c.Code == code.Code && !c.Fires), code.Code + " stays quiet somewhere");
            }
        });
    }

    [Test]
    public void Static_codes_are_in_the_static_range_and_warnings()
    {
        Assert.That(RollbackVerifier.Analysis.StaticAnalyzer.Codes.Select(c => (c.Code[..3], c.Severity, c.Category)), Has.All.EqualTo(("RV5", RollbackVerifier.Findings.Severity.Warning, "static")));
    }

    [Test]
    public void A_disabled_rule_reports_nothing_and_is_listed_with_its_reason()
    {
        var rules = new RollbackVerifier.Analysis.StaticRuleSettings([new RollbackVerifier.Analysis.DisabledRule("RV512", "the deploy role sets lock_timeout")]);
        var result = StaticLint.Analyze(Pg, "ALTER TABLE t ADD COLUMN a text;", "ALTER TABLE t DROP COLUMN a;", rules: rules);

        Assert.Multiple(() =>
        {
            Assert.That(result.Findings.Of("RV512"), Is.Empty);
            Assert.That(result.Disabled.Select(d => (d.Code, d.Reason)), Is.EqualTo(new[] { ("RV512", "the deploy role sets lock_timeout") }));
            Assert.That(StaticLint.Analyze(Pg, "ALTER TABLE t ADD COLUMN a text;", "ALTER TABLE t DROP COLUMN a;").Findings.Of("RV512"), Is.Not.Empty, "the same scripts without the setting");
        });
    }

    [Test]
    public void Findings_point_at_the_file_and_line_of_the_statement()
    {
        var finding = StaticLint.Findings(Pg, "ALTER TABLE t ADD COLUMN a text;", "-- first a comment\n\nSET lock_timeout = '1s';\nDROP TABLE t;", baseline: "CREATE TABLE t (id int PRIMARY KEY);").Of("RV501").Single();

        Assert.That((finding.Evidence.Details["file"], finding.Evidence.Details["line"], finding.Evidence.Details["statement"]), Is.EqualTo(("rollback.postgres.sql", "4", "DROP TABLE t")));
    }
}
