using System.Globalization;
using RollbackVerifier.Model;

namespace RollbackVerifier.Sqlite;

/// <summary>
/// Canonical strings for SQLite values. SQLite types values, not columns: the storage class of each value
/// (INTEGER, REAL, TEXT, BLOB, NULL) decides the basic form, the column's family refines it where the same
/// logical value has several spellings.
/// </summary>
internal static class SqliteValues
{
    /// <summary>The canonical form of a value as <c>SqliteDataReader.GetValue</c> returns it (long, double, string, byte[] or DBNull).</summary>
    public static string? Format(object? value, TypeFamily family) => value switch
    {
        null or DBNull => null,
        long l => family == TypeFamily.Boolean && l is 0 or 1 ? (l == 1 ? "true" : "false") : l.ToString(CultureInfo.InvariantCulture),
        double d => family == TypeFamily.Boolean && d is 0 or 1 ? (d == 1 ? "true" : "false") : CanonicalValue.FormatDouble(d),
        string s => FormatText(s, family),
        byte[] bytes => family == TypeFamily.Uuid && bytes.Length == 16 ? new Guid(bytes).ToString("D") : CanonicalValue.FormatBytes(bytes),
        _ => CanonicalValue.Format(value),
    };

    private static string FormatText(string text, TypeFamily family) => family switch
    {
        TypeFamily.Decimal or TypeFamily.Integer or TypeFamily.Float when LooksNumeric(text) => CanonicalValue.NormalizeNumericText(text),
        TypeFamily.Boolean when text.Equals("true", StringComparison.OrdinalIgnoreCase) => "true",
        TypeFamily.Boolean when text.Equals("false", StringComparison.OrdinalIgnoreCase) => "false",
        TypeFamily.Uuid when Guid.TryParse(text, out var guid) => guid.ToString("D"),
        TypeFamily.Date or TypeFamily.Timestamp or TypeFamily.TimestampTz => FormatDateTimeText(text),
        TypeFamily.Json => CanonicalValue.FormatJson(text),
        _ => text,
    };

    private static bool LooksNumeric(string text) =>
        decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    /// <summary>
    /// ISO 8601 with a T separator and trimmed fractions; a value with an offset becomes UTC with Z. A date stays a
    /// date and a date-time stays a date-time (in SQLite '2024-03-10' and '2024-03-10 00:00:00' are different values).
    /// </summary>
    private static string FormatDateTimeText(string text)
    {
        var t = text.Trim();
        if (t.Length == 10 && DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        if (t.Length < 16 || !char.IsAsciiDigit(t[0]) || t[4] != '-')
        {
            return text;
        }

        var hasOffset = t.EndsWith('Z') || t.EndsWith('z') || (t.Length > 19 && t[^6] is '+' or '-' && t[^3] == ':');
        if (hasOffset && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.None, out var offset))
        {
            return CanonicalValue.Format(offset)!;
        }

        return DateTime.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dateTime)
            ? CanonicalValue.FormatDateTime(DateTime.SpecifyKind(dateTime, DateTimeKind.Unspecified))
            : text;
    }
}
