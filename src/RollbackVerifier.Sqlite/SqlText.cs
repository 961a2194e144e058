using System.Text;

namespace RollbackVerifier.Sqlite;

/// <summary>Kinds of SQLite tokens.</summary>
internal enum SqlTokenKind
{
    /// <summary>A bare word: keyword or unquoted identifier.</summary>
    Word,

    /// <summary>An identifier in "double quotes", [brackets] or `backticks`.</summary>
    QuotedIdentifier,

    /// <summary>A 'string' literal.</summary>
    String,

    /// <summary>A numeric literal.</summary>
    Number,

    /// <summary>A blob literal x'..'.</summary>
    Blob,

    /// <summary>A bound parameter (?1, :name, @name, $name).</summary>
    Variable,

    /// <summary>( ) , ; .</summary>
    Punctuation,

    /// <summary>Any operator.</summary>
    Operator,
}

/// <summary>One token with its span in the source text.</summary>
internal readonly record struct SqlToken(SqlTokenKind Kind, string Text, int Start, int End)
{
    /// <summary>The identifier or word without its quotes.</summary>
    public string Value => Kind is SqlTokenKind.QuotedIdentifier or SqlTokenKind.String ? SqlText.Unquote(Text) : Text;

    public bool IsWord(string word) => Kind == SqlTokenKind.Word && string.Equals(Text, word, StringComparison.OrdinalIgnoreCase);

    public bool IsPunctuation(char c) => Kind == SqlTokenKind.Punctuation && Text.Length == 1 && Text[0] == c;

    /// <summary>A name: bare word, quoted identifier, or (SQLite accepts it) a string literal used as a name.</summary>
    public bool IsName => Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier;
}

/// <summary>
/// A small SQLite tokenizer and a normalizer for stored SQL text. SQLite keeps the original CREATE statements
/// in sqlite_schema (rewriting them on ALTER TABLE RENAME with "quoted" names), so definitions are compared in a
/// normalized form: comments dropped, whitespace canonical, keywords upper case, identifiers lower case (SQLite
/// compares identifiers case-insensitively, quoted or not), and identifiers written "x", [x], `x` or x treated
/// alike when x is a plain identifier that is not a keyword. String literals and numbers are kept as written.
/// The one imprecision: with SQLite's double-quoted-string misfeature, "abc" meant as a string literal is read as
/// the identifier abc.
/// </summary>
internal static class SqlText
{
    /// <summary>SQLite's keywords (https://sqlite.org/lang_keywords.html) plus a few contextual words.</summary>
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "ABORT", "ACTION", "ADD", "AFTER", "ALL", "ALTER", "ALWAYS", "ANALYZE", "AND", "AS", "ASC", "ATTACH", "AUTOINCREMENT",
        "BEFORE", "BEGIN", "BETWEEN", "BY", "CASCADE", "CASE", "CAST", "CHECK", "COLLATE", "COLUMN", "COMMIT", "CONFLICT",
        "CONSTRAINT", "CREATE", "CROSS", "CURRENT", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "DATABASE", "DEFAULT",
        "DEFERRABLE", "DEFERRED", "DELETE", "DESC", "DETACH", "DISTINCT", "DO", "DROP", "EACH", "ELSE", "END", "ESCAPE",
        "EXCEPT", "EXCLUDE", "EXCLUSIVE", "EXISTS", "EXPLAIN", "FAIL", "FILTER", "FIRST", "FOLLOWING", "FOR", "FOREIGN",
        "FROM", "FULL", "GENERATED", "GLOB", "GROUP", "GROUPS", "HAVING", "IF", "IGNORE", "IMMEDIATE", "IN", "INDEX",
        "INDEXED", "INITIALLY", "INNER", "INSERT", "INSTEAD", "INTERSECT", "INTO", "IS", "ISNULL", "JOIN", "KEY", "LAST",
        "LEFT", "LIKE", "LIMIT", "MATCH", "MATERIALIZED", "NATURAL", "NO", "NOT", "NOTHING", "NOTNULL", "NULL", "NULLS",
        "OF", "OFFSET", "ON", "OR", "ORDER", "OTHERS", "OUTER", "OVER", "PARTITION", "PLAN", "PRAGMA", "PRECEDING",
        "PRIMARY", "QUERY", "RAISE", "RANGE", "RECURSIVE", "REFERENCES", "REGEXP", "REINDEX", "RELEASE", "RENAME",
        "REPLACE", "RESTRICT", "RETURNING", "RIGHT", "ROLLBACK", "ROW", "ROWS", "SAVEPOINT", "SELECT", "SET", "TABLE",
        "TEMP", "TEMPORARY", "THEN", "TIES", "TO", "TRANSACTION", "TRIGGER", "UNBOUNDED", "UNION", "UNIQUE", "UPDATE",
        "USING", "VACUUM", "VALUES", "VIEW", "VIRTUAL", "WHEN", "WHERE", "WINDOW", "WITH", "WITHOUT",
        "TRUE", "FALSE", "STORED", "STRICT", "ROWID",
    };

    private static readonly string[] Operators = ["->>", "->", "||", "<<", ">>", "<=", ">=", "==", "!=", "<>", "+", "-", "*", "/", "%", "&", "|", "~", "<", ">", "=", "!"];

    public static bool IsKeyword(string word) => Keywords.Contains(word);

    /// <summary>Removes the quotes of a quoted identifier (or string) and undoes doubled quote characters.</summary>
    public static string Unquote(string text)
    {
        if (text.Length < 2)
        {
            return text;
        }

        return text[0] switch
        {
            '"' => text[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal),
            '`' => text[1..^1].Replace("``", "`", StringComparison.Ordinal),
            '\'' => text[1..^1].Replace("''", "'", StringComparison.Ordinal),
            '[' => text[1..^1],
            _ => text,
        };
    }

    /// <summary>Splits SQL text into tokens, dropping whitespace and comments. Unterminated constructs end at the end of the text.</summary>
    public static List<SqlToken> Tokenize(string sql)
    {
        var tokens = new List<SqlToken>();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c == '-' && Peek(sql, i + 1) == '-')
            {
                var end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end + 1;
                continue;
            }

            if (c == '/' && Peek(sql, i + 1) == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 2;
                continue;
            }

            var start = i;
            SqlTokenKind kind;
            switch (c)
            {
                case '\'':
                    i = QuotedEnd(sql, i, '\'');
                    kind = SqlTokenKind.String;
                    break;
                case '"':
                    i = QuotedEnd(sql, i, '"');
                    kind = SqlTokenKind.QuotedIdentifier;
                    break;
                case '`':
                    i = QuotedEnd(sql, i, '`');
                    kind = SqlTokenKind.QuotedIdentifier;
                    break;
                case '[':
                    var close = sql.IndexOf(']', i + 1);
                    i = close < 0 ? sql.Length : close + 1;
                    kind = SqlTokenKind.QuotedIdentifier;
                    break;
                case '(' or ')' or ',' or ';':
                    i++;
                    kind = SqlTokenKind.Punctuation;
                    break;
                case '.' when !char.IsAsciiDigit(Peek(sql, i + 1)):
                    i++;
                    kind = SqlTokenKind.Punctuation;
                    break;
                case '?' or ':' or '@' or '$' when IsIdentifierChar(Peek(sql, i + 1)):
                    i++;
                    while (i < sql.Length && IsIdentifierChar(sql[i]))
                    {
                        i++;
                    }

                    kind = SqlTokenKind.Variable;
                    break;
                case 'x' or 'X' when Peek(sql, i + 1) == '\'':
                    i = QuotedEnd(sql, i + 1, '\'');
                    kind = SqlTokenKind.Blob;
                    break;
                case '.':
                case >= '0' and <= '9':
                    i = NumberEnd(sql, i);
                    kind = SqlTokenKind.Number;
                    break;
                default:
                    if (IsIdentifierStart(c))
                    {
                        while (i < sql.Length && IsIdentifierChar(sql[i]))
                        {
                            i++;
                        }

                        kind = SqlTokenKind.Word;
                    }
                    else
                    {
                        var op = Operators.FirstOrDefault(o => string.CompareOrdinal(sql, i, o, 0, o.Length) == 0);
                        i += op?.Length ?? 1;
                        kind = SqlTokenKind.Operator;
                    }

                    break;
            }

            tokens.Add(new SqlToken(kind, sql[start..i], start, i));
        }

        return tokens;
    }

    /// <summary>Normalizes SQL text (see the class summary); a trailing semicolon is dropped.</summary>
    public static string Normalize(string sql) => Render(Tokenize(sql));

    /// <summary>Renders tokens in the normalized form.</summary>
    public static string Render(IReadOnlyList<SqlToken> tokens) => Render(tokens, 0, tokens.Count);

    /// <summary>Renders tokens [start, end) in the normalized form.</summary>
    public static string Render(IReadOnlyList<SqlToken> tokens, int start, int end)
    {
        while (end > start && tokens[end - 1].IsPunctuation(';'))
        {
            end--;
        }

        var builder = new StringBuilder();
        SqlToken? previous = null;
        var previousIsUnary = false;
        for (var i = start; i < end; i++)
        {
            var token = tokens[i];
            if (previous is { } prev && NeedsSpace(prev, previousIsUnary, token))
            {
                builder.Append(' ');
            }

            builder.Append(RenderToken(token));
            previousIsUnary = token.Kind == SqlTokenKind.Operator && token.Text is "-" or "+" or "~"
                && (previous is null || IsOperandBoundary(previous.Value));
            previous = token;
        }

        return builder.ToString();
    }

    private static string RenderToken(SqlToken token)
    {
        switch (token.Kind)
        {
            case SqlTokenKind.Word:
                return IsKeyword(token.Text) ? token.Text.ToUpperInvariant() : FoldCase(token.Text);
            case SqlTokenKind.QuotedIdentifier:
                var name = FoldCase(token.Value);
                return IsPlainIdentifier(name) && !IsKeyword(name) ? name : "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            case SqlTokenKind.Blob:
                return "X" + token.Text[1..].ToUpperInvariant();
            default:
                return token.Text;
        }
    }

    private static bool NeedsSpace(SqlToken previous, bool previousIsUnary, SqlToken current)
    {
        if (previous.IsPunctuation('(') || previous.IsPunctuation('.') || previousIsUnary)
        {
            return false;
        }

        if (current.IsPunctuation(')') || current.IsPunctuation(',') || current.IsPunctuation('.') || current.IsPunctuation(';'))
        {
            return false;
        }

        // name( for calls and column lists; keyword ( keeps its space (IN (...), AS (...), VALUES (...)).
        if (current.IsPunctuation('('))
        {
            return !(previous.Kind == SqlTokenKind.QuotedIdentifier || (previous.Kind == SqlTokenKind.Word && !IsKeyword(previous.Text)));
        }

        return true;
    }

    /// <summary>True when an operator following <paramref name="token"/> would be unary.</summary>
    private static bool IsOperandBoundary(SqlToken token) =>
        token.Kind == SqlTokenKind.Operator
        || token.IsPunctuation('(') || token.IsPunctuation(',')
        || (token.Kind == SqlTokenKind.Word && IsKeyword(token.Text) && !token.IsWord("NULL") && !token.IsWord("END")
            && !token.IsWord("CURRENT_DATE") && !token.IsWord("CURRENT_TIME") && !token.IsWord("CURRENT_TIMESTAMP")
            && !token.IsWord("TRUE") && !token.IsWord("FALSE") && !token.IsWord("ROWID"));

    /// <summary>Lower-cases ASCII letters only, as SQLite compares identifiers.</summary>
    public static string FoldCase(string identifier) =>
        identifier.Any(char.IsAsciiLetterUpper) ? string.Create(identifier.Length, identifier, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsAsciiLetterUpper(source[i]) ? (char)(source[i] + 32) : source[i];
            }
        }) : identifier;

    public static bool IsPlainIdentifier(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_');

    /// <summary>Index of the token after the parenthesis group that starts at <paramref name="open"/> (which must be "(").</summary>
    public static int SkipGroup(IReadOnlyList<SqlToken> tokens, int open)
    {
        var depth = 0;
        for (var i = open; i < tokens.Count; i++)
        {
            if (tokens[i].IsPunctuation('('))
            {
                depth++;
            }
            else if (tokens[i].IsPunctuation(')'))
            {
                depth--;
                if (depth == 0)
                {
                    return i + 1;
                }
            }
        }

        return tokens.Count;
    }

    /// <summary>Splits tokens [start, end) at top-level commas into [start, end) ranges.</summary>
    public static List<(int Start, int End)> SplitTopLevel(IReadOnlyList<SqlToken> tokens, int start, int end)
    {
        var parts = new List<(int, int)>();
        var depth = 0;
        var partStart = start;
        for (var i = start; i < end; i++)
        {
            if (tokens[i].IsPunctuation('('))
            {
                depth++;
            }
            else if (tokens[i].IsPunctuation(')'))
            {
                depth--;
            }
            else if (depth == 0 && tokens[i].IsPunctuation(','))
            {
                parts.Add((partStart, i));
                partStart = i + 1;
            }
        }

        if (end > partStart)
        {
            parts.Add((partStart, end));
        }

        return parts;
    }

    private static char Peek(string text, int index) => index < text.Length ? text[index] : '\0';

    private static int QuotedEnd(string sql, int open, char quote)
    {
        var i = open + 1;
        while (i < sql.Length)
        {
            if (sql[i] == quote)
            {
                if (Peek(sql, i + 1) == quote)
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        return sql.Length;
    }

    private static int NumberEnd(string sql, int i)
    {
        if (sql[i] == '0' && (Peek(sql, i + 1) is 'x' or 'X') && char.IsAsciiHexDigit(Peek(sql, i + 2)))
        {
            i += 2;
            while (i < sql.Length && (char.IsAsciiHexDigit(sql[i]) || sql[i] == '_'))
            {
                i++;
            }

            return i;
        }

        while (i < sql.Length && (char.IsAsciiDigit(sql[i]) || sql[i] is '.' or '_'))
        {
            i++;
        }

        if (i < sql.Length && sql[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (Peek(sql, j) is '+' or '-')
            {
                j++;
            }

            if (char.IsAsciiDigit(Peek(sql, j)))
            {
                i = j;
                while (i < sql.Length && char.IsAsciiDigit(sql[i]))
                {
                    i++;
                }
            }
        }

        return i;
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_' || c >= 0x80;

    private static bool IsIdentifierChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '$' || c >= 0x80;
}
