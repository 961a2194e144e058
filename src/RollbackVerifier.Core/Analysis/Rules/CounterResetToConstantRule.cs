using RollbackVerifier.Analysis.Parsing;
using RollbackVerifier.Analysis.Schema;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;

namespace RollbackVerifier.Analysis.Rules;

/// <summary>
/// RV510: the rollback sets a counter to a constant: ALTER SEQUENCE ... RESTART [WITH n], ALTER COLUMN ... RESTART
/// [WITH n], setval('seq', n), MySQL ALTER TABLE ... AUTO_INCREMENT = n, SQLite writes to sqlite_sequence. Keys written
/// since the migration may be above it. A counter computed from the data (setval(..., (SELECT max(id) ...))) is fine,
/// and so is one of a table the rollback itself created.
/// </summary>
internal sealed class CounterResetToConstantRule : StaticRule
{
    public override FindingCode Code => FindingCodes.CounterResetToConstant;

    public override IEnumerable<StaticFinding> Analyze(AnalysisContext context)
    {
        foreach (var (statement, index) in context.RollbackStatements)
        {
            var state = context.BeforeRollbackStatement(index);
            foreach (var effect in statement.Effects)
            {
                var (counter, value, objects) = effect switch
                {
                    AlterSequence { Restarts: true } restart => (restart.Name.ToString(), restart.RestartValue ?? "its start value", new[] { restart.Name.Name.Text }),
                    SetSequenceValue { Literal: { } literal } setval => (setval.Name.ToString(), literal, new[] { setval.Name.Name.Text }),
                    IdentityChange { Kind: IdentityChangeKind.Restart } identity when state.Table(identity.Table) is not { Origin: Origin.Rollback } =>
                        ($"{identity.Table}.{identity.Column}", identity.RestartValue ?? "its start value", new[] { $"{identity.Table.Name.Text}.{identity.Column.Text}", $"{identity.Table.Name.Text}_{identity.Column.Text}_seq", identity.Table.Name.Text }),
                    SetTableCounter { Literal: { } literal } counterWrite when state.Table(counterWrite.Table) is not { Origin: Origin.Rollback } =>
                        (counterWrite.Table.Name.Text == "*" ? "every AUTOINCREMENT counter" : $"the counter of {counterWrite.Table}", literal, new[] { counterWrite.Table.Name.Text }),
                    _ => (null, null, Array.Empty<string>()),
                };
                if (counter is null)
                {
                    continue;
                }

                var consequence = context.Engine switch
                {
                    EngineKind.Postgres => "once it reaches keys written since the migration, inserts fail with duplicate keys",
                    EngineKind.MySql => "InnoDB raises it to the highest key + 1, so ids of rows deleted since are handed out again",
                    _ => "AUTOINCREMENT continues after the larger of the counter and the highest key, so ids of rows deleted since are handed out again",
                };
                yield return Report(
                    statement,
                    objects[0],
                    $"The rollback sets {counter} to {value} ({At(statement)}), a constant that ignores the keys written since the migration: {consequence}.",
                    objects,
                    ("value", value!));
            }
        }
    }

    public override Confirmation Confirm(StaticFinding finding, RunEvidence run)
    {
        var shown = RunMatch.On(run, finding, FindingCodes.SequenceBehindKey.Code, FindingCodes.SequenceReset.Code);
        if (shown.Count > 0)
        {
            return Confirmation.Confirmed(RunMatch.Describe(shown, "counter problems"));
        }

        return RunMatch.NotReached(run, finding)
            ? new Confirmation(ConfirmationStatus.NotReached, "not reached: the rollback failed before this statement")
            : Confirmation.NotObserved("the counter stayed above the keys in use and moved no lower than before");
    }
}
