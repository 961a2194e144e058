using RollbackVerifier.Analysis.Parsing;
using RollbackVerifier.Analysis.Schema;
using RollbackVerifier.Analysis.Syntax;
using RollbackVerifier.Model;

namespace RollbackVerifier.Analysis.Rules;

/// <summary>What a rollback statement checks every existing row against.</summary>
internal enum RiskKind
{
    Narrowing,
    NotNull,
    Unique,
    Check,
    ForeignKey,
}

/// <summary>A rollback statement that can fail (or change values) because of rows written since the migration.</summary>
/// <param name="Kind">What the rows are checked against.</param>
/// <param name="Table">The table.</param>
/// <param name="Column">The column, for column rules.</param>
/// <param name="What">The rule restored, for people ("NOT NULL on orders.shipping_address").</param>
/// <param name="Rows">The rows that break it ("NULLs written since the migration").</param>
/// <param name="Guarded">True when the rollback checks or repairs those rows before the statement.</param>
internal sealed record LiveRowRisk(RiskKind Kind, SqlObjectRef Table, SqlName? Column, string What, string Rows, bool Guarded);

/// <summary>
/// Finds, for one rollback statement, the rules it (re)imposes on existing rows: a narrower type, NOT NULL (also a
/// NOT NULL column added without a default), a primary key or UNIQUE (constraint or index), a CHECK, a foreign key
/// (NOT VALID ones are not checked), VALIDATE CONSTRAINT, and rows copied into a table with rules their source lacks
/// (the SQLite rebuild). Shared by RV504, RV505 and RV511.
/// </summary>
internal static class LiveRowRisks
{
    public static List<LiveRowRisk> Of(AnalysisContext context, ParsedStatement statement, int index)
    {
        var risks = new List<LiveRowRisk>();
        var state = context.BeforeRollbackStatement(index);
        foreach (var effect in statement.Effects)
        {
            switch (effect)
            {
                case ChangeColumnType type:
                    Narrowing(context, state, index, type.Table, type.Column, type.Type, risks);
                    break;
                case RedefineColumn redefine:
                    if (redefine.Definition.Type is { } newType)
                    {
                        Narrowing(context, state, index, redefine.Table, redefine.Column, newType, risks);
                    }

                    if (redefine.Definition.NotNull == true && state.Column(redefine.Table, redefine.Column) is { NotNull: false } && !InRollbackTable(state, redefine.Table))
                    {
                        risks.Add(NotNull(context, index, redefine.Table, redefine.Column));
                    }

                    break;
                case SetNotNull setNotNull when state.Column(setNotNull.Table, setNotNull.Column) is not { NotNull: true } && !InRollbackTable(state, setNotNull.Table):
                    risks.Add(NotNull(context, index, setNotNull.Table, setNotNull.Column));
                    break;
                case AddColumn { Column: { NotNull: true, Default: null, Identity: false, Generated: false } column } add when !InRollbackTable(state, add.Table):
                    var rows = context.Engine == EngineKind.MySql
                        ? "every existing row (MySQL fills in an implicit default, '' or 0, instead of refusing)"
                        : "every existing row (the new column is NULL in all of them)";
                    risks.Add(new LiveRowRisk(RiskKind.NotNull, add.Table, column.Name, $"a NOT NULL column {add.Table}.{column.Name} without a default", rows, false));
                    break;
                case AddConstraint { Constraint.NotValid: false } add when !InRollbackTable(state, add.Table) && !ProbedAndDropped(context, index, add):
                    Constraint(context, index, add.Table, add.Constraint.Kind, add.Constraint.Name, add.Constraint.Columns, risks);
                    break;
                case CreateIndex { Unique: true } create when !InRollbackTable(state, create.Table):
                    Constraint(context, index, create.Table, ConstraintKind.Unique, create.Name?.Name, create.Columns, risks);
                    break;
                case ValidateConstraint validate when !InRollbackTable(state, validate.Table):
                    risks.Add(new LiveRowRisk(RiskKind.Check, validate.Table, null, $"VALIDATE CONSTRAINT {validate.Name} on {validate.Table}", "rows written since the migration that violate it", Guards.Before(context, index, validate.Table, [])));
                    break;
                case DataChange { Kind: DataChangeKind.Insert } insert:
                    Copy(context, state, statement, index, insert, risks);
                    break;
            }
        }

        return risks;
    }

    private static bool InRollbackTable(SchemaModel state, SqlObjectRef table) => state.Table(table) is { Origin: Origin.Rollback };

    private static LiveRowRisk NotNull(AnalysisContext context, int index, SqlObjectRef table, SqlName column) =>
        new(RiskKind.NotNull, table, column, $"NOT NULL on {table}.{column}", "NULLs written since the migration", Guards.Before(context, index, table, [column], nullCleanupOnly: true));

    private static void Narrowing(AnalysisContext context, SchemaModel state, int index, SqlObjectRef table, SqlName column, ColumnType to, List<LiveRowRisk> risks)
    {
        var model = state.Column(table, column);
        if (model?.Type is not { } from || model.Origin == Origin.Rollback || InRollbackTable(state, table))
        {
            return;
        }

        if (TypeWidth.Narrowing(from, to, context.Engine, state.EnumLabels) is { } rows)
        {
            risks.Add(new LiveRowRisk(RiskKind.Narrowing, table, column, $"{table}.{column} from {from} to {to}", rows, Guards.Before(context, index, table, [column])));
        }
    }

    private static void Constraint(AnalysisContext context, int index, SqlObjectRef table, ConstraintKind kind, SqlName? name, IReadOnlyList<SqlName> columns, List<LiveRowRisk> risks)
    {
        var columnList = columns.Count == 0 ? string.Empty : $" ({string.Join(", ", columns.Select(c => c.Text))})";
        var named = name is null ? string.Empty : $" {name}";
        var guarded = Guards.Before(context, index, table, columns);
        switch (kind)
        {
            case ConstraintKind.PrimaryKey or ConstraintKind.Unique:
                risks.Add(new LiveRowRisk(RiskKind.Unique, table, columns.FirstOrDefault(), $"{(kind == ConstraintKind.PrimaryKey ? "the primary key" : "UNIQUE")}{named} on {table}{columnList}", "duplicates (and, for a primary key, NULLs) written since the migration", guarded));
                break;
            case ConstraintKind.Check:
                risks.Add(new LiveRowRisk(RiskKind.Check, table, columns.FirstOrDefault(), $"CHECK{named} on {table}", "rows written since the migration that violate it", guarded));
                break;
            case ConstraintKind.ForeignKey:
                risks.Add(new LiveRowRisk(RiskKind.ForeignKey, table, columns.FirstOrDefault(), $"the foreign key{named} on {table}{columnList}", "rows written since the migration whose parent does not exist", guarded));
                break;
        }
    }

    /// <summary>The MySQL guard idiom: a CHECK added only to be dropped again by the rollback (it fails, naming itself, when a row violates it).</summary>
    private static bool ProbedAndDropped(AnalysisContext context, int index, AddConstraint add) =>
        add.Constraint is { Kind: ConstraintKind.Check, Name: { } name }
        && context.Rollback.Statements.Skip(index + 1).Any(s => s.Effects.Any(e => e is DropConstraint drop && drop.Table.Matches(add.Table) && name.Equals(drop.Name)));

    /// <summary>INSERT INTO new SELECT ... FROM old: the rows must satisfy rules of the new table that the old one did not have.</summary>
    private static void Copy(AnalysisContext context, SchemaModel state, ParsedStatement statement, int index, DataChange insert, List<LiveRowRisk> risks)
    {
        var target = state.Table(insert.Table);
        if (target is not { DefinitionKnown: true } || insert.Sources.Count == 0 || state.Table(insert.Sources[0]) is not { DefinitionKnown: true } source)
        {
            return;
        }

        var coalesced = statement.Mentions("coalesce") || statement.Mentions("ifnull");
        var leftJoin = statement.Mentions("left") && statement.Mentions("join");
        foreach (var column in target.Columns.Where(c => c.NotNull == true && c.Default is null && !c.Identity))
        {
            var from = source.Column(column.Name);
            var nullable = from is { NotNull: false } || (from is null && leftJoin);
            if (nullable && !coalesced && (insert.Columns.Count == 0 || insert.Columns.Contains(column.Name)))
            {
                risks.Add(new LiveRowRisk(RiskKind.NotNull, target.Name, column.Name, $"NOT NULL on {target.Name}.{column.Name} (rows copied from {source.Name}, where it may be NULL)", "NULLs written since the migration", Guards.Before(context, index, source.Name, [column.Name], nullCleanupOnly: true)));
            }
        }

        foreach (var constraint in target.Constraints)
        {
            var present = source.Constraints.Any(s => s.Kind == constraint.Kind && (constraint.Kind == ConstraintKind.Check
                ? string.Equals(s.Expression, constraint.Expression, StringComparison.OrdinalIgnoreCase)
                : s.Columns.SequenceEqual(constraint.Columns)));
            if (present || constraint.Kind == ConstraintKind.Index)
            {
                continue;
            }

            Constraint(context, index, source.Name, constraint.Kind, constraint.Name, constraint.Columns, risks);
        }

        if (state.ForeignKeysEnforced)
        {
            foreach (var fk in state.ForeignKeys.Where(f => f.Child.Matches(target.Name) && !state.ForeignKeys.Any(s => s.Child.Matches(source.Name) && s.Parent.Matches(f.Parent) && s.ChildColumns.SequenceEqual(f.ChildColumns))))
            {
                Constraint(context, index, source.Name, ConstraintKind.ForeignKey, fk.Name, fk.ChildColumns, risks);
            }
        }
    }
}
