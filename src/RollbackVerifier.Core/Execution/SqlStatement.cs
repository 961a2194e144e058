namespace RollbackVerifier.Execution;

/// <summary>What a statement does to the surrounding transaction, as a runner must know before executing it.</summary>
public enum StatementKind
{
    /// <summary>An ordinary statement.</summary>
    Regular,

    /// <summary>BEGIN / START TRANSACTION.</summary>
    BeginTransaction,

    /// <summary>COMMIT / END.</summary>
    Commit,

    /// <summary>ROLLBACK (not ROLLBACK TO SAVEPOINT).</summary>
    Rollback,
}

/// <summary>One statement of a script: its 1-based number, the 1-based line it starts on, and its text.</summary>
/// <param name="Number">1-based position of the statement in the script.</param>
/// <param name="Line">1-based line of the script on which the statement's first token starts.</param>
/// <param name="Text">The statement text from its first to its last token, without the delimiter; comments inside are kept.</param>
/// <param name="Kind">Transaction-control classification.</param>
/// <param name="RequiresNoTransaction">True when the engine refuses to run the statement inside a transaction block
/// (for example CREATE INDEX CONCURRENTLY or VACUUM on PostgreSQL).</param>
public sealed record SqlStatement(int Number, int Line, string Text, StatementKind Kind, bool RequiresNoTransaction)
{
    /// <summary>
    /// True when the engine commits implicitly before and after the statement (MySQL DDL, account management, LOCK
    /// TABLES, administrative statements): a transaction around it is illusory, and what ran before it is durable.
    /// </summary>
    public bool CommitsImplicitly { get; init; }

    /// <summary>
    /// The statement's leading words, upper case, with comments, quoted names and symbols left out (at most 16), for
    /// analyses that need to know what kind of statement it is. Derived from the text, so not part of equality.
    /// </summary>
    public IReadOnlyList<string> Keywords { get => _keywords.Value; init => _keywords = new(value); }

    private readonly Model.NonCompared<IReadOnlyList<string>> _keywords = new([]);

    /// <summary>The first line of the text, shortened, for console output.</summary>
    public string Summary
    {
        get
        {
            var firstLine = Text.Split('\n', 2)[0].Trim();
            return firstLine.Length <= 120 ? firstLine : string.Concat(firstLine.AsSpan(0, 117), "...");
        }
    }
}

/// <summary>Splits a script into statements the way the engine's own client would.</summary>
public interface IStatementSplitter
{
    /// <summary>Splits <paramref name="script"/>; <paramref name="fileName"/> is used in error messages only.</summary>
    /// <exception cref="ScriptSplitException">An unterminated quote, comment or body.</exception>
    IReadOnlyList<SqlStatement> Split(string script, string fileName);
}
