using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using MySqlConnector;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.MySql;
using RollbackVerifier.Scenarios;
using RollbackVerifier.Seeding;
using RollbackVerifier.Tests.Support;

namespace RollbackVerifier.Tests.Engines.MySql;

/// <summary>
/// Conformance of the MySQL engine against a real server (a container from RV_MYSQL_IMAGE, default mysql:8.4; MariaDB
/// 10.11 in our CI): inspection of every object kind, normalization, change detection, canonical values, auto-increment
/// counters, cleanup, existing-server safety, and a cross-check against mysqldump --no-data. Expectations that differ
/// between MySQL 8 and MariaDB are branched on the server.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class MySqlEngineTests
{
    private MySqlEngine _engine = null!;
    private string _runId = null!;
    private string? _image;
    private TimeSpan _firstDatabase;
    private TimeSpan _variedSchema;
    private MySqlInstance? _varied;

    [OneTimeSetUp]
    public async Task CreateEngine()
    {
        DockerRequirement.Ensure();
        _runId = "t" + EngineSettings.NewRunId();
        _image = Environment.GetEnvironmentVariable("RV_MYSQL_IMAGE") is { Length: > 0 } image ? image : null;
        _engine = new MySqlEngine(new EngineSettings(_image, null, _runId));
        var clock = Stopwatch.StartNew();
        _varied = await CreateAsync(null, "varied");
        _firstDatabase = clock.Elapsed;
        clock.Restart();
        await ExecuteAsync(_varied, VariedScript(_varied));
        _variedSchema = clock.Elapsed;
    }

    [OneTimeTearDown]
    public async Task DisposeEngine()
    {
        if (_engine is null)
        {
            return;
        }

        if (_varied is not null)
        {
            await _varied.DisposeAsync();
        }

        await _engine.DisposeAsync();
        Assert.That(DockerRequirement.ListHarnessContainers(_runId), Is.Empty, "no container of the run may remain after the engine is disposed");
    }

    private MySqlInstance Varied => _varied ?? throw new InvalidOperationException("The varied database was not created.");

    private bool IsMariaDb => Varied.IsMariaDb;

    [Test]
    public async Task InspectorSeesTablesAndColumns()
    {
        var schema = await Varied.InspectSchemaAsync(CancellationToken.None);

        var expectedTables = new List<string> { "categories", "customers", "lookups", "orders", "places" };
        if (IsMariaDb)
        {
            expectedTables.AddRange(["audit_log", "devices"]);
        }

        Assert.That(schema.Tables.Select(t => t.Name), Is.EqualTo(expectedTables.Order(StringComparer.Ordinal).Select(ObjectName.Unqualified)), "sequences, views and the marker table are not tables");
        var customers = Table(schema, "customers");
        Assert.That(customers.Columns.Select(c => c.Position), Is.EqualTo(Enumerable.Range(1, 31)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Describe(customers, "id"), Is.EqualTo(("int unsigned", TypeFamily.Integer, (int?)null, (int?)null, (int?)null, false, (string?)null, IdentityKind.AutoIncrement, (string?)null, (string?)null)));
            Assert.That(Describe(customers, "email"), Is.EqualTo(("varchar(255)", TypeFamily.Text, (int?)255, (int?)null, (int?)null, false, (string?)null, IdentityKind.None, (string?)null, "utf8mb4_bin")));
            Assert.That(Describe(customers, "name"), Is.EqualTo(("varchar(100)", TypeFamily.Text, (int?)100, (int?)null, (int?)null, true, "'anon'", IdentityKind.None, (string?)null, (string?)null)));
            Assert.That(Describe(customers, "balance"), Is.EqualTo(("decimal(10,2)", TypeFamily.Decimal, (int?)null, (int?)10, (int?)2, false, "0.00", IdentityKind.None, (string?)null, (string?)null)));
            Assert.That(customers.FindColumn("note")!.Default, Is.EqualTo("'it''s'"), "quotes inside a literal default are doubled");
            Assert.That(customers.FindColumn("null_word")!.Default, Is.EqualTo("'NULL'"), "the string 'NULL' is not the NULL default");
            Assert.That(customers.FindColumn("score")!.Default, Is.Null, "DEFAULT NULL and no default are the same");
            Assert.That(customers.FindColumn("rating")!.Default, Is.Null);
            Assert.That(customers.FindColumn("is_active")!.DataType, Is.EqualTo("tinyint(1)"), "tinyint(1) keeps its width: it is the boolean convention");
            Assert.That(customers.FindColumn("is_active")!.Default, Is.EqualTo("1"));
            Assert.That(customers.Columns.Where(c => c.Name is "small" or "big" or "tiny" or "medium" or "padded" or "since").Select(c => c.DataType), Is.EqualTo(new[]
            {
                "smallint", "bigint unsigned", "tinyint", "mediumint", "int(5) unsigned zerofill", "year",
            }), "display widths are dropped except for zerofill");
            Assert.That((customers.FindColumn("flags")!.DataType, customers.FindColumn("flags")!.Length, customers.FindColumn("flags")!.Default), Is.EqualTo(("bit(3)", (int?)3, (string?)"b'101'")));
            Assert.That(customers.FindColumn("born")!.Default, Is.EqualTo("'2000-01-01'"));
            Assert.That((customers.FindColumn("created_at")!.DataType, customers.FindColumn("created_at")!.Precision, customers.FindColumn("created_at")!.Default), Is.EqualTo(("datetime(3)", (int?)3, (string?)"current_timestamp(3)")));
            Assert.That((customers.FindColumn("updated_at")!.Precision, customers.FindColumn("updated_at")!.Default), Is.EqualTo(((int?)0, (string?)"current_timestamp() on update current_timestamp()")));
            Assert.That((customers.FindColumn("wake_at")!.DataType, customers.FindColumn("wake_at")!.Precision), Is.EqualTo(("time(2)", (int?)2)));
            Assert.That((customers.FindColumn("profile")!.DataType, customers.FindColumn("profile")!.Family, customers.FindColumn("profile")!.Collation), Is.EqualTo(("json", TypeFamily.Json, (string?)null)), "MariaDB's LONGTEXT JSON reads as json");
            Assert.That((customers.FindColumn("code")!.Length, customers.FindColumn("token")!.Length, customers.FindColumn("motto")!.Length, customers.FindColumn("bio")!.Length), Is.EqualTo(((int?)4, (int?)16, (int?)255, (int?)null)));
            Assert.That(customers.FindColumn("mood")!.EnumValues, Is.EqualTo(ValueList.Of("sad", "ok", "happy", "it's")));
            Assert.That(customers.FindColumn("mood")!.DataType, Is.EqualTo("enum('sad','ok','happy','it''s')"));
            Assert.That(customers.FindColumn("mood")!.Default, Is.EqualTo("'ok'"));
            Assert.That(customers.FindColumn("perms")!.EnumValues, Is.EqualTo(ValueList.Of("r", "w", "x")));
            Assert.That(customers.FindColumn("email_lower")!.GeneratedExpression, Is.EqualTo(IsMariaDb ? "lcase(email) VIRTUAL" : "lower(email) VIRTUAL"));
            Assert.That(customers.FindColumn("email_lower")!.IsGenerated, Is.True);
            Assert.That(customers.FindColumn("email_lower")!.Default, Is.Null);
            Assert.That(customers.FindColumn("double_balance")!.GeneratedExpression, Is.EqualTo("balance * 2 STORED"));
            Assert.That(customers.FindColumn("lucky")!.Default, Does.Contain("1 + 1"));
            Assert.That(customers.Columns.Where(c => c.Name != "email").Select(c => c.Collation), Is.All.Null, "the database's default collation is not reported");
            Assert.That(customers.Columns.Select(c => c.EngineId.Value), Is.All.Null);

            Assert.That(customers.Columns.ToDictionary(c => c.Name, c => c.Family), Is.EqualTo(new Dictionary<string, TypeFamily>
            {
                ["id"] = TypeFamily.Integer, ["email"] = TypeFamily.Text, ["name"] = TypeFamily.Text, ["note"] = TypeFamily.Text, ["null_word"] = TypeFamily.Text,
                ["balance"] = TypeFamily.Decimal, ["rating"] = TypeFamily.Float, ["score"] = TypeFamily.Float, ["is_active"] = TypeFamily.Integer,
                ["small"] = TypeFamily.Integer, ["big"] = TypeFamily.Integer, ["tiny"] = TypeFamily.Integer, ["medium"] = TypeFamily.Integer,
                ["padded"] = TypeFamily.Integer, ["flags"] = TypeFamily.Integer, ["born"] = TypeFamily.Date, ["created_at"] = TypeFamily.Timestamp,
                ["updated_at"] = TypeFamily.Timestamp, ["wake_at"] = TypeFamily.Time, ["since"] = TypeFamily.Integer, ["profile"] = TypeFamily.Json,
                ["avatar"] = TypeFamily.Binary, ["code"] = TypeFamily.Binary, ["token"] = TypeFamily.Binary, ["motto"] = TypeFamily.Text,
                ["bio"] = TypeFamily.Text, ["mood"] = TypeFamily.Enum, ["perms"] = TypeFamily.Enum, ["email_lower"] = TypeFamily.Text,
                ["double_balance"] = TypeFamily.Decimal, ["lucky"] = TypeFamily.Integer,
            }));

            var orders = Table(schema, "orders");
            Assert.That(Describe(orders, "order_id"), Is.EqualTo(("bigint", TypeFamily.Integer, (int?)null, (int?)null, (int?)null, false, (string?)null, IdentityKind.AutoIncrement, (string?)null, (string?)null)));
            Assert.That(orders.FindColumn("placed_at")!.Default, Is.EqualTo("current_timestamp()"));
            Assert.That(Table(schema, "places").FindColumn("loc")!.Family, Is.EqualTo(TypeFamily.Other));
        }
    }

    [Test]
    public async Task InspectorSeesKeysAndChecks()
    {
        var schema = await Varied.InspectSchemaAsync(CancellationToken.None);
        var customers = Table(schema, "customers");
        var categories = Table(schema, "categories");
        var orders = Table(schema, "orders");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(customers.PrimaryKey, Is.EqualTo(new PrimaryKey("PRIMARY", ValueList.Of("id"))));
            Assert.That(categories.PrimaryKey, Is.EqualTo(new PrimaryKey("PRIMARY", ValueList.Of("code", "locale"))));
            Assert.That(Table(schema, "lookups").PrimaryKey, Is.Null);

            Assert.That(customers.Uniques, Is.EqualTo(ValueList.Of(new UniqueConstraint("uq_customers_email", ValueList.Of("email"), false))), "a prefix unique key stays an index");
            Assert.That(orders.Uniques, Is.EqualTo(ValueList.Of(new UniqueConstraint("ux_orders_customer_total", ValueList.Of("customer_id", "total"), false))), "CREATE UNIQUE INDEX is a unique constraint in MySQL");

            Assert.That(categories.ForeignKeys, Is.EqualTo(ValueList.Of(new ForeignKey(
                "fk_categories_parent", ValueList.Of("parent_code", "parent_locale"), ObjectName.Unqualified("categories"), ValueList.Of("code", "locale"),
                "SET NULL", "CASCADE", false, false, true))));
            Assert.That(orders.ForeignKeys, Is.EqualTo(ValueList.Of(
                new ForeignKey("fk_orders_category", ValueList.Of("category_code", "category_locale"), ObjectName.Unqualified("categories"), ValueList.Of("code", "locale"), "RESTRICT", "NO ACTION", false, false, true),
                new ForeignKey("orders_ibfk_1", ValueList.Of("customer_id"), ObjectName.Unqualified("customers"), ValueList.Of("id"), "CASCADE", IsMariaDb ? "RESTRICT" : "NO ACTION", false, false, true))));

            // MariaDB names a column-level check after its column and an unnamed table-level one CONSTRAINT_n; MySQL 8 <table>_chk_n.
            Assert.That(customers.Checks, Is.EqualTo(ValueList.Of(new CheckConstraint("ck_customers_balance", "balance >= 0", true))), "MariaDB's implicit json_valid check is not reported");
            Assert.That(categories.Checks, Is.EqualTo(ValueList.Of(new CheckConstraint(IsMariaDb ? "qty" : "categories_chk_1", "qty > 0", true))));
            Assert.That(orders.Checks, Is.EqualTo(ValueList.Of(new CheckConstraint(IsMariaDb ? "CONSTRAINT_1" : "orders_chk_1", "total >= 0", true))));
        }
    }

    [Test]
    public async Task InspectorSeesIndexes()
    {
        var schema = await Varied.InspectSchemaAsync(CancellationToken.None);
        var customers = Table(schema, "customers");
        var orders = Table(schema, "orders");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(schema.Tables.SelectMany(t => t.Indexes).Select(i => i.Name), Has.None.EqualTo("PRIMARY").And.None.EqualTo("uq_customers_email").And.None.EqualTo("ux_orders_customer_total"));
            Assert.That(customers.Indexes.Select(i => i.Name), Is.EqualTo(IsMariaDb
                ? new[] { "ft_customers_bio", "ix_customers_name_born", "ux_customers_name_prefix" }
                : new[] { "ft_customers_bio", "ix_customers_lower_name", "ix_customers_name_born", "ux_customers_name_prefix" }));

            var nameBorn = customers.Indexes.Single(i => i.Name == "ix_customers_name_born");
            Assert.That(nameBorn.Keys, Is.EqualTo(ValueList.Of(new IndexKey("name", false, true, null, null), new IndexKey("born", false, false, null, null))));
            Assert.That((nameBorn.IsUnique, nameBorn.Method, nameBorn.Predicate, nameBorn.IsValid), Is.EqualTo((false, "BTREE", (string?)null, true)));
            Assert.That(nameBorn.Shape, Is.EqualTo("BTREE(name desc,born)"));
            Assert.That(nameBorn.Definition.Value, Is.EqualTo("CREATE INDEX `ix_customers_name_born` ON `customers` (name DESC, born)"));

            var prefix = customers.Indexes.Single(i => i.Name == "ux_customers_name_prefix");
            Assert.That((prefix.IsUnique, prefix.Keys.Single()), Is.EqualTo((true, new IndexKey("name(10)", false, false, null, null))));
            Assert.That(customers.Indexes.Single(i => i.Name == "ft_customers_bio").Method, Is.EqualTo("FULLTEXT"));
            Assert.That(Table(schema, "places").Indexes.Single().Method, Is.EqualTo("SPATIAL"));
            Assert.That(Table(schema, "lookups").Indexes.Single().Method, Is.EqualTo("HASH"));

            Assert.That(orders.Indexes.Single(i => i.Name == "ix_orders_placed").Keys.Single().Descending, Is.True);
            Assert.That(orders.Indexes.Single(i => i.Name == "ix_orders_placed").Method, Is.EqualTo(IsMariaDb ? "BTREE" : "BTREE INVISIBLE"));
            Assert.That(orders.Indexes.Select(i => i.Name), Does.Contain("fk_orders_category"), "the index a foreign key creates is an index like any other");
            if (!IsMariaDb)
            {
                Assert.That(customers.Indexes.Single(i => i.Name == "ix_customers_lower_name").Keys.Single(), Is.EqualTo(new IndexKey("lower(name)", true, false, null, null)));
            }
        }
    }

    [Test]
    public async Task InspectorSeesViewsTriggersRoutinesAndCounters()
    {
        var schema = await Varied.InspectSchemaAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(schema.Views.Select(v => v.Name.Name), Is.EqualTo(new[] { "v_active", "v_order_totals" }));
            Assert.That(schema.Views.Select(v => v.IsMaterialized), Is.All.False);
            Assert.That(schema.Views[0].Definition, Is.EqualTo(IsMariaDb
                ? "select c.id AS id,c.email AS email from customers c where c.is_active = 1 WITH CASCADED CHECK OPTION"
                : "select c.id AS id,c.email AS email from customers c where (c.is_active = 1) WITH CASCADED CHECK OPTION"));
            Assert.That(schema.Views[1].Definition, Does.StartWith("select o.customer_id AS customer_id,sum(o.total) AS total from (orders o join customers c on(").And.EndWith(" SQL SECURITY INVOKER"));
            Assert.That(schema.Views.Select(v => v.Definition), Has.None.Contains(Varied.DatabaseName).And.None.Contains("`"));

            Assert.That(schema.Triggers.Select(t => (t.Table.Name, t.Name, t.Timing, t.Events, t.IsEnabled)), Is.EqualTo(new[]
            {
                ("customers", "trg_customers_audit", "AFTER", "UPDATE", true),
                ("orders", "trg_orders_round", "BEFORE", "INSERT (order 2)", true),
                ("orders", "trg_orders_total", "BEFORE", "INSERT", true),
            }));
            Assert.That(schema.Triggers.Single(t => t.Name == "trg_orders_total").Definition, Is.EqualTo("SET NEW.total = COALESCE(NEW.total, 0)"));
            Assert.That(schema.Triggers.Single(t => t.Name == "trg_customers_audit").Definition, Is.EqualTo(
                "BEGIN IF NEW.balance <> OLD.balance THEN UPDATE orders SET total = total WHERE customer_id = NEW.id; END IF; END"));

            Assert.That(schema.Routines.Select(r => (r.Name.Name, r.Kind, r.Signature)), Is.EqualTo(new[]
            {
                ("f_add_tax", "function", "(amount decimal(10,2), rate int) returns decimal(12,2)"),
                ("p_touch", "procedure", "(IN p_id bigint, OUT p_count int)"),
            }));
            Assert.That(schema.Routines[0].Definition, Is.EqualTo("DETERMINISTIC RETURN amount * (100 + rate) / 100"));
            Assert.That(schema.Routines[1].Definition, Does.StartWith("MODIFIES SQL DATA BEGIN UPDATE orders SET total = total WHERE order_id = p_id;"));
            Assert.That(schema.Enums, Is.Empty, "MySQL has no enum types");

            var counters = schema.Sequences.Where(s => s.Kind == SequenceKind.AutoIncrement).ToList();
            Assert.That(counters.Select(s => (s.Name.Name, s.DataType, s.OwnedBy, s.NextValue.Value)), Is.EqualTo(new[]
            {
                ("customers", (string?)"int unsigned", (string?)"customers.id", (long?)1),
                ("orders", "bigint", "orders.order_id", 100),
            }));
        }
    }

    [Test]
    public async Task MariaDbSequencesUuidsAndVersionedTablesAreInspected()
    {
        if (!IsMariaDb)
        {
            Assert.Ignore("MariaDB-only objects; " + Varied.ServerVersion + " has none.");
        }

        var schema = await Varied.InspectSchemaAsync(CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(schema.Sequences.Where(s => s.Kind == SequenceKind.Sequence), Is.EqualTo(new[]
            {
                new Sequence(ObjectName.Unqualified("seq_invoice"), SequenceKind.Sequence, "bigint", 10, 5, 1, 1000, true, null, 10L),
            }));
            Assert.That(schema.Sequences.Single(s => s.Kind == SequenceKind.Sequence).NextValue.Value, Is.EqualTo(10));
            var devices = Table(schema, "devices");
            Assert.That(devices.FindColumn("id")!.Family, Is.EqualTo(TypeFamily.Uuid));
            Assert.That((devices.FindColumn("addr")!.DataType, devices.FindColumn("addr")!.Family), Is.EqualTo(("inet6", TypeFamily.Other)));
            Assert.That(devices.FindColumn("invoice")!.Default, Is.EqualTo("nextval(`seq_invoice`)"), "the database qualifier MariaDB adds is removed");
            Assert.That(Table(schema, "audit_log").Columns.Select(c => c.Name), Is.EqualTo(new[] { "id", "what" }), "system-versioning columns are implicit");
        }

        // The next value is the next one not cached: after a NEXTVAL it jumps past the cached block.
        await using var db = await CreateAsync(MySqlSchemas.MariaDbExtras, "sequence");
        await ExecuteAsync(db, "SELECT NEXTVAL(seq_invoice); SELECT NEXTVAL(seq_invoice);");
        var moved = await db.InspectSchemaAsync(CancellationToken.None);
        Assert.That(moved.Sequences.Single(s => s.Kind == SequenceKind.Sequence).NextValue.Value, Is.GreaterThan(15));
        await ExecuteAsync(db, "ALTER SEQUENCE seq_invoice RESTART WITH 20");
        var restarted = await db.InspectSchemaAsync(CancellationToken.None);
        Assert.That(restarted.Sequences.Single(s => s.Kind == SequenceKind.Sequence).NextValue.Value, Is.EqualTo(20));
        Assert.That(restarted, Is.EqualTo(moved), "positions are not compared");
    }

    [Test]
    public async Task TheMarkerTableIsInvisible()
    {
        Assert.That(await ScalarAsync<long>(Varied, $"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{MySqlServer.MarkerTable}'"), Is.EqualTo(1));
        Assert.That(await ScalarAsync<string>(Varied, $"SELECT run_id FROM {MySqlServer.MarkerTable}"), Is.EqualTo(_runId));

        await using var empty = await CreateAsync(null, "empty");
        Assert.That(await empty.InspectSchemaAsync(CancellationToken.None), Is.EqualTo(SchemaSnapshot.Empty));
        var schema = await Varied.InspectSchemaAsync(CancellationToken.None);
        Assert.That(schema.Tables.Select(t => t.Name.Name).Concat(schema.Sequences.Select(s => s.Name.Name)), Has.None.EqualTo(MySqlServer.MarkerTable));
    }

    [Test]
    public async Task SnapshottingAnUntouchedDatabaseTwiceGivesEqualSnapshots()
    {
        var first = await Varied.InspectSchemaAsync(CancellationToken.None);
        var second = await Varied.InspectSchemaAsync(CancellationToken.None);
        Assert.That(first.Tables, Is.Not.Empty, "an empty snapshot would make the comparison vacuous");
        Assert.That(second, Is.EqualTo(first));
        Assert.That(second.GetHashCode(), Is.EqualTo(first.GetHashCode()));
    }

    [Test]
    public async Task TheSameSchemaInTwoDatabasesGivesEqualSnapshots()
    {
        await using var other = await CreateAsync(VariedScript(Varied), "other");
        var expected = await Varied.InspectSchemaAsync(CancellationToken.None);
        var actual = await other.InspectSchemaAsync(CancellationToken.None);
        Assert.That(other.DatabaseName, Is.Not.EqualTo(Varied.DatabaseName));
        Assert.That(actual, Is.EqualTo(expected));
    }

    private static IEnumerable<TestCaseData> Changes()
    {
        TestCaseData Case(string name, string sql, Func<SchemaSnapshot, object?> part) => new TestCaseData(sql, part).SetArgDisplayNames(name);

        yield return Case("column added", "ALTER TABLE customers ADD COLUMN extra INT", s => s.FindTable(ObjectName.Unqualified("customers"))!.Columns);
        yield return Case("column widened", "ALTER TABLE customers MODIFY name VARCHAR(101) DEFAULT 'anon'", s => s.FindTable(ObjectName.Unqualified("customers"))!.Columns);
        yield return Case("integer width", "ALTER TABLE customers MODIFY small INT", s => s.FindTable(ObjectName.Unqualified("customers"))!.Columns);
        yield return Case("signedness", "ALTER TABLE customers MODIFY big BIGINT", s => s.FindTable(ObjectName.Unqualified("customers"))!.Columns);
        yield return Case("nullability", "ALTER TABLE customers MODIFY rating FLOAT NOT NULL", s => s.FindTable(ObjectName.Unqualified("customers"))!.Columns);
        yield return Case("default", "ALTER TABLE customers ALTER COLUMN name SET DEFAULT 'someone'", s => s.FindTable(ObjectName.Unqualified("customers"))!.Columns);
        yield return Case("default dropped", "ALTER TABLE customers ALTER COLUMN balance DROP DEFAULT", s => s.FindTable(ObjectName.Unqualified("customers"))!.Columns);
        yield return Case("on update dropped", "ALTER TABLE customers MODIFY updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP", s => s.FindTable(ObjectName.Unqualified("customers"))!.Columns);
        yield return Case("auto_increment dropped", "ALTER TABLE orders MODIFY order_id BIGINT NOT NULL", s => s.FindTable(ObjectName.Unqualified("orders"))!.Columns);
        yield return Case("generated kind", "ALTER TABLE customers DROP COLUMN email_lower, ADD COLUMN email_lower VARCHAR(255) AS (LOWER(email)) STORED AFTER perms", s => s.FindTable(ObjectName.Unqualified("customers"))!.Columns);
        yield return Case("generated expression", "ALTER TABLE customers MODIFY double_balance DECIMAL(12,2) AS (balance * 3) STORED", s => s.FindTable(ObjectName.Unqualified("customers"))!.Columns);
        yield return Case("collation", "ALTER TABLE customers MODIFY email VARCHAR(255) NOT NULL", s => s.FindTable(ObjectName.Unqualified("customers"))!.Columns);
        yield return Case("table converted", "ALTER TABLE lookups CONVERT TO CHARACTER SET latin1", s => s.FindTable(ObjectName.Unqualified("lookups"))!.Columns);
        yield return Case("enum label", "ALTER TABLE customers MODIFY mood ENUM('sad','ok','happy','it''s','meh') NOT NULL DEFAULT 'ok'", s => s.FindTable(ObjectName.Unqualified("customers"))!.Columns);
        yield return Case("datetime precision", "ALTER TABLE customers MODIFY created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)", s => s.FindTable(ObjectName.Unqualified("customers"))!.Columns);
        yield return Case("column moved", "ALTER TABLE customers MODIFY note VARCHAR(20) DEFAULT 'it''s' AFTER bio", s => s.FindTable(ObjectName.Unqualified("customers"))!.Columns);
        yield return Case("primary key", "ALTER TABLE categories DROP FOREIGN KEY fk_categories_parent, DROP PRIMARY KEY, ADD PRIMARY KEY (code)", s => s.FindTable(ObjectName.Unqualified("categories"))!.PrimaryKey);
        yield return Case("unique dropped", "ALTER TABLE customers DROP INDEX uq_customers_email", s => s.FindTable(ObjectName.Unqualified("customers"))!.Uniques);
        yield return Case("unique columns", "ALTER TABLE orders DROP INDEX ux_orders_customer_total, ADD UNIQUE INDEX ux_orders_customer_total (customer_id, placed_at)", s => s.FindTable(ObjectName.Unqualified("orders"))!.Uniques);
        yield return Case("foreign key action", "ALTER TABLE categories DROP FOREIGN KEY fk_categories_parent; ALTER TABLE categories ADD CONSTRAINT fk_categories_parent FOREIGN KEY (parent_code, parent_locale) REFERENCES categories (code, locale) ON DELETE CASCADE ON UPDATE CASCADE", s => s.FindTable(ObjectName.Unqualified("categories"))!.ForeignKeys);
        yield return Case("foreign key dropped", "ALTER TABLE orders DROP FOREIGN KEY fk_orders_category", s => s.FindTable(ObjectName.Unqualified("orders"))!.ForeignKeys);
        yield return Case("check expression", "ALTER TABLE customers DROP CONSTRAINT ck_customers_balance, ADD CONSTRAINT ck_customers_balance CHECK (balance >= 1)", s => s.FindTable(ObjectName.Unqualified("customers"))!.Checks);
        yield return Case("check added", "ALTER TABLE customers ADD CONSTRAINT ck_customers_small CHECK (small < 100)", s => s.FindTable(ObjectName.Unqualified("customers"))!.Checks);
        yield return Case("index order", "ALTER TABLE customers DROP INDEX ix_customers_name_born, ADD INDEX ix_customers_name_born (name, born)", s => s.FindTable(ObjectName.Unqualified("customers"))!.Indexes);
        yield return Case("index prefix", "ALTER TABLE customers DROP INDEX ux_customers_name_prefix, ADD UNIQUE INDEX ux_customers_name_prefix (name(12))", s => s.FindTable(ObjectName.Unqualified("customers"))!.Indexes);
        yield return Case("index renamed", "ALTER TABLE orders RENAME INDEX ix_orders_placed TO ix_orders_placed_at", s => s.FindTable(ObjectName.Unqualified("orders"))!.Indexes);
        yield return Case("index made unique", "ALTER TABLE customers DROP INDEX ix_customers_name_born, ADD UNIQUE INDEX ix_customers_name_born (name DESC, born)", s => s.FindTable(ObjectName.Unqualified("customers"))!.Indexes);
        yield return Case("table renamed", "RENAME TABLE lookups TO lookup_values", s => s.Tables);
        yield return Case("table dropped", "DROP TABLE places", s => s.Tables);
        yield return Case("view definition", "CREATE OR REPLACE VIEW v_active AS SELECT c.id, c.email FROM customers c WHERE c.is_active = 0 WITH CHECK OPTION", s => s.Views);
        yield return Case("view check option", "CREATE OR REPLACE VIEW v_active AS SELECT c.id, c.email FROM customers c WHERE c.is_active = 1", s => s.Views);
        yield return Case("view security", "CREATE OR REPLACE SQL SECURITY DEFINER VIEW v_order_totals AS SELECT o.customer_id, SUM(o.total) AS total FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY o.customer_id", s => s.Views);
        yield return Case("trigger body", "DROP TRIGGER trg_orders_total; CREATE TRIGGER trg_orders_total BEFORE INSERT ON orders FOR EACH ROW SET NEW.total = COALESCE(NEW.total, 1)", s => s.Triggers);
        yield return Case("trigger order", "DROP TRIGGER trg_orders_total; CREATE TRIGGER trg_orders_total BEFORE INSERT ON orders FOR EACH ROW FOLLOWS trg_orders_round SET NEW.total = COALESCE(NEW.total, 0)", s => s.Triggers);
        yield return Case("trigger timing", "DROP TRIGGER trg_customers_audit; CREATE TRIGGER trg_customers_audit BEFORE UPDATE ON customers FOR EACH ROW SET NEW.balance = NEW.balance", s => s.Triggers);
        yield return Case("function body", "DROP FUNCTION f_add_tax; CREATE FUNCTION f_add_tax(amount DECIMAL(10,2), rate INT) RETURNS DECIMAL(12,2) DETERMINISTIC RETURN amount * (101 + rate) / 100", s => s.Routines);
        yield return Case("function signature", "DROP FUNCTION f_add_tax; CREATE FUNCTION f_add_tax(amount DECIMAL(12,2), rate INT) RETURNS DECIMAL(12,2) DETERMINISTIC RETURN amount * (100 + rate) / 100", s => s.Routines);
        yield return Case("function characteristic", "DROP FUNCTION f_add_tax; CREATE FUNCTION f_add_tax(amount DECIMAL(10,2), rate INT) RETURNS DECIMAL(12,2) NOT DETERMINISTIC RETURN amount * (100 + rate) / 100", s => s.Routines);
        yield return Case("procedure dropped", "DROP PROCEDURE p_touch", s => s.Routines);
        yield return Case("auto-increment counter", "DROP TABLE places; ALTER TABLE lookups ADD COLUMN id INT NOT NULL AUTO_INCREMENT PRIMARY KEY", s => s.Sequences);
    }

    [TestCaseSource(nameof(Changes))]
    public async Task ChangeIsDetected(string sql, Func<SchemaSnapshot, object?> part)
    {
        await using var db = await CreateAsync(VariedScript(Varied), "change");
        var before = await db.InspectSchemaAsync(CancellationToken.None);
        await ExecuteAsync(db, sql);
        var after = await db.InspectSchemaAsync(CancellationToken.None);
        Assert.That(after, Is.Not.EqualTo(before));
        Assert.That(part(after), Is.Not.EqualTo(part(before)), "the change shows in the expected part of the snapshot");
    }

    [Test]
    public async Task MariaDbOnlyChangesAreDetected()
    {
        if (!IsMariaDb)
        {
            Assert.Ignore("MariaDB-only objects; " + Varied.ServerVersion + " has none.");
        }

        foreach (var change in new[] { "ALTER SEQUENCE seq_invoice INCREMENT BY 7", "DROP SEQUENCE seq_invoice", "ALTER TABLE orders ALTER INDEX ix_orders_placed IGNORED" })
        {
            await using var db = await CreateAsync(VariedScript(Varied), "maria change");
            var before = await db.InspectSchemaAsync(CancellationToken.None);
            await ExecuteAsync(db, change.StartsWith("DROP SEQ", StringComparison.Ordinal) ? "DROP TABLE devices; " + change : change);
            Assert.That(await db.InspectSchemaAsync(CancellationToken.None), Is.Not.EqualTo(before), change);
        }
    }

    [Test]
    public async Task AutoIncrementCountersFollowInsertsLiveButAreNotCompared()
    {
        await using var db = await CreateAsync(VariedScript(Varied), "counters");
        var before = await db.InspectSchemaAsync(CancellationToken.None);
        await ExecuteAsync(db, """
            INSERT INTO customers (email, name) VALUES ('a@x', 'a'), ('b@x', 'b'), ('c@x', 'c');
            INSERT INTO orders (customer_id, total) VALUES (1, 10), (2, 20);
            INSERT INTO orders (order_id, customer_id, total) VALUES (500, 3, 30);
            """);

        // Read at once: MariaDB's TABLES.AUTO_INCREMENT is live; on MySQL 8 the session's information_schema_stats_expiry = 0 makes it so.
        var after = await db.InspectSchemaAsync(CancellationToken.None);
        Sequence Counter(SchemaSnapshot s, string table) => s.Sequences.Single(q => q.Kind == SequenceKind.AutoIncrement && q.Name.Name == table);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Counter(after, "customers").NextValue.Value, Is.EqualTo(4));
            Assert.That(Counter(after, "orders").NextValue.Value, Is.EqualTo(501), "an explicit key moves the counter past it");
            Assert.That(after, Is.EqualTo(before), "counter positions are not compared");
        }

        await ExecuteAsync(db, "DELETE FROM orders; ALTER TABLE orders AUTO_INCREMENT = 1;");
        var reset = await db.InspectSchemaAsync(CancellationToken.None);
        Assert.That(Counter(reset, "orders").NextValue.Value, Is.EqualTo(1), "ALTER TABLE ... AUTO_INCREMENT on an empty table resets the counter");
    }

    [Test]
    public async Task ReadRowsGivesCanonicalValues()
    {
        await using var db = await CreateAsync(MySqlSchemas.Values, "values");
        await ExecuteAsync(db, """
            INSERT INTO vals VALUES (1, 12.30, 123456789012345678901234567890123.123456789012345678901234567890, 1.1, 0.1, 1, 255, 18446744073709551615, b'10100101', 2024,
                '2024-02-29', '2024-01-02 03:04:05', '2024-01-02 03:04:05.120', '2024-01-02 03:04:05.500000', '-12:30:00.250', '838:59:59',
                '{"b": 1, "a": [1, 2.50, "x"], "c": {"é": null, "d": true}}', 0x00ff10, 'ab', REPEAT('z', 300), 'b', 'z,x', 'text with ''quotes''', 'ab');
            INSERT INTO vals (id) VALUES (2);
            """);
        var table = (await db.InspectSchemaAsync(CancellationToken.None)).Tables.Single();
        var rows = (await ReadAllAsync(db, table)).OrderBy(r => r[0], StringComparer.Ordinal).ToList();

        var hash = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(new string('z', 300)))) + ":300";
        Assert.That(rows[0], Is.EqualTo(new string?[]
        {
            "1", "12.3", "123456789012345678901234567890123.12345678901234567890123456789", "1.1", "0.1", "1", "255", "18446744073709551615", "165", "2024",
            "2024-02-29", "2024-01-02T03:04:05", "2024-01-02T03:04:05.12", "2024-01-02T03:04:05.5", "-12:30:00.25", "838:59:59",
            "{\"a\":[1,2.50,\"x\"],\"b\":1,\"c\":{\"d\":true,\"é\":null}}".Replace("2.50", IsMariaDb ? "2.50" : "2.5", StringComparison.Ordinal),
            "\\x00ff10", "\\x616200", hash, "b", "x,z", "text with 'quotes'", "ab",
        }));
        Assert.That(hash, Is.EqualTo(CanonicalValue.FormatBytes(System.Text.Encoding.ASCII.GetBytes(new string('z', 300)))), "server-side hashing matches CanonicalValue.FormatBytes");
        Assert.That(rows[1], Is.EqualTo(new string?[] { "2" }.Concat(Enumerable.Repeat<string?>(null, 23))));
    }

    [Test]
    public async Task ReadRowsCompareEqualAcrossTypeChanges()
    {
        await using var db = await CreateAsync("""
            CREATE TABLE t (id INT PRIMARY KEY, amount DECIMAL(10,2), whole INT, at DATETIME, j JSON, stamp DATETIME(3), word VARCHAR(10), flag TINYINT(1));
            INSERT INTO t VALUES (1, 12.30, 5, '2024-01-02 03:04:05', '{"b": 2, "a": 1}', '2024-01-02 03:04:05.100', 'abc', 1);
            """, "type change");
        var before = await ReadAllAsync(db, (await db.InspectSchemaAsync(CancellationToken.None)).Tables.Single());
        await ExecuteAsync(db, """
            ALTER TABLE t MODIFY amount DECIMAL(14,4), MODIFY whole DECIMAL(10,2), MODIFY at DATETIME(6), MODIFY stamp TIMESTAMP(3) NULL, MODIFY word TEXT, MODIFY flag INT;
            """);
        var schema = await db.InspectSchemaAsync(CancellationToken.None);
        var after = await ReadAllAsync(db, schema.Tables.Single());
        Assert.That(schema.Tables.Single().FindColumn("whole")!.DataType, Is.EqualTo("decimal(10,2)"));
        Assert.That(after, Is.EqualTo(before), "12.3000 = 12.30, 5.00 = 5, DATETIME(6) = DATETIME, TIMESTAMP = DATETIME in UTC, TEXT = VARCHAR");
        Assert.That(before.Single(), Is.EqualTo(new string?[] { "1", "12.3", "5", "2024-01-02T03:04:05", "{\"a\":1,\"b\":2}", "2024-01-02T03:04:05.1", "abc", "1" }));
    }

    [Test]
    public async Task ReadRowsReadsTheColumnsOfTheGivenTable()
    {
        await using var db = await CreateAsync("CREATE TABLE t (a INT, b VARCHAR(5), c INT); INSERT INTO t VALUES (1, 'x', 3);", "given columns");
        var table = (await db.InspectSchemaAsync(CancellationToken.None)).Tables.Single();

        // A snapshot taken before a column was dropped still reads the columns that remain, by name.
        var partial = table with { Columns = ValueList.Of(table.Columns[2], table.Columns[0]) };
        Assert.That((await ReadAllAsync(db, partial)).Single(), Is.EqualTo(new string?[] { "3", "1" }));
    }

    [Test]
    public async Task SeederFillsEveryFamilyAndReadsItBack()
    {
        // YEAR is left out: the seeder's integers do not fit its 1901-2155 range.
        var script = MySqlSchemas.Varied.Replace("since YEAR,", "since SMALLINT,", StringComparison.Ordinal) + (IsMariaDb ? "\n" + MySqlSchemas.MariaDbExtras : string.Empty);
        await using var db = await CreateAsync(script, "seeded");
        var schema = await db.InspectSchemaAsync(CancellationToken.None);
        var settings = SeedSettings.Default with
        {
            Rows = 20,
            LiveRows = 5,
            // places: a NOT NULL POINT, which the seeder cannot generate. devices: MariaDB 10.11 refuses UUIDs whose version
            // nibble is 8 or more, and the seeder's GUIDs are random bytes (about half are refused).
            Tables = new Dictionary<string, TableSeedSettings> { ["places"] = new(null, null, true), ["devices"] = new(null, null, true) },
        };
        var pre = await Seeder.SeedAsync(db, schema, settings, SeedPhase.PreExisting, CancellationToken.None);
        var live = await Seeder.SeedAsync(db, schema, settings, SeedPhase.Live, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            foreach (var summary in pre.Concat(live))
            {
                Assert.That(summary.Skipped, Is.Zero, $"{summary.Table} ({summary.Phase}): {summary.SkipReason}");
                Assert.That(summary.Inserted, Is.Positive, $"{summary.Table} ({summary.Phase})");
            }

            Assert.That(live.Single(s => s.Table == "customers").Updated + live.Single(s => s.Table == "customers").Deleted, Is.Positive, "live updates find rows by their canonical keys");
            Assert.That(pre.Single(s => s.Table == "orders").Inserted, Is.Positive, "foreign keys are fed from the referenced rows read back");
        }

        var customers = await ReadAllAsync(db, schema.FindTable(ObjectName.Unqualified("customers"))!);
        Assert.That(customers, Has.Count.GreaterThanOrEqualTo(20));
        Assert.That(customers.Select(r => r.Length), Is.All.EqualTo(schema.FindTable(ObjectName.Unqualified("customers"))!.Columns.Count));
    }

    [Test]
    public async Task DescribeErrorGivesNumberSqlStateAndMessage()
    {
        await using var db = await CreateAsync("CREATE TABLE t (id INT PRIMARY KEY, code VARCHAR(3) NOT NULL); INSERT INTO t VALUES (1, 'abc');", "errors");

        var duplicate = Assert.ThrowsAsync<MySqlException>(() => ExecuteAsync(db, "INSERT INTO t VALUES (1, 'xyz')"));
        var error = db.Dialect.DescribeError(duplicate!);
        Assert.That((error.Code, error.Detail), Is.EqualTo(("1062", (string?)"SQLSTATE 23000; DuplicateKeyEntry")));
        Assert.That(error.Message, Does.StartWith("Duplicate entry '1' for key"));

        var tooLong = Assert.ThrowsAsync<MySqlException>(() => ExecuteAsync(db, "INSERT INTO t VALUES (2, 'abcd')"));
        Assert.That(db.Dialect.DescribeError(tooLong!).Code, Is.EqualTo("1406"), "strict mode refuses data too long");

        var syntax = Assert.ThrowsAsync<MySqlException>(() => ExecuteAsync(db, "SELEC 1"));
        var syntaxError = db.Dialect.DescribeError(syntax!);
        Assert.That((syntaxError.Code, syntaxError.Detail), Is.EqualTo(("1064", (string?)"SQLSTATE 42000; ParseError")));
    }

    [Test]
    public async Task DdlInsideATransactionCommitsImplicitly()
    {
        await using var db = await CreateAsync("CREATE TABLE t (id INT PRIMARY KEY);", "implicit commit");
        var connection = await db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO t VALUES (1)";
            await command.ExecuteNonQueryAsync();
            command.CommandText = "ALTER TABLE t ADD COLUMN c INT";
            await command.ExecuteNonQueryAsync();
            await transaction.RollbackAsync();
        }

        var table = (await db.InspectSchemaAsync(CancellationToken.None)).Tables.Single();
        Assert.That(table.Columns.Select(c => c.Name), Is.EqualTo(new[] { "id", "c" }), "the DDL stays");
        Assert.That(await ReadAllAsync(db, table), Has.Count.EqualTo(1), "and committed the insert before it");
    }

    [Test]
    public async Task DatabaseIsDroppedWhenTheInstanceIsDisposed()
    {
        var db = await CreateAsync("CREATE TABLE t (id INT)", "dropped");
        var name = db.DatabaseName;
        Assert.That(name, Does.StartWith("rv_dropped_" + _runId + "_"));
        Assert.That(name.Length, Is.LessThanOrEqualTo(64));
        Assert.That(db.ServerVersion, Does.StartWith(IsMariaDb ? "MariaDB " : "MySQL "));
        Assert.That(db.Kind, Is.EqualTo(EngineKind.MySql));

        // A session left open with a lock held (as a failed script might leave one) does not stop the drop.
        var lingering = await db.OpenConnectionAsync(CancellationToken.None);
        var transaction = await lingering.BeginTransactionAsync();
        await using (var command = lingering.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO t VALUES (1)";
            await command.ExecuteNonQueryAsync();
        }

        await db.DisposeAsync();
        await db.DisposeAsync();

        Assert.That(await DatabaseExistsAsync(name), Is.False);
        Assert.ThrowsAsync<ObjectDisposedException>(() => db.OpenConnectionAsync(CancellationToken.None));
        await using (var command = lingering.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT 1";
            Assert.That(async () => await command.ExecuteScalarAsync(), Throws.InstanceOf<MySqlException>(), "the lingering session was killed");
        }

        try
        {
            await lingering.DisposeAsync();
        }
        catch (MySqlException)
        {
            // Rolling back on a killed session fails; that is the point.
        }
    }

    [Test]
    public async Task DatabasesCanBeCreatedInParallel()
    {
        var instances = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => _engine.CreateDatabaseAsync(new DatabaseRequest("parallel", IsolationMode.Database), CancellationToken.None)));
        try
        {
            Assert.That(instances.Select(i => i.DatabaseName).Distinct().Count(), Is.EqualTo(4));
            foreach (var instance in instances)
            {
                Assert.That(await DatabaseExistsAsync(instance.DatabaseName), Is.True);
            }
        }
        finally
        {
            await Task.WhenAll(instances.Select(i => i.DisposeAsync().AsTask()));
        }

        foreach (var instance in instances)
        {
            Assert.That(await DatabaseExistsAsync(instance.DatabaseName), Is.False);
        }
    }

    [Test]
    public async Task CancelledCreateLeavesNoDatabase()
    {
        const string count = "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'rv\\_%'";
        var before = await ScalarAsync<long>(Varied, count);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        Assert.That(
            async () => await _engine.CreateDatabaseAsync(new DatabaseRequest("cancelled", IsolationMode.Database), cancelled.Token),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(await ScalarAsync<long>(Varied, count), Is.EqualTo(before));
    }

    [Test]
    public async Task ContainerIsolationGivesTheInstanceItsOwnContainer()
    {
        var shared = DockerRequirement.ListHarnessContainers(_runId);
        Assert.That(shared, Has.Count.EqualTo(1), "one shared container for the run");

        var own = (MySqlInstance)await _engine.CreateDatabaseAsync(new DatabaseRequest("own container", IsolationMode.Container), CancellationToken.None);
        try
        {
            Assert.That(DockerRequirement.ListHarnessContainers(_runId), Has.Count.EqualTo(2));
            await ExecuteAsync(own, "CREATE USER rv_isolated_user IDENTIFIED BY 'x'");
            const string users = "SELECT COUNT(*) FROM mysql.user WHERE User = 'rv_isolated_user'";
            Assert.That(await ScalarAsync<long>(own, users), Is.EqualTo(1));
            Assert.That(await ScalarAsync<long>(Varied, users), Is.Zero, "the user lives in the other server only");
        }
        finally
        {
            await own.DisposeAsync();
        }

        Assert.That(DockerRequirement.ListHarnessContainers(_runId), Is.EqualTo(shared));
    }

    [Test]
    public async Task DisposingTheEngineDropsOpenDatabasesAndRemovesItsContainer()
    {
        var runId = "t" + EngineSettings.NewRunId();
        var engine = new MySqlEngine(new EngineSettings(_image, null, runId));
        string name;
        try
        {
            var db = await engine.CreateDatabaseAsync(new DatabaseRequest("left open", IsolationMode.Database), CancellationToken.None);
            name = db.DatabaseName;
            Assert.That(DockerRequirement.ListHarnessContainers(runId), Has.Count.EqualTo(1));
            Assert.That(engine.Description, Is.EqualTo("container " + engine.Image));
            Assert.That(engine.Image, Is.EqualTo(_image ?? MySqlEngine.DefaultImage));
        }
        finally
        {
            await engine.DisposeAsync();
        }

        Assert.That(DockerRequirement.ListHarnessContainers(runId), Is.Empty);
        Assert.That(name, Does.Contain(runId));
        Assert.ThrowsAsync<ObjectDisposedException>(() => engine.CreateDatabaseAsync(new DatabaseRequest("late", IsolationMode.Database), CancellationToken.None));
    }

    [Test]
    public async Task AMissingImageMakesTheEngineUnavailable()
    {
        var runId = "t" + EngineSettings.NewRunId();
        await using var engine = new MySqlEngine(new EngineSettings("rollbackverifier/no-such-image:missing", null, runId));
        var error = Assert.ThrowsAsync<EngineUnavailableException>(() => engine.CreateDatabaseAsync(new DatabaseRequest("missing", IsolationMode.Database), CancellationToken.None));
        Assert.That(error!.Message, Does.Contain("rollbackverifier/no-such-image:missing").And.Contain("RV_MYSQL_IMAGE").And.Contain("eng/build-images.sh").And.Contain("RV_MYSQL_URL"));
        Assert.That(DockerRequirement.ListHarnessContainers(runId), Is.Empty);
    }

    [Test]
    public async Task AContainerThatNeverGetsReadyIsRemoved()
    {
        // An image without a MySQL server: the container is created but never becomes ready.
        var runId = "t" + EngineSettings.NewRunId();
        await using var engine = new MySqlEngine(new EngineSettings(NonMySqlImage(), null, runId));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Assert.That(
            async () => await engine.CreateDatabaseAsync(new DatabaseRequest("never ready", IsolationMode.Database), timeout.Token),
            Throws.InstanceOf<EngineUnavailableException>().Or.InstanceOf<OperationCanceledException>());
        Assert.That(DockerRequirement.ListHarnessContainers(runId), Is.Empty, "the half-started container is removed");
    }

    [Test]
    public async Task ExistingServerModeUsesOnlyItsOwnMarkedDatabases()
    {
        var admin = new MySqlConnectionStringBuilder(Varied.ConnectionString);
        var url = $"mysql://{Uri.EscapeDataString(admin.UserID)}:{Uri.EscapeDataString(admin.Password)}@{admin.Server}:{admin.Port}/ignored";
        var runId = "t" + EngineSettings.NewRunId();
        var engine = new MySqlEngine(new EngineSettings(null, url, runId));
        var foreign = "rv_not_ours_" + runId;
        var otherRun = "rv_other_run_" + runId;
        var unprefixed = "app_" + runId;
        try
        {
            Assert.That(engine.Description, Is.EqualTo($"mysql://{admin.UserID}@{admin.Server}:{admin.Port}"));
            var db = (MySqlInstance)await engine.CreateDatabaseAsync(new DatabaseRequest("existing", IsolationMode.Database), CancellationToken.None);
            var name = db.DatabaseName;
            Assert.That(await ScalarAsync<string>(db, $"SELECT run_id FROM {MySqlServer.MarkerTable}"), Is.EqualTo(runId));
            await ExecuteAsync(db, "CREATE TABLE t (id INT PRIMARY KEY)");
            Assert.That((await db.InspectSchemaAsync(CancellationToken.None)).Tables.Single().Name, Is.EqualTo(ObjectName.Unqualified("t")));

            await ExecuteAsync(Varied, $"CREATE DATABASE {foreign}; CREATE TABLE {foreign}.t (id INT);");
            await ExecuteAsync(Varied, $"CREATE DATABASE {otherRun}; CREATE TABLE {otherRun}.{MySqlServer.MarkerTable} (run_id VARCHAR(64)); INSERT INTO {otherRun}.{MySqlServer.MarkerTable} VALUES ('someone-else');");
            await ExecuteAsync(Varied, $"CREATE DATABASE {unprefixed}; CREATE TABLE {unprefixed}.{MySqlServer.MarkerTable} (run_id VARCHAR(64)); INSERT INTO {unprefixed}.{MySqlServer.MarkerTable} VALUES ('{runId}');");

            var noMarker = Assert.ThrowsAsync<RollbackVerifierException>(() => engine.DropDatabaseAsync(foreign, CancellationToken.None));
            Assert.That(noMarker!.Message, Does.Contain("Refusing to drop database 'rv_not_ours_").And.Contain(MySqlServer.MarkerTable));
            var wrongMarker = Assert.ThrowsAsync<RollbackVerifierException>(() => engine.DropDatabaseAsync(otherRun, CancellationToken.None));
            Assert.That(wrongMarker!.Message, Does.Contain("Refusing to drop database 'rv_other_run_"));
            var noPrefix = Assert.ThrowsAsync<RollbackVerifierException>(() => engine.DropDatabaseAsync(unprefixed, CancellationToken.None));
            Assert.That(noPrefix!.Message, Does.Contain("does not start with 'rv_'"));
            Assert.That(await DatabaseExistsAsync(foreign) && await DatabaseExistsAsync(otherRun) && await DatabaseExistsAsync(unprefixed), Is.True);

            var container = Assert.ThrowsAsync<EngineUnavailableException>(() => engine.CreateDatabaseAsync(new DatabaseRequest("users", IsolationMode.Container), CancellationToken.None));
            Assert.That(container!.Message, Does.Contain("container isolation"));

            await engine.DisposeAsync();
            Assert.That(await DatabaseExistsAsync(name), Is.False, "the engine drops its own database");
            Assert.That(DockerRequirement.ListHarnessContainers(runId), Is.Empty, "existing-server mode starts no container");
        }
        finally
        {
            await engine.DisposeAsync();
            foreach (var database in new[] { foreign, otherRun, unprefixed })
            {
                await ExecuteAsync(Varied, $"DROP DATABASE IF EXISTS {database}");
            }
        }
    }

    [Test]
    public async Task ExistingServerModeAcceptsAConnectionString()
    {
        var admin = new MySqlConnectionStringBuilder(Varied.ConnectionString) { Database = "mysql" };
        await using var engine = new MySqlEngine(new EngineSettings(null, admin.ConnectionString, "t" + EngineSettings.NewRunId()));
        await using var db = await engine.CreateDatabaseAsync(new DatabaseRequest("connection string", IsolationMode.Database), CancellationToken.None);
        Assert.That(await DatabaseExistsAsync(db.DatabaseName), Is.True);
        Assert.That(db.ServerVersion, Is.EqualTo(Varied.ServerVersion));
    }

    [Test]
    public async Task AnUnreachableServerMakesTheEngineUnavailable()
    {
        await using var engine = new MySqlEngine(new EngineSettings(null, "mysql://root:x@127.0.0.1:1/", "t" + EngineSettings.NewRunId()));
        var error = Assert.ThrowsAsync<EngineUnavailableException>(() => engine.CreateDatabaseAsync(new DatabaseRequest("unreachable", IsolationMode.Database), CancellationToken.None));
        Assert.That(error!.Message, Does.Contain("mysql://root@127.0.0.1:1").And.Contain("RV_MYSQL_URL").And.Not.Contain(":x@"));
    }

    [Test]
    public async Task InspectorAgreesWithMysqldump()
    {
        var containerId = Varied.ContainerId;
        Assert.That(containerId, Is.Not.Null);
        Assert.That(DockerRequirement.ListHarnessContainers(_runId).Single(), Does.StartWith(containerId![..12]));

        var dump = MySqlDump.Parse(await MySqlDump.NoDataAsync(containerId, Varied.DatabaseName));
        var schema = await Varied.InspectSchemaAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(schema.Tables.Select(t => t.Name.Name), Is.EquivalentTo(dump.Tables.Keys));
            foreach (var table in schema.Tables)
            {
                var dumped = dump.Tables[table.Name.Name];
                Assert.That(table.Columns.Select(c => c.Name), Is.EqualTo(dumped.Columns), $"{table.Name} columns, in order");
                Assert.That(table.PrimaryKey?.Columns, Is.EqualTo(dumped.PrimaryKey), $"{table.Name} primary key");
                Assert.That(table.Uniques.Select(u => u.Name!).Concat(table.Indexes.Where(i => i.IsUnique).Select(i => i.Name)), Is.EquivalentTo(dumped.UniqueKeys), $"{table.Name} unique keys");
                Assert.That(table.Indexes.Where(i => !i.IsUnique).Select(i => i.Name), Is.EquivalentTo(dumped.Keys), $"{table.Name} keys");
                Assert.That(table.ForeignKeys.Select(f => f.Name!), Is.EquivalentTo(dumped.ForeignKeys), $"{table.Name} foreign keys");
                Assert.That(table.Checks.Select(c => c.Name!).Where(n => !table.Columns.Any(c => c.Name == n)), Is.EquivalentTo(dumped.NamedChecks), $"{table.Name} named checks");
                Assert.That(table.Checks, Has.Count.EqualTo(dumped.NamedChecks.Count + dumped.ColumnChecks.Count(c => table.FindColumn(c)!.Family != TypeFamily.Json)), $"{table.Name} checks");
                Assert.That(table.Columns.Where(c => c.Identity == IdentityKind.AutoIncrement).Select(c => c.Name), Is.EquivalentTo(dumped.AutoIncrementColumns), $"{table.Name} auto_increment");
                var counter = schema.Sequences.SingleOrDefault(s => s.Kind == SequenceKind.AutoIncrement && s.Name == table.Name);
                if (dumped.AutoIncrement is { } next)
                {
                    Assert.That(counter?.NextValue.Value, Is.EqualTo(next), $"{table.Name} AUTO_INCREMENT=");
                }
            }

            Assert.That(schema.Views.Select(v => v.Name.Name), Is.EquivalentTo(dump.Views));
            Assert.That(schema.Sequences.Where(s => s.Kind == SequenceKind.Sequence).Select(s => s.Name.Name), Is.EquivalentTo(dump.Sequences));
            Assert.That(schema.Triggers.Select(t => $"{t.Table.Name}.{t.Name}"), Is.EquivalentTo(dump.Triggers));
            Assert.That(schema.Routines.Select(r => $"{r.Kind} {r.Name.Name}"), Is.EquivalentTo(dump.Routines));
            Assert.That(dump.Tables, Has.Count.EqualTo(IsMariaDb ? 7 : 5), "the dump parser found the tables");
            Assert.That(dump.Triggers, Has.Count.EqualTo(3), "the dump parser found the triggers");
        }
    }

    [Test]
    public async Task TimingsAreReasonable()
    {
        var clock = Stopwatch.StartNew();
        await using (var db = await _engine.CreateDatabaseAsync(new DatabaseRequest("timing", IsolationMode.Database), CancellationToken.None))
        {
            var create = clock.Elapsed;
            clock.Restart();
            var snapshot = await Varied.InspectSchemaAsync(CancellationToken.None);
            var inspect = clock.Elapsed;
            clock.Restart();
            await Varied.InspectSchemaAsync(CancellationToken.None);
            var again = clock.Elapsed;
            TestContext.Out.WriteLine($"server: {Varied.ServerVersion}");
            TestContext.Out.WriteLine($"first CreateDatabase (container start + create): {_firstDatabase.TotalMilliseconds:F0} ms");
            TestContext.Out.WriteLine($"creating the varied schema: {_variedSchema.TotalMilliseconds:F0} ms");
            TestContext.Out.WriteLine($"CreateDatabase: {create.TotalMilliseconds:F0} ms");
            TestContext.Out.WriteLine($"snapshot of the varied schema ({snapshot.Tables.Count} tables): {inspect.TotalMilliseconds:F0} ms, again {again.TotalMilliseconds:F0} ms");
            Assert.That(inspect, Is.LessThan(TimeSpan.FromSeconds(5)), "a snapshot is a handful of set-based queries");
            Assert.That(create, Is.LessThan(TimeSpan.FromSeconds(5)));
        }
    }

    private static string VariedScript(MySqlInstance db) =>
        MySqlSchemas.Varied + "\n" + (db.IsMariaDb ? MySqlSchemas.MariaDbExtras : MySqlSchemas.MySqlExtras);

    private static Table Table(SchemaSnapshot schema, string name) =>
        schema.FindTable(ObjectName.Unqualified(name)) ?? throw new AssertionException($"table {name} not found");

    private static (string, TypeFamily, int?, int?, int?, bool, string?, IdentityKind, string?, string?) Describe(Table table, string column)
    {
        var c = table.FindColumn(column) ?? throw new AssertionException($"column {table.Name}.{column} not found");
        return (c.DataType, c.Family, c.Length, c.Precision, c.Scale, c.IsNullable, c.Default, c.Identity, c.GeneratedExpression, c.Collation);
    }

    private async Task<MySqlInstance> CreateAsync(string? script, string scenario)
    {
        var db = (MySqlInstance)await _engine.CreateDatabaseAsync(new DatabaseRequest(scenario, IsolationMode.Database), CancellationToken.None);
        if (script is not null)
        {
            try
            {
                await ExecuteAsync(db, script);
            }
            catch
            {
                await db.DisposeAsync();
                throw;
            }
        }

        return db;
    }

    private static async Task ExecuteAsync(IDatabaseInstance db, string script)
    {
        var connection = await db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            foreach (var statement in db.Dialect.Splitter.Split(script, "test.sql"))
            {
                await using var command = connection.CreateCommand();
                command.CommandText = statement.Text;
                await command.ExecuteNonQueryAsync();
            }
        }
    }

    private static async Task<T> ScalarAsync<T>(IDatabaseInstance db, string sql)
    {
        var connection = await db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            var value = await command.ExecuteScalarAsync();
            return (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture)!;
        }
    }

    private async Task<bool> DatabaseExistsAsync(string name)
    {
        var connection = await Varied.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            await using var command = (MySqlCommand)connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = @name";
            command.Parameters.AddWithValue("@name", name);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) > 0;
        }
    }

    private static async Task<List<string?[]>> ReadAllAsync(IDatabaseInstance db, Table table)
    {
        var rows = new List<string?[]>();
        await foreach (var row in db.ReadRowsAsync(table, CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Some local image that is not a MySQL server (the base image CI builds the engine images from).</summary>
    private static string NonMySqlImage()
    {
        using var process = Process.Start(new ProcessStartInfo("docker", "images --format {{.Repository}}:{{.Tag}}") { RedirectStandardOutput = true })!;
        var images = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        process.WaitForExit();
        var image = images.FirstOrDefault(i => i.Contains("debian", StringComparison.Ordinal) || i.Contains("postgres", StringComparison.Ordinal));
        if (image is null)
        {
            Assert.Ignore("No local non-MySQL image to start; images: " + string.Join(", ", images));
        }

        return image!;
    }
}
