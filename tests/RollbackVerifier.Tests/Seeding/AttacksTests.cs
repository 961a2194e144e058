using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios;
using RollbackVerifier.Seeding;
using RollbackVerifier.Tests.Diffing;

namespace RollbackVerifier.Tests.Seeding;

/// <summary>Which adversarial live rows a forward migration's relaxation allows, and the values they write.</summary>
public sealed class AttacksTests
{
    private static SchemaSnapshot Items(Action<TableBuilder> build) => new SnapshotBuilder().Table("public.items", build).Build();

    private static IReadOnlyList<Attack> Find(SchemaSnapshot before, SchemaSnapshot after) =>
        Attacks.Find(before.Tables.Single(t => t.Name.Name == "items"), after.Tables.Single(t => t.Name.Name == "items"), before, after, EngineKind.Postgres);

    /// <summary>Applies the attack of <paramref name="kind"/> to generated live rows of the new table.</summary>
    private static List<object?[]> Rows(SchemaSnapshot before, SchemaSnapshot after, AttackKind kind, IReadOnlyList<string?[]>? existing = null, string? column = null)
    {
        var plan = SeedPlanner.Plan(after, SeedSettings.Default, SeedPhase.Live, EngineKind.Postgres, before).Tables.Single(t => t.Table.Name.Name == "items");
        var generator = plan.CreateGenerator(1, SeedPhase.Live, new NoPools(), 1000);
        var attack = plan.Attacks.Single(a => a.Kind == kind && (column is null || a.Columns.Contains(column)));
        var context = new AttackContext(plan.Columns, existing ?? [], plan.Table, generator);
        var rows = new List<object?[]>();
        for (var n = 0; n < 5; n++)
        {
            var row = generator.Next(n, edges: false);
            Assert.That(attack.Apply(context, row, n), Is.True);
            rows.Add(row);
        }

        return rows;
    }

    private static object? Value(SchemaSnapshot after, object?[] row, string column)
    {
        var plan = SeedPlanner.Plan(after, SeedSettings.Default, SeedPhase.Live, EngineKind.Postgres).Tables.Single(t => t.Table.Name.Name == "items");
        return row[plan.Columns.IndexOfColumn(column)];
    }

    [Test]
    public void Longer_strings_where_the_forward_widened_a_column()
    {
        var before = Items(t => t.Column("id", nullable: false).PrimaryKey(null, "id").Column("name", "character varying(40)", TypeFamily.Text, nullable: false, length: 40));
        var after = Items(t => t.Column("id", nullable: false).PrimaryKey(null, "id").Column("name", "character varying(200)", TypeFamily.Text, nullable: false, length: 200));

        var rows = Rows(before, after, AttackKind.Length);
        Assert.That(rows.Select(r => ((string)Value(after, r, "name")!).Length), Has.All.InRange(41, 200));
        Assert.That(Find(before, after).Single(a => a.Kind == AttackKind.Length).Description, Does.Contain("longer than 40"));
    }

    [Test]
    public void NULLs_decimals_and_magnitudes_where_the_forward_relaxed_them()
    {
        var before = Items(t => t.Column("id", nullable: false).PrimaryKey(null, "id")
            .Column("qty", "integer", nullable: false)
            .Column("price", "numeric(6,2)", TypeFamily.Decimal, nullable: false, precision: 6, scale: 2));
        var after = Items(t => t.Column("id", nullable: false).PrimaryKey(null, "id")
            .Column("qty", "bigint")
            .Column("price", "numeric(12,4)", TypeFamily.Decimal, nullable: false, precision: 12, scale: 4));

        var kinds = Find(before, after).Select(a => (a.Kind, string.Join(",", a.Columns))).ToList();
        Assert.That(kinds, Does.Contain((AttackKind.Null, "qty")).And.Contain((AttackKind.Magnitude, "qty")).And.Contain((AttackKind.Scale, "price")).And.Contain((AttackKind.Magnitude, "price")));
        Assert.That(Rows(before, after, AttackKind.Null).Select(r => Value(after, r, "qty")), Has.All.Null);
        Assert.That(Rows(before, after, AttackKind.Scale).Select(r => (decimal)Value(after, r, "price")!), Has.All.Matches<decimal>(d => decimal.Round(d, 2) != d));
        Assert.That(Rows(before, after, AttackKind.Magnitude, column: "qty").Select(r => (long)Value(after, r, "qty")!), Has.All.GreaterThan((long)int.MaxValue));
        Assert.That(Rows(before, after, AttackKind.Magnitude, column: "price").Select(r => (decimal)Value(after, r, "price")!), Has.All.GreaterThan(9999.99m));
    }

    [Test]
    public void Text_that_does_not_convert_back_and_enum_labels_the_old_type_lacks()
    {
        var before = Items(t => t.Column("id", nullable: false).PrimaryKey(null, "id").Column("code", "integer", nullable: false)
            .Column("mood", "mood", TypeFamily.Enum, nullable: false, enumValues: ["ok", "sad"]));
        var after = Items(t => t.Column("id", nullable: false).PrimaryKey(null, "id").Column("code", "text", TypeFamily.Text, nullable: false)
            .Column("mood", "mood", TypeFamily.Enum, nullable: false, enumValues: ["ok", "sad", "happy"]));

        Assert.That(Rows(before, after, AttackKind.Conversion).Select(r => (string)Value(after, r, "code")!), Has.All.Not.Match("^[0-9]+$"));
        Assert.That(Rows(before, after, AttackKind.EnumLabel).Select(r => Value(after, r, "mood")), Has.All.EqualTo("happy"));
    }

    [Test]
    public void Duplicates_where_a_unique_key_was_dropped_and_not_where_another_still_holds()
    {
        var before = Items(t => t.Column("id", nullable: false).PrimaryKey(null, "id").Column("email", "text", TypeFamily.Text, nullable: false).Unique("items_email_key", "email").Column("sku", "text", TypeFamily.Text).Unique("items_sku_key", "sku"));
        var after = Items(t => t.Column("id", nullable: false).PrimaryKey(null, "id").Column("email", "text", TypeFamily.Text, nullable: false).Column("sku", "text", TypeFamily.Text).Index("items_sku_idx", ["sku"], unique: true));

        var duplicates = Find(before, after).Where(a => a.Kind == AttackKind.Duplicate).ToList();
        Assert.That(duplicates.Select(a => a.Columns.Single()), Is.EqualTo(new[] { "email" }), "sku is still unique through an index");
        var rows = Rows(before, after, AttackKind.Duplicate, existing: [["1", "taken@example.com", null]]);
        Assert.That(rows.Select(r => Value(after, r, "email")), Has.All.EqualTo("taken@example.com"));
    }

    [Test]
    public void Orphans_where_a_foreign_key_was_dropped()
    {
        var before = new SnapshotBuilder()
            .Table("public.owners", t => t.Column("id", nullable: false).PrimaryKey(null, "id"))
            .Table("public.items", t => t.Column("id", nullable: false).PrimaryKey(null, "id").Column("owner_id", nullable: false).ForeignKey("items_owner", ["owner_id"], "public.owners", ["id"]))
            .Build();
        var after = new SnapshotBuilder()
            .Table("public.owners", t => t.Column("id", nullable: false).PrimaryKey(null, "id"))
            .Table("public.items", t => t.Column("id", nullable: false).PrimaryKey(null, "id").Column("owner_id", nullable: false))
            .Build();

        var orphan = Find(before, after).Single(a => a.Kind == AttackKind.Orphan);
        Assert.That(orphan.Description, Does.Contain("items_owner"));
        Assert.That(Rows(before, after, AttackKind.Orphan).Select(r => (long)Value(after, r, "owner_id")!), Has.All.LessThan(0L), "negative keys: parents count up from 1");
    }

    [Test]
    public void Nothing_but_edge_rows_when_nothing_was_relaxed()
    {
        var schema = Items(t => t.Column("id", nullable: false).PrimaryKey(null, "id").Column("name", "character varying(40)", TypeFamily.Text, length: 40));
        Assert.That(Find(schema, schema).Select(a => a.Kind), Is.EqualTo(new[] { AttackKind.Edge }));
    }

    [Test]
    public void A_failed_rollback_statement_is_explained_by_the_live_rows_on_the_columns_it_names()
    {
        SeedAttack Attack(string kind, string column, string description) => new(kind, column.Length == 0 ? [] : [column], description, 5, 0, null);
        var seeding = new[]
        {
            new SeedTableSummary("public.items", "live", 10, 0, 0, 0, null, [Attack("edge", "", "edge values"), Attack("null", "note", "note NULL"), Attack("length", "name", "name longer than 40 characters")]),
            new SeedTableSummary("public.owners", "live", 10, 0, 0, 0, null, [Attack("length", "name", "owner name longer")]),
        };

        var causes = AttackAttribution.For("ALTER TABLE items ALTER COLUMN name TYPE varchar(40)", seeding);
        Assert.That(causes.Select(c => c.Description), Is.EqualTo(new[] { "name longer than 40 characters" }));
        Assert.That(AttackAttribution.Sentence(causes[0]), Is.EqualTo("5 rows written after the forward migration have name longer than 40 characters"));

        var general = AttackAttribution.For("ALTER TABLE items ADD CONSTRAINT items_ok CHECK (qty > 0)", seeding);
        Assert.That(general.Select(c => c.Kind), Is.EqualTo(new[] { "null", "length", "edge" }), "edge rows come last");
        Assert.That(AttackAttribution.For("DROP TABLE categories", seeding), Is.Empty);
        var order = new[] { new SeedTableSummary("order", "live", 1, 0, 0, 0, null, [Attack("null", "note", "note NULL")]) };
        Assert.That(AttackAttribution.For("SELECT id FROM items ORDER BY id", order), Is.Empty, "ORDER BY does not name a table called order");
        Assert.That(AttackAttribution.For("ALTER TABLE \"order\" ALTER note SET NOT NULL", order), Has.Count.EqualTo(1));
    }

    [Test]
    public void Well_behaved_live_rows_respect_the_old_schema_so_only_attack_rows_break_it()
    {
        var before = new SnapshotBuilder()
            .Table("public.users", t => t.Column("id", nullable: false).PrimaryKey(null, "id"))
            .Table("public.items", t => t.Column("id", nullable: false).PrimaryKey(null, "id")
                .Column("note", "character varying(40)", TypeFamily.Text, nullable: false, length: 40)
                .Column("qty", "integer", nullable: false).Check("items_qty", "qty >= 1 AND qty <= 10")
                .Column("code", "integer", nullable: false)
                .Column("user_id", nullable: false).ForeignKey("items_user", ["user_id"], "public.users", ["id"]))
            .Build();
        var after = new SnapshotBuilder()
            .Table("public.users", t => t.Column("id", nullable: false).PrimaryKey(null, "id"))
            .Table("public.items", t => t.Column("id", nullable: false).PrimaryKey(null, "id")
                .Column("note", "text", TypeFamily.Text)
                .Column("qty", "integer", nullable: false)
                .Column("code", "text", TypeFamily.Text, nullable: false)
                .Column("user_id", nullable: false))
            .Build();

        var plan = SeedPlanner.Plan(after, SeedSettings.Default, SeedPhase.Live, EngineKind.Postgres, before).Tables.Single(t => t.Table.Name.Name == "items");
        var pools = new FixedPools([[7L], [8L]]);
        var generator = plan.CreateGenerator(1, SeedPhase.Live, pools, 1000);
        var rows = Enumerable.Range(0, 200).Select(i => generator.Next(i, edges: false)).ToList();
        object? V(object?[] row, string column) => row[plan.Columns.IndexOfColumn(column)];

        Assert.Multiple(() =>
        {
            Assert.That(rows.Select(r => V(r, "note")), Has.All.Not.Null.And.All.Matches<string>(s => s.Length <= 40));
            Assert.That(rows.Select(r => V(r, "qty")), Has.All.InRange(1L, 10L));
            Assert.That(rows.Select(r => V(r, "code")), Has.All.Matches<string>(s => long.TryParse(s, out _)), "codes stay numbers, as text");
            Assert.That(rows.Select(r => V(r, "user_id")), Has.All.AnyOf(7L, 8L), "the dropped foreign key still guides well-behaved rows");
            Assert.That(plan.Attacks.Select(a => a.Kind), Does.Contain(AttackKind.Null).And.Contain(AttackKind.Length).And.Contain(AttackKind.Check).And.Contain(AttackKind.Orphan).And.Contain(AttackKind.Conversion));
        });
    }

    [Test]
    public void Scale_attacks_fit_the_new_precision_and_unconstrained_numeric_is_attacked_too()
    {
        var before = Items(t => t.Column("id", nullable: false).PrimaryKey(null, "id").Column("price", "numeric(3,2)", TypeFamily.Decimal, nullable: false, precision: 3, scale: 2));
        var narrow = Items(t => t.Column("id", nullable: false).PrimaryKey(null, "id").Column("price", "numeric(4,3)", TypeFamily.Decimal, nullable: false, precision: 4, scale: 3));
        var free = Items(t => t.Column("id", nullable: false).PrimaryKey(null, "id").Column("price", "numeric", TypeFamily.Decimal, nullable: false));

        var values = Rows(before, narrow, AttackKind.Scale).Select(r => (decimal)Value(narrow, r, "price")!).ToList();
        Assert.That(values, Has.All.LessThan(10m).And.All.Matches<decimal>(d => decimal.Round(d, 2) != d));
        Assert.That(Find(before, free).Select(a => a.Kind), Does.Contain(AttackKind.Scale));
    }

    [Test]
    public void SQLite_gets_no_attacks_on_limits_it_does_not_enforce()
    {
        var before = Items(t => t.Column("id", nullable: false).PrimaryKey(null, "id").Column("name", "VARCHAR(40)", TypeFamily.Text, length: 40).Column("n", "INT"));
        var after = Items(t => t.Column("id", nullable: false).PrimaryKey(null, "id").Column("name", "VARCHAR(200)", TypeFamily.Text, length: 200).Column("n", "BIGINT"));

        var kinds = Attacks.Find(before.Tables[0], after.Tables[0], before, after, EngineKind.Sqlite).Select(a => a.Kind);
        Assert.That(kinds, Is.EqualTo(new[] { AttackKind.Edge }));
    }

    [Test]
    public void A_check_attack_never_writes_a_value_the_old_check_accepted()
    {
        var before = Items(t => t.Column("id", nullable: false).PrimaryKey(null, "id").Column("qty", "integer", nullable: false).Check("items_qty", "qty >= 0"));
        var after = Items(t => t.Column("id", nullable: false).PrimaryKey(null, "id").Column("qty", "integer", nullable: false));

        var rows = Rows(before, after, AttackKind.Check);
        Assert.That(rows.Select(r => (long)Value(after, r, "qty")!), Has.All.LessThan(0L));
    }

    private sealed class FixedPools(List<object?[]> pool) : IKeyPools
    {
        public IReadOnlyList<object?[]> Get(ForeignKey key) => pool;
    }

    private sealed class NoPools : IKeyPools
    {
        public IReadOnlyList<object?[]> Get(ForeignKey key) => [];
    }
}
