using System.Globalization;
using RollbackVerifier.Analysis.Parsing;
using RollbackVerifier.Analysis.Schema;
using RollbackVerifier.Analysis.Syntax;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;

namespace RollbackVerifier.Analysis.Rules;

/// <summary>
/// RV512 (PostgreSQL): the rollback takes a lock that blocks writes or reads on a table that existed before it (ALTER
/// TABLE, DROP/TRUNCATE, CREATE INDEX or DROP INDEX without CONCURRENTLY, triggers, views, LOCK, VACUUM FULL, CLUSTER,
/// REINDEX, REFRESH MATERIALIZED VIEW) before any SET lock_timeout / statement_timeout. Reported once per rollback, at
/// the first such statement; tables the rollback created itself are nobody else's yet.
/// </summary>
internal sealed class LockTimeoutMissingRule : StaticRule
{
    private static readonly string[] WeakLockModes = ["ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE"];

    public override FindingCode Code => FindingCodes.LockTimeoutMissing;

    public override bool AppliesTo(EngineKind engine) => engine == EngineKind.Postgres;

    public override IEnumerable<StaticFinding> Analyze(AnalysisContext context)
    {
        var locks = new List<(ParsedStatement Statement, string Table, string Lock)>();
        foreach (var (statement, index) in context.RollbackStatements)
        {
            var state = context.BeforeRollbackStatement(index);
            if (state.TimeoutSet)
            {
                continue;
            }

            foreach (var (table, mode) in StrongLocks(statement, state))
            {
                if (state.Table(table) is not { Origin: Origin.Rollback })
                {
                    locks.Add((statement, table.ToString(), mode));
                    break;
                }
            }
        }

        if (locks.Count == 0)
        {
            yield break;
        }

        var (first, firstTable, firstLock) = locks[0];
        var more = locks.Count > 1 ? $" ({locks.Count.ToString(CultureInfo.InvariantCulture)} statements take such locks)" : string.Empty;
        yield return Report(
            first,
            firstTable,
            $"{first.Statement.Summary} ({At(first)}) takes {(firstLock.StartsWith('A') || firstLock.StartsWith('E') ? "an" : "a")} {firstLock} lock on {firstTable} with no lock_timeout or statement_timeout set before it{more}: while it waits behind a long-running query, every query on {firstTable} queues behind it.",
            locks.Select(l => l.Table).Distinct().ToList(),
            ("statements", locks.Count.ToString(CultureInfo.InvariantCulture)), ("lock", firstLock));
    }

    public override Confirmation Confirm(StaticFinding finding, RunEvidence run) => LockEvidence.Confirm(finding, run);

    private static IEnumerable<(SqlObjectRef Table, string Mode)> StrongLocks(ParsedStatement statement, SchemaModel state)
    {
        foreach (var effect in statement.Effects)
        {
            switch (effect)
            {
                case ValidateConstraint:
                    break;
                case AddConstraint { Constraint.Kind: ConstraintKind.ForeignKey } fk:
                    yield return (fk.Table, "SHARE ROW EXCLUSIVE");
                    break;
                case AddColumn or DropColumn or RenameColumn or ChangeColumnType or SetNotNull or DropNotNull or SetDefault or DropDefault or IdentityChange
                    or AddConstraint or DropConstraint or RenameConstraint or RenameTable or DropTable:
                    yield return (TableOf(effect), "ACCESS EXCLUSIVE");
                    break;
                case DataChange { Kind: DataChangeKind.Truncate } truncate:
                    yield return (truncate.Table, "ACCESS EXCLUSIVE");
                    break;
                case CreateIndex { Concurrently: false } create:
                    yield return (create.Table, "SHARE");
                    break;
                case DropIndex { Concurrently: false } drop:
                    var table = state.Indexes.FirstOrDefault(i => i.Name is not null && i.Name.Matches(drop.Name))?.Table;
                    yield return (table ?? drop.Name, "ACCESS EXCLUSIVE");
                    break;
                case ObjectChange { Kind: SqlObjectKind.Trigger, Table: { } triggerTable } trigger:
                    yield return (triggerTable, trigger.Action == ObjectAction.Drop ? "ACCESS EXCLUSIVE" : "SHARE ROW EXCLUSIVE");
                    break;
                case ObjectChange { Kind: SqlObjectKind.View or SqlObjectKind.MaterializedView, Action: not ObjectAction.Create } view:
                    yield return (view.Name, "ACCESS EXCLUSIVE");
                    break;
                case LockTable lockTable when !WeakLockModes.Contains(lockTable.Mode, StringComparer.OrdinalIgnoreCase):
                    yield return (lockTable.Table, lockTable.Mode);
                    break;
                case Maintenance { Target: { } target } maintenance when !maintenance.Concurrently && maintenance.Command is "VACUUM FULL" or "CLUSTER" or "REINDEX" or "REFRESH MATERIALIZED VIEW":
                    yield return (target, "ACCESS EXCLUSIVE");
                    break;
                case CreateTable create:
                    foreach (var parent in create.Columns.Select(c => c.References?.Table).Concat(create.Constraints.Select(c => c.References?.Table)).OfType<SqlObjectRef>())
                    {
                        yield return (parent, "SHARE ROW EXCLUSIVE");
                    }

                    break;
            }
        }
    }

    private static SqlObjectRef TableOf(SqlEffect effect) => effect switch
    {
        AddColumn e => e.Table,
        DropColumn e => e.Table,
        RenameColumn e => e.Table,
        ChangeColumnType e => e.Table,
        SetNotNull e => e.Table,
        DropNotNull e => e.Table,
        SetDefault e => e.Table,
        DropDefault e => e.Table,
        IdentityChange e => e.Table,
        AddConstraint e => e.Table,
        DropConstraint e => e.Table,
        RenameConstraint e => e.Table,
        RenameTable e => e.From,
        DropTable e => e.Table,
        _ => throw new ArgumentOutOfRangeException(nameof(effect)),
    };
}
