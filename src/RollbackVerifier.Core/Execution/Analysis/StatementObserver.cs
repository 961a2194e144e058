using System.Data.Common;

namespace RollbackVerifier.Execution.Analysis;

/// <summary>One statement as the executor is about to run it.</summary>
/// <param name="Statement">The statement.</param>
/// <param name="Connection">The script's connection.</param>
/// <param name="Transaction">The runner's transaction (execution: transaction), or null; commands on the connection must use it.</param>
/// <param name="InTransaction">True when a transaction is open before the statement (the runner's, or one the script began).</param>
public sealed record StatementStep(SqlStatement Statement, DbConnection Connection, DbTransaction? Transaction, bool InTransaction);

/// <summary>
/// Watches (and may wrap) the statements of one script run: the lock observer on PostgreSQL, the ALTER algorithm probe
/// on MySQL, the atomicity probe's snapshots. The executor keeps its own semantics (what commits, what fails); an
/// observer may only add work that leaves them unchanged.
/// </summary>
public interface IStatementObserver
{
    /// <summary>
    /// Runs the statement through <paramref name="execute"/> (which sends SQL on the script's connection and transaction
    /// under the statement timeout, returning the affected-row count). An exception from <paramref name="execute"/> must
    /// propagate: it is the statement's failure.
    /// </summary>
    Task ExecuteAsync(StatementStep step, Func<string, CancellationToken, Task<int>> execute, CancellationToken cancellationToken);

    /// <summary>After the statement succeeded and the executor updated its transaction state.</summary>
    /// <param name="step">The statement.</param>
    /// <param name="transactionOpen">True when a transaction is still open after the statement.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    Task AfterAsync(StatementStep step, bool transactionOpen, CancellationToken cancellationToken);

    /// <summary>Commits the runner's transaction through <paramref name="commit"/> (execution: transaction).</summary>
    Task CommitAsync(Func<Task> commit, CancellationToken cancellationToken);
}

/// <summary>Options of one script run beyond the scenario's: an observer, and a failure injected after a statement.</summary>
/// <param name="Observer">Watches each statement, or null.</param>
/// <param name="FailAfter">
/// Stop as if the statement after this one failed (a crash, a lost connection or a failing next statement): the open
/// transaction is rolled back by closing the connection, except that on an engine where the next statement commits
/// implicitly (MySQL DDL) the open transaction is committed first, as that statement's failure would. Null runs the
/// whole script.
/// </param>
public sealed record ExecutionOptions(IStatementObserver? Observer, int? FailAfter)
{
    /// <summary>The error code a run stopped by <see cref="FailAfter"/> reports.</summary>
    public const string InjectedErrorCode = "injected";
}
