using System.Globalization;
using System.Text;
using RollbackVerifier.Model;

namespace RollbackVerifier.MySql;

/// <summary>
/// Canonical cell text for MySQL / MariaDB. Most columns are selected as the server's own text (on a session with
/// time_zone '+00:00', see <see cref="MySqlInstance"/>) and then normalized per family:
/// <list type="bullet">
/// <item>integers (including BIT, read as an unsigned number, YEAR, and tinyint(1), which stays "0"/"1") as numbers;</item>
/// <item>DECIMAL as the server's text without trailing fractional zeros (12.30 equals 12.3, all 65 digits kept);</item>
/// <item>FLOAT and DOUBLE as the shortest round-trip text of the value the server sends;</item>
/// <item>DATETIME and TIMESTAMP as ISO 8601 (<c>2024-01-02T03:04:05.5</c>, no zone: both are read in UTC, so a DATETIME
/// and a TIMESTAMP holding the same instant compare equal), TIME as <c>[-]h:mm:ss[.f]</c>, DATE and zero dates as the
/// server prints them;</item>
/// <item>binary strings hex-encoded (or SHA-256 hashed beyond <see cref="CanonicalValue.MaxInlineBytes"/> bytes) on the
/// server, in the form of <see cref="CanonicalValue.FormatBytes"/>; spatial values the same way (SRID + WKB);</item>
/// <item>JSON (MySQL's JSON type and MariaDB's LONGTEXT alias) parsed and re-written compactly with object keys in
/// ordinal order, so key order and whitespace do not matter; numbers keep their spelling;</item>
/// <item>UUIDs in lower case; text, ENUM and SET values as they are.</item>
/// </list>
/// </summary>
internal static class MySqlValues
{
    private const string HashPrefix = "sha256:";

    /// <summary>The select-list expression for one column; <paramref name="quoted"/> is the quoted column name.</summary>
    public static string SelectExpression(Column column, string quoted)
    {
        ArgumentNullException.ThrowIfNull(column);
        var baseType = BaseType(column.DataType);
        return column.Family switch
        {
            TypeFamily.Integer when baseType == "bit" => $"CAST({quoted} AS UNSIGNED)",
            TypeFamily.Integer or TypeFamily.Float or TypeFamily.Text or TypeFamily.Enum => quoted,
            TypeFamily.Binary => BytesExpression(quoted),
            TypeFamily.Other when MySqlTypes.IsSpatial(baseType) => BytesExpression(quoted),
            _ => $"CAST({quoted} AS CHAR)",
        };
    }

    /// <summary>The canonical text of a non-null value read through <see cref="SelectExpression"/>.</summary>
    public static string? Canonical(Column column, object? value)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (value is null or DBNull)
        {
            return null;
        }

        if (value is byte[] bytes && column.Family is not TypeFamily.Binary && !MySqlTypes.IsSpatial(BaseType(column.DataType)))
        {
            // A server-side CAST(... AS CHAR) arrives as text; anything binary-typed that slips through is still canonical.
            return CanonicalValue.FormatBytes(bytes);
        }

        var baseType = BaseType(column.DataType);
        return column.Family switch
        {
            TypeFamily.Decimal => CanonicalValue.NormalizeNumericText(Text(value)),
            TypeFamily.Float => value switch
            {
                float f => CanonicalValue.FormatDouble(f),
                double d => CanonicalValue.FormatDouble(d),
                _ => double.TryParse(Text(value), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? CanonicalValue.FormatDouble(parsed) : Text(value),
            },
            TypeFamily.Binary => Bytes(Text(value)),
            TypeFamily.Other when MySqlTypes.IsSpatial(baseType) => Bytes(Text(value)),
            TypeFamily.Timestamp => IsoDateTime(Text(value)),
            TypeFamily.Time => TrimFraction(Text(value)),
            TypeFamily.Json => CanonicalValue.FormatJson(Text(value)),
            TypeFamily.Uuid => Text(value).ToLowerInvariant(),
            _ => value is string s ? s : CanonicalValue.Format(value),
        };
    }

    /// <summary>"2024-01-02 03:04:05.120000" becomes "2024-01-02T03:04:05.12".</summary>
    public static string IsoDateTime(string text)
    {
        var trimmed = TrimFraction(text);
        return trimmed.Length > 10 && trimmed[10] == ' ' ? string.Concat(trimmed.AsSpan(0, 10), "T", trimmed.AsSpan(11)) : trimmed;
    }

    /// <summary>Drops trailing zeros of a fractional-seconds part: "10:00:00.500" becomes "10:00:00.5", "10:00:00.000" "10:00:00".</summary>
    public static string TrimFraction(string text)
    {
        var dot = text.LastIndexOf('.');
        if (dot < 0 || text.IndexOf(':', StringComparison.Ordinal) < 0 || dot < text.LastIndexOf(':'))
        {
            return text;
        }

        for (var i = dot + 1; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return text;
            }
        }

        return text.TrimEnd('0').TrimEnd('.');
    }

    private static string BytesExpression(string quoted) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"CASE WHEN LENGTH({quoted}) <= {CanonicalValue.MaxInlineBytes} THEN LOWER(HEX({quoted})) ELSE CONCAT('{HashPrefix}', LOWER(SHA2({quoted}, 256)), ':', LENGTH({quoted})) END");

    private static string Bytes(string text) => text.StartsWith(HashPrefix, StringComparison.Ordinal) ? text : "\\x" + text;

    private static string BaseType(string dataType)
    {
        var end = dataType.IndexOfAny(['(', ' ']);
        return end < 0 ? dataType : dataType[..end];
    }

    private static string Text(object value) => value switch
    {
        string s => s,
        byte[] b => Encoding.UTF8.GetString(b),
        _ => CanonicalValue.Format(value) ?? string.Empty,
    };
}
