using System.Globalization;
using System.Text;
using RollbackVerifier.Model;

namespace RollbackVerifier.Sqlite;

/// <summary>A declared column type: its normalized text, family and the limits written in it.</summary>
internal sealed record SqliteType(string DataType, TypeFamily Family, int? Length, int? Precision, int? Scale);

/// <summary>
/// Declared types. SQLite stores any type name and enforces none of its limits; the family follows the usual
/// meaning of common type names first (BOOLEAN, DATE, DATETIME, TIMESTAMP, DECIMAL, JSON, UUID, ...) and then
/// SQLite's type-affinity rules (https://sqlite.org/datatype3.html#determination_of_column_affinity).
/// </summary>
internal static class SqliteTypes
{
    public static SqliteType Parse(string? declared)
    {
        var type = NormalizeDeclaredType(declared);
        var paren = type.IndexOf('(', StringComparison.Ordinal);
        var baseName = (paren < 0 ? type : type[..paren]).Trim();
        var family = FamilyOf(type, baseName);
        var (first, second) = paren < 0 ? (null, null) : Arguments(type[(paren + 1)..]);

        return family switch
        {
            TypeFamily.Text or TypeFamily.Binary => new SqliteType(type, family, first, null, null),
            TypeFamily.Decimal => new SqliteType(type, family, null, first, first is null ? null : second ?? 0),
            TypeFamily.Float or TypeFamily.Timestamp or TypeFamily.TimestampTz or TypeFamily.Time => new SqliteType(type, family, null, first, null),
            _ => new SqliteType(type, family, null, null, null),
        };
    }

    /// <summary>Upper case, single spaces, no spaces around parentheses and commas: "decimal( 10, 2 )" becomes "DECIMAL(10,2)".</summary>
    public static string NormalizeDeclaredType(string? declared)
    {
        if (string.IsNullOrWhiteSpace(declared))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(declared.Length);
        var pendingSpace = false;
        foreach (var c in declared.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = true;
                continue;
            }

            if (pendingSpace && builder.Length > 0 && c is not ('(' or ')' or ',') && builder[^1] is not ('(' or ','))
            {
                builder.Append(' ');
            }

            pendingSpace = false;
            builder.Append(char.ToUpperInvariant(c));
        }

        return builder.ToString();
    }

    private static TypeFamily FamilyOf(string type, string baseName)
    {
        bool Has(string part) => baseName.Contains(part, StringComparison.Ordinal);

        if (baseName.Length == 0)
        {
            return TypeFamily.Other; // no type: BLOB affinity, any value
        }

        if (baseName == "ANY")
        {
            return TypeFamily.Other;
        }

        if (Has("BOOL"))
        {
            return TypeFamily.Boolean;
        }

        if (baseName is "TIMESTAMPTZ" or "DATETIMEOFFSET"
            || (baseName.StartsWith("TIMESTAMP", StringComparison.Ordinal) && type.Contains("WITH TIME ZONE", StringComparison.Ordinal)))
        {
            return TypeFamily.TimestampTz;
        }

        if (Has("DATETIME") || baseName.StartsWith("TIMESTAMP", StringComparison.Ordinal))
        {
            return TypeFamily.Timestamp;
        }

        if (baseName.StartsWith("DATE", StringComparison.Ordinal))
        {
            return TypeFamily.Date;
        }

        if (baseName.StartsWith("TIME", StringComparison.Ordinal))
        {
            return TypeFamily.Time;
        }

        if (baseName.StartsWith("INTERVAL", StringComparison.Ordinal))
        {
            return TypeFamily.Interval;
        }

        if (Has("JSON"))
        {
            return TypeFamily.Json;
        }

        if (baseName is "UUID" or "GUID" or "UNIQUEIDENTIFIER")
        {
            return TypeFamily.Uuid;
        }

        if (Has("DECIMAL") || Has("NUMERIC") || Has("MONEY"))
        {
            return TypeFamily.Decimal;
        }

        if (baseName is "BINARY" or "VARBINARY" or "BYTEA" or "BINARY VARYING")
        {
            return TypeFamily.Binary;
        }

        if (baseName is "STRING" or "CITEXT")
        {
            return TypeFamily.Text;
        }

        // SQLite's affinity rules, in their order.
        if (Has("INT"))
        {
            return TypeFamily.Integer;
        }

        if (Has("CHAR") || Has("CLOB") || Has("TEXT"))
        {
            return TypeFamily.Text;
        }

        if (Has("BLOB"))
        {
            return TypeFamily.Binary;
        }

        if (Has("REAL") || Has("FLOA") || Has("DOUB"))
        {
            return TypeFamily.Float;
        }

        return TypeFamily.Decimal; // NUMERIC affinity
    }

    private static (int? First, int? Second) Arguments(string text)
    {
        var close = text.IndexOf(')', StringComparison.Ordinal);
        var parts = (close < 0 ? text : text[..close]).Split(',');
        return (ParseInt(parts[0]), parts.Length > 1 ? ParseInt(parts[1]) : null);
    }

    private static int? ParseInt(string text) =>
        int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;
}
