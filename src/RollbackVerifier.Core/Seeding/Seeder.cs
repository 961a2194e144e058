using System.Data.Common;
using System.Globalization;
using System.Threading.Channels;
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

    /// <summary>Rows written in the new shape after the forward migration: inserts, updates, deletes and attacks.</summary>
    Live,
}

/// <summary>
/// Executes a <see cref="SeedPlan"/>. Pre-existing rows stream from the generator into the engine's bulk loader
/// (generation and loading overlap through a bounded channel); a table with check constraints the planner does not
/// understand, or whose bulk load is refused, is written row by row and refused rows are counted and reported, never
/// silently dropped. Live rows are written one by one: normal rows in the new shape, adversarial rows per attack,
/// then updates and deletes of a share of the existing rows.
/// </summary>
public static class Seeder
{
    /// <summary>Share of existing rows updated in the live phase (bounded by <see cref="LiveChangeCap"/> × live rows).</summary>
    private const int UpdatePercent = 20;

    /// <summary>Share of existing rows deleted in the live phase.</summary>
    private const int DeletePercent = 10;

    /// <summary>Live updates and deletes per table are at most this many times the live row count, so scaled runs stay fast.</summary>
    private const int LiveChangeCap = 5;

    /// <summary>Rows per bulk attempt when some rows may be refused (checks the planner does not understand, or a refused bulk load).</summary>
    private const int ChunkRows = 256;

    /// <summary>Existing rows read per table in the live phase (for updates, deletes and duplicate attacks).</summary>
    private const int ExistingSample = 10_000;

    public static async Task<IReadOnlyList<SeedTableSummary>> SeedAsync(
        IDatabaseInstance database,
        SchemaSnapshot schema,
        SeedSettings settings,
        SeedPhase phase,
        CancellationToken cancellationToken,
        SchemaSnapshot? previous = null,
        IProgress<long>? rowsWritten = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(settings);

        var plan = SeedPlanner.Plan(schema, settings, phase, database.Kind, previous);
        var summaries = new List<SeedTableSummary>();
        var counter = new SeedRowCounter(rowsWritten);
        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var pools = new KeyPools(database.Dialect, connection, schema);
            foreach (var table in plan.Tables)
            {
                await pools.LoadAsync(table.References.Where(r => r.Mode is not (ReferenceMode.Deferred or ReferenceMode.InRow)).Select(r => r.Key), cancellationToken).ConfigureAwait(false);
                var (ordinalBase, existing) = await OrdinalBaseAsync(database.Dialect, connection, table, phase, settings, cancellationToken).ConfigureAwait(false);
                summaries.Add(phase == SeedPhase.PreExisting
                    ? await SeedPreExistingAsync(database, connection, table, settings, pools, ordinalBase, existing, counter, cancellationToken).ConfigureAwait(false)
                    : await SeedLiveAsync(database, connection, table, table.CreateGenerator(settings.Seed, phase, pools, ordinalBase, existing), settings.Attacks, cancellationToken).ConfigureAwait(false));
                counter.TableDone(summaries[^1].Inserted);
            }

            // Only for pre-existing rows: in the live phase an UPDATE ... WHERE key IS NULL would also fill the NULLs
            // the attacks wrote on purpose, and give parents to pre-existing roots.
            if (phase == SeedPhase.PreExisting)
            {
                foreach (var deferred in plan.Deferred)
                {
                    await FillDeferredAsync(database.Dialect, connection, deferred, settings.Seed, phase, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return summaries;
    }

    private static string PhaseName(SeedPhase phase) => phase == SeedPhase.PreExisting ? "pre-existing" : "live";

    private static async Task<SeedTableSummary> SeedPreExistingAsync(
        IDatabaseInstance database, DbConnection connection, TablePlan plan, SeedSettings settings, KeyPools pools, long ordinalBase, long existing, SeedRowCounter counter, CancellationToken ct)
    {
        if (plan.RowCount == 0 || plan.Table.Columns.Count == 0)
        {
            return new SeedTableSummary(plan.Table.Name.ToString(), PhaseName(SeedPhase.PreExisting), 0, 0, 0, 0, null);
        }

        if (!plan.RowByRow && plan.Columns.Count > 0)
        {
            var generator = plan.CreateGenerator(settings.Seed, SeedPhase.PreExisting, pools, ordinalBase, existing);
            try
            {
                var written = await LoadPipelinedAsync(database.BulkLoader, connection, plan, generator, counter, ct).ConfigureAwait(false);
                return new SeedTableSummary(plan.Table.Name.ToString(), PhaseName(SeedPhase.PreExisting), written, 0, 0, 0, null);
            }
            catch (DbException)
            {
                // Fall through: the same rows again, one by one, so that refused rows are counted and the rest are kept.
            }
        }

        // Chunks: each is tried in bulk, and only a chunk the database refuses is written row by row, counting refusals.
        var rowGenerator = plan.CreateGenerator(settings.Seed, SeedPhase.PreExisting, pools, ordinalBase, existing);
        var inserter = new RowInserter(database.Dialect, connection, plan.Table, plan.Columns);
        await using (inserter.ConfigureAwait(false))
        {
            long bulk = 0;
            for (var start = 0; start < plan.RowCount; start += ChunkRows)
            {
                var chunk = new List<object?[]>(Math.Min(ChunkRows, plan.RowCount - start));
                for (var row = start; row < Math.Min(plan.RowCount, start + ChunkRows); row++)
                {
                    chunk.Add(rowGenerator.Next(row));
                }

                if (plan.Columns.Count > 0 && chunk.Count > 1)
                {
                    try
                    {
                        bulk += await database.BulkLoader.LoadAsync(connection, plan.Table, plan.Columns, chunk.ToAsyncEnumerable(), ct).ConfigureAwait(false);
                        counter.InTable(bulk + inserter.Inserted);
                        continue;
                    }
                    catch (DbException)
                    {
                        // This chunk holds rows the database refuses: write it row by row below.
                    }
                }

                foreach (var values in chunk)
                {
                    await inserter.TryInsertAsync(values, ct).ConfigureAwait(false);
                }

                counter.InTable(bulk + inserter.Inserted);
            }

            return new SeedTableSummary(plan.Table.Name.ToString(), PhaseName(SeedPhase.PreExisting), bulk + inserter.Inserted, 0, 0, inserter.Refused, inserter.FirstReason);
        }
    }

    /// <summary>Generates rows on a worker while the loader writes them, through a bounded channel.</summary>
    private static async Task<long> LoadPipelinedAsync(IBulkLoader loader, DbConnection connection, TablePlan plan, RowGenerator generator, SeedRowCounter counter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(generator);
        var channel = Channel.CreateBounded<object?[]>(new BoundedChannelOptions(8192) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    for (var row = 0; row < plan.RowCount; row++)
                    {
                        var values = generator.Next(row);
                        if (!channel.Writer.TryWrite(values))
                        {
                            await channel.Writer.WriteAsync(values, stop.Token).ConfigureAwait(false);
                        }
                    }

                    channel.Writer.TryComplete();
                }
                catch (Exception ex)
                {
                    channel.Writer.TryComplete(ex);
                }
            },
            CancellationToken.None);
        try
        {
            return await loader.LoadAsync(connection, plan.Table, plan.Columns, counter.Count(channel.Reader.ReadAllAsync(stop.Token)), ct).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
        }
    }

    private static async Task<SeedTableSummary> SeedLiveAsync(
        IDatabaseInstance database, DbConnection connection, TablePlan plan, RowGenerator generator, IReadOnlyList<string>? attacks, CancellationToken ct)
    {
        var dialect = database.Dialect;
        var table = plan.Table;
        var existing = new List<string?[]>();
        await foreach (var row in database.ReadRowsAsync(table, ct).ConfigureAwait(false))
        {
            existing.Add(row);
            if (existing.Count == ExistingSample)
            {
                break;
            }
        }

        // The same rows in the same order on every server (heap order differs after rewrites and vacuums).
        existing.Sort((a, b) =>
        {
            for (var i = 0; i < a.Length; i++)
            {
                var order = string.CompareOrdinal(a[i], b[i]);
                if (order != 0)
                {
                    return order;
                }
            }

            return 0;
        });
        long inserted = 0, refused = 0;
        string? reason = null;
        var adversarial = new List<SeedAttack>();
        var next = 0L;
        if (table.Columns.Count > 0)
        {
            var inserter = new RowInserter(dialect, connection, table, plan.Columns);
            await using (inserter.ConfigureAwait(false))
            {
                for (var row = 0; row < plan.RowCount; row++)
                {
                    await inserter.TryInsertAsync(generator.Next(next++, edges: false), ct).ConfigureAwait(false);
                }

                inserted = inserter.Inserted;
                refused = inserter.Refused;
                reason = inserter.FirstReason;

                var context = new AttackContext(plan.Columns, existing, table, generator) { Engine = database.Kind };
                var perAttack = plan.RowCount == 0 ? 0 : Math.Max(2, plan.RowCount / 2);
                foreach (var attack in plan.Attacks.Where(a => attacks is null || attacks.Contains(KindName(a.Kind))))
                {
                    long written = 0, failed = 0;
                    string? failure = null;
                    for (var n = 0; n < perAttack; n++)
                    {
                        var values = generator.Next(next++, edges: false);
                        if (!attack.Apply(context, values, n))
                        {
                            continue;
                        }

                        var error = await inserter.TryInsertAsync(values, ct).ConfigureAwait(false);
                        if (error is null)
                        {
                            written++;
                        }
                        else
                        {
                            failed++;
                            failure ??= error;
                        }
                    }

                    adversarial.Add(new SeedAttack(KindName(attack.Kind), attack.Columns, attack.Description, written, failed, failure));
                }

                inserted = inserter.Inserted;
            }
        }

        var (updated, deleted) = await ChangeExistingAsync(dialect, connection, plan, generator, existing, ct).ConfigureAwait(false);
        return new SeedTableSummary(table.Name.ToString(), PhaseName(SeedPhase.Live), inserted, updated, deleted, refused, reason, adversarial);
    }

    /// <summary>Report name of an attack kind (kebab case).</summary>
    public static string KindName(AttackKind kind) => kind switch
    {
        AttackKind.EnumLabel => "enum-label",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static async Task<(long Updated, long Deleted)> ChangeExistingAsync(IDialect dialect, DbConnection connection, TablePlan plan, RowGenerator generator, List<string?[]> existing, CancellationToken ct)
    {
        var table = plan.Table;
        if (table.PrimaryKey is not { } pk || existing.Count == 0)
        {
            return (0, 0);
        }

        var keyColumns = pk.Columns.Select(c => table.FindColumn(c)!).ToList();
        var keyIndexes = keyColumns.Select(c => table.IndexOf(c.Name)).ToList();
        var where = string.Join(" AND ", keyColumns.Select((c, i) => $"{dialect.QuoteIdentifier(c.Name)} = {dialect.ValueExpression(c, dialect.Parameter(i))}"));
        var fixedColumns = plan.References.SelectMany(r => r.Key.Columns).Concat(pk.Columns).ToHashSet(StringComparer.Ordinal);
        var updatable = Enumerable.Range(0, plan.Columns.Count)
            .Where(i => !plan.Rules[i].Unique && !fixedColumns.Contains(plan.Columns[i].Name) && plan.Checks.Comparisons.All(c => c.Left != plan.Columns[i].Name && c.Right != plan.Columns[i].Name))
            .ToList();
        var cap = (long)LiveChangeCap * Math.Max(1, plan.RowCount);
        long updated = 0, deleted = 0;
        var ordinal = 1_000_000L;
        foreach (var row in existing)
        {
            var roll = generator.Random.Int(0, 99);
            var key = keyIndexes.Select((index, i) => ValueGenerator.FromCanonical(keyColumns[i], row[index], dialect.Kind)).ToArray();
            if (roll < DeletePercent && deleted < cap)
            {
                if (await TryExecuteAsync(dialect, connection, $"DELETE FROM {dialect.QuoteName(table.Name)} WHERE {where}", key, ct).ConfigureAwait(false) is null)
                {
                    deleted++;
                }
            }
            else if (roll < DeletePercent + UpdatePercent && updatable.Count > 0 && updated < cap)
            {
                var set = string.Join(", ", updatable.Select((c, i) => $"{dialect.QuoteIdentifier(plan.Columns[c].Name)} = {dialect.ValueExpression(plan.Columns[c], dialect.Parameter(key.Length + i))}"));
                var values = key.Concat(generator.NextValues(ordinal++, updatable)).ToArray();
                if (await TryExecuteAsync(dialect, connection, $"UPDATE {dialect.QuoteName(table.Name)} SET {set} WHERE {where}", values, ct).ConfigureAwait(false) is null)
                {
                    updated++;
                }
            }
        }

        return (updated, deleted);
    }

    /// <summary>Fills a deferred foreign key (self-reference or cycle): most rows get a parent, some stay NULL.</summary>
    private static async Task FillDeferredAsync(IDialect dialect, DbConnection connection, DeferredReference deferred, int seed, SeedPhase phase, CancellationToken ct)
    {
        var table = deferred.Table;
        var key = table.PrimaryKey?.Columns ?? table.Uniques.FirstOrDefault(u => u.Columns.All(c => table.FindColumn(c)?.IsNullable == false))?.Columns;
        if (key is null)
        {
            return;
        }

        var parents = await KeyPools.ReadAsync(dialect, connection, deferred.Key.ReferencedTable, deferred.Key.ReferencedColumns, ct).ConfigureAwait(false);
        var targets = await KeyPools.ReadAsync(dialect, connection, table.Name, key, ct, whereNull: deferred.Key.Columns).ConfigureAwait(false);
        if (parents.Count == 0 || targets.Count == 0)
        {
            return;
        }

        var random = new Bogus.Randomizer(ValueGenerator.StableSeed(seed, table.Name + "/" + phase + "/deferred/" + deferred.Key.Shape));
        var fkColumns = deferred.Key.Columns.Select(c => table.FindColumn(c)!).ToList();
        var keyColumns = key.Select(c => table.FindColumn(c)!).ToList();
        var set = string.Join(", ", fkColumns.Select((c, i) => $"{dialect.QuoteIdentifier(c.Name)} = {dialect.ValueExpression(c, dialect.Parameter(i))}"));
        var where = string.Join(" AND ", keyColumns.Select((c, i) => $"{dialect.QuoteIdentifier(c.Name)} = {dialect.ValueExpression(c, dialect.Parameter(fkColumns.Count + i))}"));
        var sql = $"UPDATE {dialect.QuoteName(table.Name)} SET {set} WHERE {where}";
        var selfReference = deferred.Key.ReferencedTable == table.Name && deferred.Key.ReferencedColumns.SequenceEqual(key);
        for (var i = 0; i < targets.Count; i++)
        {
            if (random.Int(0, 9) == 0)
            {
                continue; // some rows keep NULL, as real data does (roots of a tree, unassigned rows)
            }

            // A self-reference points at an earlier row, so the data forms trees rather than loops.
            var parent = selfReference
                ? (i == 0 ? null : targets[random.Int(0, i - 1)])
                : parents[random.Int(0, parents.Count - 1)];
            if (parent is null)
            {
                continue;
            }

            await TryExecuteAsync(dialect, connection, sql, [.. parent, .. targets[i]], ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Unique ordinals start after the rows and the largest integer key already in the table (baseline inserts, or
    /// pre-existing rows in the live phase), so new rows do not collide with them.
    /// </summary>
    private static async Task<(long Base, long Rows)> OrdinalBaseAsync(IDialect dialect, DbConnection connection, TablePlan plan, SeedPhase phase, SeedSettings settings, CancellationToken ct)
    {
        var table = plan.Table;
        var parts = new List<string> { "COUNT(*)" };
        parts.AddRange(plan.Columns.Where((c, i) => plan.Rules[i].Unique && c.Family == TypeFamily.Integer).Select(c => $"MAX({dialect.QuoteIdentifier(c.Name)})"));
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = $"SELECT {string.Join(", ", parts)} FROM {dialect.QuoteName(table.Name)}";
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                long next = 0, rows = 0;
                if (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        if (!await reader.IsDBNullAsync(i, ct).ConfigureAwait(false)
                            && long.TryParse(System.Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                        {
                            next = Math.Max(next, value);
                            rows = i == 0 ? value : rows;
                        }
                    }
                }

                var planned = phase == SeedPhase.Live ? (SeedPlanner.Settings(settings, table).Rows ?? settings.Rows) : 0;
                return (next + planned + 1, rows);
            }
        }
    }

    /// <summary>Runs one statement in autocommit; returns null on success, else the server's message.</summary>
    private static async Task<string?> TryExecuteAsync(IDialect dialect, DbConnection connection, string sql, object?[] values, CancellationToken ct)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            for (var i = 0; i < values.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = dialect.Parameter(i);
                parameter.Value = values[i] ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }

            try
            {
                return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) > 0 ? null : "no row matched";
            }
            catch (DbException ex)
            {
                return ex.Message;
            }
        }
    }
}
