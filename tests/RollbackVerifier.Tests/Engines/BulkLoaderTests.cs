using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.MySql;
using RollbackVerifier.PostgreSql;

namespace RollbackVerifier.Tests.Engines;

/// <summary>
/// The engines' bulk loaders against real databases: every value kind of every type family loads exactly as the
/// portable <see cref="PreparedInsertLoader"/> loads it (same canonical text, read back with ReadRowsAsync), a refused
/// row fails the whole load with a <see cref="DbException"/> and leaves nothing behind, the connection stays usable,
/// an exception of the row source comes out as it is, and large loads work. MySQL runs twice: with MySqlBulkCopy
/// (LOAD DATA LOCAL INFILE; switched on for the test container when the server has it off, as MySQL 8 does) and with
/// the multi-row INSERT fallback.
/// </summary>
[TestFixture(EngineKind.Postgres, "default")]
[TestFixture(EngineKind.MySql, "bulk-copy")]
[TestFixture(EngineKind.MySql, "multi-row-insert")]
[TestFixture(EngineKind.Sqlite, "default")]
[NonParallelizable]
public sealed class BulkLoaderTests(EngineKind kind, string variant)
{
    private IDatabaseInstance? _db;
    private int _tables;
    private bool _restoreLocalInfile;

    private IDatabaseInstance Db => _db ?? throw new InvalidOperationException("no database");

    private bool IsMariaDb => Db.ServerVersion.StartsWith("MariaDB", StringComparison.Ordinal);

    [OneTimeSetUp]
    public async Task CreateDatabase()
    {
        var engine = TestEngines.Get(kind);
        _db = await engine.CreateDatabaseAsync(new DatabaseRequest("bulk " + variant, IsolationMode.Database), CancellationToken.None);
        if (kind == EngineKind.Postgres)
        {
            await ExecuteAsync("""
                CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
                CREATE DOMAIN short_code AS varchar(8) CHECK (VALUE ~ '^[A-Z]+$');
                CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
                """);
        }

        if (variant == "bulk-copy" && await ScalarAsync("SELECT @@GLOBAL.local_infile") == 0)
        {
            if (Environment.GetEnvironmentVariable("RV_MYSQL_URL") is { Length: > 0 })
            {
                Assert.Ignore("The MySQL server at RV_MYSQL_URL has local_infile=OFF, so MySqlBulkCopy cannot run there (the loader uses INSERT batches).");
            }

            // Our own container: MySQL 8 ships with LOAD DATA LOCAL off; switch it on to test the MySqlBulkCopy path
            // (and off again afterwards, so that the other tests see the server as it was).
            await ExecuteAsync("SET GLOBAL local_infile = 1");
            _restoreLocalInfile = true;
        }
    }

    [OneTimeTearDown]
    public async Task DropDatabase()
    {
        if (_db is not null)
        {
            if (_restoreLocalInfile)
            {
                await ExecuteAsync("SET GLOBAL local_infile = 0");
            }

            await _db.DisposeAsync();
        }
    }

    private IBulkLoader Loader => variant switch
    {
        "bulk-copy" => new MySqlBulkLoader((MySqlDialect)Db.Dialect, MySqlBulkMode.BulkCopy),
        "multi-row-insert" => new MySqlBulkLoader((MySqlDialect)Db.Dialect, MySqlBulkMode.MultiRowInsert),
        _ => Db.BulkLoader,
    };

    [Test]
    public void EachEngineHasItsOwnLoader()
    {
        Assert.That(Db.BulkLoader, Is.TypeOf(kind switch
        {
            EngineKind.Postgres => typeof(PostgresBulkLoader),
            EngineKind.MySql => typeof(MySqlBulkLoader),
            _ => typeof(PreparedInsertLoader),
        }));
        var first = Db.BulkLoader;
        Assert.That(Db.BulkLoader, Is.SameAs(first), "one loader per instance (MySQL remembers whether LOAD DATA LOCAL is allowed)");
    }

    /// <summary>24 rows, and 2,100 (MySQL's INSERT batches: two full, prepared batches of 1,000 and a partial one).</summary>
    [TestCase(24)]
    [TestCase(2_100)]
    public async Task EveryValueKindLoadsAsPreparedInsertsLoadIt(int rowCount)
    {
        foreach (var (label, specs) in SpecTables())
        {
            var name = NextTable("kinds");
            var ddl = string.Join(", ", specs.Select(s => $"{Q(s.Name)} {s.Type}"));
            await ExecuteAsync($"CREATE TABLE {Q(name)} ({Q("id")} bigint PRIMARY KEY, {ddl}); CREATE TABLE {Q(name + "_ref")} ({Q("id")} bigint PRIMARY KEY, {ddl})");
            var table = await TableAsync(name);
            var reference = await TableAsync(name + "_ref");
            var rows = SpecRowsFor(specs, rowCount);

            long loaded, referenceLoaded;
            var connection = await Db.OpenConnectionAsync(CancellationToken.None);
            await using (connection)
            {
                loaded = await Loader.LoadAsync(connection, table, table.Columns, Stream(rows), CancellationToken.None);
                referenceLoaded = await new PreparedInsertLoader(Db.Dialect).LoadAsync(connection, reference, reference.Columns, Stream(rows.Select(ReferenceRow)), CancellationToken.None);
            }

            var actual = await ReadSortedAsync(table);
            var expected = await ReadSortedAsync(reference);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(loaded, Is.EqualTo(rowCount), label);
                Assert.That(referenceLoaded, Is.EqualTo(rowCount), label);
                Assert.That(actual, Has.Count.EqualTo(rowCount), label);
                for (var r = 0; r < Math.Min(actual.Count, expected.Count); r++)
                {
                    for (var c = 0; c < table.Columns.Count; c++)
                    {
                        Assert.That(actual[r][c], Is.EqualTo(expected[r][c]), $"{label}: row {r + 1}, column {table.Columns[c].Name} ({table.Columns[c].DataType}, value {Describe(rows[r][c])})");
                    }
                }

                // Absolute anchors: the first value of each column with an expectation, in row r = value index.
                for (var c = 0; c < specs.Count; c++)
                {
                    for (var v = 0; v < (specs[c].Expected?.Length ?? 0); v++)
                    {
                        if (rows[v][c + 1] is not null && v < actual.Count)
                        {
                            Assert.That(actual[v][c + 1], Is.EqualTo(specs[c].Expected![v]), $"{label}: column {specs[c].Name}, value {Describe(specs[c].Values[v])}");
                        }
                    }
                }

                Assert.That(actual.SelectMany(r => r.Skip(1)).Count(v => v is null), Is.GreaterThan(0), $"{label}: NULLs were written");
            }
        }
    }

    private static IEnumerable<TestCaseData> Refusals()
    {
        yield return new TestCaseData("duplicate key").SetArgDisplayNames("duplicate key");
        yield return new TestCaseData("null into not null").SetArgDisplayNames("null into not null");
        yield return new TestCaseData("check violated").SetArgDisplayNames("check violated");
        yield return new TestCaseData("too long").SetArgDisplayNames("too long");
        yield return new TestCaseData("out of range").SetArgDisplayNames("out of range");
        yield return new TestCaseData("not a number").SetArgDisplayNames("not a number");
    }

    [TestCaseSource(nameof(Refusals))]
    public async Task ARefusedRowFailsTheWholeLoadAndTheConnectionStaysUsable(string refusal)
    {
        await RefuseAsync(refusal, extraColumn: null);
        if (kind == EngineKind.Postgres)
        {
            // An array column makes PostgreSQL use text COPY, where the server parses (and refuses) every value.
            await RefuseAsync(refusal, extraColumn: "text[]");
        }
    }

    private async Task RefuseAsync(string refusal, string? extraColumn)
    {
        // SQLite enforces no declared type or length: it stores such values, and so does its loader.
        var refused = !(kind == EngineKind.Sqlite && refusal is "too long" or "out of range" or "not a number");
        var name = NextTable("refuse");
        var extra = extraColumn is null ? string.Empty : $", {Q("extra")} {extraColumn}";
        await ExecuteAsync($"CREATE TABLE {Q(name)} ({Q("id")} bigint PRIMARY KEY, {Q("name")} varchar(5) NOT NULL, {Q("qty")} integer CHECK ({Q("qty")} > 0), {Q("small")} smallint{extra})");
        var table = await TableAsync(name);
        object?[] Row(params object?[] values) => extraColumn is null ? values : [.. values, "{a,b}"];

        // The refused row comes after two full INSERT batches of MySQL's fallback (which are rolled back with it).
        var rows = Enumerable.Range(1, 2_500).Select(i => Row((long)i, "n" + (i % 1000).ToString(CultureInfo.InvariantCulture), (long)(i % 7) + 1, (long)(i % 30_000))).ToList();
        rows[2_200] = refusal switch
        {
            "duplicate key" => Row(3L, "dup", 1L, 1L),
            "null into not null" => Row(2_201L, null, 1L, 1L),
            "check violated" => Row(2_201L, "neg", -5L, 1L),
            "out of range" => Row(2_201L, "big", 1L, 40_000L),
            "not a number" => Row(2_201L, "nan", "abc", 1L),
            _ => Row(2_201L, "far too long", 1L, 1L),
        };

        var connection = await Db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            var loader = Loader;
            if (!refused)
            {
                Assert.That(await loader.LoadAsync(connection, table, table.Columns, Stream(rows), CancellationToken.None), Is.EqualTo(rows.Count));
                Assert.That(await CountAsync(connection, name), Is.EqualTo(rows.Count));
                return;
            }

            var error = Assert.CatchAsync(async () => await loader.LoadAsync(connection, table, table.Columns, Stream(rows), CancellationToken.None));
            Assert.That(error, Is.InstanceOf<DbException>(), $"refusals are DbExceptions (the seeder falls back to row by row on them); got {error}");
            TestContext.Out.WriteLine($"{kind}/{variant}{(extraColumn is null ? string.Empty : " with " + extraColumn)} {refusal}: {error!.GetType().Name}: {error.Message}");
            Assert.That(Db.Dialect.DescribeError((DbException)error).Code, Is.Not.Empty);
            Assert.That(await CountAsync(connection, name), Is.Zero, "nothing of a refused load stays written");

            var good = Enumerable.Range(1, 10).Select(i => Row((long)i, "ok", 1L, 2L)).ToList();
            Assert.That(await loader.LoadAsync(connection, table, table.Columns, Stream(good), CancellationToken.None), Is.EqualTo(10), "the connection stays usable");
            Assert.That(await CountAsync(connection, name), Is.EqualTo(10));
        }
    }

    [Test]
    public async Task AnEmptyStreamWritesNothing()
    {
        var name = NextTable("empty");
        await ExecuteAsync($"CREATE TABLE {Q(name)} ({Q("id")} bigint PRIMARY KEY, {Q("name")} varchar(20))");
        var table = await TableAsync(name);
        var connection = await Db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            Assert.That(await Loader.LoadAsync(connection, table, table.Columns, Stream([]), CancellationToken.None), Is.Zero);
            Assert.That(await CountAsync(connection, name), Is.Zero);
        }
    }

    [Test]
    public async Task TenThousandRowsLoad()
    {
        var name = NextTable("typical");
        await ExecuteAsync($"""
            CREATE TABLE {Q(name)} (
                {Q("id")} bigint PRIMARY KEY, {Q("email")} varchar(255) NOT NULL UNIQUE, {Q("full_name")} varchar(100),
                {Q("amount")} numeric(10,2), {Q("status")} varchar(20), {Q("created_at")} timestamp NULL, {Q("is_active")} boolean, {Q("notes")} text)
            """);
        var table = await TableAsync(name);
        const int count = 10_000;
        var start = new DateTime(2023, 1, 2, 8, 30, 0);
        var rows = Enumerable.Range(1, count).Select(i => new object?[]
        {
            (long)i, $"user{i}@example.com", $"User Number {i}", i * 1.25m, i % 3 == 0 ? "active" : "pending",
            start.AddMinutes(i), i % 2 == 0, i % 10 == 0 ? null : "note " + i.ToString(CultureInfo.InvariantCulture),
        }).ToList();

        var connection = await Db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            var clock = Stopwatch.StartNew();
            var loaded = await Loader.LoadAsync(connection, table, table.Columns, Stream(rows), CancellationToken.None);
            clock.Stop();
            TestContext.Out.WriteLine($"{kind}/{variant}: {count} rows in {clock.Elapsed.TotalMilliseconds:F0} ms ({count / clock.Elapsed.TotalSeconds:F0} rows/s)");
            Assert.That(loaded, Is.EqualTo(count));
            Assert.That(await CountAsync(connection, name), Is.EqualTo(count));
        }

        var read = await ReadSortedAsync(table);
        Assert.That(read[^1][1], Is.EqualTo($"user{count}@example.com"));
        Assert.That(read[^1][3], Is.EqualTo("12500"));
    }

    [Test]
    public async Task LargeValuesLoad()
    {
        // Ten 1-million-character rows: MySQL's INSERT batches split them to stay within max_allowed_packet.
        var name = NextTable("large");
        var textType = kind == EngineKind.MySql ? "longtext" : "text";
        await ExecuteAsync($"CREATE TABLE {Q(name)} ({Q("id")} bigint PRIMARY KEY, {Q("body")} {textType})");
        var table = await TableAsync(name);
        var rows = Enumerable.Range(1, 10).Select(i => new object?[] { (long)i, new string((char)('a' + i), 1_000_000) }).ToList();
        var connection = await Db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            Assert.That(await Loader.LoadAsync(connection, table, table.Columns, Stream(rows), CancellationToken.None), Is.EqualTo(10));
        }

        var read = await ReadSortedAsync(table);
        Assert.That(read.Select(r => r[1]!.Length), Is.All.EqualTo(1_000_000));
        Assert.That(read[9][1]![0], Is.EqualTo('k'));
    }

    [Test]
    public async Task AnErrorOfTheRowSourceComesOutAsItIsAndNothingIsWritten()
    {
        var name = NextTable("source");
        await ExecuteAsync($"CREATE TABLE {Q(name)} ({Q("id")} bigint PRIMARY KEY, {Q("name")} varchar(20))");
        var table = await TableAsync(name);
        var connection = await Db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            var loader = Loader;
            var error = Assert.CatchAsync(async () => await loader.LoadAsync(connection, table, table.Columns, Failing(100), CancellationToken.None));
            Assert.That(error, Is.TypeOf<InvalidOperationException>().With.Message.EqualTo("generator broke"), "not wrapped, not a DbException (which would read as a refused row)");
            Assert.That(await CountAsync(connection, name), Is.Zero);
            Assert.That(await loader.LoadAsync(connection, table, table.Columns, Stream([[1L, "after"]]), CancellationToken.None), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task CancellationStopsTheLoadAndWritesNothing()
    {
        var name = NextTable("cancel");
        await ExecuteAsync($"CREATE TABLE {Q(name)} ({Q("id")} bigint PRIMARY KEY, {Q("name")} varchar(20))");
        var table = await TableAsync(name);
        using var cancel = new CancellationTokenSource();
        var connection = await Db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            var loader = Loader;
            var error = Assert.CatchAsync(async () => await loader.LoadAsync(connection, table, table.Columns, CancelAfter(100, cancel), cancel.Token));
            Assert.That(error, Is.InstanceOf<OperationCanceledException>());
            Assert.That(await CountAsync(connection, name), Is.Zero, "the connection stays usable");
        }
    }

    // ----- value specifications ------------------------------------------------------------------------------------

    /// <param name="Name">Column name.</param>
    /// <param name="Type">Column type in the engine's DDL.</param>
    /// <param name="Values">Values cycled over the rows (row r gets value r % count; some cells are NULL instead).</param>
    /// <param name="Expected">Canonical text of the first values, checked in the rows that carry them.</param>
    private sealed record Spec(string Name, string Type, object?[] Values, string?[]? Expected = null);

    private IEnumerable<(string Label, IReadOnlyList<Spec> Specs)> SpecTables() => kind switch
    {
        EngineKind.Postgres => [("binary COPY", PostgresBinarySpecs()), ("text COPY", [.. PostgresBinarySpecs(), .. PostgresTextOnlySpecs()])],
        EngineKind.MySql => [("every family", MySqlSpecs())],
        _ => [("every family", SqliteSpecs())],
    };

    private static readonly Guid SomeGuid = Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7");

    private static readonly string Tricky = "Zoë \"q\" \\ back\ttab\nline\rcr";

    private static List<Spec> PostgresBinarySpecs() =>
    [
        new("small", "smallint", [7L, -32768L, 32767L], ["7", "-32768", "32767"]),
        new("medium", "integer", [42L, (long)int.MinValue, (long)int.MaxValue], ["42", "-2147483648", "2147483647"]),
        new("big", "bigint", [long.MaxValue, long.MinValue, 0L], ["9223372036854775807", "-9223372036854775808", "0"]),
        new("positive", "positive_int", [5L, 1L], ["5", "1"]),
        new("amount", "numeric(10,2)", [12.3m, -99999999.99m, 0.01m], ["12.3", "-99999999.99", "0.01"]),
        new("exact", "numeric", [1234567890.123456789m, -0.5m], ["1234567890.123456789", "-0.5"]),
        new("price", "money", [12.34m, -1.5m], ["12.34", "-1.5"]),
        new("ratio", "real", [1.5d, -0.25d], ["1.5", "-0.25"]),
        new("score", "double precision", [0.1d, 1e300, -2.5d, double.NaN, double.PositiveInfinity], ["0.1", "1E+300", "-2.5"]),
        new("flag", "boolean", [true, false], ["true", "false"]),
        new("name", "varchar(40)", ["plain", Tricky, "東京🙂", "'; DROP TABLE x; --", string.Empty], ["plain", Tricky, "東京🙂", "'; DROP TABLE x; --", string.Empty]),
        new("body", "text", [new string('x', 5000), "a\\.b", "\\."], [new string('x', 5000), "a\\.b", "\\."]),
        new("code", "char(3)", ["ab", "XYZ"]),
        new("region", "short_code", ["ABC", "Z"], ["ABC", "Z"]),
        new("blob", "bytea", [new byte[] { 0, 255, 39, 92 }, Array.Empty<byte>()], ["\\x00ff275c", "\\x"]),
        new("born", "date", [new DateTime(2000, 2, 29), new DateTime(1970, 1, 2)], ["2000-02-29", "1970-01-02"]),
        new("wake", "time(0)", [new TimeSpan(7, 30, 15), new TimeSpan(23, 59, 59)], ["07:30:15", "23:59:59"]),
        new("created", "timestamp(3)", [new DateTime(2024, 3, 10, 2, 30, 0, 123), new DateTime(1999, 12, 31, 23, 59, 59)], ["2024-03-10T02:30:00.123", "1999-12-31T23:59:59"]),
        new("updated", "timestamptz", [new DateTime(2024, 11, 3, 1, 30, 0, DateTimeKind.Utc), new DateTime(2024, 3, 31, 2, 30, 0, 500, DateTimeKind.Utc)], ["2024-11-03T01:30:00Z", "2024-03-31T02:30:00.5Z"]),
        new("nap", "interval", [TimeSpan.FromMinutes(90), new TimeSpan(2, 3, 4, 5), -TimeSpan.FromHours(26)], ["PT1H30M", "P2DT3H4M5S"]),
        new("ext", "uuid", [SomeGuid, Guid.Empty], [SomeGuid.ToString("D"), Guid.Empty.ToString("D")]),
        new("profile", "jsonb", ["{\"b\": 1, \"a\": [1, 2]}", "[]", "{\"s\": \"tab\\tq\\\"\"}"], ["{\"a\": [1, 2], \"b\": 1}", "[]"]),
        new("settings", "json", ["{\"x\": \"y\"}", "{\"k\": \"東京\"}"], ["{\"x\": \"y\"}", "{\"k\": \"東京\"}"]),
        new("mood", "mood", ["happy", "sad"], ["happy", "sad"]),
    ];

    private static List<Spec> PostgresTextOnlySpecs() =>
    [
        new("wake_tz", "time with time zone", [new TimeSpan(8, 0, 0)]),
        new("tags", "text[]", ["{a,b}", "{\"with space\",\"q\\\"uote\"}"], ["{a,b}", "{\"with space\",\"q\\\"uote\"}"]),
        new("nums", "integer[]", ["{1,2,3}"], ["{1,2,3}"]),
        new("ip", "inet", ["10.0.0.1", "192.168.0.0/24"], ["10.0.0.1/32", "192.168.0.0/24"]),
        new("flags", "bit(8)", ["10101010"], ["10101010"]),
    ];

    private List<Spec> MySqlSpecs() =>
    [
        new("tiny", "tinyint", [7L, -128L, 127L], ["7", "-128", "127"]),
        new("small", "smallint", [-32768L, 32767L], ["-32768", "32767"]),
        new("medium", "mediumint", [8388607L], ["8388607"]),
        new("normal", "int", [42L, (long)int.MinValue], ["42", "-2147483648"]),
        new("big", "bigint", [long.MaxValue, long.MinValue], ["9223372036854775807", "-9223372036854775808"]),
        new("flag", "tinyint(1)", [1L, 0L, true, false], ["1", "0", "1", "0"]),
        new("bits", "bit(8)", [170L, 1L], ["170", "1"]),
        new("amount", "decimal(10,2)", [12.3m, -99999999.99m], ["12.3", "-99999999.99"]),
        new("exact", "decimal(30,10)", [1234567890.123456789m], ["1234567890.123456789"]),
        new("ratio", "float", [1.5d, -0.25d], ["1.5", "-0.25"]),
        new("score", "double", [0.1d, 1e300, -2.5d], ["0.1", "1E+300", "-2.5"]),
        new("name", "varchar(40)", ["plain", Tricky, "東京🙂", "'; DROP TABLE x; --", string.Empty, "\\N"], ["plain", Tricky, "東京🙂", "'; DROP TABLE x; --", string.Empty, "\\N"]),
        new("body", "text", [new string('x', 1000)], [new string('x', 1000)]),
        new("code", "char(3)", ["ab", "XYZ"], ["ab", "XYZ"]),
        new("blob", "varbinary(16)", [new byte[] { 0, 255, 39, 92, 9, 10 }, Array.Empty<byte>()], ["\\x00ff275c090a", "\\x"]),
        new("big_blob", "blob", [Enumerable.Range(0, 200).Select(i => (byte)i).ToArray()]),
        new("born", "date", [new DateTime(2000, 2, 29), new DateTime(1970, 1, 2)], ["2000-02-29", "1970-01-02"]),
        new("wake", "time", [new TimeSpan(7, 30, 15), -TimeSpan.FromHours(1), TimeSpan.FromHours(100)], ["07:30:15", "-01:00:00", "100:00:00"]),
        new("wake_frac", "time(3)", [new TimeSpan(0, 7, 30, 15, 250)], ["07:30:15.25"]),
        new("created", "datetime(3)", [new DateTime(2024, 3, 10, 2, 30, 0, 123), new DateTime(1999, 12, 31, 23, 59, 59)], ["2024-03-10T02:30:00.123", "1999-12-31T23:59:59"]),
        new("stamped", "timestamp(6) NULL", [new DateTime(2024, 11, 3, 1, 30, 0, DateTimeKind.Utc), new DateTime(2024, 3, 31, 2, 30, 0, 500, DateTimeKind.Utc)], ["2024-11-03T01:30:00", "2024-03-31T02:30:00.5"]),
        new("ext", IsMariaDb ? "uuid" : "char(36)", [SomeGuid], [SomeGuid.ToString("D")]),
        new("profile", "json", ["{\"b\": 1, \"a\": [1, 2]}", "[]"], ["{\"a\":[1,2],\"b\":1}", "[]"]),
        new("mood", "enum('sad','ok','happy')", ["happy", "sad"], ["happy", "sad"]),
        new("perms", "set('read','write')", ["read,write", "read"], ["read,write", "read"]),
        new("shape", "point", [PointWkb(1.5, -2)]),
    ];

    /// <summary>MySQL's internal geometry format: SRID 0, then WKB of POINT(x y).</summary>
    private static byte[] PointWkb(double x, double y)
    {
        var bytes = new byte[25];
        bytes[4] = 1;
        bytes[5] = 1;
        BitConverter.GetBytes(x).CopyTo(bytes, 9);
        BitConverter.GetBytes(y).CopyTo(bytes, 17);
        return bytes;
    }

    private static List<Spec> SqliteSpecs() =>
    [
        new("small", "SMALLINT", [7L, -32768L], ["7", "-32768"]),
        new("big", "BIGINT", [long.MaxValue, long.MinValue], ["9223372036854775807", "-9223372036854775808"]),
        new("amount", "DECIMAL(10,2)", [12.3m, 0.01m]),
        new("ratio", "REAL", [1.5d, 0.1d], ["1.5", "0.1"]),
        new("flag", "BOOLEAN", [true, false], ["true", "false"]),
        new("name", "VARCHAR(40)", ["plain", Tricky, "東京🙂", string.Empty], ["plain", Tricky, "東京🙂", string.Empty]),
        new("blob", "BLOB", [new byte[] { 0, 255, 39, 92 }], ["\\x00ff275c"]),
        new("born", "DATE", [new DateTime(2000, 2, 29)]),
        new("wake", "TIME", [new TimeSpan(7, 30, 15)]),
        new("created", "DATETIME", [new DateTime(2024, 3, 10, 2, 30, 0, 123)]),
        new("updated", "TIMESTAMPTZ", [new DateTime(2024, 11, 3, 1, 30, 0, DateTimeKind.Utc)]),
        new("nap", "INTERVAL", [TimeSpan.FromMinutes(90)]),
        new("ext", "UUID", [SomeGuid]),
        new("profile", "JSON", ["{\"b\": 1, \"a\": [1, 2]}"]),
        new("anything", string.Empty, ["text", 5L, 2.5d]),
    ];

    /// <summary>Row r: id r + 1, then value r of each column, or NULL where (r + column) % 7 == 6.</summary>
    private static List<object?[]> SpecRowsFor(IReadOnlyList<Spec> specs, int count) =>
        Enumerable.Range(0, count).Select(r =>
        {
            var row = new object?[specs.Count + 1];
            row[0] = (long)(r + 1);
            for (var c = 0; c < specs.Count; c++)
            {
                var values = specs[c].Values;
                row[c + 1] = (r + c) % 7 == 6 && r >= values.Length ? null : values[r % values.Length];
            }

            return row;
        }).ToList();

    /// <summary>
    /// The reference rows: the same values, except that MariaDB refuses a Guid sent through a server-side prepared
    /// statement into a UUID column ("Incorrect uuid value"), so the reference gets its text.
    /// </summary>
    private object?[] ReferenceRow(object?[] row) =>
        kind == EngineKind.MySql ? row.Select(v => v is Guid g ? g.ToString("D") : v).ToArray() : row;

    // ----- helpers ---------------------------------------------------------------------------------------------------

    private string NextTable(string prefix) => $"{prefix}_{variant.Replace('-', '_')}_{++_tables}";

    private string Q(string identifier) => Db.Dialect.QuoteIdentifier(identifier);

    private async Task<Table> TableAsync(string name)
    {
        var schema = await Db.InspectSchemaAsync(CancellationToken.None);
        return schema.Tables.Single(t => t.Name.Name == name);
    }

    private async Task<List<string?[]>> ReadSortedAsync(Table table)
    {
        var rows = new List<string?[]>();
        await foreach (var row in Db.ReadRowsAsync(table, CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows.OrderBy(r => long.Parse(r[0]!, CultureInfo.InvariantCulture)).ToList();
    }

    private async Task ExecuteAsync(string sql)
    {
        var connection = await Db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            var command = connection.CreateCommand();
            await using (command)
            {
                command.CommandText = sql;
                await command.ExecuteNonQueryAsync();
            }
        }
    }

    private async Task<long> ScalarAsync(string sql)
    {
        var connection = await Db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            return await ScalarAsync(connection, sql);
        }
    }

    private static async Task<long> ScalarAsync(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        await using (command)
        {
            command.CommandText = sql;
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
    }

    private Task<long> CountAsync(DbConnection connection, string table) => ScalarAsync(connection, $"SELECT COUNT(*) FROM {Q(table)}");

    private static string Describe(object? value) => value switch
    {
        null => "NULL",
        byte[] b => "0x" + Convert.ToHexString(b),
        string s => "'" + (s.Length > 40 ? s[..40] + "..." : s) + "'",
        _ => $"{value} ({value.GetType().Name})",
    };

    private static async IAsyncEnumerable<object?[]> Stream(IEnumerable<object?[]> rows)
    {
        foreach (var row in rows)
        {
            await Task.Yield();
            yield return row;
        }
    }

    private static async IAsyncEnumerable<object?[]> Failing(int after)
    {
        for (var i = 1; ; i++)
        {
            await Task.Yield();
            if (i > after)
            {
                throw new InvalidOperationException("generator broke");
            }

            yield return [(long)i, "row"];
        }
    }

    private static async IAsyncEnumerable<object?[]> CancelAfter(int after, CancellationTokenSource cancel, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 1; ; i++)
        {
            await Task.Yield();
            if (i > after)
            {
                await cancel.CancelAsync();
            }

            cancellationToken.ThrowIfCancellationRequested();
            yield return [(long)i, "row"];
        }
    }
}

/// <summary>How the MySQL loader chooses between MySqlBulkCopy and INSERT batches, on the tests' MySQL server.</summary>
[TestFixture]
[NonParallelizable]
public sealed class MySqlBulkModeTests
{
    private IDatabaseInstance? _db;

    private IDatabaseInstance Db => _db ?? throw new InvalidOperationException("no database");

    [OneTimeSetUp]
    public async Task CreateDatabase() =>
        _db = await TestEngines.Get(EngineKind.MySql).CreateDatabaseAsync(new DatabaseRequest("bulk mode", IsolationMode.Database), CancellationToken.None);

    [OneTimeTearDown]
    public async Task DropDatabase()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }

    [Test]
    public async Task AutoModeFollowsTheServersLocalInfile()
    {
        await ExecuteAsync("CREATE TABLE auto_plain (id bigint PRIMARY KEY)");
        var table = (await Db.InspectSchemaAsync(CancellationToken.None)).Tables.Single(t => t.Name.Name == "auto_plain");
        var original = await ScalarAsync("SELECT @@GLOBAL.local_infile");
        var canChange = Environment.GetEnvironmentVariable("RV_MYSQL_URL") is not { Length: > 0 };
        try
        {
            foreach (var setting in canChange ? new[] { 1L, 0L } : [original])
            {
                if (canChange)
                {
                    // The tests' own container: both settings are tried (the loader asks once, so a new loader each time).
                    await ExecuteAsync($"SET GLOBAL local_infile = {setting}");
                }

                var loader = new MySqlBulkLoader((MySqlDialect)Db.Dialect);
                var connection = await Db.OpenConnectionAsync(CancellationToken.None);
                await using (connection)
                {
                    await ExecuteAsync("DELETE FROM auto_plain");
                    Assert.That(await loader.LoadAsync(connection, table, table.Columns, Rows(3), CancellationToken.None), Is.EqualTo(3));
                    Assert.That(loader.LastMode, Is.EqualTo(setting == 1 ? MySqlBulkMode.BulkCopy : MySqlBulkMode.MultiRowInsert), $"local_infile={setting}");
                }
            }
        }
        finally
        {
            if (canChange)
            {
                await ExecuteAsync($"SET GLOBAL local_infile = {original}");
            }
        }
    }

    [Test]
    public async Task TablesWithAYearColumnUseInsertBatches()
    {
        await ExecuteAsync("CREATE TABLE with_year (id bigint PRIMARY KEY, y year NULL)");
        var table = (await Db.InspectSchemaAsync(CancellationToken.None)).Tables.Single(t => t.Name.Name == "with_year");
        var loader = new MySqlBulkLoader((MySqlDialect)Db.Dialect, MySqlBulkMode.BulkCopy);
        var connection = await Db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            Assert.That(await loader.LoadAsync(connection, table, table.Columns, Rows(2, year: true), CancellationToken.None), Is.EqualTo(2));
        }

        Assert.That(loader.LastMode, Is.EqualTo(MySqlBulkMode.MultiRowInsert), "MySqlBulkCopy refuses YEAR columns");
        Assert.That(await ScalarAsync("SELECT SUM(y) FROM with_year"), Is.EqualTo(2024 + 2025));
    }

    private static async IAsyncEnumerable<object?[]> Rows(int count, bool year = false)
    {
        for (var i = 1; i <= count; i++)
        {
            await Task.Yield();
            yield return year ? [(long)i, 2023L + i] : [(long)i];
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        var connection = await Db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            var command = connection.CreateCommand();
            await using (command)
            {
                command.CommandText = sql;
                await command.ExecuteNonQueryAsync();
            }
        }
    }

    private async Task<long> ScalarAsync(string sql)
    {
        var connection = await Db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            var command = connection.CreateCommand();
            await using (command)
            {
                command.CommandText = sql;
                return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            }
        }
    }
}

/// <summary>The PostgreSQL loader's choices that need no server: wire formats by receive function, COPY text escaping.</summary>
[TestFixture]
public sealed class PostgresCopyFormatTests
{
    [TestCase("int2recv", "Int2")]
    [TestCase("int4recv", "Int4")]
    [TestCase("numeric_recv", "Numeric")]
    [TestCase("enum_recv", "Text")]
    [TestCase("citextrecv", "Text")]
    [TestCase("json_recv", "Text")]
    [TestCase("jsonb_recv", "Jsonb")]
    [TestCase("timestamptz_recv", "TimestampTz")]
    [TestCase("array_recv", "TextOnly")]
    [TestCase("timetz_recv", "TextOnly")]
    [TestCase("inet_recv", "TextOnly")]
    [TestCase(null, "TextOnly")]
    public void WireFormatFollowsTheReceiveFunction(string? receive, string wire) =>
        Assert.That(PostgresBulkLoader.WireOf(receive).ToString(), Is.EqualTo(wire));

    [Test]
    public void CopyTextEscapesAndFormats()
    {
        static string Field(object? value, PostgresBulkLoader.Wire wire = PostgresBulkLoader.Wire.TextOnly)
        {
            var line = new StringBuilder();
            PostgresBulkLoader.AppendCopyText(line, value, wire, new Column("c", 1, "x", TypeFamily.Other, null, null, null, true, null, IdentityKind.None, null, null, ValueList<string>.Empty, new NonCompared<long?>(null)));
            return line.ToString();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Field(null), Is.EqualTo("\\N"));
            Assert.That(Field("a\tb\\c\nd\re"), Is.EqualTo("a\\tb\\\\c\\nd\\re"));
            Assert.That(Field("\\N"), Is.EqualTo("\\\\N"), "a string \\N is not NULL");
            Assert.That(Field(new byte[] { 0, 255 }), Is.EqualTo("\\\\x00ff"));
            Assert.That(Field(true), Is.EqualTo("true"));
            Assert.That(Field(12.30m), Is.EqualTo("12.30"));
            Assert.That(Field(double.NegativeInfinity), Is.EqualTo("-Infinity"));
            Assert.That(Field(new DateTime(2024, 1, 2, 3, 4, 5, 6), PostgresBulkLoader.Wire.Timestamp), Is.EqualTo("2024-01-02 03:04:05.006000"));
            Assert.That(Field(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc), PostgresBulkLoader.Wire.TimestampTz), Is.EqualTo("2024-01-02 03:04:05.000000+00"));
            Assert.That(Field(new DateTime(2024, 1, 2), PostgresBulkLoader.Wire.Date), Is.EqualTo("2024-01-02"));
            Assert.That(Field(new TimeSpan(1, 2, 3, 4), PostgresBulkLoader.Wire.Interval), Is.EqualTo("1 days 02:03:04.000000"));
            Assert.That(Field(-new TimeSpan(1, 2, 3, 4), PostgresBulkLoader.Wire.Interval), Is.EqualTo("-1 days -02:03:04.000000"));
            Assert.That(Field(new TimeSpan(1, 2, 3, 4)), Is.EqualTo("02:03:04.000000"), "a time of day wraps at 24 hours");
        }
    }
}
