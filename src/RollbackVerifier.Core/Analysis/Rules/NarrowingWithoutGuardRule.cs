using RollbackVerifier.Findings;
using RollbackVerifier.Model;

namespace RollbackVerifier.Analysis.Rules;

/// <summary>
/// RV504: the rollback narrows a column (shorter text, a smaller integer, fewer digits or decimals, fewer enum labels,
/// text back to a number) that the forward migration widened or that live rows may fill, with no check or repair of the
/// rows that do not fit earlier in the rollback. PostgreSQL and MySQL (SQLite does not enforce declared types).
/// </summary>
internal sealed class NarrowingWithoutGuardRule : StaticRule
{
    public override FindingCode Code => FindingCodes.NarrowingWithoutGuard;

    public override bool AppliesTo(EngineKind engine) => engine != EngineKind.Sqlite;

    public override IEnumerable<StaticFinding> Analyze(AnalysisContext context)
    {
        foreach (var (statement, index) in context.RollbackStatements)
        {
            foreach (var risk in LiveRowRisks.Of(context, statement, index).Where(r => r.Kind == RiskKind.Narrowing && !r.Guarded))
            {
                var outcome = context.Engine == EngineKind.MySql
                    ? "make it fail in strict mode, or are cut or rounded without an error outside it"
                    : "make it fail, or are rounded where PostgreSQL converts without an error";
                yield return Report(
                    statement,
                    $"{risk.Table}.{risk.Column}",
                    $"The rollback narrows {risk.What} ({At(statement)}): rows written since with {risk.Rows} {outcome}, and nothing earlier in the rollback checks or repairs them.",
                    [$"{risk.Table.Name.Text}.{risk.Column!.Text}"],
                    ("risk", risk.Rows));
            }
        }
    }

    public override Confirmation Confirm(StaticFinding finding, RunEvidence run) => ConfirmLiveRowRisk(finding, run);

    /// <summary>Shared with RV505: the statement failed, or values changed; otherwise no live row broke the rule.</summary>
    internal static Confirmation ConfirmLiveRowRisk(StaticFinding finding, RunEvidence run)
    {
        if (RunMatch.FailedAt(run, finding))
        {
            return Confirmation.Confirmed(RunMatch.Failure(run));
        }

        if (RunMatch.NotReached(run, finding))
        {
            return new Confirmation(ConfirmationStatus.NotReached, "not reached: the rollback failed before this statement");
        }

        var changed = RunMatch.On(run, finding, FindingCodes.ValuesChanged.Code, FindingCodes.RowsLost.Code);
        return changed.Count > 0
            ? Confirmation.Confirmed(RunMatch.Describe(changed, "values changed"))
            : Confirmation.NotObserved("no row written in this run broke it");
    }
}
