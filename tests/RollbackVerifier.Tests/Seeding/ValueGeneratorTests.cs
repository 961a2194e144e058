using System.Text;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;
using RollbackVerifier.Seeding;

namespace RollbackVerifier.Tests.Seeding;

/// <summary>Values by type, name, domain and override; determinism; edge values.</summary>
public sealed class ValueGeneratorTests
{
    private static Column Col(string name, string type, TypeFamily family, bool nullable = false, int? length = null, int? precision = null, int? scale = null, string? collation = null, string[]? labels = null) =>
        new(name, 1, type, family, length, precision, scale, nullable, null, IdentityKind.None, null, collation, (labels ?? []).ToValueList(), new NonCompared<long?>(null));

    private static List<object?> Take(Column column, ColumnRules? rules = null, int count = 300, int seed = 1)
    {
        var generator = new ValueGenerator(seed, "public.t", "PreExisting");
        var source = generator.Compile(column, rules ?? ColumnRules.Plain(EngineKind.Postgres));
        return Enumerable.Range(0, count).Select(i => source(i)).ToList();
    }

    [Test]
    public void Same_seed_same_values_and_another_seed_other_values()
    {
        var column = Col("email", "character varying(100)", TypeFamily.Text, length: 100);
        var first = Take(column, seed: 42);
        var again = Take(column, seed: 42);
        Assert.That(again, Is.EqualTo(first));
        Assert.That(Take(column, seed: 43), Is.Not.EqualTo(first));
        Assert.That(ValueGenerator.StableSeed(1, "public.orders"), Is.EqualTo(-323788880), "the seed must not depend on the process (string.GetHashCode is randomized)");
    }

    [TestCase("email", 255, "@")]
    [TestCase("customer_email", 255, "@")]
    [TestCase("website_url", 255, "http")]
    public void Text_reads_like_real_data_by_column_name(string name, int length, string expected)
    {
        var values = Take(Col(name, "varchar", TypeFamily.Text, length: length)).Cast<string>().ToList();
        Assert.That(values, Has.All.Contain(expected));
    }

    [Test]
    public void Codes_fit_their_lengths()
    {
        Assert.That(Take(Col("country_code", "char(2)", TypeFamily.Text, length: 2)).Cast<string>(), Has.All.Match("^[A-Z]{2}$"));
        Assert.That(Take(Col("currency", "varchar(3)", TypeFamily.Text, length: 3)).Cast<string>(), Has.All.Match("^[A-Z]{3}$"));
        Assert.That(Take(Col("first_name", "varchar(4)", TypeFamily.Text, length: 4)).Cast<string>(), Has.All.Length.LessThanOrEqualTo(4));
    }

    [Test]
    public void Numbers_respect_type_precision_and_name()
    {
        var prices = Take(Col("price", "numeric(5,2)", TypeFamily.Decimal, precision: 5, scale: 2)).Cast<decimal>().ToList();
        Assert.That(prices, Has.All.InRange(0.5m, 999.99m));
        Assert.That(prices.All(p => decimal.Round(p, 2) == p), Is.True);
        Assert.That(Take(Col("qty", "smallint", TypeFamily.Integer)).Cast<long>(), Has.All.InRange(1L, 100L));
        Assert.That(Take(Col("level", "tinyint unsigned", TypeFamily.Integer)).Cast<long>(), Has.All.InRange(0L, 255L));
    }

    [Test]
    public void Unique_values_are_distinct_even_in_short_columns()
    {
        var rules = ColumnRules.Plain(EngineKind.Postgres) with { Unique = true };
        var codes = Take(Col("code", "varchar(4)", TypeFamily.Text, length: 4), rules, 5000).Cast<string>().ToList();
        Assert.That(codes.Distinct().Count(), Is.EqualTo(5000));
        Assert.That(codes, Has.All.Length.LessThanOrEqualTo(4));
        var ids = Take(Col("id", "integer", TypeFamily.Integer), rules, 5000).Cast<long>().ToList();
        Assert.That(ids.Distinct().Count(), Is.EqualTo(5000));
    }

    [Test]
    public void Unique_values_have_room_in_small_spaces()
    {
        var rules = ColumnRules.Plain(EngineKind.Postgres) with { Unique = true };
        Assert.That(Take(Col("code", "varchar(2)", TypeFamily.Text, length: 2), rules, 1000).Distinct().Count(), Is.EqualTo(1000), "base 36 in two characters");
        Assert.That(Take(Col("day", "date", TypeFamily.Date), rules, 20_000).Distinct().Count(), Is.EqualTo(20_000));
        Assert.That(Take(Col("weight", "double precision", TypeFamily.Float), rules, 5000).Distinct().Count(), Is.EqualTo(5000));
        Assert.That(Take(Col("ratio", "double unsigned", TypeFamily.Float), count: 500).Cast<double>(), Has.All.GreaterThanOrEqualTo(0d));
    }

    [Test]
    public void Nullable_columns_are_mostly_filled_with_some_nulls()
    {
        var values = Take(Col("note", "text", TypeFamily.Text, nullable: true), count: 1000);
        var nulls = values.Count(v => v is null);
        Assert.That(nulls, Is.InRange(70, 130), "10% of 1000 rows, within 3 standard deviations");
    }

    [Test]
    public void Domains_bound_and_list_the_values()
    {
        var domain = new ColumnDomain("qty", new CheckBound("10", true), new CheckBound("20", false), null, null, null, []);
        var values = Take(Col("qty", "integer", TypeFamily.Integer), ColumnRules.Plain(EngineKind.Postgres) with { Domain = domain }).Cast<long>().ToList();
        Assert.That(values, Has.All.InRange(10L, 19L));

        var listed = new ColumnDomain("status", null, null, ["new", "paid"], null, null, []);
        Assert.That(Take(Col("status", "text", TypeFamily.Text), ColumnRules.Plain(EngineKind.Postgres) with { Domain = listed }), Has.All.AnyOf("new", "paid"));

        var lengths = new ColumnDomain("code", null, null, null, 3, 5, [""]);
        Assert.That(Take(Col("code", "text", TypeFamily.Text), ColumnRules.Plain(EngineKind.Postgres) with { Domain = lengths }).Cast<string>(), Has.All.Length.InRange(3, 5));
    }

    [Test]
    public void Overrides_fix_list_range_and_dataset()
    {
        ColumnRules With(ColumnSeedOverride o) => ColumnRules.Plain(EngineKind.Postgres) with { Override = o };
        var status = Col("status", "text", TypeFamily.Text);
        Assert.That(Take(status, With(new("s.yml:3", true, "vip", null, null, null, null))), Has.All.EqualTo("vip"));
        Assert.That(Take(status, With(new("s.yml:3", false, null, ["a", "b"], null, null, null))), Has.All.AnyOf("a", "b"));
        Assert.That(Take(Col("n", "integer", TypeFamily.Integer), With(new("s.yml:3", false, null, null, ("5", "7"), null, null))).Cast<long>(), Has.All.InRange(5L, 7L));
        Assert.That(Take(Col("n", "text", TypeFamily.Text), With(new("s.yml:3", false, null, null, null, "internet.email", null))).Cast<string>(), Has.All.Contain("@"));
        var mostlyNull = Take(Col("n", "text", TypeFamily.Text, nullable: true), With(new("s.yml:3", false, null, ["x"], null, null, 0.9)), 1000);
        Assert.That(mostlyNull.Count(v => v is null), Is.InRange(870, 930), "90% of 1000 rows");
        var ex = Assert.Throws<RollbackVerifierException>(() => Take(Col("n", "integer", TypeFamily.Integer), With(new("s.yml:3", true, "many", null, null, null, null))));
        Assert.That(ex!.Message, Does.StartWith("s.yml:3").And.Contain("'many'"));
    }

    [Test]
    public void Bogus_datasets_resolve_by_name_and_unknown_names_list_the_choices()
    {
        Assert.That(BogusDatasets.TryResolve("commerce.productName", out var generator, out _), Is.True);
        Assert.That(generator(new Bogus.Faker()), Is.InstanceOf<string>().And.Not.Empty);
        Assert.That(BogusDatasets.TryResolve("internet.nope", out _, out var problem), Is.False);
        Assert.That(problem, Does.Contain("email"));
        Assert.That(BogusDatasets.TryResolve("nope.email", out _, out problem), Is.False);
        Assert.That(problem, Does.Contain("internet"));
    }

    [Test]
    public void Edge_values_fit_length_charset_and_bytes()
    {
        var short10 = ValueGenerator.EdgeValues(Col("name", "varchar(10)", TypeFamily.Text, length: 10), ColumnRules.Plain(EngineKind.Postgres)).Cast<string>().ToList();
        Assert.That(short10, Has.Some.Matches<string>(s => s.EnumerateRunes().Count() == 10), "a maximum-length value");
        Assert.That(short10, Has.Some.Matches<string>(s => s.Any(c => c > 127)), "multi-byte text");
        Assert.That(short10, Has.Member(string.Empty));
        Assert.That(short10, Has.All.Matches<string>(s => s.EnumerateRunes().Count() <= 10));

        var latin1 = ValueGenerator.EdgeValues(Col("name", "varchar(50)", TypeFamily.Text, length: 50, collation: "latin1_swedish_ci"), ColumnRules.Plain(EngineKind.MySql)).Cast<string>();
        Assert.That(latin1, Has.All.Matches<string>(s => s.All(c => c <= 255)));

        var tinytext = ValueGenerator.EdgeValues(Col("motto", "tinytext", TypeFamily.Text, length: 255), ColumnRules.Plain(EngineKind.MySql)).Cast<string>();
        Assert.That(tinytext, Has.All.Matches<string>(s => Encoding.UTF8.GetByteCount(s) <= 255));

        var numbers = ValueGenerator.EdgeValues(Col("amount", "numeric(6,2)", TypeFamily.Decimal, precision: 6, scale: 2), ColumnRules.Plain(EngineKind.Postgres));
        Assert.That(numbers, Does.Contain(9999.99m).And.Contain(-9999.99m).And.Contain(0m));
        var stamps = ValueGenerator.EdgeValues(Col("at", "timestamp", TypeFamily.Timestamp), ColumnRules.Plain(EngineKind.Postgres)).Cast<DateTime>();
        Assert.That(stamps, Has.Some.Matches<DateTime>(t => t.Month == 3 && t.Day == 10 && t.Hour == 2), "a local time that does not exist in America/*");
    }

    [Test]
    public void Timestamps_follow_row_order_and_later_events_come_after()
    {
        var created = Take(Col("created_at", "timestamp", TypeFamily.Timestamp), count: 100).Cast<DateTime>().ToList();
        Assert.That(created[99], Is.GreaterThan(created[0]));
        var mysql = ColumnRules.Plain(EngineKind.MySql) with { RowCount = 5_000_000 };
        var stamps = Take(Col("created_at", "timestamp", TypeFamily.Timestamp), mysql, 10).Cast<DateTime>();
        Assert.That(stamps, Has.All.LessThan(new DateTime(2038, 1, 19)), "MySQL TIMESTAMP ends in 2038");
    }
}
