namespace RollbackVerifier.Execution.Splitting;

/// <summary>
/// Splits PostgreSQL scripts the way psql does: '...' strings, E'...' strings with backslash escapes,
/// "identifiers", dollar quotes ($$...$$, $tag$...$tag$; $1 is a parameter), nested /* */ comments, no split inside
/// parentheses, and SQL-standard bodies (CREATE FUNCTION|PROCEDURE ... BEGIN ATOMIC ... END) kept whole.
/// psql meta-commands that only talk to the terminal are skipped; the others are rejected with their line.
/// </summary>
public sealed partial class PostgresStatementSplitter : StatementSplitter
{
    internal static readonly SqlSyntax PostgresSyntax = new()
    {
        NestedBlockComments = true,
        EscapeStringPrefix = true,
        DollarQuotes = true,
        BackslashMetaCommands = true,
    };

    private protected override SqlSyntax Syntax => PostgresSyntax;

    private protected override string BodyDescription => "BEGIN ATOMIC ... END body";

    private protected override void OnToken(StatementState statement, TokenKind kind, SqlKeyword keyword, char symbol)
    {
        if (kind == TokenKind.Symbol)
        {
            // psql does not end a statement at a ";" inside parentheses (CREATE RULE ... DO (a; b)).
            if (symbol == '(')
            {
                statement.OpenParenthesis();
            }
            else if (symbol == ')')
            {
                statement.CloseParenthesis();
            }

            return;
        }

        if (kind != TokenKind.Word)
        {
            return;
        }

        // Like psql: bodies are tracked only in CREATE [OR REPLACE] FUNCTION|PROCEDURE.
        if (!statement.HeaderDecided)
        {
            var routine = keyword is SqlKeyword.Function or SqlKeyword.Procedure;
            switch (statement.WordIndex)
            {
                case 0 when keyword != SqlKeyword.Create:
                case 1 when !routine && keyword != SqlKeyword.Or:
                case 2 when keyword != SqlKeyword.Replace:
                case 3:
                    statement.HasBody = routine && statement.WordIndex is 1 or 3;
                    statement.HeaderDecided = true;
                    break;
                case 1 when routine:
                    statement.HasBody = true;
                    statement.HeaderDecided = true;
                    break;
            }

            return;
        }

        if (!statement.HasBody || statement.ParenDepth > 0)
        {
            return;
        }

        switch (keyword)
        {
            case SqlKeyword.Atomic when statement.PreviousKeyword == SqlKeyword.Begin:
                statement.OpenBody();
                break;
            case SqlKeyword.Case when statement.Depth > 0:
                statement.OpenBody();
                break;
            case SqlKeyword.End:
                statement.CloseBody();
                break;
        }
    }

    private protected override bool RequiresNoTransaction(IReadOnlyList<string> words)
    {
        string W(int i) => i < words.Count ? words[i] : string.Empty;

        switch (W(0))
        {
            case "VACUUM":
                return true;
            case "CREATE" or "DROP" when W(1) is "DATABASE" or "TABLESPACE" or "SUBSCRIPTION":
                return true;
            case "CREATE":
                return (W(1) == "INDEX" && W(2) == "CONCURRENTLY") || (W(1) == "UNIQUE" && W(2) == "INDEX" && W(3) == "CONCURRENTLY");
            case "DROP":
                return W(1) == "INDEX" && W(2) == "CONCURRENTLY";
            case "REINDEX":
                // REINDEX ... CONCURRENTLY, and REINDEX SCHEMA|DATABASE|SYSTEM, refuse transaction blocks.
                for (var i = 1; i < words.Count; i++)
                {
                    switch (words[i])
                    {
                        case "CONCURRENTLY" or "SCHEMA" or "DATABASE" or "SYSTEM":
                            return true;
                        case "INDEX" or "TABLE":
                            return W(i + 1) == "CONCURRENTLY";
                    }
                }

                return false;
            case "ALTER":
                return W(1) switch
                {
                    "SYSTEM" => true,

                    // The new value cannot be used in the same transaction (and before PostgreSQL 12 the
                    // statement itself refuses a transaction block).
                    "TYPE" => StatementClassifier.ContainsSequence(words, "ADD", "VALUE"),
                    "TABLE" => StatementClassifier.ContainsSequence(words, "DETACH", "PARTITION") && words.Contains("CONCURRENTLY"),
                    "DATABASE" => StatementClassifier.ContainsSequence(words, "SET", "TABLESPACE"),
                    _ => false,
                };
            case "DISCARD":
                return W(1) == "ALL";
            default:
                return false;
        }
    }
}
