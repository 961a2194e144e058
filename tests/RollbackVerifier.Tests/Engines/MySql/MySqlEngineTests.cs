using System.Diagnostics;
using System.Text.RegularExpressions;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.MySql;
using RollbackVerifier.Tests.Support;

namespace RollbackVerifier.Tests.Engines.MySql;

/// <summary>
/// Conformance of the MySQL engine against a real server (RV_MYSQL_IMAGE; MariaDB 10.11 in our CI): every object
/// kind is inspected, snapshots are stable and database-independent, changes are detected, values are canonical,
/// databases are dropped, and the inspector agrees with mysqldump --no-data.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class MySqlEngineTests
{
    private const string Varied = """
        CREATE TABLE owners (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(120) NOT NULL, CONSTRAINT owners_email_key UNIQUE (email));
        CREATE TABLE items (
            id BIGINT AUTO_INCREMENT PRIMARY KEY,
            owner_id INT NOT NULL,
            code CHAR(8) NOT NULL COLLATE utf8mb4_bin,
            name VARCHAR(40) NOT NULL DEFAULT 'unnamed',
            price DECIMAL(10,2) NOT NULL,
            ratio DOUBLE,
            flag TINYINT(1) NOT NULL DEFAULT 0,
            status ENUM('new','paid','shipped') NOT NULL DEFAULT 'new',
            body TEXT,
            payload BLOB,
            made_on DATE,
            made_at DATETIME(3) DEFAULT CURRENT_TIMESTAMP(3),
            touched TIMESTAMP NULL DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP,
            total DECIMAL(12,2) AS (price * 2) STORED,
            CONSTRAINT items_owner_fk FOREIGN KEY (owner_id) REFERENCES owners (id) ON DELETE CASCADE ON UPDATE RESTRICT,
            CONSTRAINT items_price_check CHECK (price >= 0)
        );
        CREATE TABLE pairs (a INT NOT NULL, b INT NOT NULL, PRIMARY KEY (a, b));
        CREATE INDEX items_name_idx ON items (name DESC, code);
        CREATE INDEX items_body_prefix ON items (body(20));
        CREATE VIEW item_names AS SELECT id, name FROM items WHERE flag = 1;
        CREATE TRIGGER items_touch BEFORE UPDATE ON items FOR EACH ROW SET NEW.flag = 1;
        CREATE FUNCTION add_tax(amount DECIMAL(10,2)) RETURNS DECIMAL(10,2) DETERMINISTIC RETURN amount * 1.2;
        CREATE PROCEDURE touch_all() BEGIN UPDATE items SET flag = 1; END;
        """;

    private MySqlEngine _engine = null!;
    private string _runId = null!;
    private IDatabaseInstance _varied = null!;

    [OneTimeSetUp]
    public async Task CreateEngine()
    {
        DockerRequirement.Ensure();
        _runId = "t" + EngineSettings.NewRunId();
        _engine = new MySqlEngine(EngineSettings.FromEnvironment(EngineKind.MySql, _runId) with { ServerUrl = null });
        var clock = Stopwatch.StartNew();
        _varied = await CreateAsync("varied", Varied);
        TestContext.Progress.WriteLine($"MySQL: container start + first database + varied schema {clock.ElapsedMilliseconds} ms ({_varied.ServerVersion})");
    }

    [OneTimeTearDown]
    public async Task DisposeEngine()
    {
        if (_engine is null)
        {
            return;
        }

        await _engine.DisposeAsync();
        Assert.That(DockerRequirement.ListHarnessContainers(_runId), Is.Empty);
    }

    private async Task<IDatabaseInstance> CreateAsync(string name, string schema)
    {
        var instance = await _engine.CreateDatabaseAsync(new DatabaseRequest(name, IsolationMode.Database), CancellationToken.None);
        await ExecuteAsync(instance, schema);
        return instance;
    }

    private static async Task ExecuteAsync(IDatabaseInstance instance, string script)
    {
        await using var connection = await instance.OpenConnectionAsync(CancellationToken.None);
        foreach (var statement in instance.Dialect.Splitter.Split(script, "test.sql"))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = statement.Text;
            await command.ExecuteNonQueryAsync();
        }
    }

    [Test]
    public async Task Inspector_sees_every_object_kind_with_its_details()
    {
        var s = await _varied.InspectSchemaAsync(CancellationToken.None);
        var items = s.FindTable(ObjectName.Unqualified("items"))!;
        Assert.Multiple(() =>
        {
            Assert.That(s.Tables.Select(t => t.Name.Name), Is.EqualTo(new[] { "items", "owners", "pairs" }), "the marker table is hidden");
            Assert.That(items.FindColumn("id")!.Identity, Is.EqualTo(IdentityKind.AutoIncrement));
            Assert.That(items.FindColumn("owner_id")!.DataType, Is.EqualTo("int"), "display widths are normalized away");
            Assert.That(items.FindColumn("code")!.Collation, Is.EqualTo("utf8mb4_bin"));
            Assert.That(items.FindColumn("name")!.Length, Is.EqualTo(40));
            Assert.That(items.FindColumn("name")!.Default, Does.Contain("unnamed"));
            Assert.That(items.FindColumn("price")!.Precision, Is.EqualTo(10));
            Assert.That(items.FindColumn("price")!.Scale, Is.EqualTo(2));
            Assert.That(items.FindColumn("status")!.EnumValues, Is.EqualTo(new[] { "new", "paid", "shipped" }));
            Assert.That(items.FindColumn("touched")!.Default, Does.Contain("on update").IgnoreCase);
            Assert.That(items.FindColumn("total")!.GeneratedExpression, Does.Contain("price").And.EndWith("STORED"));
            Assert.That(items.FindColumn("body")!.Family, Is.EqualTo(TypeFamily.Text));
            Assert.That(items.FindColumn("payload")!.Family, Is.EqualTo(TypeFamily.Binary));
            Assert.That(items.PrimaryKey!.Columns, Is.EqualTo(new[] { "id" }));
            Assert.That(s.FindTable(ObjectName.Unqualified("pairs"))!.PrimaryKey!.Columns, Is.EqualTo(new[] { "a", "b" }));
            var fk = items.ForeignKeys.Single();
            Assert.That((fk.Name, fk.OnDelete, fk.OnUpdate, fk.ReferencedTable.Name), Is.EqualTo(("items_owner_fk", "CASCADE", "RESTRICT", "owners")));
            Assert.That(s.FindTable(ObjectName.Unqualified("owners"))!.Uniques.Single().Name, Is.EqualTo("owners_email_key"));
            Assert.That(items.Checks.Select(c => c.Name), Does.Contain("items_price_check"));
            var nameIndex = items.Indexes.Single(i => i.Name == "items_name_idx");
            Assert.That(nameIndex.Keys.Select(k => (k.Expression, k.Descending)), Is.EqualTo(new[] { ("name", true), ("code", false) }).Or.EqualTo(new[] { ("name", false), ("code", false) }), "DESC is kept where the server supports it");
            Assert.That(items.Indexes.Single(i => i.Name == "items_body_prefix").Keys.Single().Expression, Is.EqualTo("body(20)"));
            Assert.That(s.Views.Single().Name.Name, Is.EqualTo("item_names"));
            Assert.That(s.Views.Single().Definition, Does.Not.Contain(_varied.DatabaseName), "the database name is normalized away");
            Assert.That(s.Triggers.Single().Name, Is.EqualTo("items_touch"));
            Assert.That(s.Routines.Select(r => r.Name.Name), Is.EquivalentTo(new[] { "add_tax", "touch_all" }));
            Assert.That(s.Sequences.Select(q => q.OwnedBy), Is.EquivalentTo(new[] { "items.id", "owners.id" }));
        });
    }

    [Test]
    public async Task Untouched_database_snapshots_equal_and_same_schema_in_two_databases_is_equal()
    {
        var first = await _varied.InspectSchemaAsync(CancellationToken.None);
        var second = await _varied.InspectSchemaAsync(CancellationToken.None);
        Assert.That(second, Is.EqualTo(first));

        await using var other = await CreateAsync("other", Varied);
        Assert.That(await other.InspectSchemaAsync(CancellationToken.None), Is.EqualTo(first));
    }

    [TestCase("ALTER TABLE items MODIFY name VARCHAR(41) NOT NULL DEFAULT 'unnamed'")]
    [TestCase("ALTER TABLE items ALTER COLUMN name SET DEFAULT 'other'")]
    [TestCase("ALTER TABLE items DROP FOREIGN KEY items_owner_fk")]
    [TestCase("ALTER TABLE items DROP CONSTRAINT items_price_check")]
    [TestCase("DROP INDEX items_name_idx ON items")]
    [TestCase("DROP VIEW item_names")]
    [TestCase("DROP TRIGGER items_touch")]
    [TestCase("DROP FUNCTION add_tax")]
    [TestCase("ALTER TABLE items MODIFY status ENUM('new','paid') NOT NULL DEFAULT 'new'")]
    [TestCase("ALTER TABLE items MODIFY code CHAR(8) NOT NULL")]
    public async Task Each_change_makes_the_snapshot_unequal(string change)
    {
        await using var instance = await CreateAsync("change", Varied);
        var before = await instance.InspectSchemaAsync(CancellationToken.None);
        await ExecuteAsync(instance, change + ";");
        Assert.That(await instance.InspectSchemaAsync(CancellationToken.None), Is.Not.EqualTo(before));
    }

    [Test]
    public async Task Values_are_canonical_across_a_type_change_and_auto_increment_is_tracked()
    {
        await using var instance = await CreateAsync("values", "CREATE TABLE v (id INT AUTO_INCREMENT PRIMARY KEY, amount DECIMAL(10,2), f DOUBLE, at DATETIME, b VARBINARY(4));");
        await ExecuteAsync(instance, "INSERT INTO v (amount, f, at, b) VALUES (12.30, 1.5, '2024-01-02 03:04:05', 0x0102);");
        var schema = await instance.InspectSchemaAsync(CancellationToken.None);
        var rows = await ReadAsync(instance, schema.Tables.Single());
        Assert.That(rows.Single(), Is.EqualTo(new[] { "1", "12.3", "1.5", "2024-01-02T03:04:05", "\\x0102" }));
        Assert.That(schema.Sequences.Single().NextValue.Value, Is.EqualTo(2));

        await ExecuteAsync(instance, "ALTER TABLE v MODIFY amount DECIMAL(12,4);");
        schema = await instance.InspectSchemaAsync(CancellationToken.None);
        Assert.That((await ReadAsync(instance, schema.Tables.Single())).Single()[1], Is.EqualTo("12.3"), "12.3000 reads as 12.3");
    }

    [Test]
    public async Task Database_is_dropped_on_dispose_and_foreign_databases_are_refused()
    {
        var instance = await _engine.CreateDatabaseAsync(new DatabaseRequest("dropped", IsolationMode.Database), CancellationToken.None);
        var name = instance.DatabaseName;
        await instance.DisposeAsync();
        Assert.That(await DatabaseExistsAsync(name), Is.False);

        await using (var connection = await _varied.OpenConnectionAsync(CancellationToken.None))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE DATABASE rv_not_ours";
            await command.ExecuteNonQueryAsync();
        }

        Assert.That(async () => await _engine.DropDatabaseAsync("rv_not_ours", CancellationToken.None), Throws.InstanceOf<RollbackVerifierException>().With.Message.Contains("marker"));
        Assert.That(async () => await _engine.DropDatabaseAsync("mysql", CancellationToken.None), Throws.InstanceOf<RollbackVerifierException>().With.Message.Contains("prefix").Or.Message.Contains("does not start"));
        Assert.That(await DatabaseExistsAsync("rv_not_ours"), Is.True);
    }

    [Test]
    public async Task Inspector_agrees_with_mysqldump()
    {
        var container = DockerRequirement.ListHarnessContainers(_runId).Single();
        var dump = Run("docker", $"exec {container} sh -c \"mysqldump -uroot -prollbackverifier --no-data --routines --triggers --skip-comments {_varied.DatabaseName}\"");
        var s = await _varied.InspectSchemaAsync(CancellationToken.None);

        var dumpTables = CreateTable().Matches(dump).Select(m => m.Groups[1].Value).Where(t => t != "_rollbackverifier_marker").ToHashSet();
        var dumpViews = Regex.Matches(dump, @"VIEW `([^`]+)`").Select(m => m.Groups[1].Value).ToHashSet();
        dumpTables.ExceptWith(dumpViews);
        Assert.Multiple(() =>
        {
            Assert.That(s.Tables.Select(t => t.Name.Name), Is.EquivalentTo(dumpTables));
            Assert.That(s.Views.Select(v => v.Name.Name), Is.EquivalentTo(dumpViews));
            Assert.That(s.Triggers.Select(t => t.Name), Is.EquivalentTo(Regex.Matches(dump, @"TRIGGER `?(\w+)`? (?:BEFORE|AFTER)").Select(m => m.Groups[1].Value).Distinct()));
            Assert.That(s.Routines.Select(r => r.Name.Name), Is.EquivalentTo(Named("FUNCTION", dump).Concat(Named("PROCEDURE", dump))));
            foreach (var table in s.Tables)
            {
                var block = Regex.Match(dump, $@"CREATE TABLE `{table.Name.Name}` \((.*?)\n\)", RegexOptions.Singleline).Groups[1].Value;
                var dumpColumns = Regex.Matches(block, @"^\s+`([^`]+)` ", RegexOptions.Multiline).Select(m => m.Groups[1].Value);
                Assert.That(table.Columns.Select(c => c.Name), Is.EqualTo(dumpColumns), table.Name.Name);
                var dumpKeys = Regex.Matches(block, @"^\s+(?:UNIQUE |FULLTEXT )?KEY `([^`]+)`", RegexOptions.Multiline).Select(m => m.Groups[1].Value);
                Assert.That(table.Indexes.Select(i => i.Name).Concat(table.Uniques.Select(u => u.Name!)), Is.EquivalentTo(dumpKeys), table.Name.Name);
                var dumpConstraints = Regex.Matches(block, @"CONSTRAINT `([^`]+)`").Select(m => m.Groups[1].Value);
                Assert.That(table.ForeignKeys.Select(f => f.Name!).Concat(table.Checks.Select(c => c.Name!)), Is.EquivalentTo(dumpConstraints), table.Name.Name);
            }
        });
    }

    private static IEnumerable<string> Named(string kind, string dump) =>
        Regex.Matches(dump, $@"CREATE .*?{kind} `([^`]+)`").Select(m => m.Groups[1].Value).Distinct();

    private static async Task<List<string?[]>> ReadAsync(IDatabaseInstance instance, Table table)
    {
        var rows = new List<string?[]>();
        await foreach (var row in instance.ReadRowsAsync(table, CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }

    private async Task<bool> DatabaseExistsAsync(string name)
    {
        await using var connection = await _varied.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '{name}'";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private static string Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, error);
        return output;
    }

    [GeneratedRegex(@"CREATE TABLE `([^`]+)`")]
    private static partial Regex CreateTable();
}
