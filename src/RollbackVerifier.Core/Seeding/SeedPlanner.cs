using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Seeding;

/// <summary>How a foreign key's columns get their values.</summary>
public enum ReferenceMode
{
    /// <summary>A random existing parent row (or NULL for some rows of a nullable key).</summary>
    Random,

    /// <summary>Each row a different parent, in order (the key columns are unique: a one-to-one relation).</summary>
    Sequential,

    /// <summary>Parent combinations enumerated by row ordinal (a unique key made only of foreign-key columns).</summary>
    Combination,

    /// <summary>Written NULL, filled by an UPDATE after all tables are seeded (self-references and cycles through nullable keys).</summary>
    Deferred,

    /// <summary>A self-reference through NOT NULL columns whose referenced key the seeder writes itself: points at an earlier row (the first row at itself).</summary>
    InRow,
}

/// <summary>One foreign key of a table plan.</summary>
/// <param name="Key">The foreign key.</param>
/// <param name="Indexes">Positions of the key's columns among the plan's written columns (-1 when not written).</param>
/// <param name="Mode">How values are chosen.</param>
/// <param name="Nullable">True when every key column is nullable (some rows get NULL).</param>
/// <param name="ReferencedIndexes">For <see cref="ReferenceMode.InRow"/>: positions of the referenced columns among the written columns.</param>
public sealed record ReferencePlan(ForeignKey Key, IReadOnlyList<int> Indexes, ReferenceMode Mode, bool Nullable, IReadOnlyList<int> ReferencedIndexes);

/// <summary>A foreign key filled after all tables are seeded.</summary>
public sealed record DeferredReference(Table Table, ForeignKey Key);

/// <summary>What the seeder will write into one table.</summary>
public sealed class TablePlan
{
    internal TablePlan(Table table, IReadOnlyList<Column> columns, IReadOnlyList<ColumnRules> rules, IReadOnlyList<ReferencePlan> references, CheckAnalysis checks, int rowCount, IReadOnlyList<Attack> attacks)
    {
        Table = table;
        Columns = columns;
        Rules = rules;
        References = references;
        Checks = checks;
        RowCount = rowCount;
        Attacks = attacks;
    }

    public Table Table { get; }

    /// <summary>The columns written, in order (identity, generated and default-only columns are left to the database).</summary>
    public IReadOnlyList<Column> Columns { get; }

    /// <summary>Per written column: domain, override, uniqueness.</summary>
    public IReadOnlyList<ColumnRules> Rules { get; }

    public IReadOnlyList<ReferencePlan> References { get; }

    /// <summary>Check constraints as understood; those not understood make the seeder test rows one by one and count refusals.</summary>
    public CheckAnalysis Checks { get; }

    /// <summary>Rows to write (pre-existing rows, or the normal live rows).</summary>
    public int RowCount { get; set; }

    /// <summary>
    /// Per written column, the column whose limits generated values respect: the column itself, or in the live phase
    /// the new column narrowed to what the old schema accepted (attack rows then break it on purpose).
    /// </summary>
    public IReadOnlyList<Column> ValueColumns { get => _valueColumns ?? Columns; init => _valueColumns = value; }

    private readonly IReadOnlyList<Column>? _valueColumns;

    /// <summary>Live phase: adversarial rows to write where the forward migration relaxed something.</summary>
    public IReadOnlyList<Attack> Attacks { get; }

    /// <summary>True when some check constraint is not understood, so rows must be tried one at a time.</summary>
    public bool RowByRow => Checks.NotUnderstood.Count > 0;

    /// <summary>Creates the row generator for this table. <paramref name="pools"/> supplies parent keys.</summary>
    /// <param name="seed">The scenario seed.</param>
    /// <param name="phase">Pre-existing or live (separate random streams).</param>
    /// <param name="pools">Parent keys.</param>
    /// <param name="ordinalBase">First unique ordinal (after values already in the table).</param>
    /// <param name="existingRows">Rows already in the table: one-to-one and combination references start after the parents they used.</param>
    public RowGenerator CreateGenerator(int seed, SeedPhase phase, IKeyPools pools, long ordinalBase, long existingRows = 0)
    {
        ArgumentNullException.ThrowIfNull(pools);
        return new RowGenerator(this, new ValueGenerator(seed, Table.Name.ToString(), phase.ToString()), pools, ordinalBase, existingRows);
    }
}

/// <summary>The whole seeding plan: tables in foreign-key order and the references filled afterwards.</summary>
public sealed record SeedPlan(IReadOnlyList<TablePlan> Tables, IReadOnlyList<DeferredReference> Deferred);

/// <summary>
/// Plans seeding from an inspected schema: foreign-key order (cycles broken through nullable keys), which columns are
/// written, how unique keys stay distinct, what check constraints allow, and the user's overrides. Fails with a
/// <see cref="RollbackVerifierException"/> naming the table and column when a NOT NULL column cannot be filled.
/// </summary>
public static class SeedPlanner
{
    public static SeedPlan Plan(SchemaSnapshot schema, SeedSettings settings, SeedPhase phase, EngineKind engine, SchemaSnapshot? previous = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(settings);
        var included = schema.Tables.Where(t => !Settings(settings, t).Exclude).ToList();
        var order = Order(included, phase == SeedPhase.Live ? previous : null);
        var seeded = new HashSet<ObjectName>();
        var plans = new List<TablePlan>();
        var deferred = new List<DeferredReference>();
        foreach (var table in order)
        {
            var tableSettings = Settings(settings, table);
            var rows = phase == SeedPhase.PreExisting ? tableSettings.Rows ?? settings.Rows : tableSettings.LiveRows ?? settings.LiveRows;
            var before = previous?.FindTable(table.Name);
            var plan = PlanTable(schema, table, tableSettings, rows, engine, seeded, included, phase == SeedPhase.Live ? before : null, previous);
            plans.Add(plan);
            deferred.AddRange(plan.References.Where(r => r.Mode == ReferenceMode.Deferred).Select(r => new DeferredReference(table, r.Key)));
            seeded.Add(table.Name);
        }

        return new SeedPlan(plans, deferred);
    }

    /// <summary>
    /// Foreign-key order; in the live phase also by the keys tables had before the migration (well-behaved live rows
    /// still reference parents through a dropped key), unless those old keys would make the order impossible.
    /// </summary>
    private static IReadOnlyList<Table> Order(List<Table> included, SchemaSnapshot? previous)
    {
        if (previous is null)
        {
            return SeedOrder.Order(included);
        }

        var augmented = included.Select(t => previous.FindTable(t.Name) is { } before
            ? t with { ForeignKeys = t.ForeignKeys.Concat(before.ForeignKeys.Where(fk => fk.ReferencedTable != t.Name && t.ForeignKeys.All(k => k.ReferencedTable != fk.ReferencedTable))
                .Select(fk => fk with { Columns = ValueList<string>.Empty })).ToValueList() }
            : t).ToList();
        try
        {
            var byName = included.ToDictionary(t => t.Name);
            return SeedOrder.Order(augmented).Select(t => byName[t.Name]).ToList();
        }
        catch (RollbackVerifierException)
        {
            return SeedOrder.Order(included);
        }
    }

    internal static TableSeedSettings Settings(SeedSettings settings, Table table) =>
        settings.Tables.TryGetValue(table.Name.ToString(), out var byQualified) ? byQualified
        : settings.Tables.TryGetValue(table.Name.Name, out var byName) ? byName
        : new TableSeedSettings(null, null, false);

    private static TablePlan PlanTable(
        SchemaSnapshot schema,
        Table table,
        TableSeedSettings tableSettings,
        int rows,
        EngineKind engine,
        HashSet<ObjectName> seeded,
        List<Table> included,
        Table? before,
        SchemaSnapshot? previous)
    {
        var checks = CheckDomains.Analyze(table, engine);
        var fkColumns = table.ForeignKeys.SelectMany(fk => fk.Columns).ToHashSet(StringComparer.Ordinal);
        var overrides = tableSettings.Columns;

        var columns = new List<Column>();
        foreach (var column in table.Columns.Where(c => !c.IsGenerated && c.Identity == IdentityKind.None))
        {
            var hasOverride = overrides.ContainsKey(column.Name);
            if (hasOverride || ValueGenerator.CanGenerate(column) || fkColumns.Contains(column.Name))
            {
                columns.Add(column);
            }
            else if (!column.IsNullable && column.Default is null)
            {
                throw new RollbackVerifierException(
                    $"seeding {table.Name}: column {column.Name} is NOT NULL without a default and has type {column.DataType}, which the seeder cannot generate; "
                    + $"give it values in scenario.yml (seed.tables.{table.Name.Name}.columns.{column.Name}: value, values or dataset) or exclude the table (seed.tables.{table.Name.Name}.exclude: true).");
            }
        }

        foreach (var (name, spec) in overrides)
        {
            if (table.FindColumn(name) is null && before?.FindColumn(name) is null && (before is not null || previous is null))
            {
                throw new RollbackVerifierException($"{spec.Location}: seed.tables.{table.Name.Name}.columns.{name}: table {table.Name} has no column {name}");
            }
        }

        // Live phase on a table that existed before: the well-behaved rows also satisfy the old schema (its foreign
        // keys, unique keys, lengths, precision, NOT NULL and checks), so that only the attack rows break it.
        var shape = before is null ? table : WithOldKeys(table, before, schema, seeded);
        var oldChecks = before is null ? null : CheckDomains.Analyze(before, engine);
        var references = PlanReferences(schema, shape, columns, seeded, included);
        var referenceColumns = references.SelectMany(r => r.Key.Columns).ToHashSet(StringComparer.Ordinal);
        var carriers = UniqueCarriers(shape, columns, referenceColumns);
        IReadOnlyList<string> keyColumns = table.PrimaryKey is { } primaryKey ? primaryKey.Columns : [];
        var prefixes = UniquePrefixes(table);
        var valueColumns = new List<Column>();
        var rules = new List<ColumnRules>();
        foreach (var c in columns)
        {
            var old = before is null ? null : Attacks.Counterpart(before, table, c);
            var domain = checks.For(c.Name) ?? (old is null ? null : oldChecks!.For(old.Name));
            valueColumns.Add(old is null ? c : Tame(c, old));
            rules.Add(new ColumnRules(domain, overrides.GetValueOrDefault(c.Name), carriers.Contains(c.Name), engine, rows, c.IsNullable && old?.IsNullable != false && !keyColumns.Contains(c.Name))
            {
                UniqueLength = prefixes.TryGetValue(c.Name, out var prefix) ? prefix : null,
            });
        }

        var attacks = before is null ? [] : Attacks.Find(before, table, previous!, schema, engine);
        return new TablePlan(table, columns, rules, references, checks, rows, attacks) { ValueColumns = valueColumns };
    }

    /// <summary>
    /// The column whose limits well-behaved live rows respect: the new column narrowed to the old one's length,
    /// precision, scale, integer type and enum labels; the old column itself where the forward changed the type family.
    /// </summary>
    private static Column Tame(Column now, Column old)
    {
        if (old.Family != now.Family)
        {
            // A typed column turned into text: well-behaved rows keep writing values of the old type, as text.
            return now.Family == TypeFamily.Text && ValueGenerator.CanGenerate(old) ? old with { Name = now.Name, IsNullable = now.IsNullable && old.IsNullable } : now;
        }

        return now with
        {
            DataType = old.DataType,
            Length = old.Length is { } l ? Math.Min(l, now.Length ?? l) : now.Length,
            Precision = old.Precision ?? now.Precision,
            Scale = old.Scale ?? now.Scale,
            IsNullable = now.IsNullable && old.IsNullable,
            EnumValues = old.EnumValues.Count > 0 && now.EnumValues.Count > 0 ? now.EnumValues.Where(old.EnumValues.Contains).ToValueList() : now.EnumValues,
        };
    }

    /// <summary>The table with the foreign keys and unique keys it had before the migration, on its current column names.</summary>
    private static Table WithOldKeys(Table table, Table before, SchemaSnapshot schema, HashSet<ObjectName> seeded)
    {
        string? Map(string oldName) =>
            before.FindColumn(oldName) is { } old ? table.Columns.FirstOrDefault(c => Attacks.Counterpart(before, table, c) == old)?.Name : null;

        var foreignKeys = table.ForeignKeys.ToList();
        foreach (var fk in before.ForeignKeys)
        {
            var mapped = fk.Columns.Select(Map).ToList();
            if (mapped.Any(c => c is null) || fk.ReferencedTable == before.Name || !seeded.Contains(fk.ReferencedTable) || schema.FindTable(fk.ReferencedTable) is not { } parent
                || fk.ReferencedColumns.Any(c => parent.FindColumn(c) is null) || foreignKeys.Any(k => k.Columns.SequenceEqual(mapped!)))
            {
                continue;
            }

            foreignKeys.Add(fk with { Name = fk.Name + " (before the migration)", Columns = mapped.Select(c => c!).ToValueList() });
        }

        var uniques = table.Uniques.ToList();
        foreach (var set in UniqueSets(before))
        {
            var mapped = set.Select(Map).ToList();
            if (mapped.All(c => c is not null))
            {
                uniques.Add(new UniqueConstraint(null, mapped.Select(c => c!).ToValueList(), false));
            }
        }

        return table with { ForeignKeys = foreignKeys.ToValueList(), Uniques = uniques.ToValueList() };
    }

    private static List<ReferencePlan> PlanReferences(SchemaSnapshot schema, Table table, List<Column> columns, HashSet<ObjectName> seeded, List<Table> included)
    {
        var result = new List<ReferencePlan>();
        var uniqueSets = UniqueSets(table).ToList();
        var fkOnlySets = uniqueSets.Where(s => s.Count > 1 && s.All(c => table.ForeignKeys.Any(fk => fk.Columns.Contains(c)))).ToList();
        foreach (var fk in table.ForeignKeys)
        {
            var indexes = fk.Columns.Select(columns.IndexOfColumn).ToList();
            var nullable = fk.Columns.All(c => table.FindColumn(c)?.IsNullable != false && table.PrimaryKey?.Columns.Contains(c) != true);
            var selfReference = fk.ReferencedTable == table.Name;
            var parentKnown = included.Any(t => t.Name == fk.ReferencedTable) || schema.FindTable(fk.ReferencedTable) is not null;
            if (indexes.Any(i => i < 0) || !parentKnown)
            {
                continue;
            }

            ReferenceMode mode;
            IReadOnlyList<int> referencedIndexes = [];
            if (selfReference || (!seeded.Contains(fk.ReferencedTable) && included.Any(t => t.Name == fk.ReferencedTable)))
            {
                if (nullable)
                {
                    mode = ReferenceMode.Deferred;
                }
                else if (selfReference && fk.ReferencedColumns.Select(columns.IndexOfColumn).ToList() is var refs && refs.All(i => i >= 0))
                {
                    mode = ReferenceMode.InRow;
                    referencedIndexes = refs;
                }
                else
                {
                    throw new RollbackVerifierException(
                        $"seeding {table.Name}: foreign key {fk.Name ?? fk.Shape} references {(selfReference ? "its own table" : fk.ReferencedTable.ToString())} through NOT NULL columns whose values the database generates; "
                        + $"exclude the table in scenario.yml (seed.tables.{table.Name.Name}.exclude: true) or seed it in the baseline.");
                }
            }
            else if (uniqueSets.Any(s => s.Count == fk.Columns.Count && s.All(fk.Columns.Contains)))
            {
                mode = ReferenceMode.Sequential;
            }
            else if (fkOnlySets.Any(s => fk.Columns.All(s.Contains)))
            {
                mode = ReferenceMode.Combination;
            }
            else
            {
                mode = ReferenceMode.Random;
            }

            result.Add(new ReferencePlan(fk, indexes, mode, nullable, referencedIndexes));
        }

        return result;
    }

    /// <summary>
    /// For each unique key (primary key, unique constraint, unique index), the one written column that is made distinct
    /// by row ordinal. Keys covered by generated or identity columns, or made only of foreign-key columns, need none.
    /// </summary>
    private static HashSet<string> UniqueCarriers(Table table, List<Column> columns, HashSet<string> referenceColumns)
    {
        var carriers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var set in UniqueSets(table))
        {
            if (set.Any(carriers.Contains) || set.Any(c => table.FindColumn(c) is { } col && (col.Identity != IdentityKind.None || col.IsGenerated)))
            {
                continue;
            }

            var candidates = set.Select(c => columns.FirstOrDefault(w => w.Name == c)).Where(c => c is not null && !referenceColumns.Contains(c.Name)).Select(c => c!).ToList();
            var carrier = candidates.OrderBy(c => CarrierRank(c.Family)).FirstOrDefault(c => CarrierRank(c.Family) < 9);
            if (carrier is not null)
            {
                carriers.Add(carrier.Name);
            }
        }

        return carriers;
    }

    private static int CarrierRank(TypeFamily family) => family switch
    {
        TypeFamily.Integer => 0,
        TypeFamily.Text => 1,
        TypeFamily.Decimal => 2,
        TypeFamily.Uuid => 3,
        TypeFamily.Timestamp or TypeFamily.TimestampTz => 4,
        TypeFamily.Binary => 5,
        TypeFamily.Float => 6,
        TypeFamily.Date or TypeFamily.Interval => 7,
        TypeFamily.Time or TypeFamily.Enum => 8,
        _ => 9,
    };

    /// <summary>Column sets that must be unique: primary key, unique constraints, unique indexes (expression keys mapped to the one column they use).</summary>
    internal static IEnumerable<IReadOnlyList<string>> UniqueSets(Table table) => UniqueKeys(table).Select(k => k.Columns);

    /// <summary>The table's unique keys (primary key, UNIQUE constraints, unique indexes) with where each comes from.</summary>
    internal static IEnumerable<UniqueKey> UniqueKeys(Table table)
    {
        if (table.PrimaryKey is { } pk)
        {
            yield return new UniqueKey(pk.Columns, PrimaryKey: pk);
        }

        foreach (var unique in table.Uniques)
        {
            yield return new UniqueKey(unique.Columns, Unique: unique);
        }

        foreach (var index in table.Indexes.Where(i => i.IsUnique))
        {
            var set = new List<string>();
            foreach (var key in index.Keys)
            {
                if (!key.IsExpression && table.FindColumn(key.Expression) is not null)
                {
                    set.Add(key.Expression);
                }
                else if (table.Columns.Where(c => ContainsIdentifier(key.Expression, c.Name)).ToList() is { Count: 1 } used)
                {
                    set.Add(used[0].Name); // lower(email), MySQL prefix name(10): distinct values of the column keep the key distinct
                }
            }

            if (set.Count > 0)
            {
                yield return new UniqueKey(set, Index: index);
            }
        }
    }

    /// <summary>Columns that a unique index keys by a prefix (MySQL <c>name(10)</c>), with the prefix length.</summary>
    internal static Dictionary<string, int> UniquePrefixes(Table table)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var key in table.Indexes.Where(i => i.IsUnique).SelectMany(i => i.Keys))
        {
            var open = key.Expression.LastIndexOf('(');
            if (open > 0 && key.Expression.EndsWith(')') && table.FindColumn(key.Expression[..open].Trim('`', '"')) is { } column
                && int.TryParse(key.Expression[(open + 1)..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length))
            {
                result[column.Name] = Math.Min(length, result.GetValueOrDefault(column.Name, int.MaxValue));
            }
        }

        return result;
    }

    internal static bool ContainsIdentifier(string expression, string name)
    {
        var index = 0;
        while ((index = expression.IndexOf(name, index, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            var beforeOk = index == 0 || !(char.IsLetterOrDigit(expression[index - 1]) || expression[index - 1] == '_');
            var end = index + name.Length;
            var afterOk = end >= expression.Length || !(char.IsLetterOrDigit(expression[end]) || expression[end] == '_');
            if (beforeOk && afterOk)
            {
                return true;
            }

            index = end;
        }

        return false;
    }
}
