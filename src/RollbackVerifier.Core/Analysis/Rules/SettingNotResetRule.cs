using RollbackVerifier.Analysis.Parsing;
using RollbackVerifier.Analysis.Schema;
using RollbackVerifier.Analysis.Syntax;
using RollbackVerifier.Findings;

namespace RollbackVerifier.Analysis.Rules;

/// <summary>
/// RV509: the forward migration changes a column default (SET/DROP DEFAULT, or a MySQL MODIFY/CHANGE with another
/// default), a sequence's settings (increment, bounds, cycle, type, owner; not its position) or a column's identity,
/// on an object that existed before the migration, and no rollback statement sets it back (or drops and re-creates
/// the column, table or sequence). A statement the parser did not understand that names the object keeps it quiet.
/// </summary>
internal sealed class SettingNotResetRule : StaticRule
{
    public override FindingCode Code => FindingCodes.SettingNotReset;

    public override IEnumerable<StaticFinding> Analyze(AnalysisContext context)
    {
        foreach (var (statement, index) in context.Forward.Statements.Select((s, i) => (s, i)))
        {
            var state = context.ForwardStates[index];
            foreach (var effect in statement.Effects)
            {
                var setting = Setting(state, effect);
                if (setting is null || Reset(context, setting.Value.Table, setting.Value.Column, setting.Value.Sequence) || context.RollbackOpaque((setting.Value.Column ?? setting.Value.Sequence!.Name).Text))
                {
                    continue;
                }

                var (table, column, sequence, what, consequence) = setting.Value;
                var @object = sequence is not null ? sequence.ToString() : $"{table}.{column}";
                yield return Report(
                    statement,
                    @object,
                    $"The forward migration {what} ({At(statement)}), and the rollback never sets it back: {consequence}.",
                    sequence is not null ? [sequence.Name.Text] : [$"{table!.Name.Text}.{column!.Text}"]);
            }
        }
    }

    public override Confirmation Confirm(StaticFinding finding, RunEvidence run)
    {
        var shown = RunMatch.On(run, finding, FindingCodes.ColumnDefaultChanged.Code, FindingCodes.ColumnIdentityChanged.Code, FindingCodes.SequenceChanged.Code);
        if (shown.Count > 0)
        {
            return Confirmation.Confirmed(RunMatch.Describe(shown, "differences"));
        }

        if (!run.RollbackRan || run.FailedStatement is { Phase: Scenarios.Phase.Rollback })
        {
            return Confirmation.NotObserved("the rollback did not complete");
        }

        return Confirmation.Refuted("the schema comparison found it as before the migration");
    }

    private static (SqlObjectRef? Table, SqlName? Column, SqlObjectRef? Sequence, string What, string Consequence)? Setting(SchemaModel state, SqlEffect effect)
    {
        bool Existing(SqlObjectRef table, SqlName column) =>
            state.Table(table) is not { Origin: not Origin.Before } && state.Column(table, column) is not { Origin: not Origin.Before };

        switch (effect)
        {
            case SetDefault set when Existing(set.Table, set.Column):
                return (set.Table, set.Column, null, $"sets the default of {set.Table}.{set.Column} to {set.Expression}", "rows the old code inserts without a value get the new default");
            case DropDefault drop when Existing(drop.Table, drop.Column):
                return (drop.Table, drop.Column, null, $"drops the default of {drop.Table}.{drop.Column}", "inserts of the old code that rely on the default get NULL or fail");
            case RedefineColumn redefine when Existing(redefine.Table, redefine.Column) && state.Column(redefine.Table, redefine.Column) is { Type: not null } before
                && !string.Equals(Normalize(before.Default), Normalize(redefine.Definition.Default), StringComparison.OrdinalIgnoreCase):
                return (redefine.Table, redefine.Column, null, $"changes the default of {redefine.Table}.{redefine.Column} from {before.Default ?? "none"} to {redefine.Definition.Default ?? "none"}", "rows the old code inserts without a value get the new default");
            case IdentityChange { Kind: not IdentityChangeKind.Restart } identity when Existing(identity.Table, identity.Column):
                var verb = identity.Kind switch
                {
                    IdentityChangeKind.Add => "makes",
                    IdentityChangeKind.Drop => "removes the identity of",
                    _ => "changes the identity settings of",
                };
                return (identity.Table, identity.Column, null, identity.Kind == IdentityChangeKind.Add ? $"makes {identity.Table}.{identity.Column} an identity column" : $"{verb} {identity.Table}.{identity.Column}", "the old code gets the new key behaviour");
            case AlterSequence { ChangesSettings: true } sequence when !state.Sequences.TryGetValue(sequence.Name.Name.Key, out var origin) || origin == Origin.Before:
                return (null, null, sequence.Name, $"changes the settings of sequence {sequence.Name}", "the values it hands out after the rollback follow the new settings");
            default:
                return null;
        }
    }

    private static string? Normalize(string? expression) => expression?.Replace(" ", string.Empty, StringComparison.Ordinal);

    private static bool Reset(AnalysisContext context, SqlObjectRef? table, SqlName? column, SqlObjectRef? sequence)
    {
        foreach (var (statement, _) in context.RollbackStatements)
        {
            foreach (var effect in statement.Effects)
            {
                var resets = effect switch
                {
                    SetDefault s => Same(s.Table, s.Column),
                    DropDefault d => Same(d.Table, d.Column),
                    RedefineColumn r => Same(r.Table, r.Column),
                    IdentityChange { Kind: not IdentityChangeKind.Restart } i => Same(i.Table, i.Column),
                    DropColumn d => Same(d.Table, d.Column),
                    AddColumn a => Same(a.Table, a.Column.Name),
                    DropTable d => table is not null && d.Table.Matches(table),
                    AlterSequence { ChangesSettings: true } a => sequence is not null && a.Name.Matches(sequence),
                    DropSequence d => sequence is not null && d.Name.Matches(sequence),
                    CreateSequence c => sequence is not null && c.Name.Matches(sequence),
                    _ => false,
                };
                if (resets)
                {
                    return true;
                }
            }
        }

        return false;

        bool Same(SqlObjectRef t, SqlName c) => table is not null && column is not null && t.Matches(table) && c.Equals(column);
    }
}
