using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;
using RollbackVerifier.Seeding;
using RollbackVerifier.Tests.Diffing;

namespace RollbackVerifier.Tests.Seeding;

/// <summary>The seed plan from an inspected schema: order, written columns, reference modes, unique carriers, strictness.</summary>
public sealed class SeedPlannerTests
{
    private static SeedPlan Plan(SchemaSnapshot schema, SeedSettings? settings = null) =>
        SeedPlanner.Plan(schema, settings ?? SeedSettings.Default, SeedPhase.PreExisting, EngineKind.Postgres);

    private static SeedSettings WithColumn(string table, string column, ColumnSeedOverride spec) =>
        SeedSettings.Default with
        {
            Tables = new Dictionary<string, TableSeedSettings>
            {
                [table] = new TableSeedSettings(null, null, false) { Columns = new Dictionary<string, ColumnSeedOverride> { [column] = spec } },
            },
        };

    private static ColumnSeedOverride Override(string? value = null, bool hasValue = false, IReadOnlyList<string?>? values = null, (string, string)? range = null, string? dataset = null, double? nulls = null) =>
        new("scenario.yml:7", hasValue, value, values?.ToValueList(), range, dataset, nulls);

    [Test]
    public void Tables_come_in_foreign_key_order_and_identity_and_generated_columns_are_not_written()
    {
        var schema = SnapshotBuilder.Baseline();
        var plan = Plan(schema);

        Assert.That(plan.Tables.Select(t => t.Table.Name.Name), Is.EqualTo(new[] { "customers", "orders" }));
        var customers = plan.Tables[0];
        Assert.That(customers.Columns.Select(c => c.Name), Is.EqualTo(new[] { "email", "name", "created_at" }), "id is GENERATED ALWAYS AS IDENTITY");
        var orders = plan.Tables[1];
        Assert.That(orders.Columns.Select(c => c.Name), Does.Not.Contain("id"), "serial id is left to its sequence");
        Assert.That(orders.References.Single().Mode, Is.EqualTo(ReferenceMode.Random));
    }

    [Test]
    public void A_NOT_NULL_column_no_generator_can_fill_is_a_planning_error_naming_table_and_column()
    {
        var schema = new SnapshotBuilder().Table("public.places", t => t
            .Column("id", nullable: false).PrimaryKey(null, "id")
            .Column("location", "point", TypeFamily.Other, nullable: false)).Build();

        var ex = Assert.Throws<RollbackVerifierException>(() => Plan(schema));
        Assert.That(ex!.Message, Does.Contain("public.places").And.Contain("location").And.Contain("point").And.Contain("seed.tables.places.columns.location"));
    }

    [Test]
    public void Unknown_types_are_left_out_when_nullable_or_defaulted_and_written_when_overridden()
    {
        var schema = new SnapshotBuilder().Table("public.places", t => t
            .Column("id", nullable: false).PrimaryKey(null, "id")
            .Column("area", "polygon", TypeFamily.Other)
            .Column("location", "point", TypeFamily.Other, nullable: false)).Build();

        var plan = Plan(schema, WithColumn("places", "location", Override("(1,2)", hasValue: true)));

        Assert.That(plan.Tables[0].Columns.Select(c => c.Name), Is.EqualTo(new[] { "id", "location" }));
        var generator = plan.Tables[0].CreateGenerator(1, SeedPhase.PreExisting, new Pools(), 0);
        Assert.That(generator.Next(0)[1], Is.EqualTo("(1,2)"));
    }

    [Test]
    public void An_override_naming_a_missing_column_is_an_error_with_its_location()
    {
        var ex = Assert.Throws<RollbackVerifierException>(() => Plan(SnapshotBuilder.Baseline(), WithColumn("customers", "nickname", Override("x", hasValue: true))));
        Assert.That(ex!.Message, Does.StartWith("scenario.yml:7").And.Contain("no column nickname"));
    }

    [Test]
    public void Self_references_are_deferred_when_nullable_and_in_row_when_the_key_is_written()
    {
        var schema = new SnapshotBuilder()
            .Table("public.categories", t => t
                .Column("id", nullable: false).PrimaryKey(null, "id")
                .Column("parent_id")
                .ForeignKey("fk_parent", ["parent_id"], "public.categories", ["id"]))
            .Table("public.nodes", t => t
                .Column("id", nullable: false).PrimaryKey(null, "id")
                .Column("root_id", nullable: false)
                .ForeignKey("fk_root", ["root_id"], "public.nodes", ["id"]))
            .Build();

        var plan = Plan(schema);

        Assert.That(plan.Tables.Single(t => t.Table.Name.Name == "categories").References.Single().Mode, Is.EqualTo(ReferenceMode.Deferred));
        Assert.That(plan.Deferred.Select(d => d.Table.Name.Name), Is.EqualTo(new[] { "categories" }));
        var nodes = plan.Tables.Single(t => t.Table.Name.Name == "nodes");
        Assert.That(nodes.References.Single().Mode, Is.EqualTo(ReferenceMode.InRow));

        var generator = nodes.CreateGenerator(3, SeedPhase.PreExisting, new Pools(), 0);
        var rows = Enumerable.Range(0, 20).Select(i => generator.Next(i)).ToList();
        var ids = rows.Select(r => r[0]).ToHashSet();
        Assert.That(rows.All(r => ids.Contains(r[1])), Is.True, "every root_id points at a row of the batch");
    }

    [Test]
    public void A_NOT_NULL_self_reference_to_a_database_generated_key_is_a_planning_error()
    {
        var schema = new SnapshotBuilder().Table("public.nodes", t => t
            .Column("id", "bigint", nullable: false, identity: IdentityKind.Always).PrimaryKey(null, "id")
            .Column("root_id", "bigint", nullable: false)
            .ForeignKey("fk_root", ["root_id"], "public.nodes", ["id"])).Build();

        var ex = Assert.Throws<RollbackVerifierException>(() => Plan(schema));
        Assert.That(ex!.Message, Does.Contain("public.nodes").And.Contain("fk_root"));
    }

    [Test]
    public void A_cycle_through_NOT_NULL_keys_names_the_tables()
    {
        var schema = new SnapshotBuilder()
            .Table("public.a", t => t.Column("id", nullable: false).PrimaryKey(null, "id").Column("b_id", nullable: false).ForeignKey("a_b", ["b_id"], "public.b", ["id"]))
            .Table("public.b", t => t.Column("id", nullable: false).PrimaryKey(null, "id").Column("a_id", nullable: false).ForeignKey("b_a", ["a_id"], "public.a", ["id"]))
            .Build();

        var ex = Assert.Throws<RollbackVerifierException>(() => Plan(schema));
        Assert.That(ex!.Message, Does.Contain("public.a").And.Contain("public.b"));
    }

    [Test]
    public void A_cycle_through_a_nullable_key_is_broken_there_and_filled_afterwards()
    {
        var schema = new SnapshotBuilder()
            .Table("public.a", t => t.Column("id", nullable: false).PrimaryKey(null, "id").Column("b_id").ForeignKey("a_b", ["b_id"], "public.b", ["id"]))
            .Table("public.b", t => t.Column("id", nullable: false).PrimaryKey(null, "id").Column("a_id", nullable: false).ForeignKey("b_a", ["a_id"], "public.a", ["id"]))
            .Build();

        var plan = Plan(schema);

        Assert.That(plan.Tables.Select(t => t.Table.Name.Name), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(plan.Deferred.Single().Key.Name, Is.EqualTo("a_b"));
        Assert.That(plan.Tables[1].References.Single().Mode, Is.EqualTo(ReferenceMode.Random));
    }

    [Test]
    public void Unique_foreign_keys_are_sequential_and_unique_pairs_of_foreign_keys_enumerate_combinations()
    {
        var schema = new SnapshotBuilder()
            .Table("public.users", t => t.Column("id", nullable: false).PrimaryKey(null, "id"))
            .Table("public.tags", t => t.Column("id", nullable: false).PrimaryKey(null, "id"))
            .Table("public.profiles", t => t
                .Column("id", nullable: false).PrimaryKey(null, "id")
                .Column("user_id", nullable: false).Unique("profiles_user_key", "user_id")
                .ForeignKey("profiles_user", ["user_id"], "public.users", ["id"]))
            .Table("public.user_tags", t => t
                .Column("user_id", nullable: false).Column("tag_id", nullable: false).PrimaryKey(null, "user_id", "tag_id")
                .ForeignKey("ut_user", ["user_id"], "public.users", ["id"])
                .ForeignKey("ut_tag", ["tag_id"], "public.tags", ["id"]))
            .Build();

        var plan = Plan(schema);

        Assert.That(plan.Tables.Single(t => t.Table.Name.Name == "profiles").References.Single().Mode, Is.EqualTo(ReferenceMode.Sequential));
        var userTags = plan.Tables.Single(t => t.Table.Name.Name == "user_tags");
        Assert.That(userTags.References.Select(r => r.Mode), Is.All.EqualTo(ReferenceMode.Combination));

        var pools = new Pools
        {
            ["ut_user"] = Enumerable.Range(1, 5).Select(i => new object?[] { (long)i }).ToList(),
            ["ut_tag"] = Enumerable.Range(1, 4).Select(i => new object?[] { (long)i }).ToList(),
        };
        var generator = userTags.CreateGenerator(1, SeedPhase.PreExisting, pools, 0);
        var pairs = Enumerable.Range(0, 20).Select(i => generator.Next(i)).Select(r => (r[0], r[1])).ToList();
        Assert.That(pairs.Distinct().Count(), Is.EqualTo(20), "5 users x 4 tags give 20 distinct pairs");
    }

    [Test]
    public void Each_unique_key_gets_one_carrier_column_and_primary_key_columns_are_never_null()
    {
        var schema = new SnapshotBuilder().Table("public.users", t => t
            .Column("id", nullable: true).PrimaryKey(null, "id")
            .Column("tenant", nullable: false)
            .Column("email", "character varying(8)", TypeFamily.Text, nullable: false, length: 8)
            .Unique("users_tenant_email", "tenant", "email")
            .Column("login", "text", TypeFamily.Text)
            .Index("users_login_lower", ["lower(login)"], unique: true)).Build();

        var plan = Plan(schema).Tables.Single();
        var unique = plan.Columns.Select((c, i) => (c.Name, plan.Rules[i].Unique)).Where(x => x.Unique).Select(x => x.Name);
        Assert.That(unique, Is.EquivalentTo(new[] { "id", "tenant", "login" }));
        Assert.That(plan.Rules[0].Nullable, Is.False);

        var generator = plan.CreateGenerator(5, SeedPhase.PreExisting, new Pools(), 0);
        var rows = Enumerable.Range(0, 500).Select(i => generator.Next(i)).ToList();
        Assert.That(rows.Select(r => r[0]).Distinct().Count(), Is.EqualTo(500));
        Assert.That(rows.Select(r => ((string?)r[3])?.ToLowerInvariant()).Where(v => v is not null).Distinct().Count(), Is.EqualTo(rows.Count(r => r[3] is not null)));
        Assert.That(rows.All(r => r[0] is not null), Is.True);
        Assert.That(rows.All(r => ((string)r[2]!).Length <= 8), Is.True);
    }

    [Test]
    public void Unique_integers_use_the_whole_range_of_a_small_type_and_one_to_one_rows_skip_used_parents()
    {
        var schema = new SnapshotBuilder()
            .Table("public.users", t => t.Column("id", nullable: false).PrimaryKey(null, "id"))
            .Table("public.flags", t => t.Column("id", "tinyint", nullable: false).PrimaryKey(null, "id"))
            .Table("public.profiles", t => t
                .Column("id", nullable: false).PrimaryKey(null, "id")
                .Column("user_id", nullable: false).Unique("profiles_user_key", "user_id")
                .ForeignKey("profiles_user", ["user_id"], "public.users", ["id"]))
            .Build();
        var plan = Plan(schema);

        var flags = plan.Tables.Single(t => t.Table.Name.Name == "flags").CreateGenerator(1, SeedPhase.PreExisting, new Pools(), 0);
        Assert.That(Enumerable.Range(0, 256).Select(i => flags.Next(i)[0]).Distinct().Count(), Is.EqualTo(256));

        var pools = new Pools { ["profiles_user"] = Enumerable.Range(1, 10).Select(i => new object?[] { (long)i }).ToList() };
        var profiles = plan.Tables.Single(t => t.Table.Name.Name == "profiles").CreateGenerator(1, SeedPhase.Live, pools, 100, existingRows: 6);
        Assert.That(Enumerable.Range(0, 4).Select(i => profiles.Next(i)[1]), Is.EqualTo(new object[] { 7L, 8L, 9L, 10L }));
    }

    [Test]
    public void Row_counts_come_from_the_scenario_and_per_table_overrides()
    {
        var settings = SeedSettings.Default with
        {
            Rows = 7,
            Tables = new Dictionary<string, TableSeedSettings> { ["orders"] = new(3, null, false), ["public.customers"] = new(null, null, true) },
        };

        var plan = Plan(SnapshotBuilder.Baseline(), settings);

        Assert.That(plan.Tables.Select(t => (t.Table.Name.Name, t.RowCount)), Is.EqualTo(new[] { ("orders", 3) }));
    }

    /// <summary>Parent keys by foreign-key name.</summary>
    private sealed class Pools : Dictionary<string, IReadOnlyList<object?[]>>, IKeyPools
    {
        public IReadOnlyList<object?[]> Get(ForeignKey key) => TryGetValue(key.Name ?? string.Empty, out var pool) ? pool : [];
    }
}
