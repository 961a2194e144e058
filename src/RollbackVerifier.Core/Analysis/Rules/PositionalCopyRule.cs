using RollbackVerifier.Analysis.Parsing;
using RollbackVerifier.Findings;

namespace RollbackVerifier.Analysis.Rules;

/// <summary>
/// RV515: INSERT INTO target SELECT * FROM source (or INSERT INTO target without a column list from a SELECT) in the
/// rollback, where both tables' columns are known and their order differs: the copy matches by position.
/// </summary>
internal sealed class PositionalCopyRule : StaticRule
{
    public override FindingCode Code => FindingCodes.PositionalCopy;

    public override IEnumerable<StaticFinding> Analyze(AnalysisContext context)
    {
        foreach (var (statement, index) in context.RollbackStatements)
        {
            var state = context.BeforeRollbackStatement(index);
            foreach (var insert in statement.Effects.OfType<DataChange>().Where(d => d.Kind == DataChangeKind.Insert && d.Columns.Count == 0 && d.SelectStar && d.Sources.Count == 1))
            {
                var target = state.Table(insert.Table);
                var source = state.Table(insert.Sources[0]);
                if (target is not { DefinitionKnown: true } || source is not { DefinitionKnown: true })
                {
                    continue;
                }

                var targetColumns = target.Columns.Select(c => c.Name).ToList();
                var sourceColumns = source.Columns.Select(c => c.Name).ToList();
                var shifted = targetColumns.Zip(sourceColumns).Where(p => !p.First.Equals(p.Second)).ToList();
                if (shifted.Count == 0 && targetColumns.Count == sourceColumns.Count)
                {
                    continue;
                }

                var pairs = shifted.Count > 0
                    ? string.Join(", ", shifted.Take(4).Select(p => $"{source.Name}.{p.Second} into {target.Name}.{p.First}"))
                    : $"{sourceColumns.Count} columns into {targetColumns.Count}";
                yield return Report(
                    statement,
                    target.Name.ToString(),
                    $"The rollback copies {source.Name} into {target.Name} by position ({At(statement)}), and their columns are in a different order: {pairs}.",
                    [.. shifted.Select(p => $"{target.Name.Name.Text}.{p.First.Text}"), .. shifted.Select(p => $"{source.Name.Name.Text}.{p.First.Text}"), target.Name.Name.Text]);
            }
        }
    }

    public override Confirmation Confirm(StaticFinding finding, RunEvidence run)
    {
        if (RunMatch.FailedAt(run, finding))
        {
            return Confirmation.Confirmed(RunMatch.Failure(run));
        }

        var changed = RunMatch.On(run, finding, FindingCodes.ValuesChanged.Code, FindingCodes.RowsLost.Code);
        return changed.Count > 0
            ? Confirmation.Confirmed(RunMatch.Describe(changed, "values moved"))
            : Confirmation.NotObserved("the data comparison found no values moved");
    }
}
