using System.Globalization;
using RollbackVerifier.Model;

namespace RollbackVerifier.Seeding;

/// <summary>What an adversarial live row attacks.</summary>
public enum AttackKind
{
    /// <summary>Strings longer than the old length.</summary>
    Length,

    /// <summary>Numbers with more decimals than the old scale.</summary>
    Scale,

    /// <summary>Numbers larger than the old type or precision could hold.</summary>
    Magnitude,

    /// <summary>Text that does not convert back to the old type.</summary>
    Conversion,

    /// <summary>NULL where the old column was NOT NULL.</summary>
    Null,

    /// <summary>Duplicates where the old schema had a unique key.</summary>
    Duplicate,

    /// <summary>Values outside an old check constraint.</summary>
    Check,

    /// <summary>Enum labels the old type did not have.</summary>
    EnumLabel,

    /// <summary>Rows whose key references no parent, where the old schema had a foreign key.</summary>
    Orphan,

    /// <summary>Valid but hostile values: maximum-length and multi-byte text, empty strings, boundary numbers, DST timestamps.</summary>
    Edge,
}

/// <summary>What an attack can use when it writes a row.</summary>
/// <param name="Columns">The plan's written columns (row positions).</param>
/// <param name="ExistingRows">Rows of the table before the live phase, as canonical text in table column order.</param>
/// <param name="Table">The table in its new shape.</param>
/// <param name="Generator">The table's row generator.</param>
public sealed record AttackContext(IReadOnlyList<Column> Columns, IReadOnlyList<string?[]> ExistingRows, Table Table, RowGenerator Generator)
{
    /// <summary>The engine (how canonical values read back convert to parameters).</summary>
    public EngineKind Engine { get; init; } = EngineKind.Postgres;

    public int IndexOf(string column) => Columns.IndexOfColumn(column);
}

/// <summary>
/// Live rows that write what the pre-migration schema would refuse, where the forward migration relaxed it. A
/// rollback that restores the old rule meets them exactly as it would in production.
/// </summary>
/// <param name="Kind">What is attacked.</param>
/// <param name="Columns">The columns the attack writes.</param>
/// <param name="Description">For reports: the value and the old rule, e.g. "name longer than 40 characters (old varchar(40))".</param>
/// <param name="Apply">Turns a valid generated row into an attacking one; false when it cannot for this row.</param>
public sealed record Attack(AttackKind Kind, IReadOnlyList<string> Columns, string Description, Func<AttackContext, object?[], long, bool> Apply);

/// <summary>Finds the attacks a table's S0 → S1 change allows.</summary>
public static class Attacks
{
    /// <summary>Attack kinds by report name, for scenario.yml <c>seed.attacks</c>.</summary>
    public static IReadOnlyList<string> KindNames { get; } = Enum.GetValues<AttackKind>().Select(Seeder.KindName).ToList();

    public static IReadOnlyList<Attack> Find(Table before, Table after, SchemaSnapshot previous, SchemaSnapshot current, EngineKind engine)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var result = new List<Attack>();
        var nowChecks = new Lazy<CheckAnalysis>(() => CheckDomains.Analyze(after, engine));

        // Rows can only be written into columns that take values: identity and generated columns are left out.
        foreach (var relaxation in Relaxations.Find(before, after, engine))
        {
            result.AddRange(relaxation.Kind switch
            {
                AttackKind.Duplicate when relaxation.Writable => [Duplicates(relaxation)],
                AttackKind.Check => CheckViolations(relaxation, nowChecks.Value, engine),
                AttackKind.Orphan when relaxation.Writable => [Orphans(relaxation)],
                AttackKind.Duplicate or AttackKind.Orphan => [],
                _ when relaxation.Writable && ColumnAttack(relaxation) is { } attack => [attack],
                _ => [],
            });
        }

        result.Add(new Attack(AttackKind.Edge, [], "edge values (maximum-length and multi-byte text, empty strings, boundary numbers, timestamps at DST changes)", (ctx, row, n) =>
            ctx.Generator.ApplyEdges(row, (int)n)));
        return result;
    }

    /// <summary>The pre-migration column behind <paramref name="column"/>: same engine identity in the same table (survives renames), else same name.</summary>
    public static Column? Counterpart(Table before, Table after, Column column) => Relaxations.Counterpart(before, after, column);

    private static Attack? ColumnAttack(Relaxation relaxation)
    {
        var old = relaxation.Old!;
        var now = relaxation.New!;
        var name = now.Name;
        switch (relaxation.Kind)
        {
            case AttackKind.Null:
                return Set(AttackKind.Null, name, $"{name} NULL (old column was NOT NULL)", (_, _) => null);
            case AttackKind.Length:
            {
                var oldLength = old.Length!.Value;
                var length = Math.Min(now.Length ?? oldLength + 20, oldLength + 20);
                return Set(AttackKind.Length, name, $"{name} longer than {oldLength} characters (old {old.DataType})", (_, n) =>
                {
                    var suffix = "-" + n.ToString(CultureInfo.InvariantCulture);
                    return "Longer than before " + new string('x', Math.Max(0, length - suffix.Length - 19)) + suffix is var text && text.Length > length ? text[^length..] : text;
                });
            }

            case AttackKind.Scale:
            {
                var oldScale = old.Family == TypeFamily.Integer ? 0 : old.Scale ?? 0;
                var newScale = now.Scale ?? (now.Precision is null ? 9 : 0);
                var scale = Math.Min(newScale, 9);
                var integerDigits = now.Precision is { } p ? p - (now.Scale ?? 0) : 6;
                var maxWhole = integerDigits <= 0 ? 0 : (long)Math.Min(999, Relaxations.Pow10(integerDigits) - 1);
                return Set(AttackKind.Scale, name, $"{name} with {scale} decimals (old {old.DataType} keeps {oldScale})", (_, n) =>
                    decimal.Round((n % (maxWhole + 1)) + 0.123456789m, scale));
            }

            case AttackKind.Magnitude:
            {
                var oldMax = relaxation.OldMaximum!.Value;
                var newMax = relaxation.NewMaximum!.Value;
                return Set(AttackKind.Magnitude, name, $"{name} above {oldMax.ToString(CultureInfo.InvariantCulture)}, the largest value old {old.DataType} holds", (_, n) =>
                {
                    var value = Math.Min(oldMax + 1 + n, newMax);
                    return now.Family == TypeFamily.Integer ? (object)(long)value : value;
                });
            }

            // The attack's text ("n/a-NN") needs six characters.
            case AttackKind.Conversion when now.Length is null || now.Length >= 6:
                return Set(AttackKind.Conversion, name, $"{name} holding text that is not a valid {old.DataType}", (_, n) => "n/a-" + (n % 100).ToString(CultureInfo.InvariantCulture));
            case AttackKind.EnumLabel when relaxation.AddedLabels.Count > 0:
            {
                var added = relaxation.AddedLabels;
                return Set(AttackKind.EnumLabel, name, $"{name} = {string.Join(" / ", added.Select(l => "'" + l + "'"))}, labels the old type does not have", (_, n) => added[(int)(n % added.Count)]);
            }

            default:
                return null;
        }
    }

    private static Attack Set(AttackKind kind, string column, string description, Func<AttackContext, long, object?> value) =>
        new(kind, [column], description, (ctx, row, n) =>
        {
            var index = ctx.IndexOf(column);
            if (index < 0)
            {
                return false;
            }

            row[index] = value(ctx, n);
            return true;
        });

    private static Attack Duplicates(Relaxation relaxation)
    {
        var names = relaxation.Columns;
        var set = relaxation.Key!.Columns;
        object?[]? first = null;
        return new Attack(AttackKind.Duplicate, names, $"duplicate ({string.Join(", ", names)}) values, which the old unique key on ({string.Join(", ", set)}) refused", (ctx, row, n) =>
        {
            var indexes = names.Select(ctx.IndexOf).ToList();
            if (indexes.Any(i => i < 0))
            {
                return false;
            }

            object?[] values;
            if (ctx.ExistingRows.Count > 0)
            {
                var existing = ctx.ExistingRows[(int)(n % ctx.ExistingRows.Count)];
                values = names.Select(c => ValueGenerator.FromCanonical(ctx.Table.FindColumn(c)!, existing[ctx.Table.IndexOf(c)], ctx.Engine)).ToArray();
            }
            else
            {
                first ??= indexes.Select(i => row[i]).ToArray();
                values = first;
            }

            for (var k = 0; k < indexes.Count; k++)
            {
                row[indexes[k]] = values[k];
            }

            return values.All(v => v is not null);
        });
    }

    private static List<Attack> CheckViolations(Relaxation relaxation, CheckAnalysis nowChecks, EngineKind engine)
    {
        var (before, after, check) = (relaxation.Before, relaxation.After, relaxation.Check!);
        var result = new List<Attack>();
        var analysis = CheckDomains.Analyze(before with { Checks = new[] { check }.ToValueList() }, engine);
        var label = check.Name is { Length: > 0 } ? $"check {check.Name}" : $"check ({check.Expression})";
        foreach (var (columnName, domain) in analysis.Domains)
        {
            var old = before.FindColumn(columnName);
            var column = old is null ? null : after.Columns.FirstOrDefault(c => Counterpart(before, after, c) == old);
            if (column is null || column.IsGenerated)
            {
                continue;
            }

            var candidates = Violations(column, domain)
                .Where(v => v is not null && !ValueGenerator.Accepts(old!, domain, v) && ValueGenerator.Accepts(column, nowChecks.For(column.Name), v))
                .ToList();
            if (candidates.Count > 0)
            {
                result.Add(Set(AttackKind.Check, column.Name, $"{column.Name} = {Show(candidates[0])}, which {label} refused", (_, i) => candidates[(int)(i % candidates.Count)]));
            }
        }

        foreach (var comparison in analysis.Comparisons)
        {
            var left = after.Columns.FirstOrDefault(c => Counterpart(before, after, c)?.Name == comparison.Left);
            var right = after.Columns.FirstOrDefault(c => Counterpart(before, after, c)?.Name == comparison.Right);
            if (left is null || right is null)
            {
                continue;
            }

            result.Add(new Attack(AttackKind.Check, [left.Name, right.Name], $"{left.Name} and {right.Name} breaking {label}", (ctx, row, _) =>
            {
                int l = ctx.IndexOf(left.Name), r = ctx.IndexOf(right.Name);
                if (l < 0 || r < 0 || row[l] is not IComparable a || row[r] is not { } b || a.GetType() != b.GetType())
                {
                    return false;
                }

                var order = a.CompareTo(b);
                var holds = comparison.Operator switch { "<" => order < 0, "<=" => order <= 0, ">" => order > 0, ">=" => order >= 0, "=" => order == 0, _ => order != 0 };
                if (holds && order != 0)
                {
                    (row[l], row[r]) = (row[r], row[l]);
                    return true;
                }

                return !holds;
            }));
        }

        return result;
    }

    /// <summary>Values just outside a domain, in the column's CLR type.</summary>
    private static IEnumerable<object?> Violations(Column column, ColumnDomain domain)
    {
        foreach (var forbidden in domain.Forbidden)
        {
            yield return ValueGenerator.TryConvert(column, forbidden);
        }

        if (domain.Allowed is { Count: > 0 } allowed)
        {
            if (column.Family is TypeFamily.Text or TypeFamily.Enum)
            {
                foreach (var label in column.EnumValues.Where(l => !allowed.Contains(l)))
                {
                    yield return label;
                }

                yield return "archived";
                yield return "zz";
            }
            else if (allowed.Select(a => ValueGenerator.TryConvert(column, a)).OfType<IComparable>().ToList() is { Count: > 0 } values)
            {
                yield return Outside(values.Max()!, +1);
                yield return Outside(values.Min()!, -1);
            }
        }

        if (domain.Min is { } min && ValueGenerator.TryConvert(column, min.Literal) is { } low)
        {
            yield return min.Inclusive ? Outside(low, -1) : low;
        }

        if (domain.Max is { } max && ValueGenerator.TryConvert(column, max.Literal) is { } high)
        {
            yield return max.Inclusive ? Outside(high, +1) : high;
        }

        if (domain.MaxLength is { } maxLength)
        {
            yield return new string('x', maxLength + 1);
        }

        if (domain.MinLength is { } minLength and > 0)
        {
            yield return new string('x', minLength - 1);
        }
    }

    private static object Outside(object value, int direction) => value switch
    {
        long l => l + direction,
        decimal d => d + direction,
        double f => f + direction,
        DateTime t => t.AddDays(direction),
        TimeSpan span => span + TimeSpan.FromMinutes(direction),
        _ => value,
    };

    private static string Show(object? value) => value switch
    {
        null => "NULL",
        string s => "'" + (s.Length > 30 ? s[..30] + "…" : s) + "'",
        _ => CanonicalValue.Format(value) ?? "NULL",
    };

    private static Attack Orphans(Relaxation relaxation)
    {
        var fk = relaxation.ForeignKey!;
        var names = relaxation.Columns;
        var columns = names.Select(n => relaxation.After.FindColumn(n)!).ToList();
        return new Attack(AttackKind.Orphan, names, $"({string.Join(", ", names)}) referencing no row of {fk.ReferencedTable}, which foreign key {fk.Name ?? fk.Shape} refused", (ctx, row, n) =>
        {
            for (var k = 0; k < names.Count; k++)
            {
                var index = ctx.IndexOf(names[k]);
                if (index < 0 || Orphan(columns[k], n) is not { } value)
                {
                    return false;
                }

                row[index] = value;
            }

            return true;
        });
    }

    private static object? Orphan(Column column, long n) => column.Family switch
    {
        // Negative keys: seeded and real parents count up from 1 (unsigned types: the top of the range).
        TypeFamily.Integer => ValueGenerator.IntegerTypeRange(column) is var (lo, hi) && lo < 0 ? -1 - n : hi - n,
        TypeFamily.Decimal => column.DataType.Contains("unsigned", StringComparison.OrdinalIgnoreCase) ? 900_000m - n : -1m - n,
        TypeFamily.Text => "orphan-" + n.ToString(CultureInfo.InvariantCulture) is var s && column.Length is { } l && s.Length > l ? s[^l..] : "orphan-" + n.ToString(CultureInfo.InvariantCulture),
        TypeFamily.Uuid => new Guid(0x0bad0000 + (int)(n % 0xFFFF), 0, 0x4000, 0x80, 0, 0, 0, 0, 0, 0, 0),
        _ => null,
    };
}
