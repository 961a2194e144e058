using RollbackVerifier.Analysis.Parsing;
using RollbackVerifier.Analysis.Schema;
using RollbackVerifier.Analysis.Syntax;
using RollbackVerifier.Findings;

namespace RollbackVerifier.Analysis.Rules;

/// <summary>
/// RV514: the forward migration drops a column or table that existed before it without copying the data first
/// (INSERT ... SELECT, CREATE TABLE ... AS, earlier in the forward migration), and the rollback re-creates it. The
/// rollback looks like the inverse and restores the shape, but the values are gone: the forward/rollback pair, read
/// together, cannot be undone.
/// </summary>
internal sealed class DroppedDataRecreatedEmptyRule : StaticRule
{
    public override FindingCode Code => FindingCodes.DroppedDataRecreatedEmpty;

    public override IEnumerable<StaticFinding> Analyze(AnalysisContext context)
    {
        var dropped = new List<(SqlObjectRef Table, SqlName? Column, ParsedStatement Statement)>();
        foreach (var (statement, index) in context.Forward.Statements.Select((s, i) => (s, i)))
        {
            var state = context.ForwardStates[index];
            foreach (var effect in statement.Effects)
            {
                switch (effect)
                {
                    case DropTable drop when state.Table(drop.Table) is not { Origin: not Origin.Before } && !Copied(context, index, drop.Table, null):
                        dropped.Add((drop.Table, null, statement));
                        break;
                    case DropColumn drop when state.Table(drop.Table) is not { Origin: not Origin.Before } && state.Column(drop.Table, drop.Column) is not { Origin: not Origin.Before }
                        && !Copied(context, index, drop.Table, drop.Column):
                        dropped.Add((drop.Table, drop.Column, statement));
                        break;
                }
            }
        }

        foreach (var (statement, _) in context.RollbackStatements)
        {
            foreach (var effect in statement.Effects)
            {
                var match = effect switch
                {
                    AddColumn add => dropped.FirstOrDefault(d => d.Column is not null && d.Table.Matches(add.Table) && d.Column.Equals(add.Column.Name)),
                    CreateTable create when create.CopiedFrom.Count == 0 => dropped.FirstOrDefault(d => d.Column is null && d.Table.Matches(create.Table)),
                    _ => default,
                };
                if (match.Statement is null)
                {
                    continue;
                }

                var what = match.Column is null ? $"table {match.Table}" : $"column {match.Table}.{match.Column}";
                yield return Report(
                    statement,
                    match.Column is null ? match.Table.ToString() : $"{match.Table}.{match.Column}",
                    $"The forward migration drops {what} ({At(match.Statement)}) without keeping a copy of its data, and the rollback re-creates it ({At(statement)}): it comes back without the values it held before the migration, which are lost for good.",
                    [match.Column is null ? match.Table.Name.Text : $"{match.Table.Name.Text}.{match.Column.Text}"]);
            }
        }
    }

    public override Confirmation Confirm(StaticFinding finding, RunEvidence run)
    {
        var lost = RunMatch.On(run, finding, FindingCodes.DroppedDataNotRestored.Code, FindingCodes.RowsLost.Code);
        if (lost.Count > 0)
        {
            return Confirmation.Confirmed(RunMatch.Describe(lost, "values lost"));
        }

        return RunMatch.NotReached(run, finding)
            ? new Confirmation(ConfirmationStatus.NotReached, "not reached: the rollback failed before this statement")
            : Confirmation.NotObserved("the data comparison found no values lost there");
    }

    private static bool Copied(AnalysisContext context, int index, SqlObjectRef table, SqlName? column) =>
        context.Forward.Statements.Take(index).Any(s =>
            (s.Understanding != Understanding.Full && s.Mentions(table.Name.Text))
            || s.Effects.Any(e => e switch
            {
                DataChange { Kind: DataChangeKind.Insert } insert => insert.Sources.Any(t => t.Matches(table)) && (column is null || s.Mentions(column.Text) || insert.SelectStar || s.Tokens.Any(t => t.IsSymbol('*'))),
                CreateTable create => create.CopiedFrom.Any(t => t.Matches(table)) && (column is null || s.Mentions(column.Text) || s.Tokens.Any(t => t.IsSymbol('*'))),
                RenameTable rename => rename.From.Matches(table),
                _ => false,
            }));
}
