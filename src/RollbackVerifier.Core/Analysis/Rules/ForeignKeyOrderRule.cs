using RollbackVerifier.Analysis.Parsing;
using RollbackVerifier.Analysis.Schema;
using RollbackVerifier.Analysis.Syntax;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;

namespace RollbackVerifier.Analysis.Rules;

/// <summary>
/// RV508: the rollback drops, truncates or changes a table or column that foreign keys of other tables still
/// reference (from the baseline, the forward migration or the rollback itself), before the references are removed.
/// PostgreSQL and MySQL refuse (PostgreSQL's CASCADE silently drops the referencing keys instead); SQLite with
/// foreign keys on deletes the rows first, cascading to the children. Switched-off checks (SET FOREIGN_KEY_CHECKS = 0,
/// PRAGMA foreign_keys = OFF, session_replication_role = replica) keep the rule quiet.
/// </summary>
internal sealed class ForeignKeyOrderRule : StaticRule
{
    public override FindingCode Code => FindingCodes.ForeignKeyOrder;

    public override IEnumerable<StaticFinding> Analyze(AnalysisContext context)
    {
        foreach (var (statement, index) in context.RollbackStatements)
        {
            var state = context.BeforeRollbackStatement(index);
            if (!state.ForeignKeysEnforced)
            {
                continue;
            }

            var droppedTogether = statement.Effects.OfType<DropTable>().Select(d => d.Table).ToList();
            foreach (var effect in statement.Effects)
            {
                var (parent, column, action, cascade) = effect switch
                {
                    DropTable drop => (drop.Table, null, "drops", drop.Cascade),
                    DataChange { Kind: DataChangeKind.Truncate } truncate => (truncate.Table, null, "truncates", truncate.Cascade),
                    DropColumn drop => (drop.Table, drop.Column, "drops", drop.Cascade),
                    RedefineColumn redefine when context.Engine == EngineKind.MySql && state.Column(redefine.Table, redefine.Column)?.Type is { } type
                        && redefine.Definition.Type is { } newType && !string.Equals(type.Text, newType.Text, StringComparison.OrdinalIgnoreCase) => (redefine.Table, redefine.Column, "changes the type of", false),
                    DropConstraint { Kind: ConstraintKind.PrimaryKey } dropKey => (dropKey.Table, (SqlName?)null, "drops the primary key of", dropKey.Cascade),
                    _ => ((SqlObjectRef?)null, (SqlName?)null, string.Empty, false),
                };
                if (parent is null)
                {
                    continue;
                }

                var references = state.ForeignKeys
                    .Where(f => f.Certain && f.Parent.Matches(parent) && !f.Child.Matches(parent) && !droppedTogether.Any(d => d.Matches(f.Child)))
                    .Where(f => column is null || f.ParentColumns.Contains(column) || (f.ParentColumns.Count == 0 && IsPrimaryKeyColumn(state, parent, column)))
                    .ToList();
                if (references.Count == 0 || (context.Engine == EngineKind.Sqlite && action != "drops"))
                {
                    continue;
                }

                var target = column is null ? parent.ToString() : $"{parent}.{column}";
                var referencing = string.Join(", ", references.Select(f => $"{f.Child}({string.Join(", ", f.ChildColumns.Select(c => c.Text))}){(f.Name is null ? string.Empty : " " + f.Name.Text)}"));
                var removedLater = RemovedLater(context, index, references);
                var outcome = Outcome(context.Engine, action, cascade, column is null);
                yield return Report(
                    statement,
                    target,
                    $"The rollback {action} {target} ({At(statement)}) while {referencing} still reference{(references.Count == 1 ? "s" : string.Empty)} it{removedLater}: {outcome}.",
                    [.. references.Select(f => f.Child.Name.Text), column is null ? parent.Name.Text : $"{parent.Name.Text}.{column.Text}"],
                    ("references", referencing));
            }
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

        var effects = RunMatch.On(run, finding, FindingCodes.RowsLost.Code, FindingCodes.ForeignKeyMissing.Code);
        return effects.Count > 0
            ? Confirmation.Confirmed(RunMatch.Describe(effects, effects.All(f => f.Code == FindingCodes.RowsLost.Code) ? "rows lost" : "references lost"))
            : Confirmation.NotObserved("the statement ran and the references were not affected");
    }

    private static string Outcome(EngineKind engine, string action, bool cascade, bool wholeTable) => engine switch
    {
        EngineKind.Postgres when cascade => action == "truncates"
            ? "CASCADE truncates the referencing tables too"
            : "CASCADE silently drops the referencing foreign keys, which the rollback does not restore",
        EngineKind.Postgres or EngineKind.MySql => "the engine refuses the statement, so the rollback fails here",
        _ when wholeTable => "with foreign keys on, SQLite first deletes every row of it, so ON DELETE CASCADE deletes the referencing rows and other references make the drop fail",
        _ => "the references are left pointing at a column that no longer exists",
    };

    private static bool IsPrimaryKeyColumn(SchemaModel state, SqlObjectRef table, SqlName column) =>
        state.Table(table) is { } model && (model.Constraints.Any(c => c.Kind == ConstraintKind.PrimaryKey && c.Columns.Contains(column)) || !model.DefinitionKnown);

    /// <summary>", and they are removed only later, at rollback.sql:3" when a later statement drops the reference.</summary>
    private static string RemovedLater(AnalysisContext context, int index, List<ForeignKeyModel> references)
    {
        foreach (var (statement, _) in context.RollbackStatements.Skip(index + 1))
        {
            var removes = statement.Effects.Any(e => e switch
            {
                DropConstraint drop => references.Any(f => f.Child.Matches(drop.Table) && (f.Name is null || f.Name.Equals(drop.Name))),
                DropColumn drop => references.Any(f => f.Child.Matches(drop.Table) && f.ChildColumns.Contains(drop.Column)),
                DropTable drop => references.Any(f => f.Child.Matches(drop.Table)),
                _ => false,
            });
            if (removes)
            {
                return $"; the rollback removes the reference only later ({At(statement)})";
            }
        }

        return string.Empty;
    }
}
