using System.Globalization;
using RollbackVerifier.Execution;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Analysis.Rules;

/// <summary>
/// RV511, per dialect. PostgreSQL and SQLite have transactional DDL: a rollback with two or more changes must run them
/// in one transaction (the script's BEGIN ... COMMIT, or the runner's), or a failure half way leaves the earlier ones
/// applied. MySQL commits every DDL statement implicitly, so a transaction cannot help: the rule fires when a statement
/// that can fail on live rows (restoring NOT NULL, narrowing, UNIQUE, CHECK, a foreign key; unguarded) comes after
/// changes that are already committed, and says so when the script's START TRANSACTION suggests otherwise.
/// </summary>
internal sealed class RollbackNotAtomicRule : StaticRule
{
    public override FindingCode Code => FindingCodes.RollbackNotAtomic;

    public override IEnumerable<StaticFinding> Analyze(AnalysisContext context)
    {
        var finding = context.Engine == EngineKind.MySql ? MySql(context) : Transactional(context);
        if (finding is not null)
        {
            yield return finding;
        }
    }

    public override Confirmation Confirm(StaticFinding finding, RunEvidence run)
    {
        var partial = run.Findings.FirstOrDefault(f => f.Code == FindingCodes.PartialApplication.Code);
        if (partial is not null)
        {
            return Confirmation.Confirmed($"{partial.Message.TrimEnd('.')} (RV107)");
        }

        if (run.Observations.FirstOrDefault(o => o.Kind == "transaction") is { } observed)
        {
            return Confirmation.Confirmed(observed.Detail);
        }

        return run.FailedStatement is { Phase: Phase.Rollback }
            ? Confirmation.NotObserved("the rollback failed before any change was applied")
            : Confirmation.NotObserved("the rollback did not fail, so nothing was left half applied");
    }

    private StaticFinding? Transactional(AnalysisContext context)
    {
        // Each change belongs to the transaction it runs in; outside one, every statement is its own.
        var units = new List<int>();
        var block = 0;
        var outside = new List<int>();
        foreach (var (statement, index) in context.RollbackStatements)
        {
            if (statement.Statement.Kind == StatementKind.BeginTransaction)
            {
                block++;
            }

            if (statement.ChangesNothing || statement.Statement.RequiresNoTransaction)
            {
                continue;
            }

            if (context.InTransaction(index))
            {
                units.Add(context.RollbackExecution == ExecutionMode.Transaction ? 0 : block);
            }
            else
            {
                units.Add(-1 - index);
                outside.Add(index);
            }
        }

        if (units.Count < 2 || units.Distinct().Count() < 2)
        {
            return null;
        }

        var first = context.Rollback.Statements[outside.Count > 0 ? outside[0] : 0];
        var count = units.Count.ToString(CultureInfo.InvariantCulture);
        var how = outside.Count > 0
            ? $"{outside.Count} of them outside a transaction (first at {At(first)})"
            : "in separate transactions";
        return Report(
            first,
            Path.GetFileName(context.Rollback.File),
            $"The rollback makes {count} changes, {how}: if a later one fails (a lock timeout, a row that breaks a restored rule), the earlier ones stay applied, although {(context.Engine == EngineKind.Sqlite ? "SQLite" : "PostgreSQL")} could undo them all together.",
            [Path.GetFileName(context.Rollback.File)],
            ("changes", count));
    }

    private StaticFinding? MySql(AnalysisContext context)
    {
        var applied = new List<int>();
        var pendingData = new List<int>();
        int? startTransaction = null;
        foreach (var (statement, index) in context.RollbackStatements)
        {
            if (statement.Statement.Kind == StatementKind.BeginTransaction)
            {
                startTransaction ??= index;
            }

            if (statement.ChangesNothing)
            {
                continue;
            }

            var risks = LiveRowRisks.Of(context, statement, index).Where(r => !r.Guarded).ToList();
            if (risks.Count > 0 && applied.Count > 0)
            {
                var illusory = startTransaction is { } begin && begin < index
                    ? $" The START TRANSACTION at {At(context.Rollback.Statements[begin])} protects nothing: MySQL commits before and after every DDL statement."
                    : string.Empty;
                return Report(
                    statement,
                    Path.GetFileName(context.Rollback.File),
                    $"The rollback {(risks[0].Kind == RiskKind.Narrowing ? "narrows" : "restores")} {risks[0].What} ({At(statement)}), which fails if {risks[0].Rows} exist, after {applied.Count} earlier change{(applied.Count == 1 ? " is" : "s are")} already committed (MySQL commits every DDL statement): a failure leaves the rollback half applied.{illusory}",
                    [Path.GetFileName(context.Rollback.File)],
                    ("committedBefore", applied.Count.ToString(CultureInfo.InvariantCulture)));
            }

            if (statement.Statement.CommitsImplicitly || !context.InTransaction(index))
            {
                applied.AddRange(pendingData);
                pendingData.Clear();
                applied.Add(index);
            }
            else
            {
                pendingData.Add(index);
            }
        }

        return null;
    }
}
