using RollbackVerifier.Diffing;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using FindingsDocument = RollbackVerifier.Diffing.FindingsDocument;

namespace RollbackVerifier.Tests.Diffing;

public sealed class SchemaDifferTests
{
    private static readonly SchemaSnapshot S0 = SnapshotBuilder.Baseline();

    private static IReadOnlyList<Finding> Diff(SchemaSnapshot after) => SchemaDiffer.Diff(S0, after);

    private static IReadOnlyList<Finding> Diff(Func<SchemaSnapshot, SchemaSnapshot> rollbackMistake) => SchemaDiffer.Diff(S0, rollbackMistake(S0));

    private static string Codes(IEnumerable<Finding> findings) => string.Join(" ", findings.Select(f => f.Code));

    private static Finding Single(IReadOnlyList<Finding> findings, FindingCode code)
    {
        Assert.That(Codes(findings), Is.EqualTo(code.Code), () => string.Join("\n", findings.Select(f => $"{f.Code} {f.Object}: {f.Message}")));
        return findings[0];
    }

    // ---------------------------------------------------------------- every code, one rollback mistake each

    /// <summary>One realistic rollback mistake per schema code; each must produce exactly that one finding.</summary>
    public static IEnumerable<TestCaseData> OneMistakePerCode()
    {
        TestCaseData Case(FindingCode code, string obj, Func<SchemaSnapshot, SchemaSnapshot> mistake) =>
            new TestCaseData(code.Code, obj, mistake).SetName($"{code.Code} {code.Name}");

        yield return Case(FindingCodes.TableMissing, "public.orders", s => s.WithoutTable("public.orders"));
        yield return Case(FindingCodes.TableExtra, "public.tags", s => s.Plus(b => b.Table("public.tags", t => t.Column("id").PrimaryKey("tags_pkey", "id"))));
        yield return Case(FindingCodes.ColumnMissing, "public.orders.note", s => s.WithTable("public.orders", t => t.WithoutColumn("note")));
        yield return Case(FindingCodes.ColumnExtra, "public.orders.source", s => s.WithTable("public.orders", t => t.WithExtraColumn("source")));
        yield return Case(FindingCodes.ColumnTypeChanged, "public.orders.note", s => s.WithTable("public.orders", t => t.WithColumn("note", c => c with { DataType = "character varying(200)", Length = 200 })));
        yield return Case(FindingCodes.ColumnNullabilityChanged, "public.customers.email", s => s.WithTable("public.customers", t => t.WithColumn("email", c => c with { IsNullable = true })));
        yield return Case(FindingCodes.ColumnDefaultChanged, "public.orders.total", s => s.WithTable("public.orders", t => t.WithColumn("total", c => c with { Default = "1" })));
        yield return Case(FindingCodes.ColumnIdentityChanged, "public.customers.id", s => s.WithTable("public.customers", t => t.WithColumn("id", c => c with { Identity = IdentityKind.None })));
        yield return Case(FindingCodes.ColumnCollationChanged, "public.customers.name", s => s.WithTable("public.customers", t => t.WithColumn("name", c => c with { Collation = "\"C\"" })));
        yield return Case(FindingCodes.ColumnOrderChanged, "public.orders", s => s.WithTable("public.orders", t => t.WithColumnOrder("id", "customer_id", "total", "status", "note")));
        yield return Case(FindingCodes.PrimaryKeyChanged, "public.orders (primary key)", s => s.WithTable("public.orders", t => t with { PrimaryKey = null }));
        yield return Case(FindingCodes.ForeignKeyMissing, "public.orders (foreign key orders_customer_id_fkey)", s => s.WithTable("public.orders", t => t with { ForeignKeys = ValueList<ForeignKey>.Empty }));
        yield return Case(FindingCodes.ForeignKeyExtra, "public.customers (foreign key customers_referrer_fkey)", s => s.WithTable("public.customers", t => t with
        {
            ForeignKeys = ValueList.Of(new ForeignKey("customers_referrer_fkey", ValueList.Of("id"), SnapshotBuilder.Name("public.customers"), ValueList.Of("id"), "NO ACTION", "NO ACTION", false, false, true)),
        }));
        yield return Case(FindingCodes.ForeignKeyChanged, "public.orders (foreign key orders_customer_id_fkey)", s => s.WithTable("public.orders", t => t.WithForeignKey("orders_customer_id_fkey", f => f with { OnDelete = "NO ACTION" })));
        yield return Case(FindingCodes.UniqueMissing, "public.customers (unique customers_email_key)", s => s.WithTable("public.customers", t => t with { Uniques = ValueList<UniqueConstraint>.Empty }));
        yield return Case(FindingCodes.UniqueExtra, "public.orders (unique orders_note_key)", s => s.WithTable("public.orders", t => t with { Uniques = ValueList.Of(new UniqueConstraint("orders_note_key", ValueList.Of("note"), false)) }));
        yield return Case(FindingCodes.UniqueChanged, "public.customers (unique customers_email_key)", s => s.WithTable("public.customers", t => t.WithUnique("customers_email_key", u => u with { Columns = ValueList.Of("email", "name") })));
        yield return Case(FindingCodes.CheckMissing, "public.orders (check orders_total_check)", s => s.WithTable("public.orders", t => t with { Checks = ValueList<CheckConstraint>.Empty }));
        yield return Case(FindingCodes.CheckExtra, "public.customers (check customers_email_check)", s => s.WithTable("public.customers", t => t with { Checks = ValueList.Of(new CheckConstraint("customers_email_check", "email ~~ '%@%'", true)) }));
        yield return Case(FindingCodes.CheckChanged, "public.orders (check orders_total_check)", s => s.WithTable("public.orders", t => t.WithCheck("orders_total_check", c => c with { Expression = "total > (0)::numeric" })));
        yield return Case(FindingCodes.IndexMissing, "public.customers (index customers_name_idx)", s => s.WithTable("public.customers", t => t with { Indexes = ValueList<TableIndex>.Empty }));
        yield return Case(FindingCodes.IndexExtra, "public.orders (index orders_note_idx)", s => s.WithTable("public.orders", t => t with
        {
            Indexes = t.Indexes.Append(new TableIndex("orders_note_idx", ValueList.Of(new IndexKey("note", false, false, null, null)), ValueList<string>.Empty, false, null, "btree", true, null)).ToValueList(),
        }));
        yield return Case(FindingCodes.IndexChanged, "public.customers (index customers_name_idx)", s => s.WithTable("public.customers", t => t.WithIndex("customers_name_idx", i => i with { IsUnique = true })));
        yield return Case(FindingCodes.IndexRenamed, "public.customers (index customers_name_idx)", s => s.WithTable("public.customers", t => t.WithIndex("customers_name_idx", i => i with { Name = "idx_customers_name" })));
        yield return Case(FindingCodes.ViewMissing, "public.open_orders", s => s with { Views = ValueList<View>.Empty });
        yield return Case(FindingCodes.ViewExtra, "public.big_orders", s => s.Plus(b => b.View("public.big_orders", "SELECT id FROM orders WHERE total > 1000;")));
        yield return Case(FindingCodes.ViewChanged, "public.open_orders", s => s.WithView("public.open_orders", v => v with { Definition = "SELECT id, customer_id FROM orders;" }));
        yield return Case(FindingCodes.TriggerMissing, "public.orders (trigger orders_touch)", s => s with { Triggers = ValueList<Trigger>.Empty });
        yield return Case(FindingCodes.TriggerExtra, "public.customers (trigger customers_touch)", s => s.Plus(b => b.Trigger("public.customers", "customers_touch")));
        yield return Case(FindingCodes.TriggerChanged, "public.orders (trigger orders_touch)", s => s.WithTrigger("orders_touch", t => t with { Events = "INSERT OR UPDATE" }));
        yield return Case(FindingCodes.EnumChanged, "public.order_status", s => s.WithEnum("public.order_status", e => e with { Labels = ValueList.Of("new", "paid", "shipped", "returned") })
            .WithTable("public.orders", t => t.WithColumn("status", c => c with { EnumValues = ValueList.Of("new", "paid", "shipped", "returned") })));
        yield return Case(FindingCodes.ConstraintRenamed, "public.orders (check orders_total_check)", s => s.WithTable("public.orders", t => t.WithCheck("orders_total_check", c => c with { Name = "chk_orders_total" })));
        yield return Case(FindingCodes.RoutineMissing, "public.touch()", s => s with { Routines = ValueList<Routine>.Empty });
        yield return Case(FindingCodes.RoutineExtra, "public.tax(numeric)", s => s.Plus(b => b.Routine("public.tax", "numeric", "CREATE FUNCTION public.tax(numeric) ...")));
        yield return Case(FindingCodes.RoutineChanged, "public.touch()", s => s.WithRoutine("public.touch", r => r with { Definition = r.Definition.Replace("RETURN NEW", "NEW.updated_at = now(); RETURN NEW", StringComparison.Ordinal) }));
        yield return Case(FindingCodes.SequenceMissing, "public.orders_id_seq", s => s with { Sequences = ValueList<Sequence>.Empty });
        yield return Case(FindingCodes.SequenceExtra, "public.invoice_no_seq", s => s.Plus(b => b.Sequence("public.invoice_no_seq")));
        yield return Case(FindingCodes.SequenceChanged, "public.orders_id_seq", s => s.WithSequence("public.orders_id_seq", q => q with { Increment = 10 }));
    }

    [TestCaseSource(nameof(OneMistakePerCode))]
    public void Each_rollback_mistake_produces_exactly_its_code(string code, string obj, Func<SchemaSnapshot, SchemaSnapshot> mistake)
    {
        var finding = Single(Diff(mistake), FindingCodes.Get(code));

        Assert.Multiple(() =>
        {
            Assert.That(finding.Object, Is.EqualTo(obj));
            Assert.That(finding.Severity, Is.EqualTo(FindingCodes.Get(code).Severity), "default severity");
            Assert.That(finding.Message, Does.EndWith("."));
            Assert.That(finding.Message, Does.Not.Contain("\n"));
            Assert.That(finding.Before ?? finding.After, Is.Not.Null, "a rendered value");
        });
    }

    [Test]
    public void The_cases_cover_every_schema_and_sequence_definition_code()
    {
        var covered = OneMistakePerCode().Select(c => (string)c.Arguments[0]!).ToHashSet();
        var expected = FindingCodes.All.Select(c => c.Code)
            .Where(c => c.StartsWith("RV2", StringComparison.Ordinal) || c is "RV401" or "RV402" or "RV403");

        Assert.That(covered, Is.EquivalentTo(expected));
    }

    [Test]
    public void Identical_snapshots_have_no_findings()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SchemaDiffer.Diff(S0, S0), Is.Empty);
            Assert.That(SchemaDiffer.Diff(S0, SnapshotBuilder.Baseline()), Is.Empty, "built twice");
            Assert.That(SchemaDiffer.Diff(SchemaSnapshot.Empty, SchemaSnapshot.Empty), Is.Empty);
        });
    }

    [Test]
    public void Non_compared_values_produce_nothing()
    {
        var s2 = S0
            .WithTable("public.orders", t => (t with { EngineId = 99999 })
                .WithColumn("note", c => c with { EngineId = 42 })
                .WithIndex("orders_customer_idx", i => i with { Definition = "CREATE INDEX orders_customer_idx ON public.orders USING btree (customer_id) -- rebuilt" }))
            .WithSequence("public.orders_id_seq", q => q with { NextValue = 1 });

        Assert.Multiple(() =>
        {
            Assert.That(s2, Is.EqualTo(S0), "the model itself ignores them");
            Assert.That(Diff(s2), Is.Empty);
        });
    }

    // ---------------------------------------------------------------- tables and cascades

    [Test]
    public void A_missing_table_is_one_finding_without_its_columns_indexes_triggers_or_sequences()
    {
        var finding = Single(Diff(s => s.WithoutTable("public.orders")), FindingCodes.TableMissing);

        Assert.Multiple(() =>
        {
            Assert.That(finding.Message, Is.EqualTo("Table public.orders existed before the migration and is missing after the rollback."));
            Assert.That(finding.Before, Does.StartWith("id bigint NOT NULL DEFAULT nextval('orders_id_seq'::regclass) AUTO_INCREMENT, customer_id bigint NOT NULL"));
            Assert.That(finding.Evidence.Details["triggers"], Is.EqualTo("orders_touch"));
            Assert.That(finding.Evidence.Details["sequences"], Is.EqualTo("public.orders_id_seq"));
            Assert.That(finding.Evidence.Details["indexes"], Is.EqualTo("orders_customer_idx, orders_open_idx"));
        });
    }

    [Test]
    public void An_extra_table_is_one_finding_without_its_triggers_or_counter()
    {
        var s2 = S0.Plus(b => b
            .Table("public.tags", t => t.Column("id", identity: IdentityKind.AutoIncrement).PrimaryKey("tags_pkey", "id").Index("tags_id_idx", ["id"]))
            .Trigger("public.tags", "tags_touch")
            .Sequence("public.tags_id_seq", ownedBy: "public.tags.id"));

        var finding = Single(Diff(s2), FindingCodes.TableExtra);

        Assert.That(finding.Message, Is.EqualTo("Table public.tags did not exist before the migration and remains after the rollback."));
    }

    [Test]
    public void A_missing_unqualified_table_swallows_its_auto_increment_counter()
    {
        var s0 = new SnapshotBuilder()
            .Table("items", t => t.Column("id", "int", nullable: false, identity: IdentityKind.AutoIncrement).PrimaryKey("PRIMARY", "id"))
            .Sequence("items", SequenceKind.AutoIncrement, "int", null, null, null, null, ownedBy: "items.id", nextValue: 7)
            .Build();

        var findings = SchemaDiffer.Diff(s0, SchemaSnapshot.Empty);

        Assert.That(Codes(findings), Is.EqualTo("RV201"));
    }

    [Test]
    public void A_table_renamed_by_the_rollback_is_missing_plus_extra_with_a_hint()
    {
        var s2 = S0 with { Tables = S0.Tables.Select(t => t.Name.Name == "customers" ? t with { Name = new ObjectName("public", "clients") } : t).ToValueList() };

        var findings = Diff(s2);

        Assert.Multiple(() =>
        {
            Assert.That(Codes(findings), Is.EqualTo("RV201 RV202"));
            Assert.That(findings[0].Message, Does.Contain("it looks renamed to public.clients"));
            Assert.That(findings[0].Evidence.Details["renamedTo"], Is.EqualTo("public.clients"));
        });
    }

    // ---------------------------------------------------------------- columns

    [Test]
    public void A_missing_column_reports_its_definition()
    {
        var finding = Single(Diff(s => s.WithTable("public.customers", t => t.WithoutColumn("created_at"))), FindingCodes.ColumnMissing);

        Assert.Multiple(() =>
        {
            Assert.That(finding.Message, Is.EqualTo("Column public.customers.created_at (timestamp with time zone) existed before the migration and is missing after the rollback."));
            Assert.That(finding.Before, Is.EqualTo("timestamp with time zone NOT NULL DEFAULT now()"));
            Assert.That(finding.After, Is.Null);
        });
    }

    [Test]
    public void A_renamed_column_is_missing_plus_extra_with_a_hint_from_the_engine_id()
    {
        var findings = Diff(s => s.WithTable("public.orders", t => t.WithColumn("note", c => c with { Name = "remark" })));

        Assert.Multiple(() =>
        {
            Assert.That(Codes(findings), Is.EqualTo("RV203 RV204"));
            Assert.That(findings[0].Message, Does.Contain("it looks renamed to remark"));
            Assert.That(findings[1].Evidence.Details["renamedFrom"], Is.EqualTo("note"));
        });
    }

    [TestCase("character varying(100)", 100, null, null, TypeFamily.Text, "character varying(50)", 50, null, null, TypeFamily.Text,
        "Column public.orders.note is character varying(50) after the rollback, was character varying(100).", TestName = "RV205 length narrowed")]
    [TestCase("numeric(10,2)", null, 10, 2, TypeFamily.Decimal, "numeric(12,4)", null, 12, 4, TypeFamily.Decimal,
        "Column public.orders.note is numeric(12,4) after the rollback, was numeric(10,2).", TestName = "RV205 precision and scale widened")]
    [TestCase("text", null, null, null, TypeFamily.Text, "jsonb", null, null, null, TypeFamily.Json,
        "Column public.orders.note is jsonb after the rollback, was text.", TestName = "RV205 other type")]
    [TestCase("character varying(100)", 100, null, null, TypeFamily.Text, "character varying(100)", 200, null, null, TypeFamily.Text,
        "Column public.orders.note is character varying(100) [text, length 200] after the rollback, was character varying(100) [text, length 100].", TestName = "RV205 only the length field differs")]
    public void Type_changes_are_RV205(string type0, int? length0, int? precision0, int? scale0, TypeFamily family0, string type2, int? length2, int? precision2, int? scale2, TypeFamily family2, string message)
    {
        var s0 = S0.WithTable("public.orders", t => t.WithColumn("note", c => c with { DataType = type0, Length = length0, Precision = precision0, Scale = scale0, Family = family0 }));
        var s2 = S0.WithTable("public.orders", t => t.WithColumn("note", c => c with { DataType = type2, Length = length2, Precision = precision2, Scale = scale2, Family = family2 }));

        var finding = Single(SchemaDiffer.Diff(s0, s2), FindingCodes.ColumnTypeChanged);

        Assert.That(finding.Message, Is.EqualTo(message));
    }

    [Test]
    public void Changed_MySQL_enum_labels_on_a_column_are_RV205_with_the_labels()
    {
        static SchemaSnapshot Tickets(params string[] labels) => new SnapshotBuilder()
            .Table("tickets", t => t
                .Column("id", "int", nullable: false)
                .Column("priority", $"enum({string.Join(",", labels.Select(l => $"'{l}'"))})", TypeFamily.Enum, enumValues: labels))
            .Build();

        var finding = Single(SchemaDiffer.Diff(Tickets("low", "high"), Tickets("low", "high", "urgent")), FindingCodes.ColumnTypeChanged);

        Assert.Multiple(() =>
        {
            Assert.That(finding.Object, Is.EqualTo("tickets.priority"));
            Assert.That(finding.Before, Is.EqualTo("enum('low','high')"));
            Assert.That(finding.After, Is.EqualTo("enum('low','high','urgent')"));
        });
    }

    [Test]
    public void Enum_labels_on_a_column_without_an_enum_type_show_the_labels()
    {
        // A domain over an enum (or an engine without enum types): the column's labels changed, no RV231 covers it.
        var s2 = S0.WithTable("public.orders", t => t.WithColumn("status", c => c with { EnumValues = ValueList.Of("new", "paid") }));

        var finding = Single(Diff(s2), FindingCodes.ColumnTypeChanged);

        Assert.That(finding.Message, Is.EqualTo("Column public.orders.status is order_status ('new', 'paid') after the rollback, was order_status ('new', 'paid', 'shipped')."));
    }

    [TestCase(false, true, "NULL", "NOT NULL", "Column public.orders.note is NOT NULL after the rollback, allowed NULL before the migration.")]
    [TestCase(true, false, "NOT NULL", "NULL", "Column public.orders.note allows NULL after the rollback, was NOT NULL.")]
    public void Nullability_changes_are_RV206(bool nullable2, bool nullable0, string before, string after, string message)
    {
        var s0 = S0.WithTable("public.orders", t => t.WithColumn("note", c => c with { IsNullable = nullable0 }));
        var s2 = S0.WithTable("public.orders", t => t.WithColumn("note", c => c with { IsNullable = nullable2 }));

        var finding = Single(SchemaDiffer.Diff(s0, s2), FindingCodes.ColumnNullabilityChanged);

        Assert.Multiple(() =>
        {
            Assert.That(finding.Before, Is.EqualTo(before));
            Assert.That(finding.After, Is.EqualTo(after));
            Assert.That(finding.Message, Is.EqualTo(message));
        });
    }

    [TestCase("0", "1", "Column public.orders.total has default 1 after the rollback, was 0.")]
    [TestCase("0", null, "Column public.orders.total has no default after the rollback, was 0.")]
    [TestCase(null, "0", "Column public.orders.total has default 0 after the rollback, had no default before the migration.")]
    public void Default_changes_are_RV207(string? default0, string? default2, string message)
    {
        var s0 = S0.WithTable("public.orders", t => t.WithColumn("total", c => c with { Default = default0 }));
        var s2 = S0.WithTable("public.orders", t => t.WithColumn("total", c => c with { Default = default2 }));

        var finding = Single(SchemaDiffer.Diff(s0, s2), FindingCodes.ColumnDefaultChanged);

        Assert.Multiple(() =>
        {
            Assert.That(finding.Message, Is.EqualTo(message));
            Assert.That(finding.Before, Is.EqualTo(default0));
            Assert.That(finding.After, Is.EqualTo(default2));
        });
    }

    [TestCase(IdentityKind.Always, null, IdentityKind.ByDefault, null, "GENERATED ALWAYS AS IDENTITY", "GENERATED BY DEFAULT AS IDENTITY")]
    [TestCase(IdentityKind.AutoIncrement, null, IdentityKind.None, null, "AUTO_INCREMENT", "none")]
    [TestCase(IdentityKind.None, "total * 2", IdentityKind.None, "total * 3", "GENERATED ALWAYS AS (total * 2)", "GENERATED ALWAYS AS (total * 3)")]
    [TestCase(IdentityKind.None, "total * 2", IdentityKind.None, null, "GENERATED ALWAYS AS (total * 2)", "none")]
    public void Identity_and_generated_changes_are_RV208(IdentityKind identity0, string? generated0, IdentityKind identity2, string? generated2, string before, string after)
    {
        var s0 = S0.WithTable("public.orders", t => t.WithColumn("note", c => c with { Identity = identity0, GeneratedExpression = generated0 }));
        var s2 = S0.WithTable("public.orders", t => t.WithColumn("note", c => c with { Identity = identity2, GeneratedExpression = generated2 }));

        var finding = Single(SchemaDiffer.Diff(s0, s2), FindingCodes.ColumnIdentityChanged);

        Assert.Multiple(() =>
        {
            Assert.That(finding.Before, Is.EqualTo(before));
            Assert.That(finding.After, Is.EqualTo(after));
            Assert.That(finding.Message, Does.StartWith("Column public.orders.note is "));
        });
    }

    [Test]
    public void Collation_change_is_RV209()
    {
        var finding = Single(Diff(s => s.WithTable("public.customers", t => t.WithColumn("name", c => c with { Collation = "\"C\"" }))), FindingCodes.ColumnCollationChanged);

        Assert.Multiple(() =>
        {
            Assert.That(finding.Message, Is.EqualTo("Column public.customers.name has collation \"C\" after the rollback, was the default collation."));
            Assert.That(finding.Before, Is.Null);
            Assert.That(finding.After, Is.EqualTo("\"C\""));
        });
    }

    [Test]
    public void Column_order_is_one_warning_per_table_with_both_orders()
    {
        var findings = Diff(s => s
            .WithTable("public.orders", t => t.WithColumnOrder("id", "customer_id", "total", "status", "note"))
            .WithTable("public.customers", t => t.WithColumnOrder("email", "id")));

        Assert.Multiple(() =>
        {
            Assert.That(Codes(findings), Is.EqualTo("RV210 RV210"));
            Assert.That(findings.Select(f => f.Severity), Has.All.EqualTo(Severity.Warning));
            Assert.That(findings[1].Object, Is.EqualTo("public.orders"));
            Assert.That(findings[1].Before, Is.EqualTo("id, customer_id, status, total, note"));
            Assert.That(findings[1].After, Is.EqualTo("id, customer_id, total, status, note"));
        });
    }

    [Test]
    public void A_dropped_and_re_added_column_at_the_end_changes_the_order_of_the_common_columns()
    {
        // The classic: DROP COLUMN status in forward, ADD COLUMN status in rollback puts it last.
        var findings = Diff(s => s.WithTable("public.orders", t => t.WithColumnOrder("id", "customer_id", "total", "note", "status")));

        Assert.That(Codes(findings), Is.EqualTo("RV210"));
    }

    [Test]
    public void A_missing_or_extra_column_alone_is_not_an_order_change()
    {
        var findings = Diff(s => s.WithTable("public.orders", t => t.WithoutColumn("status").WithExtraColumn("source")));

        Assert.That(Codes(findings), Is.EqualTo("RV203 RV204"));
    }

    // ---------------------------------------------------------------- primary keys

    [TestCase(new[] { "id" }, null, "PRIMARY KEY (id)", null, TestName = "RV211 primary key missing")]
    [TestCase(null, new[] { "id" }, null, "PRIMARY KEY (id)", TestName = "RV211 primary key added")]
    [TestCase(new[] { "id" }, new[] { "id", "customer_id" }, "PRIMARY KEY (id)", "PRIMARY KEY (id, customer_id)", TestName = "RV211 primary key columns differ")]
    public void Primary_key_changes_are_RV211(string[]? columns0, string[]? columns2, string? before, string? after)
    {
        var s0 = S0.WithTable("public.orders", t => t with { PrimaryKey = columns0 is null ? null : new PrimaryKey("orders_pkey", columns0.ToValueList()) });
        var s2 = S0.WithTable("public.orders", t => t with { PrimaryKey = columns2 is null ? null : new PrimaryKey("orders_pkey", columns2.ToValueList()) });

        var finding = Single(SchemaDiffer.Diff(s0, s2), FindingCodes.PrimaryKeyChanged);

        Assert.Multiple(() =>
        {
            Assert.That(finding.Object, Is.EqualTo("public.orders (primary key)"));
            Assert.That(finding.Before, Is.EqualTo(before));
            Assert.That(finding.After, Is.EqualTo(after));
        });
    }

    [Test]
    public void A_primary_key_restored_under_another_name_is_a_rename_warning()
    {
        var finding = Single(Diff(s => s.WithTable("public.orders", t => t with { PrimaryKey = t.PrimaryKey! with { Name = "pk_orders" } })), FindingCodes.ConstraintRenamed);

        Assert.Multiple(() =>
        {
            Assert.That(finding.Severity, Is.EqualTo(Severity.Warning));
            Assert.That(finding.Object, Is.EqualTo("public.orders (primary key)"));
            Assert.That(finding.Before, Is.EqualTo("orders_pkey"));
            Assert.That(finding.After, Is.EqualTo("pk_orders"));
        });
    }

    // ---------------------------------------------------------------- foreign keys, uniques, checks

    [TestCase("on delete", "ON DELETE is NO ACTION, was CASCADE", TestName = "RV214 on delete")]
    [TestCase("on update", "ON UPDATE is CASCADE, was NO ACTION", TestName = "RV214 on update")]
    [TestCase("deferrable", "it is DEFERRABLE INITIALLY DEFERRED, was NOT DEFERRABLE", TestName = "RV214 deferrable")]
    [TestCase("enforced", "it is NOT ENFORCED, was ENFORCED", TestName = "RV214 enforced")]
    [TestCase("shape", "it is (customer_id) REFERENCES public.orders (id), was (customer_id) REFERENCES public.customers (id)", TestName = "RV214 references another table")]
    public void Foreign_key_changes_are_RV214(string property, string change)
    {
        Func<ForeignKey, ForeignKey> edit = property switch
        {
            "on delete" => f => f with { OnDelete = "NO ACTION" },
            "on update" => f => f with { OnUpdate = "CASCADE" },
            "deferrable" => f => f with { IsDeferrable = true, IsInitiallyDeferred = true },
            "enforced" => f => f with { IsEnforced = false },
            _ => f => f with { ReferencedTable = SnapshotBuilder.Name("public.orders") },
        };

        var finding = Single(Diff(s => s.WithTable("public.orders", t => t.WithForeignKey("orders_customer_id_fkey", edit))), FindingCodes.ForeignKeyChanged);

        Assert.Multiple(() =>
        {
            Assert.That(finding.Message, Does.StartWith("Foreign key orders_customer_id_fkey on public.orders differs after the rollback: "));
            Assert.That(finding.Message, Does.Contain(change));
            Assert.That(finding.Before, Is.EqualTo("FOREIGN KEY (customer_id) REFERENCES public.customers (id) ON DELETE CASCADE ON UPDATE NO ACTION"));
        });
    }

    [Test]
    public void A_foreign_key_re_added_without_its_actions_shows_both_definitions()
    {
        var finding = Single(Diff(s => s.WithTable("public.orders", t => t.WithForeignKey("orders_customer_id_fkey", f => f with { OnDelete = "NO ACTION" }))), FindingCodes.ForeignKeyChanged);

        Assert.Multiple(() =>
        {
            Assert.That(finding.Message, Is.EqualTo("Foreign key orders_customer_id_fkey on public.orders differs after the rollback: ON DELETE is NO ACTION, was CASCADE."));
            Assert.That(finding.After, Is.EqualTo("FOREIGN KEY (customer_id) REFERENCES public.customers (id) ON DELETE NO ACTION ON UPDATE NO ACTION"));
        });
    }

    public static IEnumerable<TestCaseData> Renames()
    {
        yield return new TestCaseData((Func<Table, Table>)(t => t.WithForeignKey("orders_customer_id_fkey", f => f with { Name = "fk_orders_customer" })), "public.orders (foreign key orders_customer_id_fkey)", "fk_orders_customer")
            .SetName("RV232 foreign key renamed");
        yield return new TestCaseData((Func<Table, Table>)(t => t.WithCheck("orders_total_check", c => c with { Name = "chk_orders_total" })), "public.orders (check orders_total_check)", "chk_orders_total")
            .SetName("RV232 check renamed");
        yield return new TestCaseData((Func<Table, Table>)(t => t with { Uniques = ValueList.Of(new UniqueConstraint("orders_note_key", ValueList.Of("note"), false)) }), "public.orders (unique orders_note_uq)", "orders_note_key")
            .SetName("RV232 unique renamed");
    }

    [TestCaseSource(nameof(Renames))]
    public void Constraints_restored_under_another_name_are_rename_warnings_not_missing_plus_extra(Func<Table, Table> rollback, string obj, string newName)
    {
        var s0 = S0.WithTable("public.orders", t => t with { Uniques = ValueList.Of(new UniqueConstraint("orders_note_uq", ValueList.Of("note"), false)) });
        var s2 = s0.WithTable("public.orders", rollback);

        var finding = Single(SchemaDiffer.Diff(s0, s2), FindingCodes.ConstraintRenamed);

        Assert.Multiple(() =>
        {
            Assert.That(finding.Severity, Is.EqualTo(Severity.Warning));
            Assert.That(finding.Object, Is.EqualTo(obj));
            Assert.That(finding.After, Is.EqualTo(newName));
            Assert.That(finding.Message, Does.Contain($"was restored under the name {newName}"));
        });
    }

    [Test]
    public void A_renamed_constraint_that_also_changed_is_a_rename_plus_a_change()
    {
        var findings = Diff(s => s.WithTable("public.orders", t => t.WithForeignKey("orders_customer_id_fkey", f => f with { Name = "fk_orders_customer", OnDelete = "RESTRICT" })));

        Assert.Multiple(() =>
        {
            Assert.That(Codes(findings), Is.EqualTo("RV214 RV232"));
            Assert.That(findings.Select(f => f.Object), Has.All.EqualTo("public.orders (foreign key orders_customer_id_fkey)"));
            Assert.That(findings[0].Message, Does.Contain("ON DELETE is RESTRICT, was CASCADE"));
        });
    }

    [Test]
    public void Unnamed_constraints_are_matched_by_shape_and_named_by_their_definition()
    {
        static SchemaSnapshot Items(Action<TableBuilder> constraints) => new SnapshotBuilder()
            .Table("items", t =>
            {
                t.Column("id").Column("qty").Column("sku", "TEXT", TypeFamily.Text);
                constraints(t);
            })
            .Build();

        var s0 = Items(t => t.Unique(null, "sku").Check(null, "qty > 0").ForeignKey(null, ["id"], "parents", ["id"]));
        var same = Items(t => t.ForeignKey(null, ["id"], "parents", ["id"]).Check(null, "qty > 0").Unique(null, "sku"));
        var loosened = Items(t => t.Unique(null, "sku").Check(null, "qty >= 0").ForeignKey(null, ["id"], "parents", ["id"], onDelete: "CASCADE"));

        var findings = SchemaDiffer.Diff(s0, loosened);

        Assert.Multiple(() =>
        {
            Assert.That(SchemaDiffer.Diff(s0, same), Is.Empty);
            Assert.That(Codes(findings), Is.EqualTo("RV214 RV218 RV219"));
            Assert.That(findings.Select(f => f.Object), Is.EqualTo(new[] { "items (foreign key (id) REFERENCES parents (id))", "items (check (qty > 0))", "items (check (qty >= 0))" }));
            Assert.That(findings[1].Message, Is.EqualTo("The check constraint CHECK (qty > 0) on items existed before the migration and is missing after the rollback."));
        });
    }

    [TestCase(true, TestName = "RV217 nulls not distinct")]
    [TestCase(false, TestName = "RV217 other columns")]
    public void Unique_changes_are_RV217(bool nullsNotDistinct)
    {
        var finding = Single(
            Diff(s => s.WithTable("public.customers", t => t.WithUnique("customers_email_key", u => nullsNotDistinct ? u with { NullsNotDistinct = true } : u with { Columns = ValueList.Of("name") }))),
            FindingCodes.UniqueChanged);

        Assert.That(finding.Message, Does.Contain(nullsNotDistinct ? "it is NULLS NOT DISTINCT, was NULLS DISTINCT" : "it covers (name), was (email)"));
    }

    [TestCase(true, TestName = "RV220 not enforced")]
    [TestCase(false, TestName = "RV220 other expression")]
    public void Check_changes_are_RV220(bool notEnforced)
    {
        var finding = Single(
            Diff(s => s.WithTable("public.orders", t => t.WithCheck("orders_total_check", c => notEnforced ? c with { IsEnforced = false } : c with { Expression = "total > (0)::numeric" }))),
            FindingCodes.CheckChanged);

        Assert.Multiple(() =>
        {
            Assert.That(finding.Before, Is.EqualTo("CHECK (total >= (0)::numeric)"));
            Assert.That(finding.After, Is.EqualTo(notEnforced ? "CHECK (total >= (0)::numeric) NOT ENFORCED" : "CHECK (total > (0)::numeric)"));
        });
    }

    // ---------------------------------------------------------------- indexes

    [TestCase("keys", "the keys are (customer_id DESC), were (customer_id)")]
    [TestCase("include", "it includes (total), included ()")]
    [TestCase("unique", "it is UNIQUE, was not unique")]
    [TestCase("predicate", "its predicate is WHERE customer_id > 0, was none")]
    [TestCase("method", "its method is hash, was btree")]
    public void Index_changes_are_RV223(string property, string change)
    {
        Func<TableIndex, TableIndex> edit = property switch
        {
            "keys" => i => i with { Keys = ValueList.Of(new IndexKey("customer_id", false, true, null, null)) },
            "include" => i => i with { IncludedColumns = ValueList.Of("total") },
            "unique" => i => i with { IsUnique = true },
            "predicate" => i => i with { Predicate = "customer_id > 0" },
            _ => i => i with { Method = "hash" },
        };

        var finding = Single(Diff(s => s.WithTable("public.orders", t => t.WithIndex("orders_customer_idx", edit))), FindingCodes.IndexChanged);

        Assert.Multiple(() =>
        {
            Assert.That(finding.Message, Is.EqualTo($"Index orders_customer_idx on public.orders differs after the rollback: {change}."));
            Assert.That(finding.Before, Is.EqualTo("INDEX USING btree (customer_id)"));
        });
    }

    [Test]
    public void An_index_left_invalid_says_so()
    {
        var finding = Single(Diff(s => s.WithTable("public.orders", t => t.WithIndex("orders_customer_idx", i => i with { IsValid = false }))), FindingCodes.IndexChanged);

        Assert.Multiple(() =>
        {
            Assert.That(finding.Message, Is.EqualTo("Index orders_customer_idx on public.orders is left INVALID (a failed CREATE INDEX CONCURRENTLY?) after the rollback."));
            Assert.That(finding.After, Is.EqualTo("INDEX USING btree (customer_id) INVALID"));
        });
    }

    [Test]
    public void An_index_restored_under_another_name_is_a_rename_warning()
    {
        var finding = Single(Diff(s => s.WithTable("public.orders", t => t.WithIndex("orders_open_idx", i => i with { Name = "idx_orders_open" }))), FindingCodes.IndexRenamed);

        Assert.Multiple(() =>
        {
            Assert.That(finding.Severity, Is.EqualTo(Severity.Warning));
            Assert.That(finding.Object, Is.EqualTo("public.orders (index orders_open_idx)"));
            Assert.That(finding.Before, Is.EqualTo("orders_open_idx"));
            Assert.That(finding.After, Is.EqualTo("idx_orders_open"));
        });
    }

    [Test]
    public void An_index_renamed_and_left_invalid_is_a_rename_plus_a_change()
    {
        var findings = Diff(s => s.WithTable("public.orders", t => t.WithIndex("orders_open_idx", i => i with { Name = "idx_orders_open", IsValid = false })));

        Assert.That(Codes(findings), Is.EqualTo("RV223 RV224"));
    }

    // ---------------------------------------------------------------- views, triggers, enums, routines, sequences

    [Test]
    public void View_definition_change_points_at_the_first_difference()
    {
        var finding = Single(Diff(s => s.WithView("public.open_orders", v => v with { Definition = "SELECT id, customer_id FROM orders;" })), FindingCodes.ViewChanged);

        Assert.Multiple(() =>
        {
            Assert.That(finding.Message, Is.EqualTo("View public.open_orders has a different definition after the rollback (first difference at character 35)."));
            Assert.That(finding.Evidence.Details["firstDifferenceAt"], Is.EqualTo("35"));
            Assert.That(finding.After, Is.EqualTo("VIEW AS SELECT id, customer_id FROM orders;"));
        });
    }

    [Test]
    public void A_view_that_became_materialized_is_RV227()
    {
        var finding = Single(Diff(s => s.WithView("public.open_orders", v => v with { IsMaterialized = true })), FindingCodes.ViewChanged);

        Assert.That(finding.Message, Is.EqualTo("View public.open_orders is a materialized view after the rollback, was a plain view."));
    }

    [TestCase("timing", "it fires AFTER UPDATE, was BEFORE UPDATE")]
    [TestCase("disabled", "it is disabled, was enabled")]
    [TestCase("body", "its definition differs from character 23")]
    public void Trigger_changes_are_RV230(string property, string change)
    {
        Func<Trigger, Trigger> edit = property switch
        {
            "timing" => t => t with { Timing = "AFTER" },
            "disabled" => t => t with { IsEnabled = false },
            _ => t => t with { Definition = "EXECUTE FUNCTION touch_v2()" },
        };

        var finding = Single(Diff(s => s.WithTrigger("orders_touch", edit)), FindingCodes.TriggerChanged);

        Assert.That(finding.Message, Is.EqualTo($"Trigger orders_touch on public.orders differs after the rollback: {change}."));
    }

    [Test]
    public void Triggers_are_keyed_by_table_and_name()
    {
        // The same trigger name on another table is another trigger (MySQL and SQLite scope names per table or database alike).
        var findings = Diff(s => s with { Triggers = ValueList.Of(s.Triggers[0] with { Table = SnapshotBuilder.Name("public.customers") }) });

        Assert.That(findings.Select(f => $"{f.Code} {f.Object}"), Is.EqualTo(new[] { "RV228 public.orders (trigger orders_touch)", "RV229 public.customers (trigger orders_touch)" }));
    }

    [TestCase(new[] { "new", "paid" }, "removed", "('shipped')", TestName = "RV231 label removed")]
    [TestCase(new[] { "new", "paid", "shipped", "returned" }, "added", "('returned')", TestName = "RV231 label added")]
    [TestCase(new[] { "paid", "new", "shipped" }, "order", "same labels, different sort order", TestName = "RV231 labels reordered")]
    public void Enum_label_changes_are_one_RV231_without_column_findings(string[] labels, string detail, string value)
    {
        var s2 = S0
            .WithEnum("public.order_status", e => e with { Labels = labels.ToValueList() })
            .WithTable("public.orders", t => t.WithColumn("status", c => c with { EnumValues = labels.ToValueList() }));

        var finding = Single(Diff(s2), FindingCodes.EnumChanged);

        Assert.Multiple(() =>
        {
            Assert.That(finding.Before, Is.EqualTo("('new', 'paid', 'shipped')"));
            Assert.That(finding.Evidence.Details[detail], Is.EqualTo(value));
        });
    }

    [Test]
    public void Missing_and_extra_enum_types_are_RV231()
    {
        var findings = Diff(s => s with { Enums = ValueList.Of(new EnumType(SnapshotBuilder.Name("public.mood"), ValueList.Of("ok"))) });

        Assert.Multiple(() =>
        {
            Assert.That(findings.Select(f => $"{f.Code} {f.Object}"), Is.EqualTo(new[] { "RV231 public.mood", "RV231 public.order_status" }));
            Assert.That(findings[0].Message, Does.Contain("did not exist before the migration"));
            Assert.That(findings[1].Message, Does.Contain("is missing after the rollback"));
        });
    }

    [Test]
    public void Routines_are_keyed_by_name_and_signature()
    {
        // An overload with another signature is another routine: the old one is missing, the new one extra.
        var findings = Diff(s => s.WithRoutine("public.touch", r => r with { Signature = "integer" }));

        Assert.Multiple(() =>
        {
            Assert.That(findings.Select(f => $"{f.Code} {f.Object}"), Is.EqualTo(new[] { "RV233 public.touch()", "RV234 public.touch(integer)" }));
            Assert.That(findings[0].Message, Is.EqualTo("Function public.touch() existed before the migration and is missing after the rollback."));
        });
    }

    [TestCase("type", "its type is integer, was bigint")]
    [TestCase("start", "START is 100, was 1")]
    [TestCase("increment", "INCREMENT is 10, was 1")]
    [TestCase("min", "MINVALUE is 0, was 1")]
    [TestCase("max", "MAXVALUE is 1000, was 9223372036854775807")]
    [TestCase("cycle", "CYCLE is on, was off")]
    [TestCase("owner", "its owner is none, was public.orders.id")]
    public void Sequence_definition_changes_are_RV403(string property, string change)
    {
        Func<Sequence, Sequence> edit = property switch
        {
            "type" => q => q with { DataType = "integer" },
            "start" => q => q with { Start = 100 },
            "increment" => q => q with { Increment = 10 },
            "min" => q => q with { MinValue = 0 },
            "max" => q => q with { MaxValue = 1000 },
            "cycle" => q => q with { Cycle = true },
            _ => q => q with { OwnedBy = null },
        };

        var finding = Single(Diff(s => s.WithSequence("public.orders_id_seq", edit)), FindingCodes.SequenceChanged);

        Assert.Multiple(() =>
        {
            Assert.That(finding.Message, Is.EqualTo($"Sequence public.orders_id_seq differs after the rollback: {change}."));
            Assert.That(finding.Before, Is.EqualTo("bigint START 1 INCREMENT 1 MINVALUE 1 MAXVALUE 9223372036854775807 NO CYCLE OWNED BY public.orders.id"));
        });
    }

    [Test]
    public void Sequences_are_keyed_by_name_and_kind()
    {
        var s0 = new SnapshotBuilder().Table("items", t => t.Column("id")).Sequence("items", SequenceKind.AutoIncrement, "int", null, null, null, null, ownedBy: "items.id").Build();
        var s2 = new SnapshotBuilder().Table("items", t => t.Column("id")).Sequence("items", SequenceKind.SqliteSequence, "INTEGER", 1, 1, null, null, ownedBy: "items.id").Build();

        var findings = SchemaDiffer.Diff(s0, s2);

        Assert.Multiple(() =>
        {
            Assert.That(findings.Select(f => $"{f.Code} {f.Object}"), Is.EqualTo(new[] { "RV401 items (AUTO_INCREMENT)", "RV402 items (sqlite_sequence)" }));
            Assert.That(findings[0].Message, Is.EqualTo("The AUTO_INCREMENT counter of table items existed before the migration and is missing after the rollback."));
        });
    }

    [Test]
    public void Sequence_positions_are_not_schema()
    {
        Assert.That(Diff(s => s.WithSequence("public.orders_id_seq", q => q with { NextValue = 1 })), Is.Empty);
    }

    // ---------------------------------------------------------------- ordering and scope

    private static SchemaSnapshot EverythingWrong(SchemaSnapshot s) => s
        .WithoutTable("public.customers")
        .Plus(b => b.Table("public.tags", t => t.Column("id")).View("public.big_orders", "SELECT 1;").Sequence("public.invoice_seq"))
        .WithTable("public.orders", t => t
            .WithoutColumn("note")
            .WithExtraColumn("source")
            .WithColumn("total", c => c with { DataType = "numeric(12,4)", Precision = 12, Scale = 4, Default = null, IsNullable = true })
            .WithColumnOrder("id", "total", "customer_id", "status", "source")
            .WithCheck("orders_total_check", c => c with { Name = "chk_total" })
            .WithIndex("orders_open_idx", i => i with { IsValid = false }))
        .WithTrigger("orders_touch", t => t with { IsEnabled = false })
        .WithSequence("public.orders_id_seq", q => q with { Increment = 5 })
        .WithEnum("public.order_status", e => e with { Labels = ValueList.Of("new") });

    [Test]
    public void Findings_are_ordered_by_severity_then_code_then_object()
    {
        var findings = Diff(EverythingWrong);

        var expected = findings
            .OrderByDescending(f => f.Severity)
            .ThenBy(f => f.Code, StringComparer.Ordinal)
            .ThenBy(f => f.Object, StringComparer.Ordinal)
            .ToList();
        Assert.Multiple(() =>
        {
            Assert.That(findings, Is.EqualTo(expected));
            Assert.That(findings.Select(f => f.Severity).Distinct(), Is.EqualTo(new[] { Severity.Error, Severity.Warning }));
            Assert.That(findings.Select(f => f.Code), Has.None.AnyOf("RV404", "RV405"), "positions are the data oracle's");
        });
    }

    [Test]
    public void Output_does_not_depend_on_the_order_of_the_input_collections()
    {
        static SchemaSnapshot Reversed(SchemaSnapshot s) => new(
            s.Tables.Reverse().Select(t => t with
            {
                Columns = t.Columns.Reverse().ToValueList(),
                ForeignKeys = t.ForeignKeys.Reverse().ToValueList(),
                Uniques = t.Uniques.Reverse().ToValueList(),
                Checks = t.Checks.Reverse().ToValueList(),
                Indexes = t.Indexes.Reverse().ToValueList(),
            }).ToValueList(),
            s.Views.Reverse().ToValueList(),
            s.Sequences.Reverse().ToValueList(),
            s.Enums.Reverse().ToValueList(),
            s.Triggers.Reverse().ToValueList(),
            s.Routines.Reverse().ToValueList());

        static string[] Text(IEnumerable<Finding> findings) => findings
            .Select(f => $"{f.Code} {f.Severity} {f.Object} | {f.Message} | {f.Before} | {f.After} | {f.Evidence.Count} "
                + string.Join(";", f.Evidence.SampleKeys) + " " + string.Join(";", f.Evidence.Details.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value}")))
            .ToArray();

        var s2 = EverythingWrong(S0);
        var first = Text(SchemaDiffer.Diff(S0, s2));

        Assert.Multiple(() =>
        {
            Assert.That(first, Has.Length.GreaterThan(10));
            Assert.That(Text(SchemaDiffer.Diff(Reversed(S0), Reversed(s2))), Is.EqualTo(first));
            Assert.That(Text(SchemaDiffer.Diff(S0, s2)), Is.EqualTo(first), "same result twice");
        });
    }

    [Test]
    public void Every_finding_uses_its_codes_default_severity_and_plain_sentences()
    {
        var findings = Diff(EverythingWrong);

        Assert.Multiple(() =>
        {
            foreach (var finding in findings)
            {
                Assert.That(finding.Severity, Is.EqualTo(FindingCodes.Get(finding.Code).Severity), finding.Code);
                Assert.That(finding.Message, Does.Match("^[A-Z].*\\.$"), finding.Message);
                Assert.That(finding.Before is not null || finding.After is not null, Is.True, finding.Message);
            }
        });
    }

    // ---------------------------------------------------------------- docs/findings.md

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RollbackVerifier.sln")))
            {
                return dir.FullName;
            }
        }

        // The private test project builds outside the repository; fall back to the sources' location.
        for (var dir = new DirectoryInfo(SourceDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RollbackVerifier.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("RollbackVerifier.sln not found above " + TestContext.CurrentContext.TestDirectory);
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    private static string FindingsMarkdown() => File.ReadAllText(Path.Combine(RepoRoot(), "docs", "findings.md")).ReplaceLineEndings("\n");

    [Test]
    public void Docs_catalog_block_is_generated_from_the_codes()
    {
        var generated = FindingsDocument.ExtractGenerated(FindingsMarkdown());

        Assert.That(generated, Is.EqualTo(FindingsDocument.RenderTable().Trim('\n')), "regenerate docs/findings.md with FindingsDocument.UpdateGenerated");
    }

    [Test]
    public void Docs_have_a_section_for_every_code()
    {
        var lines = FindingsMarkdown().Split('\n').ToHashSet(StringComparer.Ordinal);

        Assert.Multiple(() =>
        {
            foreach (var code in FindingCodes.All)
            {
                Assert.That(lines, Does.Contain(FindingsDocument.SectionHeading(code)), code.Code);
            }
        });
    }

    [Test]
    public void Updating_the_generated_block_keeps_the_prose_and_is_idempotent()
    {
        var doc = FindingsMarkdown();
        var updated = FindingsDocument.UpdateGenerated(doc);

        Assert.Multiple(() =>
        {
            Assert.That(FindingsDocument.UpdateGenerated(updated), Is.EqualTo(updated));
            Assert.That(FindingsDocument.ExtractGenerated(updated), Is.EqualTo(FindingsDocument.RenderTable().Trim('\n')));
            Assert.That(updated[updated.IndexOf(FindingsDocument.EndMarker, StringComparison.Ordinal)..], Is.EqualTo(doc[doc.IndexOf(FindingsDocument.EndMarker, StringComparison.Ordinal)..]));
        });
    }
}
