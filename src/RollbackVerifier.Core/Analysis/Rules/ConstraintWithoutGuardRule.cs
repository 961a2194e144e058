using RollbackVerifier.Findings;

namespace RollbackVerifier.Analysis.Rules;

/// <summary>
/// RV505: the rollback restores (or adds) NOT NULL, a primary key, UNIQUE, a CHECK or a foreign key, directly or by
/// copying rows into a rebuilt table that has it, with no check or repair of the rows written since that violate it.
/// </summary>
internal sealed class ConstraintWithoutGuardRule : StaticRule
{
    public override FindingCode Code => FindingCodes.ConstraintWithoutGuard;

    public override IEnumerable<StaticFinding> Analyze(AnalysisContext context)
    {
        foreach (var (statement, index) in context.RollbackStatements)
        {
            foreach (var risk in LiveRowRisks.Of(context, statement, index).Where(r => r.Kind != RiskKind.Narrowing && !r.Guarded))
            {
                var @object = risk.Column is null ? risk.Table.ToString() : $"{risk.Table}.{risk.Column}";
                yield return Report(
                    statement,
                    @object,
                    $"The rollback restores {risk.What} ({At(statement)}) without first checking or repairing {risk.Rows}, which make it fail.",
                    risk.Column is null ? [risk.Table.Name.Text] : [$"{risk.Table.Name.Text}.{risk.Column.Text}", risk.Table.Name.Text],
                    ("risk", risk.Rows));
            }
        }
    }

    public override Confirmation Confirm(StaticFinding finding, RunEvidence run) => NarrowingWithoutGuardRule.ConfirmLiveRowRisk(finding, run);
}
