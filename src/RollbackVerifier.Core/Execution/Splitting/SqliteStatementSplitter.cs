namespace RollbackVerifier.Execution.Splitting;

/// <summary>
/// Splits SQLite scripts: '...' strings, "identifiers", `identifiers`, [identifiers], -- and /* */ comments, and
/// CREATE [TEMP] TRIGGER ... BEGIN ... END bodies kept whole. Like sqlite3_complete(), the body ends at an END that
/// directly follows a ";", so CASE ... END expressions inside the body need no special care.
/// sqlite3 shell dot-commands are rejected: scripts must be plain SQL.
/// </summary>
public sealed class SqliteStatementSplitter : StatementSplitter
{
    internal static readonly SqlSyntax SqliteSyntax = new()
    {
        Backticks = true,
        Brackets = true,
    };

    private protected override SqlSyntax Syntax => SqliteSyntax;

    private protected override string BodyDescription => "trigger body (BEGIN ... END)";

    private protected override bool TryClientCommand(SqlLexer lexer, string fileName)
    {
        var text = lexer.Text;
        if (text[lexer.Position] != '.')
        {
            return false;
        }

        var end = text.IndexOf('\n', lexer.Position);
        var command = text.AsSpan(lexer.Position, (end < 0 ? text.Length : end) - lexer.Position).TrimEnd();
        throw new ScriptSplitException(
            fileName,
            lexer.LineAt(lexer.Position),
            $"sqlite3 dot-command '{command}' is not supported; scripts must be plain SQL");
    }

    private protected override void OnToken(StatementState statement, TokenKind kind, SqlKeyword keyword, char symbol)
    {
        if (kind != TokenKind.Word)
        {
            return;
        }

        if (!statement.HeaderDecided)
        {
            // CREATE [TEMP|TEMPORARY] TRIGGER
            switch (statement.WordIndex)
            {
                case 0 when keyword != SqlKeyword.Create:
                case 1 when keyword is not (SqlKeyword.Trigger or SqlKeyword.Temp or SqlKeyword.Temporary):
                case 2:
                    statement.HasBody = keyword == SqlKeyword.Trigger;
                    statement.HeaderDecided = true;
                    break;
                case 1 when keyword == SqlKeyword.Trigger:
                    statement.HasBody = true;
                    statement.HeaderDecided = true;
                    break;
            }

            return;
        }

        if (!statement.HasBody)
        {
            return;
        }

        if (keyword == SqlKeyword.Begin && statement.Depth == 0 && statement.BodyLine == 0)
        {
            statement.OpenBody();
        }
        else if (keyword == SqlKeyword.End && statement.Depth > 0 && statement.PreviousKind == TokenKind.Symbol && statement.PreviousSymbol == ';')
        {
            statement.CloseBody();
        }
    }

    private protected override bool RequiresNoTransaction(IReadOnlyList<string> words) => words.Count > 0 && words[0] == "VACUUM";
}
