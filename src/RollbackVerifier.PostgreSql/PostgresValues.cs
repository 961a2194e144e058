using System.Globalization;
using RollbackVerifier.Model;

namespace RollbackVerifier.PostgreSql;

/// <summary>
/// Canonical cell text. Every column is selected as text on a session with fixed DateStyle, TimeZone, IntervalStyle
/// and extra_float_digits (see <see cref="PostgresInstance"/>), json as jsonb so json and jsonb compare equal, bytea
/// hex-encoded (or hashed when long) on the server; the text is then normalized per family.
/// </summary>
internal static class PostgresValues
{
    /// <summary>The select-list expression for one column; <paramref name="quoted"/> is the quoted column name.</summary>
    public static string SelectExpression(Column column, string quoted) => column.Family switch
    {
        TypeFamily.Json => $"{quoted}::jsonb::text",
        TypeFamily.Binary => string.Create(
            CultureInfo.InvariantCulture,
            $"CASE WHEN pg_catalog.octet_length({quoted}) <= {CanonicalValue.MaxInlineBytes} THEN E'\\\\x' || pg_catalog.encode({quoted}, 'hex') "
            + $"ELSE 'sha256:' || pg_catalog.encode(pg_catalog.sha256({quoted}), 'hex') || ':' || pg_catalog.octet_length({quoted}) END"),
        TypeFamily.Decimal when column.DataType == "money" => $"{quoted}::numeric::text",
        _ => $"{quoted}::text",
    };

    /// <summary>Normalizes the server's text of a non-null value.</summary>
    public static string Canonical(string text, TypeFamily family) => family switch
    {
        TypeFamily.Decimal => CanonicalValue.NormalizeNumericText(text),
        TypeFamily.Float => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? CanonicalValue.FormatDouble(d) : text,
        TypeFamily.Boolean => text switch
        {
            "t" or "true" => "true",
            "f" or "false" => "false",
            _ => text,
        },
        TypeFamily.Timestamp => IsoDateTime(text),
        TypeFamily.TimestampTz => IsoDateTime(text) is var iso && iso.EndsWith("+00", StringComparison.Ordinal) ? iso[..^3] + "Z" : IsoDateTime(text),
        TypeFamily.Uuid => text.ToLowerInvariant(),
        _ => text,
    };

    /// <summary>"2024-01-02 03:04:05.5" (DateStyle ISO) becomes "2024-01-02T03:04:05.5".</summary>
    private static string IsoDateTime(string text) =>
        text.Length > 10 && text[10] == ' ' && char.IsAsciiDigit(text[0]) ? string.Concat(text.AsSpan(0, 10), "T", text.AsSpan(11)) : text;
}
