using System.Globalization;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Preflight;

/// <summary>A name as a statement writes it: its parts, each with whether it was quoted.</summary>
/// <param name="Parts">Name parts (schema, name), unquoted.</param>
/// <param name="Quoted">Per part, whether it was quoted (quoted names match exactly, unquoted ones by the engine's folding).</param>
internal sealed record WrittenName(IReadOnlyList<string> Parts, IReadOnlyList<bool> Quoted)
{
    public string Last => Parts[^1];

    public bool LastQuoted => Quoted[^1];

    public override string ToString() => string.Join(".", Parts);

    /// <summary>Whether this written name denotes <paramref name="name"/> on <paramref name="engine"/>.</summary>
    public bool Matches(ObjectName name, EngineKind engine)
    {
        if (!PartMatches(Last, LastQuoted, name.Name, engine))
        {
            return false;
        }

        return Parts.Count < 2 || name.Schema.Length == 0 || PartMatches(Parts[^2], Quoted[^2], name.Schema, engine);
    }

    public static bool PartMatches(string written, bool quoted, string actual, EngineKind engine) =>
        quoted ? string.Equals(written, actual, StringComparison.Ordinal)
        : engine == EngineKind.Postgres ? string.Equals(written.ToLowerInvariant(), actual, StringComparison.Ordinal)
        : string.Equals(written, actual, StringComparison.OrdinalIgnoreCase);
}

/// <summary>What a rollback statement is understood to do to data the checklist can count.</summary>
internal abstract record RollbackAction(SqlStatement Statement);

/// <summary>DELETE FROM table [alias] [WHERE condition].</summary>
internal sealed record DeleteAction(SqlStatement Statement, WrittenName Table, string? Alias, string? Where) : RollbackAction(Statement);

/// <summary>TRUNCATE, or DROP TABLE of a table whose rows the rollback did not copy first.</summary>
internal sealed record RemoveAllAction(SqlStatement Statement, WrittenName Table, bool Drops, bool CopiedFirst) : RollbackAction(Statement);

/// <summary>A table or column renamed (RENAME TO, RENAME COLUMN, MySQL CHANGE and RENAME TABLE).</summary>
internal sealed record RenameAction(SqlStatement Statement, WrittenName Table, string? OldColumn, string NewName) : RollbackAction(Statement);

/// <summary>
/// A sequence set to hand out <see cref="Next"/> next (RESTART, setval, CREATE SEQUENCE, identity RESTART or re-added);
/// null Next means "its start value".
/// </summary>
internal sealed record SequenceResetAction(SqlStatement Statement, WrittenName? Sequence, WrittenName? Table, string? Column, long? Next) : RollbackAction(Statement);

/// <summary>
/// Reads a rollback script statement by statement and recognises the simple forms whose effect on existing rows is
/// certain: deletes, truncates, drops, renames and sequence resets. Anything else is left alone (the verification run
/// observes it instead).
/// </summary>
internal static class RollbackIntent
{
    public static IReadOnlyList<RollbackAction> Read(ScriptSource? rollback, IDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        if (rollback is null || rollback.Text.Length == 0)
        {
            return [];
        }

        IReadOnlyList<SqlStatement> statements;
        try
        {
            statements = dialect.Splitter.Split(rollback.Text, rollback.Path);
        }
        catch (ScenarioDefinitionException)
        {
            return []; // the run reports the script's syntax; the checklist just understands less
        }

        var actions = new List<RollbackAction>();
        var readTables = new List<WrittenName>();
        foreach (var statement in statements)
        {
            IReadOnlyList<SqlToken> tokens;
            try
            {
                tokens = SqlTokens.Read(statement.Text, dialect, rollback.Path);
            }
            catch (ScenarioDefinitionException)
            {
                continue;
            }

            var reader = new TokenReader(tokens, statement.Text);
            if (Parse(statement, reader, readTables, dialect.Kind) is { } action)
            {
                actions.Add(action);
            }

            readTables.AddRange(SourcesRead(tokens));
        }

        return actions;
    }

    private static RollbackAction? Parse(SqlStatement statement, TokenReader r, List<WrittenName> readTables, EngineKind engine)
    {
        if (r.Accept("DELETE"))
        {
            if (!r.Accept("FROM"))
            {
                return null;
            }

            r.Accept("ONLY");
            if (r.ReadName() is not { } table)
            {
                return null;
            }

            string? alias = null;
            if (r.Accept("AS") || (r.Peek?.Kind is SqlTokenKind.Word or SqlTokenKind.Identifier && !r.PeekIs("WHERE")))
            {
                alias = r.ReadName()?.Last;
            }

            if (r.AtEnd)
            {
                return new DeleteAction(statement, table, alias, null);
            }

            if (!r.Accept("WHERE"))
            {
                return null; // USING, JOIN, ORDER BY, LIMIT: not a simple delete
            }

            var where = r.RestUntil("RETURNING", "ORDER", "LIMIT");
            return where is null ? null : new DeleteAction(statement, table, alias, where);
        }

        if (r.Accept("TRUNCATE"))
        {
            r.Accept("TABLE");
            r.Accept("ONLY");
            return r.ReadName() is { } table ? new RemoveAllAction(statement, table, false, false) : null;
        }

        if (r.Accept("DROP"))
        {
            if (!r.Accept("TABLE"))
            {
                return null;
            }

            if (r.Accept("IF"))
            {
                r.Accept("EXISTS");
            }

            return r.ReadName() is { } table
                ? new RemoveAllAction(statement, table, true, readTables.Any(t => t.Last.Equals(table.Last, StringComparison.OrdinalIgnoreCase)))
                : null;
        }

        if (r.Accept("RENAME"))
        {
            // MySQL RENAME TABLE a TO b
            r.Accept("TABLE");
            return r.ReadName() is { } from && r.Accept("TO") && r.ReadName() is { } to ? new RenameAction(statement, from, null, to.Last) : null;
        }

        if (r.Accept("ALTER"))
        {
            if (r.Accept("SEQUENCE"))
            {
                SkipIfExists(r);
                if (r.ReadName() is not { } sequence || !r.SkipTo("RESTART"))
                {
                    return null;
                }

                r.Accept("WITH");
                return new SequenceResetAction(statement, sequence, null, null, r.ReadInteger());
            }

            if (!r.Accept("TABLE"))
            {
                return null;
            }

            SkipIfExists(r);
            r.Accept("ONLY");
            if (r.ReadName() is not { } table)
            {
                return null;
            }

            return AlterTable(statement, r, table, engine);
        }

        if (r.Accept("CREATE") && r.Accept("SEQUENCE"))
        {
            if (r.Accept("IF"))
            {
                r.Accept("NOT");
                r.Accept("EXISTS");
            }

            if (r.ReadName() is not { } sequence)
            {
                return null;
            }

            long? start = null;
            if (r.SkipTo("START"))
            {
                r.Accept("WITH");
                start = r.ReadInteger();
            }

            return new SequenceResetAction(statement, sequence, null, null, start);
        }

        if (r.Accept("SELECT"))
        {
            // SELECT [pg_catalog.]setval('name', n [, is_called])
            var name = r.ReadName();
            if (name is null || !name.Last.Equals("setval", StringComparison.OrdinalIgnoreCase) || name.LastQuoted || !r.AcceptSymbol('('))
            {
                return null;
            }

            if (r.Peek?.Kind != SqlTokenKind.String)
            {
                return null;
            }

            var sequence = ParseQualified(r.Next()!.Text[1..^1].Replace("''", "'", StringComparison.Ordinal));
            if (!r.AcceptSymbol(',') || r.ReadInteger() is not { } value)
            {
                return null;
            }

            var isCalled = true;
            if (r.AcceptSymbol(','))
            {
                isCalled = !r.Accept("FALSE");
            }

            return new SequenceResetAction(statement, sequence, null, null, isCalled ? value + 1 : value);
        }

        return null;
    }

    private static RollbackAction? AlterTable(SqlStatement statement, TokenReader r, WrittenName table, EngineKind engine)
    {
        if (r.Accept("RENAME"))
        {
            if (r.Accept("COLUMN") || (!r.PeekIs("TO") && !r.PeekIs("AS")))
            {
                var column = r.ReadName();
                return column is not null && r.Accept("TO") && r.ReadName() is { } newName ? new RenameAction(statement, table, column.Last, newName.Last) : null;
            }

            if (!r.Accept("TO"))
            {
                r.Accept("AS");
            }

            return r.ReadName() is { } to ? new RenameAction(statement, table, null, to.Last) : null;
        }

        if (engine == EngineKind.MySql && r.Accept("CHANGE"))
        {
            r.Accept("COLUMN");
            return r.ReadName() is { } from && r.ReadName() is { } to ? new RenameAction(statement, table, from.Last, to.Last) : null;
        }

        if (r.Accept("ALTER"))
        {
            r.Accept("COLUMN");
            if (r.ReadName() is not { } column)
            {
                return null;
            }

            if (r.Accept("RESTART"))
            {
                r.Accept("WITH");
                return new SequenceResetAction(statement, null, table, column.Last, r.ReadInteger());
            }

            if (r.Accept("ADD") && r.Accept("GENERATED"))
            {
                long? start = null;
                if (r.SkipTo("START"))
                {
                    r.Accept("WITH");
                    start = r.ReadInteger();
                }

                return new SequenceResetAction(statement, null, table, column.Last, start);
            }
        }

        return null;
    }

    private static void SkipIfExists(TokenReader r)
    {
        if (r.Accept("IF"))
        {
            r.Accept("EXISTS");
        }
    }

    /// <summary>'schema.name' or 'name' as a setval argument (regclass text: quoted parts keep case).</summary>
    private static WrittenName ParseQualified(string text)
    {
        var parts = new List<string>();
        var quoted = new List<bool>();
        foreach (var part in text.Split('.'))
        {
            var q = part.Length >= 2 && part[0] == '"' && part[^1] == '"';
            parts.Add(q ? part[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : part);
            quoted.Add(q);
        }

        return new WrittenName(parts, quoted);
    }

    /// <summary>Tables a statement reads from (FROM and JOIN), so a later DROP of them is known to follow a copy.</summary>
    private static IEnumerable<WrittenName> SourcesRead(IReadOnlyList<SqlToken> tokens)
    {
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if ((tokens[i].IsWord("FROM") || tokens[i].IsWord("JOIN")) && !tokens[0].IsWord("DELETE"))
            {
                var reader = new TokenReader(tokens.Skip(i + 1).ToList(), string.Empty);
                if (reader.ReadName() is { } name)
                {
                    yield return name;
                }
            }
        }
    }

    /// <summary>A cursor over a statement's tokens.</summary>
    private sealed class TokenReader(IReadOnlyList<SqlToken> tokens, string text)
    {
        private int _index;

        public bool AtEnd => _index >= tokens.Count;

        public SqlToken? Peek => _index < tokens.Count ? tokens[_index] : null;

        public SqlToken? Next() => _index < tokens.Count ? tokens[_index++] : null;

        public bool PeekIs(string word) => Peek?.IsWord(word) == true;

        public bool Accept(string word)
        {
            if (!PeekIs(word))
            {
                return false;
            }

            _index++;
            return true;
        }

        public bool AcceptSymbol(char symbol)
        {
            if (Peek?.IsSymbol(symbol) != true)
            {
                return false;
            }

            _index++;
            return true;
        }

        /// <summary>Moves past the next occurrence of <paramref name="word"/>; false (and stays put) when there is none.</summary>
        public bool SkipTo(string word)
        {
            for (var i = _index; i < tokens.Count; i++)
            {
                if (tokens[i].IsWord(word))
                {
                    _index = i + 1;
                    return true;
                }
            }

            return false;
        }

        /// <summary>A possibly qualified name: word or quoted identifier parts separated by dots.</summary>
        public WrittenName? ReadName()
        {
            var parts = new List<string>();
            var quoted = new List<bool>();
            while (Peek is { Kind: SqlTokenKind.Word or SqlTokenKind.Identifier } token)
            {
                parts.Add(token.Name!);
                quoted.Add(token.Kind == SqlTokenKind.Identifier);
                _index++;
                if (!AcceptSymbol('.'))
                {
                    break;
                }
            }

            return parts.Count == 0 ? null : new WrittenName(parts, quoted);
        }

        /// <summary>An integer literal, with an optional sign.</summary>
        public long? ReadInteger()
        {
            var negative = AcceptSymbol('-');
            if (!negative)
            {
                AcceptSymbol('+');
            }

            if (Peek is { Kind: SqlTokenKind.Number } number && long.TryParse(number.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                _index++;
                return negative ? -value : value;
            }

            return null;
        }

        /// <summary>The statement text from the current token to the end, or to the first of <paramref name="stops"/> outside parentheses; null when a stop word is met.</summary>
        public string? RestUntil(params string[] stops)
        {
            if (AtEnd)
            {
                return null;
            }

            var depth = 0;
            for (var i = _index; i < tokens.Count; i++)
            {
                var token = tokens[i];
                depth += token.IsSymbol('(') ? 1 : token.IsSymbol(')') ? -1 : 0;
                if (depth == 0 && stops.Any(token.IsWord))
                {
                    return null;
                }
            }

            var start = tokens[_index].Start;
            var end = tokens[^1].End;
            _index = tokens.Count;
            return text[start..end];
        }
    }
}
