using System.Globalization;
using System.Text;
using Bogus;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Seeding;

/// <summary>What constrains one column's generated values, gathered by the planner.</summary>
/// <param name="Domain">Bounds, lists and lengths from understood check constraints, or null.</param>
/// <param name="Override">The user's override from scenario.yml, or null.</param>
/// <param name="Unique">True when the column carries a unique key's distinctness (values made distinct by row ordinal).</param>
/// <param name="Engine">The engine, for type ranges that differ (MySQL TIMESTAMP ends in 2038).</param>
/// <param name="RowCount">Rows planned, so that ordered timestamps spread over a bounded period.</param>
/// <param name="Nullable">False when NULL must not be written although the column allows it (primary-key columns, unique carriers).</param>
public sealed record ColumnRules(ColumnDomain? Domain, ColumnSeedOverride? Override, bool Unique, EngineKind Engine, long RowCount, bool Nullable = true)
{
    public static ColumnRules Plain(EngineKind engine) => new(null, null, false, engine, 100);

    /// <summary>For a unique key on a prefix of the column (MySQL <c>name(10)</c>): values are distinct within that many characters.</summary>
    public int? UniqueLength { get; init; }
}

/// <summary>
/// Generates typed values for the columns of one table with a Bogus <see cref="Faker"/> seeded from (scenario seed,
/// table, phase), so the same seed gives the same rows on every machine. Values are realistic by column name
/// (emails, names, phone numbers, prices, statuses, timestamps in order), honour the column's type limits and the
/// domains of understood check constraints, and are made distinct by row ordinal where a unique key needs it.
/// </summary>
public sealed class ValueGenerator
{
    /// <summary>Share of NULLs written into a nullable column unless the scenario overrides it.</summary>
    public const double DefaultNullShare = 0.1;

    private static readonly DateTime BaseTime = new(2023, 1, 2, 8, 30, 0, DateTimeKind.Unspecified);
    private static readonly DateTime MySqlTimestampMin = new(1970, 1, 2, 0, 0, 0, DateTimeKind.Unspecified);
    private static readonly DateTime MySqlTimestampMax = new(2038, 1, 18, 0, 0, 0, DateTimeKind.Unspecified);
    private readonly Faker _faker;

    public ValueGenerator(int seed, string tableName, string phase)
    {
        _faker = new Faker("en") { Random = new Randomizer(StableSeed(seed, tableName + "/" + phase)) };
    }

    /// <summary>The table's generator, for choices such as which referenced row to use.</summary>
    public Randomizer Random => _faker.Random;

    /// <summary>A seed that is the same on every machine and run (string.GetHashCode is randomized per process).</summary>
    public static int StableSeed(int seed, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        unchecked
        {
            var hash = (int)2166136261 ^ seed;
            foreach (var c in text)
            {
                hash = (hash ^ c) * 16777619;
            }

            return hash;
        }
    }

    /// <summary>True when the generator has values for the column's type.</summary>
    public static bool CanGenerate(Column column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return column.Family != TypeFamily.Other && !(column.Family == TypeFamily.Enum && column.EnumValues.Count == 0)
            && !(column.Family == TypeFamily.Array && ArrayElement(column) is null);
    }

    /// <summary>Element kind of an array column the generator can fill: "number" or "text"; null for other element types.</summary>
    private static string? ArrayElement(Column column)
    {
        var type = column.DataType.ToLowerInvariant().Replace("[]", string.Empty, StringComparison.Ordinal).Trim();
        type = type.StartsWith('_') ? type[1..] : type;
        return type switch
        {
            _ when type.StartsWith("int", StringComparison.Ordinal) || type.StartsWith("bigint", StringComparison.Ordinal) || type.StartsWith("smallint", StringComparison.Ordinal)
                || type.StartsWith("numeric", StringComparison.Ordinal) || type.StartsWith("decimal", StringComparison.Ordinal) => "number",
            _ when type is "text" or "citext" || type.StartsWith("character varying", StringComparison.Ordinal) || type.StartsWith("varchar", StringComparison.Ordinal) => "text",
            _ => null,
        };
    }

    /// <summary>
    /// Builds the value source for one column: a function from row ordinal (0-based, distinct per row) to a value.
    /// Throws <see cref="RollbackVerifierException"/> when an override cannot apply to the column.
    /// </summary>
    public Func<long, object?> Compile(Column column, ColumnRules rules)
    {
        ArgumentNullException.ThrowIfNull(column);
        ArgumentNullException.ThrowIfNull(rules);
        var core = CompileCore(column, rules);
        if (rules.Engine == EngineKind.Sqlite && column.Family == TypeFamily.Date)
        {
            // SQLite stores what it is given: a date as 'yyyy-MM-dd', as scripts write it, not a DateTime's 'yyyy-MM-dd 00:00:00'.
            var dateTime = core;
            core = ordinal => SqliteDate(dateTime(ordinal));
        }
        var nullShare = rules.Override?.Nulls ?? (rules.Nullable && !rules.Unique && rules.Override is null ? DefaultNullShare : 0);
        if (!column.IsNullable || nullShare <= 0)
        {
            return core;
        }

        var threshold = (float)nullShare;
        return ordinal => _faker.Random.Float() < threshold ? null : core(ordinal);
    }

    private Func<long, object?> CompileCore(Column column, ColumnRules rules)
    {
        if (rules.Override is { } o)
        {
            if (o.HasValue)
            {
                var fixedValue = Convert(column, o.Value, o.Location);
                return _ => fixedValue;
            }

            if (o.Values is { } list)
            {
                var values = list.Select(v => Convert(column, v, o.Location)).ToArray();
                return ordinal => rules.Unique ? values[ordinal % values.Length] : values[_faker.Random.Int(0, values.Length - 1)];
            }

            if (o.Dataset is { } dataset)
            {
                if (!BogusDatasets.TryResolve(dataset, out var source, out var problem))
                {
                    throw new RollbackVerifierException($"{o.Location}: {problem}");
                }

                var limits = TextLimits.For(column, rules.Domain);
                return ordinal =>
                {
                    var value = source(_faker);
                    return column.Family == TypeFamily.Text ? limits.Fit(System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty, rules.Unique ? ordinal : null) : value;
                };
            }
        }

        if (rules.Domain?.Allowed is { Count: 0 })
        {
            return _ => null; // the checks' lists have nothing in common: only NULL passes
        }

        if (rules.Domain?.Allowed is { Count: > 0 } allowed)
        {
            var values = allowed.Select(v => TryConvert(column, v)).Where(v => v is not null).ToArray();
            if (values.Length > 0)
            {
                return ordinal => rules.Unique ? values[ordinal % values.Length] : values[_faker.Random.Int(0, values.Length - 1)];
            }
        }

        return column.Family switch
        {
            TypeFamily.Integer => IntegerSource(column, rules),
            TypeFamily.Decimal => DecimalSource(column, rules),
            TypeFamily.Float => FloatSource(column, rules),
            TypeFamily.Boolean => BooleanSource(column),
            TypeFamily.Text => TextSource(column, rules),
            TypeFamily.Binary => BinarySource(column, rules),
            TypeFamily.Date => DateSource(column, rules),
            TypeFamily.Time => ordinal => TimeSpan.FromSeconds(rules.Unique ? ordinal % 86400 : _faker.Random.Int(0, 86399)),
            TypeFamily.Timestamp or TypeFamily.TimestampTz => TimestampSource(column, rules),
            TypeFamily.Interval => ordinal => TimeSpan.FromMinutes(rules.Unique ? ordinal + 1 : _faker.Random.Int(1, 100_000)),
            TypeFamily.Uuid => _ => NextUuid(),
            TypeFamily.Json => JsonSource(column),
            TypeFamily.Enum when column.EnumValues.Count > 0 => ordinal => rules.Unique ? column.EnumValues[(int)(ordinal % column.EnumValues.Count)] : column.EnumValues[_faker.Random.Int(0, column.EnumValues.Count - 1)],
            TypeFamily.Array => ArraySource(column),
            _ => _ => null,
        };
    }

    /// <summary>
    /// Edge values that break sloppy scripts (maximum-length and multi-byte text, empty strings, boundary numbers,
    /// timestamps at DST changes), filtered by the column's type and domain. May be empty.
    /// </summary>
    public static IReadOnlyList<object?> EdgeValues(Column column, ColumnRules rules)
    {
        ArgumentNullException.ThrowIfNull(column);
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.Domain?.Allowed is { Count: > 0 } || rules.Override is { HasValue: true } or { Values: not null })
        {
            return [];
        }

        IEnumerable<object?> candidates = column.Family switch
        {
            TypeFamily.Text => TextEdges(column, rules),
            TypeFamily.Integer => IntegerBounds(column, rules) is var (lo, hi) ? new object?[] { hi, lo, Math.Clamp(0L, lo, hi) } : [],
            TypeFamily.Decimal => DecimalBounds(column, rules) is var (dlo, dhi)
                ? new object?[] { dhi, dlo, Math.Clamp(0m, dlo, dhi), Math.Clamp(Step(column), dlo, dhi) }
                : [],
            TypeFamily.Float => column.DataType.Contains("unsigned", StringComparison.OrdinalIgnoreCase) ? new object?[] { 0d, 999.5d } : new object?[] { 0d, -0.5d, 999.5d },
            TypeFamily.Date => new object?[] { new DateTime(2000, 2, 29), new DateTime(1970, 1, 2), new DateTime(2037, 12, 31) },
            TypeFamily.Timestamp => TimestampEdges(column, rules, utc: false),
            TypeFamily.TimestampTz => TimestampEdges(column, rules, utc: true),
            TypeFamily.Json => new object?[] { "{\"name\": \"Zoë \\\"quoted\\\" \\\\ back\", \"tags\": [\"東京\", 1.5, null, true], \"nested\": {\"empty\": [], \"emoji\": \"🙂\"}}", "[]", "{}" },
            TypeFamily.Binary => column.DataType.StartsWith("binary(", StringComparison.OrdinalIgnoreCase)
                ? new object?[] { Enumerable.Repeat((byte)0xFF, column.Length ?? 1).ToArray() }
                : new object?[] { Array.Empty<byte>(), new byte[] { 0x00, 0xFF, 0x00, 0x27, 0x5C }.Take(column.Length ?? 5).ToArray() },
            TypeFamily.Boolean => new object?[] { true, false },
            _ => Array.Empty<object?>(),
        };
        return candidates.Where(v => v is not null && Accepts(column, rules.Domain, v))
            .Select(v => rules.Engine == EngineKind.Sqlite && column.Family == TypeFamily.Date ? SqliteDate(v) : v)
            .ToList();
    }

    private static object? SqliteDate(object? value) =>
        value is DateTime d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : value;

    /// <summary>
    /// True when the column holds free text (names, titles, notes, or nothing the name tells), where edge values are
    /// plausible in pre-existing data; false for formatted values such as emails, codes, URLs or phone numbers.
    /// </summary>
    public static bool IsFreeText(Column column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var w = Words(column.Name);
        return column.Family == TypeFamily.Text && !Has(w,
            "email", "mail", "country", "currency", "locale", "language", "lang", "username", "login", "handle", "phone", "mobile", "tel", "fax",
            "url", "website", "homepage", "link", "uri", "href", "avatar", "image", "photo", "ip", "zip", "postal", "postcode", "iban", "slug",
            "password", "hash", "digest", "secret", "token", "salt", "sku", "code", "ref", "reference", "barcode", "isbn", "serial", "status",
            "timezone", "tz", "mime", "file", "filename", "path", "color", "colour", "uuid", "guid", "key", "id");
    }

    /// <summary>True for edge values plausible in pre-existing production data: non-empty text (long, multi-byte) and timestamps.</summary>
    public static bool IsTameEdge(object? value) => value is DateTime || (value is string s && s.Length > 0 && s.Trim() == s && !s.StartsWith('{') && !s.StartsWith('['));

    private static List<object?> TimestampEdges(Column column, ColumnRules rules, bool utc)
    {
        var fraction = (column.Precision ?? (rules.Engine == EngineKind.Postgres ? 6 : 0)) > 0 ? TimeSpan.FromTicks(1_234_560) : TimeSpan.Zero;
        DateTime[] local =
        [
            new DateTime(2024, 3, 10, 2, 30, 0) + fraction,   // does not exist in America/* (spring forward)
            new DateTime(2024, 11, 3, 1, 30, 0) + fraction,   // happens twice in America/* (fall back)
            new DateTime(2024, 3, 31, 2, 30, 0) + fraction,   // does not exist in Europe/*
            new DateTime(1999, 12, 31, 23, 59, 59) + fraction,
            new DateTime(2024, 2, 29, 12, 0, 0),
        ];
        return local.Select(t => (object?)(utc ? DateTime.SpecifyKind(t.AddHours(5), DateTimeKind.Utc) : t)).ToList();
    }

    private static List<object?> TextEdges(Column column, ColumnRules rules)
    {
        var limits = TextLimits.For(column, rules.Domain);
        var charset = Charset(column);
        var pool = charset switch
        {
            TextCharset.Ascii => "O'Brien \\ \"quoted\" ;-- tab\t",
            TextCharset.Latin1 => "Zoë Ångström-Øre ç ñ ß O'Brien \\ ",
            TextCharset.Bmp => "Zoë Ångström e\u0301 東京都渋谷区 Привет O'Brien \\ ",
            _ => "Zoë Ångström e\u0301 東京都渋谷区 🙂🚀 Привет O'Brien \\ ",
        };
        var result = new List<object?>();
        var maxRunes = Math.Min(limits.Max ?? 500, 500);
        result.Add(limits.Cut(Repeat(pool, maxRunes), maxRunes));
        result.Add(limits.Cut(Repeat(pool, Math.Min(maxRunes, 24)), maxRunes).Trim());
        if (limits.Min is null or 0)
        {
            result.Add(string.Empty);
        }

        result.Add(" padded ");
        return result.Where(v => v is string s && limits.Accepts(s)).ToList();
    }

    private static string Repeat(string pool, int runes)
    {
        var builder = new StringBuilder();
        var count = 0;
        while (count < runes)
        {
            foreach (var rune in pool.EnumerateRunes())
            {
                if (count == runes)
                {
                    break;
                }

                builder.Append(rune.ToString());
                count++;
            }
        }

        return builder.ToString();
    }

    private enum TextCharset
    {
        Ascii,
        Latin1,
        Bmp,
        Full,
    }

    private static TextCharset Charset(Column column)
    {
        var collation = column.Collation?.ToLowerInvariant() ?? string.Empty;
        var type = column.DataType.ToLowerInvariant();
        return collation.StartsWith("ascii", StringComparison.Ordinal) || type.Contains("ascii", StringComparison.Ordinal) ? TextCharset.Ascii
            : collation.StartsWith("latin1", StringComparison.Ordinal) || type.Contains("latin1", StringComparison.Ordinal) ? TextCharset.Latin1
            : collation.StartsWith("utf8_", StringComparison.Ordinal) || collation.StartsWith("utf8mb3", StringComparison.Ordinal) || type.Contains("utf8mb3", StringComparison.Ordinal) ? TextCharset.Bmp
            : TextCharset.Full;
    }

    /// <summary>True when <paramref name="value"/> satisfies the column's type limits and check domain.</summary>
    public static bool Accepts(Column column, ColumnDomain? domain, object? value)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (value is null)
        {
            return column.IsNullable;
        }

        switch (value)
        {
            case string s when column.Family == TypeFamily.Text:
                return TextLimits.For(column, domain).Accepts(s) && Listed(domain, s, column);
            case long l:
                return IntegerBounds(column, new ColumnRules(domain, null, false, EngineKind.Postgres, 1)) is var (lo, hi) && l >= lo && l <= hi && Listed(domain, l, column);
            case decimal d:
                return DecimalBounds(column, new ColumnRules(domain, null, false, EngineKind.Postgres, 1)) is var (dlo, dhi) && d >= dlo && d <= dhi && decimal.Round(d, Math.Clamp(column.Scale ?? 10, 0, 28)) == d && Listed(domain, d, column);
            case DateTime t:
                return (domain?.Min is not { } min || Compare(t, min, column, isMin: true) is not false) && (domain?.Max is not { } max || Compare(t, max, column, isMin: false) is not false);
            default:
                return Listed(domain, value, column);
        }
    }

    private static bool Listed(ColumnDomain? domain, object value, Column column)
    {
        if (domain is null)
        {
            return true;
        }

        var text = CanonicalValue.Format(value);
        if (domain.Forbidden.Any(f => Same(TryConvert(column, f), value)))
        {
            return false;
        }

        return domain.Allowed is not { } allowed || allowed.Any(a => Same(TryConvert(column, a), value)) || (text is not null && allowed.Contains(text));
    }

    private static bool Same(object? a, object? b) => CanonicalValue.Format(a) == CanonicalValue.Format(b);

    private static bool? Compare(DateTime value, CheckBound bound, Column column, bool isMin)
    {
        if (TryConvert(column, bound.Literal) is not DateTime limit)
        {
            return null;
        }

        var order = value.CompareTo(limit);
        return isMin ? order > 0 || (order == 0 && bound.Inclusive) : order < 0 || (order == 0 && bound.Inclusive);
    }

    // ----- integers -------------------------------------------------------------------------------------------

    /// <summary>The range the column's type and check domain allow, or null when empty.</summary>
    internal static (long Lo, long Hi)? IntegerBounds(Column column, ColumnRules rules)
    {
        var (lo, hi) = IntegerTypeRange(column);
        if (rules.Override?.Range is { } range)
        {
            lo = Math.Max(lo, ParseLong(range.Min, rules.Override.Location, ceiling: true));
            hi = Math.Min(hi, ParseLong(range.Max, rules.Override.Location, ceiling: false));
        }

        if (rules.Domain is { } domain)
        {
            if (domain.Min is { } min && decimal.TryParse(min.Literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var dmin))
            {
                var bound = (long)Math.Ceiling(dmin);
                lo = Math.Max(lo, !min.Inclusive && bound == dmin ? bound + 1 : bound);
            }

            if (domain.Max is { } max && decimal.TryParse(max.Literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var dmax))
            {
                var bound = (long)Math.Floor(dmax);
                hi = Math.Min(hi, !max.Inclusive && bound == dmax ? bound - 1 : bound);
            }
        }

        return lo <= hi ? (lo, hi) : null;
    }

    /// <summary>The range of the column's integer type (by its engine rendering).</summary>
    public static (long Lo, long Hi) IntegerTypeRange(Column column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var type = column.DataType.ToLowerInvariant();
        var unsigned = type.Contains("unsigned", StringComparison.Ordinal);
        (long lo, long hi) = type switch
        {
            _ when type.StartsWith("year", StringComparison.Ordinal) => (1901L, 2155L),
            _ when type.StartsWith("tinyint(1)", StringComparison.Ordinal) || type.StartsWith("bit", StringComparison.Ordinal) || type.StartsWith("bool", StringComparison.Ordinal) => (0L, 1L),
            _ when type.StartsWith("tinyint", StringComparison.Ordinal) || type.StartsWith("int1", StringComparison.Ordinal) => unsigned ? (0L, 255L) : (-128L, 127L),
            _ when type.StartsWith("smallint", StringComparison.Ordinal) || type.StartsWith("int2", StringComparison.Ordinal) || type.StartsWith("smallserial", StringComparison.Ordinal) => unsigned ? (0L, 65_535L) : (-32_768L, 32_767L),
            _ when type.StartsWith("mediumint", StringComparison.Ordinal) || type.StartsWith("int3", StringComparison.Ordinal) => unsigned ? (0L, 16_777_215L) : (-8_388_608L, 8_388_607L),
            _ when type.StartsWith("bigint", StringComparison.Ordinal) || type.StartsWith("int8", StringComparison.Ordinal) || type.StartsWith("bigserial", StringComparison.Ordinal) => unsigned ? (0L, long.MaxValue) : (long.MinValue, long.MaxValue),
            _ when type.StartsWith("int", StringComparison.Ordinal) || type.StartsWith("serial", StringComparison.Ordinal) || type.StartsWith("mediumint", StringComparison.Ordinal) => unsigned ? (0L, 4_294_967_295L) : (int.MinValue, int.MaxValue),
            _ => (long.MinValue, long.MaxValue), // SQLite INTEGER and unknown integer renderings are 64-bit
        };
        return (lo, hi);
    }

    private Func<long, object?> IntegerSource(Column column, ColumnRules rules)
    {
        if (IntegerBounds(column, rules) is not var (lo, hi))
        {
            return _ => null;
        }

        if (rules.Unique)
        {
            // Distinct until the type's range is used up: from 1 (or the lower bound) upwards, then wrapping to the bottom.
            var start = lo < 1 && hi >= 1 ? 1 : lo;
            var span = (decimal)hi - lo + 1;
            return ordinal => (long)(lo + (((decimal)start - lo + ordinal) % span));
        }

        var (semanticLo, semanticHi) = IntegerSemantic(column.Name);
        var (a, b) = Intersect(lo, hi, semanticLo, semanticHi);
        return _ => _faker.Random.Long(a, b);
    }

    private static (long, long) Intersect(long lo, long hi, long wantLo, long wantHi) =>
        Math.Max(lo, wantLo) <= Math.Min(hi, wantHi) ? (Math.Max(lo, wantLo), Math.Min(hi, wantHi)) : (lo, Math.Min(hi, lo > long.MaxValue - 1000 ? hi : lo + 1000));

    private static (long, long) IntegerSemantic(string name)
    {
        var words = Words(name);
        return words switch
        {
            _ when Has(words, "qty", "quantity", "count", "units", "items") => (1, 100),
            _ when Has(words, "stock", "inventory") => (0, 500),
            _ when Has(words, "age") => (18, 90),
            _ when Has(words, "rating", "stars", "score", "rank", "priority", "level") => (1, 5),
            _ when Has(words, "percent", "pct", "discount") => (0, 100),
            _ when Has(words, "year") => (1990, 2030),
            _ when Has(words, "cents", "price", "amount", "total", "cost") => (100, 100_000),
            _ when Has(words, "position", "sort", "order", "seq", "line") => (1, 50),
            _ => (0, 100_000),
        };
    }

    private static long ParseLong(string text, string location, bool ceiling) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? (long)(ceiling ? Math.Ceiling(d) : Math.Floor(d))
            : throw new RollbackVerifierException($"{location}: range bound '{text}' is not a number");

    // ----- decimals and floats ------------------------------------------------------------------------------------

    private static decimal Step(Column column) => Pow10(-Math.Clamp(column.Scale ?? 0, 0, 10));

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < Math.Abs(exponent); i++)
        {
            result = exponent > 0 ? result * 10 : result / 10;
        }

        return result;
    }

    internal static (decimal Lo, decimal Hi)? DecimalBounds(Column column, ColumnRules rules)
    {
        var scale = Math.Clamp(column.Scale ?? (column.Precision is null ? 4 : 0), 0, 10);
        var precision = Math.Clamp(column.Precision ?? 18, 1, 28);
        var maxAbs = Pow10(Math.Min(precision - scale, 18)) - Pow10(-scale);
        var lo = column.DataType.Contains("unsigned", StringComparison.OrdinalIgnoreCase) ? 0m : -maxAbs;
        var hi = maxAbs;
        if (rules.Override?.Range is { } range)
        {
            lo = Math.Max(lo, ParseDecimal(range.Min, rules.Override.Location));
            hi = Math.Min(hi, ParseDecimal(range.Max, rules.Override.Location));
        }

        var step = Pow10(-scale);
        if (rules.Domain is { } domain)
        {
            if (domain.Min is { } min && decimal.TryParse(min.Literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var dmin))
            {
                lo = Math.Max(lo, min.Inclusive ? dmin : dmin + step);
            }

            if (domain.Max is { } max && decimal.TryParse(max.Literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var dmax))
            {
                hi = Math.Min(hi, max.Inclusive ? dmax : dmax - step);
            }
        }

        lo = Math.Ceiling(lo / step) * step;
        hi = Math.Floor(hi / step) * step;
        return lo <= hi ? (lo, hi) : null;
    }

    private static decimal ParseDecimal(string text, string location) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw new RollbackVerifierException($"{location}: range bound '{text}' is not a number");

    private Func<long, object?> DecimalSource(Column column, ColumnRules rules)
    {
        if (DecimalBounds(column, rules) is not var (lo, hi))
        {
            return _ => null;
        }

        var scale = Math.Clamp(column.Scale ?? (column.Precision is null ? 4 : 0), 0, 10);
        if (rules.Unique)
        {
            var start = lo < 1 && hi >= 1 ? 1m : lo;
            var fraction = scale > 0 ? 0.5m : 0m;
            return ordinal => start + ordinal + fraction <= hi ? start + ordinal + fraction : lo + (ordinal * Pow10(-scale) % (hi - lo + Pow10(-scale)));
        }

        var words = Words(column.Name);
        (decimal wantLo, decimal wantHi) = words switch
        {
            _ when Has(words, "price", "amount", "total", "cost", "fee", "balance", "subtotal", "tax", "salary", "paid") => (0.5m, 999.99m),
            _ when Has(words, "rate", "ratio", "percent", "discount", "pct") => (0m, 100m),
            _ when Has(words, "lat", "latitude") => (-90m, 90m),
            _ when Has(words, "lon", "lng", "longitude") => (-180m, 180m),
            _ when Has(words, "weight", "height", "width", "length", "qty", "quantity") => (0.1m, 500m),
            _ => (0m, 10_000m),
        };
        var a = Math.Max(lo, wantLo);
        var b = Math.Min(hi, wantHi);
        if (a > b)
        {
            (a, b) = (lo, Math.Min(hi, lo + 1000m));
        }

        return _ => Math.Clamp(Math.Round(_faker.Random.Decimal(a, b), scale), a, b);
    }

    private Func<long, object?> FloatSource(Column column, ColumnRules rules)
    {
        double lo = column.DataType.Contains("unsigned", StringComparison.OrdinalIgnoreCase) ? 0 : -1000, hi = 1000;
        if (rules.Domain?.Min is { } min && double.TryParse(min.Literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var dmin))
        {
            lo = Math.Max(lo, min.Inclusive ? dmin : dmin + 0.01);
        }

        if (rules.Domain?.Max is { } max && double.TryParse(max.Literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var dmax))
        {
            hi = Math.Min(hi, max.Inclusive ? dmax : dmax - 0.01);
        }

        if (rules.Override?.Range is { } range)
        {
            lo = (double)ParseDecimal(range.Min, rules.Override.Location);
            hi = (double)ParseDecimal(range.Max, rules.Override.Location);
        }

        if (lo > hi)
        {
            return _ => null;
        }

        if (rules.Unique)
        {
            // Distinct values need room: without a declared bound, go past the realistic range rather than repeat.
            var top = rules.Domain?.Max is null && rules.Override?.Range is null ? 1e12 : hi;
            var step = top - lo >= 1 ? 1.0 : (top - lo) / 1e6;
            return ordinal => Math.Min(lo + (ordinal * step) + (step / 2), top);
        }

        return _ => Math.Clamp(Math.Round(_faker.Random.Double(lo, hi), 2), lo, hi);
    }

    // ----- other families -----------------------------------------------------------------------------------------

    private Func<long, object?> BooleanSource(Column column)
    {
        var words = Words(column.Name);
        var weight = Has(words, "active", "enabled", "visible", "published", "verified", "available") ? 0.8f
            : Has(words, "deleted", "archived", "blocked", "banned", "disabled") ? 0.1f
            : 0.5f;
        return _ => _faker.Random.Bool(weight);
    }

    private Func<long, object?> BinarySource(Column column, ColumnRules rules)
    {
        var fixedLength = column.DataType.StartsWith("binary(", StringComparison.OrdinalIgnoreCase);
        var length = Math.Clamp(column.Length ?? 16, 1, fixedLength ? column.Length ?? 16 : 32);
        return ordinal =>
        {
            var bytes = _faker.Random.Bytes(length);
            if (rules.Unique)
            {
                var tail = BitConverter.GetBytes(ordinal);
                for (var i = 0; i < Math.Min(8, length); i++)
                {
                    bytes[length - 1 - i] = tail[i];
                }
            }

            return bytes;
        };
    }

    private Func<long, object?> DateSource(Column column, ColumnRules rules)
    {
        var words = Words(column.Name);
        var (lo, hi) = Has(words, "birth", "born", "dob", "birthday")
            ? (new DateTime(1950, 1, 1), new DateTime(2005, 12, 31))
            : (new DateTime(2015, 1, 1), new DateTime(2030, 12, 31));
        if (rules.Unique && rules.Override?.Range is null && rules.Domain is null)
        {
            (lo, hi) = (new DateTime(1901, 1, 1), new DateTime(2099, 12, 31)); // room for ~72,000 distinct days
        }

        (lo, hi) = DateRange(column, rules, lo, hi);
        var span = Math.Max(0, (int)(hi - lo).TotalDays);
        return ordinal => rules.Unique ? lo.AddDays(ordinal % (span + 1)) : lo.AddDays(_faker.Random.Int(0, span));
    }

    private static (DateTime Lo, DateTime Hi) DateRange(Column column, ColumnRules rules, DateTime lo, DateTime hi)
    {
        if (rules.Override?.Range is { } range)
        {
            lo = Convert(column, range.Min, rules.Override.Location) as DateTime? ?? lo;
            hi = Convert(column, range.Max, rules.Override.Location) as DateTime? ?? hi;
        }

        if (rules.Domain?.Min is { } min && TryConvert(column, min.Literal) is DateTime dmin)
        {
            var bound = min.Inclusive ? dmin : dmin.AddSeconds(1);
            lo = bound > lo ? bound : lo;
            hi = hi < lo ? lo.AddYears(5) : hi;
        }

        if (rules.Domain?.Max is { } max && TryConvert(column, max.Literal) is DateTime dmax)
        {
            var bound = max.Inclusive ? dmax : dmax.AddSeconds(-1);
            hi = bound < hi ? bound : hi;
            lo = lo > hi ? hi.AddYears(-5) : lo;
        }

        if (rules.Engine == EngineKind.MySql && column.DataType.StartsWith("timestamp", StringComparison.OrdinalIgnoreCase))
        {
            lo = lo < MySqlTimestampMin ? MySqlTimestampMin : lo;
            hi = hi > MySqlTimestampMax ? MySqlTimestampMax : hi;
        }

        return (lo, hi);
    }

    private Func<long, object?> TimestampSource(Column column, ColumnRules rules)
    {
        // Rows come in time order, like real activity: row n is about n steps after the first. Columns named for a
        // later event (updated, shipped, ends) are offset after the creation time of the same row.
        var words = Words(column.Name);
        var later = Has(words, "updated", "modified", "changed", "shipped", "delivered", "closed", "ended", "ends", "end", "finished", "completed", "expires", "expiry", "until", "to", "paid", "last")
            ? TimeSpan.FromHours(30) : TimeSpan.Zero;
        var (lo, hi) = DateRange(column, rules, BaseTime, BaseTime.AddYears(3));
        var period = (hi - lo) - later;
        if (period <= TimeSpan.Zero)
        {
            period = hi - lo;
            later = TimeSpan.Zero;
        }

        var step = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, Math.Min(TimeSpan.FromMinutes(37).Ticks, period.Ticks / Math.Max(1, rules.RowCount + 1))));
        var wholeSeconds = (column.Precision ?? (rules.Engine == EngineKind.Postgres ? 6 : 0)) == 0;
        var utc = column.Family == TypeFamily.TimestampTz;
        return ordinal =>
        {
            var offset = TimeSpan.FromTicks(step.Ticks * (ordinal % Math.Max(1, period.Ticks / step.Ticks)));
            var jitter = rules.Unique ? TimeSpan.Zero : TimeSpan.FromSeconds(_faker.Random.Int(0, (int)Math.Max(0, Math.Min(step.TotalSeconds - 1, 3600))));
            var value = lo + offset + jitter + later;
            if (!wholeSeconds && !rules.Unique)
            {
                value = value.AddTicks(_faker.Random.Int(0, 999_999) * 10L);
            }

            return utc ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : value;
        };
    }

    private Func<long, object?> JsonSource(Column column)
    {
        var words = Words(column.Name);
        var isList = Has(words, "tags", "items", "list", "labels");
        return ordinal => isList
            ? string.Create(CultureInfo.InvariantCulture, $"[\"{_faker.Commerce.Department()}\", \"{_faker.Hacker.Noun()}\"]")
            : string.Create(CultureInfo.InvariantCulture, $"{{\"id\": {ordinal + 1}, \"source\": \"{_faker.Internet.DomainWord()}\", \"score\": {_faker.Random.Int(0, 100)}, \"active\": {(_faker.Random.Bool() ? "true" : "false")}}}");
    }

    private Func<long, object?> ArraySource(Column column)
    {
        var numeric = ArrayElement(column) == "number";
        return _ => numeric
            ? string.Create(CultureInfo.InvariantCulture, $"{{{_faker.Random.Int(1, 99)},{_faker.Random.Int(1, 99)}}}")
            : string.Create(CultureInfo.InvariantCulture, $"{{{_faker.Lorem.Word()},{_faker.Lorem.Word()}}}");
    }

    /// <summary>A version-4 UUID from the table's generator (some servers refuse other versions).</summary>
    private Guid NextUuid()
    {
        var bytes = _faker.Random.Bytes(16);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    // ----- text ---------------------------------------------------------------------------------------------------

    /// <summary>
    /// Length limits of a text column from its type and check domain, counted in characters (code points), or in
    /// UTF-8 bytes for MySQL's TINYTEXT/TEXT/MEDIUMTEXT (whose limit is in bytes).
    /// </summary>
    private sealed record TextLimits(int? Min, int? Max, IReadOnlyList<string> Forbidden, bool Bytes)
    {
        public static TextLimits For(Column column, ColumnDomain? domain)
        {
            int? max = column.Length;
            if (domain?.MaxLength is { } dmax)
            {
                max = max is null ? dmax : Math.Min(max.Value, dmax);
            }

            var bytes = column.Length is not null && column.DataType.ToLowerInvariant() is "tinytext" or "text" or "mediumtext" or "longtext";
            if (domain?.MaxBytes is { } maxBytes)
            {
                bytes = true;
                max = max is null ? maxBytes : Math.Min(max.Value, maxBytes);
            }

            return new TextLimits(domain?.MinLength, max, domain?.Forbidden ?? [], bytes);
        }

        public int Size(string value) => Bytes ? Encoding.UTF8.GetByteCount(value) : RuneCount(value);

        /// <summary>True when the value is within the maximum; cheap for the common case of short strings.</summary>
        public bool WithinMax(string value, int extra = 0) =>
            Max is not { } max || (Bytes ? value.Length * 3 + extra <= max : value.Length + extra <= max) || Size(value) + extra <= max;

        public bool Accepts(string value)
        {
            var size = Size(value);
            return (Max is null || size <= Max) && (Min is null || RuneCount(value) >= Min) && !Forbidden.Contains(value);
        }

        /// <summary>The longest prefix of <paramref name="value"/> within <paramref name="limit"/> (characters or bytes).</summary>
        public string Cut(string value, int limit)
        {
            if (limit <= 0)
            {
                return string.Empty;
            }

            var builder = new StringBuilder();
            var size = 0;
            foreach (var rune in value.EnumerateRunes())
            {
                size += Bytes ? rune.Utf8SequenceLength : 1;
                if (size > limit)
                {
                    break;
                }

                builder.Append(rune.ToString());
            }

            return builder.ToString();
        }

        /// <summary>Fits a value into the limits; a unique ordinal is appended so that values stay distinct.</summary>
        public string Fit(string value, long? uniqueOrdinal)
        {
            if (uniqueOrdinal is { } u)
            {
                var suffix = "-" + u.ToString(CultureInfo.InvariantCulture);
                if (Max is { } limit && (limit <= 12 || !WithinMax(value, suffix.Length)))
                {
                    // The ordinal after the last '-' keeps values distinct however short the column is; short columns
                    // (12 characters or fewer) always use base 36 for more room.
                    var tail = limit <= 12 ? Base36(u) : u.ToString(CultureInfo.InvariantCulture);
                    value = tail.Length >= limit ? tail[^limit..] : Cut(value, limit - tail.Length - 1) + "-" + tail;
                }
                else
                {
                    value += suffix;
                }
            }
            else if (Max is { } limit && !WithinMax(value))
            {
                value = Cut(value, limit).TrimEnd();
            }

            if (Min is { } minimum && RuneCount(value) < minimum)
            {
                value = value.PadRight(minimum + (value.Length - RuneCount(value)), 'x');
            }

            if (Forbidden.Count > 0 && Forbidden.Contains(value))
            {
                value = Max is { } m && Size(value) >= m ? (m > 0 ? Cut(value, m - 1) + "x" : value) : value + "x";
            }

            return value;
        }
    }

    private static string Base36(long value)
    {
        const string digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        var builder = new StringBuilder();
        var rest = Math.Abs(value);
        do
        {
            builder.Insert(0, digits[(int)(rest % 36)]);
            rest /= 36;
        }
        while (rest > 0);
        return builder.ToString();
    }

    private static int RuneCount(string value)
    {
        var count = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    private Func<long, object?> TextSource(Column column, ColumnRules rules)
    {
        var limits = TextLimits.For(column, rules.Domain);
        if (rules.Unique && rules.UniqueLength is { } prefix && (limits.Max is null || prefix < limits.Max))
        {
            limits = limits with { Max = prefix };
        }

        var semantic = TextSemantic(column, limits.Max);
        return ordinal => limits.Fit(semantic(ordinal), rules.Unique ? ordinal : null);
    }

    private Func<long, string> TextSemantic(Column column, int? maxLength)
    {
        var w = Words(column.Name);
        var f = _faker;
        if (Has(w, "email", "mail"))
        {
            // Bogus's Internet.Email() slugifies through a regex (~5 µs); this reads the same at a fifth of the cost.
            string[] domains = ["gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "example.org", "proton.me", "fastmail.com", "icloud.com"];
            return _ => EmailPart(f.Name.FirstName()) + "." + EmailPart(f.Name.LastName()) + "@" + domains[f.Random.Int(0, domains.Length - 1)];
        }

        if (Has(w, "country"))
        {
            return maxLength switch
            {
                2 => _ => f.Address.CountryCode(),
                3 => _ => f.Address.CountryCode(Bogus.DataSets.Iso3166Format.Alpha3),
                _ => _ => f.Address.Country(),
            };
        }

        if (Has(w, "currency"))
        {
            return maxLength is <= 3 ? _ => f.Finance.Currency().Code : _ => f.Finance.Currency().Description;
        }

        if (Has(w, "locale", "language", "lang"))
        {
            return maxLength is <= 2 ? _ => f.PickRandom("en", "de", "fr", "es", "ja", "pt") : _ => f.PickRandom("en_US", "de_DE", "fr_FR", "es_ES", "ja_JP", "pt_BR");
        }

        return w switch
        {
            _ when Has(w, "first", "given", "forename") => _ => f.Name.FirstName(),
            _ when Has(w, "last", "surname", "family") && !Has(w, "login") => _ => f.Name.LastName(),
            _ when Has(w, "username", "login", "handle", "nick", "nickname") => _ => f.Internet.UserName(),
            _ when Has(w, "company", "organization", "organisation", "employer", "vendor", "supplier") => _ => f.Company.CompanyName(),
            _ when Has(w, "product", "item", "article") && Has(w, "name", "title") => _ => f.Commerce.ProductName(),
            _ when Has(w, "job") => _ => f.Name.JobTitle(),
            _ when Has(w, "name", "fullname", "author", "contact", "owner", "customer") => _ => f.Name.FullName(),
            _ when Has(w, "phone", "mobile", "tel", "telephone", "fax") => _ => f.Phone.PhoneNumber("+1 ###-###-####"),
            _ when Has(w, "url", "website", "homepage", "link", "uri", "href") => _ => f.Internet.Url(),
            _ when Has(w, "avatar", "image", "photo", "picture", "thumbnail") => _ => f.Internet.Avatar(),
            _ when Has(w, "ip") => _ => f.Internet.Ip(),
            _ when Has(w, "city", "town") => _ => f.Address.City(),
            _ when Has(w, "zip", "postal", "postcode") => _ => f.Address.ZipCode(),
            _ when Has(w, "state", "province", "region", "county") && !Has(w, "status") => _ => f.Address.State(),
            _ when Has(w, "address", "street", "line1", "line2") => _ => f.Address.StreetAddress(),
            _ when Has(w, "iban") => _ => f.Finance.Iban(),
            _ when Has(w, "color", "colour") => _ => f.Commerce.Color(),
            _ when Has(w, "slug") => _ => f.Lorem.Slug(3),
            _ when Has(w, "password", "hash", "digest", "secret", "token", "salt") => _ => f.Random.Hash(40),
            _ when Has(w, "sku", "code", "ref", "reference", "barcode", "isbn", "serial") => _ => f.Random.AlphaNumeric(8).ToUpperInvariant(),
            _ when Has(w, "status", "state") => _ => f.PickRandom("active", "pending", "shipped", "cancelled", "closed"),
            _ when Has(w, "type", "kind", "category", "department", "tag", "label", "group") => _ => f.Commerce.Department(),
            _ when Has(w, "title", "subject", "headline", "heading") => _ => f.Lorem.Sentence(3).TrimEnd('.'),
            _ when Has(w, "timezone", "tz") => _ => f.Date.TimeZoneString(),
            _ when Has(w, "mime", "content_type") => _ => f.System.MimeType(),
            _ when Has(w, "file", "filename", "path") => _ => f.System.FileName(),
            _ when Has(w, "description", "note", "notes", "comment", "comments", "body", "text", "content", "bio", "summary", "message", "remarks", "details") => _ => f.Lorem.Sentence(8),
            _ => _ => f.Commerce.ProductAdjective() + " " + f.Lorem.Word(),
        };
    }

    private static string EmailPart(string name)
    {
        Span<char> buffer = stackalloc char[name.Length];
        var length = 0;
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                buffer[length++] = char.ToLowerInvariant(c);
            }
        }

        return new string(buffer[..length]);
    }

    private static string[] Words(string name)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && char.IsLower(name[i - 1]))
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString().Split(['_', '-', ' ', '.'], StringSplitOptions.RemoveEmptyEntries);
    }

    private static bool Has(string[] words, params string[] any)
    {
        foreach (var word in words)
        {
            foreach (var candidate in any)
            {
                if (word == candidate || (candidate.Length > 4 && word.StartsWith(candidate, StringComparison.Ordinal)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    // ----- conversions --------------------------------------------------------------------------------------------

    /// <summary>Converts text from scenario.yml or a check constraint into a parameter value for the column.</summary>
    public static object? Convert(Column column, string? text, string location)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (text is null)
        {
            return null;
        }

        object? value = column.Family switch
        {
            TypeFamily.Date when DateTime.TryParse(text, CultureInfo.InvariantCulture, Utc, out var date) => DateTime.SpecifyKind(date.Date, DateTimeKind.Unspecified),
            TypeFamily.Timestamp when DateTime.TryParse(text, CultureInfo.InvariantCulture, Utc, out var ts) => DateTime.SpecifyKind(ts, DateTimeKind.Unspecified),
            TypeFamily.Text or TypeFamily.Enum or TypeFamily.Json or TypeFamily.Array => text,
            TypeFamily.Date or TypeFamily.Timestamp => throw new RollbackVerifierException($"{location}: '{text}' is not a date or timestamp for column {column.Name}"),
            _ => FromCanonical(column, text),
        };
        if (value is string s && column.Family is TypeFamily.Integer or TypeFamily.Decimal or TypeFamily.Float or TypeFamily.Uuid or TypeFamily.TimestampTz)
        {
            throw new RollbackVerifierException($"{location}: '{s}' is not a valid {column.Family.ToString().ToLowerInvariant()} value for column {column.Name}");
        }

        return value;
    }

    /// <summary>Time-zone independent parsing: text with an offset is converted to UTC, text without one is taken as is.</summary>
    private const DateTimeStyles Utc = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal;

    /// <summary>Like <see cref="Convert"/>, but null when the text does not fit the column's type (check literals).</summary>
    public static object? TryConvert(Column column, string? text)
    {
        try
        {
            return Convert(column, text, "check");
        }
        catch (RollbackVerifierException)
        {
            return null;
        }
    }

    /// <summary>Converts a canonical value read back from the database into a parameter value for the same column.</summary>
    public static object? FromCanonical(Column column, string? text, EngineKind engine = EngineKind.Postgres)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (text is null)
        {
            return null;
        }

        return column.Family switch
        {
            TypeFamily.Integer when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
            TypeFamily.Decimal when decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            TypeFamily.Float when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) => f,
            TypeFamily.Boolean => text is "true" or "1" or "t",
            TypeFamily.Uuid when Guid.TryParse(text, out var g) => g,
            TypeFamily.Binary when text.StartsWith("\\x", StringComparison.Ordinal) => System.Convert.FromHexString(text[2..]),
            TypeFamily.Date when engine == EngineKind.Sqlite => text, // SQLite compares the stored text
            TypeFamily.Date or TypeFamily.Timestamp when DateTime.TryParse(text, CultureInfo.InvariantCulture, Utc, out var dt) => DateTime.SpecifyKind(dt, DateTimeKind.Unspecified),
            TypeFamily.TimestampTz when DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var dtz) => DateTime.SpecifyKind(dtz, DateTimeKind.Utc),
            TypeFamily.Time or TypeFamily.Interval when TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var ts) => ts,
            _ => text,
        };
    }
}
