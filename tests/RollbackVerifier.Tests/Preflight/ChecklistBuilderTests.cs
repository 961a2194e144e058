using RollbackVerifier.Model;
using RollbackVerifier.MySql;
using RollbackVerifier.PostgreSql;
using RollbackVerifier.Preflight;
using RollbackVerifier.Scenarios;
using RollbackVerifier.Tests.Diffing;

namespace RollbackVerifier.Tests.Preflight;

/// <summary>Which checks a migration gets: one per rule the forward relaxed, per piece of data the rollback discards, per sequence it resets.</summary>
public sealed class ChecklistBuilderTests
{
    private static readonly PostgresDialect Postgres = new();

    private static Checklist Build(SchemaSnapshot before, SchemaSnapshot after, string rollback = "", IPreflightDialect? dialect = null, string version = "PostgreSQL 15.6") =>
        ChecklistBuilder.Build(new ChecklistInput("t", before, after, new ScriptSource("/s/rollback.sql", rollback), dialect ?? Postgres, version));

    private static SchemaSnapshot Items(Action<TableBuilder> build) => new SnapshotBuilder().Table("public.items", t => build(t.EngineId(7))).Build();

    [Test]
    public void Every_relaxed_rule_gets_one_check_whose_query_is_a_plain_read()
    {
        var before = new SnapshotBuilder()
            .Table("public.customers", t => t.EngineId(1).Column("id", nullable: false, engineId: 1).PrimaryKey("customers_pkey", "id"))
            .Table("public.items", t => t.EngineId(7)
                .Column("id", nullable: false, engineId: 1).PrimaryKey("items_pkey", "id")
                .Column("name", "character varying(40)", TypeFamily.Text, nullable: false, length: 40, engineId: 2)
                .Column("price", "numeric(6,2)", TypeFamily.Decimal, precision: 6, scale: 2, engineId: 3)
                .Column("qty", "integer", engineId: 4)
                .Column("code", "integer", engineId: 5)
                .Column("mood", "mood", TypeFamily.Enum, enumValues: ["ok", "sad"], engineId: 6)
                .Column("customer_id", "integer", engineId: 7)
                .Unique("items_name_key", "name")
                .Check("items_qty_check", "(qty > 0)")
                .ForeignKey("items_customer_id_fkey", ["customer_id"], "public.customers", ["id"]))
            .Build();
        var after = new SnapshotBuilder()
            .Table("public.customers", t => t.EngineId(1).Column("id", nullable: false, engineId: 1).PrimaryKey("customers_pkey", "id"))
            .Table("public.items", t => t.EngineId(7)
                .Column("id", nullable: false, engineId: 1).PrimaryKey("items_pkey", "id")
                .Column("name", "character varying(200)", TypeFamily.Text, length: 200, engineId: 2)
                .Column("price", "numeric(12,4)", TypeFamily.Decimal, precision: 12, scale: 4, engineId: 3)
                .Column("qty", "bigint", engineId: 4)
                .Column("code", "text", TypeFamily.Text, engineId: 5)
                .Column("mood", "mood", TypeFamily.Enum, enumValues: ["ok", "sad", "happy"], engineId: 6)
                .Column("customer_id", "integer", engineId: 7))
            .Build();

        var checklist = Build(before, after);

        Assert.That(checklist.Checks.Select(c => c.Id), Is.EqualTo(new[]
        {
            "PF-null-public.items.name", "PF-length-public.items.name", "PF-scale-public.items.price", "PF-range-public.items.price",
            "PF-range-public.items.qty", "PF-conversion-public.items.code", "PF-enum-public.items.mood", "PF-unique-public.items(name)",
            "PF-check-public.items.items_qty_check", "PF-fk-public.items(customer_id)",
        }));
        Assert.That(checklist.Checks, Has.All.Matches<PreflightCheck>(c => ReadOnlyGuard.Check(c.Sql, Postgres).Allowed));
        Assert.That(Sql(checklist, "PF-length-public.items.name"), Does.Contain("WHERE char_length(\"name\") > 40"));
        Assert.That(Sql(checklist, "PF-range-public.items.qty"), Does.Contain("\"qty\" < -2147483648 OR \"qty\" > 2147483647"));
        Assert.That(Sql(checklist, "PF-range-public.items.price"), Does.Contain("abs(round(CAST(\"price\" AS numeric), 2)) >= 10000"));
        Assert.That(Sql(checklist, "PF-enum-public.items.mood"), Does.Contain("CAST(\"mood\" AS text) NOT IN ('ok', 'sad')"));
        Assert.That(Sql(checklist, "PF-check-public.items.items_qty_check"), Does.Contain("WHERE NOT ((\"qty\" > 0))"));
        Assert.That(Sql(checklist, "PF-fk-public.items(customer_id)"), Does.Contain("NOT EXISTS (SELECT 1 FROM \"public\".\"customers\" AS p WHERE p.\"id\" = c.\"customer_id\")"));
        Assert.That(Sql(checklist, "PF-unique-public.items(name)"), Does.Contain("GROUP BY \"name\"\n    HAVING count(*) > 1"));
        Assert.That(checklist.Checks.Single(c => c.Kind == CheckKind.Scale).Effect, Is.EqualTo(CheckEffect.Changes));
    }

    [Test]
    public void Casts_back_are_tested_with_pg_input_is_valid_from_PostgreSQL_16_and_by_pattern_before()
    {
        var before = Items(t => t.Column("id", nullable: false, engineId: 1).PrimaryKey(null, "id").Column("code", "integer", engineId: 2).Column("day", "date", TypeFamily.Date, engineId: 3));
        var after = Items(t => t.Column("id", nullable: false, engineId: 1).PrimaryKey(null, "id").Column("code", "text", TypeFamily.Text, engineId: 2).Column("day", "text", TypeFamily.Text, engineId: 3));

        var on16 = Build(before, after, version: "PostgreSQL 16.4");
        var on15 = Build(before, after, version: "PostgreSQL 15.6");

        Assert.That(Sql(on16, "PF-conversion-public.items.code"), Does.Contain("NOT pg_input_is_valid(\"code\", 'integer')"));
        Assert.That(Sql(on16, "PF-conversion-public.items.day"), Does.Contain("NOT pg_input_is_valid(\"day\", 'date')"));
        Assert.That(Sql(on15, "PF-conversion-public.items.code"), Does.Contain("~ E'^\\\\s*[-+]?[0-9]{1,18}\\\\s*$'").And.Contain("NOT BETWEEN -2147483648 AND 2147483647"));
        Assert.That(on15.Checks.Select(c => c.Id), Has.None.Contains(".day"), "no reliable test for dates before 16");
        Assert.That(on15.Notes.Single().Text, Does.Contain("no reliable read-only test"));
    }

    [Test]
    public void A_renamed_column_is_checked_under_its_new_name_and_a_check_on_a_dropped_column_becomes_a_note()
    {
        var before = Items(t => t.Column("id", nullable: false, engineId: 1).PrimaryKey(null, "id")
            .Column("qty", "integer", nullable: false, engineId: 2).Column("legacy", "integer", engineId: 3)
            .Check("qty_positive", "(qty > 0)").Check("legacy_small", "(legacy < 10)"));
        var after = Items(t => t.Column("id", nullable: false, engineId: 1).PrimaryKey(null, "id").Column("Quantity", "integer", engineId: 2));

        var checklist = Build(before, after);

        Assert.That(Sql(checklist, "PF-null-public.items.Quantity"), Does.Contain("WHERE \"Quantity\" IS NULL"));
        Assert.That(Sql(checklist, "PF-check-public.items.qty_positive"), Does.Contain("WHERE NOT ((\"Quantity\" > 0))"));
        Assert.That(checklist.Checks.Select(c => c.Id), Has.None.Contains("legacy"));
        Assert.That(checklist.Notes.Select(n => n.Text), Has.Some.Contains("check legacy_small").And.Some.Contains("dropped column public.items.legacy"));
        Assert.That(checklist.Notes.Single(n => n.Text.Contains("dropped column", StringComparison.Ordinal)).Irreversible, Is.True);
    }

    [Test]
    public void Data_the_rollback_discards_is_counted_new_tables_only_when_it_drops_them_defaults_left_out()
    {
        var before = Items(t => t.Column("id", nullable: false, engineId: 1).PrimaryKey(null, "id"));
        var after = new SnapshotBuilder()
            .Table("public.items", t => t.EngineId(7).Column("id", nullable: false, engineId: 1).PrimaryKey(null, "id")
                .Column("status", "text", TypeFamily.Text, nullable: false, @default: "'new'::text", engineId: 2)
                .Column("seen_at", "timestamp", TypeFamily.Timestamp, @default: "now()", engineId: 3))
            .Table("public.audit", t => t.EngineId(8).Column("id", nullable: false).PrimaryKey(null, "id"))
            .Table("public.kept", t => t.EngineId(9).Column("id", nullable: false).PrimaryKey(null, "id"))
            .Build();

        var checklist = Build(before, after, "DROP TABLE audit;\nALTER TABLE items DROP COLUMN status, DROP COLUMN seen_at;");

        Assert.That(checklist.Checks.Select(c => c.Id), Is.EquivalentTo(new[] { "PF-new-column-public.items.status", "PF-new-column-public.items.seen_at", "PF-new-table-public.audit" }));
        Assert.That(Sql(checklist, "PF-new-column-public.items.status"), Does.Contain("\"status\" IS NOT NULL AND NOT (\"status\" IS NOT DISTINCT FROM 'new'::text)"));
        Assert.That(Sql(checklist, "PF-new-column-public.items.seen_at"), Does.Contain("WHERE \"seen_at\" IS NOT NULL\n"), "a non-constant default is no baseline to compare with");
        Assert.That(checklist.Checks.Single(c => c.Kind == CheckKind.NewTableRows).Effect, Is.EqualTo(CheckEffect.Discards));
    }

    [Test]
    public void Tables_and_columns_the_rollback_renames_back_are_neither_new_nor_dropped()
    {
        var before = new SnapshotBuilder().Table("items", t => t.Column("id", nullable: false).PrimaryKey(null, "id").Column("label", "varchar(20)", TypeFamily.Text, length: 20)).Build();
        var after = new SnapshotBuilder().Table("products", t => t.Column("id", nullable: false).PrimaryKey(null, "id").Column("title", "varchar(20)", TypeFamily.Text, length: 20)).Build();

        var checklist = Build(before, after, "ALTER TABLE products RENAME COLUMN title TO label;\nRENAME TABLE products TO items;", new MySqlDialect(), "MariaDB 10.11.6");

        Assert.That(checklist.Checks, Is.Empty);
        Assert.That(checklist.Notes, Is.Empty);
    }

    [Test]
    public void Rows_the_rollback_deletes_are_counted_with_its_own_condition_unless_it_is_not_a_plain_read()
    {
        var schema = Items(t => t.Column("id", nullable: false, engineId: 1).PrimaryKey(null, "id").Column("source", "text", TypeFamily.Text, engineId: 2));

        var checklist = Build(schema, schema, "DELETE FROM items WHERE source IS NOT NULL;\nDELETE FROM items WHERE id = nextval('s');\nTRUNCATE items;");

        Assert.That(checklist.Checks.Select(c => c.Id), Is.EqualTo(new[] { "PF-deleted-public.items", "PF-deleted-public.items-2" }));
        Assert.That(checklist.Checks[0].Sql, Does.Contain("FROM \"public\".\"items\"\n    WHERE source IS NOT NULL"));
        Assert.That(checklist.Checks[1].What, Does.Contain("truncates"));
        Assert.That(checklist.Notes.Single().Text, Does.Contain("cannot run as a read-only check"));
    }

    [Test]
    public void A_sequence_the_rollback_sets_back_counts_the_keys_it_would_hand_out_again()
    {
        var schema = new SnapshotBuilder()
            .Table("public.invoices", t => t.EngineId(7).Column("id", "bigint", nullable: false, identity: IdentityKind.ByDefault, engineId: 1).PrimaryKey(null, "id"))
            .Sequence("public.invoices_id_seq", ownedBy: "public.invoices.id", start: 1)
            .Sequence("public.numbers")
            .Build();

        var restart = Build(schema, schema, "ALTER TABLE invoices ALTER COLUMN id RESTART WITH 1001;");
        var setval = Build(schema, schema, "SELECT setval('invoices_id_seq', 500);");
        var standalone = Build(schema, schema, "ALTER SEQUENCE numbers RESTART;");

        Assert.That(restart.Checks.Single().Sql, Does.Contain("WHERE \"id\" >= 1001"));
        Assert.That(restart.Checks.Single().Effect, Is.EqualTo(CheckEffect.Collides));
        Assert.That(setval.Checks.Single().Sql, Does.Contain("WHERE \"id\" >= 501"));
        Assert.That(standalone.Checks, Is.Empty);
        Assert.That(standalone.Notes.Single().Text, Does.Contain("no column owns it"));
    }

    [Test]
    public void The_checklist_file_reads_back_to_the_same_checks()
    {
        var before = Items(t => t.Column("id", nullable: false, engineId: 1).PrimaryKey(null, "id").Column("name", "text", TypeFamily.Text, nullable: false, engineId: 2));
        var after = Items(t => t.Column("id", nullable: false, engineId: 1).PrimaryKey(null, "id").Column("name", "text", TypeFamily.Text, engineId: 2));
        var checklist = Build(before, after, "DELETE FROM items WHERE name IS NULL;") with { Notes = [new ChecklistNote("public.items.x", "gone", true)] };

        var text = ChecklistFile.Render(checklist);
        var parsed = ChecklistFile.Parse(text, "/tmp/checklist.postgres.sql", Postgres);

        Assert.That(text, Does.Contain("PGOPTIONS='-c default_transaction_read_only=on").And.Contain("[irreversible] public.items.x: gone"));
        Assert.That(parsed.Checks.Select(c => (c.Id, c.Kind, c.Object, c.Sql, c.What)), Is.EqualTo(checklist.Checks.Select(c => (c.Id, c.Kind, c.Object, c.Sql, c.What))));
    }

    private static string Sql(Checklist checklist, string id) =>
        checklist.Checks.SingleOrDefault(c => c.Id == id)?.Sql ?? throw new AssertionException($"no check {id}; have {string.Join(", ", checklist.Checks.Select(c => c.Id))}; notes {string.Join(" | ", checklist.Notes.Select(n => n.Text))}");
}
