using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.MySql;

namespace RollbackVerifier.Tests.Engines.MySql;

/// <summary>
/// The MySQL engine's text rules without a server: type, default and expression normalization for both catalog
/// flavours (MySQL 8 renders literals raw, MariaDB as SQL), canonical values, server URLs and quoting.
/// </summary>
[TestFixture]
public sealed class MySqlTextTests
{
    [TestCase("int(11)", "int")]
    [TestCase("INT", "int")]
    [TestCase("int(10) unsigned", "int unsigned")]
    [TestCase("bigint(20) unsigned", "bigint unsigned")]
    [TestCase("tinyint(4)", "tinyint")]
    [TestCase("tinyint(1)", "tinyint(1)")]
    [TestCase("tinyint(1) unsigned", "tinyint(1) unsigned")]
    [TestCase("int(5) unsigned zerofill", "int(5) unsigned zerofill")]
    [TestCase("year(4)", "year")]
    [TestCase("decimal(10,2)", "decimal(10,2)")]
    [TestCase("varchar(255)", "varchar(255)")]
    [TestCase("enum('Int(3)','b')", "enum('Int(3)','b')")]
    public void TypesLoseIntegerDisplayWidths(string columnType, string expected) =>
        Assert.That(MySqlTypes.NormalizeType(columnType), Is.EqualTo(expected));

    [TestCase("tinyint", TypeFamily.Integer)]
    [TestCase("bit", TypeFamily.Integer)]
    [TestCase("year", TypeFamily.Integer)]
    [TestCase("decimal", TypeFamily.Decimal)]
    [TestCase("double", TypeFamily.Float)]
    [TestCase("mediumtext", TypeFamily.Text)]
    [TestCase("varbinary", TypeFamily.Binary)]
    [TestCase("longblob", TypeFamily.Binary)]
    [TestCase("date", TypeFamily.Date)]
    [TestCase("time", TypeFamily.Time)]
    [TestCase("datetime", TypeFamily.Timestamp)]
    [TestCase("timestamp", TypeFamily.Timestamp)]
    [TestCase("json", TypeFamily.Json)]
    [TestCase("set", TypeFamily.Enum)]
    [TestCase("uuid", TypeFamily.Uuid)]
    [TestCase("point", TypeFamily.Other)]
    [TestCase("inet6", TypeFamily.Other)]
    public void DataTypesHaveFamilies(string dataType, TypeFamily family) =>
        Assert.That(MySqlTypes.Family(dataType), Is.EqualTo(family));

    [Test]
    public void EnumLabelsAreUnquoted()
    {
        Assert.That(MySqlTypes.EnumLabels("enum('sad','ok','it''s','a,b','')"), Is.EqualTo(new[] { "sad", "ok", "it's", "a,b", "" }));
        Assert.That(MySqlTypes.EnumLabels("set('r','w')"), Is.EqualTo(new[] { "r", "w" }));
        Assert.That(MySqlTypes.EnumLabels("int"), Is.Empty);
    }

    // MariaDB renders defaults as SQL and NULL for "no default"; MySQL 8 renders literals raw and flags expressions.
    [TestCase(true, "'abc'", "", TypeFamily.Text, "'abc'")]
    [TestCase(false, "abc", "", TypeFamily.Text, "'abc'")]
    [TestCase(true, "'it''s'", "", TypeFamily.Text, "'it''s'")]
    [TestCase(false, "it's", "", TypeFamily.Text, "'it''s'")]
    [TestCase(true, "NULL", "", TypeFamily.Text, null)]
    [TestCase(true, null, "", TypeFamily.Text, null)]
    [TestCase(false, null, "", TypeFamily.Text, null)]
    [TestCase(true, "'NULL'", "", TypeFamily.Text, "'NULL'")]
    [TestCase(false, "NULL", "", TypeFamily.Text, "'NULL'")]
    [TestCase(true, "0.00", "", TypeFamily.Decimal, "0.00")]
    [TestCase(false, "0.00", "", TypeFamily.Decimal, "0.00")]
    [TestCase(false, "-1", "", TypeFamily.Integer, "-1")]
    [TestCase(true, "b'101'", "", TypeFamily.Integer, "b'101'")]
    [TestCase(false, "b'101'", "", TypeFamily.Integer, "b'101'")]
    [TestCase(false, "0x616263", "", TypeFamily.Binary, "0x616263")]
    [TestCase(true, "'2000-01-01'", "", TypeFamily.Date, "'2000-01-01'")]
    [TestCase(false, "2000-01-01", "", TypeFamily.Date, "'2000-01-01'")]
    [TestCase(false, "now", "", TypeFamily.Text, "'now'")]
    [TestCase(true, "current_timestamp(3)", "", TypeFamily.Timestamp, "current_timestamp(3)")]
    [TestCase(false, "CURRENT_TIMESTAMP(3)", "DEFAULT_GENERATED", TypeFamily.Timestamp, "current_timestamp(3)")]
    [TestCase(true, "current_timestamp()", "on update current_timestamp()", TypeFamily.Timestamp, "current_timestamp() on update current_timestamp()")]
    [TestCase(false, "CURRENT_TIMESTAMP", "DEFAULT_GENERATED on update CURRENT_TIMESTAMP", TypeFamily.Timestamp, "current_timestamp() on update current_timestamp()")]
    [TestCase(true, "NULL", "on update current_timestamp()", TypeFamily.Timestamp, "NULL on update current_timestamp()")]
    [TestCase(false, null, "on update CURRENT_TIMESTAMP(6)", TypeFamily.Timestamp, "NULL on update current_timestamp(6)")]
    [TestCase(false, "(rand() * 10)", "DEFAULT_GENERATED", TypeFamily.Float, "(rand() * 10)")]
    [TestCase(true, "nextval(`rv_x_1`.`seq`)", "", TypeFamily.Integer, "nextval(`seq`)")]
    public void DefaultsAreRenderedOneWay(bool isMariaDb, string? raw, string extra, TypeFamily family, string? expected) =>
        Assert.That(MySqlTypes.NormalizeDefault(raw, extra, family, isMariaDb, "rv_x_1"), Is.EqualTo(expected));

    [TestCase("(`qty` > 0)", "qty > 0")]
    [TestCase("`qty` > 0", "qty > 0")]
    [TestCase("(`a` > 0) and (`b` > 0)", "(a > 0) and (b > 0)")]
    [TestCase("((`a` + 1))", "(a + 1)")]
    [TestCase("select `rv_x_1`.`t`.`a` AS `a` from `rv_x_1`.`t`", "select t.a AS a from t")]
    [TestCase("UPDATE rv_x_1.t SET a = 1;\n  SET b = 2", "UPDATE t SET a = 1; SET b = 2")]
    [TestCase("UPDATE my_rv_x_1.t SET a = 1", "UPDATE my_rv_x_1.t SET a = 1")]
    [TestCase("(`s` in ('(',')'))", "s in ('(',')')")]
    [TestCase(null, "")]
    public void ExpressionsAreNormalized(string? text, string expected) =>
        Assert.That(MySqlTypes.NormalizeExpression(text, "rv_x_1"), Is.EqualTo(expected));

    [TestCase("2024-01-02 03:04:05", "2024-01-02T03:04:05")]
    [TestCase("2024-01-02 03:04:05.000000", "2024-01-02T03:04:05")]
    [TestCase("2024-01-02 03:04:05.120", "2024-01-02T03:04:05.12")]
    [TestCase("0000-00-00 00:00:00", "0000-00-00T00:00:00")]
    public void DateTimesAreIso(string text, string expected) =>
        Assert.That(MySqlValues.IsoDateTime(text), Is.EqualTo(expected));

    [TestCase("-838:59:59.000000", "-838:59:59")]
    [TestCase("10:00:00.500", "10:00:00.5")]
    [TestCase("10:00:00", "10:00:00")]
    [TestCase("2024-01-02", "2024-01-02")]
    public void TimesLoseTrailingZeros(string text, string expected) =>
        Assert.That(MySqlValues.TrimFraction(text), Is.EqualTo(expected));

    [Test]
    public void ValuesAreCanonicalPerFamily()
    {
        Column Col(string type, TypeFamily family) => new("c", 1, type, family, null, null, null, true, null, IdentityKind.None, null, null, ValueList<string>.Empty, null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(MySqlValues.Canonical(Col("float", TypeFamily.Float), 1.1f), Is.EqualTo("1.1"));
            Assert.That(MySqlValues.Canonical(Col("double", TypeFamily.Float), 5.0), Is.EqualTo("5"));
            Assert.That(MySqlValues.Canonical(Col("tinyint(1)", TypeFamily.Integer), (sbyte)1), Is.EqualTo("1"));
            Assert.That(MySqlValues.Canonical(Col("bigint unsigned", TypeFamily.Integer), ulong.MaxValue), Is.EqualTo("18446744073709551615"));
            Assert.That(MySqlValues.Canonical(Col("varbinary(4)", TypeFamily.Binary), "00ff"), Is.EqualTo("\\x00ff"));
            Assert.That(MySqlValues.Canonical(Col("blob", TypeFamily.Binary), "sha256:ab:300"), Is.EqualTo("sha256:ab:300"));
            Assert.That(MySqlValues.Canonical(Col("uuid", TypeFamily.Uuid), "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"), Is.EqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
            Assert.That(MySqlValues.Canonical(Col("varchar(5)", TypeFamily.Text), DBNull.Value), Is.Null);
            Assert.That(MySqlValues.SelectExpression(Col("bit(3)", TypeFamily.Integer), "`c`"), Is.EqualTo("CAST(`c` AS UNSIGNED)"));
            Assert.That(MySqlValues.SelectExpression(Col("int", TypeFamily.Integer), "`c`"), Is.EqualTo("`c`"));
            Assert.That(MySqlValues.SelectExpression(Col("decimal(10,2)", TypeFamily.Decimal), "`c`"), Is.EqualTo("CAST(`c` AS CHAR)"));
            Assert.That(MySqlValues.SelectExpression(Col("point", TypeFamily.Other), "`c`"), Does.StartWith("CASE WHEN LENGTH(`c`) <= 256 THEN LOWER(HEX(`c`))"));
        }
    }

    [Test]
    public void ServerUrlsAndConnectionStringsAreParsed()
    {
        var url = MySqlServerUrl.Parse("mysql://app%40x:p%3Ass@db.example:3307/ignored?SslMode=None");
        Assert.That((url.Server, url.Port, url.UserID, url.Password, url.Database, url.SslMode.ToString()), Is.EqualTo(("db.example", 3307u, "app@x", "p:ss", "", "None")));
        Assert.That(MySqlServerUrl.Parse("mariadb://root@localhost").Port, Is.EqualTo(3306u));
        Assert.That(MySqlServerUrl.Describe(url), Is.EqualTo("mysql://app@x@db.example:3307"));

        var connectionString = MySqlServerUrl.Parse("Server=h;Port=3310;User ID=u;Password=p;Database=app");
        Assert.That((connectionString.Server, connectionString.Port, connectionString.UserID, connectionString.Database), Is.EqualTo(("h", 3310u, "u", "")));

        Assert.That(() => MySqlServerUrl.Parse("mysql://root@h/?NoSuchOption=1"), Throws.ArgumentException.With.Message.Contains("NoSuchOption"));
        Assert.That(() => MySqlServerUrl.Parse("this is not = a connection string;;="), Throws.ArgumentException);
    }

    [Test]
    public void DialectQuotesWithBackticks()
    {
        IDialect dialect = new MySqlDialect();
        Assert.That(dialect.QuoteIdentifier("a`b"), Is.EqualTo("`a``b`"));
        Assert.That(dialect.QuoteName(ObjectName.Unqualified("t")), Is.EqualTo("`t`"));
        Assert.That(dialect.Kind, Is.EqualTo(EngineKind.MySql));
        Assert.That(dialect.Splitter.Split("DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END//\nDELIMITER ;\nSELECT 2;", "x.sql"), Has.Count.EqualTo(2));
    }
}
