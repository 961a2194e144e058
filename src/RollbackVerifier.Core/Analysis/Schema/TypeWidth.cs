using System.Globalization;
using System.Numerics;
using RollbackVerifier.Analysis.Parsing;
using RollbackVerifier.Model;

namespace RollbackVerifier.Analysis.Schema;

/// <summary>Broad classes of column types, for deciding whether a type change can lose or refuse values.</summary>
internal enum TypeClass
{
    Unknown,
    Integer,
    Exact,
    Float,
    Text,
    Binary,
    Date,
    Timestamp,
    Time,
    Boolean,
    Enum,
    Uuid,
    Json,
}

/// <summary>What values a column type holds, as far as narrowing is concerned.</summary>
/// <param name="Class">Class.</param>
/// <param name="Min">Smallest integer (integers).</param>
/// <param name="Max">Largest integer (integers).</param>
/// <param name="IntegerDigits">Digits before the decimal point (exact numerics; null = unbounded).</param>
/// <param name="Scale">Digits after it (exact numerics; null = unbounded).</param>
/// <param name="Length">Characters or bytes (text, binary; null = unbounded); fractional-second digits for timestamps and times; mantissa bits for floats.</param>
/// <param name="Labels">Enum labels.</param>
internal sealed record TypeShape(TypeClass Class, BigInteger? Min, BigInteger? Max, int? IntegerDigits, int? Scale, long? Length, IReadOnlyList<string>? Labels)
{
    public static TypeShape Unknown { get; } = new(TypeClass.Unknown, null, null, null, null, null, null);
}

/// <summary>
/// Decides, from the types as written, whether changing a column from one type to another can refuse or change
/// values (narrowing): a shorter length, a smaller integer range, fewer digits or decimals, fewer enum labels, or a
/// conversion from text to anything else. Per dialect, because the type names and their limits differ. SQLite does
/// not enforce declared types, so nothing narrows there. Unknown types never narrow (no conclusion without knowledge).
/// </summary>
internal static class TypeWidth
{
    /// <summary>Why <paramref name="to"/> cannot hold every value of <paramref name="from"/>, or null when it can (or nobody knows).</summary>
    public static string? Narrowing(ColumnType from, ColumnType to, EngineKind engine, Func<string, IReadOnlyList<string>?>? enumLabels = null)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (engine == EngineKind.Sqlite || from.IsArray != to.IsArray)
        {
            return null;
        }

        var a = Describe(from, engine, enumLabels);
        var b = Describe(to, engine, enumLabels);
        return Narrowing(a, b, to.Text);
    }

    public static TypeShape Describe(ColumnType type, EngineKind engine, Func<string, IReadOnlyList<string>?>? enumLabels = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        var name = type.Name;
        var args = type.Arguments.Select(a => int.TryParse(a, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : (int?)null).ToList();
        int? Arg(int i) => i < args.Count ? args[i] : null;

        if (IntegerBits(name, engine) is { } bits)
        {
            var (min, max) = type.Unsigned ? (BigInteger.Zero, (BigInteger.One << bits) - 1) : (-(BigInteger.One << (bits - 1)), (BigInteger.One << (bits - 1)) - 1);
            return new TypeShape(TypeClass.Integer, min, max, max.ToString(CultureInfo.InvariantCulture).Length, 0, null, null);
        }

        switch (name)
        {
            case "numeric" or "decimal" or "dec" or "fixed":
                if (args.Count == 0)
                {
                    return engine == EngineKind.MySql ? Exact(10, 0) : new TypeShape(TypeClass.Exact, null, null, null, null, null, null);
                }

                return Arg(0) is { } p ? Exact(p, Arg(1) ?? 0) : TypeShape.Unknown;
            case "real" or "float4":
                return Float(24);
            case "double precision" or "float8" or "double" or "double precision unsigned":
                return Float(53);
            case "float":
                return Float(engine == EngineKind.Postgres ? (Arg(0) is { } fp && fp <= 24 ? 24 : 53) : (Arg(0) is { } mp && mp > 24 ? 53 : 24));
            case "text" or "citext" or "character varying" or "varchar" or "bpchar" or "longtext" or "mediumtext" or "tinytext" or "char" or "character" or "nvarchar" or "nchar" or "national character varying" or "national char" or "name":
                return new TypeShape(TypeClass.Text, null, null, null, null, TextLength(name, Arg(0), engine), null);
            case "bytea" or "blob" or "longblob" or "mediumblob" or "tinyblob" or "varbinary" or "binary":
                return new TypeShape(TypeClass.Binary, null, null, null, null, BinaryLength(name, Arg(0)), null);
            case "date":
                return new TypeShape(TypeClass.Date, null, null, null, null, 0, null);
            case "timestamp" or "timestamptz" or "timestamp with time zone" or "timestamp without time zone" or "datetime":
                return new TypeShape(TypeClass.Timestamp, null, null, null, null, Arg(0) ?? (engine == EngineKind.MySql ? 0 : 6), null);
            case "time" or "timetz" or "time with time zone" or "time without time zone":
                return new TypeShape(TypeClass.Time, null, null, null, null, Arg(0) ?? (engine == EngineKind.MySql ? 0 : 6), null);
            case "boolean" or "bool":
                return new TypeShape(TypeClass.Boolean, null, null, null, null, null, null);
            case "uuid":
                return new TypeShape(TypeClass.Uuid, null, null, null, null, null, null);
            case "json" or "jsonb":
                return new TypeShape(TypeClass.Json, null, null, null, null, null, null);
            case "enum" or "set" when type.EnumLabels is { } inline:
                return new TypeShape(TypeClass.Enum, null, null, null, null, null, inline);
        }

        return enumLabels?.Invoke(name) is { } labels ? new TypeShape(TypeClass.Enum, null, null, null, null, null, labels) : TypeShape.Unknown;
    }

    private static TypeShape Exact(int precision, int scale) => new(TypeClass.Exact, null, null, precision - scale, scale, null, null);

    private static TypeShape Float(int bits) => new(TypeClass.Float, null, null, null, null, bits, null);

    private static int? IntegerBits(string name, EngineKind engine) => name switch
    {
        "tinyint" when engine == EngineKind.MySql => 8,
        "bool" or "boolean" when engine == EngineKind.MySql => 8,
        "smallint" or "int2" or "smallserial" or "serial2" => 16,
        "mediumint" when engine == EngineKind.MySql => 24,
        "int" or "integer" or "int4" or "serial" or "serial4" => 32,
        "bigint" or "int8" or "bigserial" or "serial8" => 64,
        _ => null,
    };

    private static long? TextLength(string name, int? argument, EngineKind engine) => name switch
    {
        "text" or "citext" or "bpchar" when engine == EngineKind.Postgres => null,
        "text" => argument ?? 65_535,
        "tinytext" => 255,
        "mediumtext" => 16_777_215,
        "longtext" => 4_294_967_295,
        "name" => 63,
        "char" or "character" or "nchar" or "national char" => argument ?? 1,
        _ => argument,
    };

    private static long? BinaryLength(string name, int? argument) => name switch
    {
        "bytea" or "longblob" => null,
        "blob" => argument ?? 65_535,
        "tinyblob" => 255,
        "mediumblob" => 16_777_215,
        "binary" => argument ?? 1,
        _ => argument,
    };

    private static string? Narrowing(TypeShape a, TypeShape b, string target)
    {
        if (a.Class == TypeClass.Unknown || b.Class == TypeClass.Unknown)
        {
            return null;
        }

        switch (a.Class, b.Class)
        {
            case (TypeClass.Integer, TypeClass.Integer):
                return b.Min > a.Min || b.Max < a.Max ? $"values outside {b.Min} to {b.Max}" : null;
            case (TypeClass.Integer or TypeClass.Exact, TypeClass.Exact):
                if (b.IntegerDigits is { } digits && (a.IntegerDigits is null || a.IntegerDigits > digits))
                {
                    return $"numbers with more than {digits} digits before the decimal point";
                }

                return b.Scale is { } scale && (a.Scale is null || a.Scale > scale) ? $"numbers with more than {scale} decimal places (rounded)" : null;
            case (TypeClass.Exact, TypeClass.Integer):
                if (a.Scale is null or > 0)
                {
                    return "numbers with decimal places (rounded to whole numbers)";
                }

                return a.IntegerDigits is null || a.IntegerDigits >= b.IntegerDigits ? $"values outside {b.Min} to {b.Max}" : null;
            case (TypeClass.Float, TypeClass.Float):
                return b.Length < a.Length ? "digits beyond single precision (rounded)" : null;
            case (TypeClass.Float, TypeClass.Integer or TypeClass.Exact):
                return "fractional or out-of-range floating-point values";
            case (TypeClass.Integer or TypeClass.Exact, TypeClass.Float):
                return a.Class == TypeClass.Integer && a.Max <= int.MaxValue && b.Length >= 53 ? null : "digits beyond floating-point precision (rounded)";
            case (TypeClass.Text, TypeClass.Text) or (TypeClass.Binary, TypeClass.Binary):
                return b.Length is { } length && (a.Length is null || a.Length > length) ? $"values longer than {length} {(a.Class == TypeClass.Text ? "characters" : "bytes")}" : null;
            case (TypeClass.Text or TypeClass.Json, _) when b.Class != TypeClass.Text && b.Class != TypeClass.Json:
                return $"text that is not a valid {target}";
            case (TypeClass.Json, TypeClass.Text):
                return b.Length is { } jsonLength ? $"documents longer than {jsonLength} characters" : null;
            case (_, TypeClass.Text):
                return b.Length is { } textLength && TextWidth(a) is { } needed && needed > textLength ? $"values longer than {textLength} characters once written as text" : null;
            case (TypeClass.Timestamp, TypeClass.Date):
                return "the time of day (cut off)";
            case (TypeClass.Timestamp, TypeClass.Timestamp) or (TypeClass.Time, TypeClass.Time):
                return b.Length < a.Length ? $"fractional seconds beyond {b.Length} digits (rounded)" : null;
            case (TypeClass.Enum, TypeClass.Enum):
                var missing = a.Labels!.Except(b.Labels!, StringComparer.Ordinal).ToList();
                return missing.Count > 0 ? $"the label{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing.Select(l => $"'{l}'"))}, which {target} lacks" : null;
            case (TypeClass.Boolean, TypeClass.Integer) or (TypeClass.Enum, TypeClass.Text):
                return null;
            case (TypeClass.Integer, TypeClass.Boolean):
                return "numbers other than 0 and 1";
            default:
                return a.Class == b.Class ? null : $"values that do not convert to {target}";
        }
    }

    /// <summary>Characters a value of the type may need as text, when bounded and known.</summary>
    private static long? TextWidth(TypeShape shape) => shape.Class switch
    {
        TypeClass.Integer => shape.IntegerDigits + 1,
        TypeClass.Exact when shape.IntegerDigits is { } digits && shape.Scale is { } scale => digits + scale + 2,
        TypeClass.Date => 10,
        TypeClass.Timestamp => 32,
        TypeClass.Time => 21,
        TypeClass.Boolean => 5,
        TypeClass.Uuid => 36,
        TypeClass.Enum => shape.Labels!.Count == 0 ? 0 : shape.Labels.Max(l => l.Length),
        _ => null,
    };
}
