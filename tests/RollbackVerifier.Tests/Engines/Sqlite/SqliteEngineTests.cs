using System.Data.Common;
using System.Diagnostics;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Sqlite;

namespace RollbackVerifier.Tests.Engines.Sqlite;

/// <summary>Conformance of the SQLite engine: inspection of every object kind, normalization, change detection, values, cleanup.</summary>
[TestFixture]
public sealed class SqliteEngineTests
{
    private SqliteEngine _engine = null!;
    private string _runId = null!;

    [OneTimeSetUp]
    public void CreateEngine()
    {
        _runId = EngineSettings.NewRunId();
        _engine = new SqliteEngine(new EngineSettings(null, null, _runId));
    }

    [OneTimeTearDown]
    public async Task DisposeEngine()
    {
        var directory = _engine.RunDirectory;
        await _engine.DisposeAsync();
        Assert.That(directory is null || !Directory.Exists(directory), Is.True, $"run directory {directory} must be removed");
    }

    [Test]
    public async Task InspectorSeesTablesAndColumns()
    {
        await using var db = await CreateAsync(SqliteSchemas.Varied);
        var schema = await db.InspectSchemaAsync(CancellationToken.None);

        Assert.That(schema.Tables.Select(t => t.Name.Name), Is.EqualTo(new[] { "audit_log", "categories", "customers", "orders", "products" }));
        var customers = schema.FindTable(ObjectName.Unqualified("customers"))!;
        Assert.That(customers.Columns.Select(c => c.Name), Is.EqualTo(new[]
        {
            "id", "email", "name", "balance", "rating", "is_active", "born", "created_at", "profile", "external_id", "avatar", "nickname", "email_domain", "balance_cents",
        }));
        Assert.That(customers.Columns.Select(c => c.Position), Is.EqualTo(Enumerable.Range(1, 14)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Column(customers, "id"), Is.EqualTo(("INTEGER", TypeFamily.Integer, (int?)null, (int?)null, (int?)null, true, (string?)null, IdentityKind.AutoIncrement, (string?)null, (string?)null)));
            Assert.That(Column(customers, "email"), Is.EqualTo(("VARCHAR(255)", TypeFamily.Text, (int?)255, (int?)null, (int?)null, false, (string?)null, IdentityKind.None, (string?)null, "NOCASE")));
            Assert.That(Column(customers, "name"), Is.EqualTo(("TEXT", TypeFamily.Text, (int?)null, (int?)null, (int?)null, true, "'anon'", IdentityKind.None, (string?)null, (string?)null)));
            Assert.That(Column(customers, "balance"), Is.EqualTo(("DECIMAL(10,2)", TypeFamily.Decimal, (int?)null, (int?)10, (int?)2, false, "0", IdentityKind.None, (string?)null, (string?)null)));
            Assert.That(customers.FindColumn("rating")!.Family, Is.EqualTo(TypeFamily.Float));
            Assert.That(customers.FindColumn("is_active")!.Family, Is.EqualTo(TypeFamily.Boolean));
            Assert.That(customers.FindColumn("is_active")!.Default, Is.EqualTo("1"));
            Assert.That(customers.FindColumn("born")!.Family, Is.EqualTo(TypeFamily.Date));
            Assert.That(customers.FindColumn("created_at")!.Family, Is.EqualTo(TypeFamily.Timestamp));
            Assert.That(customers.FindColumn("created_at")!.Default, Is.EqualTo("CURRENT_TIMESTAMP"));
            Assert.That(customers.FindColumn("profile")!.Family, Is.EqualTo(TypeFamily.Json));
            Assert.That(customers.FindColumn("external_id")!.Family, Is.EqualTo(TypeFamily.Uuid));
            Assert.That(customers.FindColumn("avatar")!.Family, Is.EqualTo(TypeFamily.Binary));
            Assert.That(customers.FindColumn("nickname")!.DataType, Is.Empty);
            Assert.That(customers.FindColumn("nickname")!.Family, Is.EqualTo(TypeFamily.Other));
            Assert.That(customers.FindColumn("email_domain")!.GeneratedExpression, Is.EqualTo("substr(email, instr(email, '@') + 1) VIRTUAL"));
            Assert.That(customers.FindColumn("email_domain")!.IsGenerated, Is.True);
            Assert.That(customers.FindColumn("balance_cents")!.GeneratedExpression, Is.EqualTo("CAST (balance * 100 AS integer) STORED"));
            Assert.That(customers.Columns.Select(c => c.EngineId.Value), Is.All.Null);
        }

        var orders = schema.FindTable(ObjectName.Unqualified("orders"))!;
        var products = schema.FindTable(ObjectName.Unqualified("products"))!;
        using (Assert.EnterMultipleScope())
        {
            // INTEGER PRIMARY KEY is a rowid alias: an implicit auto-increment, without a sqlite_sequence counter.
            Assert.That(orders.FindColumn("order_id")!.Identity, Is.EqualTo(IdentityKind.AutoIncrement));
            Assert.That(orders.FindColumn("total")!.DataType, Is.EqualTo("NUMERIC(12,3)"));
            Assert.That((orders.FindColumn("total")!.Precision, orders.FindColumn("total")!.Scale), Is.EqualTo(((int?)12, (int?)3)));
            Assert.That(orders.FindColumn("status")!.Default, Is.EqualTo("'new'"));
            Assert.That(orders.FindColumn("customer_id")!.IsNullable, Is.False);
            Assert.That(products.FindColumn("qty")!.Default, Is.EqualTo("0"));
            Assert.That(schema.FindTable(ObjectName.Unqualified("categories"))!.FindColumn("code")!.Identity, Is.EqualTo(IdentityKind.None));
        }
    }

    [Test]
    public async Task InspectorSeesConstraintsAndIndexes()
    {
        await using var db = await CreateAsync(SqliteSchemas.Varied);
        var schema = await db.InspectSchemaAsync(CancellationToken.None);
        var customers = schema.FindTable(ObjectName.Unqualified("customers"))!;
        var orders = schema.FindTable(ObjectName.Unqualified("orders"))!;
        var categories = schema.FindTable(ObjectName.Unqualified("categories"))!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(customers.PrimaryKey, Is.EqualTo(new PrimaryKey(null, ValueList.Of("id"))));
            Assert.That(categories.PrimaryKey, Is.EqualTo(new PrimaryKey("pk_categories", ValueList.Of("code", "locale"))));

            Assert.That(customers.Uniques, Is.EqualTo(ValueList.Of(new UniqueConstraint("uq_customers_email", ValueList.Of("email"), false))));
            Assert.That(orders.Uniques, Is.EqualTo(ValueList.Of(new UniqueConstraint(null, ValueList.Of("note"), false))));

            Assert.That(customers.Checks, Is.EqualTo(ValueList.Of(
                new CheckConstraint(null, "balance >= 0", true),
                new CheckConstraint("ck_customers_name", "length(name) <= 100", true))));
            Assert.That(orders.Checks, Is.EqualTo(ValueList.Of(new CheckConstraint(null, "status IN ('new', 'paid', 'shipped')", true))));

            Assert.That(orders.ForeignKeys, Is.EqualTo(ValueList.Of(
                new ForeignKey(null, ValueList.Of("customer_id"), ObjectName.Unqualified("customers"), ValueList.Of("id"), "CASCADE", "NO ACTION", false, false, true),
                new ForeignKey("fk_orders_category", ValueList.Of("category_code", "category_locale"), ObjectName.Unqualified("categories"), ValueList.Of("code", "locale"), "NO ACTION", "SET NULL", true, true, true))));

            Assert.That(orders.Indexes.Select(i => i.Name), Is.EqualTo(new[] { "ix_orders_customer", "ux_orders_lower_status" }));
            var byCustomer = orders.Indexes[0];
            Assert.That(byCustomer.Keys, Is.EqualTo(ValueList.Of(new IndexKey("customer_id", false, false, null, null), new IndexKey("total", false, true, null, null))));
            Assert.That((byCustomer.IsUnique, byCustomer.Predicate, byCustomer.Method, byCustomer.IsValid), Is.EqualTo((false, (string?)null, "btree", true)));
            Assert.That(byCustomer.Definition.Value, Does.StartWith("CREATE INDEX ix_orders_customer"));
            var partial = orders.Indexes[1];
            Assert.That(partial.Keys, Is.EqualTo(ValueList.Of(new IndexKey("lower(status)", true, false, null, null), new IndexKey("order_id", false, false, null, null))));
            Assert.That((partial.IsUnique, partial.Predicate), Is.EqualTo((true, "status <> 'new'")));
            Assert.That(customers.Indexes.Single().Keys.Single(), Is.EqualTo(new IndexKey("name", false, false, null, "NOCASE")));
        }
    }

    [Test]
    public async Task InspectorSeesSequencesViewsAndTriggers()
    {
        await using var db = await CreateAsync(SqliteSchemas.Varied);
        var schema = await db.InspectSchemaAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(schema.Sequences.Select(s => (s.Name.Name, s.Kind, s.OwnedBy, s.NextValue.Value)), Is.EqualTo(new[]
            {
                ("audit_log", SequenceKind.SqliteSequence, (string?)"audit_log.id", (long?)1),
                ("customers", SequenceKind.SqliteSequence, (string?)"customers.id", (long?)2),
            }));
            Assert.That(schema.Views, Is.EqualTo(ValueList.Of(new View(
                ObjectName.Unqualified("v_paid_orders"),
                "AS SELECT o.order_id, c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.status = 'paid'",
                false))));
            Assert.That(schema.Triggers, Is.EqualTo(ValueList.Of(new Trigger(
                ObjectName.Unqualified("orders"),
                "trg_orders_paid",
                "AFTER",
                "UPDATE",
                "AFTER UPDATE OF status ON orders FOR EACH ROW WHEN new.status = 'paid' BEGIN UPDATE customers SET rating = coalesce(rating, 0) + 1 WHERE id = new.customer_id; END",
                true))));
            Assert.That(schema.Enums, Is.Empty);
            Assert.That(schema.Routines, Is.Empty);
            Assert.That(db.ServerVersion, Does.Match(@"^SQLite 3\.\d+\.\d+"));
        }
    }

    [Test]
    public async Task InspectorAgreesWithSqliteSchema()
    {
        await using var db = await CreateAsync(SqliteSchemas.Varied + "CREATE TABLE t (a INT); CREATE INDEX ix_t ON t (a);");
        var schema = await db.InspectSchemaAsync(CancellationToken.None);
        var catalog = await QueryAsync(db, "SELECT type, name FROM sqlite_schema");

        var expected = catalog.Where(r => !r[1]!.StartsWith("sqlite_", StringComparison.Ordinal)).Select(r => r[0] + ":" + r[1]).Order(StringComparer.Ordinal);
        var actual = schema.Tables.Select(t => "table:" + t.Name.Name)
            .Concat(schema.Tables.SelectMany(t => t.Indexes).Select(i => "index:" + i.Name))
            .Concat(schema.Views.Select(v => "view:" + v.Name.Name))
            .Concat(schema.Triggers.Select(t => "trigger:" + t.Name))
            .Order(StringComparer.Ordinal);
        Assert.That(actual, Is.EqualTo(expected));
        Assert.That(catalog.Any(r => r[1] == "sqlite_sequence"), Is.True, "the schema has internal objects, which must stay invisible");
    }

    [Test]
    public async Task UntouchedDatabaseSnapshotsEqual()
    {
        await using var db = await CreateAsync(SqliteSchemas.Varied);
        var first = await db.InspectSchemaAsync(CancellationToken.None);
        var second = await db.InspectSchemaAsync(CancellationToken.None);
        Assert.That(first.Tables, Is.Not.Empty, "an empty snapshot would make the comparison vacuous");
        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public async Task SameSchemaInTwoDatabasesIsEqual()
    {
        await using var one = await CreateAsync(SqliteSchemas.Varied);
        await using var two = await CreateAsync(SqliteSchemas.Varied);
        Assert.That(one.DatabaseName, Is.Not.EqualTo(two.DatabaseName));
        var expected = await one.InspectSchemaAsync(CancellationToken.None);
        Assert.That(expected.Tables, Is.Not.Empty);
        Assert.That(await two.InspectSchemaAsync(CancellationToken.None), Is.EqualTo(expected));
    }

    [Test]
    public async Task SameSchemaSpelledDifferentlyIsEqual()
    {
        await using var one = await CreateAsync(SqliteSchemas.Varied);
        await using var two = await CreateAsync(SqliteSchemas.VariedRespelled);
        var expected = await one.InspectSchemaAsync(CancellationToken.None);
        var actual = await two.InspectSchemaAsync(CancellationToken.None);
        Assert.That(actual.Tables, Is.EqualTo(expected.Tables));
        Assert.That(actual, Is.EqualTo(expected));
    }

    /// <summary>Changes that restore the schema (rename round trips, a rebuild with the same definition) must compare equal.</summary>
    [TestCase("ALTER TABLE orders RENAME TO orders_old; ALTER TABLE orders_old RENAME TO orders;", TestName = "Rename table round trip")]
    [TestCase("ALTER TABLE orders RENAME COLUMN status TO state; ALTER TABLE orders RENAME COLUMN state TO status;", TestName = "Rename column round trip")]
    [TestCase("ALTER TABLE customers RENAME COLUMN email TO mail; ALTER TABLE customers RENAME COLUMN mail TO email;", TestName = "Rename referenced column round trip")]
    [TestCase("REBUILD", TestName = "Twelve-step rebuild with the same definition")]
    [TestCase("DROP INDEX ix_orders_customer; CREATE INDEX ix_orders_customer ON \"orders\" ( customer_id , total desc );", TestName = "Index recreated")]
    [TestCase("DROP VIEW v_paid_orders; CREATE VIEW v_paid_orders AS SELECT o.order_id, c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.status = 'paid';", TestName = "View recreated")]
    [TestCase("INSERT INTO customers (email) VALUES ('b@example.com'); INSERT INTO audit_log (message) VALUES ('x');", TestName = "Sequence advanced")]
    public async Task RestoringChangesCompareEqual(string change)
    {
        await using var db = await CreateAsync(SqliteSchemas.Varied);
        var before = await db.InspectSchemaAsync(CancellationToken.None);
        await ExecuteAsync(db, change == "REBUILD" ? SqliteSchemas.RebuildProducts(SqliteSchemas.ProductsColumns) : change);
        var after = await db.InspectSchemaAsync(CancellationToken.None);
        Assert.That(after, Is.EqualTo(before));
    }

    [TestCase("ALTER TABLE products ADD COLUMN color TEXT;", TestName = "Column added")]
    [TestCase("ALTER TABLE products DROP COLUMN qty;", TestName = "Column dropped")]
    [TestCase("ALTER TABLE products RENAME COLUMN sku TO code;", TestName = "Column renamed")]
    [TestCase("ALTER TABLE orders RENAME TO purchases;", TestName = "Table renamed")]
    [TestCase("DROP TABLE audit_log;", TestName = "Table dropped")]
    [TestCase("REBUILD:id INTEGER PRIMARY KEY, sku TEXT NOT NULL, price REAL CHECK (price > 0), qty INTEGER DEFAULT 0", TestName = "Column type changed by rebuild")]
    [TestCase("REBUILD:id INTEGER PRIMARY KEY, sku TEXT NOT NULL, price DECIMAL(12, 2) CHECK (price > 0), qty INTEGER DEFAULT 0", TestName = "Column precision changed by rebuild")]
    [TestCase("REBUILD:id INTEGER PRIMARY KEY, sku TEXT, price DECIMAL(10, 2) CHECK (price > 0), qty INTEGER DEFAULT 0", TestName = "Nullability changed by rebuild")]
    [TestCase("REBUILD:id INTEGER PRIMARY KEY, sku TEXT NOT NULL, price DECIMAL(10, 2) CHECK (price > 0), qty INTEGER DEFAULT 1", TestName = "Default changed by rebuild")]
    [TestCase("REBUILD:id INTEGER PRIMARY KEY, sku TEXT NOT NULL, price DECIMAL(10, 2) CHECK (price >= 0), qty INTEGER DEFAULT 0", TestName = "Check changed by rebuild")]
    [TestCase("REBUILD:id INTEGER PRIMARY KEY, sku TEXT NOT NULL, price DECIMAL(10, 2), qty INTEGER DEFAULT 0", TestName = "Check dropped by rebuild")]
    [TestCase("REBUILD:id INTEGER PRIMARY KEY, sku TEXT NOT NULL, price DECIMAL(10, 2) CONSTRAINT ck_price CHECK (price > 0), qty INTEGER DEFAULT 0", TestName = "Check named by rebuild")]
    [TestCase("REBUILD:id INTEGER PRIMARY KEY, sku TEXT NOT NULL COLLATE NOCASE, price DECIMAL(10, 2) CHECK (price > 0), qty INTEGER DEFAULT 0", TestName = "Collation changed by rebuild")]
    [TestCase("REBUILD:id INTEGER PRIMARY KEY, sku TEXT NOT NULL UNIQUE, price DECIMAL(10, 2) CHECK (price > 0), qty INTEGER DEFAULT 0", TestName = "Unique added by rebuild")]
    [TestCase("REBUILD:id INTEGER PRIMARY KEY AUTOINCREMENT, sku TEXT NOT NULL, price DECIMAL(10, 2) CHECK (price > 0), qty INTEGER DEFAULT 0", TestName = "Autoincrement added by rebuild")]
    [TestCase("REBUILD:id INT PRIMARY KEY, sku TEXT NOT NULL, price DECIMAL(10, 2) CHECK (price > 0), qty INTEGER DEFAULT 0", TestName = "Rowid alias lost by rebuild")]
    [TestCase("REBUILD:id INTEGER, sku TEXT NOT NULL, price DECIMAL(10, 2) CHECK (price > 0), qty INTEGER DEFAULT 0, PRIMARY KEY (id, sku)", TestName = "Primary key changed by rebuild")]
    [TestCase("REBUILD:id INTEGER PRIMARY KEY, sku TEXT NOT NULL, price DECIMAL(10, 2) CHECK (price > 0), qty INTEGER DEFAULT 0, total AS (price * qty)", TestName = "Generated column added by rebuild")]
    [TestCase("REBUILD:id INTEGER PRIMARY KEY, sku TEXT NOT NULL REFERENCES customers (id), price DECIMAL(10, 2) CHECK (price > 0), qty INTEGER DEFAULT 0", TestName = "Foreign key added by rebuild")]
    [TestCase("DROP INDEX ix_orders_customer;", TestName = "Index dropped")]
    [TestCase("DROP INDEX ix_orders_customer; CREATE INDEX ix_orders_customer ON orders (customer_id, total);", TestName = "Index order changed")]
    [TestCase("DROP INDEX ux_orders_lower_status; CREATE UNIQUE INDEX ux_orders_lower_status ON orders (lower(status), order_id) WHERE status <> 'paid';", TestName = "Index predicate changed")]
    [TestCase("DROP INDEX ux_orders_lower_status; CREATE UNIQUE INDEX ux_orders_lower_status ON orders (upper(status), order_id) WHERE status <> 'new';", TestName = "Index expression changed")]
    [TestCase("DROP INDEX ix_orders_customer; CREATE UNIQUE INDEX ix_orders_customer ON orders (customer_id, total DESC);", TestName = "Index made unique")]
    [TestCase("DROP INDEX ix_customers_name_nocase; CREATE INDEX ix_customers_name_nocase ON customers (name);", TestName = "Index collation changed")]
    [TestCase("DROP VIEW v_paid_orders;", TestName = "View dropped")]
    [TestCase("DROP VIEW v_paid_orders; CREATE VIEW v_paid_orders AS SELECT o.order_id FROM orders o WHERE o.status = 'paid';", TestName = "View changed")]
    [TestCase("DROP TRIGGER trg_orders_paid;", TestName = "Trigger dropped")]
    [TestCase("DROP TRIGGER trg_orders_paid; CREATE TRIGGER trg_orders_paid BEFORE UPDATE OF status ON orders BEGIN SELECT 1; END;", TestName = "Trigger changed")]
    [TestCase("PRAGMA foreign_keys = OFF; DROP TABLE customers; CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT); PRAGMA foreign_keys = ON;", TestName = "Autoincrement table replaced")]
    [TestCase("CREATE TABLE extra (x);", TestName = "Table added")]
    public async Task ChangesAreDetected(string change)
    {
        await using var db = await CreateAsync(SqliteSchemas.Varied);
        var before = await db.InspectSchemaAsync(CancellationToken.None);
        await ExecuteAsync(db, change.StartsWith("REBUILD:", StringComparison.Ordinal) ? SqliteSchemas.RebuildProducts(change["REBUILD:".Length..]) : change);
        var after = await db.InspectSchemaAsync(CancellationToken.None);
        Assert.That(after, Is.Not.EqualTo(before));
    }

    [Test]
    public async Task ForeignKeyActionChangeIsDetected()
    {
        const string Parent = "CREATE TABLE p (id INTEGER PRIMARY KEY);";
        await using var one = await CreateAsync(Parent + "CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p ON DELETE CASCADE);");
        await using var two = await CreateAsync(Parent + "CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p ON DELETE SET NULL);");
        await using var three = await CreateAsync(Parent + "CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED);");
        var first = (await one.InspectSchemaAsync(CancellationToken.None)).FindTable(ObjectName.Unqualified("c"))!.ForeignKeys.Single();
        var second = (await two.InspectSchemaAsync(CancellationToken.None)).FindTable(ObjectName.Unqualified("c"))!.ForeignKeys.Single();
        var third = (await three.InspectSchemaAsync(CancellationToken.None)).FindTable(ObjectName.Unqualified("c"))!.ForeignKeys.Single();
        using (Assert.EnterMultipleScope())
        {
            // REFERENCES p without a column list references p's primary key.
            Assert.That(first.ReferencedColumns, Is.EqualTo(ValueList.Of("id")));
            Assert.That(first.OnDelete, Is.EqualTo("CASCADE"));
            Assert.That(second.OnDelete, Is.EqualTo("SET NULL"));
            Assert.That(second, Is.Not.EqualTo(first));
            Assert.That((third.IsDeferrable, third.IsInitiallyDeferred), Is.EqualTo((true, true)));
            Assert.That(third, Is.Not.EqualTo(first));
        }
    }

    [Test]
    public async Task GeneratedColumnKindChangeIsDetected()
    {
        await using var one = await CreateAsync("CREATE TABLE t (a INT, b INT AS (a * 2) VIRTUAL);");
        await using var two = await CreateAsync("CREATE TABLE t (a INT, b INT AS (a * 2) STORED);");
        var virtualColumn = (await one.InspectSchemaAsync(CancellationToken.None)).Tables.Single().FindColumn("b")!;
        var storedColumn = (await two.InspectSchemaAsync(CancellationToken.None)).Tables.Single().FindColumn("b")!;
        Assert.That(virtualColumn.GeneratedExpression, Is.EqualTo("a * 2 VIRTUAL"));
        Assert.That(storedColumn.GeneratedExpression, Is.EqualTo("a * 2 STORED"));
    }

    [Test]
    public async Task TriggerTimingsAndEvents()
    {
        await using var db = await CreateAsync("""
            CREATE TABLE x (a INT);
            CREATE VIEW v AS SELECT a FROM x;
            CREATE TRIGGER t1 INSTEAD OF INSERT ON v BEGIN INSERT INTO x VALUES (new.a); END;
            CREATE TRIGGER t2 DELETE ON x BEGIN SELECT 1; END;
            CREATE TRIGGER IF NOT EXISTS main.t3 AFTER INSERT ON x BEGIN SELECT 1; END;
            """);
        var triggers = (await db.InspectSchemaAsync(CancellationToken.None)).Triggers;
        Assert.That(triggers.Select(t => (t.Table.Name, t.Name, t.Timing, t.Events)), Is.EqualTo(new[]
        {
            ("v", "t1", "INSTEAD OF", "INSERT"),
            ("x", "t2", "BEFORE", "DELETE"),
            ("x", "t3", "AFTER", "INSERT"),
        }));
        Assert.That(triggers[2].Definition, Is.EqualTo("AFTER INSERT ON x BEGIN SELECT 1; END"));
    }

    [Test]
    public async Task TableLevelPrimaryKeyAutoincrementAndNamedColumnConstraints()
    {
        await using var db = await CreateAsync("""
            CREATE TABLE t (
                id INTEGER CONSTRAINT pk_t PRIMARY KEY AUTOINCREMENT,
                sku TEXT CONSTRAINT uq_sku UNIQUE CONSTRAINT ck_sku CHECK (length(sku) > 2) COLLATE RTRIM,
                parent INTEGER CONSTRAINT fk_parent REFERENCES t (id) ON DELETE SET DEFAULT DEFERRABLE);
            CREATE TABLE u (id INTEGER, PRIMARY KEY (id AUTOINCREMENT));
            """);
        var schema = await db.InspectSchemaAsync(CancellationToken.None);
        var t = schema.FindTable(ObjectName.Unqualified("t"))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(t.PrimaryKey, Is.EqualTo(new PrimaryKey("pk_t", ValueList.Of("id"))));
            Assert.That(t.Uniques.Single().Name, Is.EqualTo("uq_sku"));
            Assert.That(t.Checks.Single(), Is.EqualTo(new CheckConstraint("ck_sku", "length(sku) > 2", true)));
            Assert.That(t.FindColumn("sku")!.Collation, Is.EqualTo("RTRIM"));
            Assert.That(t.ForeignKeys.Single(), Is.EqualTo(new ForeignKey("fk_parent", ValueList.Of("parent"), ObjectName.Unqualified("t"), ValueList.Of("id"), "SET DEFAULT", "NO ACTION", true, false, true)));
            Assert.That(schema.FindTable(ObjectName.Unqualified("u"))!.FindColumn("id")!.Identity, Is.EqualTo(IdentityKind.AutoIncrement));
            Assert.That(schema.Sequences.Select(s => s.OwnedBy), Is.EqualTo(new[] { "t.id", "u.id" }));
        }
    }

    [Test]
    public async Task VirtualTablesAreTablesAndTheirShadowTablesAreHidden()
    {
        await using var db = await CreateAsync("""
            CREATE VIRTUAL TABLE docs USING fts5(title, body);
            INSERT INTO docs VALUES ('a', 'b');
            """);
        var schema = await db.InspectSchemaAsync(CancellationToken.None);
        var docs = schema.Tables.Single();
        Assert.That(docs.Name.Name, Is.EqualTo("docs"));
        Assert.That(docs.Columns.Select(c => c.Name), Is.EqualTo(new[] { "title", "body" }));
        Assert.That(await ReadAsync(db, docs), Is.EqualTo(new[] { new[] { "a", "b" } }));
    }

    [Test]
    public async Task CanonicalValues()
    {
        await using var db = await CreateAsync("""
            CREATE TABLE v (
                id INTEGER PRIMARY KEY, amount DECIMAL(10, 2), amount_text TEXT, qty INTEGER, ratio REAL, flag BOOLEAN, data BLOB,
                uid UUID, day DATE, at DATETIME, at_tz TIMESTAMP WITH TIME ZONE, doc JSON, anything, "select" TEXT, "with space" TEXT);
            INSERT INTO v VALUES (1, 12.30, '12.30', 5, 0.1, 1, x'0102ff', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '2024-03-10',
                '2024-03-10 08:30:00.500', '2024-03-10 10:30:00+02:00', '{"b": 1, "a": [1, 2.50, "x"]}', 7.0, 'kw', 'sp');
            INSERT INTO v (id, amount, flag, anything) VALUES (2, 'abc', 0, NULL);
            """);
        await using (var connection = await db.OpenConnectionAsync(CancellationToken.None))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO v (id, amount, uid, at) VALUES (3, @amount, @uid, @at)";
            AddParameter(command, "@amount", 7.50m);
            AddParameter(command, "@uid", new Guid("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
            AddParameter(command, "@at", new DateTime(2024, 3, 10, 8, 30, 0));
            await command.ExecuteNonQueryAsync();
        }

        var table = (await db.InspectSchemaAsync(CancellationToken.None)).Tables.Single();
        var rows = await ReadAsync(db, table);
        var one = rows.Single(r => r[0] == "1");
        Assert.That(one, Is.EqualTo(new[]
        {
            "1", "12.3", "12.30", "5", "0.1", "true", "\\x0102ff", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "2024-03-10",
            "2024-03-10T08:30:00.5", "2024-03-10T08:30:00Z", "{\"a\":[1,2.50,\"x\"],\"b\":1}", "7", "kw", "sp",
        }));
        var two = rows.Single(r => r[0] == "2");
        Assert.That(new[] { two[1], two[5], two[12], two[2] }, Is.EqualTo(new[] { "abc", "false", null, null }));
        var three = rows.Single(r => r[0] == "3");
        Assert.That(new[] { three[1], three[7], three[9] }, Is.EqualTo(new[] { "7.5", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "2024-03-10T08:30:00" }));
    }

    [Test]
    public async Task CanonicalValuesSurviveTypeChanges()
    {
        await using var db = await CreateAsync("""
            CREATE TABLE m (id INTEGER PRIMARY KEY, amount DECIMAL(10, 2), qty INTEGER, note TEXT);
            INSERT INTO m VALUES (1, 12.30, 5, 'n'), (2, 12.345, 7, NULL);
            """);
        var before = await ReadAsync(db, (await db.InspectSchemaAsync(CancellationToken.None)).Tables.Single());

        // NUMERIC(12, 4) and REAL: 12.30 stays 12.3, the integer 5 becomes the real 5.0 and must still read "5".
        await ExecuteAsync(db, """
            CREATE TABLE m_new (id INTEGER PRIMARY KEY, amount NUMERIC(12, 4), qty REAL, note VARCHAR(10));
            INSERT INTO m_new SELECT * FROM m;
            DROP TABLE m;
            ALTER TABLE m_new RENAME TO m;
            """);
        var table = (await db.InspectSchemaAsync(CancellationToken.None)).Tables.Single();
        Assert.That(await QueryAsync(db, "SELECT typeof(qty) FROM m WHERE id = 1"), Has.Exactly(1).EqualTo(new[] { "real" }));
        var after = await ReadAsync(db, table);
        Assert.That(after, Is.EqualTo(before));
        Assert.That(before.Single(r => r[0] == "1"), Is.EqualTo(new[] { "1", "12.3", "5", "n" }));
        Assert.That(before.Single(r => r[0] == "2")[1], Is.EqualTo("12.345"), "1.2345 must not collapse to its declared scale");
    }

    [Test]
    public async Task ReadRowsStreamsInTableColumnOrder()
    {
        await using var db = await CreateAsync("CREATE TABLE s (a INT, b TEXT); INSERT INTO s VALUES (1, 'x'), (2, 'y');");
        var table = (await db.InspectSchemaAsync(CancellationToken.None)).Tables.Single();
        var reversed = table with { Columns = table.Columns.Reverse().ToValueList() };
        var rows = await ReadAsync(db, reversed);
        Assert.That(rows.OrderBy(r => r[1]), Is.EqualTo(new[] { new[] { "x", "1" }, new[] { "y", "2" } }));
    }

    [Test]
    public async Task OddNamesAreInspectedAndRead()
    {
        await using var db = await CreateAsync(""""
            CREATE TABLE "odd ""name""" ("col one" INT PRIMARY KEY, [x y] TEXT CONSTRAINT "ck one" CHECK ("x y" <> ''), "Order" INT);
            CREATE INDEX "ix odd" ON "odd ""name""" ("x y" DESC, "Order");
            INSERT INTO "odd ""name""" VALUES (1, 'v', 2);
            """");
        var table = (await db.InspectSchemaAsync(CancellationToken.None)).Tables.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(table.Name.Name, Is.EqualTo("odd \"name\""));
            Assert.That(table.Columns.Select(c => c.Name), Is.EqualTo(new[] { "col one", "x y", "Order" }));
            Assert.That(table.Checks.Single(), Is.EqualTo(new CheckConstraint("ck one", "\"x y\" <> ''", true)));
            Assert.That(table.Indexes.Single().Keys.Select(k => (k.Expression, k.Descending)), Is.EqualTo(new[] { ("x y", true), ("Order", false) }));
            Assert.That(await ReadAsync(db, table), Is.EqualTo(new[] { new[] { "1", "v", "2" } }));
        }
    }

    [Test]
    public async Task DescribesErrors()
    {
        await using var db = await CreateAsync(SqliteSchemas.Varied);
        var check = await FailAsync(db, "INSERT INTO products (sku, price) VALUES ('a', -1)");
        var foreignKey = await FailAsync(db, "INSERT INTO orders (customer_id) VALUES (999)");
        var unique = await FailAsync(db, "INSERT INTO customers (email) VALUES ('a@example.com')");
        var syntax = await FailAsync(db, "CREATE TABLEX nope (a)");
        var error = db.Dialect.DescribeError(check);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Code, Is.EqualTo("SQLITE_CONSTRAINT_CHECK(275)"));
            Assert.That(error.Message, Does.StartWith("CHECK constraint failed"));
            Assert.That(db.Dialect.DescribeError(foreignKey).Code, Is.EqualTo("SQLITE_CONSTRAINT_FOREIGNKEY(787)"), "connections enforce foreign keys");
            Assert.That(db.Dialect.DescribeError(unique).Code, Is.EqualTo("SQLITE_CONSTRAINT_UNIQUE(2067)"));
            Assert.That(db.Dialect.DescribeError(syntax).Code, Is.EqualTo("SQLITE_ERROR(1)"));
            Assert.That(db.Dialect.DescribeError(syntax).Message, Does.Contain("syntax error"));
        }
    }

    [Test]
    public async Task DialectSplitterRunsTheVariedSchemaStatementByStatement()
    {
        await using var whole = await CreateAsync(SqliteSchemas.Varied);
        await using var split = await CreateAsync(string.Empty);
        var statements = split.Dialect.Splitter.Split(SqliteSchemas.Varied, "varied.sql");
        Assert.That(statements, Has.Count.EqualTo(11), "5 tables, 3 indexes, a view, a trigger (not split inside its body) and an insert");
        await using (var connection = await split.OpenConnectionAsync(CancellationToken.None))
        {
            foreach (var statement in statements)
            {
                await ExecuteOnAsync(connection, statement.Text);
            }
        }

        Assert.That(await split.InspectSchemaAsync(CancellationToken.None), Is.EqualTo(await whole.InspectSchemaAsync(CancellationToken.None)));
    }

    [Test]
    public void DialectQuotesIdentifiers()
    {
        var dialect = new SqliteDialect();
        Assert.That(dialect.QuoteIdentifier("a\"b"), Is.EqualTo("\"a\"\"b\""));
        Assert.That(((IDialect)dialect).QuoteName(ObjectName.Unqualified("t")), Is.EqualTo("\"t\""));
        Assert.That(dialect.Kind, Is.EqualTo(EngineKind.Sqlite));
        Assert.That(dialect.Splitter, Is.Not.Null);
    }

    [Test]
    public async Task InstanceDisposeDeletesItsFiles()
    {
        var db = (SqliteInstance)await _engine.CreateDatabaseAsync(new DatabaseRequest("dispose files", IsolationMode.Database), CancellationToken.None);
        Assert.That(Path.GetFileName(db.FilePath), Does.StartWith("rv_dispose_files_" + _runId + "_"));
        Assert.That(Path.GetDirectoryName(db.FilePath), Is.EqualTo(_engine.RunDirectory));

        // WAL mode leaves -wal and -shm files while a connection is open.
        var connection = await db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            await ExecuteOnAsync(connection, "PRAGMA journal_mode = WAL; CREATE TABLE t (a); INSERT INTO t VALUES (1);");
            Assert.That(File.Exists(db.FilePath + "-wal"), Is.True);
        }

        await db.DisposeAsync();
        var leftovers = Directory.GetFiles(_engine.RunDirectory!, Path.GetFileName(db.FilePath) + "*");
        Assert.That(leftovers, Is.Empty);
        Assert.ThrowsAsync<ObjectDisposedException>(() => db.OpenConnectionAsync(CancellationToken.None));
        await db.DisposeAsync(); // idempotent
    }

    [Test]
    public async Task EngineDisposeRemovesItsDirectoryAndOpenInstances()
    {
        var runId = EngineSettings.NewRunId();
        var engine = new SqliteEngine(new EngineSettings(null, null, runId));
        Assert.That(engine.RunDirectory, Is.Null, "nothing is created before the first database");
        var db = (SqliteInstance)await engine.CreateDatabaseAsync(new DatabaseRequest("left open", IsolationMode.Container), CancellationToken.None);
        var directory = engine.RunDirectory!;
        Assert.That(directory, Is.EqualTo(Path.Combine(Path.GetTempPath(), "rollbackverifier-" + runId)));
        Assert.That(File.Exists(db.FilePath), Is.True);

        await engine.DisposeAsync();
        Assert.That(Directory.Exists(directory), Is.False);
        Assert.ThrowsAsync<ObjectDisposedException>(() => engine.CreateDatabaseAsync(new DatabaseRequest("late", IsolationMode.Database), CancellationToken.None));
        await engine.DisposeAsync(); // idempotent
    }

    [Test]
    public async Task EngineNeverDeletesADirectoryItDidNotCreate()
    {
        var runId = EngineSettings.NewRunId();
        var foreign = Path.Combine(Path.GetTempPath(), "rollbackverifier-" + runId);
        Directory.CreateDirectory(foreign);
        var keep = Path.Combine(foreign, "someone-elses.txt");
        await File.WriteAllTextAsync(keep, "keep me");
        try
        {
            var engine = new SqliteEngine(new EngineSettings(null, null, runId));
            string ours;
            await using (engine)
            {
                await using var db = await engine.CreateDatabaseAsync(new DatabaseRequest("sibling", IsolationMode.Database), CancellationToken.None);
                ours = engine.RunDirectory!;
                Assert.That(ours, Is.Not.EqualTo(foreign));
            }

            Assert.That(File.Exists(keep), Is.True);
            Assert.That(Directory.Exists(ours), Is.False);
        }
        finally
        {
            Directory.Delete(foreign, recursive: true);
        }
    }

    [Test]
    public async Task CancelledCreateLeavesNothing()
    {
        var runId = EngineSettings.NewRunId();
        var engine = new SqliteEngine(new EngineSettings(null, null, runId));
        await using (engine)
        {
            await (await engine.CreateDatabaseAsync(new DatabaseRequest("first", IsolationMode.Database), CancellationToken.None)).DisposeAsync();
            using var cancelled = new CancellationTokenSource();
            await cancelled.CancelAsync();
            Assert.CatchAsync<OperationCanceledException>(() => engine.CreateDatabaseAsync(new DatabaseRequest("cancelled", IsolationMode.Database), cancelled.Token));
            Assert.That(Directory.GetFiles(engine.RunDirectory!), Is.Empty);
        }
    }

    [Test]
    public void SettingsForServersAreRejected()
    {
        Assert.Throws<ArgumentException>(() => _ = new SqliteEngine(new EngineSettings("sqlite:3", null, "x")));
        var ex = Assert.Throws<ArgumentException>(() => _ = new SqliteEngine(new EngineSettings(null, "Data Source=/tmp/x.db", "x")));
        Assert.That(ex!.Message, Does.Contain("in-process"));
    }

    [Test]
    public async Task Timings()
    {
        var clock = Stopwatch.StartNew();
        await using var db = await _engine.CreateDatabaseAsync(new DatabaseRequest("timing", IsolationMode.Database), CancellationToken.None);
        var create = clock.Elapsed;
        await ExecuteAsync(db, SqliteSchemas.Varied);
        await db.InspectSchemaAsync(CancellationToken.None);
        clock.Restart();
        const int Snapshots = 20;
        for (var i = 0; i < Snapshots; i++)
        {
            await db.InspectSchemaAsync(CancellationToken.None);
        }

        var snapshot = clock.Elapsed / Snapshots;
        await TestContext.Out.WriteLineAsync($"SQLite: CreateDatabase {create.TotalMilliseconds:0.0} ms, snapshot of the varied schema {snapshot.TotalMilliseconds:0.00} ms");
        Assert.That(snapshot, Is.LessThan(TimeSpan.FromSeconds(1)));
    }

    private static (string, TypeFamily, int?, int?, int?, bool, string?, IdentityKind, string?, string?) Column(Table table, string name)
    {
        var c = table.FindColumn(name) ?? throw new AssertionException($"column {name} missing");
        return (c.DataType, c.Family, c.Length, c.Precision, c.Scale, c.IsNullable, c.Default, c.Identity, c.GeneratedExpression, c.Collation);
    }

    private async Task<IDatabaseInstance> CreateAsync(string ddl)
    {
        var db = await _engine.CreateDatabaseAsync(new DatabaseRequest(TestContext.CurrentContext.Test.MethodName ?? "test", IsolationMode.Database), CancellationToken.None);
        try
        {
            await ExecuteAsync(db, ddl);
            return db;
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    private static async Task ExecuteAsync(IDatabaseInstance db, string sql)
    {
        await using var connection = await db.OpenConnectionAsync(CancellationToken.None);
        await ExecuteOnAsync(connection, sql);
    }

    private static async Task ExecuteOnAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static async Task<DbException> FailAsync(IDatabaseInstance db, string sql)
    {
        try
        {
            await ExecuteAsync(db, sql);
        }
        catch (DbException ex)
        {
            return ex;
        }

        throw new AssertionException($"expected {sql} to fail");
    }

    private static async Task<List<string?[]>> QueryAsync(IDatabaseInstance db, string sql)
    {
        await using var connection = await db.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string?[]>();
        while (await reader.ReadAsync())
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
            }

            rows.Add(row);
        }

        return rows;
    }

    private static async Task<List<string?[]>> ReadAsync(IDatabaseInstance db, Table table)
    {
        var rows = new List<string?[]>();
        await foreach (var row in db.ReadRowsAsync(table, CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }
}
