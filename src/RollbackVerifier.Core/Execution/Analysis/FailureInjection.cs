using System.Data.Common;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Execution.Analysis;

/// <summary>
/// Stops a script run after a statement the way a real failure of the next statement would (see
/// <see cref="ExecutionOptions.FailAfter"/>). The executor then closes the connection, which rolls back whatever
/// transaction is still open, exactly as it does for a statement that really failed.
/// </summary>
internal static class FailureInjection
{
    public static async Task<ScriptOutcome> StopAsync(
        IReadOnlyList<SqlStatement> statements,
        SqlStatement after,
        ExecutionMode mode,
        bool transactionOpen,
        DbConnection connection,
        DbTransaction? transaction,
        ScenarioTimeouts timeouts,
        CancellationToken cancellationToken,
        Phase phase,
        string path,
        int committed,
        int pending)
    {
        // The statement that would run next; in transaction mode the runner skips the script's own BEGIN/COMMIT.
        var next = statements.FirstOrDefault(s => s.Number > after.Number && (mode == ExecutionMode.Autocommit || s.Kind == StatementKind.Regular));
        if (transactionOpen && next is { CommitsImplicitly: true })
        {
            // MySQL commits the open transaction before a DDL statement runs, whether or not that statement then fails.
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ScriptExecutor.ExecuteAsync(connection, null, "COMMIT", timeouts.Statement, cancellationToken).ConfigureAwait(false);
            }

            committed += pending;
        }

        var failure = new StatementFailure(
            phase,
            path,
            after.Number,
            after.Line,
            after.Text,
            ExecutionOptions.InjectedErrorCode,
            next is null
                ? $"stopped after statement {after.Number}, the last one (injected failure)"
                : $"stopped after statement {after.Number}: statement {next.Number} (line {next.Line}) fails (injected failure)");
        return new ScriptOutcome(statements.Count, committed, failure, false);
    }
}
