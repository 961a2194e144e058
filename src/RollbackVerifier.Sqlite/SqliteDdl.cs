namespace RollbackVerifier.Sqlite;

/// <summary>What the catalogs do not say about a column, read from its CREATE TABLE text.</summary>
internal sealed class ParsedColumn(string name)
{
    public string Name { get; } = name;

    public string? Collation { get; set; }

    public string? GeneratedExpression { get; set; }

    public bool IsPrimaryKey { get; set; }

    public bool IsPrimaryKeyDescending { get; set; }

    public bool IsAutoIncrement { get; set; }
}

internal sealed record ParsedCheck(string? Name, string Expression);

internal sealed record ParsedUnique(string? Name, IReadOnlyList<string> Columns);

internal sealed record ParsedForeignKey(string? Name, IReadOnlyList<string> Columns, string ReferencedTable, bool IsDeferrable, bool IsInitiallyDeferred);

/// <summary>The parts of a CREATE TABLE statement that SQLite has no catalog for.</summary>
internal sealed class ParsedTable
{
    public Dictionary<string, ParsedColumn> Columns { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? PrimaryKeyName { get; set; }

    public bool IsWithoutRowid { get; set; }

    public bool IsVirtual { get; set; }

    public List<ParsedCheck> Checks { get; } = [];

    public List<ParsedUnique> Uniques { get; } = [];

    public List<ParsedForeignKey> ForeignKeys { get; } = [];
}

/// <summary>The parts of a CREATE INDEX statement: key texts (expression keys) and the partial-index predicate.</summary>
internal sealed record ParsedIndex(IReadOnlyList<string> Keys, string? Predicate);

/// <summary>Timing and events of a CREATE TRIGGER statement, and its normalized text after the trigger name.</summary>
internal sealed record ParsedTrigger(string Timing, string Events, string Definition);

/// <summary>
/// Reads the CREATE statements SQLite stores in sqlite_schema.sql. Only what the catalogs (pragmas) do not expose is
/// taken from the text: CHECK constraints, constraint names, collations, generated expressions, AUTOINCREMENT,
/// deferrability, expression index keys and partial-index predicates. Parsing is tolerant: text it does not
/// understand is skipped, never an error.
/// </summary>
internal static class SqliteDdl
{
    private static readonly HashSet<string> ColumnConstraintStarts = new(StringComparer.OrdinalIgnoreCase)
    {
        "CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE", "REFERENCES", "GENERATED", "AS",
    };

    public static ParsedTable ParseTable(string? sql)
    {
        var table = new ParsedTable();
        if (string.IsNullOrWhiteSpace(sql))
        {
            return table;
        }

        var tokens = SqlText.Tokenize(sql);
        table.IsVirtual = tokens.Count > 1 && tokens[1].IsWord("VIRTUAL");
        var open = AfterObjectName(tokens, "TABLE");
        if (table.IsVirtual || open >= tokens.Count || !tokens[open].IsPunctuation('('))
        {
            return table; // CREATE TABLE ... AS SELECT, or a virtual table: no constraints to read.
        }

        var close = SqlText.SkipGroup(tokens, open) - 1;
        for (var i = close + 1; i < tokens.Count - 1; i++)
        {
            if (tokens[i].IsWord("WITHOUT") && tokens[i + 1].IsWord("ROWID"))
            {
                table.IsWithoutRowid = true;
            }
        }

        foreach (var (start, end) in SqlText.SplitTopLevel(tokens, open + 1, close))
        {
            var first = tokens[start];
            if (first.Kind == SqlTokenKind.Word && (first.IsWord("CONSTRAINT") || first.IsWord("PRIMARY") || first.IsWord("UNIQUE")
                || first.IsWord("CHECK") || first.IsWord("FOREIGN")))
            {
                ParseTableConstraint(tokens, start, end, table);
            }
            else if (first.IsName || first.Kind == SqlTokenKind.String)
            {
                ParseColumn(tokens, start, end, table);
            }
        }

        return table;
    }

    public static ParsedIndex ParseIndex(string? sql)
    {
        if (string.IsNullOrWhiteSpace(sql))
        {
            return new ParsedIndex([], null);
        }

        var tokens = SqlText.Tokenize(sql);
        var on = AfterObjectName(tokens, "INDEX");
        if (on >= tokens.Count || !tokens[on].IsWord("ON"))
        {
            return new ParsedIndex([], null);
        }

        var open = on + 2;
        if (open < tokens.Count && tokens[open].IsPunctuation('.'))
        {
            open += 2; // schema-qualified table name
        }

        if (open >= tokens.Count || !tokens[open].IsPunctuation('('))
        {
            return new ParsedIndex([], null);
        }

        var after = SqlText.SkipGroup(tokens, open);
        var keys = SqlText.SplitTopLevel(tokens, open + 1, after - 1).Select(part => KeyText(tokens, part.Start, part.End)).ToList();
        string? predicate = null;
        if (after < tokens.Count && tokens[after].IsWord("WHERE"))
        {
            predicate = SqlText.Render(tokens, after + 1, tokens.Count);
        }

        return new ParsedIndex(keys, predicate);
    }

    /// <summary>The normalized text of a view after its name: optional column list, AS, and the query.</summary>
    public static string ParseViewDefinition(string? sql)
    {
        if (string.IsNullOrWhiteSpace(sql))
        {
            return string.Empty;
        }

        var tokens = SqlText.Tokenize(sql);
        var after = AfterObjectName(tokens, "VIEW");
        return after >= tokens.Count ? SqlText.Render(tokens) : SqlText.Render(tokens, after, tokens.Count);
    }

    public static ParsedTrigger ParseTrigger(string? sql)
    {
        if (string.IsNullOrWhiteSpace(sql))
        {
            return new ParsedTrigger("BEFORE", string.Empty, string.Empty);
        }

        var tokens = SqlText.Tokenize(sql);
        var i = AfterObjectName(tokens, "TRIGGER");
        if (i >= tokens.Count)
        {
            return new ParsedTrigger("BEFORE", string.Empty, SqlText.Render(tokens));
        }

        var definition = SqlText.Render(tokens, i, tokens.Count);
        var timing = "BEFORE";
        if (tokens[i].IsWord("BEFORE") || tokens[i].IsWord("AFTER"))
        {
            timing = tokens[i].Text.ToUpperInvariant();
            i++;
        }
        else if (tokens[i].IsWord("INSTEAD"))
        {
            timing = "INSTEAD OF";
            i += 2;
        }

        var events = i < tokens.Count && tokens[i].Kind == SqlTokenKind.Word ? tokens[i].Text.ToUpperInvariant() : string.Empty;
        return new ParsedTrigger(timing, events, definition);
    }

    /// <summary>Index of the token after "CREATE ... KIND [IF NOT EXISTS] [schema.]name", or the token count.</summary>
    private static int AfterObjectName(List<SqlToken> tokens, string kind)
    {
        var i = tokens.FindIndex(t => t.IsWord(kind));
        if (i < 0)
        {
            return tokens.Count;
        }

        i++;
        if (i + 2 < tokens.Count && tokens[i].IsWord("IF") && tokens[i + 1].IsWord("NOT") && tokens[i + 2].IsWord("EXISTS"))
        {
            i += 3;
        }

        i++; // the name
        if (i + 1 < tokens.Count && tokens[i].IsPunctuation('.'))
        {
            i += 2;
        }

        return Math.Min(i, tokens.Count);
    }

    /// <summary>An index key or indexed column without its trailing COLLATE, ASC/DESC and (primary keys) AUTOINCREMENT.</summary>
    private static string KeyText(List<SqlToken> tokens, int start, int end)
    {
        if (end > start && tokens[end - 1].IsWord("AUTOINCREMENT"))
        {
            end--;
        }

        if (end > start && (tokens[end - 1].IsWord("ASC") || tokens[end - 1].IsWord("DESC")))
        {
            end--;
        }

        if (end - 2 > start && tokens[end - 2].IsWord("COLLATE"))
        {
            end -= 2;
        }

        return end - start == 1 && tokens[start].IsName ? tokens[start].Value : SqlText.Render(tokens, start, end);
    }

    private static void ParseColumn(List<SqlToken> tokens, int start, int end, ParsedTable table)
    {
        var column = new ParsedColumn(tokens[start].Value);
        table.Columns[column.Name] = column;
        var i = start + 1;

        // The type name: words and an optional parenthesized size, up to the first constraint keyword.
        while (i < end && !(tokens[i].Kind == SqlTokenKind.Word && ColumnConstraintStarts.Contains(tokens[i].Text)))
        {
            i = tokens[i].IsPunctuation('(') ? SqlText.SkipGroup(tokens, i) : i + 1;
        }

        string? name = null;
        while (i < end)
        {
            var token = tokens[i];
            if (token.IsWord("CONSTRAINT") && i + 1 < end)
            {
                name = tokens[i + 1].Value;
                i += 2;
                continue;
            }

            if (token.IsWord("PRIMARY"))
            {
                column.IsPrimaryKey = true;
                table.PrimaryKeyName = name;
                i += 2; // PRIMARY KEY
                if (i < end && tokens[i].IsWord("DESC"))
                {
                    column.IsPrimaryKeyDescending = true;
                }

                while (i < end && !(tokens[i].Kind == SqlTokenKind.Word && ColumnConstraintStarts.Contains(tokens[i].Text)))
                {
                    if (tokens[i].IsWord("AUTOINCREMENT"))
                    {
                        column.IsAutoIncrement = true;
                    }

                    i++;
                }
            }
            else if (token.IsWord("UNIQUE"))
            {
                table.Uniques.Add(new ParsedUnique(name, [column.Name]));
                i = SkipConflictClause(tokens, i + 1, end);
            }
            else if (token.IsWord("CHECK") && i + 1 < end && tokens[i + 1].IsPunctuation('('))
            {
                var after = SqlText.SkipGroup(tokens, i + 1);
                table.Checks.Add(new ParsedCheck(name, SqlText.Render(tokens, i + 2, after - 1)));
                i = after;
            }
            else if (token.IsWord("DEFAULT"))
            {
                i++;
                if (i < end && tokens[i].IsPunctuation('('))
                {
                    i = SqlText.SkipGroup(tokens, i);
                }
                else
                {
                    if (i < end && tokens[i].Kind == SqlTokenKind.Operator)
                    {
                        i++; // sign of a signed number
                    }

                    i++;
                }
            }
            else if (token.IsWord("COLLATE") && i + 1 < end)
            {
                column.Collation = tokens[i + 1].Value.ToUpperInvariant();
                i += 2;
            }
            else if (token.IsWord("REFERENCES"))
            {
                i = ParseReferences(tokens, i, end, name, [column.Name], table);
            }
            else if (token.IsWord("GENERATED") || token.IsWord("AS"))
            {
                while (i < end && !tokens[i].IsPunctuation('('))
                {
                    i++;
                }

                if (i >= end)
                {
                    break;
                }

                var after = SqlText.SkipGroup(tokens, i);
                column.GeneratedExpression = SqlText.Render(tokens, i + 1, after - 1);
                i = after;
            }
            else
            {
                i++; // NOT NULL, NULL, ON CONFLICT ..., STORED / VIRTUAL and anything unknown
                continue;
            }

            name = null;
        }
    }

    private static void ParseTableConstraint(List<SqlToken> tokens, int start, int end, ParsedTable table)
    {
        string? name = null;
        var i = start;
        while (i < end)
        {
            var token = tokens[i];
            if (token.IsWord("CONSTRAINT") && i + 1 < end)
            {
                name = tokens[i + 1].Value;
                i += 2;
            }
            else if ((token.IsWord("PRIMARY") || token.IsWord("UNIQUE")) && NextGroup(tokens, i, end) is var open and >= 0)
            {
                var after = SqlText.SkipGroup(tokens, open);
                var columns = SqlText.SplitTopLevel(tokens, open + 1, after - 1)
                    .Select(part => KeyText(tokens, part.Start, part.End))
                    .ToList();
                if (token.IsWord("PRIMARY"))
                {
                    table.PrimaryKeyName = name;
                    for (var k = open + 1; k < after - 1; k++)
                    {
                        if (tokens[k].IsWord("AUTOINCREMENT") && columns.Count == 1 && table.Columns.TryGetValue(columns[0], out var pkColumn))
                        {
                            pkColumn.IsAutoIncrement = true;
                        }
                    }
                }
                else
                {
                    table.Uniques.Add(new ParsedUnique(name, columns));
                }

                i = SkipConflictClause(tokens, after, end);
                name = null;
            }
            else if (token.IsWord("CHECK") && i + 1 < end && tokens[i + 1].IsPunctuation('('))
            {
                var after = SqlText.SkipGroup(tokens, i + 1);
                table.Checks.Add(new ParsedCheck(name, SqlText.Render(tokens, i + 2, after - 1)));
                i = after;
                name = null;
            }
            else if (token.IsWord("FOREIGN") && NextGroup(tokens, i, end) is var fkOpen and >= 0)
            {
                var after = SqlText.SkipGroup(tokens, fkOpen);
                var columns = SqlText.SplitTopLevel(tokens, fkOpen + 1, after - 1).Select(part => KeyText(tokens, part.Start, part.End)).ToList();
                i = after < end && tokens[after].IsWord("REFERENCES") ? ParseReferences(tokens, after, end, name, columns, table) : after;
                name = null;
            }
            else
            {
                i++;
            }
        }
    }

    /// <summary>Parses "REFERENCES table [(cols)] [ON ... | MATCH ... | [NOT] DEFERRABLE [INITIALLY ...]]" starting at REFERENCES.</summary>
    private static int ParseReferences(List<SqlToken> tokens, int i, int end, string? name, IReadOnlyList<string> columns, ParsedTable table)
    {
        i++;
        var referenced = i < end ? tokens[i].Value : string.Empty;
        i++;
        if (i < end && tokens[i].IsPunctuation('('))
        {
            i = SqlText.SkipGroup(tokens, i);
        }

        bool deferrable = false, initiallyDeferred = false;
        while (i < end)
        {
            var token = tokens[i];
            if (token.IsWord("ON") || token.IsWord("MATCH"))
            {
                // ON DELETE|UPDATE SET NULL|SET DEFAULT|CASCADE|RESTRICT|NO ACTION; MATCH name
                i += token.IsWord("MATCH") ? 2 : (i + 2 < end && (tokens[i + 2].IsWord("SET") || tokens[i + 2].IsWord("NO")) ? 4 : 3);
            }
            else if (token.IsWord("NOT") && i + 1 < end && tokens[i + 1].IsWord("DEFERRABLE"))
            {
                deferrable = false;
                i += 2;
            }
            else if (token.IsWord("DEFERRABLE"))
            {
                deferrable = true;
                i++;
            }
            else if (token.IsWord("INITIALLY") && i + 1 < end)
            {
                initiallyDeferred = tokens[i + 1].IsWord("DEFERRED");
                i += 2;
            }
            else
            {
                break;
            }
        }

        table.ForeignKeys.Add(new ParsedForeignKey(name, columns, referenced, deferrable, deferrable && initiallyDeferred));
        return i;
    }

    private static int NextGroup(List<SqlToken> tokens, int i, int end)
    {
        for (var k = i; k < end; k++)
        {
            if (tokens[k].IsPunctuation('('))
            {
                return k;
            }
        }

        return -1;
    }

    private static int SkipConflictClause(List<SqlToken> tokens, int i, int end) =>
        i + 2 < end && tokens[i].IsWord("ON") && tokens[i + 1].IsWord("CONFLICT") ? i + 3 : i;
}
