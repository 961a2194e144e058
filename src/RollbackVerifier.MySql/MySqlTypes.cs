using System.Text;
using System.Text.RegularExpressions;
using RollbackVerifier.Model;

namespace RollbackVerifier.MySql;

/// <summary>
/// Type and expression normalization shared by the inspector and the value reader. The rules, chosen so that the same
/// schema gives the same snapshot on every database and (where it costs nothing) on MySQL 8 and MariaDB alike:
/// <list type="bullet">
/// <item>Data types are COLUMN_TYPE in lower case without integer display widths (MariaDB's <c>int(11)</c> and MySQL 8's
/// <c>int</c> both become <c>int</c>), except <c>tinyint(1)</c>, the boolean convention, and zerofill types, where the
/// width is meaningful and MySQL 8 keeps it too.</item>
/// <item><c>tinyint(1)</c> / BOOLEAN is family Integer and reads as "0"/"1": MySQL has no boolean type, and the value a
/// BOOLEAN column holds can be 2.</item>
/// <item>MariaDB's JSON is LONGTEXT with a column-level <c>json_valid</c> CHECK; the inspector reports it as data type
/// <c>json</c> (family Json) without that implicit check, as MySQL 8 does.</item>
/// <item>Expressions (CHECK clauses, generated columns, index expressions, view, trigger and routine bodies) lose the
/// throwaway database's qualifier, identifier backticks, one pair of enclosing parentheses (MySQL 8 wraps CHECK clauses
/// and generated expressions, MariaDB does not) and runs of whitespace.</item>
/// </list>
/// </summary>
internal static partial class MySqlTypes
{
    /// <summary>Spatial types, read as their internal (SRID + WKB) bytes.</summary>
    private static readonly HashSet<string> Spatial = new(StringComparer.Ordinal)
    {
        "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection", "geomcollection",
    };

    /// <summary>The family of a DATA_TYPE (lower case).</summary>
    public static TypeFamily Family(string dataType) => dataType switch
    {
        "tinyint" or "smallint" or "mediumint" or "int" or "integer" or "bigint" or "bit" or "year" => TypeFamily.Integer,
        "decimal" or "numeric" => TypeFamily.Decimal,
        "float" or "double" or "real" or "double precision" => TypeFamily.Float,
        "char" or "varchar" or "tinytext" or "text" or "mediumtext" or "longtext" => TypeFamily.Text,
        "binary" or "varbinary" or "tinyblob" or "blob" or "mediumblob" or "longblob" => TypeFamily.Binary,
        "date" => TypeFamily.Date,
        "time" => TypeFamily.Time,
        "datetime" or "timestamp" => TypeFamily.Timestamp,
        "json" => TypeFamily.Json,
        "enum" or "set" => TypeFamily.Enum,
        "uuid" => TypeFamily.Uuid,
        _ => TypeFamily.Other,
    };

    public static bool IsSpatial(string dataType) => Spatial.Contains(dataType);

    /// <summary>True for the character and binary types whose CHARACTER_MAXIMUM_LENGTH is a useful limit.</summary>
    public static bool HasLength(string dataType) => dataType is "char" or "varchar" or "binary" or "varbinary" or "tinytext" or "tinyblob";

    /// <summary>COLUMN_TYPE or DTD_IDENTIFIER without integer display widths (see the class remarks).</summary>
    public static string NormalizeType(string columnType)
    {
        if (columnType.Contains('\'', StringComparison.Ordinal))
        {
            // ENUM / SET: the labels are case-sensitive data (the servers already print the keyword in lower case).
            return columnType.Trim();
        }

        var type = Whitespace().Replace(columnType.Trim().ToLowerInvariant(), " ");
        if (type.StartsWith("tinyint(1)", StringComparison.Ordinal) || type.Contains("zerofill", StringComparison.Ordinal))
        {
            return type;
        }

        return DisplayWidth().Replace(type, "$1");
    }

    /// <summary>The labels of an ENUM(...) or SET(...) type, unquoted ('' is a quote), in declaration order.</summary>
    public static IReadOnlyList<string> EnumLabels(string columnType)
    {
        var labels = new List<string>();
        var open = columnType.IndexOf('(', StringComparison.Ordinal);
        if (open < 0)
        {
            return labels;
        }

        var current = new StringBuilder();
        var inQuote = false;
        for (var i = open + 1; i < columnType.Length; i++)
        {
            var c = columnType[i];
            if (!inQuote)
            {
                if (c == '\'')
                {
                    inQuote = true;
                    current.Clear();
                }
                else if (c == ')')
                {
                    break;
                }

                continue;
            }

            if (c == '\'' && i + 1 < columnType.Length && columnType[i + 1] == '\'')
            {
                current.Append('\'');
                i++;
            }
            else if (c == '\\' && i + 1 < columnType.Length)
            {
                current.Append(columnType[i + 1]);
                i++;
            }
            else if (c == '\'')
            {
                labels.Add(current.ToString());
                inQuote = false;
            }
            else
            {
                current.Append(c);
            }
        }

        return labels;
    }

    /// <summary>
    /// A column default as one text for both servers. MariaDB renders defaults as SQL (<c>'abc'</c>, <c>0</c>,
    /// <c>current_timestamp()</c>) and reports <c>NULL</c> for a nullable column without default; MySQL 8 renders literals
    /// raw (<c>abc</c>) and marks expressions with DEFAULT_GENERATED in EXTRA. Literals are therefore quoted on MySQL 8
    /// (numbers, bit and hex literals stay bare), NULL and "no default" are the same (null), CURRENT_TIMESTAMP is spelled
    /// <c>current_timestamp()</c>, and an ON UPDATE clause from EXTRA is appended.
    /// </summary>
    public static string? NormalizeDefault(string? raw, string extra, TypeFamily family, bool isMariaDb, string database)
    {
        string? text;
        if (raw is null)
        {
            text = null;
        }
        else if (isMariaDb)
        {
            // MariaDB: the default is already an SQL expression; a bare NULL is "no default" (a string 'NULL' is quoted).
            text = string.Equals(raw, "NULL", StringComparison.OrdinalIgnoreCase) ? null : StripDatabase(raw, database);
        }
        else if (extra.Contains("DEFAULT_GENERATED", StringComparison.OrdinalIgnoreCase))
        {
            // MySQL 8: an expression default (CURRENT_TIMESTAMP, (rand()), ...).
            text = StripDatabase(raw, database);
        }
        else if (family is TypeFamily.Integer or TypeFamily.Decimal or TypeFamily.Float
            || raw.StartsWith("b'", StringComparison.OrdinalIgnoreCase)
            || (family == TypeFamily.Binary && raw.StartsWith("0x", StringComparison.OrdinalIgnoreCase)))
        {
            // MySQL 8: a numeric, bit or hex literal, rendered bare as MariaDB does.
            text = raw;
        }
        else
        {
            // MySQL 8: a string or temporal literal, rendered raw; quote it as MariaDB does.
            text = "'" + raw.Replace("'", "''", StringComparison.Ordinal) + "'";
        }

        if (text is not null)
        {
            text = NormalizeCurrentTimestamp(text);
        }

        var onUpdate = OnUpdate().Match(extra);
        if (onUpdate.Success)
        {
            text = (text ?? "NULL") + " on update " + NormalizeCurrentTimestamp(onUpdate.Groups[1].Value);
        }

        return text;
    }

    /// <summary>
    /// A default that is just CURRENT_TIMESTAMP, CURRENT_TIMESTAMP(3), now() or current_timestamp() is spelled one way,
    /// current_timestamp(n), as MariaDB renders it. Longer expressions are left alone (a literal 'now' must stay).
    /// </summary>
    public static string NormalizeCurrentTimestamp(string text) =>
        CurrentTimestamp().Match(text) is { Success: true } m ? "current_timestamp(" + m.Groups[2].Value + ")" : text;

    /// <summary>
    /// Removes the database qualifier (<c>`db`.</c> and <c>db.</c>), backticks, one pair of enclosing parentheses and
    /// runs of whitespace, so definitions compare across throwaway databases and servers.
    /// </summary>
    public static string NormalizeExpression(string? text, string database)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var result = StripDatabase(text, database).Replace("`", string.Empty, StringComparison.Ordinal);
        result = Whitespace().Replace(result, " ").Trim();
        return StripEnclosingParentheses(result);
    }

    /// <summary>Removes references to the current database (<c>`db`.x</c>, <c>db.x</c>); each throwaway database has its own name.</summary>
    public static string StripDatabase(string text, string database)
    {
        var result = text.Replace("`" + database.Replace("`", "``", StringComparison.Ordinal) + "`.", string.Empty, StringComparison.Ordinal);
        var bare = database + ".";
        var index = result.IndexOf(bare, StringComparison.Ordinal);
        if (index < 0)
        {
            return result;
        }

        var builder = new StringBuilder(result.Length);
        var start = 0;
        while (index >= 0)
        {
            var boundary = index == 0 || !(char.IsLetterOrDigit(result[index - 1]) || result[index - 1] is '_' or '$' or '`' or '.');
            builder.Append(result, start, index - start);
            if (!boundary)
            {
                builder.Append(bare);
            }

            start = index + bare.Length;
            index = result.IndexOf(bare, start, StringComparison.Ordinal);
        }

        builder.Append(result, start, result.Length - start);
        return builder.ToString();
    }

    /// <summary>"(a > 0)" becomes "a > 0"; "(a) + (b)" stays.</summary>
    internal static string StripEnclosingParentheses(string text)
    {
        if (text.Length < 2 || text[0] != '(' || text[^1] != ')')
        {
            return text;
        }

        var depth = 0;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = null;
                }

                continue;
            }

            switch (c)
            {
                case '\'' or '"':
                    quote = c;
                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    if (depth == 0 && i < text.Length - 1)
                    {
                        return text;
                    }

                    break;
            }
        }

        return depth == 0 ? text[1..^1].Trim() : text;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\b(tinyint|smallint|mediumint|int|integer|bigint|year)\(\d+\)")]
    private static partial Regex DisplayWidth();

    [GeneratedRegex(@"on update (\S+)", RegexOptions.IgnoreCase)]
    private static partial Regex OnUpdate();

    [GeneratedRegex(@"^(current_timestamp|now|localtimestamp|localtime)(?:\s*\((\d*)\))?$", RegexOptions.IgnoreCase)]
    private static partial Regex CurrentTimestamp();
}
