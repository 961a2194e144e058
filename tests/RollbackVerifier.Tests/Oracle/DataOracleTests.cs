using RollbackVerifier.Diffing;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using static RollbackVerifier.Tests.Oracle.OracleRun;

namespace RollbackVerifier.Tests.Oracle;

public sealed class DataOracleTests
{
    private const string S0 = "s0";
    private const string S1 = "s1";
    private const string S1p = "s1p";
    private const string S2 = "s2";
    private static readonly string[] All = [S0, S1, S1p, S2];

    private static SchemaSnapshot Items(bool extra = false, string priceType = "numeric(10,2)") =>
        new OracleSnapshotBuilder().Table("items", t =>
        {
            t.Column("id", TypeFamily.Integer, nullable: false).Column("name").Column("price", TypeFamily.Decimal, dataType: priceType).Key("id");
            if (extra)
            {
                t.Column("extra");
            }
        }).Build();

    private static Finding Single(IReadOnlyList<Finding> findings, string code)
    {
        var matching = findings.Where(f => f.Code == code).ToList();
        Assert.That(matching, Has.Count.EqualTo(1), findings.Describe());
        return matching[0];
    }

    // ------------------------------------------------------------------ correct rollbacks

    [Test]
    public async Task Correct_rollback_of_a_type_change_has_no_findings()
    {
        var findings = await new OracleRun { S0 = Items(), S1 = Items(priceType: "numeric(12,4)"), S2 = Items() }
            .Rows(All, "items", R("1", "apple", "12.3"), R("2", "pear", "5"), R("3", "plum", null))
            .CheckAsync();

        Assert.That(findings, Is.Empty, findings.Describe());
    }

    [Test]
    public async Task Live_inserts_updates_and_deletes_kept_by_the_rollback_have_no_findings()
    {
        var findings = await new OracleRun { S0 = Items(), S1 = Items(extra: true), S2 = Items() }
            .Rows(S0, "items", R("1", "apple", "1"), R("2", "pear", "2"), R("3", "plum", "3"))
            .Rows(S1, "items", R("1", "apple", "1", null), R("2", "pear", "2", null), R("3", "plum", "3", null))
            .Rows(S1p, "items", R("1", "APPLE", "1.5", null), R("3", "plum", "3", null), R("4", "fig", "4", null))
            .Rows(S2, "items", R("1", "APPLE", "1.5"), R("3", "plum", "3"), R("4", "fig", "4"))
            .CheckAsync();

        Assert.That(findings, Is.Empty, findings.Describe());
    }

    [Test]
    public async Task Rows_the_forward_deleted_may_come_back_and_rows_it_inserted_may_go()
    {
        // The forward archives rows 1-2 and inserts a reference row 9; the rollback undoes both.
        var findings = await new OracleRun { S0 = Items(), S1 = Items(extra: true), S2 = Items() }
            .Rows(S0, "items", R("1", "a", "1"), R("2", "b", "2"), R("3", "c", "3"))
            .Rows([S1, S1p], "items", R("3", "c", "3", null), R("9", "reference", "0", null))
            .Rows(S2, "items", R("1", "a", "1"), R("2", "b", "2"), R("3", "c", "3"))
            .CheckAsync();

        Assert.That(findings, Is.Empty, findings.Describe());
    }

    // ------------------------------------------------------------------ rows

    [Test]
    public async Task Rollback_that_deletes_live_rows_reports_rows_lost()
    {
        var findings = await new OracleRun { S0 = Items(), S1 = Items(extra: true), S2 = Items() }
            .Rows(S0, "items", R("1", "a", "1"), R("2", "b", "2"))
            .Rows(S1, "items", R("1", "a", "1", null), R("2", "b", "2", null))
            .Rows(S1p, "items", R("1", "a", "1", null), R("2", "b", "2", null), R("3", "c", "3", "x"), R("4", "d", "4", "y"), R("5", "e", "5", null))
            .Rows(S2, "items", R("1", "a", "1"), R("2", "b", "2"), R("5", "e", "5"))
            .CheckAsync();

        var lost = Single(findings, "RV301");
        Assert.Multiple(() =>
        {
            Assert.That(lost.Object, Is.EqualTo("items"));
            Assert.That(lost.Severity, Is.EqualTo(Severity.Error));
            Assert.That(lost.Evidence.Count, Is.EqualTo(2));
            Assert.That(lost.Evidence.SampleKeys, Is.EqualTo(new[] { "id=3", "id=4" }));
            Assert.That(findings.Where(f => f.Severity == Severity.Error).Select(f => f.Code), Is.EqualTo(new[] { "RV301" }), findings.Describe());
        });
    }

    [Test]
    public async Task Resurrected_and_invented_rows_are_reported_as_rows_added()
    {
        var findings = await new OracleRun { S0 = Items(), S1 = Items(extra: true), S2 = Items() }
            .Rows(S0, "items", R("1", "a", "1"), R("2", "b", "2"), R("3", "c", "3"))
            .Rows(S1, "items", R("1", "a", "1", null), R("2", "b", "2", null), R("3", "c", "3", null))
            .Rows(S1p, "items", R("1", "a", "1", null), R("3", "c", "3", null))
            .Rows(S2, "items", R("1", "a", "1"), R("2", "b", "2"), R("3", "c", "3"), R("8", "new", "8"))
            .CheckAsync();

        var added = Single(findings, "RV302");
        Assert.Multiple(() =>
        {
            Assert.That(findings, Has.Count.EqualTo(1), findings.Describe());
            Assert.That(added.Object, Is.EqualTo("items"));
            Assert.That(added.Evidence.Count, Is.EqualTo(2));
            Assert.That(added.Evidence.SampleKeys, Is.EqualTo(new[] { "id=2", "id=8" }));
        });
    }

    // ------------------------------------------------------------------ values

    [Test]
    public async Task Rounded_live_values_are_reported_but_equal_canonical_values_are_not()
    {
        var findings = await new OracleRun { S0 = Items(), S1 = Items(priceType: "numeric(12,4)"), S2 = Items() }
            .Rows([S0, S1], "items", R("1", "a", "12.3"), R("2", "b", "5"))
            .Rows(S1p, "items", R("1", "a", "12.3"), R("2", "b", "5"), R("3", "c", "1.2345"), R("4", "d", "12.3"))
            .Rows(S2, "items", R("1", "a", "12.3"), R("2", "b", "5"), R("3", "c", "1.23"), R("4", "d", "12.3"))
            .CheckAsync();

        var changed = Single(findings, "RV303");
        Assert.Multiple(() =>
        {
            Assert.That(findings, Has.Count.EqualTo(1), findings.Describe());
            Assert.That(changed.Object, Is.EqualTo("items.price"));
            Assert.That(changed.Evidence.Count, Is.EqualTo(1));
            Assert.That(changed.Before, Is.EqualTo("1.2345"));
            Assert.That(changed.After, Is.EqualTo("1.23"));
            Assert.That(changed.Evidence.SampleKeys, Is.EqualTo(new[] { "id=3" }));
        });
    }

    [Test]
    public async Task Rollback_that_overwrites_live_updates_reports_values_changed()
    {
        var findings = await new OracleRun { S0 = Items(), S1 = Items(extra: true), S2 = Items() }
            .Rows(S0, "items", R("1", "a", "1"), R("2", "b", "2"))
            .Rows(S1, "items", R("1", "a", "1", null), R("2", "b", "2", null))
            .Rows(S1p, "items", R("1", "a-live", "1", null), R("2", "b", "2", null))
            .Rows(S2, "items", R("1", "a", "1"), R("2", "b", "2"))
            .CheckAsync();

        var changed = Single(findings, "RV303");
        Assert.Multiple(() =>
        {
            Assert.That(changed.Object, Is.EqualTo("items.name"));
            Assert.That(changed.Evidence.Count, Is.EqualTo(1));
            Assert.That((changed.Before, changed.After), Is.EqualTo(("a-live", "a")));
        });
    }

    // ------------------------------------------------------------------ data the forward removed

    private static SchemaSnapshot Customers(bool country) =>
        new OracleSnapshotBuilder().Table("customers", t =>
        {
            t.Column("id", TypeFamily.Integer, nullable: false).Column("name");
            if (country)
            {
                t.Column("country");
            }

            t.Key("id");
        }).Build();

    [Test]
    public async Task Dropped_column_re_added_empty_reports_dropped_data_for_pre_existing_rows_only()
    {
        var findings = await new OracleRun { S0 = Customers(true), S1 = Customers(false), S2 = Customers(true) }
            .Rows(S0, "customers", R("1", "ann", "NL"), R("2", "bob", "DE"), R("3", "cy", null))
            .Rows(S1, "customers", R("1", "ann"), R("2", "bob"), R("3", "cy"))
            .Rows(S1p, "customers", R("1", "ann"), R("2", "bob-live"), R("3", "cy"), R("4", "dan"))
            .Rows(S2, "customers", R("1", "ann", null), R("2", "bob-live", null), R("3", "cy", null), R("4", "dan", null))
            .CheckAsync();

        var dropped = Single(findings, "RV304");
        Assert.Multiple(() =>
        {
            Assert.That(findings, Has.Count.EqualTo(1), findings.Describe());
            Assert.That(dropped.Object, Is.EqualTo("customers.country"));
            Assert.That(dropped.Evidence.Count, Is.EqualTo(2), "row 3 had NULL before; row 4 was inserted live");
            Assert.That(dropped.Evidence.SampleKeys, Is.EqualTo(new[] { "id=1", "id=2" }));
            Assert.That((dropped.Before, dropped.After), Is.EqualTo(("NL", (string?)null)));
            Assert.That(dropped.Message, Does.Contain("dropped column customers.country").And.Contain("unrecoverable"));
        });
    }

    [Test]
    public async Task Dropped_column_restored_from_a_backup_has_no_findings()
    {
        var findings = await new OracleRun { S0 = Customers(true), S1 = Customers(false), S2 = Customers(true) }
            .Rows(S0, "customers", R("1", "ann", "NL"), R("2", "bob", "DE"))
            .Rows(S1, "customers", R("1", "ann"), R("2", "bob"))
            .Rows(S1p, "customers", R("1", "ann"), R("2", "bob"), R("4", "dan"))
            .Rows(S2, "customers", R("1", "ann", "NL"), R("2", "bob", "DE"), R("4", "dan", null))
            .CheckAsync();

        Assert.That(findings, Is.Empty, findings.Describe());
    }

    [Test]
    public async Task Dropped_table_recreated_empty_or_changed_reports_dropped_data()
    {
        var withAudit = new OracleSnapshotBuilder()
            .Table("items", t => t.Column("id", TypeFamily.Integer).Key("id"))
            .Table("audit", t => t.Column("id", TypeFamily.Integer).Column("note").Key("id"))
            .Build();
        var withoutAudit = new OracleSnapshotBuilder().Table("items", t => t.Column("id", TypeFamily.Integer).Key("id")).Build();

        var empty = await new OracleRun { S0 = withAudit, S1 = withoutAudit, S2 = withAudit }
            .Rows(All, "items", R("1"))
            .Rows(S0, "audit", R("1", "created"), R("2", "paid"), R("3", "shipped"))
            .CheckAsync();

        var partial = await new OracleRun { S0 = withAudit, S1 = withoutAudit, S2 = withAudit }
            .Rows(All, "items", R("1"))
            .Rows(S0, "audit", R("1", "created"), R("2", "paid"), R("3", "shipped"))
            .Rows(S2, "audit", R("1", "created"), R("2", "PAID"))
            .CheckAsync();

        Assert.Multiple(() =>
        {
            var table = Single(empty, "RV304");
            Assert.That(empty, Has.Count.EqualTo(1), empty.Describe());
            Assert.That(table.Object, Is.EqualTo("audit"));
            Assert.That(table.Evidence.Count, Is.EqualTo(3));
            Assert.That(table.Message, Does.Contain("dropped table audit"));

            Assert.That(partial.Select(f => (f.Code, f.Object, f.Evidence.Count)), Is.EqualTo(new[]
            {
                ("RV304", "audit", (long?)1),
                ("RV304", "audit.note", (long?)1),
            }), partial.Describe());
            Assert.That(partial[1].Evidence.SampleKeys, Is.EqualTo(new[] { "id=2" }));
            Assert.That((partial[1].Before, partial[1].After), Is.EqualTo(("paid", "PAID")));
        });
    }

    // ------------------------------------------------------------------ renames

    private static SchemaSnapshot People(string nameColumn) =>
        new OracleSnapshotBuilder().Table("people", t => t.Column("id", TypeFamily.Integer).Column(nameColumn).Column("age", TypeFamily.Integer).Key("id")).Build();

    [Test]
    public async Task Rename_found_by_data_and_restored_with_live_values_has_no_findings()
    {
        var findings = await new OracleRun { S0 = People("name"), S1 = People("full_name"), S2 = People("name") }
            .Rows([S0, S1], "people", R("1", "Ann", "30"), R("2", "Bob", "40"), R("3", "Cy", "50"))
            .Rows([S1p, S2], "people", R("1", "Ann B", "30"), R("2", "Bob", "40"), R("3", "Cy", "50"), R("4", "Dan", "20"))
            .CheckAsync();

        Assert.That(findings, Is.Empty, findings.Describe());
    }

    [Test]
    public async Task Rename_restored_with_values_stranded_reports_values_changed()
    {
        // The rollback drops full_name and re-adds name empty: the renamed column survived the forward, so its values
        // just before the rollback (live ones included) were lost by the rollback.
        var findings = await new OracleRun { S0 = People("name"), S1 = People("full_name"), S2 = People("name") }
            .Rows([S0, S1], "people", R("1", "Ann", "30"), R("2", "Bob", "40"), R("3", "Cy", "50"))
            .Rows(S1p, "people", R("1", "Ann B", "30"), R("2", "Bob", "40"), R("3", "Cy", "50"), R("4", "Dan", "20"))
            .Rows(S2, "people", R("1", null, "30"), R("2", null, "40"), R("3", null, "50"), R("4", null, "20"))
            .CheckAsync();

        var changed = Single(findings, "RV303");
        Assert.Multiple(() =>
        {
            Assert.That(findings, Has.Count.EqualTo(1), findings.Describe());
            Assert.That(changed.Object, Is.EqualTo("people.name"));
            Assert.That(changed.Evidence.Count, Is.EqualTo(4));
            Assert.That((changed.Before, changed.After), Is.EqualTo(("Ann B", (string?)null)));
            Assert.That(changed.Evidence.Details["column after forward"], Is.EqualTo("name -> full_name (by data)"));
        });
    }

    [Test]
    public async Task Renamed_table_found_by_data_and_renamed_back_has_no_findings()
    {
        SchemaSnapshot Snapshot(string table) => new OracleSnapshotBuilder().Table(table, t => t.Column("id", TypeFamily.Integer).Column("total", TypeFamily.Decimal).Key("id")).Build();
        var findings = await new OracleRun { S0 = Snapshot("orders"), S1 = Snapshot("sales"), S2 = Snapshot("orders") }
            .Rows(S0, "orders", R("1", "10"), R("2", "20"))
            .Rows(S1, "sales", R("1", "10"), R("2", "20"))
            .Rows(S1p, "sales", R("1", "10"), R("2", "25"), R("3", "30"))
            .Rows(S2, "orders", R("1", "10"), R("2", "25"), R("3", "30"))
            .CheckAsync();

        Assert.That(findings, Is.Empty, findings.Describe());
    }

    private static SchemaSnapshot PgOrders(string amountName, string amountType, bool withIds = true) =>
        new OracleSnapshotBuilder().Table("public.orders", t =>
        {
            t.Column("id", TypeFamily.Integer, engineId: withIds ? 1 : null).Column(amountName, TypeFamily.Decimal, engineId: withIds ? 2 : null, dataType: amountType).Key("id");
            if (withIds)
            {
                t.EngineId(16384);
            }
        }).Build();

    [Test]
    public async Task Column_renamed_and_retyped_is_followed_by_engine_id()
    {
        // No pre-existing values to correlate: only the attnum says amount became total.
        OracleRun Run(bool ids) => new OracleRun { S0 = PgOrders("amount", "numeric(10,2)", ids), S1 = PgOrders("total", "numeric(12,4)", ids), S2 = PgOrders("amount", "numeric(10,2)", ids) }
            .Rows([S0, S1], "public.orders", R("1", null), R("2", null))
            .Rows(S1p, "public.orders", R("1", null), R("2", null), R("3", "1.2345"))
            .Rows(S2, "public.orders", R("1", null), R("2", null), R("3", "1.23"));

        var byId = await Run(ids: true).CheckAsync();
        var mapping = await Run(ids: true).MapAsync();
        var withoutIds = await Run(ids: false).CheckAsync();

        Assert.Multiple(() =>
        {
            var changed = Single(byId, "RV303");
            Assert.That(byId, Has.Count.EqualTo(1), byId.Describe());
            Assert.That(changed.Object, Is.EqualTo("public.orders.amount"));
            Assert.That(changed.Evidence.Count, Is.EqualTo(1));
            Assert.That((changed.Before, changed.After), Is.EqualTo(("1.2345", "1.23")));
            Assert.That(mapping.Tables.Single().ForBefore("amount")!.Source, Is.EqualTo(MappingSource.EngineId));
            Assert.That(mapping.Tables.Single().ForBefore("amount")!.After.Name, Is.EqualTo("total"));

            // Without ids the rename is invisible: total looks like a forward-only column whose live value is discarded.
            Assert.That(withoutIds.Select(f => (f.Code, f.Object, f.Evidence.Count)), Is.EqualTo(new[] { ("RV305", "public.orders.total", (long?)1) }), withoutIds.Describe());
        });
    }

    [Test]
    public async Task Conversion_undone_by_the_rollback_is_not_a_change()
    {
        // Forward: amount in cents becomes total in currency units; rollback converts back (live values included).
        var findings = await new OracleRun { S0 = PgOrders("amount", "integer"), S1 = PgOrders("total", "numeric(12,2)"), S2 = PgOrders("amount", "integer") }
            .Rows(S0, "public.orders", R("1", "1250"), R("2", "99"))
            .Rows(S1, "public.orders", R("1", "12.5"), R("2", "0.99"))
            .Rows(S1p, "public.orders", R("1", "12.5"), R("2", "1.5"), R("3", "7.25"))
            .Rows(S2, "public.orders", R("1", "1250"), R("2", "150"), R("3", "725"))
            .CheckAsync();

        Assert.That(findings, Is.Empty, findings.Describe());
    }

    [Test]
    public async Task A_forward_that_patches_a_few_values_does_not_exempt_live_values()
    {
        // The forward fixes one price and widens the column; the rollback reverts the fix (fine) and rounds a live value.
        var findings = await new OracleRun { S0 = Items(), S1 = Items(priceType: "numeric(12,4)"), S2 = Items() }
            .Rows(S0, "items", R("1", "a", "9.99"), R("2", "b", "5"), R("3", "c", "7"))
            .Rows(S1, "items", R("1", "a", "10"), R("2", "b", "5"), R("3", "c", "7"))
            .Rows(S1p, "items", R("1", "a", "10"), R("2", "b", "5"), R("3", "c", "7"), R("4", "d", "1.2345"))
            .Rows(S2, "items", R("1", "a", "9.99"), R("2", "b", "5"), R("3", "c", "7"), R("4", "d", "1.23"))
            .CheckAsync();

        var changed = Single(findings, "RV303");
        Assert.Multiple(() =>
        {
            Assert.That(findings, Has.Count.EqualTo(1), findings.Describe());
            Assert.That(changed.Object, Is.EqualTo("items.price"));
            Assert.That(changed.Evidence.Count, Is.EqualTo(1));
            Assert.That(changed.Evidence.SampleKeys, Is.EqualTo(new[] { "id=4" }));
        });
    }

    [Test]
    public async Task Column_dropped_and_re_added_under_its_name_by_the_forward_is_dropped_data()
    {
        // PostgreSQL never reuses an attnum: note (attnum 2) was dropped and a new note (attnum 3) added.
        SchemaSnapshot Snapshot(long noteId) => new OracleSnapshotBuilder()
            .Table("public.t", t => t.Column("id", TypeFamily.Integer, engineId: 1).Column("note", engineId: noteId).Key("id").EngineId(500))
            .Build();
        var findings = await new OracleRun { S0 = Snapshot(2), S1 = Snapshot(3), S2 = Snapshot(3) }
            .Rows(S0, "public.t", R("1", "keep me"), R("2", "me too"))
            .Rows([S1, S1p, S2], "public.t", R("1", null), R("2", null))
            .CheckAsync();

        var dropped = Single(findings, "RV304");
        Assert.Multiple(() =>
        {
            Assert.That(findings, Has.Count.EqualTo(1), findings.Describe());
            Assert.That(dropped.Object, Is.EqualTo("public.t.note"));
            Assert.That(dropped.Evidence.Count, Is.EqualTo(2));
        });
    }

    // ------------------------------------------------------------------ data written into forward-only objects

    [Test]
    public async Task Live_rows_in_a_table_only_the_forward_created_are_discarded_with_a_warning()
    {
        var before = Items();
        var after = new OracleSnapshotBuilder()
            .Table("items", t => t.Column("id", TypeFamily.Integer, nullable: false).Column("name").Column("price", TypeFamily.Decimal).Key("id"))
            .Table("tags", t => t.Column("id", TypeFamily.Integer).Column("label").Key("id"))
            .Build();
        var findings = await new OracleRun { S0 = before, S1 = after, S2 = before }
            .Rows(All, "items", R("1", "a", "1"))
            .Rows(S1, "tags", R("1", "backfilled"), R("2", "backfilled"))
            .Rows(S1p, "tags", R("1", "backfilled"), R("2", "edited live"), R("3", "new"), R("4", "new"))
            .CheckAsync();

        var discarded = Single(findings, "RV305");
        Assert.Multiple(() =>
        {
            Assert.That(findings, Has.Count.EqualTo(1), findings.Describe());
            Assert.That(discarded.Severity, Is.EqualTo(Severity.Warning));
            Assert.That(discarded.Object, Is.EqualTo("tags"));
            Assert.That(discarded.Evidence.Count, Is.EqualTo(3), "rows the forward itself wrote are not counted");
            Assert.That(discarded.Message, Does.StartWith("3 rows written after the forward migration into table tags, which the rollback drops, are discarded"));
        });
    }

    [Test]
    public async Task Table_renamed_away_by_engine_id_and_replaced_under_its_name_is_followed_and_the_new_one_discarded()
    {
        // PostgreSQL: the forward renames a to a_old (same oid) and creates a new a; the rollback drops the new a and
        // renames a_old back. The old rows follow the oid; live rows of the new a are discarded.
        var s0 = new OracleSnapshotBuilder().Table("public.a", t => t.Column("id", TypeFamily.Integer, engineId: 1).Key("id").EngineId(100)).Build();
        var s1 = new OracleSnapshotBuilder()
            .Table("public.a_old", t => t.Column("id", TypeFamily.Integer, engineId: 1).Key("id").EngineId(100))
            .Table("public.a", t => t.Column("id", TypeFamily.Integer, engineId: 1).Key("id").EngineId(200))
            .Build();
        var s2 = new OracleSnapshotBuilder().Table("public.a", t => t.Column("id", TypeFamily.Integer, engineId: 1).Key("id").EngineId(100)).Build();
        var findings = await new OracleRun { S0 = s0, S1 = s1, S2 = s2 }
            .Rows(S0, "public.a", R("1"), R("2"))
            .Rows(S1, "public.a_old", R("1"), R("2"))
            .Rows(S1p, "public.a_old", R("1"), R("3"))
            .Rows(S1p, "public.a", R("50"))
            .Rows(S2, "public.a", R("1"), R("3"))
            .CheckAsync();

        Assert.That(findings.Select(f => (f.Code, f.Object, f.Evidence.Count)), Is.EqualTo(new[] { ("RV305", "public.a", (long?)1) }), findings.Describe());
    }

    [Test]
    public async Task Live_values_in_a_column_only_the_forward_created_are_discarded_with_a_warning()
    {
        var findings = await new OracleRun { S0 = Items(), S1 = Items(extra: true), S2 = Items() }
            .Rows(S0, "items", R("1", "a", "1"), R("2", "b", "2"))
            .Rows(S1, "items", R("1", "a", "1", null), R("2", "b", "2", "backfill"))
            .Rows(S1p, "items", R("1", "a", "1", "live"), R("2", "b", "2", "backfill"), R("3", "c", "3", "live"), R("4", "d", "4", null))
            .Rows(S2, "items", R("1", "a", "1"), R("2", "b", "2"), R("3", "c", "3"), R("4", "d", "4"))
            .CheckAsync();

        var discarded = Single(findings, "RV305");
        Assert.Multiple(() =>
        {
            Assert.That(findings, Has.Count.EqualTo(1), findings.Describe());
            Assert.That(discarded.Object, Is.EqualTo("items.extra"));
            Assert.That(discarded.Evidence.Count, Is.EqualTo(2));
            Assert.That(discarded.Evidence.SampleKeys, Is.EqualTo(new[] { "id=1", "id=3" }));
        });
    }

    // ------------------------------------------------------------------ sequences

    private static SchemaSnapshot Serial(long? next, long? counterNext = null, string? standalone = null, long? standaloneNext = null)
    {
        var builder = new OracleSnapshotBuilder()
            .Table("public.items", t => t.Column("id", TypeFamily.Integer).Key("id"))
            .Sequence("public.items_id_seq", "public.items.id", next);
        if (counterNext is not null)
        {
            builder.Table("log", t => t.Column("id", TypeFamily.Integer).Key("id")).Sequence("log", "log.id", counterNext, SequenceKind.AutoIncrement);
        }

        if (standalone is not null)
        {
            builder.Sequence(standalone, null, standaloneNext);
        }

        return builder.Build();
    }

    [Test]
    public async Task Sequence_at_or_below_the_highest_key_is_reported()
    {
        var findings = await new OracleRun { S0 = Serial(6, 3), S1 = Serial(6, 3), S1Live = Serial(8, 4), S2 = Serial(3, 3) }
            .Rows([S0, S1], "public.items", R("1"), R("2"), R("5"))
            .Rows([S1p, S2], "public.items", R("1"), R("2"), R("5"), R("6"), R("7"))
            .Rows([S0, S1], "log", R("1"), R("2"))
            .Rows([S1p, S2], "log", R("1"), R("2"), R("3"))
            .CheckAsync();

        var behind = findings.Single(f => f.Object == "public.items_id_seq");
        Assert.Multiple(() =>
        {
            Assert.That(behind.Object, Is.EqualTo("public.items_id_seq"));
            Assert.That(behind.Before, Is.EqualTo("7"));
            Assert.That(behind.After, Is.EqualTo("3"));
            Assert.That(behind.Message, Does.Contain("would get 3").And.Contain("already used"));

            // The AUTO_INCREMENT counter of log went back from 4 to 3, which is in use: RV404 only, not also RV405.
            Assert.That(findings.Select(f => (f.Code, f.Object)), Is.EqualTo(new[]
            {
                ("RV404", "log (AUTO_INCREMENT)"),
                ("RV404", "public.items_id_seq"),
            }), findings.Describe());
        });
    }

    [Test]
    public async Task Sequence_moved_backwards_but_above_the_keys_is_a_reset_warning()
    {
        var findings = await new OracleRun
        {
            S0 = Serial(4, standalone: "public.invoice_numbers", standaloneNext: 1),
            S1 = Serial(4, standalone: "public.invoice_numbers", standaloneNext: 101),
            S1Live = Serial(9, standalone: "public.invoice_numbers", standaloneNext: 101),
            S2 = Serial(9, standalone: "public.invoice_numbers", standaloneNext: 1),
        }
            .Rows([S0, S1], "public.items", R("1"), R("2"), R("3"))
            .Rows([S1p, S2], "public.items", R("1"), R("2"), R("3"), R("8"))
            .CheckAsync();

        var reset = Single(findings, "RV405");
        Assert.Multiple(() =>
        {
            Assert.That(findings, Has.Count.EqualTo(1), findings.Describe());
            Assert.That(reset.Object, Is.EqualTo("public.invoice_numbers"));
            Assert.That(reset.Severity, Is.EqualTo(Severity.Warning));
            Assert.That((reset.Before, reset.After), Is.EqualTo(("101", "1")));
        });
    }

    [Test]
    public async Task Sequence_whose_increment_is_restored_has_not_moved_backwards()
    {
        // The forward set INCREMENT BY 10 (last value 1199, next 1209); the rollback restores INCREMENT BY 1 (next 1200).
        static SchemaSnapshot Numbers(long next, long increment) => new OracleSnapshotBuilder()
            .Table("public.items", t => t.Column("id", TypeFamily.Integer).Key("id"))
            .Sequence("public.invoice_numbers", null, next, increment: increment)
            .Build();
        var findings = await new OracleRun { S0 = Numbers(1100, 1), S1 = Numbers(1109, 10), S1Live = Numbers(1209, 10), S2 = Numbers(1200, 1) }
            .Rows([S0, S1, S1p, S2], "public.items", R("1"))
            .CheckAsync();

        Assert.That(findings, Is.Empty, findings.Describe());

        // One step further back is a value handed out again.
        var reset = await new OracleRun { S0 = Numbers(1100, 1), S1 = Numbers(1109, 10), S1Live = Numbers(1209, 10), S2 = Numbers(1199, 1) }
            .Rows([S0, S1, S1p, S2], "public.items", R("1"))
            .CheckAsync();
        Assert.That(reset.Select(f => f.Code), Is.EqualTo(new[] { "RV405" }), reset.Describe());
    }

    // ------------------------------------------------------------------ tables without a key

    private static SchemaSnapshot Log(bool level) =>
        new OracleSnapshotBuilder().Table("log", t =>
        {
            t.Column("at").Column("msg");
            if (level)
            {
                t.Column("level");
            }
        }).Build();

    [Test]
    public async Task Table_without_key_is_compared_as_a_multiset_of_rows()
    {
        var s0 = Log(false);
        var s1 = new OracleSnapshotBuilder().Table("log", t => t.Column("at").Column("msg").Column("extra")).Build();
        var findings = await new OracleRun { S0 = s0, S1 = s1, S2 = s0 }
            .Rows(S0, "log", R("1", "dup"), R("1", "dup"), R("2", "x"))
            .Rows(S1, "log", R("1", "dup", null), R("1", "dup", null), R("2", "x", null))
            .Rows(S1p, "log", R("1", "dup", null), R("2", "x", null), R("3", "live", null))
            .Rows(S2, "log", R("1", "dup"), R("1", "dup"), R("2", "x"))
            .CheckAsync();

        Assert.Multiple(() =>
        {
            Assert.That(findings.Select(f => (f.Code, f.Object, f.Evidence.Count)), Is.EqualTo(new[]
            {
                ("RV301", "log", (long?)1),
                ("RV302", "log", (long?)1),
            }), findings.Describe());
            Assert.That(findings[0].Evidence.SampleKeys, Is.EqualTo(new[] { "at=3, msg=live" }));
            Assert.That(findings[1].Evidence.SampleKeys, Is.EqualTo(new[] { "at=1, msg=dup" }));
        });
    }

    [Test]
    public async Task Table_without_key_kept_by_the_rollback_has_no_findings()
    {
        var s1 = new OracleSnapshotBuilder().Table("log", t => t.Column("at").Column("msg").Column("extra")).Build();
        var findings = await new OracleRun { S0 = Log(false), S1 = s1, S2 = Log(false) }
            .Rows(S0, "log", R("1", "dup"), R("1", "dup"), R("2", "x"))
            .Rows(S1, "log", R("1", "dup", null), R("1", "dup", null), R("2", "x", null))
            .Rows(S1p, "log", R("1", "dup", null), R("2", "x", null), R("3", "live", null))
            .Rows(S2, "log", R("1", "dup"), R("2", "x"), R("3", "live"))
            .CheckAsync();

        Assert.That(findings, Is.Empty, findings.Describe());
    }

    [Test]
    public async Task Dropped_column_re_added_empty_in_a_table_without_key_is_dropped_data()
    {
        var findings = await new OracleRun { S0 = Log(true), S1 = Log(false), S2 = Log(true) }
            .Rows(S0, "log", R("1", "a", "info"), R("2", "b", "warn"), R("3", "c", null))
            .Rows(S1, "log", R("1", "a"), R("2", "b"), R("3", "c"))
            .Rows(S1p, "log", R("1", "a"), R("2", "b"), R("3", "c"), R("4", "live"))
            .Rows(S2, "log", R("1", "a", null), R("2", "b", null), R("3", "c", null), R("4", "live", null))
            .CheckAsync();

        var dropped = Single(findings, "RV304");
        Assert.Multiple(() =>
        {
            Assert.That(findings, Has.Count.EqualTo(1), findings.Describe());
            Assert.That(dropped.Object, Is.EqualTo("log.level"));
            Assert.That(dropped.Evidence.Count, Is.EqualTo(2));
            Assert.That((dropped.Before, dropped.After), Is.EqualTo(("info", (string?)null)));
            Assert.That(dropped.Evidence.SampleKeys, Is.EqualTo(new[] { "at=1, msg=a", "at=2, msg=b" }));
        });
    }

    [Test]
    public async Task Unique_not_null_column_serves_as_key_when_there_is_no_primary_key()
    {
        SchemaSnapshot Snapshot(bool extra) => new OracleSnapshotBuilder().Table("users", t =>
        {
            t.Column("email", nullable: false).Column("name").Unique("email");
            if (extra)
            {
                t.Column("extra");
            }
        }).Build();
        var findings = await new OracleRun { S0 = Snapshot(false), S1 = Snapshot(true), S2 = Snapshot(false) }
            .Rows(S0, "users", R("a@x", "Ann"), R("b@x", "Bob"))
            .Rows(S1, "users", R("a@x", "Ann", null), R("b@x", "Bob", null))
            .Rows(S1p, "users", R("a@x", "Ann Live", null), R("b@x", "Bob", null))
            .Rows(S2, "users", R("a@x", "Ann"), R("b@x", "Bob"))
            .CheckAsync();

        var changed = Single(findings, "RV303");
        Assert.Multiple(() =>
        {
            Assert.That(findings, Has.Count.EqualTo(1), findings.Describe());
            Assert.That(changed.Object, Is.EqualTo("users.name"));
            Assert.That(changed.Evidence.SampleKeys, Is.EqualTo(new[] { "email=a@x" }));
        });
    }

    [Test]
    public async Task Generated_column_values_are_derived_and_not_compared()
    {
        // The forward changes the expression (price * 2 -> price * 3); the rollback restores it, so every value changes.
        SchemaSnapshot Snapshot(string expression) => new OracleSnapshotBuilder()
            .Table("items", t => t.Column("id", TypeFamily.Integer).Column("price", TypeFamily.Float).Column("total", TypeFamily.Float, generated: expression).Key("id"))
            .Build();
        var findings = await new OracleRun { S0 = Snapshot("price * 2"), S1 = Snapshot("price * 3"), S2 = Snapshot("price * 2") }
            .Rows(S0, "items", R("1", "1", "2"), R("2", "5", "10"))
            .Rows(S1, "items", R("1", "1", "3"), R("2", "5", "15"))
            .Rows(S1p, "items", R("1", "1", "3"), R("2", "6", "18"), R("3", "7", "21"))
            .Rows(S2, "items", R("1", "1", "2"), R("2", "6", "12"), R("3", "7", "14"))
            .CheckAsync();

        Assert.That(findings, Is.Empty, findings.Describe());
    }

    [Test]
    public async Task Composite_keys_are_joined_on_every_column_and_shown_in_samples()
    {
        SchemaSnapshot Snapshot(bool extra) => new OracleSnapshotBuilder().Table("public.lines", t =>
        {
            t.Column("order_id", TypeFamily.Integer).Column("line", TypeFamily.Integer).Column("qty", TypeFamily.Integer).Key("order_id", "line");
            if (extra)
            {
                t.Column("extra");
            }
        }).Build();
        var findings = await new OracleRun { S0 = Snapshot(false), S1 = Snapshot(true), S2 = Snapshot(false) }
            .Rows(S0, "public.lines", R("7", "1", "1"), R("7", "2", "2"), R("8", "1", "3"))
            .Rows(S1, "public.lines", R("7", "1", "1", null), R("7", "2", "2", null), R("8", "1", "3", null))
            .Rows(S1p, "public.lines", R("7", "1", "1", null), R("7", "2", "20", null), R("8", "1", "3", null), R("8", "2", "4", null))
            .Rows(S2, "public.lines", R("7", "1", "1"), R("7", "2", "2"), R("8", "1", "3"))
            .CheckAsync();

        Assert.Multiple(() =>
        {
            Assert.That(findings.Select(f => (f.Code, f.Object, f.Evidence.Count)), Is.EqualTo(new[]
            {
                ("RV301", "public.lines", (long?)1),
                ("RV303", "public.lines.qty", (long?)1),
            }), findings.Describe());
            Assert.That(findings[0].Evidence.SampleKeys, Is.EqualTo(new[] { "order_id=8, line=2" }));
            Assert.That(findings[1].Evidence.SampleKeys, Is.EqualTo(new[] { "order_id=7, line=2" }));
            Assert.That((findings[1].Before, findings[1].After), Is.EqualTo(("20", "2")));
        });
    }

    // ------------------------------------------------------------------ order

    [Test]
    public async Task Findings_are_ordered_by_severity_then_code_then_object()
    {
        var findings = await new OracleRun { S0 = Items(), S1 = Items(extra: true), S2 = Items() }
            .Rows(S0, "items", R("1", "a", "1"), R("2", "b", "2"))
            .Rows(S1, "items", R("1", "a", "1", null), R("2", "b", "2", null))
            .Rows(S1p, "items", R("1", "a", "1.5", "x"), R("2", "b", "2", null), R("3", "c", "3", null))
            .Rows(S2, "items", R("1", "a", "1"), R("2", "B", "2"))
            .CheckAsync();

        Assert.That(findings.Select(f => (f.Code, f.Object)), Is.EqualTo(new[]
        {
            ("RV301", "items"),
            ("RV303", "items.name"),
            ("RV303", "items.price"),
            ("RV305", "items.extra"),
        }), findings.Describe());
    }
}
