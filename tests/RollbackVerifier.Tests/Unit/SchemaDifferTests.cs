using RollbackVerifier.Diffing;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;

namespace RollbackVerifier.Tests.Unit;

/// <summary>The generic schema differ on hand-built snapshots (the end-to-end fixtures cover it on real engines).</summary>
public sealed class SchemaDifferTests
{
    private static Column Col(string name, int position, string type = "integer", bool nullable = true, string? @default = null, long? id = null) =>
        new(name, position, type, TypeFamily.Integer, null, null, null, nullable, @default, IdentityKind.None, null, null, ValueList<string>.Empty, id);

    private static Table Items(Action<List<Column>>? columns = null, IEnumerable<TableIndex>? indexes = null, IEnumerable<CheckConstraint>? checks = null, long? oid = 1)
    {
        var list = new List<Column> { Col("id", 1, nullable: false, id: 1), Col("qty", 2, id: 2), Col("note", 3, "text", id: 3) };
        columns?.Invoke(list);
        return Table.Create(new ObjectName("public", "items"), list, new PrimaryKey("items_pkey", ValueList.Of("id")), checks: checks, indexes: indexes, engineId: oid);
    }

    private static TableIndex Index(string name, params string[] columns) =>
        new(name, columns.Select(c => new IndexKey(c, false, false, null, null)).ToValueList(), ValueList<string>.Empty, false, null, "btree", true, (string?)null);

    private static SchemaSnapshot Snapshot(params Table[] tables) => SchemaSnapshot.Create(tables, [], [], [], [], []);

    private static IEnumerable<string> Codes(SchemaSnapshot before, SchemaSnapshot after) => SchemaDiffer.Diff(before, after).Select(f => f.Code);

    [Test]
    public void Equal_snapshots_differing_only_in_engine_ids_give_no_findings()
    {
        var before = Snapshot(Items(indexes: [Index("items_qty_idx", "qty")]));
        var after = Snapshot(Items(indexes: [Index("items_qty_idx", "qty")], oid: 99));
        Assert.That(after, Is.EqualTo(before));
        Assert.That(SchemaDiffer.Diff(before, after), Is.Empty);
    }

    [Test]
    public void Missing_table_is_one_finding_not_a_cascade()
    {
        var findings = SchemaDiffer.Diff(Snapshot(Items(indexes: [Index("i", "qty")])), Snapshot());
        Assert.That(findings.Select(f => (f.Code, f.Object)), Is.EqualTo(new[] { ("RV201", "public.items") }));
    }

    [Test]
    public void Column_changes_each_have_their_code()
    {
        var after = Snapshot(Items(c =>
        {
            c[1] = c[1] with { DataType = "bigint" };
            c[2] = c[2] with { IsNullable = false, Default = "'x'" };
        }));
        Assert.That(Codes(Snapshot(Items()), after), Is.EquivalentTo(new[] { "RV205", "RV206", "RV207" }));
    }

    [Test]
    public void Re_added_column_at_the_end_is_a_column_order_warning()
    {
        var moved = Snapshot(Table.Create(new ObjectName("public", "items"), [Col("id", 1, nullable: false), Col("note", 2, "text"), Col("qty", 3)], new PrimaryKey("items_pkey", ValueList.Of("id"))));
        var findings = SchemaDiffer.Diff(Snapshot(Items()), moved);
        Assert.That(findings.Single().Code, Is.EqualTo("RV210"));
        Assert.That(findings.Single().Severity, Is.EqualTo(Severity.Warning));
    }

    [Test]
    public void Index_restored_under_another_name_is_a_rename_warning()
    {
        var findings = SchemaDiffer.Diff(Snapshot(Items(indexes: [Index("items_qty_idx", "qty")])), Snapshot(Items(indexes: [Index("idx_qty", "qty")])));
        Assert.That(findings.Select(f => (f.Code, f.Severity, f.Before, f.After)), Is.EqualTo(new[] { ("RV224", Severity.Warning, (string?)"items_qty_idx", (string?)"idx_qty") }));
    }

    [Test]
    public void Index_on_other_columns_is_changed_and_unrelated_index_is_missing_plus_extra()
    {
        Assert.That(Codes(Snapshot(Items(indexes: [Index("i", "qty")])), Snapshot(Items(indexes: [Index("i", "qty", "id")]))), Is.EqualTo(new[] { "RV223" }));
        Assert.That(Codes(Snapshot(Items(indexes: [Index("i", "qty")])), Snapshot(Items(indexes: [Index("j", "note")]))), Is.EquivalentTo(new[] { "RV221", "RV222" }));
    }

    [Test]
    public void Check_constraints_by_name_then_by_expression()
    {
        CheckConstraint Check(string? name, string expression) => new(name, expression, true);
        var before = Snapshot(Items(checks: [Check("qty_ok", "qty >= 0")]));
        Assert.Multiple(() =>
        {
            Assert.That(Codes(before, Snapshot(Items(checks: [Check("qty_ok", "qty > 0")]))), Is.EqualTo(new[] { "RV220" }));
            Assert.That(Codes(before, Snapshot(Items(checks: [Check("chk", "qty >= 0")]))), Is.EqualTo(new[] { "RV232" }));
            Assert.That(Codes(before, Snapshot(Items())), Is.EqualTo(new[] { "RV218" }));
            Assert.That(Codes(Snapshot(Items()), before), Is.EqualTo(new[] { "RV219" }));
            Assert.That(Codes(Snapshot(Items(checks: [Check(null, "qty >= 0")])), Snapshot(Items(checks: [Check(null, "qty >= 0")]))), Is.Empty, "unnamed (SQLite) constraints match by shape");
        });
    }

    [Test]
    public void Findings_are_ordered_errors_first_then_by_code()
    {
        var after = Snapshot(Items(c => c.RemoveAt(2), indexes: [Index("idx", "qty")]));
        var findings = SchemaDiffer.Diff(Snapshot(Items(indexes: [Index("i", "qty")])), after);
        Assert.That(findings.Select(f => f.Severity), Is.Ordered.Descending);
        Assert.That(findings.First().Code, Is.EqualTo("RV203"));
    }
}
