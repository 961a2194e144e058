namespace RollbackVerifier.Execution.Splitting;

/// <summary>
/// Splits MySQL scripts the way the mysql client does: '...' and "..." strings with backslash escapes, `identifiers`,
/// "-- " and # comments, /* */ comments (the content of /*! ... */ executable comments is SQL and stays in the text),
/// and the client's DELIMITER command. Without DELIMITER, a CREATE TRIGGER|PROCEDURE|FUNCTION|EVENT whose body is a
/// compound statement (BEGIN ... END, IF ... END IF, CASE ... END CASE, LOOP/WHILE/REPEAT ... END LOOP/WHILE/REPEAT)
/// is kept whole.
/// </summary>
public sealed class MySqlStatementSplitter : StatementSplitter
{
    internal static readonly SqlSyntax MySqlSyntax = new()
    {
        BackslashEscapes = true,
        Backticks = true,
        HashComments = true,
        DashCommentNeedsSpace = true,
        ConditionalComments = true,
        DoubleQuotedName = "double-quoted string",
    };

    private protected override SqlSyntax Syntax => MySqlSyntax;

    private protected override string BodyDescription => "compound statement (BEGIN ... END) in the CREATE statement";

    /// <summary>
    /// MySQL commits implicitly before (and after) DDL, account management, LOCK TABLES and administrative statements.
    /// CREATE/DROP TEMPORARY TABLE do not commit.
    /// </summary>
    private protected override bool CommitsImplicitly(IReadOnlyList<string> words)
    {
        string W(int i) => i < words.Count ? words[i] : string.Empty;

        return W(0) switch
        {
            "CREATE" or "DROP" => W(1) != "TEMPORARY",
            "ALTER" or "RENAME" or "TRUNCATE" or "GRANT" or "REVOKE" or "INSTALL" or "UNINSTALL" => true,
            "LOCK" or "UNLOCK" => W(1) is "TABLE" or "TABLES",
            "ANALYZE" or "CHECK" or "OPTIMIZE" or "REPAIR" => W(1) is "TABLE" or "TABLES" or "NO_WRITE_TO_BINLOG" or "LOCAL",
            "SET" => W(1) == "PASSWORD",
            "FLUSH" or "CACHE" => true,
            "LOAD" => W(1) == "INDEX",
            "RESET" => W(1) != "PERSIST",
            "START" or "STOP" => W(1) is "REPLICA" or "SLAVE" or "GROUP_REPLICATION",
            "CHANGE" => W(1) is "MASTER" or "REPLICATION",
            _ => false,
        };
    }

    private protected override bool TryClientCommand(SqlLexer lexer, string fileName)
    {
        // The mysql client recognises DELIMITER where a statement would begin (also after "stmt;" on the same line).
        const string Command = "DELIMITER";
        var text = lexer.Text;
        var p = lexer.Position;
        if (p + Command.Length > text.Length
            || !text.AsSpan(p, Command.Length).Equals(Command, StringComparison.OrdinalIgnoreCase)
            || (p + Command.Length < text.Length && !char.IsWhiteSpace(text[p + Command.Length])))
        {
            return false;
        }

        var lineEnd = text.IndexOf('\n', p);
        lineEnd = lineEnd < 0 ? text.Length : lineEnd;
        var argument = text.AsSpan(p + Command.Length, lineEnd - p - Command.Length).Trim();
        ReadOnlySpan<char> delimiter;
        if (argument.Length > 0 && argument[0] is '\'' or '"' or '`')
        {
            var close = argument[1..].IndexOf(argument[0]);
            delimiter = close < 0 ? argument[1..] : argument.Slice(1, close);
        }
        else
        {
            var space = argument.IndexOfAny(' ', '\t');
            delimiter = space < 0 ? argument : argument[..space];
        }

        var line = lexer.LineAt(p);
        if (delimiter.IsEmpty)
        {
            throw new ScriptSplitException(fileName, line, "DELIMITER must be followed by a delimiter character or string");
        }

        if (delimiter.Contains('\\'))
        {
            throw new ScriptSplitException(fileName, line, "DELIMITER cannot contain a backslash character");
        }

        lexer.Delimiter = delimiter.ToString();
        lexer.Position = lineEnd;
        return true;
    }

    private protected override void OnToken(StatementState statement, TokenKind kind, SqlKeyword keyword, char symbol)
    {
        if (kind == TokenKind.Word && !statement.HeaderDecided)
        {
            DecideHeader(statement, keyword);
            return;
        }

        if (!statement.HasBody)
        {
            return;
        }

        var atStatementStart = statement.AtInnerStatementStart;
        var afterEnd = statement.AfterEnd;
        statement.AtInnerStatementStart = false;
        statement.AfterEnd = false;

        if (kind != TokenKind.Word)
        {
            // After ";" or a label ("lbl:") a statement starts; after ")" too (the end of a parameter list).
            statement.AtInnerStatementStart = kind == TokenKind.Symbol && symbol is ';' or ':' or ')';
            return;
        }

        if (afterEnd && keyword is SqlKeyword.If or SqlKeyword.Case or SqlKeyword.Loop or SqlKeyword.While or SqlKeyword.Repeat)
        {
            return; // END IF, END CASE, END LOOP ...: closed with the END itself.
        }

        switch (keyword)
        {
            case SqlKeyword.Begin:
                statement.OpenBody();
                statement.AtInnerStatementStart = true;
                break;

            // A CASE expression ends with END, a CASE statement with END CASE: either way one END.
            case SqlKeyword.Case or SqlKeyword.While:
                statement.OpenBody();
                break;
            case SqlKeyword.Loop:
                statement.OpenBody();
                statement.AtInnerStatementStart = true;
                break;

            // IF and REPEAT are also functions (IF(a, b, c), REPEAT(s, n)) and IF is a clause (DROP TABLE IF EXISTS):
            // they open a block only where a statement starts.
            case SqlKeyword.If when atStatementStart:
                statement.OpenBody();
                break;
            case SqlKeyword.Repeat when atStatementStart:
                statement.OpenBody();
                statement.AtInnerStatementStart = true;
                break;
            case SqlKeyword.End:
                statement.CloseBody();
                statement.AfterEnd = true;
                break;

            // Words after which a statement starts: THEN, ELSE, DO, FOR EACH ROW, routine characteristics.
            case SqlKeyword.Then or SqlKeyword.Else or SqlKeyword.Do or SqlKeyword.Row or SqlKeyword.Deterministic
                or SqlKeyword.Sql or SqlKeyword.Data or SqlKeyword.Definer or SqlKeyword.Invoker:
                statement.AtInnerStatementStart = true;
                break;
        }
    }

    /// <summary>
    /// Bodies are tracked in CREATE [OR REPLACE] [DEFINER = user] [AGGREGATE] TRIGGER|PROCEDURE|FUNCTION|EVENT:
    /// the first object word after CREATE decides.
    /// </summary>
    private static void DecideHeader(StatementState statement, SqlKeyword keyword)
    {
        if (statement.WordIndex == 0)
        {
            statement.HeaderDecided = keyword != SqlKeyword.Create;
            return;
        }

        switch (keyword)
        {
            case SqlKeyword.Trigger or SqlKeyword.Procedure or SqlKeyword.Function or SqlKeyword.Event:
                statement.HasBody = true;
                statement.HeaderDecided = true;
                break;
            case SqlKeyword.Table or SqlKeyword.View or SqlKeyword.Index or SqlKeyword.Database or SqlKeyword.Schema
                or SqlKeyword.User or SqlKeyword.Role or SqlKeyword.Server or SqlKeyword.Tablespace or SqlKeyword.Unique
                or SqlKeyword.Spatial or SqlKeyword.Fulltext or SqlKeyword.Logfile or SqlKeyword.Resource or SqlKeyword.Undo
                or SqlKeyword.Temporary:
                statement.HeaderDecided = true;
                break;
            default:
                statement.HeaderDecided = statement.WordIndex >= 10;
                break;
        }
    }
}
