using System.Data.Common;
using System.Globalization;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Seeding;

/// <summary>When the seeder writes.</summary>
public enum SeedPhase
{
    /// <summary>Rows that exist before the migration.</summary>
    PreExisting,

    /// <summary>Rows written in the new shape after the forward migration: inserts, updates and deletes.</summary>
    Live,
}

/// <summary>
/// Writes Bogus-generated rows that respect types, lengths, precision, nullability, foreign-key order and unique
/// constraints. Rows the database still refuses (check constraints the generator does not model) are counted
/// as skipped and reported, never silently dropped.
/// </summary>
public static class Seeder
{
    /// <summary>Share of pre-existing rows updated in the live phase.</summary>
    private const int UpdatePercent = 20;

    /// <summary>Share of pre-existing rows deleted in the live phase.</summary>
    private const int DeletePercent = 10;

    public static async Task<IReadOnlyList<SeedTableSummary>> SeedAsync(
        IDatabaseInstance database,
        SchemaSnapshot schema,
        SeedSettings settings,
        SeedPhase phase,
        CancellationToken cancellationToken,
        SchemaSnapshot? previous = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(settings);

        var summaries = new List<SeedTableSummary>();
        var tables = SeedOrder.Order(schema.Tables.Where(t => !Settings(settings, t).Exclude));
        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            foreach (var table in tables)
            {
                var tableSettings = Settings(settings, table);
                var rows = phase == SeedPhase.PreExisting ? tableSettings.Rows ?? settings.Rows : tableSettings.LiveRows ?? settings.LiveRows;
                var generator = new ValueGenerator(settings.Seed, table.Name.ToString(), phase.ToString());
                var relaxed = previous?.FindTable(table.Name) is { } before ? Relaxations.Find(before, table) : [];
                var summary = await SeedTableAsync(database, connection, schema, table, rows, phase, generator, relaxed, cancellationToken).ConfigureAwait(false);
                summaries.Add(summary);
            }
        }

        return summaries;
    }

    private static TableSeedSettings Settings(SeedSettings settings, Table table) =>
        settings.Tables.TryGetValue(table.Name.ToString(), out var byQualified) ? byQualified
        : settings.Tables.TryGetValue(table.Name.Name, out var byName) ? byName
        : new TableSeedSettings(null, null, false);

    private static async Task<SeedTableSummary> SeedTableAsync(
        IDatabaseInstance database,
        DbConnection connection,
        SchemaSnapshot schema,
        Table table,
        int rowCount,
        SeedPhase phase,
        ValueGenerator generator,
        IReadOnlyList<Relaxation> relaxed,
        CancellationToken ct)
    {
        var dialect = database.Dialect;
        var fkColumns = table.ForeignKeys.SelectMany(fk => fk.Columns).ToHashSet(StringComparer.Ordinal);
        var uniqueColumns = UniqueColumnSets(table).SelectMany(s => s).ToHashSet(StringComparer.Ordinal);
        var writable = table.Columns.Where(c => !c.IsGenerated && c.Identity == IdentityKind.None).ToList();
        foreach (var column in writable.Where(c => !ValueGenerator.CanGenerate(c) && c.Default is null && !fkColumns.Contains(c.Name)))
        {
            throw new RollbackVerifierException(
                $"seeding {table.Name}: column {column.Name} is NOT NULL without a default and has type {column.DataType}, which the seeder cannot generate; exclude the table in scenario.yml seed.tables.");
        }

        writable = writable.Where(c => ValueGenerator.CanGenerate(c) || fkColumns.Contains(c.Name)).ToList();

        var existing = await ReadAllAsync(database, table, ct).ConfigureAwait(false);
        var ordinalBase = NextOrdinal(table, existing, uniqueColumns);
        var references = new Dictionary<ForeignKey, List<object?[]>>();
        foreach (var fk in table.ForeignKeys)
        {
            references[fk] = await ReferencedValuesAsync(database, schema, table, fk, existing, ct).ConfigureAwait(false);
        }

        long inserted = 0, skipped = 0, updated = 0, deleted = 0, attacks = 0;
        string? skipReason = null;

        if (table.Columns.Count > 0)
        {
            var sql = writable.Count == 0
                ? InsertDefaults(dialect, table, database.Kind)
                : $"INSERT INTO {dialect.QuoteName(table.Name)} ({string.Join(", ", writable.Select(c => dialect.QuoteIdentifier(c.Name)))}) VALUES ({string.Join(", ", writable.Select((c, i) => dialect.ValueExpression(c, dialect.Parameter(i))))})";
            for (var row = 0; row < rowCount; row++)
            {
                var values = new object?[writable.Count];
                for (var i = 0; i < writable.Count; i++)
                {
                    values[i] = uniqueColumns.Contains(writable[i].Name) ? generator.Next(writable[i], ordinalBase + row) : generator.Next(writable[i], null);
                }

                // Every other live row uses what the forward migration relaxed, so a rollback that restores the old
                // constraint meets rows the old schema would never have accepted.
                var attacking = row % 2 == 0 && relaxed.Count > 0;
                if (attacking)
                {
                    foreach (var relaxation in relaxed)
                    {
                        var index = writable.FindIndex(c => c.Name == relaxation.Column.Name);
                        if (index >= 0)
                        {
                            values[index] = relaxation.Value(ordinalBase + row);
                        }
                    }
                }

                foreach (var (fk, candidates) in references)
                {
                    var pick = candidates.Count == 0 ? null : candidates[generator.Random.Int(0, candidates.Count - 1)];
                    for (var k = 0; k < fk.Columns.Count; k++)
                    {
                        var index = writable.FindIndex(c => c.Name == fk.Columns[k]);
                        if (index >= 0)
                        {
                            values[index] = pick?[k];
                        }
                    }
                }

                var error = await TryExecuteAsync(connection, sql, values, ct).ConfigureAwait(false);
                if (error is null)
                {
                    inserted++;
                    attacks += attacking ? 1 : 0;
                }
                else
                {
                    skipped++;
                    skipReason ??= error;
                }
            }
        }

        if (phase == SeedPhase.Live && table.PrimaryKey is { } pk && existing.Count > 0)
        {
            var keyColumns = pk.Columns.Select(c => table.FindColumn(c)!).ToList();
            var keyIndexes = keyColumns.Select(c => IndexOf(table, c.Name)).ToList();
            var where = string.Join(" AND ", keyColumns.Select((c, i) => $"{dialect.QuoteIdentifier(c.Name)} = {dialect.ValueExpression(c, dialect.Parameter(i))}"));
            var updatable = writable.Where(c => !uniqueColumns.Contains(c.Name) && !fkColumns.Contains(c.Name) && !pk.Columns.Contains(c.Name)).ToList();
            foreach (var row in existing)
            {
                var roll = generator.Random.Int(0, 99);
                var key = keyIndexes.Select((index, i) => ValueGenerator.FromCanonical(keyColumns[i], row[index])).ToArray();
                if (roll < DeletePercent)
                {
                    var error = await TryExecuteAsync(connection, $"DELETE FROM {dialect.QuoteName(table.Name)} WHERE {where}", key, ct).ConfigureAwait(false);
                    if (error is null)
                    {
                        deleted++;
                    }
                }
                else if (roll < DeletePercent + UpdatePercent && updatable.Count > 0)
                {
                    var set = string.Join(", ", updatable.Select((c, i) => $"{dialect.QuoteIdentifier(c.Name)} = {dialect.ValueExpression(c, dialect.Parameter(key.Length + i))}"));
                    var values = key.Concat(updatable.Select(c => generator.Next(c, null))).ToArray();
                    var error = await TryExecuteAsync(connection, $"UPDATE {dialect.QuoteName(table.Name)} SET {set} WHERE {where}", values, ct).ConfigureAwait(false);
                    if (error is null)
                    {
                        updated++;
                    }
                }
            }
        }

        var attackNotes = attacks == 0 ? [] : relaxed.Select(r => $"{attacks} rows with {r.Description}").ToList();
        return new SeedTableSummary(table.Name.ToString(), phase == SeedPhase.PreExisting ? "pre-existing" : "live", inserted, updated, deleted, skipped, skipReason, attackNotes);
    }

    private static string InsertDefaults(IDialect dialect, Table table, EngineKind kind) =>
        kind == EngineKind.MySql ? $"INSERT INTO {dialect.QuoteName(table.Name)} () VALUES ()" : $"INSERT INTO {dialect.QuoteName(table.Name)} DEFAULT VALUES";

    private static int IndexOf(Table table, string column)
    {
        for (var i = 0; i < table.Columns.Count; i++)
        {
            if (table.Columns[i].Name == column)
            {
                return i;
            }
        }

        return -1;
    }

    private static IEnumerable<IReadOnlyList<string>> UniqueColumnSets(Table table)
    {
        if (table.PrimaryKey is { } pk)
        {
            yield return pk.Columns;
        }

        foreach (var unique in table.Uniques)
        {
            yield return unique.Columns;
        }

        foreach (var index in table.Indexes.Where(i => i.IsUnique))
        {
            yield return index.Keys.Where(k => !k.IsExpression).Select(k => k.Expression).ToList();
        }
    }

    /// <summary>Unique ordinals start after the largest integer already present in any unique column, so new rows do not collide.</summary>
    private static long NextOrdinal(Table table, List<string?[]> existing, HashSet<string> uniqueColumns)
    {
        long next = existing.Count;
        foreach (var column in table.Columns.Where(c => uniqueColumns.Contains(c.Name)))
        {
            var index = IndexOf(table, column.Name);
            foreach (var row in existing)
            {
                var text = row[index];
                if (text is not null && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                {
                    next = Math.Max(next, value);
                }
                else if (text is not null && text.LastIndexOf('-') is var dash and >= 0
                    && long.TryParse(text.AsSpan(dash + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var suffix))
                {
                    next = Math.Max(next, suffix);
                }
            }
        }

        return next + 1;
    }

    private static async Task<List<string?[]>> ReadAllAsync(IDatabaseInstance database, Table table, CancellationToken ct)
    {
        var rows = new List<string?[]>();
        await foreach (var row in database.ReadRowsAsync(table, ct).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        return rows;
    }

    private static async Task<List<object?[]>> ReferencedValuesAsync(
        IDatabaseInstance database, SchemaSnapshot schema, Table table, ForeignKey fk, List<string?[]> existing, CancellationToken ct)
    {
        var referenced = fk.ReferencedTable == table.Name ? table : schema.FindTable(fk.ReferencedTable);
        if (referenced is null)
        {
            return [];
        }

        var rows = fk.ReferencedTable == table.Name ? existing : await ReadAllAsync(database, referenced, ct).ConfigureAwait(false);
        var columns = fk.ReferencedColumns.Select(c => (Index: IndexOf(referenced, c), Column: referenced.FindColumn(c))).ToList();
        if (columns.Any(c => c.Index < 0 || c.Column is null))
        {
            return [];
        }

        return rows
            .Where(r => columns.All(c => r[c.Index] is not null))
            .Select(r => columns.Select(c => ValueGenerator.FromCanonical(c.Column!, r[c.Index])).ToArray())
            .ToList();
    }

    /// <summary>Runs one statement in autocommit; returns null on success, else the server's message.</summary>
    private static async Task<string?> TryExecuteAsync(DbConnection connection, string sql, object?[] values, CancellationToken ct)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            for (var i = 0; i < values.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
                parameter.Value = values[i] ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }

            try
            {
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                return null;
            }
            catch (DbException ex)
            {
                return ex.Message;
            }
        }
    }
}
