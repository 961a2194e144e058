using RollbackVerifier.Model;

namespace RollbackVerifier.PostgreSql;

/// <summary>Type families and declared sizes from a column's base type (domains resolved) and type modifier.</summary>
internal static class PostgresTypes
{
    /// <summary>PostgreSQL's VARHDRSZ: character and numeric type modifiers are offset by it.</summary>
    private const int VarHeaderSize = 4;

    /// <param name="typeName">Base type name (pg_type.typname).</param>
    /// <param name="typeSchema">Schema of the base type.</param>
    /// <param name="typeKind">pg_type.typtype of the base type (b, e, r, c, m, p).</param>
    /// <param name="category">pg_type.typcategory of the base type.</param>
    public static TypeFamily Family(string typeName, string typeSchema, string typeKind, string category)
    {
        if (typeKind == "e")
        {
            return TypeFamily.Enum;
        }

        if (category == "A")
        {
            return TypeFamily.Array;
        }

        if (typeSchema != "pg_catalog")
        {
            // Extension types: citext behaves as text; the rest is opaque.
            return typeName == "citext" ? TypeFamily.Text : TypeFamily.Other;
        }

        return typeName switch
        {
            "int2" or "int4" or "int8" => TypeFamily.Integer,
            "numeric" or "money" => TypeFamily.Decimal,
            "float4" or "float8" => TypeFamily.Float,
            "bool" => TypeFamily.Boolean,
            "text" or "varchar" or "bpchar" or "name" or "char" => TypeFamily.Text,
            "bytea" => TypeFamily.Binary,
            "date" => TypeFamily.Date,
            "time" or "timetz" => TypeFamily.Time,
            "timestamp" => TypeFamily.Timestamp,
            "timestamptz" => TypeFamily.TimestampTz,
            "interval" => TypeFamily.Interval,
            "uuid" => TypeFamily.Uuid,
            "json" or "jsonb" => TypeFamily.Json,
            _ => TypeFamily.Other,
        };
    }

    /// <summary>Declared length, precision and scale from the effective type modifier (-1 when none was declared).</summary>
    public static (int? Length, int? Precision, int? Scale) Sizes(string typeName, string typeSchema, int typeModifier)
    {
        if (typeSchema != "pg_catalog" || typeModifier < 0)
        {
            return (null, null, null);
        }

        switch (typeName)
        {
            case "varchar" or "bpchar" when typeModifier >= VarHeaderSize:
                return (typeModifier - VarHeaderSize, null, null);
            case "bit" or "varbit":
                return (typeModifier, null, null);
            case "numeric" when typeModifier >= VarHeaderSize:
                var packed = typeModifier - VarHeaderSize;

                // PostgreSQL 15+ allows negative scales: 11 bits, sign-extended.
                var scale = ((packed & 0x7FF) ^ 1024) - 1024;
                return (null, (packed >> 16) & 0xFFFF, scale);
            case "time" or "timetz" or "timestamp" or "timestamptz":
                return (null, typeModifier, null);
            case "interval":
                var precision = typeModifier & 0xFFFF;
                return (null, precision == 0xFFFF ? null : precision, null);
            default:
                return (null, null, null);
        }
    }
}
