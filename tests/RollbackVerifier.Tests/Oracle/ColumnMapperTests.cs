using RollbackVerifier.Diffing;
using RollbackVerifier.Model;
using static RollbackVerifier.Tests.Oracle.OracleRun;

namespace RollbackVerifier.Tests.Oracle;

public sealed class ColumnMapperTests
{
    private static readonly string[] Before = ["s0", "s1"];

    [Test]
    public async Task Columns_map_by_engine_id_then_name_then_data()
    {
        var s0 = new OracleSnapshotBuilder().Table("public.t", t => t
            .Column("id", TypeFamily.Integer, engineId: 1).Column("a", engineId: 2).Column("b", engineId: 3).Column("c", engineId: 4).Column("gone", engineId: 5)
            .Key("id").EngineId(10)).Build();

        // a renamed (attnum kept), b kept, c dropped and re-added by copy under a new attnum, gone dropped, fresh added.
        var s1 = new OracleSnapshotBuilder().Table("public.t", t => t
            .Column("id", TypeFamily.Integer, engineId: 1).Column("a2", engineId: 2).Column("b", engineId: 3).Column("c", engineId: 7).Column("fresh", engineId: 8)
            .Key("id").EngineId(10)).Build();

        var mapping = await new OracleRun { S0 = s0, S1 = s1, S2 = s0 }
            .Rows("s0", "public.t", R("1", "x", "y", "z", "g"), R("2", "x2", "y2", "z2", "g2"))
            .Rows("s1", "public.t", R("1", "x", "y", "z", null), R("2", "x2", "y2", "z2", null))
            .MapAsync();

        var table = mapping.Tables.Single();
        Assert.Multiple(() =>
        {
            Assert.That(table.Source, Is.EqualTo(MappingSource.EngineId));
            Assert.That(table.Columns.Select(c => (c.Before.Name, c.After.Name, c.Source)), Is.EqualTo(new[]
            {
                ("id", "id", MappingSource.EngineId),
                ("a", "a2", MappingSource.EngineId),
                ("b", "b", MappingSource.EngineId),
                ("c", "c", MappingSource.Data),
            }));
            Assert.That(table.ForBefore("gone"), Is.Null);
            Assert.That(table.ForAfter("fresh"), Is.Null);
        });
    }

    [Test]
    public async Task Rename_without_ids_is_found_by_at_least_ninety_percent_agreement_on_joined_rows()
    {
        var s0 = new OracleSnapshotBuilder().Table("t", t => t.Column("id", TypeFamily.Integer).Column("name").Column("other").Key("id")).Build();
        var s1 = new OracleSnapshotBuilder().Table("t", t => t.Column("id", TypeFamily.Integer).Column("full_name").Column("other2").Key("id")).Build();

        // full_name equals name on 9 of 10 rows (one converted); other2 agrees with other on 8 of 10 only.
        var rows0 = Enumerable.Range(1, 10).Select(i => R(i.ToString(System.Globalization.CultureInfo.InvariantCulture), "n" + i, "o" + i)).ToArray();
        var rows1 = Enumerable.Range(1, 10).Select(i => R(i.ToString(System.Globalization.CultureInfo.InvariantCulture), i == 1 ? "N1" : "n" + i, i <= 2 ? "changed" : "o" + i)).ToArray();
        var mapping = await new OracleRun { S0 = s0, S1 = s1, S2 = s0 }.Rows("s0", "t", rows0).Rows("s1", "t", rows1).MapAsync();

        var table = mapping.Tables.Single();
        Assert.Multiple(() =>
        {
            Assert.That(table.Source, Is.EqualTo(MappingSource.Name));
            Assert.That(table.ForBefore("name")?.After.Name, Is.EqualTo("full_name"));
            Assert.That(table.ForBefore("name")?.Source, Is.EqualTo(MappingSource.Data));
            Assert.That(table.ForBefore("other"), Is.Null);
        });
    }

    [Test]
    public async Task Renamed_table_without_ids_is_found_by_its_rows_and_a_new_table_is_not()
    {
        var s0 = new OracleSnapshotBuilder()
            .Table("orders", t => t.Column("id", TypeFamily.Integer).Column("total").Key("id"))
            .Build();
        var s1 = new OracleSnapshotBuilder()
            .Table("archive", t => t.Column("id", TypeFamily.Integer).Column("total").Key("id"))
            .Table("sales", t => t.Column("id", TypeFamily.Integer).Column("total").Column("channel").Key("id"))
            .Build();
        var mapping = await new OracleRun { S0 = s0, S1 = s1, S2 = s0 }
            .Rows("s0", "orders", R("1", "10"), R("2", "20"), R("3", "30"))
            .Rows("s1", "sales", R("1", "10", "web"), R("2", "20", "web"), R("3", "30", "shop"))
            .Rows("s1", "archive", R("7", "70"))
            .MapAsync();

        var table = mapping.Tables.Single();
        Assert.Multiple(() =>
        {
            Assert.That(table.After.Name, Is.EqualTo(ObjectName.Unqualified("sales")));
            Assert.That(table.Source, Is.EqualTo(MappingSource.Data));
            Assert.That(table.Columns.Select(c => (c.Before.Name, c.After.Name, c.Source)), Is.EqualTo(new[]
            {
                ("id", "id", MappingSource.Name),
                ("total", "total", MappingSource.Name),
            }));
            Assert.That(mapping.ForAfter(ObjectName.Unqualified("archive")), Is.Null);
        });
    }

    [Test]
    public async Task Renamed_key_column_without_ids_is_matched_by_its_values()
    {
        var s0 = new OracleSnapshotBuilder().Table("t", t => t.Column("id", TypeFamily.Integer).Column("v").Key("id")).Build();
        var s1 = new OracleSnapshotBuilder().Table("t", t => t.Column("t_id", TypeFamily.Integer).Column("value").Key("t_id")).Build();
        var mapping = await new OracleRun { S0 = s0, S1 = s1, S2 = s0 }
            .Rows(Before, "t", R("1", "a"), R("2", "b"), R("3", "c"))
            .MapAsync();

        var table = mapping.Tables.Single();
        Assert.That(table.Columns.Select(c => (c.Before.Name, c.After.Name, c.Source)), Is.EqualTo(new[]
        {
            ("id", "t_id", MappingSource.Data),
            ("v", "value", MappingSource.Data),
        }));
    }
}
