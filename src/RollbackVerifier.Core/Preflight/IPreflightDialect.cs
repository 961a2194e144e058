using RollbackVerifier.Execution;
using RollbackVerifier.Model;

namespace RollbackVerifier.Preflight;

/// <summary>How long a check may run and wait for locks on a production server.</summary>
/// <param name="Statement">Longest a single check may run before the server cancels it.</param>
/// <param name="LockWait">Longest a check may wait for a lock (a check never queues behind production DDL for long).</param>
public sealed record PreflightLimits(TimeSpan Statement, TimeSpan LockWait)
{
    public static PreflightLimits Default { get; } = new(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(2));
}

/// <summary>
/// What the pre-rollback checklist needs to know about an engine: SQL fragments for the checks (lengths, rounding,
/// casts that may fail), and the statements that make a session read-only on the server. Implemented by each engine's
/// dialect; Core composes the checks from these pieces and never names an engine type itself.
/// </summary>
public interface IPreflightDialect : IDialect
{
    /// <summary>A string literal that means exactly <paramref name="value"/> whatever the session's settings.</summary>
    string Literal(string value);

    /// <summary>
    /// A condition true when a value of <paramref name="column"/> (post-forward) is longer than the old column
    /// <paramref name="old"/> holds, counted in the old type's unit (characters or bytes); null when the engine does
    /// not enforce the old length.
    /// </summary>
    string? TooLong(Column old, Column column, string expression);

    /// <summary><paramref name="expression"/> rounded to <paramref name="scale"/> decimals as the engine rounds when it converts to the old type.</summary>
    string Round(string expression, int scale);

    /// <summary>
    /// A condition true when the text <paramref name="expression"/> will not convert to <paramref name="old"/>'s type,
    /// or null when the engine and version give no reliable test. <paramref name="serverVersion"/> is the target server's
    /// version as reported (for example "PostgreSQL 16.4").
    /// </summary>
    string? WillNotConvert(Column old, string expression, string? serverVersion);

    /// <summary>A condition true when the two expressions are equal or both NULL.</summary>
    string NotDistinct(string left, string right);

    /// <summary>
    /// A condition true when the text of <paramref name="expression"/> is not one of <paramref name="old"/>'s enum
    /// labels, or null when the engine's type cannot be tested that way (MySQL SET holds combinations).
    /// </summary>
    string? OutsideLabels(Column old, string expression);

    /// <summary>
    /// True when a sequence set back can hand out a key already in use (PostgreSQL). MySQL raises AUTO_INCREMENT to the
    /// highest key and SQLite's AUTOINCREMENT takes the larger of its counter and the highest rowid, so they never do.
    /// </summary>
    bool SequencesCanCollide { get; }

    /// <summary>Statements that make the session read-only on the server and bound its statements and lock waits.</summary>
    IReadOnlyList<string> ReadOnlySession(PreflightLimits limits, string? serverVersion);

    /// <summary>
    /// Starts the read-only transaction (one snapshot for every check), or null where holding a transaction open would
    /// block production writers (SQLite in rollback-journal mode): each check then reads its own snapshot.
    /// </summary>
    string? BeginReadOnly { get; }

    /// <summary>A query returning one value that is true (1, on, true) when the session is read-only on the server.</summary>
    string ReadOnlyProbe(string? serverVersion);

    /// <summary>Statements that undo <see cref="ReadOnlySession"/>, for a connection that goes back to other uses.</summary>
    IReadOnlyList<string> ResetSession(string? serverVersion);

    /// <summary>True when the server refused a statement because the session or transaction is read-only.</summary>
    bool IsReadOnlyRefusal(DatabaseError error);

    /// <summary>Comment lines telling a user how to run the checklist file read-only in the engine's own client.</summary>
    IReadOnlyList<string> HowToRunReadOnly(string fileName);
}
