using System.Globalization;
using RollbackVerifier.Model;

namespace RollbackVerifier.Seeding;

/// <summary>A column the forward migration relaxed, and how to write a value the old schema would refuse.</summary>
/// <param name="Column">The column in its new shape.</param>
/// <param name="Description">For the report: what the value is, against which old rule.</param>
/// <param name="Value">The value for a given row ordinal (ordinals keep values distinct for unique columns).</param>
public sealed record Relaxation(Column Column, string Description, Func<long, object?> Value);

/// <summary>Finds what the forward migration relaxed on a table (longer strings, more digits, NULLs where NOT NULL was).</summary>
public static class Relaxations
{
    public static IReadOnlyList<Relaxation> Find(Table before, Table after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var result = new List<Relaxation>();
        foreach (var column in after.Columns.Where(c => !c.IsGenerated && c.Identity == IdentityKind.None))
        {
            var old = before.FindColumn(column.Name);
            if (old is null)
            {
                continue;
            }

            if (old.Family == TypeFamily.Text && column.Family == TypeFamily.Text && old.Length is { } oldLength && (column.Length is null || column.Length > oldLength))
            {
                var length = Math.Min(column.Length ?? oldLength + 20, oldLength + 20);
                result.Add(new Relaxation(column, $"{column.Name} longer than {oldLength} characters (old {old.DataType})", ordinal =>
                {
                    var suffix = "-" + ordinal.ToString(CultureInfo.InvariantCulture);
                    return new string('x', Math.Max(0, length - suffix.Length)) + suffix;
                }));
            }
            else if (old.Family == TypeFamily.Decimal && column.Family is TypeFamily.Decimal && (column.Scale ?? 0) > (old.Scale ?? 0))
            {
                var scale = column.Scale!.Value;
                result.Add(new Relaxation(column, $"{column.Name} with {scale} decimals (old {old.DataType} keeps {old.Scale ?? 0})", ordinal =>
                    decimal.Round(1m + (ordinal % 1000) + 0.123456789m, Math.Min(scale, 9))));
            }
            else if (!old.IsNullable && column.IsNullable && column.Default is null)
            {
                result.Add(new Relaxation(column, $"{column.Name} NULL (old column was NOT NULL)", _ => null));
            }
        }

        return result;
    }
}
