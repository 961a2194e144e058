using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Splitting;
using RollbackVerifier.Model;

namespace RollbackVerifier.Preflight;

/// <summary>What a <see cref="SqlToken"/> is.</summary>
internal enum SqlTokenKind
{
    /// <summary>An unquoted word: keyword, function or identifier.</summary>
    Word,

    /// <summary>A quoted identifier ("name", `name`, [name]).</summary>
    Identifier,

    /// <summary>A string literal ('...', E'...', $$...$$, MySQL "...").</summary>
    String,

    Number,

    /// <summary>Any other single character.</summary>
    Symbol,

    /// <summary>A statement delimiter (";").</summary>
    Delimiter,

    /// <summary>MySQL's executable comment opener /*! or /*M!.</summary>
    ExecutableComment,

    /// <summary>The */ closing an executable comment.</summary>
    ExecutableCommentEnd,
}

/// <summary>One token of a statement, comments and whitespace left out.</summary>
/// <param name="Kind">What the token is.</param>
/// <param name="Text">The token as written.</param>
/// <param name="Start">Offset in the text.</param>
internal sealed record SqlToken(SqlTokenKind Kind, string Text, int Start)
{
    /// <summary>The upper-case word, or empty for other tokens.</summary>
    public string Upper => Kind == SqlTokenKind.Word ? Text.ToUpperInvariant() : string.Empty;

    /// <summary>The name a word or quoted identifier stands for (quotes removed, doubled quotes undone).</summary>
    public string? Name => Kind switch
    {
        SqlTokenKind.Word => Text,
        SqlTokenKind.Identifier => Text[1..^1].Replace(Text[0] == '[' ? "]]" : new string(Text[0], 2), Text[0] == '[' ? "]" : Text[0].ToString(), StringComparison.Ordinal),
        _ => null,
    };

    public bool IsWord(string upper) => Kind == SqlTokenKind.Word && string.Equals(Text, upper, StringComparison.OrdinalIgnoreCase);

    public bool IsSymbol(char symbol) => Kind == SqlTokenKind.Symbol && Text.Length == 1 && Text[0] == symbol;

    public int End => Start + Text.Length;
}

/// <summary>Tokenizes SQL text by the lexical rules of the engine's own client (quotes, comments, dollar quotes, executable comments).</summary>
internal static class SqlTokens
{
    /// <exception cref="ScriptSplitException">An unterminated quote or comment, or a psql meta-command.</exception>
    public static IReadOnlyList<SqlToken> Read(string text, IDialect dialect, string fileName = "(statement)")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(dialect);
        var syntax = (dialect.Splitter as StatementSplitter)?.LexicalSyntax
            ?? throw new ArgumentException($"The {dialect.Kind.ToName()} dialect's splitter has no lexical rules.", nameof(dialect));
        var lexer = new SqlLexer(text, fileName, syntax);
        var tokens = new List<SqlToken>();
        while (true)
        {
            var kind = lexer.Next();
            if (kind == TokenKind.EndOfInput)
            {
                return tokens;
            }

            var token = lexer.TokenText.ToString();
            tokens.Add(new SqlToken(
                kind switch
                {
                    TokenKind.Word => SqlTokenKind.Word,
                    TokenKind.Number => SqlTokenKind.Number,
                    TokenKind.Quoted => IsIdentifierQuote(token[0], dialect.Kind) ? SqlTokenKind.Identifier : SqlTokenKind.String,
                    TokenKind.Delimiter => SqlTokenKind.Delimiter,
                    TokenKind.ConditionalCommentStart => SqlTokenKind.ExecutableComment,
                    TokenKind.ConditionalCommentEnd => SqlTokenKind.ExecutableCommentEnd,
                    _ => SqlTokenKind.Symbol,
                },
                token,
                lexer.TokenStart));
        }
    }

    /// <summary>"..." names an identifier except on MySQL (without ANSI_QUOTES it is a string); `...` and [...] always do.</summary>
    private static bool IsIdentifierQuote(char quote, EngineKind engine) => quote switch
    {
        '`' or '[' => true,
        '"' => engine != EngineKind.MySql,
        _ => false,
    };
}
