using RollbackVerifier.Analysis.Parsing;
using RollbackVerifier.Analysis.Schema;
using RollbackVerifier.Analysis.Syntax;
using RollbackVerifier.Model;

namespace RollbackVerifier.Tests.Analysis;

/// <summary>The per-dialect statement parser: what each statement does to which object, from the dialect's own tokens.</summary>
[TestFixture]
public sealed class StatementParserTests
{
    private static ParsedStatement One(EngineKind engine, string sql)
    {
        var script = StatementParser.For(engine).ParseScript(sql, "/s/x.sql");
        Assert.That(script.Statements, Has.Count.EqualTo(1), sql);
        return script.Statements[0];
    }

    private static T Effect<T>(EngineKind engine, string sql)
        where T : SqlEffect
    {
        var statement = One(engine, sql);
        Assert.That(statement.Understanding, Is.EqualTo(Understanding.Full), statement.Problem);
        return statement.Effects.OfType<T>().Single();
    }

    [Test]
    public void PostgreSQL_folds_unquoted_names_and_keeps_quoted_ones()
    {
        var statement = One(EngineKind.Postgres, "ALTER TABLE IF EXISTS ONLY public.\"Orders\" ADD COLUMN IF NOT EXISTS \"Note\" text NOT NULL DEFAULT 'x', DROP COLUMN Old CASCADE");
        var add = statement.Effects.OfType<AddColumn>().Single();
        var drop = statement.Effects.OfType<DropColumn>().Single();

        Assert.Multiple(() =>
        {
            Assert.That((add.Table.Schema!.Key, add.Table.Name.Key, add.Column.Name.Key), Is.EqualTo(("public", "Orders", "Note")));
            Assert.That((add.Column.Type!.Name, add.Column.NotNull, add.Column.Default), Is.EqualTo(("text", (bool?)true, "'x'")));
            Assert.That((drop.Column.Key, drop.Cascade), Is.EqualTo(("old", true)));
            Assert.That(SqlName.From(new SqlToken(SqlTokenKind.QuotedName, "\"Orders\"", "Orders", 0), EngineKind.Postgres), Is.Not.EqualTo(SqlName.Plain("orders")));
        });
    }

    [Test]
    public void MySQL_backquotes_compare_without_case_and_MODIFY_redefines_the_column()
    {
        var redefine = Effect<RedefineColumn>(EngineKind.MySql, "ALTER TABLE `shop`.`Orders` MODIFY COLUMN `Note` VARCHAR(10) CHARACTER SET utf8mb4 NOT NULL COMMENT 'short' AFTER `id`");

        Assert.Multiple(() =>
        {
            Assert.That((redefine.Table.Schema!.Key, redefine.Table.Name.Key, redefine.Column.Key), Is.EqualTo(("shop", "orders", "note")));
            Assert.That((redefine.Definition.Type!.Name, redefine.Definition.Type.Arguments[0], redefine.Definition.NotNull, redefine.Definition.Positioned), Is.EqualTo(("varchar", "10", (bool?)true, true)));
        });
    }

    [Test]
    public void MySQL_CHANGE_renames_and_DROP_forms_name_their_kind()
    {
        var statement = One(EngineKind.MySql, "ALTER TABLE orders CHANGE old_name new_name INT UNSIGNED NULL, DROP FOREIGN KEY orders_fk, DROP PRIMARY KEY, DROP INDEX orders_idx, AUTO_INCREMENT = 10, ALGORITHM=INPLACE, LOCK=NONE");

        Assert.Multiple(() =>
        {
            Assert.That(statement.Understanding, Is.EqualTo(Understanding.Full), statement.Problem);
            var change = statement.Effects.OfType<RedefineColumn>().Single();
            Assert.That((change.Column.Key, change.Definition.Name.Key, change.Definition.Type!.Unsigned), Is.EqualTo(("old_name", "new_name", true)));
            Assert.That(statement.Effects.OfType<DropConstraint>().Select(d => d.Kind), Is.EquivalentTo(new ConstraintKind?[] { ConstraintKind.ForeignKey, ConstraintKind.PrimaryKey }));
            Assert.That(statement.Effects.OfType<DropIndex>().Single().Name.Name.Key, Is.EqualTo("orders_idx"));
            Assert.That(statement.Effects.OfType<SetTableCounter>().Single().Literal, Is.EqualTo("10"));
        });
    }

    [Test]
    public void PostgreSQL_identity_type_and_constraint_actions()
    {
        var statement = One(EngineKind.Postgres, "ALTER TABLE t ALTER COLUMN id SET INCREMENT BY 10 RESTART WITH 5, ALTER COLUMN n TYPE numeric(12, 4) USING n::numeric, ALTER COLUMN m SET NOT NULL, ADD CONSTRAINT t_fk FOREIGN KEY (p) REFERENCES parent (id) ON DELETE CASCADE NOT VALID, VALIDATE CONSTRAINT t_chk");

        Assert.Multiple(() =>
        {
            Assert.That(statement.Understanding, Is.EqualTo(Understanding.Full), statement.Problem);
            Assert.That(statement.Effects.OfType<IdentityChange>().Select(i => (i.Kind, i.RestartValue)), Is.EquivalentTo(new[] { (IdentityChangeKind.SetOptions, (string?)null), (IdentityChangeKind.Restart, "5") }));
            var type = statement.Effects.OfType<ChangeColumnType>().Single();
            Assert.That((type.Type.Text, type.HasUsing), Is.EqualTo(("numeric(12, 4)", true)));
            Assert.That(statement.Effects.OfType<SetNotNull>().Single().Column.Key, Is.EqualTo("m"));
            var fk = statement.Effects.OfType<AddConstraint>().Single().Constraint;
            Assert.That((fk.Kind, fk.NotValid, fk.References!.Table.Name.Key, fk.References.OnDelete), Is.EqualTo((ConstraintKind.ForeignKey, true, "parent", "cascade")));
            Assert.That(statement.Effects.OfType<ValidateConstraint>().Single().Name.Key, Is.EqualTo("t_chk"));
        });
    }

    [Test]
    public void CREATE_INDEX_reads_uniqueness_CONCURRENTLY_and_plain_columns()
    {
        var index = Effect<CreateIndex>(EngineKind.Postgres, "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON ONLY public.users USING btree (lower(email), tenant_id DESC) WHERE deleted_at IS NULL");
        var mysql = Effect<CreateIndex>(EngineKind.MySql, "CREATE INDEX name_prefix ON products (name(20), sku)");

        Assert.Multiple(() =>
        {
            Assert.That((index.Name!.Name.Key, index.Table.Name.Key, index.Unique, index.Concurrently), Is.EqualTo(("users_email_idx", "users", true, true)));
            Assert.That(index.Columns.Select(c => c.Key), Is.EqualTo(new[] { "tenant_id" }), "lower(email) is an expression");
            Assert.That(mysql.Columns.Select(c => c.Key), Is.EqualTo(new[] { "name", "sku" }), "name(20) is a prefix of a column on MySQL");
        });
    }

    [Test]
    public void CREATE_TABLE_reads_columns_and_inline_and_table_constraints()
    {
        var create = Effect<CreateTable>(EngineKind.Sqlite, "CREATE TABLE IF NOT EXISTS [order items] (id INTEGER PRIMARY KEY AUTOINCREMENT, product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE, qty INT CHECK (qty > 0) DEFAULT 1, note, CONSTRAINT oi_uq UNIQUE (product_id, note), FOREIGN KEY (note) REFERENCES notes) WITHOUT ROWID");

        Assert.Multiple(() =>
        {
            Assert.That(create.Table.Name.Key, Is.EqualTo("order items"));
            Assert.That(create.Columns.Select(c => (c.Name.Key, c.Type?.Name)), Is.EqualTo(new[] { ("id", "integer"), ("product_id", "integer"), ("qty", "int"), ("note", (string?)null) }));
            Assert.That((create.Columns[0].PrimaryKey, create.Columns[0].Identity, create.Columns[1].References!.Table.Name.Key, create.Columns[2].Checks.Single(), create.Columns[2].Default), Is.EqualTo((true, true, "products", "qty > 0", "1")));
            Assert.That(create.Constraints.Select(c => (c.Kind, c.Name?.Key)), Is.EqualTo(new[] { (ConstraintKind.Unique, (string?)"oi_uq"), (ConstraintKind.ForeignKey, null) }));
        });
    }

    [Test]
    public void CREATE_TABLE_AS_is_a_copy_of_its_source()
    {
        var create = Effect<CreateTable>(EngineKind.MySql, "CREATE TABLE customers_backup AS SELECT c.* FROM customers c JOIN regions r ON r.id = c.region_id");

        Assert.That(create.CopiedFrom.Select(t => t.Name.Key), Is.EqualTo(new[] { "customers", "regions" }));
    }

    [TestCase("UPDATE customers SET email = lower(email)", false, false)]
    [TestCase("UPDATE customers c SET first_name = a.first_name FROM archive a WHERE a.id = c.id", true, true)]
    [TestCase("UPDATE customers c JOIN archive a ON a.id = c.id SET c.first_name = a.first_name", false, true)]
    [TestCase("UPDATE customers SET note = (SELECT x FROM t WHERE t.id = customers.id)", false, false)]
    public void UPDATE_reads_its_columns_WHERE_and_joins(string sql, bool where, bool join)
    {
        var update = Effect<DataChange>(EngineKind.MySql, sql);

        Assert.That((update.Kind, update.HasWhere, update.HasJoin, update.Columns.Count), Is.EqualTo((DataChangeKind.Update, where, join, 1)));
    }

    [Test]
    public void Comments_and_dollar_quoted_bodies_are_not_statements()
    {
        var script = StatementParser.For(EngineKind.Postgres).ParseScript("-- DROP TABLE customers;\n/* DROP TABLE orders; */\nDO $body$ BEGIN IF (SELECT count(*) FROM orders) > 0 THEN RAISE EXCEPTION 'orders exist; DROP TABLE orders refused'; END IF; END $body$;", "/s/r.sql");

        var block = script.Statements.Single().Effects.OfType<AnonymousBlock>().Single();
        Assert.That((block.IsGuard, block.Words.Contains("orders")), Is.EqualTo((false, true)), "the body mentions DROP, so it is not a pure guard; its words count as mentions");
    }

    [Test]
    public void A_DO_block_that_only_checks_and_raises_is_a_guard()
    {
        var block = Effect<AnonymousBlock>(EngineKind.Postgres, "DO $$ BEGIN IF EXISTS (SELECT 1 FROM products WHERE length(name) > 80) THEN RAISE EXCEPTION 'too long'; END IF; END $$");

        Assert.That(block.IsGuard, Is.True);
    }

    [TestCase(EngineKind.Postgres, "CALL refresh_reports()")]
    [TestCase(EngineKind.Postgres, "SELECT create_partition('orders', 2026)")]
    [TestCase(EngineKind.MySql, "EXECUTE stmt")]
    [TestCase(EngineKind.Sqlite, "ATTACH DATABASE 'x.db' AS x")]
    [TestCase(EngineKind.Postgres, "WITH d AS (DELETE FROM t RETURNING *) SELECT count(*) FROM d")]
    public void Statements_that_may_do_anything_are_not_understood(EngineKind engine, string sql)
    {
        var statement = One(engine, sql);

        Assert.That((statement.Understanding, statement.Effects.Count, statement.ChangesNothing), Is.EqualTo((Understanding.None, 0, false)), statement.Problem);
    }

    [TestCase(EngineKind.Postgres, "SELECT 1")]
    [TestCase(EngineKind.Postgres, "SELECT count(*) FROM customers WHERE email IN (SELECT email FROM banned)")]
    [TestCase(EngineKind.MySql, "SHOW TABLES")]
    [TestCase(EngineKind.Sqlite, "PRAGMA foreign_key_check")]
    [TestCase(EngineKind.MySql, "/*!40101 SET NAMES utf8mb4 */")]
    [TestCase(EngineKind.Postgres, "SET lock_timeout = '5s'")]
    public void Reads_and_session_settings_change_nothing(EngineKind engine, string sql)
    {
        var statement = One(engine, sql);

        Assert.That(statement.ChangesNothing, Is.True, statement.Problem);
    }

    [TestCase("SELECT setval('invoice_seq', 1001)", "invoice_seq", "1001")]
    [TestCase("SELECT setval('public.invoice_seq'::regclass, (SELECT max(id) FROM invoices))", "invoice_seq", null)]
    [TestCase("SELECT pg_catalog.setval(pg_get_serial_sequence('invoices', 'id'), 5, false)", "invoices_id_seq", "5")]
    public void setval_sets_a_sequence(string sql, string sequence, string? literal)
    {
        var setval = Effect<SetSequenceValue>(EngineKind.Postgres, sql);

        Assert.That((setval.Name.Name.Key, setval.Literal), Is.EqualTo((sequence, literal)));
    }

    [Test]
    public void SQLite_counter_writes_and_pragmas()
    {
        var counter = Effect<SetTableCounter>(EngineKind.Sqlite, "UPDATE sqlite_sequence SET seq = 41 WHERE name = 'items'");
        var pragma = Effect<SessionSetting>(EngineKind.Sqlite, "PRAGMA foreign_keys = OFF");

        Assert.That((counter.Table.Name.Key, counter.Literal, pragma.Name, pragma.Value), Is.EqualTo(("items", "41", "foreign_keys", "off")));
    }

    [Test]
    public void MySQL_RENAME_TABLE_and_trigger_bodies()
    {
        var script = StatementParser.For(EngineKind.MySql).ParseScript("RENAME TABLE a TO b, c TO d;\nDELIMITER //\nCREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.x = 1; END//\nDELIMITER ;\nDROP TRIGGER IF EXISTS t_bi;", "/s/r.sql");

        Assert.Multiple(() =>
        {
            Assert.That(script.Statements[0].Effects.OfType<RenameTable>().Select(r => (r.From.Name.Key, r.To.Name.Key)), Is.EqualTo(new[] { ("a", "b"), ("c", "d") }));
            var trigger = script.Statements[1].Effects.OfType<ObjectChange>().Single();
            Assert.That((trigger.Kind, trigger.Name.Name.Key, trigger.Table!.Name.Key), Is.EqualTo((SqlObjectKind.Trigger, "t_bi", "t")));
            Assert.That(script.Statements[2].Effects.OfType<ObjectChange>().Single().Action, Is.EqualTo(ObjectAction.Drop));
        });
    }

    [TestCase(EngineKind.Postgres, "text", "varchar(80)", true)]
    [TestCase(EngineKind.Postgres, "varchar(80)", "text", false)]
    [TestCase(EngineKind.Postgres, "bigint", "integer", true)]
    [TestCase(EngineKind.Postgres, "integer", "bigint", false)]
    [TestCase(EngineKind.Postgres, "numeric(12, 4)", "numeric(10, 2)", true)]
    [TestCase(EngineKind.Postgres, "numeric(10, 2)", "numeric(12, 2)", false)]
    [TestCase(EngineKind.Postgres, "numeric", "numeric(10, 2)", true)]
    [TestCase(EngineKind.Postgres, "timestamp", "date", true)]
    [TestCase(EngineKind.Postgres, "text", "integer", true)]
    [TestCase(EngineKind.Postgres, "integer", "text", false)]
    [TestCase(EngineKind.Postgres, "mood", "mood", false)]
    [TestCase(EngineKind.MySql, "BIGINT", "INT", true)]
    [TestCase(EngineKind.MySql, "INT UNSIGNED", "INT", true)]
    [TestCase(EngineKind.MySql, "TINYINT", "SMALLINT", false)]
    [TestCase(EngineKind.MySql, "TEXT", "VARCHAR(80)", true)]
    [TestCase(EngineKind.MySql, "VARCHAR(100)", "TEXT", false)]
    [TestCase(EngineKind.MySql, "DECIMAL(12,4)", "DECIMAL(10,2)", true)]
    [TestCase(EngineKind.MySql, "DECIMAL", "DECIMAL(10,0)", false)]
    [TestCase(EngineKind.MySql, "ENUM('a','b','c')", "ENUM('a','b')", true)]
    [TestCase(EngineKind.MySql, "ENUM('a','b')", "ENUM('a','b','c')", false)]
    [TestCase(EngineKind.Sqlite, "TEXT", "VARCHAR(10)", false)]
    public void Narrowing_is_read_from_the_types_per_dialect(EngineKind engine, string from, string to, bool narrows)
    {
        ColumnType Type(string text) => StatementParser.For(engine).ParseScript($"ALTER TABLE t ADD COLUMN c {text}", "/s/x.sql").Statements[0].Effects.OfType<AddColumn>().Single().Column.Type!;

        Assert.That(TypeWidth.Narrowing(Type(from), Type(to), engine) is not null, Is.EqualTo(narrows), TypeWidth.Narrowing(Type(from), Type(to), engine));
    }

    /// <summary>Every script of the scenario library and the end-to-end fixtures, on each engine it runs on, is read without error and nearly all of it understood.</summary>
    [Test]
    public void The_repository_scripts_are_understood()
    {
        var total = 0;
        var notUnderstood = new List<string>();
        foreach (var folder in RollbackVerifier.Scenarios.ScenarioLoader.Discover([RepoFiles.Path("scenarios"), RepoFiles.Path("fixtures/e2e")]))
        {
            var scenario = RollbackVerifier.Scenarios.ScenarioLoader.Load(folder, null);
            foreach (var (engine, scripts) in scenario.Scripts)
            {
                foreach (var script in new[] { scripts.Baseline, scripts.Forward, scripts.Rollback }.OfType<RollbackVerifier.Scenarios.ScriptSource>())
                {
                    foreach (var statement in StatementParser.For(engine).ParseScript(script.Text, script.Path).Statements)
                    {
                        total++;
                        if (statement.Understanding != Understanding.Full)
                        {
                            notUnderstood.Add($"{Path.GetRelativePath(RepoFiles.Root, script.Path)}:{statement.Statement.Line} ({engine}): {statement.Problem}");
                        }
                    }
                }
            }
        }

        TestContext.Out.WriteLine($"{total} statements, {notUnderstood.Count} not fully understood:\n{string.Join("\n", notUnderstood)}");
        Assert.That(total, Is.GreaterThan(500));
        Assert.That(notUnderstood.Count, Is.LessThan(total / 100), string.Join("\n", notUnderstood));
    }
}
