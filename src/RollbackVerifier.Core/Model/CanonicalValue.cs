using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RollbackVerifier.Model;

/// <summary>
/// The canonical text form of a cell, so values compare across type changes: numerics without trailing zeros
/// (12.30 equals 12.3; 1.2345 does not equal 1.23), floats round-trippable, times ISO 8601, bytes hex.
/// </summary>
public static class CanonicalValue
{
    /// <summary>Binary values longer than this are represented by a hash, so rows stay small.</summary>
    public const int MaxInlineBytes = 256;

    private static readonly JsonDocumentOptions JsonRead = new() { MaxDepth = 1024 };

    private static readonly JsonWriterOptions JsonWrite = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static string? Format(object? value) => value switch
    {
        null or DBNull => null,
        string s => s,
        bool b => b ? "true" : "false",
        sbyte or byte or short or ushort or int or uint or long or ulong or System.Numerics.BigInteger =>
            Convert.ToString(value, CultureInfo.InvariantCulture),
        decimal d => FormatDecimal(d),
        double d => FormatDouble(d),
        float f => FormatDouble(f),
        DateTime dt => FormatDateTime(dt),
        DateTimeOffset dto => dto.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.') + "Z",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.'),
        TimeSpan ts => ts.ToString("c", CultureInfo.InvariantCulture),
        Guid g => g.ToString("D"),
        byte[] bytes => FormatBytes(bytes),
        char c => c.ToString(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    public static string FormatDecimal(decimal value)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        if (text.Contains('.', StringComparison.Ordinal))
        {
            text = text.TrimEnd('0').TrimEnd('.');
        }

        return text == "-0" ? "0" : text;
    }

    /// <summary>
    /// Normalizes a decimal number written as text (PostgreSQL numeric and MySQL DECIMAL arrive this way) without
    /// going through <see cref="decimal"/>, which would round beyond 28 significant digits.
    /// </summary>
    public static string NormalizeNumericText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        if (t.Length == 0 || t.Contains('e', StringComparison.OrdinalIgnoreCase) || !t.All(c => char.IsAsciiDigit(c) || c is '.' or '-' or '+'))
        {
            return t;
        }

        var negative = t[0] == '-';
        var digits = t.TrimStart('-', '+');
        var dot = digits.IndexOf('.', StringComparison.Ordinal);
        var integer = (dot < 0 ? digits : digits[..dot]).TrimStart('0');
        var fraction = dot < 0 ? string.Empty : digits[(dot + 1)..].TrimEnd('0');
        if (integer.Length == 0)
        {
            integer = "0";
        }

        var result = fraction.Length == 0 ? integer : integer + "." + fraction;
        return negative && result != "0" ? "-" + result : result;
    }

    public static string FormatDouble(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsPositiveInfinity(value))
        {
            return "Infinity";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "-Infinity";
        }

        // Integral floats print like integers so that a float 5 equals an integer 5 after a type change.
        if (Math.Abs(value) < 1e15 && value == Math.Floor(value))
        {
            return ((long)value).ToString(CultureInfo.InvariantCulture);
        }

        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    public static string FormatDouble(float value) =>
        float.IsFinite(value) && value != MathF.Floor(value)
            ? value.ToString("R", CultureInfo.InvariantCulture)
            : FormatDouble((double)value);

    public static string FormatDateTime(DateTime value)
    {
        var text = value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.');
        return value.Kind == DateTimeKind.Utc ? text + "Z" : text;
    }

    public static string FormatBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length <= MaxInlineBytes)
        {
            return "\\x" + Convert.ToHexStringLower(bytes);
        }

        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)) + ":" + bytes.Length.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// JSON text re-written compactly with object members in ordinal key order (the last of duplicate keys wins, as in
    /// MySQL); text that is not valid JSON is returned unchanged.
    /// </summary>
    public static string FormatJson(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
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
