using RollbackVerifier.Analysis.Parsing;
using RollbackVerifier.Analysis.Schema;
using RollbackVerifier.Analysis.Syntax;
using RollbackVerifier.Findings;

namespace RollbackVerifier.Analysis.Rules;

/// <summary>
/// RV501: DROP TABLE, DROP COLUMN, TRUNCATE, DELETE or UPDATE without WHERE in the rollback, on data that existed
/// before the migration (not an object the forward migration or the rollback created; renames followed), with no copy
/// of it made earlier in the rollback (INSERT ... SELECT, CREATE TABLE ... AS). A copy made by the forward migration
/// does not count: it misses everything written since.
/// </summary>
internal sealed class DestructiveWithoutCopyRule : StaticRule
{
    public override FindingCode Code => FindingCodes.DestructiveWithoutCopy;

    public override IEnumerable<StaticFinding> Analyze(AnalysisContext context)
    {
        foreach (var (statement, index) in context.RollbackStatements)
        {
            var state = context.BeforeRollbackStatement(index);
            foreach (var effect in statement.Effects)
            {
                var found = effect switch
                {
                    DropTable drop => Table(context, statement, index, state, drop.Table, $"DROP TABLE {drop.Table} destroys every row of {drop.Table}"),
                    DataChange { Kind: DataChangeKind.Truncate } truncate => Table(context, statement, index, state, truncate.Table, $"TRUNCATE {truncate.Table} deletes every row of {truncate.Table}"),
                    DataChange { Kind: DataChangeKind.Delete, HasWhere: false, HasJoin: false } delete => Table(context, statement, index, state, delete.Table, $"DELETE FROM {delete.Table} without WHERE deletes every row of {delete.Table}"),
                    DropColumn drop => Column(context, statement, index, state, drop.Table, drop.Column, "DROP COLUMN"),
                    DataChange { Kind: DataChangeKind.Update, HasWhere: false, HasJoin: false } update => Update(context, statement, index, state, update),
                    _ => null,
                };
                if (found is not null)
                {
                    yield return found;
                }
            }
        }
    }

    public override Confirmation Confirm(StaticFinding finding, RunEvidence run)
    {
        if (RunMatch.NotReached(run, finding))
        {
            return new Confirmation(ConfirmationStatus.NotReached, "not reached: the rollback failed before this statement");
        }

        var lost = RunMatch.On(run, finding, FindingCodes.RowsLost.Code, FindingCodes.DroppedDataNotRestored.Code, FindingCodes.ValuesChanged.Code, FindingCodes.TableMissing.Code, FindingCodes.ColumnMissing.Code);
        if (lost.Count > 0)
        {
            return Confirmation.Confirmed(RunMatch.Describe(lost, lost.All(f => f.Code == FindingCodes.RowsLost.Code) ? "rows lost" : "values lost"));
        }

        return RunMatch.FailedAt(run, finding)
            ? Confirmation.NotObserved("the statement failed, so nothing was destroyed")
            : Confirmation.NotObserved("the data comparison found no rows or values lost there");
    }

    private StaticFinding? Table(AnalysisContext context, ParsedStatement statement, int index, SchemaModel state, SqlObjectRef table, string what)
    {
        var model = state.Table(table);
        if (model is { Origin: not Origin.Before } || CopiedBefore(context, index, table, null) || context.RollbackOpaqueBefore(index, table.Name.Text) || IsCounterTable(table))
        {
            return null;
        }

        var original = model is not null && !model.OriginalName.Matches(table) ? $" (before the migration: {model.OriginalName})" : string.Empty;
        return Report(
            statement,
            table.ToString(),
            $"{what}{original}, a table that existed before the migration, including the rows written since; nothing earlier in the rollback copies them ({At(statement)}).",
            Objects(table, model?.OriginalName, null, null));
    }

    private StaticFinding? Column(AnalysisContext context, ParsedStatement statement, int index, SchemaModel state, SqlObjectRef table, SqlName column, string verb)
    {
        var model = state.Table(table);
        var columnModel = state.Column(table, column);
        if (model is { Origin: not Origin.Before } || columnModel is { Origin: not Origin.Before } || (model is { DefinitionKnown: true } && columnModel is null)
            || CopiedBefore(context, index, table, column) || context.RollbackOpaqueBefore(index, column.Text))
        {
            return null;
        }

        var original = columnModel is not null && (!columnModel.OriginalName.Equals(column) || (model is not null && !model.OriginalName.Matches(table)))
            ? $" (before the migration: {model?.OriginalName ?? table}.{columnModel.OriginalName})"
            : string.Empty;
        return Report(
            statement,
            $"{table}.{column}",
            $"{verb} {table}.{column} destroys its values{original}, which existed before the migration and include those written since; nothing earlier in the rollback copies them ({At(statement)}).",
            Objects(table, model?.OriginalName, column, columnModel?.OriginalName));
    }

    private StaticFinding? Update(AnalysisContext context, ParsedStatement statement, int index, SchemaModel state, DataChange update)
    {
        var model = state.Table(update.Table);
        if (model is { Origin: not Origin.Before } || IsCounterTable(update.Table))
        {
            return null;
        }

        // Only columns holding data from before the migration: filling a column the rollback just re-added is a restore.
        var overwritten = update.Columns.Where(c => state.Column(update.Table, c) is { Origin: Origin.Before }).ToList();
        if (overwritten.Count == 0 || overwritten.Any(c => CopiedBefore(context, index, update.Table, c)) || context.RollbackOpaqueBefore(index, update.Table.Name.Text))
        {
            return null;
        }

        var columns = string.Join(", ", overwritten.Select(c => $"{update.Table}.{c}"));
        return Report(
            statement,
            $"{update.Table}.{overwritten[0]}",
            $"UPDATE {update.Table} without WHERE rewrites {columns} in every row, values that existed before the migration and were written since; nothing earlier in the rollback copies them ({At(statement)}).",
            overwritten.SelectMany(c => Objects(update.Table, model?.OriginalName, c, state.Column(update.Table, c)?.OriginalName)).ToList());
    }

    private static bool IsCounterTable(SqlObjectRef table) => table.Name.Key is "sqlite_sequence";

    /// <summary>An earlier rollback statement copies rows of <paramref name="table"/> (and the column, when given).</summary>
    private static bool CopiedBefore(AnalysisContext context, int index, SqlObjectRef table, SqlName? column)
    {
        foreach (var (statement, _) in context.RollbackStatements.Take(index))
        {
            foreach (var effect in statement.Effects)
            {
                var sources = effect switch
                {
                    DataChange { Kind: DataChangeKind.Insert } insert => insert.Sources,
                    CreateTable create => create.CopiedFrom,
                    _ => [],
                };
                if (sources.Any(s => s.Matches(table)) && (column is null || statement.Mentions(column.Text) || statement.Tokens.Any(t => t.IsSymbol('*'))))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static List<string> Objects(SqlObjectRef table, SqlObjectRef? originalTable, SqlName? column, SqlName? originalColumn)
    {
        var objects = new List<string>();
        foreach (var t in new[] { table.Name.Text, originalTable?.Name.Text }.OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (column is null)
            {
                objects.Add(t);
                continue;
            }

            foreach (var c in new[] { column.Text, originalColumn?.Text }.OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
            {
                objects.Add($"{t}.{c}");
            }
        }

        return objects;
    }
}
