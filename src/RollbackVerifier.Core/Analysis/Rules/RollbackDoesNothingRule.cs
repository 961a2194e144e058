using RollbackVerifier.Analysis.Parsing;
using RollbackVerifier.Findings;

namespace RollbackVerifier.Analysis.Rules;

/// <summary>
/// RV503: the rollback is empty, holds only comments, or only runs statements that change nothing (SELECT 1, SHOW,
/// transaction control, session settings), while the forward migration changes something. A rollback that refuses
/// on purpose (a DO block that raises) is a decision, not a no-op; a statement the parser does not understand may
/// change anything, so it keeps the rule quiet.
/// </summary>
internal sealed class RollbackDoesNothingRule : StaticRule
{
    public override FindingCode Code => FindingCodes.RollbackDoesNothing;

    public override IEnumerable<StaticFinding> Analyze(AnalysisContext context)
    {
        var forwardChanges = context.Forward.Changes.Any();
        var refuses = context.Rollback.Statements.Any(s => s.Effects.Any(e => e is AnonymousBlock { IsGuard: true }));
        if (!forwardChanges || refuses || context.Rollback.Changes.Any())
        {
            yield break;
        }

        var file = Path.GetFileName(context.Rollback.File);
        var statements = context.Rollback.Statements;
        var what = statements.Count == 0
            ? context.Rollback.HasText ? "holds only comments" : "is empty"
            : $"only runs statements that change nothing ({string.Join("; ", statements.Take(3).Select(s => s.Statement.Summary))})";
        var forward = context.Forward.Changes.First();
        yield return Report(
            statements.FirstOrDefault(),
            file,
            $"The rollback {what}, although the forward migration changes the database (first at {At(forward)}): it runs without error and undoes nothing.",
            [file]);
    }

    public override Confirmation Confirm(StaticFinding finding, RunEvidence run)
    {
        if (run.Findings.Any(f => f.Code == FindingCodes.RollbackNoop.Code))
        {
            return Confirmation.Confirmed("the rollback changed nothing (RV104)");
        }

        if (!run.RollbackRan || run.Findings.Any(f => f.Code == FindingCodes.ForwardNoChange.Code))
        {
            return Confirmation.NotChecked("the forward migration changed nothing in this run");
        }

        return Confirmation.Refuted("the run saw the rollback change the database");
    }
}
