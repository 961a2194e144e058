using RollbackVerifier.Model;
using RollbackVerifier.MySql;
using RollbackVerifier.Seeding;
using RollbackVerifier.Sqlite;

namespace RollbackVerifier.Tests.Seeding;

/// <summary>
/// Check constraints as each engine renders them, turned into column domains. The PostgreSQL renderings are
/// pg_get_expr(conbin, conrelid, true) output of a PostgreSQL 15 server (what the inspector reads; "pg-raw" is the
/// non-pretty form pg_dump and pg_get_constraintdef use), the MariaDB ones CHECK_CLAUSE of MariaDB 10.11, and the MySQL 8
/// ones the forms published MySQL 8 output shows (CHECK_CLAUSE with doubly escaped quotes and _utf8mb4 introducers, -(n)
/// for negative numbers; not read from a live MySQL 8 server). MySQL and MariaDB renderings go through
/// MySqlTypes.NormalizeExpression and SQLite ones through the inspector's normalizer, as the inspectors do. A domain is
/// shown as SQL-like conditions, column by column in table order, then column comparisons.
/// </summary>
public sealed class CheckDomainsTests
{
    private const string NotUnderstood = "not understood";
    private const string NoRestriction = "no restriction";

    private static readonly (string Name, TypeFamily Family)[] ColumnSpecs =
    [
        ("id", TypeFamily.Integer), ("qty", TypeFamily.Integer), ("neg", TypeFamily.Integer), ("big", TypeFamily.Integer), ("sm", TypeFamily.Integer),
        ("price", TypeFamily.Decimal), ("f", TypeFamily.Float), ("name", TypeFamily.Text), ("code", TypeFamily.Text), ("status", TypeFamily.Text),
        ("st2", TypeFamily.Text), ("c", TypeFamily.Text), ("d", TypeFamily.Date), ("ts", TypeFamily.Timestamp), ("starts_at", TypeFamily.TimestampTz),
        ("ends_at", TypeFamily.TimestampTz), ("Mixed Case", TypeFamily.Integer), ("Order", TypeFamily.Text), ("b", TypeFamily.Boolean),
        ("u", TypeFamily.Uuid), ("j", TypeFamily.Json), ("m", TypeFamily.Enum), ("x y", TypeFamily.Text),
    ];

    private static Column Col(string name, TypeFamily family, int position = 1) =>
        new(name, position, family.ToString().ToLowerInvariant(), family, null, null, null, true, null, IdentityKind.None, null, null, ValueList<string>.Empty, new NonCompared<long?>(null));

    private static Table TableOf(IEnumerable<Column> columns, params CheckConstraint[] checks) => Table.Create(ObjectName.Unqualified("t"), columns, checks: checks);

    private static Table Wide(params string[] expressions) =>
        TableOf(ColumnSpecs.Select((c, i) => Col(c.Name, c.Family, i + 1)), expressions.Select((e, i) => new CheckConstraint($"ck{i:D2}", e, true)).ToArray());

    private static string Rendered(string engine, string raw) => engine switch
    {
        "mariadb" or "mysql8" => MySqlTypes.NormalizeExpression(raw, "db"),
        "sqlite" => SqlText.Normalize(raw),
        _ => raw,
    };

    private static string Describe(CheckAnalysis analysis)
    {
        if (analysis.NotUnderstood.Count > 0)
        {
            return NotUnderstood;
        }

        var parts = analysis.Domains.Values.SelectMany(DescribeDomain)
            .Concat(analysis.Comparisons.Select(c => $"{c.Left} {c.Operator} {c.Right}"))
            .ToList();
        return parts.Count == 0 ? NoRestriction : string.Join(" AND ", parts);
    }

    private static IEnumerable<string> DescribeDomain(ColumnDomain d)
    {
        if (d.Min is { } min)
        {
            yield return $"{d.Column} {(min.Inclusive ? ">=" : ">")} {min.Literal}";
        }

        if (d.Max is { } max)
        {
            yield return $"{d.Column} {(max.Inclusive ? "<=" : "<")} {max.Literal}";
        }

        if (d.Allowed is { } allowed)
        {
            yield return $"{d.Column} IN ({string.Join(", ", allowed.Select(Quote))})";
        }

        if (d.Forbidden.Count > 0)
        {
            yield return $"{d.Column} NOT IN ({string.Join(", ", d.Forbidden.Select(Quote))})";
        }

        if (d.MinLength is { } minLength)
        {
            yield return $"length({d.Column}) >= {minLength}";
        }

        if (d.MaxLength is { } maxLength)
        {
            yield return $"length({d.Column}) <= {maxLength}";
        }

        if (d.MaxBytes is { } maxBytes)
        {
            yield return $"bytes({d.Column}) <= {maxBytes}";
        }
    }

    private static string Quote(string literal) => "'" + literal.Replace("'", "''", StringComparison.Ordinal) + "'";

    // ----- one check, as each engine renders it ----------------------------------------------------------------------

    // PostgreSQL 15, pg_get_expr(conbin, conrelid, true): what PostgresInspector stores.
    [TestCase("pg", "qty >= 0", "qty >= 0")]
    [TestCase("pg", "0 < qty", "qty > 0")]
    [TestCase("pg", "price > 0::numeric", "price > 0")]
    [TestCase("pg", "price >= '-5.5'::numeric AND price <= 1000.25", "price >= -5.5 AND price <= 1000.25")]
    [TestCase("pg", "neg > '-5'::integer", "neg > -5")]
    [TestCase("pg", "name <> ''::text", "name NOT IN ('')")]
    [TestCase("pg", "status::text = ANY (ARRAY['new'::character varying, 'paid'::character varying, 'it''s'::character varying]::text[])", "status IN ('new', 'paid', 'it''s')")]
    [TestCase("pg", "st2 = ANY (ARRAY['a'::text, 'b'::text])", "st2 IN ('a', 'b')")]
    [TestCase("pg", "status::text <> ALL (ARRAY['bad'::character varying, 'worse'::character varying]::text[])", "status NOT IN ('bad', 'worse')")]
    [TestCase("pg", "m = ANY (ARRAY['ok'::mood, 'happy'::mood])", "m IN ('ok', 'happy')")]
    [TestCase("pg", "length(name) <= 10", "length(name) <= 10")]
    [TestCase("pg", "char_length(code::text) >= 3", "length(code) >= 3")]
    [TestCase("pg", "character_length(name) >= 1 AND character_length(name) <= 5", "length(name) >= 1 AND length(name) <= 5")]
    [TestCase("pg", "octet_length(code::text) < 20", "length(code) <= 19 AND bytes(code) <= 19")]
    [TestCase("pg", "qty >= 1 AND qty <= 100", "qty >= 1 AND qty <= 100")]
    [TestCase("pg", "ends_at > starts_at", "ends_at > starts_at")]
    [TestCase("pg", "ends_at IS NULL OR ends_at > starts_at", "ends_at > starts_at")]
    [TestCase("pg", "d >= '2020-01-01'::date AND d <= '2020-12-31'::date", "d >= 2020-01-01 AND d <= 2020-12-31")]
    [TestCase("pg", "ts < '2030-01-01 00:00:00'::timestamp without time zone", "ts < 2030-01-01 00:00:00")]
    [TestCase("pg", "starts_at >= '2020-01-01 00:00:00+00'::timestamp with time zone", "starts_at >= 2020-01-01 00:00:00+00")]
    [TestCase("pg", "name IS NULL OR length(name) > 2", "length(name) >= 3")]
    [TestCase("pg", "st2 IS NULL OR (st2 = ANY (ARRAY['a'::text, 'b'::text]))", "st2 IN ('a', 'b')")]
    [TestCase("pg", "status::text = 'x'::text OR status IS NULL", "status IN ('x')")]
    [TestCase("pg", "qty > 0 AND (status IS NULL OR (status::text = ANY (ARRAY['a'::character varying, 'b'::character varying]::text[])))", "qty > 0 AND status IN ('a', 'b')")]
    [TestCase("pg", "qty IS NOT NULL", NoRestriction)]
    [TestCase("pg", "qty IS NOT NULL AND qty > 0", "qty > 0")]
    [TestCase("pg", "status IS NOT NULL AND status::text <> ''::text", "status NOT IN ('')")]
    [TestCase("pg", "\"Mixed Case\" > 0", "Mixed Case > 0")]
    [TestCase("pg", "\"Order\" = 'x'::text", "Order IN ('x')")]
    [TestCase("pg", "f > '1500'::numeric::double precision", "f > 1500")]
    [TestCase("pg", "big <= '9223372036854775807'::bigint AND big > '-9223372036854775808'::bigint", "big > -9223372036854775808 AND big <= 9223372036854775807")]
    [TestCase("pg", "sm <> 3", "sm NOT IN ('3')")]
    [TestCase("pg", "qty = ANY (ARRAY[1, 2, 3])", "qty IN ('1', '2', '3')")]
    [TestCase("pg", "qty = ANY (ARRAY['-1'::integer, 2])", "qty IN ('-1', '2')")]
    [TestCase("pg", "price = ANY (ARRAY[1.5, 2::numeric])", "price IN ('1.5', '2')")]
    [TestCase("pg", "price <> '-1.5'::numeric", "price NOT IN ('-1.5')")]
    [TestCase("pg", "b = true", "b IN ('true')")]
    [TestCase("pg", "c <> 'abc'::bpchar", "c NOT IN ('abc')")]
    [TestCase("pg", "u <> '00000000-0000-0000-0000-000000000000'::uuid", "u NOT IN ('00000000-0000-0000-0000-000000000000')")]
    [TestCase("pg", "name <> 'a'::text AND qty > 1 AND price < 9::numeric", "qty > 1 AND price < 9 AND name NOT IN ('a')")]
    [TestCase("pg", "qty < (+ 5)", "qty < 5")]
    [TestCase("pg", "NOT qty < 0", "qty >= 0")]
    [TestCase("pg", "qty::numeric > 1.5", "qty > 1.5")]
    [TestCase("pg", "(price * qty::numeric) > 0::numeric", NotUnderstood)]
    [TestCase("pg", "name ~ '^[a-z]+$'::text", NotUnderstood)]
    [TestCase("pg", "name ~~ 'a%'::text", NotUnderstood)]
    [TestCase("pg", "qty < 1 OR qty > 5", NotUnderstood)]
    [TestCase("pg", "qty > 0 OR price > 0::numeric", NotUnderstood)]
    [TestCase("pg", "(- qty) < 5", NotUnderstood)]
    [TestCase("pg", "length(TRIM(BOTH FROM name)) > 0", NotUnderstood)]
    [TestCase("pg", "ends_at >= (starts_at + '01:00:00'::interval)", NotUnderstood)]
    [TestCase("pg", "name = lower(name)", NotUnderstood)]
    [TestCase("pg", "b", NotUnderstood)]
    [TestCase("pg", "qty = ANY (ARRAY[1, NULL::integer])", NotUnderstood)]
    [TestCase("pg", "status::character varying(3)::text = 'abc'::text", NotUnderstood)]
    [TestCase("pg", "length(status::character varying(3)::text) > 0", NotUnderstood)]
    [TestCase("pg", "qty > 0 AND name ~ 'x'::text", NotUnderstood)]
    [TestCase("pg", "", NotUnderstood)]
    // PostgreSQL's non-pretty rendering (pg_dump, pg_get_constraintdef).
    [TestCase("pg-raw", "(price > (0)::numeric)", "price > 0")]
    [TestCase("pg-raw", "((status)::text = ANY ((ARRAY['new'::character varying, 'paid'::character varying])::text[]))", "status IN ('new', 'paid')")]
    [TestCase("pg-raw", "(char_length((code)::text) >= 3)", "length(code) >= 3")]
    [TestCase("pg-raw", "((name <> 'a'::text) AND ((qty > 1) AND (price < (9)::numeric)))", "qty > 1 AND price < 9 AND name NOT IN ('a')")]
    [TestCase("pg-raw", "(f >= ('-1.5'::numeric)::double precision)", "f >= -1.5")]
    [TestCase("pg-raw", "((st2 IS NULL) OR (st2 = ANY (ARRAY['a'::text, 'b'::text])))", "st2 IN ('a', 'b')")]
    [TestCase("pg-raw", "((qty < 1) OR (qty > 5))", NotUnderstood)]
    // MariaDB 10.11 CHECK_CLAUSE.
    [TestCase("mariadb", "`qty` >= 0", "qty >= 0")]
    [TestCase("mariadb", "0 < `qty`", "qty > 0")]
    [TestCase("mariadb", "`price` >= -5.5 and `price` <= 1000.25", "price >= -5.5 AND price <= 1000.25")]
    [TestCase("mariadb", "`name` <> ''", "name NOT IN ('')")]
    [TestCase("mariadb", "`status` not in ('bad','worse')", "status NOT IN ('bad', 'worse')")]
    [TestCase("mariadb", "`m` in ('a','b')", "m IN ('a', 'b')")]
    [TestCase("mariadb", "octet_length(`name`) <= 10", "length(name) <= 10 AND bytes(name) <= 10")]
    [TestCase("mariadb", "char_length(`code`) >= 3", "length(code) >= 3")]
    [TestCase("mariadb", "char_length(`code`) = 5", "length(code) >= 5 AND length(code) <= 5")]
    [TestCase("mariadb", "char_length(`name`) between 1 and 5", "length(name) >= 1 AND length(name) <= 5")]
    [TestCase("mariadb", "`qty` between 1 and 100", "qty >= 1 AND qty <= 100")]
    [TestCase("mariadb", "`ends_at` > `starts_at`", "ends_at > starts_at")]
    [TestCase("mariadb", "`ends_at` is null or `ends_at` > `starts_at`", "ends_at > starts_at")]
    [TestCase("mariadb", "`d` >= '2020-01-01'", "d >= 2020-01-01")]
    [TestCase("mariadb", "`d` between '2020-01-01' and '2020-12-31'", "d >= 2020-01-01 AND d <= 2020-12-31")]
    [TestCase("mariadb", "`name` is null or octet_length(`name`) > 2", "length(name) >= 3")]
    [TestCase("mariadb", "`qty` > 0 and (`status` is null or `status` in ('a','b'))", "qty > 0 AND status IN ('a', 'b')")]
    [TestCase("mariadb", "`Order` = 'x'", "Order IN ('x')")]
    [TestCase("mariadb", "`f` > 1.5e3", "f > 1.5e3")]
    [TestCase("mariadb", "`qty` <> 3", "qty NOT IN ('3')")]
    [TestCase("mariadb", "`qty` in (-1,2,3)", "qty IN ('-1', '2', '3')")]
    [TestCase("mariadb", "`qty` > -5", "qty > -5")]
    [TestCase("mariadb", "`b` = 1", "b IN ('1')")]
    [TestCase("mariadb", "json_valid(`j`)", NoRestriction)]
    [TestCase("mariadb", "json_valid(`name`)", NotUnderstood)]
    [TestCase("mariadb", "`qty` > 0 and `price` < 9", "qty > 0 AND price < 9")]
    [TestCase("mariadb", "`status` is not null and `status` <> 'dq'", "status NOT IN ('dq')")]
    [TestCase("mariadb", "`status` <> _utf8mb4'a  b'", "status NOT IN ('a b')")]
    [TestCase("mariadb", "`status` = _utf8mb4'x' or `status` = 'y'", NotUnderstood)]
    [TestCase("mariadb", "`price` * `qty` > 0", NotUnderstood)]
    [TestCase("mariadb", "`qty` not between 1 and 5", NotUnderstood)]
    [TestCase("mariadb", "`qty` <=> 3", NotUnderstood)]
    [TestCase("mariadb", "`name` regexp '^a'", NotUnderstood)]
    [TestCase("mariadb", "`Mixed Case` > 0", NotUnderstood)]
    // MySQL 8 CHECK_CLAUSE.
    [TestCase("mysql8", "(`qty` >= 0)", "qty >= 0")]
    [TestCase("mysql8", "((`id` > 0) and (`qty` > 0))", "id > 0 AND qty > 0")]
    [TestCase("mysql8", @"(`status` in (_utf8mb4\'studying\',_utf8mb4\'graduated\'))", "status IN ('studying', 'graduated')")]
    [TestCase("mysql8", @"(`status` in (_utf8mb4\'x\',_latin1\'y\'))", "status IN ('x', 'y')")]
    [TestCase("mysql8", @"(`code` = _utf8mb4\'O\\\'Reilly\')", "code IN ('O''Reilly')")]
    [TestCase("mysql8", "((`qty` is null) or ((`qty` >= -(40)) and (`qty` <= 100)))", "qty >= -40 AND qty <= 100")]
    [TestCase("mysql8", "(`price` >= -(90.0000000))", "price >= -90.0000000")]
    [TestCase("mysql8", "(`big` in (-(9223372036854775808),9223372036854775807))", "big IN ('-9223372036854775808', '9223372036854775807')")]
    [TestCase("mysql8", "(char_length(`name`) <= 10)", "length(name) <= 10")]
    [TestCase("mysql8", "((`qty` + `id`) > 10)", NotUnderstood)]
    [TestCase("mysql8", @"(`name` like _utf8mb4\'%@%\')", NotUnderstood)]
    [TestCase("mysql8", @"regexp_like(`code`,_utf8mb4\'^[0-9]{7}$\')", NotUnderstood)]
    // SQLite: the CHECK body as written, normalized as the inspector does.
    [TestCase("sqlite", "price >= 0", "price >= 0")]
    [TestCase("sqlite", "length(name) <= 100", "length(name) <= 100")]
    [TestCase("sqlite", "status IN ('new', 'paid', 'shipped')", "status IN ('new', 'paid', 'shipped')")]
    [TestCase("sqlite", "status in ('new','paid')", "status IN ('new', 'paid')")]
    [TestCase("sqlite", "\"x y\" <> ''", "x y NOT IN ('')")]
    [TestCase("sqlite", "[x y] <> ''", "x y NOT IN ('')")]
    [TestCase("sqlite", "\"Order\" = 'x'", "Order IN ('x')")]
    [TestCase("sqlite", "QTY > 0", "qty > 0")]
    [TestCase("sqlite", "qty == 3", "qty IN ('3')")]
    [TestCase("sqlite", "qty != 3", "qty NOT IN ('3')")]
    [TestCase("sqlite", "price > -5.5", "price > -5.5")]
    [TestCase("sqlite", "1.5e3 < f", "f > 1.5e3")]
    [TestCase("sqlite", "qty BETWEEN 1 AND 10", "qty >= 1 AND qty <= 10")]
    [TestCase("sqlite", "d >= '2020-01-01' AND d < '2021-01-01'", "d >= 2020-01-01 AND d < 2021-01-01")]
    [TestCase("sqlite", "code IS NULL OR length(code) BETWEEN 2 AND 4", "length(code) >= 2 AND length(code) <= 4")]
    [TestCase("sqlite", "name NOTNULL AND name NOT NULL", NoRestriction)]
    [TestCase("sqlite", "status IN ('a', 'b') AND status <> 'b'", "status IN ('a') AND status NOT IN ('b')")]
    [TestCase("sqlite", "qty NOT BETWEEN 1 AND 10", NotUnderstood)]
    [TestCase("sqlite", "typeof(qty) = 'integer'", NotUnderstood)]
    [TestCase("sqlite", "name GLOB '[a-z]*'", NotUnderstood)]
    [TestCase("sqlite", "qty > 0 AND nosuch > 0", NotUnderstood)]
    [TestCase("sqlite", "t.qty > 0", NotUnderstood)]
    [TestCase("sqlite", "length(qty) <= 3", NotUnderstood)]
    [TestCase("sqlite", "qty IN (1, NULL)", NotUnderstood)]
    [TestCase("sqlite", "CASE WHEN qty > 0 THEN 1 ELSE 0 END = 1", NotUnderstood)]
    public void Rendering_gives_exact_domain(string engine, string raw, string expected)
    {
        var expression = Rendered(engine, raw);
        var kind = engine switch
        {
            "mariadb" or "mysql8" => EngineKind.MySql,
            "sqlite" => EngineKind.Sqlite,
            _ => EngineKind.Postgres,
        };
        Assert.Multiple(() =>
        {
            Assert.That(Describe(CheckDomains.Analyze(Wide(expression))), Is.EqualTo(expected), $"engine unknown: {expression}");
            Assert.That(Describe(CheckDomains.Analyze(Wide(expression), kind)), Is.EqualTo(expected), $"engine {kind}: {expression}");
        });
    }

    [Test]
    public void Renderings_are_what_the_inspectors_store()
    {
        Assert.Multiple(() =>
        {
            Assert.That(MySqlTypes.NormalizeExpression(@"(`status` in (_utf8mb4\'a\',_utf8mb4\'b\'))", "db"), Is.EqualTo(@"(status in (_utf8mb4\'a\',_utf8mb4\'b\'))"), "MySQL 8 quotes keep their backslashes and the outer parentheses stay");
            Assert.That(MySqlTypes.NormalizeExpression("`status` <> _utf8mb4'a  b'", "db"), Is.EqualTo("status <> _utf8mb4'a b'"), "whitespace inside MariaDB literals is collapsed");
            Assert.That(MySqlTypes.NormalizeExpression("`Mixed Case` > 0", "db"), Is.EqualTo("Mixed Case > 0"), "backquotes are dropped even where needed");
            Assert.That(SqlText.Normalize("[x y] <> '' AND \"Order\" = 'x'"), Is.EqualTo("\"x y\" <> '' AND \"order\" = 'x'"));
        });
    }

    // ----- engine-specific literals ----------------------------------------------------------------------------------

    [TestCase("`status` in ('new','it\\'s','back\\\\slash')", "status IN ('new', 'it''s', 'back\\slash')")]
    [TestCase("`name` <> 'O\\'Reilly'", "name NOT IN ('O''Reilly')")]
    [TestCase("`status` = 'a\\%b'", "status IN ('a\\%b')")]
    public void MariaDb_backslash_escapes_need_the_engine(string raw, string expected)
    {
        var expression = MySqlTypes.NormalizeExpression(raw, "db");
        Assert.Multiple(() =>
        {
            Assert.That(Describe(CheckDomains.Analyze(Wide(expression), EngineKind.MySql)), Is.EqualTo(expected));
            Assert.That(Describe(CheckDomains.Analyze(Wide(expression))), Is.EqualTo(NotUnderstood), "a backslash in a literal is ambiguous without the engine");
        });
    }

    [Test]
    public void Backslashes_are_literal_in_PostgreSQL_and_SQLite()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Describe(CheckDomains.Analyze(Wide("name <> 'a\\b'::text"), EngineKind.Postgres)), Is.EqualTo("name NOT IN ('a\\b')"));
            Assert.That(Describe(CheckDomains.Analyze(Wide("name <> 'a\\'"), EngineKind.Sqlite)), Is.EqualTo("name NOT IN ('a\\')"));
            Assert.That(Describe(CheckDomains.Analyze(Wide("name <> 'a\\b'::text"))), Is.EqualTo(NotUnderstood));
        });
    }

    [Test]
    public void MySql_length_counts_bytes_only_when_the_engine_is_known()
    {
        var table = Wide(MySqlTypes.NormalizeExpression("(length(`name`) <= 10)", "db"));
        Assert.Multiple(() =>
        {
            Assert.That(Describe(CheckDomains.Analyze(table, EngineKind.MySql)), Is.EqualTo("length(name) <= 10 AND bytes(name) <= 10"));
            Assert.That(Describe(CheckDomains.Analyze(table, EngineKind.Postgres)), Is.EqualTo("length(name) <= 10"));
        });
    }

    // ----- several checks ----------------------------------------------------------------------------------------

    [Test]
    public void Bounds_of_several_checks_intersect_to_the_tightest()
    {
        var analysis = CheckDomains.Analyze(Wide("qty >= 0", "qty > 0", "qty >= -10 AND qty <= 100", "qty < 50", "qty <= 50"));
        Assert.That(analysis.For("qty"), Is.EqualTo(new ColumnDomain("qty", new CheckBound("0", false), new CheckBound("50", false), null, null, null, [])));
        Assert.That(analysis.NotUnderstood, Is.Empty);
    }

    [Test]
    public void Numeric_bounds_compare_by_value_not_text()
    {
        var analysis = CheckDomains.Analyze(Wide("price >= 9.5", "price >= '10'::numeric", "price <= 100.00", "price < 1e2"));
        Assert.That(Describe(analysis), Is.EqualTo("price >= 10 AND price < 100.00"));
    }

    [Test]
    public void Date_bounds_compare_as_dates()
    {
        var analysis = CheckDomains.Analyze(Wide("d >= '2020-01-01'::date", "d > '2019-06-01'", "ts <= '2030-01-01 00:00:00'", "ts <= '2029-12-31 23:59:59'"));
        Assert.That(Describe(analysis), Is.EqualTo("d >= 2020-01-01 AND ts <= 2029-12-31 23:59:59"));
    }

    [Test]
    public void Allowed_lists_intersect_and_drop_forbidden_and_out_of_range_values()
    {
        var analysis = CheckDomains.Analyze(Wide(
            "status IN ('a', 'b', 'c', 'd')",
            "status::text = ANY (ARRAY['b'::text, 'c'::text, 'd'::text, 'e'::text])",
            "status <> 'c'",
            "length(status) <= 1",
            "qty IN (1, 2, 5, 10)",
            "qty = ANY (ARRAY[2.0, 5, 10, 11])",
            "qty < 10"));
        Assert.Multiple(() =>
        {
            Assert.That(analysis.For("status"), Is.EqualTo(new ColumnDomain("status", null, null, ["b", "d"], null, 1, ["c"])));
            Assert.That(analysis.For("qty"), Is.EqualTo(new ColumnDomain("qty", null, new CheckBound("10", false), ["2", "5"], null, null, [])));
        });
    }

    [Test]
    public void Disjoint_lists_leave_only_null()
    {
        var analysis = CheckDomains.Analyze(Wide("status IN ('a')", "status = 'b'"));
        Assert.That(analysis.For("status")!.Allowed, Is.Empty);
    }

    [Test]
    public void Length_limits_intersect()
    {
        var analysis = CheckDomains.Analyze(Wide("length(code) <= 10", "char_length(code) BETWEEN 2 AND 8", "octet_length(code) <= 9", "code <> ''", "length(code) > 0"));
        Assert.That(analysis.For("code"), Is.EqualTo(new ColumnDomain("code", null, null, null, 2, 8, [""]) { MaxBytes = 9 }));
    }

    [Test]
    public void Forbidden_values_join_without_duplicates()
    {
        var analysis = CheckDomains.Analyze(Wide("sm <> 3", "sm NOT IN (3, 4)", "sm <> ALL (ARRAY[4, 5])"));
        Assert.That(analysis.For("sm")!.Forbidden, Is.EqualTo(new[] { "3", "4", "5" }));
    }

    [Test]
    public void A_bound_that_cannot_be_ordered_against_an_earlier_one_leaves_its_check_not_understood()
    {
        var analysis = CheckDomains.Analyze(Wide("name >= 'a'", "name >= 'b' AND qty > 0"));
        Assert.Multiple(() =>
        {
            Assert.That(analysis.For("name"), Is.EqualTo(new ColumnDomain("name", new CheckBound("a", true), null, null, null, null, [])));
            Assert.That(analysis.For("qty"), Is.Null, "nothing of the check not understood is used");
            Assert.That(analysis.NotUnderstood.Select(c => c.Expression), Is.EqualTo(new[] { "name >= 'b' AND qty > 0" }));
        });
    }

    [Test]
    public void Column_comparisons_are_listed_once_in_check_order()
    {
        var analysis = CheckDomains.Analyze(Wide("ends_at > starts_at", "ends_at IS NULL OR ends_at > starts_at", "qty <= big AND qty > 0"));
        Assert.That(analysis.Comparisons, Is.EqualTo(new[] { new ColumnComparison("ends_at", ">", "starts_at"), new ColumnComparison("qty", "<=", "big") }));
        Assert.That(Describe(analysis), Is.EqualTo("qty > 0 AND ends_at > starts_at AND qty <= big"));
    }

    // ----- what is left out --------------------------------------------------------------------------------------

    [Test]
    public void Checks_not_enforced_are_ignored()
    {
        var columns = new[] { Col("qty", TypeFamily.Integer, 1), Col("name", TypeFamily.Text, 2) };
        var table = TableOf(
            columns,
            new CheckConstraint("ck_min", "qty >= 0", true),
            new CheckConstraint("ck_max", "qty <= 10", false),
            new CheckConstraint("ck_like", "name LIKE 'a%'", false));
        var analysis = CheckDomains.Analyze(table);
        Assert.Multiple(() =>
        {
            Assert.That(analysis.For("qty"), Is.EqualTo(new ColumnDomain("qty", new CheckBound("0", true), null, null, null, null, [])));
            Assert.That(analysis.NotUnderstood, Is.Empty);
            Assert.That(analysis.AllUnderstood, Is.True);
        });
    }

    [Test]
    public void A_check_with_any_part_not_understood_goes_whole_to_not_understood()
    {
        var columns = new[] { Col("qty", TypeFamily.Integer, 1), Col("name", TypeFamily.Text, 2), Col("price", TypeFamily.Decimal, 3) };
        var mixed = new CheckConstraint("ck_mixed", "qty > 0 AND name LIKE 'a%' AND price < 10", true);
        var or = new CheckConstraint("ck_or", "qty IS NULL OR name <> ''", true);
        var plain = new CheckConstraint("ck_plain", "price >= 1", true);
        var analysis = CheckDomains.Analyze(TableOf(columns, mixed, or, plain));
        Assert.Multiple(() =>
        {
            Assert.That(analysis.NotUnderstood, Is.EqualTo(new[] { mixed, or }));
            Assert.That(analysis.For("qty"), Is.Null);
            Assert.That(analysis.For("name"), Is.Null);
            Assert.That(analysis.For("price"), Is.EqualTo(new ColumnDomain("price", new CheckBound("1", true), null, null, null, null, [])));
            Assert.That(analysis.AllUnderstood, Is.False);
        });
    }

    // ----- identifiers -------------------------------------------------------------------------------------------

    [Test]
    public void Identifiers_match_columns_case_insensitively_and_report_the_columns_own_spelling()
    {
        var columns = new[] { Col("OrderNo", TypeFamily.Integer, 1), Col("Status", TypeFamily.Text, 2), Col("Total Due", TypeFamily.Decimal, 3) };
        var analysis = CheckDomains.Analyze(TableOf(
            columns,
            new CheckConstraint("a", "ORDERNO > 0", true),
            new CheckConstraint("b", "`status` in ('new')", true),
            new CheckConstraint("c", "[TOTAL DUE] >= 0", true),
            new CheckConstraint("d", "\"total due\" <= 100", true)));
        Assert.Multiple(() =>
        {
            Assert.That(analysis.Domains.Keys, Is.EqualTo(new[] { "OrderNo", "Status", "Total Due" }));
            Assert.That(analysis.For("Total Due"), Is.EqualTo(new ColumnDomain("Total Due", new CheckBound("0", true), new CheckBound("100", true), null, null, null, [])));
            Assert.That(analysis.NotUnderstood, Is.Empty);
        });
    }

    [Test]
    public void Exact_spelling_wins_and_ambiguous_or_unknown_identifiers_are_not_understood()
    {
        var columns = new[] { Col("code", TypeFamily.Text, 1), Col("Code", TypeFamily.Text, 2) };
        var exact = new CheckConstraint("a", "\"Code\" <> ''", true);
        var ambiguous = new CheckConstraint("b", "CODE <> 'x'", true);
        var unknown = new CheckConstraint("c", "codes <> 'x'", true);
        var analysis = CheckDomains.Analyze(TableOf(columns, exact, ambiguous, unknown));
        Assert.Multiple(() =>
        {
            Assert.That(analysis.Domains.Keys, Is.EqualTo(new[] { "Code" }));
            Assert.That(analysis.NotUnderstood, Is.EqualTo(new[] { ambiguous, unknown }));
        });
    }

    [Test]
    public void Keywords_are_case_insensitive()
    {
        var analysis = CheckDomains.Analyze(Wide("Qty Between 1 aNd 9 AnD Status Not In ('x') and Name iS nOt NuLl and st2 = any (array['a'::TEXT])"));
        Assert.That(Describe(analysis), Is.EqualTo("qty >= 1 AND qty <= 9 AND status NOT IN ('x') AND st2 IN ('a')"));
    }
}
