using System.Data.Common;
using RollbackVerifier.Execution.Analysis;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Execution;

/// <summary>What happened when a script ran.</summary>
/// <param name="Statements">Statements in the script.</param>
/// <param name="Committed">Statements whose effects are durable (ran outside an open transaction, or in one that committed).</param>
/// <param name="Failure">The statement that failed, or null.</param>
/// <param name="TimedOut">True when the step exceeded its timeout.</param>
public sealed record ScriptOutcome(int Statements, int Committed, StatementFailure? Failure, bool TimedOut)
{
    public bool Succeeded => Failure is null && !TimedOut;

    /// <summary>For a command step: what ran and what it printed (see <see cref="Commands.CommandStepRunner"/>).</summary>
    public CommandStepRun? Command { get; init; }
}

/// <summary>
/// Runs a script the way a real migration runner does: statement by statement in autocommit honouring the
/// script's own BEGIN/COMMIT (psql without -1, the mysql client), or as one transaction (Flyway, psql -1).
/// Stops at the first failing statement; an open transaction is then rolled back by closing the connection.
/// </summary>
public static class ScriptExecutor
{
    public static async Task<ScriptOutcome> RunAsync(
        IDatabaseInstance database,
        Phase phase,
        ScriptSource script,
        ExecutionMode mode,
        ScenarioTimeouts timeouts,
        CancellationToken cancellationToken,
        ExecutionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(timeouts);
        if (script.Command is { } command)
        {
            return await Commands.CommandStepRunner.RunAsync(database, phase, command, timeouts, cancellationToken).ConfigureAwait(false);
        }

        var statements = database.Dialect.Splitter.Split(script.Text, script.Path);
        if (statements.Count == 0)
        {
            return new ScriptOutcome(0, 0, null, false);
        }

        using var stepTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stepTimeout.CancelAfter(timeouts.Step);
        var token = stepTimeout.Token;

        var connection = await database.OpenConnectionAsync(token).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        using (database.Dialect.InterruptOnCancel(connection, token))
        {
            DbTransaction? transaction = null;
            var committed = 0;
            var pendingInTransaction = 0;
            var inScriptTransaction = false;
            var runnerTransactionEnded = false; // a MySQL implicit commit ended the runner's transaction
            try
            {
                if (mode == ExecutionMode.Transaction)
                {
                    transaction = await connection.BeginTransactionAsync(token).ConfigureAwait(false);
                }

                foreach (var statement in statements)
                {
                    if (transaction is not null && statement.Kind != StatementKind.Regular)
                    {
                        // The runner owns the transaction; the script's own BEGIN/COMMIT would end it early.
                        continue;
                    }

                    if (statement.CommitsImplicitly && (inScriptTransaction || (transaction is not null && !runnerTransactionEnded)))
                    {
                        // MySQL commits what ran before the statement, whether or not the statement itself succeeds.
                        committed += pendingInTransaction;
                        pendingInTransaction = 0;
                        inScriptTransaction = false;
                        runnerTransactionEnded = transaction is not null;
                    }

                    var observer = options?.Observer;
                    var step = observer is null ? null : new StatementStep(statement, connection, transaction, (transaction is not null && !runnerTransactionEnded) || inScriptTransaction);
                    try
                    {
                        if (step is null)
                        {
                            await ExecuteAsync(connection, transaction, statement.Text, timeouts.Statement, token).ConfigureAwait(false);
                        }
                        else
                        {
                            await observer!.ExecuteAsync(step, (sql, ct) => ExecuteAsync(connection, transaction, sql, timeouts.Statement, ct), token).ConfigureAwait(false);
                        }
                    }
                    catch (Exception ex) when (ex is DbException or OperationCanceledException or TimeoutException or InvalidOperationException)
                    {
                        var timedOut = stepTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                            || ex is TimeoutException || ex.InnerException is TimeoutException;
                        cancellationToken.ThrowIfCancellationRequested();
                        var error = ex is DbException dbException
                            ? database.Dialect.DescribeError(dbException)
                            : new DatabaseError(timedOut ? "timeout" : "error", ex.Message);
                        if (timedOut)
                        {
                            error = error with { Message = $"timed out ({FormatTimeout(timeouts)}): {error.Message}" };
                        }
                        else if (transaction is not null && statement.RequiresNoTransaction)
                        {
                            error = error with { Message = $"{error.Message} (the statement cannot run inside a transaction; run this step with execution: autocommit)" };
                        }

                        var failure = new StatementFailure(phase, script.Path, statement.Number, statement.Line, statement.Text, error.Code, error.Message);
                        return new ScriptOutcome(statements.Count, committed, failure, timedOut);
                    }

                    switch (statement.Kind)
                    {
                        case StatementKind.BeginTransaction:
                            inScriptTransaction = true;
                            pendingInTransaction = 0;
                            break;
                        case StatementKind.Commit:
                            committed += pendingInTransaction + 1;
                            pendingInTransaction = 0;
                            inScriptTransaction = false;
                            break;
                        case StatementKind.Rollback:
                            pendingInTransaction = 0;
                            inScriptTransaction = false;
                            break;
                        default:
                            if (!statement.CommitsImplicitly && ((transaction is not null && !runnerTransactionEnded) || inScriptTransaction))
                            {
                                pendingInTransaction++;
                            }
                            else
                            {
                                committed++;
                            }

                            break;
                    }

                    var open = (transaction is not null && !runnerTransactionEnded) || inScriptTransaction;
                    if (step is not null)
                    {
                        await observer!.AfterAsync(step, open, token).ConfigureAwait(false);
                    }

                    if (options?.FailAfter == statement.Number)
                    {
                        return await FailureInjection.StopAsync(statements, statement, mode, open, connection, transaction, timeouts, token, phase, script.Path, committed, pendingInTransaction).ConfigureAwait(false);
                    }
                }

                if (transaction is not null)
                {
                    if (options?.Observer is { } committer)
                    {
                        await committer.CommitAsync(() => transaction.CommitAsync(token), token).ConfigureAwait(false);
                    }
                    else
                    {
                        await transaction.CommitAsync(token).ConfigureAwait(false);
                    }

                    committed += pendingInTransaction;
                }

                // A script that opens a transaction and never commits: the client's disconnect rolls it back.
                return new ScriptOutcome(statements.Count, committed, null, false);
            }
            finally
            {
                if (transaction is not null)
                {
                    await transaction.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    internal static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, TimeSpan statementTimeout, CancellationToken token)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            command.Transaction = transaction;
            command.CommandTimeout = (int)Math.Clamp(Math.Ceiling(statementTimeout.TotalSeconds), 1, int.MaxValue);
            return await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
        }
    }

    private static string FormatTimeout(ScenarioTimeouts timeouts) =>
        $"step limit {timeouts.Step.TotalSeconds:0.#}s, statement limit {timeouts.Statement.TotalSeconds:0.#}s";
}
