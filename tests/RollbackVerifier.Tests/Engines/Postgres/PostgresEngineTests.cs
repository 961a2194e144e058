using System.Data.Common;
using System.Diagnostics;
using System.Text;
using Npgsql;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.PostgreSql;
using RollbackVerifier.Tests.Support;

namespace RollbackVerifier.Tests.Engines.Postgres;

/// <summary>
/// Conformance of the PostgreSQL engine against a real server (a container from RV_POSTGRES_IMAGE, default
/// postgres:17): inspection of every object kind, normalization, change detection, canonical values, sequences,
/// cleanup, existing-server safety, and a cross-check against pg_dump.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PostgresEngineTests
{
    private PostgresEngine _engine = null!;
    private string _runId = null!;
    private string? _image;
    private TimeSpan _firstDatabase;
    private TimeSpan _variedSchema;
    private PostgresInstance? _varied;

    [OneTimeSetUp]
    public async Task CreateEngine()
    {
        DockerRequirement.Ensure();
        _runId = "t" + EngineSettings.NewRunId();
        _image = Environment.GetEnvironmentVariable("RV_POSTGRES_IMAGE") is { Length: > 0 } image ? image : null;
        _engine = new PostgresEngine(new EngineSettings(_image, null, _runId));
        var clock = Stopwatch.StartNew();
        _varied = await CreateAsync(null, "varied");
        _firstDatabase = clock.Elapsed;
        clock.Restart();
        await ExecuteAsync(_varied, PostgresSchemas.Varied);
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

    private PostgresInstance Varied => _varied ?? throw new InvalidOperationException("The varied database was not created.");

    [Test]
    public async Task InspectorSeesTablesAndColumns()
    {
        var schema = await Varied.InspectSchemaAsync(CancellationToken.None);

        Assert.That(schema.Tables.Select(t => t.Name.ToString()), Is.EqualTo(new[]
        {
            "app.order_lines", "app.orders", "public.bookings", "public.categories", "public.customers", "public.events", "public.events_2024",
        }));
        var customers = schema.FindTable(new ObjectName("public", "customers"))!;
        Assert.That(customers.Columns, Has.Count.EqualTo(27));
        Assert.That(customers.Columns.Select(c => c.Position), Is.EqualTo(Enumerable.Range(1, 27)));
        Assert.That(customers.EngineId.Value, Is.Not.Null.And.Positive);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Describe(customers, "id"), Is.EqualTo(("integer", TypeFamily.Integer, (int?)null, (int?)null, (int?)null, false, "nextval('customers_id_seq'::regclass)", IdentityKind.AutoIncrement, (string?)null, (string?)null)));
            Assert.That(Describe(customers, "email"), Is.EqualTo(("character varying(255)", TypeFamily.Text, (int?)255, (int?)null, (int?)null, false, (string?)null, IdentityKind.None, (string?)null, "\"C\"")));
            Assert.That(Describe(customers, "name"), Is.EqualTo(("text", TypeFamily.Text, (int?)null, (int?)null, (int?)null, true, "'anon'::text", IdentityKind.None, (string?)null, (string?)null)));
            Assert.That(Describe(customers, "balance"), Is.EqualTo(("numeric(10,2)", TypeFamily.Decimal, (int?)null, (int?)10, (int?)2, false, "0", IdentityKind.None, (string?)null, (string?)null)));
            Assert.That(Describe(customers, "email_lower"), Is.EqualTo(("text", TypeFamily.Text, (int?)null, (int?)null, (int?)null, true, (string?)null, IdentityKind.None, "lower((email)::text)", (string?)null)));
            Assert.That(customers.FindColumn("email_lower")!.IsGenerated, Is.True);

            Assert.That(Family(customers), Is.EqualTo(new Dictionary<string, TypeFamily>
            {
                ["id"] = TypeFamily.Integer, ["email"] = TypeFamily.Text, ["name"] = TypeFamily.Text, ["balance"] = TypeFamily.Decimal,
                ["rating"] = TypeFamily.Float, ["score"] = TypeFamily.Float, ["is_active"] = TypeFamily.Boolean, ["born"] = TypeFamily.Date,
                ["created_at"] = TypeFamily.Timestamp, ["updated_at"] = TypeFamily.TimestampTz, ["wake_at"] = TypeFamily.Time,
                ["wake_at_tz"] = TypeFamily.Time, ["nap"] = TypeFamily.Interval, ["profile"] = TypeFamily.Json, ["settings"] = TypeFamily.Json,
                ["external_id"] = TypeFamily.Uuid, ["avatar"] = TypeFamily.Binary, ["tags"] = TypeFamily.Array, ["mood"] = TypeFamily.Enum,
                ["code"] = TypeFamily.Text, ["region"] = TypeFamily.Text, ["big"] = TypeFamily.Integer, ["small"] = TypeFamily.Integer,
                ["price"] = TypeFamily.Decimal, ["ip"] = TypeFamily.Other, ["flags"] = TypeFamily.Other, ["email_lower"] = TypeFamily.Text,
            }));

            Assert.That(customers.FindColumn("created_at")!.DataType, Is.EqualTo("timestamp(3) without time zone"));
            Assert.That(customers.FindColumn("created_at")!.Precision, Is.EqualTo(3));
            Assert.That(customers.FindColumn("created_at")!.Default, Is.EqualTo("now()"));
            Assert.That(customers.FindColumn("wake_at")!.Precision, Is.EqualTo(0));
            Assert.That(customers.FindColumn("updated_at")!.Precision, Is.Null, "undeclared precision is not reported");
            Assert.That(customers.FindColumn("code")!.Length, Is.EqualTo(3));
            Assert.That(customers.FindColumn("flags")!.Length, Is.EqualTo(8));
            Assert.That((customers.FindColumn("region")!.DataType, customers.FindColumn("region")!.Length), Is.EqualTo(("short_code", (int?)8)), "domains resolve to their base type");
            Assert.That(customers.FindColumn("mood")!.DataType, Is.EqualTo("app.mood"));
            Assert.That(customers.FindColumn("mood")!.Default, Is.EqualTo("'ok'::app.mood"));
            Assert.That(customers.FindColumn("mood")!.EnumValues, Is.EqualTo(ValueList.Of("sad", "ok", "happy")));
            Assert.That(customers.FindColumn("tags")!.DataType, Is.EqualTo("text[]"));
            Assert.That(customers.Columns.Where(c => c.Name != "email").Select(c => c.Collation), Is.All.Null, "default collations are not reported");
            Assert.That(customers.Columns.Select(c => c.EngineId.Value), Is.EqualTo(Enumerable.Range(1, 27).Select(i => (long?)i)));
        }

        var orders = schema.FindTable(new ObjectName("app", "orders"))!;
        var categories = schema.FindTable(new ObjectName("public", "categories"))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(orders.FindColumn("order_id")!.Identity, Is.EqualTo(IdentityKind.Always));
            Assert.That(orders.FindColumn("order_id")!.Default, Is.Null);
            Assert.That(orders.FindColumn("order_id")!.IsGenerated, Is.True);
            Assert.That(categories.FindColumn("id")!.Identity, Is.EqualTo(IdentityKind.ByDefault));
            Assert.That(categories.FindColumn("priority")!.EnumValues, Is.EqualTo(ValueList.Of("low", "high")));
            Assert.That(categories.FindColumn("priority")!.DataType, Is.EqualTo("priority"));
            Assert.That(orders.FindColumn("placed_at")!.IsNullable, Is.False);
            Assert.That(schema.FindTable(new ObjectName("public", "events_2024"))!.Columns.Select(c => c.Name), Is.EqualTo(new[] { "id", "at", "payload" }));
        }
    }

    [Test]
    public async Task InspectorSeesConstraints()
    {
        var schema = await Varied.InspectSchemaAsync(CancellationToken.None);
        var customers = schema.FindTable(new ObjectName("public", "customers"))!;
        var categories = schema.FindTable(new ObjectName("public", "categories"))!;
        var orders = schema.FindTable(new ObjectName("app", "orders"))!;
        var lines = schema.FindTable(new ObjectName("app", "order_lines"))!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(customers.PrimaryKey, Is.EqualTo(new PrimaryKey("customers_pkey", ValueList.Of("id"))));
            Assert.That(categories.PrimaryKey, Is.EqualTo(new PrimaryKey("pk_categories", ValueList.Of("code", "locale"))));
            Assert.That(lines.PrimaryKey, Is.EqualTo(new PrimaryKey("order_lines_pkey", ValueList.Of("order_id", "line_no"))));
            Assert.That(schema.FindTable(new ObjectName("public", "events"))!.PrimaryKey, Is.EqualTo(new PrimaryKey("events_pkey", ValueList.Of("id", "at"))));

            Assert.That(customers.Uniques, Is.EqualTo(ValueList.Of(new UniqueConstraint("uq_customers_email", ValueList.Of("email"), false))));
            Assert.That(lines.Uniques, Is.EqualTo(ValueList.Of(new UniqueConstraint("uq_lines_product", ValueList.Of("order_id", "product_code"), true))));

            Assert.That(customers.Checks, Is.EqualTo(ValueList.Of(new CheckConstraint("customers_balance_check", "balance >= 0::numeric", true))));
            Assert.That(orders.Checks, Is.EqualTo(ValueList.Of(new CheckConstraint("ck_orders_total", "total >= 0::numeric", true))));
            Assert.That(lines.Checks, Is.EqualTo(ValueList.Of(new CheckConstraint("order_lines_qty_check", "qty > 0", true))));

            Assert.That(categories.ForeignKeys, Is.EqualTo(ValueList.Of(new ForeignKey(
                "fk_categories_parent", ValueList.Of("parent_code", "parent_locale"), new ObjectName("public", "categories"), ValueList.Of("code", "locale"),
                "SET NULL", "CASCADE", false, false, true))));
            Assert.That(orders.ForeignKeys, Is.EqualTo(ValueList.Of(
                new ForeignKey("fk_orders_category", ValueList.Of("category_code", "category_locale"), new ObjectName("public", "categories"), ValueList.Of("code", "locale"), "NO ACTION", "SET DEFAULT", true, true, true),
                new ForeignKey("orders_customer_id_fkey", ValueList.Of("customer_id"), new ObjectName("public", "customers"), ValueList.Of("id"), "CASCADE", "NO ACTION", false, false, true))));
            Assert.That(lines.ForeignKeys, Is.EqualTo(ValueList.Of(new ForeignKey(
                "fk_lines_order", ValueList.Of("order_id"), new ObjectName("app", "orders"), ValueList.Of("order_id"), "CASCADE", "RESTRICT", true, false, true))));
        }
    }

    [Test]
    public async Task InspectorSeesIndexes()
    {
        var schema = await Varied.InspectSchemaAsync(CancellationToken.None);
        var customers = schema.FindTable(new ObjectName("public", "customers"))!;
        var orders = schema.FindTable(new ObjectName("app", "orders"))!;
        var bookings = schema.FindTable(new ObjectName("public", "bookings"))!;

        using (Assert.EnterMultipleScope())
        {
            // Indexes behind primary keys and unique constraints are not listed.
            Assert.That(customers.Indexes.Select(i => i.Name), Is.EqualTo(new[]
            {
                "ix_customers_created", "ix_customers_email_hash", "ix_customers_name_posix", "ix_customers_profile", "ux_customers_lower_name",
            }));
            Assert.That(schema.Tables.SelectMany(t => t.Indexes).Select(i => i.Name), Has.None.EndsWith("_pkey").And.None.EqualTo("uq_customers_email"));

            var unique = customers.Indexes.Single(i => i.Name == "ux_customers_lower_name");
            Assert.That(unique.Keys, Is.EqualTo(ValueList.Of(new IndexKey("lower(name)", true, false, null, null))));
            Assert.That((unique.IsUnique, unique.Predicate, unique.Method, unique.IsValid), Is.EqualTo((true, (string?)"is_active", "btree", true)));
            Assert.That(unique.Definition.Value, Is.EqualTo("CREATE UNIQUE INDEX ux_customers_lower_name ON public.customers USING btree (lower(name)) WHERE is_active"));

            Assert.That(customers.Indexes.Single(i => i.Name == "ix_customers_email_hash").Method, Is.EqualTo("hash"));
            Assert.That(customers.Indexes.Single(i => i.Name == "ix_customers_profile").Method, Is.EqualTo("gin"));
            Assert.That(customers.Indexes.Single(i => i.Name == "ix_customers_created").Method, Is.EqualTo("brin"));
            Assert.That(customers.Indexes.Single(i => i.Name == "ix_customers_name_posix").Keys.Single(), Is.EqualTo(new IndexKey("name", false, false, "NULLS FIRST", "\"POSIX\"")));

            var byCustomer = orders.Indexes.Single();
            Assert.That(byCustomer.Name, Is.EqualTo("ix_orders_customer"));
            Assert.That(byCustomer.Keys, Is.EqualTo(ValueList.Of(new IndexKey("customer_id", false, false, null, null), new IndexKey("placed_at", false, true, "NULLS LAST", null))));
            Assert.That(byCustomer.IncludedColumns, Is.EqualTo(ValueList.Of("total")));
            Assert.That(byCustomer.Shape, Is.EqualTo("btree(customer_id,placed_at desc) include(total)"));

            // The exclusion constraint is reported as an index whose keys carry the operators.
            var exclusion = bookings.Indexes.Single();
            Assert.That(exclusion.Name, Is.EqualTo("ex_bookings_room"));
            Assert.That(exclusion.Keys.Select(k => k.Expression), Is.EqualTo(new[] { "room WITH =", "during WITH &&" }));
            Assert.That((exclusion.Method, exclusion.IsUnique), Is.EqualTo(("gist", false)));
            Assert.That(exclusion.Definition.Value, Does.Contain("EXCLUDE USING gist (room WITH =, during WITH &&)"));

            Assert.That(schema.FindTable(new ObjectName("public", "events"))!.Indexes.Single().Name, Is.EqualTo("ix_events_payload"));
            Assert.That(schema.FindTable(new ObjectName("public", "events_2024"))!.Indexes.Single().Keys.Single().Expression, Is.EqualTo("payload"));
        }
    }

    [Test]
    public async Task InspectorSeesSequencesViewsTriggersEnumsAndRoutines()
    {
        var schema = await Varied.InspectSchemaAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(schema.Sequences, Is.EqualTo(ValueList.Of(
                new Sequence(new ObjectName("app", "invoice_seq"), SequenceKind.Sequence, "bigint", 1000, 5, 1000, 100000, true, null, 1000L),
                new Sequence(new ObjectName("app", "orders_order_id_seq"), SequenceKind.Sequence, "bigint", 1, 1, 1, long.MaxValue, false, "app.orders.order_id", 1L),
                new Sequence(new ObjectName("public", "categories_id_seq"), SequenceKind.Sequence, "integer", 10, 10, 1, int.MaxValue, false, "public.categories.id", 10L),
                new Sequence(new ObjectName("public", "customers_id_seq"), SequenceKind.Sequence, "integer", 1, 1, 1, int.MaxValue, false, "public.customers.id", 1L))));
            Assert.That(schema.Sequences.Select(s => s.NextValue.Value), Is.EqualTo(new long?[] { 1000, 1, 10, 1 }));

            Assert.That(schema.Views.Select(v => (v.Name.ToString(), v.IsMaterialized)), Is.EqualTo(new[] { ("app.order_totals", true), ("public.active_customers", false) }));
            Assert.That(schema.Views[1].Definition, Is.EqualTo("SELECT customers.id,\n    customers.email,\n    customers.name\n   FROM customers\n  WHERE customers.is_active;"));
            Assert.That(schema.Views[0].Definition, Does.StartWith("SELECT orders.customer_id,").And.Contain("FROM app.orders"));
            Assert.That(schema.Views[0].Definition, Does.EndWith("\n-- index: CREATE UNIQUE INDEX ux_order_totals_customer ON app.order_totals USING btree (customer_id)"));

            Assert.That(schema.Triggers.Select(t => (t.Table.ToString(), t.Name, t.Timing, t.Events, t.IsEnabled)), Is.EqualTo(new[]
            {
                ("app.order_lines", "trg_lines_off", "AFTER", "UPDATE OR TRUNCATE", false),
                ("app.orders", "trg_orders_touch", "BEFORE", "UPDATE", true),
                ("public.active_customers", "trg_active_customers_insert", "INSTEAD OF", "INSERT", true),
                ("public.customers", "trg_customers_audit", "AFTER", "INSERT OR DELETE", true),
            }));
            Assert.That(schema.Triggers[1].Definition, Is.EqualTo("CREATE TRIGGER trg_orders_touch BEFORE UPDATE ON app.orders FOR EACH ROW EXECUTE FUNCTION app.touch_order()"));
            Assert.That(schema.Triggers[0].Definition, Does.Contain("AFTER UPDATE OF qty OR TRUNCATE"));

            Assert.That(schema.Enums, Is.EqualTo(ValueList.Of(
                new EnumType(new ObjectName("app", "mood"), ValueList.Of("sad", "ok", "happy")),
                new EnumType(new ObjectName("public", "priority"), ValueList.Of("low", "high")))));

            Assert.That(schema.Routines.Select(r => (r.Name.ToString(), r.Kind, r.Signature)), Is.EqualTo(new[]
            {
                ("app.archive", "PROCEDURE", "IN days integer"),
                ("app.order_total", "FUNCTION", "p_order bigint"),
                ("app.touch_order", "FUNCTION", ""),
                ("public.active_customers_insert", "FUNCTION", ""),
                ("public.audit_noop", "FUNCTION", ""),
                ("public.fmt", "FUNCTION", "value integer"),
                ("public.fmt", "FUNCTION", "value text"),
            }));
            Assert.That(schema.Routines[1].Definition, Does.StartWith("CREATE OR REPLACE FUNCTION app.order_total(p_order bigint)").And.Contain("SELECT total FROM app.orders"));
        }
    }

    [Test]
    public async Task ExtensionObjectsAreInvisible()
    {
        var installed = await ScalarAsync<long>(Varied, "SELECT count(*) FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid WHERE e.extname = 'btree_gist' AND d.deptype = 'e'");
        Assert.That(installed, Is.GreaterThan(100), "btree_gist installs many functions, operators and types");

        var schema = await Varied.InspectSchemaAsync(CancellationToken.None);
        Assert.That(schema.Routines.Select(r => r.Name.Name), Has.None.StartsWith("gbt_"));
        Assert.That(schema.Enums.Select(e => e.Name.Name), Has.None.StartsWith("gbt"));
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
        await using var other = await CreateAsync(PostgresSchemas.Varied, "varied copy");
        var a = await Varied.InspectSchemaAsync(CancellationToken.None);
        var b = await other.InspectSchemaAsync(CancellationToken.None);

        Assert.That(b, Is.EqualTo(a));
        Assert.That(
            b.Tables.Select(t => t.EngineId.Value),
            Is.Not.EqualTo(a.Tables.Select(t => t.EngineId.Value)),
            "table oids differ between databases; they are carried but not compared");
    }

    [Test]
    public async Task SequencePositionsAreCarriedButNotCompared()
    {
        await using var db = await CreateAsync(PostgresSchemas.Varied, "positions");
        var before = await db.InspectSchemaAsync(CancellationToken.None);
        await ExecuteAsync(db, "SELECT nextval('app.invoice_seq'); SELECT nextval('app.invoice_seq');");
        var after = await db.InspectSchemaAsync(CancellationToken.None);

        Assert.That(after, Is.EqualTo(before));
        Assert.That(after.Sequences.Single(s => s.Name.Name == "invoice_seq").NextValue.Value, Is.EqualTo(1010));
    }

    private static IEnumerable<TestCaseData> Changes()
    {
        static TestCaseData Case(string name, string sql, Func<SchemaSnapshot, object?> part) => new TestCaseData(sql, part).SetName("ChangeIsDetected_" + name);

        static Table T(SchemaSnapshot s, string schema, string name) => s.FindTable(new ObjectName(schema, name))!;

        yield return Case("ColumnType", "ALTER TABLE public.customers ALTER COLUMN rating TYPE numeric", s => T(s, "public", "customers").Columns);
        yield return Case("ColumnNullability", "ALTER TABLE public.customers ALTER COLUMN born SET NOT NULL", s => T(s, "public", "customers").Columns);
        yield return Case("ColumnDefault", "ALTER TABLE public.customers ALTER COLUMN name SET DEFAULT 'someone'", s => T(s, "public", "customers").Columns);
        yield return Case("ColumnCollation", "ALTER TABLE public.customers ALTER COLUMN code TYPE character(3) COLLATE \"POSIX\"", s => T(s, "public", "customers").Columns);
        yield return Case("ColumnLength", "ALTER TABLE public.customers ALTER COLUMN code TYPE character(4)", s => T(s, "public", "customers").Columns);
        yield return Case("ColumnPrecision", "ALTER TABLE public.customers ALTER COLUMN balance TYPE numeric(12,2)", s => T(s, "public", "customers").Columns);
        yield return Case("ColumnRename", "ALTER TABLE public.customers RENAME COLUMN big TO huge", s => T(s, "public", "customers").Columns);
        yield return Case("ColumnOrder", "ALTER TABLE public.customers DROP COLUMN small; ALTER TABLE public.customers ADD COLUMN small smallint", s => T(s, "public", "customers").Columns);
        yield return Case("GeneratedExpression", "ALTER TABLE public.customers DROP COLUMN email_lower; ALTER TABLE public.customers ADD COLUMN email_lower text GENERATED ALWAYS AS (upper(email)) STORED", s => T(s, "public", "customers").Columns);
        yield return Case("IdentityKind", "ALTER TABLE public.categories ALTER COLUMN id SET GENERATED ALWAYS", s => T(s, "public", "categories").Columns);
        yield return Case("SerialDefault", "ALTER TABLE public.customers ALTER COLUMN id DROP DEFAULT", s => T(s, "public", "customers").Columns);
        yield return Case("EnumTypeOfColumn", "ALTER TABLE public.categories ALTER COLUMN priority TYPE text", s => T(s, "public", "categories").Columns);
        yield return Case("PrimaryKey", "ALTER TABLE public.bookings DROP CONSTRAINT bookings_pkey", s => T(s, "public", "bookings").PrimaryKey);
        yield return Case("ForeignKeyAction", "ALTER TABLE app.order_lines DROP CONSTRAINT fk_lines_order; ALTER TABLE app.order_lines ADD CONSTRAINT fk_lines_order FOREIGN KEY (order_id) REFERENCES app.orders (order_id) ON DELETE RESTRICT ON UPDATE RESTRICT DEFERRABLE", s => T(s, "app", "order_lines").ForeignKeys);
        yield return Case("ForeignKeyDeferrability", "ALTER TABLE app.orders ALTER CONSTRAINT fk_orders_category NOT DEFERRABLE", s => T(s, "app", "orders").ForeignKeys);
        yield return Case("UniqueDropped", "ALTER TABLE public.customers DROP CONSTRAINT uq_customers_email", s => T(s, "public", "customers").Uniques);
        yield return Case("UniqueNullsDistinct", "ALTER TABLE app.order_lines DROP CONSTRAINT uq_lines_product; ALTER TABLE app.order_lines ADD CONSTRAINT uq_lines_product UNIQUE (order_id, product_code)", s => T(s, "app", "order_lines").Uniques);
        yield return Case("CheckExpression", "ALTER TABLE app.orders DROP CONSTRAINT ck_orders_total; ALTER TABLE app.orders ADD CONSTRAINT ck_orders_total CHECK (total > 0)", s => T(s, "app", "orders").Checks);
        yield return Case("IndexPredicate", "DROP INDEX public.ux_customers_lower_name; CREATE UNIQUE INDEX ux_customers_lower_name ON public.customers (lower(name)) WHERE NOT is_active", s => T(s, "public", "customers").Indexes);
        yield return Case("IndexMethod", "DROP INDEX public.ix_customers_email_hash; CREATE INDEX ix_customers_email_hash ON public.customers (email)", s => T(s, "public", "customers").Indexes);
        yield return Case("IndexRename", "ALTER INDEX app.ix_orders_customer RENAME TO ix_orders_by_customer", s => T(s, "app", "orders").Indexes);
        yield return Case("IndexInclude", "DROP INDEX app.ix_orders_customer; CREATE INDEX ix_orders_customer ON app.orders (customer_id, placed_at DESC NULLS LAST)", s => T(s, "app", "orders").Indexes);
        yield return Case("IndexDirection", "DROP INDEX app.ix_orders_customer; CREATE INDEX ix_orders_customer ON app.orders (customer_id, placed_at) INCLUDE (total)", s => T(s, "app", "orders").Indexes);
        yield return Case("IndexCollation", "DROP INDEX public.ix_customers_name_posix; CREATE INDEX ix_customers_name_posix ON public.customers (name NULLS FIRST)", s => T(s, "public", "customers").Indexes);
        yield return Case("ExclusionOperator", "ALTER TABLE public.bookings DROP CONSTRAINT ex_bookings_room; ALTER TABLE public.bookings ADD CONSTRAINT ex_bookings_room EXCLUDE USING gist (room WITH <>, during WITH &&)", s => T(s, "public", "bookings").Indexes);
        yield return Case("TableRename", "ALTER TABLE public.events_2024 RENAME TO events_y2024", s => s.Tables);
        yield return Case("TableAdded", "CREATE TABLE app.extra (id integer)", s => s.Tables);
        yield return Case("SequenceIncrement", "ALTER SEQUENCE app.invoice_seq INCREMENT BY 10", s => s.Sequences);
        yield return Case("SequenceOwner", "ALTER SEQUENCE app.invoice_seq OWNED BY app.orders.order_id", s => s.Sequences);
        yield return Case("SequenceDropped", "DROP SEQUENCE app.invoice_seq", s => s.Sequences);
        yield return Case("ViewDefinition", "CREATE OR REPLACE VIEW public.active_customers AS SELECT id, email, name FROM public.customers WHERE NOT is_active", s => s.Views);
        yield return Case("MaterializedViewIndex", "DROP INDEX app.ux_order_totals_customer", s => s.Views);
        yield return Case("MaterializedViewDefinition", "DROP MATERIALIZED VIEW app.order_totals; CREATE MATERIALIZED VIEW app.order_totals AS SELECT customer_id, max(total) AS total FROM app.orders GROUP BY customer_id", s => s.Views);
        yield return Case("TriggerDisabled", "ALTER TABLE app.orders DISABLE TRIGGER trg_orders_touch", s => s.Triggers);
        yield return Case("TriggerEvents", "DROP TRIGGER trg_orders_touch ON app.orders; CREATE TRIGGER trg_orders_touch BEFORE INSERT OR UPDATE ON app.orders FOR EACH ROW EXECUTE FUNCTION app.touch_order()", s => s.Triggers);
        yield return Case("EnumLabelAdded", "ALTER TYPE app.mood ADD VALUE 'ecstatic'", s => s.Enums);
        yield return Case("EnumLabelRenamed", "ALTER TYPE public.priority RENAME VALUE 'high' TO 'urgent'", s => s.Enums);
        yield return Case("RoutineBody", "CREATE OR REPLACE FUNCTION public.fmt(value integer) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT (value + 1)::text $$", s => s.Routines);
        yield return Case("RoutineOverloadAdded", "CREATE FUNCTION public.fmt(value bigint) RETURNS text LANGUAGE sql AS $$ SELECT value::text $$", s => s.Routines);
        yield return Case("RoutineDropped", "DROP PROCEDURE app.archive(integer)", s => s.Routines);
    }

    [TestCaseSource(nameof(Changes))]
    public async Task ChangeIsDetected(string sql, Func<SchemaSnapshot, object?> part)
    {
        ArgumentNullException.ThrowIfNull(part);
        await using var db = await CreateAsync(PostgresSchemas.Varied, "change");
        var before = await db.InspectSchemaAsync(CancellationToken.None);
        await ExecuteAsync(db, sql);
        var after = await db.InspectSchemaAsync(CancellationToken.None);

        Assert.That(after, Is.Not.EqualTo(before));
        Assert.That(part(after), Is.Not.EqualTo(part(before)), "the change shows in the part of the snapshot it belongs to");
    }

    [Test]
    public async Task ReadRowsGivesCanonicalValues()
    {
        await using var db = await CreateAsync(ValuesSchema, "values");
        await ExecuteAsync(db, """
            INSERT INTO public.vals VALUES
            (1, 12.30, 5, 0.1, 0.1, true, '2024-02-29', '2024-02-29 13:14:15.5', '2024-02-29 13:14:15+02', '13:14:15', '13:14:15.25+02',
             '1 day 2 hours', '{"b": 1,  "a": [1, 2]}', '{"a": [1,2], "b": 1}', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '\x0102ff',
             convert_to(repeat('x', 300), 'UTF8'), '{1,2,3}', 'high', 'héllo', 'ab', 12.5, B'1010', '10.0.0.1', 1e20, 'NaN', '-infinity'),
            (2, NULL, NULL, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
            """);
        var table = (await db.InspectSchemaAsync(CancellationToken.None)).FindTable(new ObjectName("public", "vals"))!;
        var rows = await ReadAllAsync(db, table);

        var longBytes = CanonicalValue.FormatBytes(Encoding.UTF8.GetBytes(new string('x', 300)));
        Assert.That(longBytes, Does.StartWith("sha256:"));
        Assert.That(rows.OrderBy(r => r[0]).ToList(), Is.EqualTo(new[]
        {
            new string?[]
            {
                "1", "12.3", "5", "0.1", "0.1", "true", "2024-02-29", "2024-02-29T13:14:15.5", "2024-02-29T11:14:15Z", "13:14:15", "13:14:15.25+02",
                "P1DT2H", "{\"a\": [1, 2], \"b\": 1}", "{\"a\": [1, 2], \"b\": 1}", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "\\x0102ff",
                longBytes, "{1,2,3}", "high", "héllo", "ab", "12.5", "1010", "10.0.0.1/32", "1E+20", "NaN", "-Infinity",
            },
            new string?[] { "2", null, null, null, null, "false", null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null },
        }));
    }

    [Test]
    public async Task ReadRowsCompareEqualAcrossTypeChanges()
    {
        await using var db = await CreateAsync(ValuesSchema, "type change");
        await ExecuteAsync(db, "INSERT INTO public.vals (id, n, i, f8, j, ts, b) VALUES (1, 12.30, 5, 0.25, '{\"k\": [1, 2]}', '2024-01-01 00:00:00', true)");
        var before = (await db.InspectSchemaAsync(CancellationToken.None)).FindTable(new ObjectName("public", "vals"))!;
        var original = (await ReadAllAsync(db, before)).Single();

        await ExecuteAsync(db, """
            ALTER TABLE public.vals ALTER COLUMN n TYPE numeric(14,4);
            ALTER TABLE public.vals ALTER COLUMN i TYPE numeric(10,2);
            ALTER TABLE public.vals ALTER COLUMN f8 TYPE numeric(6,3);
            ALTER TABLE public.vals ALTER COLUMN j TYPE jsonb;
            ALTER TABLE public.vals ALTER COLUMN ts TYPE timestamp(0);
            ALTER TABLE public.vals ALTER COLUMN id TYPE bigint;
            """);
        var after = (await db.InspectSchemaAsync(CancellationToken.None)).FindTable(new ObjectName("public", "vals"))!;
        Assert.That(after, Is.Not.EqualTo(before));
        Assert.That(await ScalarAsync<string>(db, "SELECT n::text || ' ' || i::text FROM public.vals"), Is.EqualTo("12.3000 5.00"), "the server's own text differs");

        var changed = (await ReadAllAsync(db, after)).Single();
        Assert.That(changed, Is.EqualTo(original));
        Assert.That(changed[1..4], Is.EqualTo(new[] { "12.3", "5", "0.25" }));
        Assert.That(changed[5], Is.EqualTo("true"));
    }

    [Test]
    public async Task ReadRowsReadsTheColumnsOfTheGivenTable()
    {
        await using var db = await CreateAsync("CREATE TABLE public.t (a integer, \"Mixed Case\" text, c text); CREATE TABLE public.empty ();", "columns");
        await ExecuteAsync(db, "INSERT INTO public.t VALUES (1, 'x', 'y'); INSERT INTO public.empty DEFAULT VALUES; INSERT INTO public.empty DEFAULT VALUES;");
        var schema = await db.InspectSchemaAsync(CancellationToken.None);
        var s0 = schema.FindTable(new ObjectName("public", "t"))!;
        await ExecuteAsync(db, "ALTER TABLE public.t ADD COLUMN d integer DEFAULT 7; ALTER TABLE public.t DROP COLUMN c");

        var narrowed = s0 with { Columns = s0.Columns.Where(c => c.Name != "c").ToValueList() };
        Assert.That(await ReadAllAsync(db, narrowed), Is.EqualTo(new[] { new string?[] { "1", "x" } }));
        var empty = await ReadAllAsync(db, schema.FindTable(new ObjectName("public", "empty"))!);
        Assert.That(empty.Select(r => r.Length), Is.EqualTo(new[] { 0, 0 }));
    }

    [Test]
    public async Task DialectValueExpressionsFeedEveryFamily()
    {
        await using var db = await CreateAsync(ValuesSchema, "value expressions");
        var table = (await db.InspectSchemaAsync(CancellationToken.None)).FindTable(new ObjectName("public", "vals"))!;
        var values = new Dictionary<string, object?>
        {
            ["id"] = 7L, ["n"] = 1.5m, ["i"] = 3L, ["f8"] = 2.5, ["f4"] = 0.5, ["b"] = true, ["d"] = new DateTime(2024, 3, 1),
            ["ts"] = new DateTime(2024, 3, 1, 10, 0, 0), ["tz"] = new DateTime(2024, 3, 1, 10, 0, 0, DateTimeKind.Utc), ["t"] = TimeSpan.FromHours(9.5),
            ["tt"] = TimeSpan.FromHours(9.5), ["iv"] = TimeSpan.FromMinutes(90), ["j"] = "{\"id\": 1}", ["jb"] = "{\"id\": 1}", ["u"] = Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
            ["by"] = new byte[] { 1, 2 }, ["big"] = new byte[] { 3 }, ["arr"] = "{4,5}", ["e"] = "low", ["txt"] = "text", ["ch"] = "abc", ["m"] = 2.25m,
            ["bits"] = null, ["ip"] = null, ["f8b"] = 1.0, ["f8c"] = null, ["f8d"] = null,
        };
        var dialect = db.Dialect;
        var connection = await db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            var command = connection.CreateCommand();
            await using (command)
            {
                var columns = table.Columns.ToList();
                command.CommandText = $"INSERT INTO {dialect.QuoteName(table.Name)} ({string.Join(", ", columns.Select(c => dialect.QuoteIdentifier(c.Name)))}) "
                    + $"VALUES ({string.Join(", ", columns.Select((c, i) => dialect.ValueExpression(c, dialect.Parameter(i))))})";
                for (var i = 0; i < columns.Count; i++)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = "@p" + i;
                    parameter.Value = values[columns[i].Name] ?? DBNull.Value;
                    command.Parameters.Add(parameter);
                }

                Assert.That(await command.ExecuteNonQueryAsync(), Is.EqualTo(1));
            }
        }

        var row = (await ReadAllAsync(db, table)).Single();
        Assert.That(row, Is.EqualTo(new string?[]
        {
            "7", "1.5", "3", "2.5", "0.5", "true", "2024-03-01", "2024-03-01T10:00:00", "2024-03-01T10:00:00Z", "09:30:00", "09:30:00+00",
            "PT1H30M", "{\"id\": 1}", "{\"id\": 1}", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "\\x0102", "\\x03", "{4,5}", "low", "text", "abc", "2.25",
            null, null, "1", null, null,
        }));
    }

    [Test]
    public async Task IdentityAndSerialSequencesShowOwnerAndNextValue()
    {
        await using var db = await CreateAsync(PostgresSchemas.Varied, "sequences");
        await ExecuteAsync(db, """
            INSERT INTO public.customers (email, name) VALUES ('a@x', 'a'), ('b@x', 'b'), ('c@x', 'c');
            INSERT INTO public.categories (code, locale) VALUES ('a', 'en'), ('b', 'en');
            INSERT INTO app.orders (customer_id) VALUES (1);
            """);
        var schema = await db.InspectSchemaAsync(CancellationToken.None);
        Sequence Seq(SchemaSnapshot s, string name) => s.Sequences.Single(q => q.Name.Name == name);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((Seq(schema, "customers_id_seq").OwnedBy, Seq(schema, "customers_id_seq").NextValue.Value), Is.EqualTo(("public.customers.id", (long?)4)));
            Assert.That((Seq(schema, "categories_id_seq").OwnedBy, Seq(schema, "categories_id_seq").NextValue.Value), Is.EqualTo(("public.categories.id", (long?)30)));
            Assert.That((Seq(schema, "orders_order_id_seq").OwnedBy, Seq(schema, "orders_order_id_seq").NextValue.Value), Is.EqualTo(("app.orders.order_id", (long?)2)));
        }

        // setval(..., false) and RESTART leave is_called false: pg_sequences would hide the position, the inspector does not.
        await ExecuteAsync(db, "SELECT setval('public.customers_id_seq', 100, false); ALTER SEQUENCE app.orders_order_id_seq RESTART;");
        var reset = await db.InspectSchemaAsync(CancellationToken.None);
        Assert.That(Seq(reset, "customers_id_seq").NextValue.Value, Is.EqualTo(100));
        Assert.That(Seq(reset, "orders_order_id_seq").NextValue.Value, Is.EqualTo(1));

        // A cycling sequence at its maximum wraps to the minimum; a non-cycling one is exhausted.
        await ExecuteAsync(db, "SELECT setval('app.invoice_seq', 100000); SELECT setval('public.categories_id_seq', 2147483647);");
        var wrapped = await db.InspectSchemaAsync(CancellationToken.None);
        Assert.That(Seq(wrapped, "invoice_seq").NextValue.Value, Is.EqualTo(1000));
        Assert.That(Seq(wrapped, "categories_id_seq").NextValue.Value, Is.Null);
        Assert.That(wrapped, Is.EqualTo(schema), "positions are not compared");
    }

    [Test]
    public async Task CreateIndexConcurrentlyRunsOverAnOpenedConnection()
    {
        await using var db = await CreateAsync(PostgresSchemas.Varied, "concurrently");
        await ExecuteAsync(db, "INSERT INTO public.customers (email, name, is_active) VALUES ('a@x', 'same', false), ('b@x', 'same', false)");
        await ExecuteAsync(db, "CREATE INDEX CONCURRENTLY ix_customers_name ON public.customers (name)");

        // A concurrent unique build that fails on duplicates leaves an invalid index behind.
        var failure = Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(db, "CREATE UNIQUE INDEX CONCURRENTLY ux_customers_name ON public.customers (name)"));
        Assert.That(db.Dialect.DescribeError(failure!).Code, Is.EqualTo("23505"));

        var indexes = (await db.InspectSchemaAsync(CancellationToken.None)).FindTable(new ObjectName("public", "customers"))!.Indexes;
        Assert.That(indexes.Single(i => i.Name == "ix_customers_name").IsValid, Is.True);
        Assert.That(indexes.Single(i => i.Name == "ux_customers_name").IsValid, Is.False);

        // Inside a transaction the server refuses, with SQLSTATE 25001.
        var connection = await db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "CREATE INDEX CONCURRENTLY ix_never ON public.customers (email)";
            var refused = Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.That(db.Dialect.DescribeError(refused!).Code, Is.EqualTo("25001"));
        }
    }

    [Test]
    public async Task DescribeErrorGivesSqlStateMessageAndDetail()
    {
        await using var db = await CreateAsync(PostgresSchemas.Varied, "errors");
        await ExecuteAsync(db, "INSERT INTO public.customers (email) VALUES ('dup@x')");

        var duplicate = Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(db, "INSERT INTO public.customers (email) VALUES ('dup@x')"));
        var error = db.Dialect.DescribeError(duplicate!);
        Assert.That(error.Code, Is.EqualTo("23505"));
        Assert.That(error.Message, Is.EqualTo("duplicate key value violates unique constraint \"uq_customers_email\""));
        Assert.That(error.Detail, Does.Contain("DETAIL: Key (email)=(dup@x) already exists.").And.Contain("CONSTRAINT: uq_customers_email"));

        var syntax = Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(db, "SELEC 1"));
        var syntaxError = db.Dialect.DescribeError(syntax!);
        Assert.That((syntaxError.Code, syntaxError.Detail), Is.EqualTo(("42601", (string?)"POSITION: 1")));
    }

    [Test]
    public async Task DatabaseIsDroppedWhenTheInstanceIsDisposed()
    {
        var db = await CreateAsync("CREATE TABLE public.t (id integer)", "dropped");
        var name = db.DatabaseName;
        Assert.That(name, Does.StartWith("rv_dropped_" + _runId + "_"));
        Assert.That(name.Length, Is.LessThanOrEqualTo(63));
        Assert.That(db.ServerVersion, Does.StartWith("PostgreSQL "));
        Assert.That(await DatabaseCommentAsync(name), Is.EqualTo("rollbackverifier:" + _runId));

        // A session left open (as a failed script might leave one) does not stop the drop.
        var lingering = await db.OpenConnectionAsync(CancellationToken.None);
        await db.DisposeAsync();
        await db.DisposeAsync();

        Assert.That(await DatabaseExistsAsync(name), Is.False);
        Assert.ThrowsAsync<ObjectDisposedException>(() => db.OpenConnectionAsync(CancellationToken.None));
        await lingering.DisposeAsync();
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
        var before = await ScalarAsync<long>(Varied, "SELECT count(*) FROM pg_database WHERE datname LIKE 'rv\\_%'");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        Assert.That(
            async () => await _engine.CreateDatabaseAsync(new DatabaseRequest("cancelled", IsolationMode.Database), cancelled.Token),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(await ScalarAsync<long>(Varied, "SELECT count(*) FROM pg_database WHERE datname LIKE 'rv\\_%'"), Is.EqualTo(before));
    }

    [Test]
    public async Task ContainerIsolationGivesTheInstanceItsOwnContainer()
    {
        var shared = DockerRequirement.ListHarnessContainers(_runId);
        Assert.That(shared, Has.Count.EqualTo(1), "one shared container for the run");

        var own = (PostgresInstance)await _engine.CreateDatabaseAsync(new DatabaseRequest("own container", IsolationMode.Container), CancellationToken.None);
        try
        {
            Assert.That(DockerRequirement.ListHarnessContainers(_runId), Has.Count.EqualTo(2));
            await ExecuteAsync(own, "CREATE ROLE rv_isolated_role");
            Assert.That(await ScalarAsync<long>(own, "SELECT count(*) FROM pg_roles WHERE rolname = 'rv_isolated_role'"), Is.EqualTo(1));
            Assert.That(await ScalarAsync<long>(Varied, "SELECT count(*) FROM pg_roles WHERE rolname = 'rv_isolated_role'"), Is.Zero, "the role lives in the other server only");
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
        var engine = new PostgresEngine(new EngineSettings(_image, null, runId));
        string name;
        try
        {
            var db = await engine.CreateDatabaseAsync(new DatabaseRequest("left open", IsolationMode.Database), CancellationToken.None);
            name = db.DatabaseName;
            Assert.That(DockerRequirement.ListHarnessContainers(runId), Has.Count.EqualTo(1));
            Assert.That(engine.Description, Is.EqualTo("container " + engine.Image));
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
        await using var engine = new PostgresEngine(new EngineSettings("rollbackverifier/no-such-image:missing", null, runId));
        var error = Assert.ThrowsAsync<EngineUnavailableException>(() => engine.CreateDatabaseAsync(new DatabaseRequest("missing", IsolationMode.Database), CancellationToken.None));
        Assert.That(error!.Message, Does.Contain("rollbackverifier/no-such-image:missing").And.Contain("RV_POSTGRES_IMAGE").And.Contain("eng/build-images.sh"));
        Assert.That(DockerRequirement.ListHarnessContainers(runId), Is.Empty);
    }

    [Test]
    public async Task AContainerThatNeverGetsReadyIsRemoved()
    {
        // An image without PostgreSQL: the container is created but never becomes ready.
        var runId = "t" + EngineSettings.NewRunId();
        await using var engine = new PostgresEngine(new EngineSettings(NonPostgresImage(), null, runId));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Assert.That(
            async () => await engine.CreateDatabaseAsync(new DatabaseRequest("never ready", IsolationMode.Database), timeout.Token),
            Throws.InstanceOf<EngineUnavailableException>().Or.InstanceOf<OperationCanceledException>());
        Assert.That(DockerRequirement.ListHarnessContainers(runId), Is.Empty, "the half-started container is removed");
    }

    /// <summary>Some local image that is not PostgreSQL (the base image CI builds the engine images from).</summary>
    private static string NonPostgresImage()
    {
        using var process = Process.Start(new ProcessStartInfo("docker", "images --format {{.Repository}}:{{.Tag}}") { RedirectStandardOutput = true })!;
        var images = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        process.WaitForExit();
        var image = images.FirstOrDefault(i => i.Contains("debian", StringComparison.Ordinal) || i.Contains("mariadb", StringComparison.Ordinal) || i.Contains("mysql", StringComparison.Ordinal));
        if (image is null)
        {
            Assert.Ignore("No local non-PostgreSQL image to start; images: " + string.Join(", ", images));
        }

        return image!;
    }

    [Test]
    public async Task ExistingServerModeUsesOnlyItsOwnMarkedDatabases()
    {
        var admin = new NpgsqlConnectionStringBuilder(Varied.ConnectionString) { Database = "postgres" };
        var url = $"postgres://{Uri.EscapeDataString(admin.Username!)}:{Uri.EscapeDataString(admin.Password!)}@{admin.Host}:{admin.Port}/postgres";
        var runId = "t" + EngineSettings.NewRunId();
        var engine = new PostgresEngine(new EngineSettings(null, url, runId));
        var foreign = "rv_not_ours_" + runId;
        var otherRun = "rv_other_run_" + runId;
        var unprefixed = "app_" + runId;
        try
        {
            Assert.That(engine.Description, Is.EqualTo($"postgres://{admin.Username}@{admin.Host}:{admin.Port}/postgres"));
            var db = (PostgresInstance)await engine.CreateDatabaseAsync(new DatabaseRequest("existing", IsolationMode.Database), CancellationToken.None);
            var name = db.DatabaseName;
            Assert.That(await DatabaseCommentAsync(name), Is.EqualTo("rollbackverifier:" + runId));
            await ExecuteAsync(db, "CREATE TABLE public.t (id integer PRIMARY KEY)");
            Assert.That((await db.InspectSchemaAsync(CancellationToken.None)).Tables.Single().Name, Is.EqualTo(new ObjectName("public", "t")));

            await ExecuteAsync(Varied, $"CREATE DATABASE {foreign}", admin: true);
            await ExecuteAsync(Varied, $"CREATE DATABASE {otherRun}", admin: true);
            await ExecuteAsync(Varied, $"COMMENT ON DATABASE {otherRun} IS 'rollbackverifier:someone-else'", admin: true);
            await ExecuteAsync(Varied, $"CREATE DATABASE {unprefixed}", admin: true);
            await ExecuteAsync(Varied, $"COMMENT ON DATABASE {unprefixed} IS 'rollbackverifier:{runId}'", admin: true);

            var noMarker = Assert.ThrowsAsync<RollbackVerifierException>(() => engine.DropDatabaseAsync(foreign, CancellationToken.None));
            Assert.That(noMarker!.Message, Does.Contain("Refusing to drop database 'rv_not_ours_").And.Contain("no comment"));
            var wrongMarker = Assert.ThrowsAsync<RollbackVerifierException>(() => engine.DropDatabaseAsync(otherRun, CancellationToken.None));
            Assert.That(wrongMarker!.Message, Does.Contain("rollbackverifier:someone-else"));
            var noPrefix = Assert.ThrowsAsync<RollbackVerifierException>(() => engine.DropDatabaseAsync(unprefixed, CancellationToken.None));
            Assert.That(noPrefix!.Message, Does.Contain("does not start with 'rv_'"));
            Assert.That(await DatabaseExistsAsync(foreign) && await DatabaseExistsAsync(otherRun) && await DatabaseExistsAsync(unprefixed), Is.True);

            var container = Assert.ThrowsAsync<EngineUnavailableException>(() => engine.CreateDatabaseAsync(new DatabaseRequest("roles", IsolationMode.Container), CancellationToken.None));
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
                await ExecuteAsync(Varied, $"DROP DATABASE IF EXISTS {database}", admin: true);
            }
        }
    }

    [Test]
    public async Task InspectorAgreesWithPgDump()
    {
        if (Varied.ContainerId is null)
        {
            // An existing server (RV_POSTGRES_URL): only the host's pg_dump can reach it, and it must be new enough.
            var major = int.Parse(Varied.ServerVersion.Split(' ')[1].Split('.')[0], System.Globalization.CultureInfo.InvariantCulture);
            var (clientMajor, clientProblem) = PgDump.ClientMajorVersion();
            if (clientMajor is null || clientMajor < major)
            {
                Assert.Ignore($"RV_POSTGRES_URL server: the host's pg_dump cannot dump PostgreSQL {major} ({clientProblem ?? "version " + clientMajor}); the cross-check runs against containers.");
            }
        }

        var dump = PgDump.Parse(await PgDump.SchemaOnlyAsync(Varied.ConnectionString, Varied.ContainerId));
        var schema = await Varied.InspectSchemaAsync(CancellationToken.None);

        var tables = schema.Tables.Select(t => t.Name.ToString()).ToHashSet();
        var columns = schema.Tables.SelectMany(t => t.Columns.Select(c => $"{t.Name}.{c.Name}")).ToHashSet();
        var exclusions = schema.Tables.SelectMany(t => t.Indexes.Where(i => i.Keys.Any(k => k.Expression.Contains(" WITH ", StringComparison.Ordinal))).Select(i => i.Name)).ToHashSet();
        var constraints = schema.Tables.SelectMany(t =>
            new[] { t.PrimaryKey?.Name }.Concat(t.ForeignKeys.Select(f => f.Name)).Concat(t.Uniques.Select(u => u.Name)).Concat(t.Checks.Select(c => c.Name)))
            .OfType<string>().Concat(exclusions).ToHashSet();
        var indexes = schema.Tables.SelectMany(t => t.Indexes.Select(i => i.Name)).Where(n => !exclusions.Contains(n))
            .Concat(schema.Views.SelectMany(v => PgDump.IndexNames(v.Definition))).ToHashSet();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(tables, Is.EquivalentTo(dump.Tables));
            Assert.That(columns, Is.EquivalentTo(dump.Columns));
            Assert.That(constraints, Is.EquivalentTo(dump.Constraints));
            Assert.That(indexes, Is.EquivalentTo(dump.Indexes));
            Assert.That(schema.Sequences.Select(s => s.Name.ToString()), Is.EquivalentTo(dump.Sequences));
            Assert.That(schema.Views.Where(v => !v.IsMaterialized).Select(v => v.Name.ToString()), Is.EquivalentTo(dump.Views));
            Assert.That(schema.Views.Where(v => v.IsMaterialized).Select(v => v.Name.ToString()), Is.EquivalentTo(dump.MaterializedViews));
            Assert.That(schema.Triggers.Select(t => $"{t.Table}.{t.Name}"), Is.EquivalentTo(dump.Triggers));
            Assert.That(schema.Triggers.Where(t => !t.IsEnabled).Select(t => $"{t.Table}.{t.Name}"), Is.EquivalentTo(dump.DisabledTriggers));
            Assert.That(schema.Enums.Select(e => e.Name.ToString()), Is.EquivalentTo(dump.Enums));
            Assert.That(schema.Routines.Select(r => $"{r.Name}({r.Signature})"), Is.EquivalentTo(dump.Routines));
            Assert.That(dump.Tables, Has.Count.EqualTo(7), "the dump parser found the tables");
            Assert.That(dump.Routines, Has.Count.EqualTo(7), "the dump parser found the routines");
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
            TestContext.Out.WriteLine($"first CreateDatabase (container start + create): {_firstDatabase.TotalMilliseconds:F0} ms");
            TestContext.Out.WriteLine($"creating the varied schema: {_variedSchema.TotalMilliseconds:F0} ms");
            TestContext.Out.WriteLine($"CreateDatabase: {create.TotalMilliseconds:F0} ms");
            TestContext.Out.WriteLine($"snapshot of the varied schema ({snapshot.Tables.Count} tables): {inspect.TotalMilliseconds:F0} ms");
            Assert.That(inspect, Is.LessThan(TimeSpan.FromSeconds(5)), "a snapshot is a handful of set-based queries");
        }
    }

    /// <summary>A table with a column of every family, for value tests.</summary>
    private const string ValuesSchema = """
        CREATE TYPE public.priority AS ENUM ('low', 'high');
        CREATE TABLE public.vals (
            id integer PRIMARY KEY, n numeric(10,2), i integer, f8 double precision, f4 real, b boolean, d date, ts timestamp(6), tz timestamptz,
            t time, tt timetz, iv interval, j json, jb jsonb, u uuid, "by" bytea, big bytea, arr integer[], e public.priority, txt text, ch char(5),
            m money, bits bit(4), ip inet, f8b double precision, f8c double precision, f8d double precision
        );
        """;

    private static (string, TypeFamily, int?, int?, int?, bool, string?, IdentityKind, string?, string?) Describe(Table table, string column)
    {
        var c = table.FindColumn(column) ?? throw new AssertionException($"column {column} missing");
        return (c.DataType, c.Family, c.Length, c.Precision, c.Scale, c.IsNullable, c.Default, c.Identity, c.GeneratedExpression, c.Collation);
    }

    private static Dictionary<string, TypeFamily> Family(Table table) => table.Columns.ToDictionary(c => c.Name, c => c.Family);

    private async Task<PostgresInstance> CreateAsync(string? schemaSql, string scenario)
    {
        var db = (PostgresInstance)await _engine.CreateDatabaseAsync(new DatabaseRequest(scenario, IsolationMode.Database), CancellationToken.None);
        if (schemaSql is not null)
        {
            try
            {
                await ExecuteAsync(db, schemaSql);
            }
            catch
            {
                await db.DisposeAsync();
                throw;
            }
        }

        return db;
    }

    private static async Task ExecuteAsync(PostgresInstance db, string sql, bool admin = false)
    {
        DbConnection connection = admin
            ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.ConnectionString) { Database = "postgres" }.ConnectionString)
            : await db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            if (admin)
            {
                await connection.OpenAsync();
            }

            var command = connection.CreateCommand();
            await using (command)
            {
                command.CommandText = sql;
                await command.ExecuteNonQueryAsync();
            }
        }
    }

    private static async Task<T> ScalarAsync<T>(PostgresInstance db, string sql)
    {
        var connection = await db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            var command = connection.CreateCommand();
            await using (command)
            {
                command.CommandText = sql;
                return (T)(await command.ExecuteScalarAsync())!;
            }
        }
    }

    private async Task<bool> DatabaseExistsAsync(string name) =>
        await ScalarAsync<long>(Varied, $"SELECT count(*) FROM pg_database WHERE datname = '{name}'") > 0;

    private async Task<string?> DatabaseCommentAsync(string name)
    {
        var connection = await Varied.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            var command = connection.CreateCommand();
            await using (command)
            {
                command.CommandText = $"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{name}'";
                return await command.ExecuteScalarAsync() as string;
            }
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
}
