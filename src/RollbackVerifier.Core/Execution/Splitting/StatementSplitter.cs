using System.Text;

namespace RollbackVerifier.Execution.Splitting;

/// <summary>
/// One-pass splitter shared by the dialects: understands quotes, comments and bodies as the engine's own
/// client does, and tells each dialect about words outside quotes and comments so that it can track bodies
/// (BEGIN ATOMIC ... END, trigger bodies, compound statements) in which a semicolon does not end the statement.
/// </summary>
public abstract class StatementSplitter : IStatementSplitter
{
    /// <summary>How many leading words of each statement are kept for classification.</summary>
    private const int LeadingWordCount = 12;

    public IReadOnlyList<SqlStatement> Split(string script, string fileName)
    {
        ArgumentNullException.ThrowIfNull(script);
        var text = script.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var state = new ScanState(text, fileName);
        var statements = new List<SqlStatement>();
        var delimiter = ";";

        while (state.Position < text.Length)
        {
            var c = text[state.Position];

            if (state.StatementStart < 0 && char.IsWhiteSpace(c))
            {
                state.Advance();
                continue;
            }

            if (state.StatementStart < 0 && IsLineStart(text, state.Position) && TryClientCommand(state, ref delimiter))
            {
                continue;
            }

            if (TrySkipComment(state))
            {
                continue;
            }

            if (state.StatementStart < 0)
            {
                state.BeginStatement();
            }

            if (string.CompareOrdinal(text, state.Position, delimiter, 0, delimiter.Length) == 0 && (delimiter != ";" || state.BodyDepth == 0))
            {
                Emit(state, statements, state.Position);
                state.Position += delimiter.Length;
                continue;
            }

            if (TrySkipQuoted(state))
            {
                continue;
            }

            if (char.IsLetter(c) || c == '_')
            {
                var start = state.Position;
                while (state.Position < text.Length && (char.IsLetterOrDigit(text[state.Position]) || text[state.Position] is '_' or '$')
                    && (delimiter == ";" || string.CompareOrdinal(text, state.Position, delimiter, 0, delimiter.Length) != 0))
                {
                    state.Position++;
                }

                var word = text[start..state.Position].ToUpperInvariant();
                if (word == "E" && state.Position < text.Length && text[state.Position] == '\'' && SupportsEscapeStrings)
                {
                    state.EscapeStringPending = true;
                    continue;
                }

                if (state.Words.Count < LeadingWordCount)
                {
                    state.Words.Add(word);
                }

                var next = NextSignificantChar(text, state.Position);
                if (delimiter == ";")
                {
                    state.BodyDepth = Math.Max(0, state.BodyDepth + OnWord(state.Words, word, next, state));
                }

                state.PreviousWord = word;
                continue;
            }

            state.Advance();
        }

        if (state.StatementStart >= 0)
        {
            Emit(state, statements, text.Length);
        }

        return statements;
    }

    /// <summary>True when E'...' strings with backslash escapes exist (PostgreSQL).</summary>
    protected virtual bool SupportsEscapeStrings => false;

    /// <summary>True when '...' and "..." strings use backslash escapes (MySQL).</summary>
    protected virtual bool BackslashEscapes => false;

    /// <summary>True when /* */ comments nest (PostgreSQL).</summary>
    protected virtual bool NestedBlockComments => false;

    /// <summary>Called for each word outside quotes and comments; returns the change of body depth.</summary>
    /// <param name="leadingWords">The statement's first words so far (upper case).</param>
    /// <param name="word">The word, upper case.</param>
    /// <param name="next">The next non-whitespace character after the word, or '\0'.</param>
    /// <param name="state">Scanner state (previous word, depth).</param>
    private protected abstract int OnWord(IReadOnlyList<string> leadingWords, string word, char next, ScanState state);

    /// <summary>Handles a client-side command at the start of a line (MySQL DELIMITER, psql meta-commands).</summary>
    private protected virtual bool TryClientCommand(ScanState state, ref string delimiter) => false;

    /// <summary>Line comment opener at the position, if any, for this dialect.</summary>
    private protected virtual bool IsLineComment(string text, int position) =>
        position + 1 < text.Length && text[position] == '-' && text[position + 1] == '-';

    /// <summary>Quoted constructs other than '...' and "...".</summary>
    private protected virtual bool TrySkipDialectQuoted(ScanState state) => false;

    /// <summary>Whether the statement must run outside a transaction block.</summary>
    protected virtual bool RequiresNoTransaction(IReadOnlyList<string> words) => false;

    private protected static bool IsLineStart(string text, int position)
    {
        var i = position - 1;
        while (i >= 0 && text[i] is ' ' or '\t')
        {
            i--;
        }

        return i < 0 || text[i] == '\n';
    }

    private protected static char NextSignificantChar(string text, int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }

        return position < text.Length ? text[position] : '\0';
    }

    private bool TrySkipComment(ScanState state)
    {
        var text = state.Text;
        var p = state.Position;
        if (IsLineComment(text, p))
        {
            while (state.Position < text.Length && text[state.Position] != '\n')
            {
                state.Position++;
            }

            return true;
        }

        if (p + 1 < text.Length && text[p] == '/' && text[p + 1] == '*')
        {
            var startLine = state.LineAt(p);
            var depth = 1;
            state.Advance(2);
            while (depth > 0)
            {
                if (state.Position >= text.Length)
                {
                    throw new ScriptSplitException(state.FileName, startLine, "unterminated /* comment starting here");
                }

                if (NestedBlockComments && text[state.Position] == '/' && state.Position + 1 < text.Length && text[state.Position + 1] == '*')
                {
                    depth++;
                    state.Advance(2);
                }
                else if (text[state.Position] == '*' && state.Position + 1 < text.Length && text[state.Position + 1] == '/')
                {
                    depth--;
                    state.Advance(2);
                }
                else
                {
                    state.Advance();
                }
            }

            return true;
        }

        return false;
    }

    private bool TrySkipQuoted(ScanState state)
    {
        var c = state.Text[state.Position];
        if (c == '\'')
        {
            var escapes = BackslashEscapes || state.EscapeStringPending;
            state.EscapeStringPending = false;
            SkipDelimited(state, '\'', escapes, "single-quoted string");
            return true;
        }

        if (c == '"')
        {
            SkipDelimited(state, '"', BackslashEscapes, "double-quoted identifier");
            return true;
        }

        return TrySkipDialectQuoted(state);
    }

    /// <summary>Skips a construct opened at the current position and closed by <paramref name="close"/> (doubled to escape).</summary>
    private protected static void SkipDelimited(ScanState state, char close, bool backslashEscapes, string what, int openLength = 1)
    {
        var text = state.Text;
        var startLine = state.LineAt(state.Position);
        state.Advance(openLength);
        while (true)
        {
            if (state.Position >= text.Length)
            {
                throw new ScriptSplitException(state.FileName, startLine, $"unterminated {what} starting here");
            }

            var ch = text[state.Position];
            if (backslashEscapes && ch == '\\')
            {
                state.Advance(Math.Min(2, text.Length - state.Position));
                continue;
            }

            if (ch == close)
            {
                if (state.Position + 1 < text.Length && text[state.Position + 1] == close)
                {
                    state.Advance(2);
                    continue;
                }

                state.Advance();
                return;
            }

            state.Advance();
        }
    }

    private void Emit(ScanState state, List<SqlStatement> statements, int end)
    {
        if (state.BodyDepth > 0 && end >= state.Text.Length)
        {
            throw new ScriptSplitException(state.FileName, state.StatementLine, "unterminated body (BEGIN ... END) in the statement starting here");
        }

        var body = state.Text[state.StatementStart..end].Trim();
        if (body.Length > 0)
        {
            statements.Add(new SqlStatement(statements.Count + 1, state.StatementLine, body, Classify(state.Words), RequiresNoTransaction(state.Words)));
        }

        state.ResetStatement();
    }

    private static StatementKind Classify(IReadOnlyList<string> words)
    {
        string W(int i) => i < words.Count ? words[i] : string.Empty;
        switch (W(0))
        {
            case "BEGIN" when W(1) is "" or "TRANSACTION" or "WORK" or "DEFERRED" or "IMMEDIATE" or "EXCLUSIVE" or "ISOLATION" or "READ" or "NOT":
            case "START" when W(1) == "TRANSACTION":
                return StatementKind.BeginTransaction;
            case "COMMIT":
            case "END" when W(1) is "" or "TRANSACTION" or "WORK":
                return StatementKind.Commit;
            case "ROLLBACK" or "ABORT" when W(1) != "TO" && !(W(1) is "WORK" or "TRANSACTION" && W(2) == "TO"):
                return StatementKind.Rollback;
            default:
                return StatementKind.Regular;
        }
    }

    /// <summary>Mutable scanner state for one script.</summary>
    private protected sealed class ScanState(string text, string fileName)
    {
        private int _line = 1;
        private int _lineCountedUpTo;

        public string Text { get; } = text;

        public string FileName { get; } = fileName;

        public int Position { get; set; }

        public int StatementStart { get; private set; } = -1;

        public int StatementLine { get; private set; }

        public int BodyDepth { get; set; }

        public string PreviousWord { get; set; } = string.Empty;

        public bool EscapeStringPending { get; set; }

        /// <summary>Dialect-specific flag: the statement is one whose body the dialect tracks.</summary>
        public bool TracksBody { get; set; }

        /// <summary>Dialect-specific flag: the next block word closes a block (END IF).</summary>
        public bool AfterEnd { get; set; }

        public List<string> Words { get; } = [];

        public void Advance(int count = 1) => Position += count;

        /// <summary>1-based line of a position; positions are asked for in increasing order, so this is linear overall.</summary>
        public int LineAt(int position)
        {
            if (position < _lineCountedUpTo)
            {
                return 1 + Text.AsSpan(0, position).Count('\n');
            }

            _line += Text.AsSpan(_lineCountedUpTo, position - _lineCountedUpTo).Count('\n');
            _lineCountedUpTo = position;
            return _line;
        }

        public void BeginStatement()
        {
            StatementStart = Position;
            StatementLine = LineAt(Position);
        }

        public void ResetStatement()
        {
            StatementStart = -1;
            BodyDepth = 0;
            TracksBody = false;
            AfterEnd = false;
            PreviousWord = string.Empty;
            EscapeStringPending = false;
            Words.Clear();
        }
    }
}

/// <summary>Splits PostgreSQL scripts like psql: dollar quotes, E'' strings, nested comments, BEGIN ATOMIC bodies.</summary>
public sealed class PostgresStatementSplitter : StatementSplitter
{
    protected override bool SupportsEscapeStrings => true;

    protected override bool NestedBlockComments => true;

    private protected override int OnWord(IReadOnlyList<string> leadingWords, string word, char next, ScanState state)
    {
        if (word == "ATOMIC" && state.PreviousWord == "BEGIN")
        {
            state.TracksBody = true;
            return 1;
        }

        if (!state.TracksBody)
        {
            return 0;
        }

        return word switch
        {
            "CASE" => 1,
            "END" => -1,
            _ => 0,
        };
    }

    private protected override bool TryClientCommand(ScanState state, ref string delimiter)
    {
        if (state.Text[state.Position] == '\\')
        {
            var end = state.Text.IndexOf('\n', state.Position);
            var command = state.Text[state.Position..(end < 0 ? state.Text.Length : end)].Trim();
            throw new ScriptSplitException(state.FileName, state.LineAt(state.Position), $"psql meta-command '{command}' is not supported; scripts must be plain SQL");
        }

        return false;
    }

    private protected override bool TrySkipDialectQuoted(ScanState state)
    {
        var text = state.Text;
        var p = state.Position;
        if (text[p] != '$' || (p > 0 && (char.IsLetterOrDigit(text[p - 1]) || text[p - 1] == '_')))
        {
            return false;
        }

        var q = p + 1;
        if (q < text.Length && char.IsDigit(text[q]))
        {
            return false; // $1 is a parameter
        }

        while (q < text.Length && (char.IsLetterOrDigit(text[q]) || text[q] == '_'))
        {
            q++;
        }

        if (q >= text.Length || text[q] != '$')
        {
            return false;
        }

        var tag = text[p..(q + 1)];
        var startLine = state.LineAt(p);
        var close = text.IndexOf(tag, q + 1, StringComparison.Ordinal);
        if (close < 0)
        {
            throw new ScriptSplitException(state.FileName, startLine, $"unterminated dollar-quoted string {tag} starting here");
        }

        state.Position = close + tag.Length;
        return true;
    }

    protected override bool RequiresNoTransaction(IReadOnlyList<string> words)
    {
        if (words.Count == 0)
        {
            return false;
        }

        var w0 = words[0];
        var w1 = words.Count > 1 ? words[1] : string.Empty;
        return w0 switch
        {
            "VACUUM" => true,
            "CREATE" or "DROP" when w1 is "DATABASE" or "TABLESPACE" or "SUBSCRIPTION" => true,
            "ALTER" when w1 == "SYSTEM" => true,
            "ALTER" when w1 == "TYPE" && ContainsSequence(words, "ADD", "VALUE") => true,
            "CREATE" or "DROP" or "REINDEX" or "ALTER" => words.Contains("CONCURRENTLY"),
            _ => false,
        };
    }

    private static bool ContainsSequence(IReadOnlyList<string> words, string first, string second)
    {
        for (var i = 0; i + 1 < words.Count; i++)
        {
            if (words[i] == first && words[i + 1] == second)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Splits MySQL scripts like the mysql client: DELIMITER, backticks, # comments, compound bodies.</summary>
public sealed class MySqlStatementSplitter : StatementSplitter
{
    private static readonly HashSet<string> BlockWords = ["IF", "CASE", "LOOP", "WHILE", "REPEAT"];
    private static readonly HashSet<string> RoutineWords = ["TRIGGER", "PROCEDURE", "FUNCTION", "EVENT"];

    protected override bool BackslashEscapes => true;

    /// <summary>True when MySQL commits implicitly before and after the statement (DDL and friends), so a transaction around it is illusory.</summary>
    public static bool CausesImplicitCommit(SqlStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var words = statement.Text.Split((char[]?)null, 4, StringSplitOptions.RemoveEmptyEntries).Select(w => w.ToUpperInvariant()).ToArray();
        if (words.Length == 0)
        {
            return false;
        }

        var temporary = words.Length > 1 && words[1] == "TEMPORARY";
        return words[0] switch
        {
            "CREATE" or "DROP" => !temporary,
            "ALTER" or "RENAME" or "TRUNCATE" or "LOCK" or "GRANT" or "REVOKE" or "ANALYZE" or "OPTIMIZE" or "REPAIR" => true,
            _ => false,
        };
    }

    private protected override bool IsLineComment(string text, int position)
    {
        if (text[position] == '#')
        {
            return true;
        }

        // MySQL needs whitespace or a control character after "--".
        return position + 1 < text.Length && text[position] == '-' && text[position + 1] == '-'
            && (position + 2 >= text.Length || char.IsWhiteSpace(text[position + 2]) || char.IsControl(text[position + 2]));
    }

    private protected override bool TryClientCommand(ScanState state, ref string delimiter)
    {
        var text = state.Text;
        const string keyword = "DELIMITER";
        if (state.Position + keyword.Length >= text.Length
            || string.Compare(text, state.Position, keyword, 0, keyword.Length, StringComparison.OrdinalIgnoreCase) != 0
            || !char.IsWhiteSpace(text[state.Position + keyword.Length]))
        {
            return false;
        }

        var end = text.IndexOf('\n', state.Position);
        end = end < 0 ? text.Length : end;
        var value = text[(state.Position + keyword.Length)..end].Trim();
        if (value.Length == 0)
        {
            throw new ScriptSplitException(state.FileName, state.LineAt(state.Position), "DELIMITER needs a delimiter");
        }

        delimiter = value;
        state.Position = end;
        return true;
    }

    private protected override bool TrySkipDialectQuoted(ScanState state)
    {
        if (state.Text[state.Position] != '`')
        {
            return false;
        }

        SkipDelimited(state, '`', false, "backtick-quoted identifier");
        return true;
    }

    private protected override int OnWord(IReadOnlyList<string> leadingWords, string word, char next, ScanState state)
    {
        if (!state.TracksBody)
        {
            if (leadingWords.Count > 0 && leadingWords[0] == "CREATE" && RoutineWords.Contains(word) && leadingWords.Count <= 8)
            {
                state.TracksBody = true;
            }

            return 0;
        }

        if (state.AfterEnd)
        {
            state.AfterEnd = false;
            if (BlockWords.Contains(word))
            {
                return 0;
            }
        }

        switch (word)
        {
            case "BEGIN":
                return 1;
            case "END":
                state.AfterEnd = true;
                return -1;
            case "IF" or "REPEAT" when next == '(':
                return 0;
            case "IF" when state.PreviousWord is "DROP" or "EXISTS" or "TABLE" or "VIEW" or "DATABASE" or "PROCEDURE" or "FUNCTION" or "TRIGGER" or "EVENT" or "INDEX":
                return 0;
            case "IF" or "CASE" or "LOOP" or "WHILE" or "REPEAT":
                return 1;
            default:
                return 0;
        }
    }
}

/// <summary>Splits SQLite scripts: backticks, [brackets], trigger bodies with CASE ... END inside.</summary>
public sealed class SqliteStatementSplitter : StatementSplitter
{
    private protected override bool TrySkipDialectQuoted(ScanState state)
    {
        var c = state.Text[state.Position];
        if (c == '`')
        {
            SkipDelimited(state, '`', false, "backtick-quoted identifier");
            return true;
        }

        if (c == '[')
        {
            SkipDelimited(state, ']', false, "bracket-quoted identifier");
            return true;
        }

        return false;
    }

    private protected override int OnWord(IReadOnlyList<string> leadingWords, string word, char next, ScanState state)
    {
        if (!state.TracksBody)
        {
            if (word == "TRIGGER" && leadingWords.Count <= 3 && leadingWords[0] == "CREATE")
            {
                state.TracksBody = true;
            }

            return 0;
        }

        return word switch
        {
            "BEGIN" when state.BodyDepth == 0 => 1,
            "CASE" when state.BodyDepth > 0 => 1,
            "END" when state.BodyDepth > 0 => -1,
            _ => 0,
        };
    }

    protected override bool RequiresNoTransaction(IReadOnlyList<string> words) => words.Count > 0 && words[0] == "VACUUM";
}
