using RollbackVerifier.Model;
using RollbackVerifier.Sqlite;

namespace RollbackVerifier.Tests.Engines.Sqlite;

/// <summary>The SQLite engine's SQL normalizer, declared-type reader and value canonicalizer.</summary>
[TestFixture]
public sealed class SqliteTextTests
{
    [TestCase("select  \"A\" , [b],`c` from T -- comment\n where x=1;", "SELECT a, b, c FROM t WHERE x = 1")]
    [TestCase("SELECT \"order\", \"my col\", \"x\"\"y\" FROM t", "SELECT \"order\", \"my col\", \"x\"\"y\" FROM t")]
    [TestCase("select 'It''s', 'ABC' /* block\ncomment */ from t", "SELECT 'It''s', 'ABC' FROM t")]
    [TestCase("a - -1 + x*-2 + (-3)", "a - -1 + x * -2 + (-3)")]
    [TestCase("x IN(1,2) AND count( * )>0", "x IN (1, 2) AND count(*) > 0")]
    [TestCase("COUNT(*) || Lower( Name )", "count(*) || lower(name)")]
    [TestCase("x'0a' = X'0A'", "X'0A' = X'0A'")]
    [TestCase("data ->> '$.a' IS NOT NULL", "data ->> '$.a' IS NOT NULL")]
    [TestCase("main.t.c >= 1.50e3", "main.t.c >= 1.50e3")]
    public void NormalizesSql(string sql, string expected) => Assert.That(SqlText.Normalize(sql), Is.EqualTo(expected));

    [TestCase("varchar( 10 )", "VARCHAR(10)", TypeFamily.Text, 10, null, null)]
    [TestCase("NVARCHAR(50)", "NVARCHAR(50)", TypeFamily.Text, 50, null, null)]
    [TestCase("character(20)", "CHARACTER(20)", TypeFamily.Text, 20, null, null)]
    [TestCase("CLOB", "CLOB", TypeFamily.Text, null, null, null)]
    [TestCase("DOUBLE  PRECISION", "DOUBLE PRECISION", TypeFamily.Float, null, null, null)]
    [TestCase("FLOAT", "FLOAT", TypeFamily.Float, null, null, null)]
    [TestCase("decimal(10, 2)", "DECIMAL(10,2)", TypeFamily.Decimal, null, 10, 2)]
    [TestCase("DECIMAL(10)", "DECIMAL(10)", TypeFamily.Decimal, null, 10, 0)]
    [TestCase("NUMERIC", "NUMERIC", TypeFamily.Decimal, null, null, null)]
    [TestCase("MONEY", "MONEY", TypeFamily.Decimal, null, null, null)]
    [TestCase("BIGINT", "BIGINT", TypeFamily.Integer, null, null, null)]
    [TestCase("int(11)", "INT(11)", TypeFamily.Integer, null, null, null)]
    [TestCase("BOOL", "BOOL", TypeFamily.Boolean, null, null, null)]
    [TestCase("DATE", "DATE", TypeFamily.Date, null, null, null)]
    [TestCase("DATETIME", "DATETIME", TypeFamily.Timestamp, null, null, null)]
    [TestCase("TIMESTAMP(3)", "TIMESTAMP(3)", TypeFamily.Timestamp, null, 3, null)]
    [TestCase("timestamp(3) with time zone", "TIMESTAMP(3) WITH TIME ZONE", TypeFamily.TimestampTz, null, 3, null)]
    [TestCase("TIMESTAMPTZ", "TIMESTAMPTZ", TypeFamily.TimestampTz, null, null, null)]
    [TestCase("TIME", "TIME", TypeFamily.Time, null, null, null)]
    [TestCase("JSONB", "JSONB", TypeFamily.Json, null, null, null)]
    [TestCase("GUID", "GUID", TypeFamily.Uuid, null, null, null)]
    [TestCase("VARBINARY(16)", "VARBINARY(16)", TypeFamily.Binary, 16, null, null)]
    [TestCase("BLOB", "BLOB", TypeFamily.Binary, null, null, null)]
    [TestCase("", "", TypeFamily.Other, null, null, null)]
    [TestCase("ANY", "ANY", TypeFamily.Other, null, null, null)]
    [TestCase("WHATEVER", "WHATEVER", TypeFamily.Decimal, null, null, null)]
    public void ReadsDeclaredTypes(string declared, string dataType, TypeFamily family, int? length, int? precision, int? scale) =>
        Assert.That(SqliteTypes.Parse(declared), Is.EqualTo(new SqliteType(dataType, family, length, precision, scale)));

    [Test]
    public void FormatsValuesByStorageClassAndFamily()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(SqliteValues.Format(5L, TypeFamily.Integer), Is.EqualTo("5"));
            Assert.That(SqliteValues.Format(5.0, TypeFamily.Float), Is.EqualTo("5"));
            Assert.That(SqliteValues.Format(12.3, TypeFamily.Decimal), Is.EqualTo("12.3"));
            Assert.That(SqliteValues.Format("12.30", TypeFamily.Decimal), Is.EqualTo("12.3"));
            Assert.That(SqliteValues.Format("12.30", TypeFamily.Text), Is.EqualTo("12.30"));
            Assert.That(SqliteValues.Format(1L, TypeFamily.Boolean), Is.EqualTo("true"));
            Assert.That(SqliteValues.Format(2L, TypeFamily.Boolean), Is.EqualTo("2"));
            Assert.That(SqliteValues.Format("TRUE", TypeFamily.Boolean), Is.EqualTo("true"));
            Assert.That(SqliteValues.Format(new byte[] { 1, 255 }, TypeFamily.Binary), Is.EqualTo("\\x01ff"));
            Assert.That(SqliteValues.Format(new Guid("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11").ToByteArray(), TypeFamily.Uuid), Is.EqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
            Assert.That(SqliteValues.Format("2024-03-10T08:30:00.000", TypeFamily.Timestamp), Is.EqualTo("2024-03-10T08:30:00"));
            Assert.That(SqliteValues.Format("2024-03-10 08:30", TypeFamily.Timestamp), Is.EqualTo("2024-03-10T08:30:00"));
            Assert.That(SqliteValues.Format("2024-03-10T08:30:00Z", TypeFamily.TimestampTz), Is.EqualTo("2024-03-10T08:30:00Z"));
            Assert.That(SqliteValues.Format("not a date", TypeFamily.Date), Is.EqualTo("not a date"));
            Assert.That(SqliteValues.Format(1710059400L, TypeFamily.Timestamp), Is.EqualTo("1710059400"));
            Assert.That(SqliteValues.Format("{\"b\":{\"d\":1,\"c\":2},\"a\":\"é\"}", TypeFamily.Json), Is.EqualTo("{\"a\":\"é\",\"b\":{\"c\":2,\"d\":1}}"));
            Assert.That(SqliteValues.Format("{not json", TypeFamily.Json), Is.EqualTo("{not json"));
            Assert.That(SqliteValues.Format(DBNull.Value, TypeFamily.Text), Is.Null);
        }
    }
}
