namespace RollbackVerifier.Execution.Splitting;

/// <summary>
/// psql meta-commands where a statement would start. Those that only affect psql's own output or error handling
/// (\echo, \qecho, \warn, \timing, \pset, \conninfo, \encoding, and \set of psql's output and ON_ERROR_STOP variables)
/// change nothing in the database and are skipped, so migration scripts written for psql (Sqitch's, psql -f) run
/// as they are. Every other meta-command is rejected with its line and what to do instead.
/// </summary>
public sealed partial class PostgresStatementSplitter
{
    private static readonly HashSet<string> OutputCommands = new(StringComparer.Ordinal) { "echo", "qecho", "warn", "timing", "pset", "conninfo", "encoding", "x", "a", "t", "H", "C", "f" };

    /// <summary>psql variables that only change psql's output or error handling (RollbackVerifier always stops at the first error).</summary>
    private static readonly HashSet<string> OutputVariables = new(StringComparer.Ordinal) { "ON_ERROR_STOP", "ECHO", "ECHO_HIDDEN", "QUIET", "VERBOSITY", "SHOW_CONTEXT", "PROMPT1", "PROMPT2", "PROMPT3" };

    private protected override bool TryClientCommand(SqlLexer lexer, string fileName)
    {
        var text = lexer.Text;
        var start = lexer.Position;
        if (text[start] != '\\')
        {
            return false;
        }

        var end = text.IndexOf('\n', start);
        end = end < 0 ? text.Length : end;
        var command = text.AsSpan(start + 1, end - start - 1).Trim().ToString();
        var space = command.IndexOfAny([' ', '\t']);
        var name = space < 0 ? command : command[..space];
        var argument = space < 0 ? string.Empty : command[(space + 1)..].Trim();
        var line = lexer.LineAt(start);
        if (OutputCommands.Contains(name) || (name == "set" && OutputVariables.Contains(argument.Split(' ', 2)[0])))
        {
            lexer.Position = end;
            return true;
        }

        var problem = name switch
        {
            "i" or "ir" or "include" or "include_relative" => "includes another file: put its statements in this script (or make it a migration of its own)",
            "c" or "connect" => "connects to another database: a migration is verified on one throwaway database",
            "copy" => "reads or writes a client-side file: load data with INSERT, or COPY ... FROM STDIN is not supported either",
            "set" or "unset" or "setenv" or "gset" => "sets a psql variable that later statements would interpolate (:name): write the value into the script",
            "if" or "elif" or "else" or "endif" => "is psql's conditional: RollbackVerifier runs every statement, so make the condition part of the SQL (DO blocks, IF EXISTS)",
            "!" or "o" or "out" or "w" or "write" or "g" or "gexec" => "runs shell commands or redirects output, which a verification must not do",
            _ => "is a psql client command, not SQL",
        };
        throw new ScriptSplitException(fileName, line, $"psql meta-command '\\{(command.Length > 60 ? command[..60] : command)}' {problem}");
    }
}
