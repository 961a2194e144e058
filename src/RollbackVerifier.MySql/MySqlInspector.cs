using System.Globalization;
using System.Text;
using MySqlConnector;
using RollbackVerifier.Model;

namespace RollbackVerifier.MySql;

/// <summary>
/// Reads one database's schema from information_schema in one batch of set-based queries (embedded under Sql/), one
/// per object kind (plus one UNION ALL over MariaDB sequences), with MySQL 8 / MariaDB branches where the catalogs differ. Everything is unqualified (the database
/// is the scope) and the database name is normalized out of definitions, so the same schema in two throwaway databases
/// gives equal snapshots. The marker table is never reported. See <see cref="MySqlTypes"/> for the normalization rules.
/// <para>
/// Keys: PRIMARY is the primary key; a unique index over whole columns, ascending, B-tree and visible is a
/// <see cref="UniqueConstraint"/> (MySQL lists every unique index as a UNIQUE constraint in TABLE_CONSTRAINTS); any other
/// unique index (prefix, expression, descending, hash, invisible) stays a unique <see cref="TableIndex"/> so those details
/// are compared. Index methods are INDEX_TYPE (BTREE, HASH, FULLTEXT, SPATIAL) with " INVISIBLE" appended for invisible
/// (MariaDB: ignored) indexes. AUTO_INCREMENT counters are <see cref="SequenceKind.AutoIncrement"/> sequences named after
/// the table; MariaDB SEQUENCE objects are <see cref="SequenceKind.Sequence"/> sequences whose NextValue is
/// next_not_cached_value: exact for NOCACHE sequences, otherwise the end of the block the server has reserved (an
/// upper bound that still only grows while values are handed out and drops when the sequence is restarted or
/// re-created; the exact in-memory position cannot be read without consuming a value).
/// </para>
/// </summary>
internal static class MySqlInspector
{
    private const string SequenceType = "SEQUENCE";

    public static async Task<SchemaSnapshot> InspectAsync(MySqlConnection connection, string database, bool isMariaDb, CancellationToken ct)
    {
        // One batch, one round trip; the MySQL 8 / MariaDB variants differ only where the catalogs do.
        var results = await QueryAsync(
            connection,
            database,
            ct,
            "tables.sql",
            "columns.sql",
            isMariaDb ? "indexes.mariadb.sql" : "indexes.mysql.sql",
            "foreign_keys.sql",
            isMariaDb ? "checks.mariadb.sql" : "checks.mysql.sql",
            "views.sql",
            "triggers.sql",
            "routines.sql",
            "parameters.sql").ConfigureAwait(false);
        var (tables, columns, indexes, foreignKeys, checks) = (results[0], results[1], results[2], results[3], results[4]);
        var (views, triggers, routines, parameters) = (results[5], results[6], results[7], results[8]);
        var sequenceNames = tables.Where(r => Str(r, "TABLE_TYPE") == SequenceType).Select(r => Str(r, "TABLE_NAME")).ToList();
        var sequenceRows = sequenceNames.Count == 0 ? [] : await QuerySequencesAsync(connection, sequenceNames, ct).ConfigureAwait(false);

        // MariaDB's JSON is LONGTEXT with an implicit column-level CHECK (json_valid(`col`)) named after the column.
        var jsonColumns = new HashSet<(string Table, string Column)>();
        if (isMariaDb)
        {
            foreach (var check in checks.Where(r => Str(r, "LEVEL") == "Column"))
            {
                var column = Str(check, "CONSTRAINT_NAME");
                if (Str(check, "CHECK_CLAUSE") == "json_valid(`" + column.Replace("`", "``", StringComparison.Ordinal) + "`)")
                {
                    jsonColumns.Add((Str(check, "TABLE_NAME"), column));
                }
            }
        }

        var columnsByTable = Group(columns);
        var indexesByTable = Group(indexes);
        var foreignKeysByTable = Group(foreignKeys);
        var checksByTable = Group(checks);

        var result = new List<Table>();
        var sequences = new List<Sequence>();
        foreach (var tableRow in tables.Where(r => Str(r, "TABLE_TYPE") != SequenceType))
        {
            var name = Str(tableRow, "TABLE_NAME");
            var tableColumns = columnsByTable.GetValueOrDefault(name, [])
                .Select(r => ToColumn(r, database, isMariaDb, jsonColumns.Contains((name, Str(r, "COLUMN_NAME")))))
                .ToList();

            PrimaryKey? primaryKey = null;
            var uniques = new List<UniqueConstraint>();
            var tableIndexes = new List<TableIndex>();
            foreach (var index in indexesByTable.GetValueOrDefault(name, []).GroupBy(r => Str(r, "INDEX_NAME"), StringComparer.Ordinal))
            {
                var parts = index.OrderBy(r => Long(r, "SEQ_IN_INDEX")).ToList();
                if (index.Key == "PRIMARY")
                {
                    primaryKey = new PrimaryKey("PRIMARY", parts.Select(p => Str(p, "COLUMN_NAME")).ToValueList());
                }
                else if (IsUniqueConstraint(parts))
                {
                    uniques.Add(new UniqueConstraint(index.Key, parts.Select(p => Str(p, "COLUMN_NAME")).ToValueList(), false));
                }
                else
                {
                    tableIndexes.Add(ToIndex(name, index.Key, parts, database));
                }
            }

            var tableForeignKeys = foreignKeysByTable.GetValueOrDefault(name, [])
                .GroupBy(r => Str(r, "CONSTRAINT_NAME"), StringComparer.Ordinal)
                .Select(g => ToForeignKey(g.Key, g.OrderBy(r => Long(r, "ORDINAL_POSITION")).ToList(), database));

            var tableChecks = checksByTable.GetValueOrDefault(name, [])
                .Where(r => !(Str(r, "LEVEL") == "Column" && jsonColumns.Contains((name, Str(r, "CONSTRAINT_NAME")))))
                .Select(r => new CheckConstraint(
                    Str(r, "CONSTRAINT_NAME"),
                    MySqlTypes.NormalizeExpression(Str(r, "CHECK_CLAUSE"), database),
                    !string.Equals(Str(r, "ENFORCED"), "NO", StringComparison.OrdinalIgnoreCase)));

            result.Add(Table.Create(ObjectName.Unqualified(name), tableColumns, primaryKey, tableForeignKeys, uniques, tableChecks, tableIndexes));

            // A table has at most one AUTO_INCREMENT column; its counter is the table's.
            if (tableColumns.FirstOrDefault(c => c.Identity == IdentityKind.AutoIncrement) is { } auto)
            {
                sequences.Add(new Sequence(
                    ObjectName.Unqualified(name),
                    SequenceKind.AutoIncrement,
                    auto.DataType,
                    null,
                    null,
                    null,
                    null,
                    false,
                    $"{name}.{auto.Name}",
                    Long(tableRow, "AUTO_INCREMENT") ?? 1));
            }
        }

        sequences.AddRange(sequenceRows.Select(ToSequence));

        var viewList = views.Select(r => new View(ObjectName.Unqualified(Str(r, "TABLE_NAME")), ViewDefinition(r, database), false));

        var triggerList = triggers.Select(r => new Trigger(
            ObjectName.Unqualified(Str(r, "EVENT_OBJECT_TABLE")),
            Str(r, "TRIGGER_NAME"),
            Str(r, "ACTION_TIMING"),
            Str(r, "EVENT_MANIPULATION") + (Long(r, "ACTION_ORDER") is > 1 and var order ? $" (order {order})" : string.Empty),
            MySqlTypes.NormalizeExpression(Str(r, "ACTION_STATEMENT"), database),
            true));

        var parametersByRoutine = parameters
            .GroupBy(r => (Str(r, "SPECIFIC_NAME"), Str(r, "ROUTINE_TYPE")))
            .ToDictionary(g => g.Key, g => g.OrderBy(r => Long(r, "ORDINAL_POSITION")).ToList());
        var routineList = routines.Select(r => ToRoutine(r, parametersByRoutine.GetValueOrDefault((Str(r, "SPECIFIC_NAME"), Str(r, "ROUTINE_TYPE"))) ?? [], database));

        return SchemaSnapshot.Create(result, viewList, sequences, [], triggerList, routineList);
    }

    private static Column ToColumn(Dictionary<string, string?> r, string database, bool isMariaDb, bool isMariaDbJson)
    {
        var dataType = Str(r, "DATA_TYPE").ToLowerInvariant();
        var columnType = MySqlTypes.NormalizeType(Str(r, "COLUMN_TYPE"));
        if (isMariaDbJson)
        {
            dataType = "json";
            columnType = "json";
        }

        var extra = Str(r, "EXTRA");
        var family = MySqlTypes.Family(dataType);
        string? generated = null;
        if (r.GetValueOrDefault("GENERATION_EXPRESSION") is { Length: > 0 } expression)
        {
            generated = MySqlTypes.NormalizeExpression(expression, database)
                + (extra.Contains("STORED", StringComparison.OrdinalIgnoreCase) ? " STORED" : " VIRTUAL");
        }

        var collation = r.GetValueOrDefault("COLLATION_NAME");
        if (family == TypeFamily.Json || string.Equals(collation, r.GetValueOrDefault("DATABASE_COLLATION"), StringComparison.Ordinal))
        {
            collation = null;
        }

        int? precision = family switch
        {
            TypeFamily.Decimal => ToInt(Long(r, "NUMERIC_PRECISION")),
            TypeFamily.Time or TypeFamily.Timestamp => ToInt(Long(r, "DATETIME_PRECISION")),
            _ => null,
        };
        int? length = MySqlTypes.HasLength(dataType) ? ToInt(Long(r, "CHARACTER_MAXIMUM_LENGTH"))
            : dataType == "bit" ? ToInt(Long(r, "NUMERIC_PRECISION"))
            : null;

        return new Column(
            Str(r, "COLUMN_NAME"),
            (int)(Long(r, "ORDINAL_POSITION") ?? 0),
            columnType,
            family,
            length,
            precision,
            family == TypeFamily.Decimal ? ToInt(Long(r, "NUMERIC_SCALE")) : null,
            Str(r, "IS_NULLABLE") == "YES",
            generated is null ? MySqlTypes.NormalizeDefault(r.GetValueOrDefault("COLUMN_DEFAULT"), extra, family, isMariaDb, database) : null,
            extra.Contains("auto_increment", StringComparison.OrdinalIgnoreCase) ? IdentityKind.AutoIncrement : IdentityKind.None,
            generated,
            collation,
            family == TypeFamily.Enum ? MySqlTypes.EnumLabels(columnType).ToValueList() : ValueList<string>.Empty,
            null);
    }

    private static bool IsUniqueConstraint(List<Dictionary<string, string?>> parts) =>
        Str(parts[0], "NON_UNIQUE") == "0"
        && Str(parts[0], "INDEX_TYPE") == "BTREE"
        && !IsTrue(parts[0], "INVISIBLE")
        && parts.All(p => p.GetValueOrDefault("COLUMN_NAME") is not null && p.GetValueOrDefault("SUB_PART") is null && p.GetValueOrDefault("COLLATION") != "D");

    private static TableIndex ToIndex(string table, string name, List<Dictionary<string, string?>> parts, string database)
    {
        var keys = parts.Select(p =>
        {
            var column = p.GetValueOrDefault("COLUMN_NAME");
            var text = column is null
                ? MySqlTypes.NormalizeExpression(p.GetValueOrDefault("EXPRESSION"), database)
                : column + (Long(p, "SUB_PART") is { } prefix ? "(" + prefix.ToString(CultureInfo.InvariantCulture) + ")" : string.Empty);
            return new IndexKey(text, column is null, p.GetValueOrDefault("COLLATION") == "D", null, null);
        }).ToValueList();
        var unique = Str(parts[0], "NON_UNIQUE") == "0";
        var type = Str(parts[0], "INDEX_TYPE");
        var method = type + (IsTrue(parts[0], "INVISIBLE") ? " INVISIBLE" : string.Empty);
        var kind = unique ? "UNIQUE INDEX" : type is "FULLTEXT" or "SPATIAL" ? type + " INDEX" : "INDEX";
        var definition = $"CREATE {kind} {Quote(name)} ON {Quote(table)} ("
            + string.Join(", ", keys.Select(k => (k.IsExpression ? "(" + k.Expression + ")" : k.Expression) + (k.Descending ? " DESC" : string.Empty)))
            + ")" + (type is "BTREE" or "FULLTEXT" or "SPATIAL" ? string.Empty : " USING " + type)
            + (IsTrue(parts[0], "INVISIBLE") ? " INVISIBLE" : string.Empty);
        return new TableIndex(name, keys, ValueList<string>.Empty, unique, null, method, true, definition);
    }

    private static ForeignKey ToForeignKey(string name, List<Dictionary<string, string?>> rows, string database)
    {
        var first = rows[0];
        var referencedSchema = Str(first, "REFERENCED_TABLE_SCHEMA");
        var referencedTable = referencedSchema.Length == 0 || referencedSchema == database
            ? ObjectName.Unqualified(Str(first, "REFERENCED_TABLE_NAME"))
            : new ObjectName(referencedSchema, Str(first, "REFERENCED_TABLE_NAME"));
        return new ForeignKey(
            name,
            rows.Select(r => Str(r, "COLUMN_NAME")).ToValueList(),
            referencedTable,
            rows.Select(r => Str(r, "REFERENCED_COLUMN_NAME")).ToValueList(),
            Str(first, "DELETE_RULE"),
            Str(first, "UPDATE_RULE"),
            false,
            false,
            true);
    }

    /// <summary>The normalized SELECT, then WITH ... CHECK OPTION and SQL SECURITY INVOKER where they apply.</summary>
    private static string ViewDefinition(Dictionary<string, string?> r, string database)
    {
        var text = MySqlTypes.NormalizeExpression(Str(r, "VIEW_DEFINITION"), database);
        var checkOption = Str(r, "CHECK_OPTION");
        if (checkOption.Length > 0 && checkOption != "NONE")
        {
            text += $" WITH {checkOption} CHECK OPTION";
        }

        if (Str(r, "SECURITY_TYPE") == "INVOKER")
        {
            text += " SQL SECURITY INVOKER";
        }

        return text;
    }

    /// <summary>
    /// Signature: "(IN a int, OUT b varchar(20))" for procedures, "(a int) returns int" for functions (parameter types
    /// without display widths). Definition: the non-default characteristics, then the normalized body.
    /// </summary>
    private static Routine ToRoutine(Dictionary<string, string?> r, List<Dictionary<string, string?>> parameters, string database)
    {
        var type = Str(r, "ROUTINE_TYPE");
        var isFunction = type == "FUNCTION";
        var signature = new StringBuilder("(");
        signature.AppendJoin(", ", parameters.Select(p =>
            (isFunction || p.GetValueOrDefault("PARAMETER_MODE") is not { Length: > 0 } mode ? string.Empty : mode + " ")
            + Str(p, "PARAMETER_NAME") + " " + MySqlTypes.NormalizeType(Str(p, "DTD_IDENTIFIER"))));
        signature.Append(')');
        if (isFunction)
        {
            signature.Append(" returns ").Append(MySqlTypes.NormalizeType(Str(r, "DTD_IDENTIFIER")));
        }

        var characteristics = new List<string>();
        if (Str(r, "IS_DETERMINISTIC") == "YES")
        {
            characteristics.Add("DETERMINISTIC");
        }

        if (Str(r, "SQL_DATA_ACCESS") is { Length: > 0 } access && access != "CONTAINS SQL")
        {
            characteristics.Add(access);
        }

        if (Str(r, "SECURITY_TYPE") == "INVOKER")
        {
            characteristics.Add("SQL SECURITY INVOKER");
        }

        characteristics.Add(MySqlTypes.NormalizeExpression(Str(r, "ROUTINE_DEFINITION"), database));
        return new Routine(ObjectName.Unqualified(Str(r, "ROUTINE_NAME")), type.ToLowerInvariant(), signature.ToString(), string.Join(" ", characteristics));
    }

    private static Sequence ToSequence(Dictionary<string, string?> r)
    {
        var min = Long(r, "minimum_value");
        var max = Long(r, "maximum_value");
        var increment = Long(r, "increment");
        return new Sequence(
            ObjectName.Unqualified(Str(r, "SEQUENCE_NAME")),
            SequenceKind.Sequence,
            "bigint",
            Long(r, "start_value"),
            increment,
            min,
            max,
            Str(r, "cycle_option") == "1",
            null,
            Long(r, "next_not_cached_value"));
    }

    /// <summary>MariaDB 10.11 has no catalog of sequence options; each sequence is read as a one-row table, all in one query.</summary>
    private static async Task<List<Dictionary<string, string?>>> QuerySequencesAsync(MySqlConnection connection, List<string> names, CancellationToken ct)
    {
        var command = new MySqlCommand { Connection = connection };
        await using (command.ConfigureAwait(false))
        {
            var text = new StringBuilder();
            for (var i = 0; i < names.Count; i++)
            {
                var parameter = "@s" + i.ToString(CultureInfo.InvariantCulture);
                command.Parameters.AddWithValue(parameter, names[i]);
                text.Append(i == 0 ? string.Empty : " UNION ALL ")
                    .Append("SELECT ").Append(parameter)
                    .Append(" AS SEQUENCE_NAME, start_value, increment, minimum_value, maximum_value, cycle_option, next_not_cached_value FROM ")
                    .Append(Quote(names[i]));
            }

            command.CommandText = text.ToString();
            return (await ReadAsync(command, 1, ct).ConfigureAwait(false))[0];
        }
    }

    /// <summary>Runs the embedded queries as one batch (parameters @db and @marker) and returns their rows in order.</summary>
    private static async Task<List<List<Dictionary<string, string?>>>> QueryAsync(MySqlConnection connection, string database, CancellationToken ct, params string[] files)
    {
        var text = string.Join(";\n", files.Select(f => SqlResources.Get(f).TrimEnd().TrimEnd(';')));
        var command = new MySqlCommand(text, connection);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("@db", database);
            command.Parameters.AddWithValue("@marker", MySqlServer.MarkerTable);
            return await ReadAsync(command, files.Length, ct).ConfigureAwait(false);
        }
    }

    private static async Task<List<List<Dictionary<string, string?>>>> ReadAsync(MySqlCommand command, int resultSets, CancellationToken ct)
    {
        var results = new List<List<Dictionary<string, string?>>>(resultSets);
        var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            do
            {
                var rows = new List<Dictionary<string, string?>>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var row = new Dictionary<string, string?>(reader.FieldCount, StringComparer.OrdinalIgnoreCase);
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i) switch
                        {
                            byte[] bytes => Encoding.UTF8.GetString(bytes),
                            bool b => b ? "1" : "0",
                            var value => Convert.ToString(value, CultureInfo.InvariantCulture),
                        };
                    }

                    rows.Add(row);
                }

                results.Add(rows);
            }
            while (await reader.NextResultAsync(ct).ConfigureAwait(false));
        }

        if (results.Count != resultSets)
        {
            throw new InvalidOperationException($"expected {resultSets} result sets from the catalog batch, got {results.Count}");
        }

        return results;
    }

    private static Dictionary<string, List<Dictionary<string, string?>>> Group(List<Dictionary<string, string?>> rows) =>
        rows.GroupBy(r => Str(r, "TABLE_NAME"), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

    private static string Str(Dictionary<string, string?> row, string key) => row.GetValueOrDefault(key) ?? string.Empty;

    private static long? Long(Dictionary<string, string?> row, string key) =>
        row.GetValueOrDefault(key) is { } text && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static bool IsTrue(Dictionary<string, string?> row, string key) => row.GetValueOrDefault(key) is "1" or "YES";

    private static int? ToInt(long? value) => value is { } v && v <= int.MaxValue ? (int)v : null;

    private static string Quote(string identifier) => MySqlDialect.Quote(identifier);
}
