using RollbackVerifier.Execution.Splitting;
using RollbackVerifier.Model;

namespace RollbackVerifier.Analysis.Syntax;

/// <summary>
/// Tokenizes one statement with the same lexer (and so the same quoting, comment and dollar-quote rules) the dialect's
/// splitter used to cut the script, so the parser sees exactly what the engine will see. Comments are dropped; the
/// content of MySQL executable comments (/*! ... */) is kept, as the server runs it.
/// </summary>
internal static class SqlTokenizer
{
    public static IReadOnlyList<SqlToken> Tokenize(string text, EngineKind engine)
    {
        ArgumentNullException.ThrowIfNull(text);
        var syntax = SyntaxOf(engine);
        var lexer = new SqlLexer(text, "statement", syntax);
        var tokens = new List<SqlToken>();
        while (true)
        {
            var kind = lexer.Next();
            switch (kind)
            {
                case TokenKind.EndOfInput:
                    return tokens;
                case TokenKind.ConditionalCommentStart or TokenKind.ConditionalCommentEnd:
                    continue;
                case TokenKind.Word:
                    tokens.Add(Token(SqlTokenKind.Word, lexer));
                    break;
                case TokenKind.Number:
                    tokens.Add(Token(SqlTokenKind.Number, lexer));
                    break;
                case TokenKind.Quoted:
                    tokens.Add(Quoted(lexer, engine));
                    break;
                default:
                    // Delimiters inside bodies (a ";" in a trigger or function body) are ordinary symbols here.
                    tokens.Add(Token(SqlTokenKind.Symbol, lexer));
                    break;
            }
        }
    }

    internal static SqlSyntax SyntaxOf(EngineKind engine) => engine switch
    {
        EngineKind.Postgres => PostgresStatementSplitter.PostgresSyntax,
        EngineKind.MySql => MySqlStatementSplitter.MySqlSyntax,
        EngineKind.Sqlite => SqliteStatementSplitter.SqliteSyntax,
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, null),
    };

    private static SqlToken Token(SqlTokenKind kind, SqlLexer lexer)
    {
        var text = lexer.TokenText.ToString();
        return new SqlToken(kind, text, text, lexer.TokenStart);
    }

    private static SqlToken Quoted(SqlLexer lexer, EngineKind engine)
    {
        var text = lexer.TokenText.ToString();
        var start = lexer.TokenStart;
        switch (text[0])
        {
            case '"' when engine != EngineKind.MySql:
                return new SqlToken(SqlTokenKind.QuotedName, text, Unquote(text, '"'), start);
            case '`':
                return new SqlToken(SqlTokenKind.QuotedName, text, Unquote(text, '`'), start);
            case '[':
                return new SqlToken(SqlTokenKind.QuotedName, text, text[1..^1], start);
            case '$':
                var tagEnd = text.IndexOf('$', 1);
                var tag = text[..(tagEnd + 1)];
                return new SqlToken(SqlTokenKind.String, text, text[tag.Length..^tag.Length], start);
            case 'E' or 'e':
                return new SqlToken(SqlTokenKind.String, text, Unquote(text[1..], '\''), start);
            default:
                return new SqlToken(SqlTokenKind.String, text, Unquote(text, text[0]), start);
        }
    }

    private static string Unquote(string text, char quote) =>
        text.Length < 2 ? text : text[1..^1].Replace(new string(quote, 2), quote.ToString(), StringComparison.Ordinal);
}
