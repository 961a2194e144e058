using Npgsql;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.PostgreSql;

namespace RollbackVerifier.Tests.Engines.Postgres;

/// <summary>PostgreSQL text rules that need no server: quoting, parameter casts, server URLs, canonical text.</summary>
[TestFixture]
public sealed class PostgresDialectTests
{
    private static readonly PostgresDialect Dialect = new();

    [Test]
    public void QuotesIdentifiersAlways()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Dialect.QuoteIdentifier("orders"), Is.EqualTo("\"orders\""));
            Assert.That(Dialect.QuoteIdentifier("Weird \"Name\""), Is.EqualTo("\"Weird \"\"Name\"\"\""));
            Assert.That(((IDialect)Dialect).QuoteName(new ObjectName("app", "Order Lines")), Is.EqualTo("\"app\".\"Order Lines\""));
            Assert.That(Dialect.Splitter, Is.Not.Null);
            Assert.That(Dialect.Kind, Is.EqualTo(EngineKind.Postgres));
        }
    }

    [TestCase(TypeFamily.Text, "character varying(20)", "@p0")]
    [TestCase(TypeFamily.Integer, "integer", "@p0")]
    [TestCase(TypeFamily.Uuid, "uuid", "@p0")]
    [TestCase(TypeFamily.Enum, "app.mood", "CAST(@p0 AS app.mood)")]
    [TestCase(TypeFamily.Json, "jsonb", "CAST(@p0 AS jsonb)")]
    [TestCase(TypeFamily.Array, "integer[]", "CAST(@p0 AS integer[])")]
    [TestCase(TypeFamily.Date, "date", "CAST(@p0 AS date)")]
    [TestCase(TypeFamily.Time, "time with time zone", "CAST(CAST(@p0 AS time without time zone) AS time with time zone)")]
    [TestCase(TypeFamily.Decimal, "money", "CAST(@p0 AS money)")]
    public void ValueExpressionCastsWherePostgresHasNoImplicitCast(TypeFamily family, string dataType, string expected)
    {
        var column = new Column("c", 1, dataType, family, null, null, null, true, null, IdentityKind.None, null, null, ValueList<string>.Empty, 1L);
        Assert.That(Dialect.ValueExpression(column, "@p0"), Is.EqualTo(expected));
    }

    [Test]
    public void DescribesNonServerErrors()
    {
        var error = Dialect.DescribeError(new NpgsqlException("connection refused"));
        Assert.That((error.Code, error.Message), Is.EqualTo(("npgsql", "connection refused")));
    }

    [Test]
    public void ParsesServerUrls()
    {
        var builder = PostgresServerUrl.Parse("postgres://app%40corp:p%3Ass@db.example.com:6543/maint?sslmode=require");
        using (Assert.EnterMultipleScope())
        {
            Assert.That((builder.Host, builder.Port, builder.Username, builder.Password, builder.Database), Is.EqualTo(("db.example.com", 6543, "app@corp", "p:ss", "maint")));
            Assert.That(builder.SslMode, Is.EqualTo(SslMode.Require));
            Assert.That(PostgresServerUrl.Describe(builder), Is.EqualTo("postgres://app%40corp@db.example.com:6543/maint"));
        }

        var defaults = PostgresServerUrl.Parse("postgresql://localhost");
        Assert.That((defaults.Host, defaults.Port, defaults.Database), Is.EqualTo(("localhost", 5432, "postgres")));

        var plain = PostgresServerUrl.Parse("Host=10.0.0.5;Port=5433;Username=u;Password=secret");
        Assert.That((plain.Host, plain.Port, plain.Database, plain.Password), Is.EqualTo(("10.0.0.5", 5433, "postgres", "secret")));
        Assert.That(PostgresServerUrl.Describe(plain), Does.Not.Contain("secret"));
    }

    [TestCase("mysql://x")]
    [TestCase("Port=5432")]
    [TestCase("postgres://u:topsecret@host/db?no_such_option=1")]
    public void RejectsWhatIsNotAPostgresServer(string url)
    {
        var error = Assert.Throws<ArgumentException>(() => PostgresServerUrl.Parse(url));
        Assert.That(error!.Message, Does.Not.Contain("topsecret"));
    }

    [Test]
    public void EngineRejectsABadServerUrlAtConstruction() =>
        Assert.Throws<ArgumentException>(() => _ = new PostgresEngine(new EngineSettings(null, "Port=1", "run")));

    [Test]
    public void EngineDefaultsToTheOfficialImage()
    {
        var engine = new PostgresEngine(new EngineSettings(null, null, "run"));
        Assert.That((engine.Image, engine.Description, engine.Kind), Is.EqualTo(("postgres:17", "container postgres:17", EngineKind.Postgres)));
    }

    [TestCase("12.30", TypeFamily.Decimal, "12.3")]
    [TestCase("5.000", TypeFamily.Decimal, "5")]
    [TestCase("-0.00", TypeFamily.Decimal, "0")]
    [TestCase("NaN", TypeFamily.Decimal, "NaN")]
    [TestCase("0.1", TypeFamily.Float, "0.1")]
    [TestCase("5", TypeFamily.Float, "5")]
    [TestCase("-0", TypeFamily.Float, "0")]
    [TestCase("Infinity", TypeFamily.Float, "Infinity")]
    [TestCase("1.5e-07", TypeFamily.Float, "1.5E-07")]
    [TestCase("t", TypeFamily.Boolean, "true")]
    [TestCase("false", TypeFamily.Boolean, "false")]
    [TestCase("2024-01-02 03:04:05.5", TypeFamily.Timestamp, "2024-01-02T03:04:05.5")]
    [TestCase("infinity", TypeFamily.Timestamp, "infinity")]
    [TestCase("2024-01-02 03:04:05+00", TypeFamily.TimestampTz, "2024-01-02T03:04:05Z")]
    [TestCase("0044-03-15 00:00:00+00 BC", TypeFamily.TimestampTz, "0044-03-15T00:00:00+00 BC")]
    [TestCase("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", TypeFamily.Uuid, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")]
    [TestCase("2024-01-02", TypeFamily.Date, "2024-01-02")]
    [TestCase("héllo ", TypeFamily.Text, "héllo ")]
    public void CanonicalText(string serverText, TypeFamily family, string expected) =>
        Assert.That(PostgresValues.Canonical(serverText, family), Is.EqualTo(expected));
}
