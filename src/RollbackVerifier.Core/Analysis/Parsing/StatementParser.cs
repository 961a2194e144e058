using RollbackVerifier.Analysis.Syntax;
using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Splitting;
using RollbackVerifier.Model;

namespace RollbackVerifier.Analysis.Parsing;

/// <summary>
/// Recognises what each statement of a script does to which objects, from the dialect's own split and tokens: a
/// recursive-descent reader for the DDL and DML that migrations use (CREATE/ALTER/DROP/RENAME of tables, columns,
/// constraints, indexes, sequences, views, triggers, routines and types; INSERT/UPDATE/DELETE/TRUNCATE; SET and
/// transaction control). It is not a full SQL grammar: what it does not recognise is marked
/// <see cref="Understanding.None"/> (or <see cref="Understanding.Partial"/> for an unknown clause), and rules never
/// conclude anything from what was not understood. One subclass per dialect adds that dialect's forms.
/// </summary>
internal abstract partial class StatementParser
{
    /// <summary>Words that end a column type or a DEFAULT expression inside a column definition.</summary>
    private static readonly HashSet<string> ColumnAttributeWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "NOT", "NULL", "DEFAULT", "CONSTRAINT", "PRIMARY", "UNIQUE", "REFERENCES", "CHECK", "COLLATE", "GENERATED",
        "AUTO_INCREMENT", "AUTOINCREMENT", "COMMENT", "ON", "FIRST", "AFTER", "CHARSET", "STORED", "VIRTUAL", "VISIBLE",
        "INVISIBLE", "DEFERRABLE", "INITIALLY", "USING", "COLUMN_FORMAT", "STORAGE", "SRID", "AS", "KEY", "IDENTITY",
        "COMPRESSION", "ENCODE",
    };

    private static readonly HashSet<string> TableConstraintStarts = new(StringComparer.OrdinalIgnoreCase)
    {
        "CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK", "EXCLUDE", "INDEX", "KEY", "FULLTEXT", "SPATIAL", "LIKE", "PERIOD",
    };

    public abstract EngineKind Engine { get; }

    protected abstract IStatementSplitter Splitter { get; }

    public static StatementParser For(EngineKind engine) => engine switch
    {
        EngineKind.Postgres => new PostgresStatementParser(),
        EngineKind.MySql => new MySqlStatementParser(),
        EngineKind.Sqlite => new SqliteStatementParser(),
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, null),
    };

    /// <summary>Splits and parses a script. A script that cannot be split throws <see cref="ScriptSplitException"/> (file and line).</summary>
    public ParsedScript ParseScript(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var statements = Splitter.Split(text, file);
        return new ParsedScript(file, statements.Select(s => Parse(s, file)).ToList()) { HasText = !string.IsNullOrWhiteSpace(text) };
    }

    public ParsedStatement Parse(SqlStatement statement, string file)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var tokens = SqlTokenizer.Tokenize(statement.Text, Engine);
        var result = new Builder(statement, file, tokens);
        var cursor = new TokenCursor(tokens, Engine);
        try
        {
            if (statement.Kind != StatementKind.Regular || IsTransactionWord(cursor))
            {
                result.TransactionControl = true;
            }
            else
            {
                ParseStatement(cursor, result);
            }
        }
        catch (NotUnderstoodException ex)
        {
            result.Effects.Clear();
            result.Understanding = Understanding.None;
            result.Problem = ex.Message;
        }

        return result.Build();
    }

    private static bool IsTransactionWord(TokenCursor cursor) =>
        cursor.Current.IsAny("SAVEPOINT", "RELEASE") || (cursor.Current.IsAny("ROLLBACK") && cursor.Peek(1).IsAny("TO", "WORK", "TRANSACTION"));

    private void ParseStatement(TokenCursor c, Builder result)
    {
        var first = c.Current;
        if (first.Kind != SqlTokenKind.Word)
        {
            throw new NotUnderstoodException("does not start with a keyword");
        }

        if (ParseDialectStatement(c, result))
        {
            return;
        }

        c.Index = 0;
        switch (first.Text.ToUpperInvariant())
        {
            case "SELECT" or "VALUES" or "TABLE" or "WITH":
                ParseQuery(c, result);
                break;
            case "SHOW" or "EXPLAIN" or "DESCRIBE" or "DESC" or "HELP":
                if (c.Tokens.Any(t => t.Is("ANALYZE") || t.Is("ANALYSE")))
                {
                    // EXPLAIN ANALYZE runs the statement.
                    throw new NotUnderstoodException("EXPLAIN ANALYZE runs the statement it explains");
                }

                result.ReadOnly = true;
                break;
            case "SET":
                c.Next();
                ParseSet(c, result);
                break;
            case "RESET":
                c.Next();
                result.Effects.Add(new SessionSetting(c.AtEnd ? "all" : TokenCursor.Text(c.Rest()).ToLowerInvariant(), "default"));
                break;
            case "CREATE":
                c.Next();
                ParseCreate(c, result);
                break;
            case "ALTER":
                c.Next();
                ParseAlter(c, result);
                break;
            case "DROP":
                c.Next();
                ParseDrop(c, result);
                break;
            case "INSERT" or "REPLACE":
                ParseInsert(c, result);
                break;
            case "UPDATE":
                ParseUpdate(c, result);
                break;
            case "DELETE":
                ParseDelete(c, result);
                break;
            case "TRUNCATE":
                c.Next();
                ParseTruncate(c, result);
                break;
            case "COMMENT" or "GRANT" or "REVOKE" or "SECURITY":
                // Privileges and comments: understood, nothing the rules look at.
                result.Understanding = Understanding.Full;
                c.Rest();
                break;
            default:
                throw new NotUnderstoodException($"{first.Text.ToUpperInvariant()} statements are not analysed");
        }
    }

    /// <summary>Dialect-only statements (DO, PRAGMA, RENAME TABLE, LOCK, VACUUM ...), tried first; false (and nothing consumed that matters) when not one.</summary>
    protected virtual bool ParseDialectStatement(TokenCursor c, Builder result) => false;

    /// <summary>A dialect's ALTER TABLE action; false when not recognised.</summary>
    protected abstract bool ParseAlterTableAction(SqlObjectRef table, TokenCursor c, Builder result);

    /// <summary>A dialect's function call in a SELECT that changes something (setval, set_config); false when it is not one.</summary>
    protected virtual bool ParseSideEffectCall(string function, IReadOnlyList<SqlToken> arguments, Builder result) => false;

    // ------------------------------------------------------------------ queries

    /// <summary>Functions a SELECT may call without changing anything.</summary>
    private static readonly HashSet<string> PureFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "count", "sum", "min", "max", "avg", "coalesce", "nullif", "greatest", "least", "lower", "upper", "length",
        "char_length", "character_length", "octet_length", "substr", "substring", "trim", "ltrim", "rtrim", "concat",
        "concat_ws", "now", "current_timestamp", "current_date", "abs", "round", "floor", "ceil", "ceiling", "cast",
        "convert", "exists", "string_agg", "array_agg", "group_concat", "left", "right", "replace", "split_part",
        "to_char", "format", "date_trunc", "extract", "ifnull", "if", "iif", "typeof", "instr", "locate", "position",
        "strftime", "datetime", "date", "time", "julianday", "json_extract", "jsonb_typeof", "version", "sqlite_version",
        "database", "current_database", "current_schema", "pg_sleep", "sleep", "any", "all", "in", "row_number",
        "rank", "dense_rank", "mod", "power", "sqrt", "regexp_replace", "regexp_like", "char", "ascii", "hex",
        "unhex", "md5", "quote", "quote_ident", "quote_literal", "generate_series", "unnest", "pg_typeof",
        "pg_column_size", "pg_relation_size", "pg_get_serial_sequence", "pg_total_relation_size", "txid_current", "now", "clock_timestamp",
        "statement_timestamp", "random", "rand", "uuid", "gen_random_uuid", "values", "cardinality", "array_length",
        "bool_and", "bool_or", "every", "filter", "over", "partition", "lag", "lead", "first_value", "last_value",
        "to_number", "to_date", "to_timestamp", "trunc", "sign", "nvl", "decode", "case", "when", "then", "else",
    };

    private void ParseQuery(TokenCursor c, Builder result)
    {
        var tokens = c.Rest();
        if (tokens.Any(t => t.IsAny("INSERT", "UPDATE", "DELETE", "MERGE")) && tokens.Any(t => t.Is("WITH")))
        {
            // WITH ... INSERT/UPDATE/DELETE: a data-modifying CTE.
            throw new NotUnderstoodException("a data-modifying WITH query");
        }

        var sideEffects = false;
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (tokens[i].Kind != SqlTokenKind.Word || !tokens[i + 1].IsSymbol('('))
            {
                continue;
            }

            var function = tokens[i].Text;
            var arguments = Arguments(tokens, i + 1);
            if (ParseSideEffectCall(function.ToLowerInvariant(), arguments, result))
            {
                sideEffects = true;
            }
            else if (!PureFunctions.Contains(function) && !ColumnAttributeWords.Contains(function) && !IsSqlKeyword(function))
            {
                throw new NotUnderstoodException($"calls {function}(), whose effects are not known");
            }
        }

        // SELECT ... INTO new_table (PostgreSQL) creates a table; MySQL SELECT ... INTO @var / OUTFILE writes no table.
        var into = IndexOfTopLevel(tokens, "INTO");
        if (into >= 0 && Engine == EngineKind.Postgres && into + 1 < tokens.Count && tokens[into + 1].IsName)
        {
            var cursor = new TokenCursor(tokens, Engine) { Index = into + 1 };
            cursor.Accept("TEMP");
            cursor.Accept("TEMPORARY");
            cursor.Accept("UNLOGGED");
            cursor.Accept("TABLE");
            var name = cursor.ObjectName() ?? throw new NotUnderstoodException("SELECT INTO without a table name");
            result.Effects.Add(new CreateTable(name, [], []) { CopiedFrom = Sources(tokens) });
            return;
        }

        result.ReadOnly = !sideEffects;
    }

    private static bool IsSqlKeyword(string word) => word.ToUpperInvariant() is "IN" or "EXISTS" or "AND" or "OR" or "NOT" or "ON" or "USING" or "VALUES" or "AS" or "FROM" or "WHERE" or "SELECT" or "OVER" or "FILTER" or "WITHIN" or "JOIN" or "ANY" or "ALL" or "SOME" or "ARRAY" or "ROW" or "CASE" or "THEN" or "ELSE" or "WHEN" or "INTERVAL";

    private static int IndexOfTopLevel(IReadOnlyList<SqlToken> tokens, string word)
    {
        var depth = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].IsSymbol('('))
            {
                depth++;
            }
            else if (tokens[i].IsSymbol(')'))
            {
                depth--;
            }
            else if (depth == 0 && tokens[i].Is(word))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The tokens of the parenthesised argument list starting at <paramref name="open"/>.</summary>
    protected static IReadOnlyList<SqlToken> Arguments(IReadOnlyList<SqlToken> tokens, int open)
    {
        var cursor = new TokenCursor(tokens, EngineKind.Postgres) { Index = open };
        return cursor.Group() ?? [];
    }

    /// <summary>Tables named after FROM or JOIN anywhere in <paramref name="tokens"/> (subqueries included).</summary>
    protected List<SqlObjectRef> Sources(IReadOnlyList<SqlToken> tokens)
    {
        var sources = new List<SqlObjectRef>();
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (!tokens[i].IsAny("FROM", "JOIN", "USING") || !tokens[i + 1].IsName || IsSqlKeyword(tokens[i + 1].Text) || tokens[i + 1].Is("LATERAL"))
            {
                continue;
            }

            var cursor = new TokenCursor(tokens, Engine) { Index = i + 1 };
            cursor.Accept("ONLY");
            if (cursor.ObjectName() is { } name && !cursor.Current.IsSymbol('('))
            {
                sources.Add(name);
            }
        }

        return sources;
    }

    // ------------------------------------------------------------------ SET

    private void ParseSet(TokenCursor c, Builder result)
    {
        foreach (var assignment in TokenCursor.SplitTopLevel(c.Rest()))
        {
            var words = new List<SqlToken>(assignment);
            while (words.Count > 0 && (words[0].IsAny("SESSION", "LOCAL", "GLOBAL", "PERSIST", "PERSIST_ONLY") || words[0].IsSymbol('@')))
            {
                words.RemoveAt(0);
            }

            if (words.Count == 0)
            {
                throw new NotUnderstoodException("an empty SET");
            }

            // @@session.name, name.part (PostgreSQL custom settings), TIME ZONE, NAMES ...
            var nameEnd = 1;
            while (nameEnd + 1 < words.Count && words[nameEnd].IsSymbol('.') && words[nameEnd + 1].IsName)
            {
                nameEnd += 2;
            }

            var name = string.Concat(words.Take(nameEnd).Select(t => t.Value)).ToLowerInvariant();
            if (name is "session." or "global.")
            {
                name = words.Count > 2 ? words[2].Value.ToLowerInvariant() : name;
            }

            name = name.StartsWith("session.", StringComparison.Ordinal) ? name["session.".Length..] : name;
            var rest = words.Skip(nameEnd).ToList();
            if (rest.Count > 0 && (rest[0].IsSymbol('=') || rest[0].Is("TO")))
            {
                rest.RemoveAt(0);
            }

            var value = string.Join(' ', rest.Select(t => t.Kind == SqlTokenKind.String ? t.Value : t.Text));
            result.Effects.Add(new SessionSetting(name, value));
        }
    }

    // ------------------------------------------------------------------ CREATE

    private void ParseCreate(TokenCursor c, Builder result)
    {
        var replace = false;
        var temporary = false;
        var unique = false;
        while (true)
        {
            if (c.Accept("OR", "REPLACE"))
            {
                replace = true;
            }
            else if (c.Current.IsAny("TEMP", "TEMPORARY"))
            {
                temporary = true;
                c.Next();
            }
            else if (c.Current.IsAny("UNLOGGED", "GLOBAL", "LOCAL", "RECURSIVE", "FULLTEXT", "SPATIAL", "CONSTRAINT", "AGGREGATE", "TRUSTED", "PROCEDURAL", "ONLINE", "OFFLINE", "NONCLUSTERED", "CLUSTERED", "EDITIONABLE"))
            {
                c.Next();
            }
            else if (c.Current.Is("UNIQUE"))
            {
                unique = true;
                c.Next();
            }
            else if (c.Current.IsAny("ALGORITHM", "DEFINER", "SQL"))
            {
                SkipViewOption(c);
            }
            else
            {
                break;
            }
        }

        var kind = c.Next();
        switch (kind.Text.ToUpperInvariant())
        {
            case "TABLE":
                ParseCreateTable(c, result, temporary);
                break;
            case "INDEX":
                ParseCreateIndex(c, result, unique);
                break;
            case "VIEW":
                result.Effects.Add(new ObjectChange(SqlObjectKind.View, CreateName(c), replace ? ObjectAction.CreateOrReplace : ObjectAction.Create));
                c.Rest();
                break;
            case "MATERIALIZED" when c.Accept("VIEW"):
                result.Effects.Add(new ObjectChange(SqlObjectKind.MaterializedView, CreateName(c), ObjectAction.Create));
                c.Rest();
                break;
            case "SEQUENCE":
                result.Effects.Add(new CreateSequence(CreateName(c)));
                c.Rest();
                break;
            case "TRIGGER":
                ParseCreateTrigger(c, result, replace);
                break;
            case "FUNCTION" or "PROCEDURE":
                result.Effects.Add(new ObjectChange(kind.Is("FUNCTION") ? SqlObjectKind.Function : SqlObjectKind.Procedure, CreateName(c), replace ? ObjectAction.CreateOrReplace : ObjectAction.Create));
                c.Rest();
                break;
            case "TYPE":
                ParseCreateType(c, result);
                break;
            case "DOMAIN" or "SCHEMA" or "EXTENSION" or "EVENT" or "RULE" or "POLICY":
                result.Effects.Add(new ObjectChange(Enum.Parse<SqlObjectKind>(kind.Text, ignoreCase: true), CreateName(c), replace ? ObjectAction.CreateOrReplace : ObjectAction.Create));
                c.Rest();
                break;
            default:
                throw new NotUnderstoodException($"CREATE {kind.Text.ToUpperInvariant()} is not analysed");
        }
    }

    private static void SkipViewOption(TokenCursor c)
    {
        if (c.Accept("SQL", "SECURITY"))
        {
            c.Next();
            return;
        }

        c.Next();
        c.AcceptSymbol('=');
        if (c.Current.Is("CURRENT_USER"))
        {
            c.Next();
            c.Group();
            return;
        }

        c.Next();
        if (c.AcceptSymbol('@'))
        {
            c.Next();
        }
    }

    private static SqlObjectRef CreateName(TokenCursor c)
    {
        c.AcceptIfNotExists();
        return c.ObjectName() ?? throw new NotUnderstoodException("no object name");
    }

    private void ParseCreateTable(TokenCursor c, Builder result, bool temporary)
    {
        var ifNotExists = c.AcceptIfNotExists();
        var name = c.ObjectName() ?? throw new NotUnderstoodException("CREATE TABLE without a name");
        var columns = new List<ColumnDefinition>();
        var constraints = new List<ConstraintDefinition>();
        IReadOnlyList<SqlObjectRef> copiedFrom = [];
        if (c.Current.IsSymbol('('))
        {
            var elements = c.Group()!;
            foreach (var element in TokenCursor.SplitTopLevel(elements))
            {
                if (element.Count == 0)
                {
                    continue;
                }

                if (element[0].Kind == SqlTokenKind.Word && TableConstraintStarts.Contains(element[0].Text))
                {
                    if (element[0].Is("LIKE"))
                    {
                        result.Understanding = Understanding.Partial;
                        continue;
                    }

                    constraints.Add(ParseTableConstraint(new TokenCursor(element, Engine), result));
                }
                else
                {
                    columns.Add(ParseColumnDefinition(new TokenCursor(element, Engine), result));
                }
            }
        }

        var rest = c.Rest();
        var asIndex = rest.ToList().FindIndex(t => t.IsAny("AS", "SELECT"));
        if (asIndex >= 0)
        {
            copiedFrom = Sources(rest.Skip(asIndex).ToList());
        }
        else if (rest.Any(t => t.IsAny("LIKE", "PARTITION", "INHERITS", "OF", "CLONE")))
        {
            result.Understanding = Understanding.Partial;
        }

        result.Effects.Add(new CreateTable(name, columns, constraints) { Temporary = temporary, IfNotExists = ifNotExists, CopiedFrom = copiedFrom });
    }

    private void ParseCreateIndex(TokenCursor c, Builder result, bool unique)
    {
        var concurrently = c.Accept("CONCURRENTLY");
        c.AcceptIfNotExists();
        SqlObjectRef? name = null;
        if (!c.Current.Is("ON") || c.Peek(1).Is("ON"))
        {
            name = c.ObjectName();
        }

        // MySQL: CREATE INDEX name USING BTREE ON t (...)
        if (c.Accept("USING"))
        {
            c.Next();
        }

        if (!c.Accept("ON"))
        {
            throw new NotUnderstoodException("CREATE INDEX without ON");
        }

        c.Accept("ONLY");
        var table = c.ObjectName() ?? throw new NotUnderstoodException("CREATE INDEX without a table");
        if (c.Accept("USING"))
        {
            c.Next();
        }

        var columns = IndexColumns(c.Group() ?? throw new NotUnderstoodException("CREATE INDEX without columns"));
        c.Rest();
        result.Effects.Add(new CreateIndex(name, table, columns, unique, concurrently));
    }

    /// <summary>The plain column names among index key parts (expressions contribute none).</summary>
    protected List<SqlName> IndexColumns(IReadOnlyList<SqlToken> keys)
    {
        var columns = new List<SqlName>();
        foreach (var part in TokenCursor.SplitTopLevel(keys))
        {
            if (part.Count == 0 || !part[0].IsName)
            {
                continue;
            }

            // MySQL name(10) is a prefix of a column; elsewhere f(x) is an expression.
            if (part.Count > 1 && part[1].IsSymbol('(') && Engine != EngineKind.MySql)
            {
                continue;
            }

            columns.Add(SqlName.From(part[0], Engine));
        }

        return columns;
    }

    private void ParseCreateTrigger(TokenCursor c, Builder result, bool replace)
    {
        var name = CreateName(c);
        var rest = c.Rest();
        var on = rest.ToList().FindIndex(t => t.Is("ON"));
        SqlObjectRef? table = null;
        if (on >= 0)
        {
            var cursor = new TokenCursor(rest, Engine) { Index = on + 1 };
            table = cursor.ObjectName();
        }

        result.Effects.Add(new ObjectChange(SqlObjectKind.Trigger, name, replace ? ObjectAction.CreateOrReplace : ObjectAction.Create) { Table = table });
    }

    private void ParseCreateType(TokenCursor c, Builder result)
    {
        var name = CreateName(c);
        IReadOnlyList<string>? labels = null;
        if (c.Accept("AS", "ENUM"))
        {
            labels = (c.Group() ?? []).Where(t => t.Kind == SqlTokenKind.String).Select(t => t.Value).ToList();
        }

        c.Rest();
        result.Effects.Add(new ObjectChange(SqlObjectKind.Type, name, ObjectAction.Create) { EnumLabels = labels });
    }

    // ------------------------------------------------------------------ column and constraint definitions

    protected ColumnDefinition ParseColumnDefinition(TokenCursor c, Builder result)
    {
        var name = c.Name() ?? throw new NotUnderstoodException("a column definition without a name");
        var type = ParseType(c);
        var column = new ColumnDefinition(name, type) { Identity = type is not null && IsSerial(type) };
        var checks = new List<string>();
        while (!c.AtEnd)
        {
            if (c.Accept("CONSTRAINT"))
            {
                var constraintName = c.Name();
                if (c.Current.Is("REFERENCES"))
                {
                    column = column with { ReferencesName = constraintName };
                }

                continue;
            }

            if (c.Accept("NOT", "NULL"))
            {
                column = column with { NotNull = true };
            }
            else if (c.Accept("NULL"))
            {
                column = column with { NotNull = false };
            }
            else if (c.Accept("DEFAULT"))
            {
                column = column with { Default = TokenCursor.Text(DefaultExpression(c)) };
            }
            else if (c.Accept("PRIMARY", "KEY"))
            {
                c.Accept("ASC");
                c.Accept("DESC");
                column = column with { PrimaryKey = true, NotNull = true };
                if (SkipConflictClause(c))
                {
                    column = column with { Identity = true };
                }
            }
            else if (c.Accept("UNIQUE"))
            {
                c.Accept("KEY");
                c.Accept("NULLS", "NOT", "DISTINCT");
                c.Accept("NULLS", "DISTINCT");
                column = column with { Unique = true };
                SkipConflictClause(c);
            }
            else if (c.Accept("REFERENCES"))
            {
                column = column with { References = ParseReferences(c) };
            }
            else if (c.Accept("CHECK"))
            {
                checks.Add(TokenCursor.Text(c.Group() ?? []));
                c.Accept("NO", "INHERIT");
                AcceptEnforced(c);
            }
            else if (c.Accept("GENERATED"))
            {
                c.Accept("ALWAYS");
                c.Accept("BY", "DEFAULT");
                c.Accept("AS");
                if (c.Accept("IDENTITY"))
                {
                    c.Group();
                    column = column with { Identity = true };
                }
                else
                {
                    c.Group();
                    c.Accept("STORED");
                    c.Accept("VIRTUAL");
                    column = column with { Generated = true };
                }
            }
            else if (c.Current.Is("AS") && c.Peek(1).IsSymbol('('))
            {
                c.Next();
                c.Group();
                c.Accept("STORED");
                c.Accept("VIRTUAL");
                column = column with { Generated = true };
            }
            else if (c.Current.IsAny("AUTO_INCREMENT", "AUTOINCREMENT", "IDENTITY"))
            {
                c.Next();
                c.Group();
                column = column with { Identity = true };
            }
            else if (c.Accept("COLLATE") || c.Accept("CHARACTER", "SET") || c.Accept("CHARSET") || c.Accept("COMMENT")
                || c.Accept("COLUMN_FORMAT") || c.Accept("STORAGE") || c.Accept("SRID") || c.Accept("COMPRESSION") || c.Accept("ENGINE_ATTRIBUTE"))
            {
                c.AcceptSymbol('=');
                c.ObjectName();
                if (c.Current.Kind is SqlTokenKind.String or SqlTokenKind.Number)
                {
                    c.Next();
                }
            }
            else if (c.Accept("ON", "UPDATE"))
            {
                DefaultExpression(c);
            }
            else if (c.Accept("FIRST"))
            {
                column = column with { Positioned = true };
            }
            else if (c.Accept("AFTER"))
            {
                c.Name();
                column = column with { Positioned = true };
            }
            else if (c.Current.IsAny("VISIBLE", "INVISIBLE", "STORED", "VIRTUAL", "DEFERRABLE", "ASC", "DESC"))
            {
                c.Next();
            }
            else if (c.Accept("NOT", "DEFERRABLE") || c.Accept("INITIALLY", "DEFERRED") || c.Accept("INITIALLY", "IMMEDIATE"))
            {
            }
            else
            {
                result.Understanding = Understanding.Partial;
                c.Next();
            }
        }

        return column with { Checks = checks };
    }

    /// <summary>SQLite ON CONFLICT clause; true when AUTOINCREMENT follows.</summary>
    private static bool SkipConflictClause(TokenCursor c)
    {
        if (c.Accept("ON", "CONFLICT"))
        {
            c.Next();
        }

        return c.Accept("AUTOINCREMENT");
    }

    private static void AcceptEnforced(TokenCursor c)
    {
        c.Accept("NOT", "ENFORCED");
        c.Accept("ENFORCED");
    }

    private static bool IsSerial(ColumnType type) => type.Name is "serial" or "bigserial" or "smallserial" or "serial4" or "serial8" or "serial2";

    /// <summary>A DEFAULT (or ON UPDATE) expression: at least one term, then up to the next column attribute.</summary>
    private static IReadOnlyList<SqlToken> DefaultExpression(TokenCursor c)
    {
        var start = c.Index;
        if (c.Current.IsSymbol('('))
        {
            c.Group();
        }
        else
        {
            c.Next();
            if (c.Current.IsSymbol('('))
            {
                c.Group();
            }
        }

        c.Until(t => t.IsSymbol(',') || (t.Kind == SqlTokenKind.Word && ColumnAttributeWords.Contains(t.Text) && !t.Is("AS")));
        return c.Slice(start, c.Index);
    }

    /// <summary>A column type up to the first column attribute; null when the column has none (SQLite).</summary>
    protected ColumnType? ParseType(TokenCursor c)
    {
        var start = c.Index;
        var words = new List<string>();
        var arguments = new List<string>();
        IReadOnlyList<string>? labels = null;
        var unsigned = false;
        var array = false;
        while (!c.AtEnd)
        {
            var token = c.Current;
            if (token.IsName && !(token.Kind == SqlTokenKind.Word && ColumnAttributeWords.Contains(token.Text) && !(words.Count == 0 && token.Is("CHARACTER"))))
            {
                if (token.Is("CHARACTER") && c.Peek(1).Is("SET") && words.Count > 0)
                {
                    break;
                }

                c.Next();
                if (token.IsAny("UNSIGNED", "ZEROFILL", "SIGNED"))
                {
                    unsigned |= token.Is("UNSIGNED");
                    continue;
                }

                // schema.type
                if (c.Current.IsSymbol('.') && c.Peek(1).IsName)
                {
                    c.Next();
                    words.Clear();
                    token = c.Next();
                }

                words.Add(token.Value.ToLowerInvariant());
            }
            else if (token.IsSymbol('(') && words.Count > 0 && arguments.Count == 0)
            {
                var group = c.Group()!;
                if (group.Any(t => t.Kind == SqlTokenKind.String))
                {
                    labels = group.Where(t => t.Kind == SqlTokenKind.String).Select(t => t.Value).ToList();
                }

                arguments.AddRange(TokenCursor.SplitTopLevel(group).Select(a => TokenCursor.Text(a)));
            }
            else if (token.IsSymbol('[') && words.Count > 0)
            {
                c.Next();
                c.Until(t => t.IsSymbol(']'));
                c.AcceptSymbol(']');
                array = true;
            }
            else
            {
                break;
            }
        }

        if (words.Count == 0)
        {
            return null;
        }

        var text = TokenCursor.Text(c.Slice(start, c.Index));
        return new ColumnType(string.Join(' ', words), arguments, unsigned, array, text) { EnumLabels = labels };
    }

    protected ForeignKeyTarget ParseReferences(TokenCursor c)
    {
        var table = c.ObjectName() ?? throw new NotUnderstoodException("REFERENCES without a table");
        var columns = c.Current.IsSymbol('(') ? NameList(c.Group()!) : [];
        string? onDelete = null;
        while (!c.AtEnd)
        {
            if (c.Accept("ON", "DELETE"))
            {
                onDelete = ReferentialAction(c);
            }
            else if (c.Accept("ON", "UPDATE"))
            {
                ReferentialAction(c);
            }
            else if (c.Accept("MATCH"))
            {
                c.Next();
            }
            else if (c.Accept("NOT", "DEFERRABLE") || c.Accept("DEFERRABLE") || c.Accept("INITIALLY", "DEFERRED") || c.Accept("INITIALLY", "IMMEDIATE") || c.Accept("NOT", "ENFORCED") || c.Accept("ENFORCED"))
            {
            }
            else
            {
                break;
            }
        }

        return new ForeignKeyTarget(table, columns, onDelete);
    }

    private static string ReferentialAction(TokenCursor c)
    {
        if (c.Accept("SET", "NULL"))
        {
            return "set null";
        }

        if (c.Accept("SET", "DEFAULT"))
        {
            return "set default";
        }

        if (c.Accept("NO", "ACTION"))
        {
            return "no action";
        }

        return c.Next().Text.ToLowerInvariant();
    }

    protected List<SqlName> NameList(IReadOnlyList<SqlToken> tokens) =>
        TokenCursor.SplitTopLevel(tokens).Where(p => p.Count > 0 && p[0].IsName).Select(p => SqlName.From(p[0], Engine)).ToList();

    protected ConstraintDefinition ParseTableConstraint(TokenCursor c, Builder result)
    {
        SqlName? name = null;
        if (c.Accept("CONSTRAINT"))
        {
            if (!c.Current.IsAny("PRIMARY", "UNIQUE", "FOREIGN", "CHECK", "EXCLUDE"))
            {
                name = c.Name();
            }
        }

        ConstraintDefinition definition;
        if (c.Accept("PRIMARY", "KEY"))
        {
            SkipIndexName(c, ref name);
            definition = new ConstraintDefinition(ConstraintKind.PrimaryKey, name, NameList(c.Group() ?? []));
        }
        else if (c.Accept("UNIQUE"))
        {
            c.Accept("NULLS", "NOT", "DISTINCT");
            c.Accept("NULLS", "DISTINCT");
            if (!c.Accept("INDEX"))
            {
                c.Accept("KEY");
            }

            SkipIndexName(c, ref name);
            if (c.Accept("USING", "INDEX"))
            {
                // PostgreSQL ADD CONSTRAINT ... UNIQUE USING INDEX existing_index: no scan of its own.
                c.Name();
                definition = new ConstraintDefinition(ConstraintKind.Unique, name, []) { NotValid = true };
            }
            else
            {
                definition = new ConstraintDefinition(ConstraintKind.Unique, name, IndexColumns(c.Group() ?? []));
            }
        }
        else if (c.Accept("FOREIGN", "KEY"))
        {
            SkipIndexName(c, ref name);
            var columns = NameList(c.Group() ?? []);
            if (!c.Accept("REFERENCES"))
            {
                throw new NotUnderstoodException("FOREIGN KEY without REFERENCES");
            }

            definition = new ConstraintDefinition(ConstraintKind.ForeignKey, name, columns) { References = ParseReferences(c) };
        }
        else if (c.Accept("CHECK"))
        {
            var expression = c.Group() ?? [];
            definition = new ConstraintDefinition(ConstraintKind.Check, name, ColumnsIn(expression)) { Expression = TokenCursor.Text(expression) };
            c.Accept("NO", "INHERIT");
        }
        else if (c.Accept("EXCLUDE"))
        {
            c.Rest();
            definition = new ConstraintDefinition(ConstraintKind.Exclude, name, []);
        }
        else if (c.Current.IsAny("INDEX", "KEY", "FULLTEXT", "SPATIAL"))
        {
            c.Next();
            c.Accept("INDEX");
            c.Accept("KEY");
            SkipIndexName(c, ref name);
            definition = new ConstraintDefinition(ConstraintKind.Index, name, IndexColumns(c.Group() ?? []));
        }
        else
        {
            throw new NotUnderstoodException("an unknown table constraint");
        }

        var notValid = false;
        while (!c.AtEnd)
        {
            if (c.Accept("NOT", "VALID"))
            {
                notValid = true;
            }
            else if (c.Accept("NOT", "ENFORCED"))
            {
                notValid = true;
            }
            else
            {
                var token = c.Next();
                if (!token.IsAny("ENFORCED", "DEFERRABLE", "INITIALLY", "DEFERRED", "IMMEDIATE", "NOT", "USING", "BTREE", "HASH", "INCLUDE", "WITH", "COMMENT", "VISIBLE", "INVISIBLE", "ASC", "DESC")
                    && token.Kind is not (SqlTokenKind.String or SqlTokenKind.Number))
                {
                    if (token.IsSymbol('('))
                    {
                        c.Index--;
                        c.Group();
                    }
                    else if (!token.IsSymbol('='))
                    {
                        result.Understanding = Understanding.Partial;
                    }
                }
            }
        }

        return definition with { NotValid = definition.NotValid || notValid };
    }

    /// <summary>MySQL: an index name (and USING method) before the column list.</summary>
    private static void SkipIndexName(TokenCursor c, ref SqlName? name)
    {
        if (c.Current.IsName && !c.Current.Is("USING"))
        {
            name ??= c.Name();
        }

        if (c.Accept("USING"))
        {
            c.Next();
        }
    }

    /// <summary>Names that appear in an expression (the columns a CHECK mentions, roughly).</summary>
    protected List<SqlName> ColumnsIn(IReadOnlyList<SqlToken> expression) =>
        expression.Where((t, i) => t.IsName && !IsSqlKeyword(t.Text) && !(i + 1 < expression.Count && expression[i + 1].IsSymbol('(')))
            .Select(t => SqlName.From(t, Engine)).Distinct().ToList();

    /// <summary>Thrown inside the parser when a statement leaves the recognised forms.</summary>
    protected sealed class NotUnderstoodException(string message) : Exception(message);

    /// <summary>Accumulates a statement's effects while it is parsed.</summary>
    protected internal sealed class Builder(SqlStatement statement, string file, IReadOnlyList<SqlToken> tokens)
    {
        public List<SqlEffect> Effects { get; } = [];

        public Understanding Understanding { get; set; } = Understanding.Full;

        public string? Problem { get; set; }

        public bool ReadOnly { get; set; }

        public bool TransactionControl { get; set; }

        public ParsedStatement Build() => new(statement, file, tokens, Effects.ToList(), Understanding)
        {
            IsReadOnly = ReadOnly && Understanding != Understanding.None,
            IsTransactionControl = TransactionControl,
            Problem = Problem ?? (Understanding == Understanding.Partial ? "some clauses are not analysed" : null),
        };
    }
}
