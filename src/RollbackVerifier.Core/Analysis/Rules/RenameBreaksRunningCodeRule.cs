using RollbackVerifier.Analysis.Parsing;
using RollbackVerifier.Analysis.Schema;
using RollbackVerifier.Findings;

namespace RollbackVerifier.Analysis.Rules;

/// <summary>
/// RV513: the rollback renames a table or column that existed before it (ALTER TABLE ... RENAME [COLUMN], RENAME
/// TABLE, MySQL CHANGE with a new name). The application code deployed with the migration uses the current name; from
/// the rename until the old code is back, one of the two versions fails. Swapping a rebuilt table into the place of
/// one the rollback just dropped keeps the name the code uses, so it does not count.
/// </summary>
internal sealed class RenameBreaksRunningCodeRule : StaticRule
{
    public override FindingCode Code => FindingCodes.RenameBreaksRunningCode;

    public override IEnumerable<StaticFinding> Analyze(AnalysisContext context)
    {
        foreach (var (statement, index) in context.RollbackStatements)
        {
            var state = context.BeforeRollbackStatement(index);
            foreach (var effect in statement.Effects)
            {
                switch (effect)
                {
                    case RenameTable rename when state.Table(rename.From) is not { Origin: Origin.Rollback } && !DroppedBefore(context, index, rename.To):
                        yield return Report(
                            statement,
                            rename.From.ToString(),
                            $"The rollback renames table {rename.From} to {rename.To} ({At(statement)}): the application code deployed with the migration reads {rename.From} and fails from this moment until the old code is deployed.",
                            [rename.From.Name.Text, rename.To.Name.Text]);
                        break;
                    case RenameColumn rename when state.Table(rename.Table) is not { Origin: Origin.Rollback }:
                        yield return Column(statement, rename.Table.ToString(), rename.From.Text, rename.To.Text);
                        break;
                    case RedefineColumn redefine when !redefine.Column.Equals(redefine.Definition.Name) && state.Table(redefine.Table) is not { Origin: Origin.Rollback }:
                        yield return Column(statement, redefine.Table.ToString(), redefine.Column.Text, redefine.Definition.Name.Text);
                        break;
                }
            }
        }
    }

    public override Confirmation Confirm(StaticFinding finding, RunEvidence run) => Confirmation.NotChecked("it concerns application code, which a run does not execute");

    private StaticFinding Column(ParsedStatement statement, string table, string from, string to) => Report(
        statement,
        $"{table}.{from}",
        $"The rollback renames column {table}.{from} to {to} ({At(statement)}): the application code deployed with the migration reads {table}.{from} and fails from this moment until the old code is deployed.",
        [$"{table}.{from}", $"{table}.{to}"]);

    private static bool DroppedBefore(AnalysisContext context, int index, Syntax.SqlObjectRef name) =>
        context.Rollback.Statements.Take(index).Any(s => s.Effects.Any(e => e is DropTable drop && drop.Table.Matches(name)));
}
