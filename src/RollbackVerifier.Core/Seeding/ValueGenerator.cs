using System.Globalization;
using Bogus;
using RollbackVerifier.Model;

namespace RollbackVerifier.Seeding;

/// <summary>
/// Generates a typed value for a column from its type family, limits and name, using a per-table Bogus
/// <see cref="Faker"/> seeded deterministically. Values honour length, precision and scale; unique columns
/// get values made distinct by the row number.
/// </summary>
public sealed class ValueGenerator
{
    private static readonly DateTime BaseTime = new(2024, 3, 10, 8, 30, 0, DateTimeKind.Unspecified);
    private readonly Faker _faker;

    public ValueGenerator(int seed, string tableName, string phase)
    {
        _faker = new Faker { Random = new Randomizer(StableSeed(seed, tableName + "/" + phase)) };
    }

    /// <summary>The table's generator, for choices such as which referenced row to use.</summary>
    public Randomizer Random => _faker.Random;

    /// <summary>A seed that is the same on every machine and run (string.GetHashCode is randomized per process).</summary>
    public static int StableSeed(int seed, string text)
    {
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

    /// <summary>True when the generator can produce values for this column.</summary>
    public static bool CanGenerate(Column column) => column.Family != TypeFamily.Other || column.IsNullable;

    /// <summary>A value for <paramref name="column"/>; <paramref name="uniqueOrdinal"/> is non-null when the value must be unique.</summary>
    public object? Next(Column column, long? uniqueOrdinal)
    {
        if (uniqueOrdinal is null && column.IsNullable && _faker.Random.Int(0, 9) == 0)
        {
            return null;
        }

        return column.Family switch
        {
            TypeFamily.Integer => NextInteger(column, uniqueOrdinal),
            TypeFamily.Decimal => NextDecimal(column, uniqueOrdinal),
            TypeFamily.Float => uniqueOrdinal is { } u ? u + 0.5 : Math.Round(_faker.Random.Double(-1000, 1000), 3),
            TypeFamily.Boolean => _faker.Random.Bool(),
            TypeFamily.Text => NextText(column, uniqueOrdinal),
            TypeFamily.Binary => _faker.Random.Bytes(Math.Clamp(column.Length ?? 16, 1, 16)),
            TypeFamily.Date => BaseTime.Date.AddDays(uniqueOrdinal ?? _faker.Random.Int(-2000, 2000)),
            TypeFamily.Time => TimeSpan.FromSeconds(uniqueOrdinal is { } t ? t % 86400 : _faker.Random.Int(0, 86399)),
            TypeFamily.Timestamp => BaseTime.AddSeconds(uniqueOrdinal ?? _faker.Random.Int(-100_000_000, 100_000_000)),
            TypeFamily.TimestampTz => DateTime.SpecifyKind(BaseTime.AddSeconds(uniqueOrdinal ?? _faker.Random.Int(-100_000_000, 100_000_000)), DateTimeKind.Utc),
            TypeFamily.Interval => TimeSpan.FromMinutes(uniqueOrdinal ?? _faker.Random.Int(0, 100_000)),
            TypeFamily.Uuid => NextUuid(),
            TypeFamily.Json => string.Create(CultureInfo.InvariantCulture, $"{{\"id\": {uniqueOrdinal ?? _faker.Random.Int(0, 10_000)}, \"tag\": \"{_faker.Hacker.Noun()}\"}}"),
            TypeFamily.Enum when column.EnumValues.Count > 0 => uniqueOrdinal is { } e && e < column.EnumValues.Count
                ? column.EnumValues[(int)e]
                : _faker.PickRandom<string>(column.EnumValues),
            TypeFamily.Array => "{}",
            _ => null,
        };
    }

    /// <summary>A version-4 UUID from the table's generator (some servers refuse other versions).</summary>
    private Guid NextUuid()
    {
        var bytes = _faker.Random.Bytes(16);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    private object NextInteger(Column column, long? uniqueOrdinal)
    {
        var type = column.DataType.ToLowerInvariant();
        if (type.StartsWith("year", StringComparison.Ordinal))
        {
            return (long)(uniqueOrdinal is { } y ? 1901 + (y % 255) : _faker.Random.Int(1901, 2155));
        }

        long max = type switch
        {
            _ when type.StartsWith("tinyint(1)", StringComparison.Ordinal) => 1,
            _ when type.StartsWith("tinyint", StringComparison.Ordinal) || type.StartsWith("int1", StringComparison.Ordinal) => 127,
            _ when type.StartsWith("smallint", StringComparison.Ordinal) || type.StartsWith("int2", StringComparison.Ordinal) => 32_767,
            _ when type.StartsWith("mediumint", StringComparison.Ordinal) => 8_388_607,
            _ when type.StartsWith("bit", StringComparison.Ordinal) => 1,
            _ => 2_000_000_000,
        };
        if (uniqueOrdinal is { } u)
        {
            return Math.Min(u + 1, max);
        }

        return (long)_faker.Random.Int(0, (int)Math.Min(max, 100_000));
    }

    private decimal NextDecimal(Column column, long? uniqueOrdinal)
    {
        var scale = Math.Clamp(column.Scale ?? 2, 0, 10);
        var precision = Math.Clamp(column.Precision ?? 12, 1, 28);
        var integerDigits = Math.Max(0, precision - scale);
        var maxInteger = integerDigits == 0 ? 0m : (decimal)Math.Pow(10, Math.Min(integerDigits, 9)) - 1;
        if (uniqueOrdinal is { } u)
        {
            return Math.Min(u + 1, maxInteger) + (scale > 0 ? 0.5m : 0m) * (integerDigits == 0 ? 0.1m : 1m);
        }

        var value = _faker.Random.Decimal(0, Math.Min(maxInteger, 100_000m) + 0.99m);
        value = Math.Round(value, scale);
        return Math.Min(value, maxInteger + (1 - (decimal)Math.Pow(10, -scale)));
    }

    private string NextText(Column column, long? uniqueOrdinal)
    {
        var text = FromName(column.Name);
        if (uniqueOrdinal is { } u)
        {
            var suffix = "-" + u.ToString(CultureInfo.InvariantCulture);
            text += suffix;
            if (column.Length is { } len && text.Length > len)
            {
                var tail = u.ToString(CultureInfo.InvariantCulture);
                text = tail.Length >= len ? tail[^len..] : text[..(len - tail.Length)] + tail;
            }

            return text;
        }

        return column.Length is { } limit && text.Length > limit ? text[..limit] : text;
    }

    private string FromName(string columnName)
    {
        var name = columnName.ToLowerInvariant();
        return name switch
        {
            _ when name.Contains("email", StringComparison.Ordinal) => _faker.Internet.Email(),
            _ when name.Contains("first", StringComparison.Ordinal) => _faker.Name.FirstName(),
            _ when name.Contains("last", StringComparison.Ordinal) || name.Contains("surname", StringComparison.Ordinal) => _faker.Name.LastName(),
            _ when name.Contains("name", StringComparison.Ordinal) => _faker.Name.FullName(),
            _ when name.Contains("phone", StringComparison.Ordinal) => _faker.Phone.PhoneNumber("+1 ###-###-####"),
            _ when name.Contains("url", StringComparison.Ordinal) || name.Contains("website", StringComparison.Ordinal) => _faker.Internet.Url(),
            _ when name.Contains("city", StringComparison.Ordinal) => _faker.Address.City(),
            _ when name.Contains("country", StringComparison.Ordinal) => _faker.Address.CountryCode(),
            _ when name.Contains("currency", StringComparison.Ordinal) => _faker.Finance.Currency().Code,
            _ when name.Contains("address", StringComparison.Ordinal) || name.Contains("street", StringComparison.Ordinal) => _faker.Address.StreetAddress(),
            _ when name.Contains("status", StringComparison.Ordinal) => _faker.PickRandom("active", "pending", "closed"),
            _ when name.Contains("title", StringComparison.Ordinal) => _faker.Lorem.Sentence(3),
            _ when name.Contains("code", StringComparison.Ordinal) || name.Contains("sku", StringComparison.Ordinal) => _faker.Random.AlphaNumeric(8).ToUpperInvariant(),
            _ when name.Contains("description", StringComparison.Ordinal) || name.Contains("note", StringComparison.Ordinal) || name.Contains("comment", StringComparison.Ordinal) => _faker.Lorem.Sentence(8),
            _ => _faker.Lorem.Word() + " " + _faker.Lorem.Word(),
        };
    }

    /// <summary>Converts a canonical value read back from the database into a parameter value for the same column.</summary>
    public static object? FromCanonical(Column column, string? text)
    {
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
            TypeFamily.Binary when text.StartsWith("\\x", StringComparison.Ordinal) => Convert.FromHexString(text[2..]),
            TypeFamily.Date or TypeFamily.Timestamp when DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt) => dt,
            TypeFamily.TimestampTz when DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var dtz) => DateTime.SpecifyKind(dtz, DateTimeKind.Utc),
            TypeFamily.Time or TypeFamily.Interval when TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var ts) => ts,
            _ => text,
        };
    }
}
