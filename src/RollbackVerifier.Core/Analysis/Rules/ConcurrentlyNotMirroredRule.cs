using RollbackVerifier.Analysis.Parsing;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;

namespace RollbackVerifier.Analysis.Rules;

/// <summary>
/// RV506 (PostgreSQL): the forward migration built an index with CREATE INDEX CONCURRENTLY and the rollback drops it
/// with a plain DROP INDEX (ACCESS EXCLUSIVE: blocks reads and writes), or the forward dropped one CONCURRENTLY and the
/// rollback re-creates it with a plain CREATE INDEX (SHARE: blocks writes for the whole build).
/// </summary>
internal sealed class ConcurrentlyNotMirroredRule : StaticRule
{
    public override FindingCode Code => FindingCodes.ConcurrentlyNotMirrored;

    public override bool AppliesTo(EngineKind engine) => engine == EngineKind.Postgres;

    public override IEnumerable<StaticFinding> Analyze(AnalysisContext context)
    {
        var built = context.Forward.Statements.SelectMany(s => s.Effects.OfType<CreateIndex>().Where(c => c.Concurrently && c.Name is not null).Select(c => (Index: c, Statement: s))).ToList();
        var dropped = context.Forward.Statements.SelectMany(s => s.Effects.OfType<DropIndex>().Where(d => d.Concurrently).Select(d => (Index: d, Statement: s))).ToList();
        foreach (var (statement, _) in context.RollbackStatements)
        {
            foreach (var effect in statement.Effects)
            {
                if (effect is DropIndex { Concurrently: false } drop && built.FirstOrDefault(b => b.Index.Name!.Matches(drop.Name)) is { Statement: not null } forward)
                {
                    yield return Report(
                        statement,
                        drop.Name.ToString(),
                        $"The forward migration builds index {drop.Name} CONCURRENTLY ({At(forward.Statement)}), but the rollback drops it with a plain DROP INDEX ({At(statement)}), whose ACCESS EXCLUSIVE lock on {forward.Index.Table} queues every read and write behind it.",
                        [drop.Name.Name.Text, forward.Index.Table.Name.Text]);
                }
                else if (effect is CreateIndex { Concurrently: false, Name: { } name } create && dropped.FirstOrDefault(d => d.Index.Name.Matches(name)) is { Statement: not null } forwardDrop)
                {
                    yield return Report(
                        statement,
                        name.ToString(),
                        $"The forward migration drops index {name} CONCURRENTLY ({At(forwardDrop.Statement)}), but the rollback re-creates it with a plain CREATE INDEX ({At(statement)}), which blocks every write to {create.Table} until the index is built.",
                        [name.Name.Text, create.Table.Name.Text]);
                }
            }
        }
    }

    public override Confirmation Confirm(StaticFinding finding, RunEvidence run) => LockEvidence.Confirm(finding, run);
}
