using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Analysis.Rules;

/// <summary>
/// RV507 (PostgreSQL): a rollback statement that refuses a transaction block (CREATE/DROP INDEX CONCURRENTLY, REINDEX
/// CONCURRENTLY, VACUUM ...) runs inside one: after the script's BEGIN, or because the runner wraps the script in a
/// transaction. PostgreSQL rejects it (SQLSTATE 25001).
/// </summary>
internal sealed class ConcurrentlyInTransactionRule : StaticRule
{
    public override FindingCode Code => FindingCodes.ConcurrentlyInTransaction;

    public override bool AppliesTo(EngineKind engine) => engine == EngineKind.Postgres;

    public override IEnumerable<StaticFinding> Analyze(AnalysisContext context)
    {
        foreach (var (statement, index) in context.RollbackStatements)
        {
            if (!statement.Statement.RequiresNoTransaction || !context.InTransaction(index))
            {
                continue;
            }

            var why = context.RollbackExecution == ExecutionMode.Transaction
                ? "the rollback runs as one transaction (execution: transaction, as Flyway or psql -1 run it)"
                : $"it follows the script's BEGIN at {At(context.Rollback.Statements.Take(index).Last(s => s.Statement.Kind == Execution.StatementKind.BeginTransaction))}";
            yield return Report(
                statement,
                statement.Location,
                $"{statement.Statement.Summary} ({At(statement)}) cannot run inside a transaction block, and {why}: PostgreSQL refuses it, so the rollback fails there.",
                [statement.Location]);
        }
    }

    public override Confirmation Confirm(StaticFinding finding, RunEvidence run)
    {
        if (RunMatch.FailedAt(run, finding))
        {
            return Confirmation.Confirmed(RunMatch.Failure(run));
        }

        if (RunMatch.NotReached(run, finding))
        {
            return new Confirmation(ConfirmationStatus.NotReached, "not reached: the rollback failed before this statement");
        }

        return run.RollbackRan ? Confirmation.Refuted("the statement ran without error") : Confirmation.NotChecked("the rollback did not run");
    }
}
