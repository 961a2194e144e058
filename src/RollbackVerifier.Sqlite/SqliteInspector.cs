using Microsoft.Data.Sqlite;
using RollbackVerifier.Model;

namespace RollbackVerifier.Sqlite;

/// <summary>
/// Reads a SQLite database's schema with a handful of set-based queries (sqlite_schema joined with the pragma
/// table-valued functions, see the Sql folder) inside one read transaction. What SQLite has no catalog for (CHECK
/// constraints, constraint names, collations, generated expressions, AUTOINCREMENT, deferrability, expression index
/// keys, partial-index predicates) is parsed from the stored CREATE statements by <see cref="SqliteDdl"/>. Internal
/// sqlite_% objects are never reported.
/// </summary>
public static class SqliteInspector
{
    private sealed record SchemaObject(string Type, string Name, string TableName, string? Sql, string TableKind);

    private sealed record ColumnRow(string Table, long Cid, string Name, string Type, bool NotNull, string? Default, long Pk, long Hidden);

    private sealed record IndexRow(string Table, string Index, bool Unique, string Origin, bool Partial, string? Sql, long Seqno, long Cid, string? Column, bool Descending, string? Collation);

    private sealed record ForeignKeyRow(string Table, long Id, long Seq, string ReferencedTable, string From, string? To, string OnUpdate, string OnDelete);

    /// <summary>Reads the schema of the main database of <paramref name="connection"/> (which must be open).</summary>
    public static async Task<SchemaSnapshot> InspectAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // A deferred (read) transaction: the queries see one consistent state of the schema.
        var transaction = connection.BeginTransaction(deferred: true);
        await using (transaction.ConfigureAwait(false))
        {
            var objects = await QueryAsync(connection, "objects.sql", r => new SchemaObject(r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4)), cancellationToken).ConfigureAwait(false);
            var columns = await QueryAsync(connection, "columns.sql", r => new ColumnRow(
                r.GetString(0), r.GetInt64(1), r.GetString(2), r.IsDBNull(3) ? string.Empty : r.GetString(3), r.GetInt64(4) != 0,
                r.IsDBNull(5) ? null : r.GetString(5), r.GetInt64(6), r.GetInt64(7)), cancellationToken).ConfigureAwait(false);
            var indexes = await QueryAsync(connection, "indexes.sql", r => new IndexRow(
                r.GetString(0), r.GetString(1), r.GetInt64(2) != 0, r.GetString(3), r.GetInt64(4) != 0, r.IsDBNull(5) ? null : r.GetString(5),
                r.GetInt64(6), r.GetInt64(7), r.IsDBNull(8) ? null : r.GetString(8), r.GetInt64(9) != 0, r.IsDBNull(10) ? null : r.GetString(10)), cancellationToken).ConfigureAwait(false);
            var foreignKeys = await QueryAsync(connection, "foreign_keys.sql", r => new ForeignKeyRow(
                r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetString(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5),
                r.GetString(6), r.GetString(7)), cancellationToken).ConfigureAwait(false);
            var sequenceRows = objects.Any(o => o.Type == "table" && o.Name == "sqlite_sequence")
                ? await QueryAsync(connection, "sequences.sql", r => (Name: r.GetString(0), Seq: r.IsDBNull(1) ? 0L : r.GetInt64(1)), cancellationToken).ConfigureAwait(false)
                : [];

            var visible = objects.Where(o => !o.Name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase) && o.TableKind != "shadow").ToList();
            var tableObjects = visible.Where(o => o.Type == "table").ToList();
            var columnsByTable = columns.ToLookup(c => c.Table, StringComparer.Ordinal);
            var virtualColumns = new Dictionary<string, List<ColumnRow>>(StringComparer.Ordinal);
            foreach (var table in tableObjects.Where(t => IsVirtual(t.Sql)))
            {
                virtualColumns[table.Name] = await VirtualTableColumnsAsync(connection, table.Name, cancellationToken).ConfigureAwait(false);
            }

            // Primary keys and column spellings of every table first: foreign keys need their parent's.
            var primaryKeys = tableObjects.ToDictionary(
                t => t.Name,
                t => ColumnsOf(t.Name).Where(c => c.Pk > 0).OrderBy(c => c.Pk).Select(c => c.Name).ToList(),
                StringComparer.OrdinalIgnoreCase);
            var columnSpellings = tableObjects.ToDictionary(
                t => t.Name,
                t => ColumnsOf(t.Name).GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Name, StringComparer.OrdinalIgnoreCase),
                StringComparer.OrdinalIgnoreCase);
            var tableNames = tableObjects.ToDictionary(t => t.Name, t => t.Name, StringComparer.OrdinalIgnoreCase);
            var indexesByTable = indexes.ToLookup(i => i.Table, StringComparer.Ordinal);
            var foreignKeysByTable = foreignKeys.ToLookup(f => f.Table, StringComparer.Ordinal);

            var tables = new List<Table>();
            var autoIncrementTables = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var tableObject in tableObjects)
            {
                var parsed = SafeParse(() => SqliteDdl.ParseTable(tableObject.Sql), new ParsedTable());
                var table = BuildTable(tableObject, parsed, ColumnsOf(tableObject.Name), indexesByTable[tableObject.Name], foreignKeysByTable[tableObject.Name], primaryKeys, columnSpellings, tableNames);
                tables.Add(table);
                if (table.Columns.FirstOrDefault(c => parsed.Columns.TryGetValue(c.Name, out var p) && p.IsAutoIncrement) is { } autoColumn)
                {
                    autoIncrementTables[tableObject.Name] = autoColumn.Name;
                }
            }

            var sequences = Sequences(sequenceRows, autoIncrementTables);
            var views = visible.Where(o => o.Type == "view")
                .Select(o => new View(ObjectName.Unqualified(o.Name), SafeParse(() => SqliteDdl.ParseViewDefinition(o.Sql), o.Sql ?? string.Empty), false));
            var triggers = visible.Where(o => o.Type == "trigger").Select(o =>
            {
                var parsed = SafeParse(() => SqliteDdl.ParseTrigger(o.Sql), new ParsedTrigger("BEFORE", string.Empty, o.Sql ?? string.Empty));
                return new Trigger(ObjectName.Unqualified(o.TableName), o.Name, parsed.Timing, parsed.Events, parsed.Definition, true);
            });

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return SchemaSnapshot.Create(tables, views, sequences, [], triggers, []);

            IEnumerable<ColumnRow> ColumnsOf(string table) => virtualColumns.TryGetValue(table, out var rows) ? rows : columnsByTable[table];
        }
    }

    private static Table BuildTable(
        SchemaObject tableObject,
        ParsedTable parsed,
        IEnumerable<ColumnRow> columnRows,
        IEnumerable<IndexRow> indexRows,
        IEnumerable<ForeignKeyRow> foreignKeyRows,
        Dictionary<string, List<string>> primaryKeys,
        Dictionary<string, Dictionary<string, string>> columnSpellings,
        Dictionary<string, string> tableNames)
    {
        var rows = columnRows.Where(c => c.Hidden != 1).OrderBy(c => c.Cid).ToList();
        var pkColumns = rows.Where(c => c.Pk > 0).OrderBy(c => c.Pk).ToList();
        var rowidAlias = !parsed.IsWithoutRowid && !parsed.IsVirtual && pkColumns.Count == 1
            && SqliteTypes.NormalizeDeclaredType(pkColumns[0].Type) == "INTEGER"
            && !(parsed.Columns.TryGetValue(pkColumns[0].Name, out var pkParsed) && pkParsed.IsPrimaryKeyDescending)
                ? pkColumns[0].Name
                : null;

        var columns = rows.Select((row, index) =>
        {
            var type = SqliteTypes.Parse(row.Type);
            parsed.Columns.TryGetValue(row.Name, out var parsedColumn);
            var generated = row.Hidden is 2 or 3
                ? (parsedColumn?.GeneratedExpression ?? "generated") + (row.Hidden == 3 ? " STORED" : " VIRTUAL")
                : null;
            var identity = parsedColumn?.IsAutoIncrement == true || row.Name == rowidAlias ? IdentityKind.AutoIncrement : IdentityKind.None;
            var collation = parsedColumn?.Collation is { } c && c != "BINARY" ? c : null;
            return new Column(
                row.Name, index + 1, type.DataType, type.Family, type.Length, type.Precision, type.Scale, !row.NotNull,
                row.Default is null ? null : SqlText.Normalize(row.Default), identity, generated, collation, ValueList<string>.Empty, null);
        }).ToList();

        var primaryKey = pkColumns.Count > 0 ? new PrimaryKey(parsed.PrimaryKeyName, pkColumns.Select(c => c.Name).ToValueList()) : null;
        var columnNames = columnSpellings.GetValueOrDefault(tableObject.Name) ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        var uniques = new List<UniqueConstraint>();
        var indexes = new List<TableIndex>();
        foreach (var group in indexRows.GroupBy(i => i.Index, StringComparer.Ordinal))
        {
            var keyRows = group.OrderBy(k => k.Seqno).ToList();
            var first = keyRows[0];
            if (first.Origin == "u")
            {
                var keyColumns = keyRows.Select(k => k.Column ?? "rowid").ToList();
                var name = parsed.Uniques.FirstOrDefault(u => u.Columns.SequenceEqual(keyColumns, StringComparer.OrdinalIgnoreCase))?.Name;
                uniques.Add(new UniqueConstraint(name, keyColumns.ToValueList(), false));
            }
            else if (first.Origin == "c")
            {
                var parsedIndex = SafeParse(() => SqliteDdl.ParseIndex(first.Sql), new ParsedIndex([], null));
                var keys = keyRows.Select(k => k.Cid == -2
                    ? new IndexKey(parsedIndex.Keys.ElementAtOrDefault((int)k.Seqno) ?? "<expression>", true, k.Descending, null, Collation(k.Collation))
                    : new IndexKey(k.Column ?? "rowid", false, k.Descending, null, Collation(k.Collation)));
                indexes.Add(new TableIndex(group.Key, keys.ToValueList(), ValueList<string>.Empty, first.Unique, first.Partial ? parsedIndex.Predicate : null, "btree", true, first.Sql));
            }
        }

        var unmatched = parsed.ForeignKeys.ToList();
        var foreignKeys = new List<ForeignKey>();
        foreach (var group in foreignKeyRows.GroupBy(f => f.Id).OrderBy(g => g.Key))
        {
            var pairs = group.OrderBy(f => f.Seq).ToList();
            var first = pairs[0];
            var referencedTable = tableNames.GetValueOrDefault(first.ReferencedTable) ?? first.ReferencedTable;
            var from = pairs.Select(p => columnNames.GetValueOrDefault(p.From) ?? p.From).ToList();
            var parentKey = primaryKeys.GetValueOrDefault(referencedTable) ?? [];
            var parentColumns = columnSpellings.GetValueOrDefault(referencedTable);
            var to = pairs
                .Select((p, i) => p.To ?? parentKey.ElementAtOrDefault(i) ?? string.Empty)
                .Select(t => parentColumns?.GetValueOrDefault(t) ?? t)
                .ToList();

            var parsedKey = unmatched.FirstOrDefault(p =>
                p.Columns.SequenceEqual(pairs.Select(x => x.From), StringComparer.OrdinalIgnoreCase)
                && string.Equals(p.ReferencedTable, first.ReferencedTable, StringComparison.OrdinalIgnoreCase));
            if (parsedKey is not null)
            {
                unmatched.Remove(parsedKey);
            }

            foreignKeys.Add(new ForeignKey(
                parsedKey?.Name, from.ToValueList(), ObjectName.Unqualified(referencedTable), to.ToValueList(),
                first.OnDelete.ToUpperInvariant(), first.OnUpdate.ToUpperInvariant(),
                parsedKey?.IsDeferrable ?? false, parsedKey?.IsInitiallyDeferred ?? false, true));
        }

        var checks = parsed.Checks.Select(c => new CheckConstraint(c.Name, c.Expression, true));
        return Table.Create(ObjectName.Unqualified(tableObject.Name), columns, primaryKey, foreignKeys, uniques, checks, indexes);
    }

    private static List<Sequence> Sequences(List<(string Name, long Seq)> sequenceRows, Dictionary<string, string> autoIncrementTables)
    {
        var counters = sequenceRows.GroupBy(r => r.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Max(r => r.Seq), StringComparer.Ordinal);
        return counters.Keys.Union(autoIncrementTables.Keys, StringComparer.Ordinal)
            .Select(table => new Sequence(
                ObjectName.Unqualified(table),
                SequenceKind.SqliteSequence,
                "INTEGER",
                1,
                1,
                null,
                null,
                false,
                autoIncrementTables.TryGetValue(table, out var column) ? table + "." + column : null,
                counters.TryGetValue(table, out var seq) ? seq + 1 : 1))
            .ToList();
    }

    private static string? Collation(string? collation) =>
        collation is null || collation.Equals("BINARY", StringComparison.OrdinalIgnoreCase) ? null : collation.ToUpperInvariant();

    private static bool IsVirtual(string? sql) => sql is not null && sql.StartsWith("CREATE VIRTUAL TABLE", StringComparison.OrdinalIgnoreCase);

    private static T SafeParse<T>(Func<T> parse, T fallback)
    {
        try
        {
            return parse();
        }
        catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException or InvalidOperationException)
        {
            return fallback;
        }
    }

    private static async Task<List<ColumnRow>> VirtualTableColumnsAsync(SqliteConnection connection, string table, CancellationToken cancellationToken)
    {
        try
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = SqlResources.Load("virtual_table_columns.sql");
                command.Parameters.AddWithValue("@table", table);
                var rows = new List<ColumnRow>();
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        rows.Add(new ColumnRow(
                            table, reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? string.Empty : reader.GetString(2), reader.GetInt64(3) != 0,
                            reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt64(5), reader.GetInt64(6)));
                    }
                }

                return rows;
            }
        }
        catch (SqliteException)
        {
            return []; // the virtual table's module is not available in this build of SQLite
        }
    }

    private static async Task<List<T>> QueryAsync<T>(SqliteConnection connection, string query, Func<SqliteDataReader, T> map, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = SqlResources.Load(query);
            var rows = new List<T>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(map(reader));
                }
            }

            return rows;
        }
    }
}
