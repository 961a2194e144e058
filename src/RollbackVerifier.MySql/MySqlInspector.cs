using System.Globalization;
using System.Text.RegularExpressions;
using MySqlConnector;
using RollbackVerifier.Model;

namespace RollbackVerifier.MySql;

/// <summary>
/// Reads the current database's schema from information_schema in a handful of set-based queries. The database
/// name is normalized away (each throwaway database has its own), integer display widths are dropped (MariaDB shows
/// int(11), MySQL 8 int), and a NULL default equals no default.
/// </summary>
internal static partial class MySqlInspector
{
    public static async Task<SchemaSnapshot> InspectAsync(MySqlConnection connection, string database, bool isMariaDb, CancellationToken ct)
    {
        var columns = await QueryAsync(connection, "columns.sql", ct).ConfigureAwait(false);
        var keys = await QueryAsync(connection, "keys.sql", ct).ConfigureAwait(false);
        var checks = await QueryAsync(connection, isMariaDb ? "checks.mariadb.sql" : "checks.mysql.sql", ct).ConfigureAwait(false);
        var indexes = await QueryAsync(connection, isMariaDb ? "indexes.mariadb.sql" : "indexes.mysql.sql", ct).ConfigureAwait(false);
        var tables = await QueryAsync(connection, "tables.sql", ct).ConfigureAwait(false);
        var views = await QueryAsync(connection, "views.sql", ct).ConfigureAwait(false);
        var triggers = await QueryAsync(connection, "triggers.sql", ct).ConfigureAwait(false);
        var routines = await QueryAsync(connection, "routines.sql", ct).ConfigureAwait(false);

        var columnsByTable = columns.GroupBy(r => Str(r, "TABLE_NAME")).ToDictionary(g => g.Key, g => g.Select(ToColumn).ToList(), StringComparer.Ordinal);
        var uniqueNames = keys.Where(r => Str(r, "CONSTRAINT_TYPE") == "UNIQUE").Select(r => (Str(r, "TABLE_NAME"), Str(r, "CONSTRAINT_NAME"))).ToHashSet();

        var result = new List<Table>();
        var sequences = new List<Sequence>();
        foreach (var tableRow in tables)
        {
            var name = Str(tableRow, "TABLE_NAME");
            var tableColumns = columnsByTable.GetValueOrDefault(name) ?? [];
            var tableKeys = keys.Where(r => Str(r, "TABLE_NAME") == name).GroupBy(r => Str(r, "CONSTRAINT_NAME")).ToList();
            PrimaryKey? pk = null;
            var fks = new List<ForeignKey>();
            var uniques = new List<UniqueConstraint>();
            foreach (var constraint in tableKeys)
            {
                var rows = constraint.ToList();
                var cols = rows.Select(r => Str(r, "COLUMN_NAME")).ToValueList();
                switch (Str(rows[0], "CONSTRAINT_TYPE"))
                {
                    case "PRIMARY KEY":
                        pk = new PrimaryKey("PRIMARY", cols);
                        break;
                    case "UNIQUE":
                        uniques.Add(new UniqueConstraint(constraint.Key, cols, false));
                        break;
                    default:
                        fks.Add(new ForeignKey(
                            constraint.Key,
                            cols,
                            ObjectName.Unqualified(Str(rows[0], "REFERENCED_TABLE_NAME")),
                            rows.Select(r => Str(r, "REFERENCED_COLUMN_NAME")).ToValueList(),
                            Str(rows[0], "DELETE_RULE"),
                            Str(rows[0], "UPDATE_RULE"),
                            false,
                            false,
                            true));
                        break;
                }
            }

            var tableChecks = checks.Where(r => Str(r, "TABLE_NAME") == name)
                .Select(r => new CheckConstraint(Str(r, "CONSTRAINT_NAME"), NormalizeExpression(Str(r, "CHECK_CLAUSE"), database), !r.TryGetValue("ENFORCED", out var e) || e is not "NO"))
                .ToList();

            var tableIndexes = indexes.Where(r => Str(r, "TABLE_NAME") == name && Str(r, "INDEX_NAME") != "PRIMARY" && !uniqueNames.Contains((name, Str(r, "INDEX_NAME"))))
                .GroupBy(r => Str(r, "INDEX_NAME"))
                .Select(g => ToIndex(g.Key, g.ToList(), database))
                .ToList();

            result.Add(Table.Create(ObjectName.Unqualified(name), tableColumns, pk, fks, uniques, tableChecks, tableIndexes));

            var autoColumn = tableColumns.FirstOrDefault(c => c.Identity == IdentityKind.AutoIncrement);
            if (autoColumn is not null)
            {
                sequences.Add(new Sequence(
                    ObjectName.Unqualified(name),
                    SequenceKind.AutoIncrement,
                    autoColumn.DataType,
                    null,
                    null,
                    null,
                    null,
                    false,
                    $"{name}.{autoColumn.Name}",
                    Long(tableRow, "AUTO_INCREMENT") ?? 1));
            }
        }

        var viewList = views.Select(r => new View(ObjectName.Unqualified(Str(r, "TABLE_NAME")), NormalizeExpression(Str(r, "VIEW_DEFINITION"), database), false));
        var triggerList = triggers.Select(r => new Trigger(
            ObjectName.Unqualified(Str(r, "EVENT_OBJECT_TABLE")),
            Str(r, "TRIGGER_NAME"),
            Str(r, "ACTION_TIMING"),
            Str(r, "EVENT_MANIPULATION"),
            NormalizeExpression(Str(r, "ACTION_STATEMENT"), database),
            true));
        var routineList = routines.Select(r => new Routine(
            ObjectName.Unqualified(Str(r, "ROUTINE_NAME")),
            Str(r, "ROUTINE_TYPE").ToLowerInvariant(),
            (r.GetValueOrDefault("SIGNATURE") ?? string.Empty) + (r.GetValueOrDefault("DTD_IDENTIFIER") is { Length: > 0 } ret ? " returns " + ret : string.Empty),
            NormalizeExpression(Str(r, "ROUTINE_DEFINITION"), database)));

        return SchemaSnapshot.Create(result, viewList, sequences, [], triggerList, routineList);
    }

    private static Column ToColumn(Dictionary<string, string?> r)
    {
        var dataType = Str(r, "DATA_TYPE").ToLowerInvariant();
        var columnType = NormalizeType(Str(r, "COLUMN_TYPE"));
        var extra = Str(r, "EXTRA").ToLowerInvariant();
        var family = Family(dataType, columnType);
        var generation = r.GetValueOrDefault("GENERATION_EXPRESSION");
        string? generated = null;
        if (!string.IsNullOrWhiteSpace(generation))
        {
            generated = CollapseWhitespace(generation.Replace("`", string.Empty, StringComparison.Ordinal)) + (extra.Contains("stored", StringComparison.Ordinal) ? " STORED" : " VIRTUAL");
        }

        var rawDefault = r.GetValueOrDefault("COLUMN_DEFAULT");
        var @default = rawDefault is null || string.Equals(rawDefault, "NULL", StringComparison.OrdinalIgnoreCase) || generated is not null ? null : rawDefault;
        var onUpdate = OnUpdate().Match(extra);
        if (onUpdate.Success)
        {
            @default = (@default ?? "NULL") + " " + onUpdate.Value;
        }

        var collation = r.GetValueOrDefault("COLLATION_NAME");
        var tableCollation = r.GetValueOrDefault("TABLE_COLLATION");
        var isText = family is TypeFamily.Text or TypeFamily.Enum;
        int? length = dataType is "char" or "varchar" or "binary" or "varbinary" ? (int?)Long(r, "CHARACTER_MAXIMUM_LENGTH") : null;

        return new Column(
            Str(r, "COLUMN_NAME"),
            (int)(Long(r, "ORDINAL_POSITION") ?? 0),
            columnType,
            family,
            length,
            family == TypeFamily.Decimal ? (int?)Long(r, "NUMERIC_PRECISION") : family is TypeFamily.Timestamp or TypeFamily.Time ? (int?)Long(r, "DATETIME_PRECISION") : null,
            family == TypeFamily.Decimal ? (int?)Long(r, "NUMERIC_SCALE") : null,
            Str(r, "IS_NULLABLE") == "YES",
            @default,
            extra.Contains("auto_increment", StringComparison.Ordinal) ? IdentityKind.AutoIncrement : IdentityKind.None,
            generated,
            isText && collation is not null && collation != tableCollation ? collation : null,
            family == TypeFamily.Enum ? EnumLabels(columnType).ToValueList() : ValueList<string>.Empty,
            null);
    }

    private static TypeFamily Family(string dataType, string columnType) => dataType switch
    {
        "tinyint" or "smallint" or "mediumint" or "int" or "integer" or "bigint" or "year" or "bit" => TypeFamily.Integer,
        "decimal" or "numeric" => TypeFamily.Decimal,
        "float" or "double" or "real" => TypeFamily.Float,
        "char" or "varchar" or "tinytext" or "text" or "mediumtext" or "longtext" => TypeFamily.Text,
        "binary" or "varbinary" or "tinyblob" or "blob" or "mediumblob" or "longblob" => TypeFamily.Binary,
        "date" => TypeFamily.Date,
        "time" => TypeFamily.Time,
        "datetime" or "timestamp" => TypeFamily.Timestamp,
        "json" => TypeFamily.Json,
        "enum" or "set" => TypeFamily.Enum,
        "uuid" => TypeFamily.Uuid,
        _ => columnType.StartsWith("bool", StringComparison.Ordinal) ? TypeFamily.Integer : TypeFamily.Other,
    };

    /// <summary>Drops integer display widths (MariaDB's int(11)) except tinyint(1), the boolean convention.</summary>
    private static string NormalizeType(string columnType)
    {
        var type = columnType.ToLowerInvariant().Trim();
        return type.StartsWith("tinyint(1)", StringComparison.Ordinal) ? type : DisplayWidth().Replace(type, "$1");
    }

    private static IEnumerable<string> EnumLabels(string columnType)
    {
        var open = columnType.IndexOf('(', StringComparison.Ordinal);
        var close = columnType.LastIndexOf(')');
        if (open < 0 || close <= open)
        {
            yield break;
        }

        var body = columnType[(open + 1)..close];
        var current = new System.Text.StringBuilder();
        var inQuote = false;
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == '\'')
            {
                if (inQuote && i + 1 < body.Length && body[i + 1] == '\'')
                {
                    current.Append('\'');
                    i++;
                    continue;
                }

                if (inQuote)
                {
                    yield return current.ToString();
                    current.Clear();
                }

                inQuote = !inQuote;
                continue;
            }

            if (inQuote)
            {
                current.Append(c);
            }
        }
    }

    private static TableIndex ToIndex(string name, List<Dictionary<string, string?>> parts, string database)
    {
        var keys = parts.Select(p =>
        {
            var column = p.GetValueOrDefault("COLUMN_NAME");
            var expression = p.GetValueOrDefault("EXPRESSION");
            var subPart = Long(p, "SUB_PART");
            var text = column is null ? NormalizeExpression(expression ?? "?", database) : column + (subPart is { } n ? $"({n})" : string.Empty);
            return new IndexKey(text, column is null, p.GetValueOrDefault("COLLATION") == "D", null, null);
        }).ToValueList();
        var unique = Str(parts[0], "NON_UNIQUE") == "0";
        var method = Str(parts[0], "INDEX_TYPE");
        return new TableIndex(name, keys, ValueList<string>.Empty, unique, null, method, true, (string?)null);
    }

    /// <summary>Removes the database qualifier and backticks and collapses whitespace, so definitions compare across databases.</summary>
    internal static string NormalizeExpression(string text, string database) =>
        CollapseWhitespace(text.Replace("`" + database + "`.", string.Empty, StringComparison.Ordinal).Replace("`", string.Empty, StringComparison.Ordinal));

    private static string CollapseWhitespace(string text) => Whitespace().Replace(text, " ").Trim();

    private static async Task<List<Dictionary<string, string?>>> QueryAsync(MySqlConnection connection, string file, CancellationToken ct)
    {
        var command = new MySqlCommand(SqlResources.Get(file), connection);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("@marker", MySqlServer.MarkerTable);
            var rows = new List<Dictionary<string, string?>>();
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var row = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i) is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
                    }

                    rows.Add(row);
                }
            }

            return rows;
        }
    }

    private static string Str(Dictionary<string, string?> row, string key) => row.GetValueOrDefault(key) ?? string.Empty;

    private static long? Long(Dictionary<string, string?> row, string key) =>
        row.GetValueOrDefault(key) is { } text && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\b(tinyint|smallint|mediumint|int|integer|bigint)\(\d+\)")]
    private static partial Regex DisplayWidth();

    [GeneratedRegex(@"on update [a-z_]+(\(\d*\))?")]
    private static partial Regex OnUpdate();
}
