using RollbackVerifier.Diffing;
using RollbackVerifier.Model;
using static RollbackVerifier.Tests.Oracle.OracleRun;

namespace RollbackVerifier.Tests.Oracle;

public sealed class RowStoreTests
{
    private static SchemaSnapshot Schema(params string[] columns) =>
        new OracleSnapshotBuilder()
            .Table("items", t =>
            {
                foreach (var column in columns)
                {
                    t.Column(column);
                }
            })
            .Table("empty", t => t.Column("x"))
            .Build();

    private static async Task<bool> EqualAsync(SchemaSnapshot schemaA, string?[][] rowsA, SchemaSnapshot schemaB, string?[][] rowsB)
    {
        var store = await RowStore.CreateAsync(CancellationToken.None);
        await using (store)
        {
            await store.CaptureAsync("a", schemaA, (t, ct) => Stream(t.Name.Name == "items" ? rowsA : [], ct), CancellationToken.None);
            await store.CaptureAsync("b", schemaB, (t, ct) => Stream(t.Name.Name == "items" ? rowsB : [], ct), CancellationToken.None);
            return await store.DataEqualAsync("a", schemaA, "b", schemaB, CancellationToken.None);
        }
    }

    [Test]
    public async Task Data_equal_compares_tables_columns_by_name_and_row_multisets()
    {
        var ab = Schema("a", "b");
        var ba = Schema("b", "a");
        string?[][] rows = [R("1", "x"), R("1", "x"), R("2", null)];

        Assert.Multiple(async () =>
        {
            Assert.That(await EqualAsync(ab, rows, ab, [R("2", null), R("1", "x"), R("1", "x")]), Is.True, "row order does not matter");
            Assert.That(await EqualAsync(ab, rows, ba, [R("x", "1"), R(null, "2"), R("x", "1")]), Is.True, "column order does not matter");
            Assert.That(await EqualAsync(ab, rows, ab, [R("1", "x"), R("2", null), R("2", null)]), Is.False, "same rows, other multiplicities");
            Assert.That(await EqualAsync(ab, rows, ab, [R("1", "x"), R("1", "x"), R("2", "")]), Is.False, "NULL is not the empty string");
            Assert.That(await EqualAsync(ab, rows, ab, [R("1", "x"), R("1", "x")]), Is.False, "a row fewer");
            Assert.That(await EqualAsync(ab, rows, Schema("a", "c"), rows), Is.False, "a column renamed");
            Assert.That(await EqualAsync(ab, rows, new OracleSnapshotBuilder().Table("items", t => t.Column("a").Column("b")).Build(), rows), Is.False, "a table fewer");
        });
    }

    [Test]
    public async Task Counts_rows_per_capture_and_deletes_its_file_on_dispose()
    {
        var schema = Schema("a");
        var store = await RowStore.CreateAsync(CancellationToken.None);
        var path = store.FilePath;
        await using (store)
        {
            await store.CaptureAsync("s0", schema, (t, ct) => Stream(t.Name.Name == "items" ? [R("1"), R("2"), R((string?)null)] : [], ct), CancellationToken.None);
            await store.CaptureAsync("s1", schema, (t, ct) => Stream(t.Name.Name == "items" ? [R("1")] : [], ct), CancellationToken.None);
            Assert.Multiple(async () =>
            {
                Assert.That(File.Exists(path), Is.True);
                Assert.That(Path.GetDirectoryName(path), Is.EqualTo(Path.GetDirectoryName(Path.Combine(Path.GetTempPath(), "x"))));
                Assert.That(await store.CountAsync("s0", ObjectName.Unqualified("items"), CancellationToken.None), Is.EqualTo(3));
                Assert.That(await store.CountAsync("s1", ObjectName.Unqualified("items"), CancellationToken.None), Is.EqualTo(1));
                Assert.That(await store.CountAsync("s1", ObjectName.Unqualified("empty"), CancellationToken.None), Is.Zero);
            });

            // Capturing a name again replaces it.
            await store.CaptureAsync("s1", schema, (t, ct) => Stream(t.Name.Name == "items" ? [R("1"), R("3")] : [], ct), CancellationToken.None);
            Assert.That(await store.CountAsync("s1", ObjectName.Unqualified("items"), CancellationToken.None), Is.EqualTo(2));
        }

        Assert.That(File.Exists(path), Is.False);
    }

    [Test]
    public async Task Rows_of_the_wrong_width_are_refused()
    {
        var store = await RowStore.CreateAsync(CancellationToken.None);
        await using (store)
        {
            Assert.That(
                async () => await store.CaptureAsync("s0", Schema("a", "b"), (t, ct) => Stream([R("only one")], ct), CancellationToken.None),
                Throws.InvalidOperationException.With.Message.Contains("items"));
        }
    }

    [Test]
    public async Task Captures_a_large_table_without_holding_it_in_memory()
    {
        const int Rows = 200_000;
        static IEnumerable<string?[]> Generate(int shift)
        {
            for (var i = 0; i < Rows; i++)
            {
                yield return [i.ToString(System.Globalization.CultureInfo.InvariantCulture), ((i * 7) + shift).ToString(System.Globalization.CultureInfo.InvariantCulture)];
            }
        }

        var schema = new OracleSnapshotBuilder().Table("big", t => t.Column("id", TypeFamily.Integer).Column("v").Key("id")).Build();
        var store = await RowStore.CreateAsync(CancellationToken.None);
        await using (store)
        {
            await store.CaptureAsync("s0", schema, (_, ct) => Stream(Generate(0), ct), CancellationToken.None);
            await store.CaptureAsync("s1", schema, (_, ct) => Stream(Generate(0), ct), CancellationToken.None);
            await store.CaptureAsync("s1p", schema, (_, ct) => Stream(Generate(0), ct), CancellationToken.None);
            await store.CaptureAsync("s2", schema, (_, ct) => Stream(Generate(0).Select(r => r[0] == "4242" ? [r[0], "changed"] : r), ct), CancellationToken.None);
            var findings = await DataOracle.CheckAsync(store, new OracleSnapshots(schema, schema, schema, schema), CancellationToken.None);

            Assert.That(findings.Select(f => (f.Code, f.Object, f.Evidence.Count)), Is.EqualTo(new[] { ("RV303", "big.v", (long?)1) }), findings.Describe());
        }
    }
}
