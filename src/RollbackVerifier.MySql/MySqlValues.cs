using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
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

    private static readonly JsonDocumentOptions JsonRead = new() { MaxDepth = 1024 };

    private static readonly JsonWriterOptions JsonWrite = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

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
            TypeFamily.Decimal => DecimalText(Text(value)),
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
            TypeFamily.Json => CanonicalJson(Text(value)),
            TypeFamily.Uuid => Text(value).ToLowerInvariant(),
            _ => value is string s ? s : CanonicalValue.Format(value),
        };
    }

    /// <summary>
    /// JSON text re-written compactly with object members in ordinal key order (the last of duplicate keys wins, as in
    /// MySQL); text that is not valid JSON is returned unchanged.
    /// </summary>
    public static string CanonicalJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, JsonRead);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, JsonWrite))
            {
                Write(writer, document.RootElement);
            }

            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (JsonException)
        {
            return text;
        }
    }

    /// <summary>
    /// The server's DECIMAL text without trailing fractional zeros ("12.30" is "12.3", "5.00" is "5", "-0.00" is "0").
    /// Pure text, because DECIMAL(65,30) holds more digits than .NET's decimal, whose parser would round them away.
    /// </summary>
    public static string DecimalText(string text)
    {
        var t = text.Trim();
        if (t.Contains('e', StringComparison.OrdinalIgnoreCase))
        {
            return CanonicalValue.NormalizeNumericText(t);
        }

        if (t.Contains('.', StringComparison.Ordinal))
        {
            t = t.TrimEnd('0').TrimEnd('.');
        }

        if (t.StartsWith('-') && t.AsSpan(1).TrimStart('0').Length == 0)
        {
            return "0";
        }

        return t.Length == 0 ? "0" : t;
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

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                var members = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    members[property.Name] = property.Value;
                }

                foreach (var (name, value) in members)
                {
                    writer.WritePropertyName(name);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            case JsonValueKind.Number:
                writer.WriteRawValue(element.GetRawText(), skipInputValidation: true);
                break;
            case JsonValueKind.True:
                writer.WriteBooleanValue(true);
                break;
            case JsonValueKind.False:
                writer.WriteBooleanValue(false);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
