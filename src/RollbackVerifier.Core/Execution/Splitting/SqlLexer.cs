namespace RollbackVerifier.Execution.Splitting;

/// <summary>What <see cref="SqlLexer.Next"/> found.</summary>
internal enum TokenKind
{
    EndOfInput,
    Word,
    Number,

    /// <summary>A string literal or quoted identifier of any kind (including dollar quotes).</summary>
    Quoted,

    /// <summary>Any other single character.</summary>
    Symbol,

    /// <summary>The current delimiter.</summary>
    Delimiter,

    /// <summary>MySQL <c>/*!NNNNN</c> or <c>/*M!</c>: the content is SQL, so it is lexed, not skipped.</summary>
    ConditionalCommentStart,

    /// <summary>The <c>*/</c> closing a conditional comment.</summary>
    ConditionalCommentEnd,
}

/// <summary>Words the dialects' body trackers and header checks look at.</summary>
internal enum SqlKeyword
{
    None,
    Aggregate,
    Atomic,
    Begin,
    Case,
    Create,
    Data,
    Database,
    Definer,
    Deterministic,
    Do,
    Else,
    End,
    Event,
    Fulltext,
    Function,
    If,
    Index,
    Invoker,
    Logfile,
    Loop,
    Or,
    Procedure,
    Repeat,
    Replace,
    Resource,
    Role,
    Row,
    Schema,
    Server,
    Spatial,
    Sql,
    Table,
    Tablespace,
    Temp,
    Temporary,
    Then,
    Trigger,
    Undo,
    Unique,
    User,
    View,
    While,
}

/// <summary>The lexical rules of one dialect, as its own client applies them when splitting.</summary>
internal sealed record SqlSyntax
{
    /// <summary>/* */ comments nest (PostgreSQL).</summary>
    public bool NestedBlockComments { get; init; }

    /// <summary>Backslash escapes inside '...' and "..." (MySQL).</summary>
    public bool BackslashEscapes { get; init; }

    /// <summary>E'...' strings with backslash escapes (PostgreSQL).</summary>
    public bool EscapeStringPrefix { get; init; }

    /// <summary>$$...$$ and $tag$...$tag$ (PostgreSQL).</summary>
    public bool DollarQuotes { get; init; }

    /// <summary>`identifiers` (MySQL, SQLite).</summary>
    public bool Backticks { get; init; }

    /// <summary>[identifiers] (SQLite).</summary>
    public bool Brackets { get; init; }

    /// <summary># line comments (MySQL).</summary>
    public bool HashComments { get; init; }

    /// <summary>"--" starts a comment only when followed by whitespace or a control character (MySQL).</summary>
    public bool DashCommentNeedsSpace { get; init; }

    /// <summary>/*! ... */ and /*M! ... */ executable comments (MySQL, MariaDB).</summary>
    public bool ConditionalComments { get; init; }

    /// <summary>A backslash outside quotes starts a client meta-command, which is rejected (psql).</summary>
    public bool BackslashMetaCommands { get; init; }

    /// <summary>How "..." is named in error messages.</summary>
    public string DoubleQuotedName { get; init; } = "double-quoted identifier";
}

/// <summary>
/// Single-pass tokenizer over a whole script: skips whitespace and comments, steps over quoted constructs and
/// reports words, symbols and delimiters. Every construct is scanned with vectorised searches and never revisited,
/// so splitting is linear in the script's length.
/// </summary>
internal sealed class SqlLexer
{
    private static readonly Dictionary<string, SqlKeyword>.AlternateLookup<ReadOnlySpan<char>> Keywords = BuildKeywords();

    private readonly SqlSyntax _syntax;
    private readonly string _fileName;
    private int _line = 1;
    private int _lineCountedTo;
    private int _conditionalCommentLine;
    private string _delimiter = ";";

    public SqlLexer(string text, string fileName, SqlSyntax syntax)
    {
        Text = text;
        _fileName = fileName;
        _syntax = syntax;
    }

    public string Text { get; }

    /// <summary>Where the next token is looked for; client commands move it themselves.</summary>
    public int Position { get; set; }

    /// <summary>The string that ends a statement (changed by the MySQL DELIMITER command).</summary>
    public string Delimiter
    {
        get => _delimiter;
        set
        {
            ArgumentException.ThrowIfNullOrEmpty(value);
            _delimiter = value;
        }
    }

    /// <summary>True while the default ";" is the delimiter.</summary>
    public bool HasDefaultDelimiter => _delimiter.Length == 1 && _delimiter[0] == ';';

    public TokenKind Kind { get; private set; }

    public int TokenStart { get; private set; }

    public int TokenLength => Position - TokenStart;

    /// <summary>The keyword of the current <see cref="TokenKind.Word"/> token, or <see cref="SqlKeyword.None"/>.</summary>
    public SqlKeyword Keyword { get; private set; }

    /// <summary>The character of the current <see cref="TokenKind.Symbol"/> token.</summary>
    public char Symbol => Text[TokenStart];

    public ReadOnlySpan<char> TokenText => Text.AsSpan(TokenStart, TokenLength);

    /// <summary>1-based line of <paramref name="position"/>; amortised linear when asked in increasing order.</summary>
    public int LineAt(int position)
    {
        if (position >= _lineCountedTo)
        {
            _line += Text.AsSpan(_lineCountedTo, position - _lineCountedTo).Count('\n');
        }
        else
        {
            _line -= Text.AsSpan(position, _lineCountedTo - position).Count('\n');
        }

        _lineCountedTo = position;
        return _line;
    }

    /// <summary>Skips whitespace and comments (not conditional comments, whose content is SQL).</summary>
    public void SkipTrivia()
    {
        var text = Text;
        while (Position < text.Length)
        {
            var c = text[Position];
            if (char.IsWhiteSpace(c))
            {
                Position++;
            }
            else if (!HasDefaultDelimiter && MatchesDelimiter(Position))
            {
                return;
            }
            else if (IsLineCommentStart(Position))
            {
                var end = text.IndexOf('\n', Position);
                Position = end < 0 ? text.Length : end;
            }
            else if (c == '/' && Position + 1 < text.Length && text[Position + 1] == '*' && ConditionalCommentLength(Position) == 0)
            {
                SkipBlockComment();
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>Reads the next token after any trivia.</summary>
    /// <exception cref="ScriptSplitException">An unterminated construct, or a psql meta-command.</exception>
    public TokenKind Next()
    {
        SkipTrivia();
        var text = Text;
        TokenStart = Position;
        Keyword = SqlKeyword.None;
        if (Position >= text.Length)
        {
            if (InConditionalComment)
            {
                throw new ScriptSplitException(_fileName, _conditionalCommentLine, "unterminated /*! comment starting here");
            }

            return Kind = TokenKind.EndOfInput;
        }

        if (MatchesDelimiter(Position))
        {
            Position += _delimiter.Length;
            return Kind = TokenKind.Delimiter;
        }

        var c = text[Position];
        if (InConditionalComment && c == '*' && Position + 1 < text.Length && text[Position + 1] == '/')
        {
            Position += 2;
            InConditionalComment = false;
            return Kind = TokenKind.ConditionalCommentEnd;
        }

        var conditional = ConditionalCommentLength(Position);
        if (conditional > 0)
        {
            _conditionalCommentLine = LineAt(Position);
            Position += conditional;
            InConditionalComment = true;
            return Kind = TokenKind.ConditionalCommentStart;
        }

        switch (c)
        {
            case '\'':
                SkipQuoted('\'', _syntax.BackslashEscapes, "single-quoted string");
                return Kind = TokenKind.Quoted;
            case '"':
                SkipQuoted('"', _syntax.BackslashEscapes, _syntax.DoubleQuotedName);
                return Kind = TokenKind.Quoted;
            case '`' when _syntax.Backticks:
                SkipQuoted('`', false, "backtick-quoted identifier");
                return Kind = TokenKind.Quoted;
            case '[' when _syntax.Brackets:
                SkipQuoted(']', false, "bracket-quoted identifier", closeDoubles: false);
                return Kind = TokenKind.Quoted;
            case '$' when _syntax.DollarQuotes && TrySkipDollarQuote():
                return Kind = TokenKind.Quoted;
            case '\\' when _syntax.BackslashMetaCommands:
                throw MetaCommand();
        }

        if (IsIdentifierStart(c))
        {
            if (_syntax.EscapeStringPrefix && c is 'E' or 'e' && Position + 1 < text.Length && text[Position + 1] == '\'')
            {
                Position++;
                SkipQuoted('\'', true, "escape string E'...'", tokenStart: TokenStart);
                return Kind = TokenKind.Quoted;
            }

            Position++;
            while (Position < text.Length && IsIdentifierPart(text[Position]) && !MatchesDelimiter(Position))
            {
                Position++;
            }

            var word = TokenText;
            if (word.Length <= 13 && Keywords.TryGetValue(word, out var keyword))
            {
                Keyword = keyword;
            }

            return Kind = TokenKind.Word;
        }

        if (char.IsAsciiDigit(c))
        {
            Position++;
            while (Position < text.Length && (char.IsAsciiLetterOrDigit(text[Position]) || text[Position] is '_' or '.') && !MatchesDelimiter(Position))
            {
                Position++;
            }

            return Kind = TokenKind.Number;
        }

        Position++;
        return Kind = TokenKind.Symbol;
    }

    private bool InConditionalComment { get; set; }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_' || (c >= 0x80 && char.IsLetter(c)) || char.IsSurrogate(c);

    private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || char.IsAsciiDigit(c) || c == '$' || (c >= 0x80 && char.IsLetterOrDigit(c));

    private bool MatchesDelimiter(int position)
    {
        var text = Text;
        if (text[position] != _delimiter[0])
        {
            return false;
        }

        return _delimiter.Length == 1 || string.CompareOrdinal(text, position, _delimiter, 0, _delimiter.Length) == 0;
    }

    private bool IsLineCommentStart(int p)
    {
        var text = Text;
        var c = text[p];
        if (c == '#')
        {
            return _syntax.HashComments;
        }

        if (c != '-' || p + 1 >= text.Length || text[p + 1] != '-')
        {
            return false;
        }

        return !_syntax.DashCommentNeedsSpace || p + 2 >= text.Length || char.IsWhiteSpace(text[p + 2]) || char.IsControl(text[p + 2]);
    }

    /// <summary>Length of the /*! or /*M! opener (with its version number) at <paramref name="p"/>, or 0.</summary>
    private int ConditionalCommentLength(int p)
    {
        var text = Text;
        if (!_syntax.ConditionalComments || p + 2 >= text.Length || text[p] != '/' || text[p + 1] != '*')
        {
            return 0;
        }

        int q;
        if (text[p + 2] == '!')
        {
            q = p + 3;
        }
        else if (text[p + 2] == 'M' && p + 3 < text.Length && text[p + 3] == '!')
        {
            q = p + 4;
        }
        else
        {
            return 0;
        }

        while (q < text.Length && char.IsAsciiDigit(text[q]))
        {
            q++;
        }

        return q - p;
    }

    private void SkipBlockComment()
    {
        var text = Text;
        var start = Position;
        var p = start + 2;
        var depth = 1;
        while (depth > 0)
        {
            var i = _syntax.NestedBlockComments ? text.AsSpan(p).IndexOfAny('*', '/') : text.AsSpan(p).IndexOf("*/", StringComparison.Ordinal);
            if (i < 0)
            {
                throw new ScriptSplitException(_fileName, LineAt(start), "unterminated /* comment starting here");
            }

            p += i;
            if (text[p] == '*' && p + 1 < text.Length && text[p + 1] == '/')
            {
                depth--;
                p += 2;
            }
            else if (text[p] == '/' && p + 1 < text.Length && text[p + 1] == '*')
            {
                depth++;
                p += 2;
            }
            else
            {
                p++;
            }
        }

        Position = p;
    }

    /// <summary>Steps over a construct opened at <see cref="Position"/> and closed by <paramref name="close"/>.</summary>
    private void SkipQuoted(char close, bool backslashEscapes, string what, bool closeDoubles = true, int tokenStart = -1)
    {
        var text = Text;
        var start = tokenStart < 0 ? Position : tokenStart;
        var p = Position + 1;
        while (true)
        {
            var i = backslashEscapes ? text.AsSpan(p).IndexOfAny(close, '\\') : text.AsSpan(p).IndexOf(close);
            if (i < 0)
            {
                throw new ScriptSplitException(_fileName, LineAt(start), $"unterminated {what} starting here");
            }

            p += i;
            if (text[p] == '\\' && backslashEscapes)
            {
                p = Math.Min(p + 2, text.Length);
                continue;
            }

            if (closeDoubles && p + 1 < text.Length && text[p + 1] == close)
            {
                p += 2;
                continue;
            }

            Position = p + 1;
            return;
        }
    }

    /// <summary>$tag$ ... $tag$ where the tag is empty or an identifier not starting with a digit; $1 is a parameter.</summary>
    private bool TrySkipDollarQuote()
    {
        var text = Text;
        var p = Position + 1;
        if (p < text.Length && (char.IsAsciiLetter(text[p]) || text[p] == '_' || text[p] >= 0x80))
        {
            p++;
            while (p < text.Length && (char.IsAsciiLetterOrDigit(text[p]) || text[p] == '_' || text[p] >= 0x80))
            {
                p++;
            }
        }

        if (p >= text.Length || text[p] != '$')
        {
            return false;
        }

        var tag = text.AsSpan(Position, p - Position + 1);
        var close = text.AsSpan(p + 1).IndexOf(tag, StringComparison.Ordinal);
        if (close < 0)
        {
            throw new ScriptSplitException(_fileName, LineAt(Position), $"unterminated dollar-quoted string {tag} starting here");
        }

        Position = p + 1 + close + tag.Length;
        return true;
    }

    private ScriptSplitException MetaCommand()
    {
        var end = Text.IndexOf('\n', Position);
        var command = Text.AsSpan(Position, (end < 0 ? Text.Length : end) - Position).TrimEnd();
        if (command.Length > 60)
        {
            command = command[..60];
        }

        return new ScriptSplitException(
            _fileName,
            LineAt(Position),
            $"psql meta-command '{command}' is not supported; scripts must be plain SQL");
    }

    private static Dictionary<string, SqlKeyword>.AlternateLookup<ReadOnlySpan<char>> BuildKeywords()
    {
        var map = new Dictionary<string, SqlKeyword>(StringComparer.OrdinalIgnoreCase);
        foreach (var keyword in Enum.GetValues<SqlKeyword>())
        {
            if (keyword != SqlKeyword.None)
            {
                map[keyword.ToString()] = keyword;
            }
        }

        return map.GetAlternateLookup<ReadOnlySpan<char>>();
    }
}
