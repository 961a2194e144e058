using RollbackVerifier.Analysis.Parsing;
using RollbackVerifier.Analysis.Schema;
using RollbackVerifier.Analysis.Syntax;
using RollbackVerifier.Findings;

namespace RollbackVerifier.Analysis.Rules;

/// <summary>
/// RV502, the forward/rollback coverage check: every table, column, index, constraint, sequence, view, trigger,
/// routine and type the forward migration creates, changes, renames or drops, and every table whose rows it changes,
/// must be mentioned by the rollback (by any of its names), or go with a table or column the rollback drops or
/// rebuilds. Objects the forward migration creates and drops itself cancel out. Defaults, sequence settings and
/// identity are RV509's; sequence positions need no inverse.
/// </summary>
internal sealed class ForwardChangeNotUndoneRule : StaticRule
{
    public override FindingCode Code => FindingCodes.ForwardChangeNotUndone;

    public override IEnumerable<StaticFinding> Analyze(AnalysisContext context)
    {
        var changes = ForwardChanges(context);
        foreach (var change in changes.Where(c => !c.Cancelled))
        {
            if (Covered(context, change))
            {
                continue;
            }

            var names = change.Names.Count > 1 ? $" (named {string.Join(" and then ", change.Names.Select(n => n.Text))})" : string.Empty;
            var consequence = change.Verb switch
            {
                "adds" or "creates" => "so it stays after the rollback",
                "drops" => "so it is not re-created",
                "rebuilds" => "so it keeps the forward migration's definition",
                "writes rows of" => "so those rows stay as the forward migration left them",
                _ => "so it is not restored",
            };
            yield return Report(
                change.Statement,
                change.Display,
                $"The forward migration {change.Verb} {(change.Kind == "rows" ? string.Empty : change.Kind + " ")}{change.Display}{names} ({At(change.Statement)}), and the rollback never mentions it, {consequence}.",
                change.Objects,
                ("forwardLine", change.Statement.Statement.Line.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    public override Confirmation Confirm(StaticFinding finding, RunEvidence run)
    {
        var codes = FindingCodes.All.Where(c => c.Category is "schema" or "sequence" or "data").Select(c => c.Code).ToArray();
        var shown = RunMatch.On(run, finding, codes);
        if (shown.Count > 0)
        {
            return Confirmation.Confirmed(RunMatch.Describe(shown, "differences"));
        }

        if (!run.RollbackRan)
        {
            return Confirmation.NotChecked("the rollback did not run");
        }

        return run.FailedStatement is { Phase: Scenarios.Phase.Rollback }
            ? Confirmation.NotObserved("the rollback failed before it completed")
            : Confirmation.Refuted("the comparison with the schema and data before the migration found it restored");
    }

    private static bool Covered(AnalysisContext context, Change change)
    {
        if (change.Names.Any(n => context.RollbackMentions(n.Text)))
        {
            return true;
        }

        foreach (var (statement, _) in context.RollbackStatements)
        {
            foreach (var effect in statement.Effects)
            {
                switch (effect)
                {
                    case DropTable drop when change.Tables.Any(t => t.Matches(drop.Table)):
                        return true;
                    case DropColumn drop when change.Tables.Any(t => t.Matches(drop.Table)) && change.Columns.Any(c => c.Equals(drop.Column)):
                        return true;
                }
            }
        }

        // Unnamed objects (an index or constraint left to the engine to name) cannot be mentioned: the table must be.
        return change.Names.Count == 0 && change.Tables.Any(t => context.RollbackMentions(t.Name.Text));
    }

    private static List<Change> ForwardChanges(AnalysisContext context)
    {
        var changes = new List<Change>();
        foreach (var (statement, index) in context.Forward.Statements.Select((s, i) => (s, i)))
        {
            var state = context.ForwardStates[index];
            foreach (var effect in statement.Effects)
            {
                Collect(changes, statement, state, effect);
            }
        }

        return changes;
    }

    private static void Collect(List<Change> changes, ParsedStatement statement, SchemaModel state, SqlEffect effect)
    {
        switch (effect)
        {
            case CreateTable { Temporary: false } create:
                changes.Add(new Change(statement, "adds", "table", [create.Table.Name], [create.Table], []) { Creates = true });
                break;
            case DropTable drop:
                if (!Cancel(changes, drop.Table.Name, "table"))
                {
                    changes.Add(new Change(statement, "drops", "table", [drop.Table.Name], [drop.Table], []));
                }

                // Objects the forward created on the table go with it.
                foreach (var change in changes.Where(c => c.Creates && c.Kind != "table" && c.Tables.Any(t => t.Matches(drop.Table))))
                {
                    change.Cancelled = true;
                }

                break;
            case RenameTable rename:
                Rename(changes, statement, "table", rename.From, rename.To, [rename.To]);
                break;
            case AddColumn add when state.Table(add.Table) is not { Origin: Origin.Forward }:
                changes.Add(new Change(statement, "adds", "column", [add.Column.Name], [add.Table], [add.Column.Name]) { Creates = true, TableName = add.Table });
                break;
            case DropColumn drop when state.Table(drop.Table) is not { Origin: Origin.Forward }:
                if (!Cancel(changes, drop.Column, "column"))
                {
                    changes.Add(new Change(statement, "drops", "column", [drop.Column], [drop.Table], [drop.Column]) { TableName = drop.Table });
                }

                break;
            case RenameColumn rename when state.Table(rename.Table) is not { Origin: Origin.Forward }:
                RenameColumn(changes, statement, rename.Table, rename.From, rename.To);
                break;
            case ChangeColumnType type when state.Table(type.Table) is not { Origin: Origin.Forward }:
                ColumnChange(changes, statement, type.Table, type.Column, "changes the type of");
                break;
            case RedefineColumn redefine when state.Table(redefine.Table) is not { Origin: Origin.Forward }:
                if (!redefine.Column.Equals(redefine.Definition.Name))
                {
                    RenameColumn(changes, statement, redefine.Table, redefine.Column, redefine.Definition.Name);
                }
                else
                {
                    ColumnChange(changes, statement, redefine.Table, redefine.Column, "redefines");
                }

                break;
            case SetNotNull or DropNotNull when state.Table(TableOf(effect)) is not { Origin: Origin.Forward }:
                ColumnChange(changes, statement, TableOf(effect), ColumnOf(effect), effect is SetNotNull ? "sets NOT NULL on" : "drops NOT NULL from");
                break;
            case AddConstraint add when state.Table(add.Table) is not { Origin: Origin.Forward }:
                var constraintKind = add.Constraint.Kind switch
                {
                    ConstraintKind.ForeignKey => "foreign key",
                    ConstraintKind.PrimaryKey => "primary key",
                    ConstraintKind.Unique => "unique constraint",
                    ConstraintKind.Check => "check constraint",
                    ConstraintKind.Index => "index",
                    _ => "constraint",
                };
                changes.Add(new Change(statement, "adds", constraintKind, add.Constraint.Name is { } n ? [n] : [], [add.Table], add.Constraint.Columns) { Creates = true, TableName = add.Table });
                break;
            case DropConstraint drop when state.Table(drop.Table) is not { Origin: Origin.Forward }:
                if (drop.Name is null || !Cancel(changes, drop.Name, null))
                {
                    var dropped = drop.Name is { } name ? state.ForeignKeys.FirstOrDefault(f => name.Equals(f.Name))?.ChildColumns ?? [] : [];
                    changes.Add(new Change(statement, "drops", drop.Kind == ConstraintKind.PrimaryKey ? "primary key" : "constraint", drop.Name is { } dn ? [dn] : [], [drop.Table], dropped) { TableName = drop.Table });
                }

                break;
            case RenameConstraint rename:
                Rename(changes, statement, "constraint", new SqlObjectRef(null, rename.From), new SqlObjectRef(null, rename.To), [rename.Table]);
                break;
            case CreateIndex create when state.Table(create.Table) is not { Origin: Origin.Forward }:
                changes.Add(new Change(statement, "adds", "index", create.Name is { } i ? [i.Name] : [], [create.Table], create.Columns) { Creates = true, TableName = create.Table, IndexName = create.Name });
                break;
            case DropIndex drop:
                if (!Cancel(changes, drop.Name.Name, "index"))
                {
                    var table = state.Indexes.FirstOrDefault(i => i.Name is not null && i.Name.Matches(drop.Name))?.Table ?? drop.Table;
                    changes.Add(new Change(statement, "drops", "index", [drop.Name.Name], table is null ? [] : [table], []) { IndexName = drop.Name });
                }

                break;
            case RenameIndex rename:
                Rename(changes, statement, "index", rename.From, rename.To, rename.Table is { } t ? [t] : []);
                break;
            case CreateSequence create:
                changes.Add(new Change(statement, "adds", "sequence", [create.Name.Name], [], []) { Creates = true });
                break;
            case DropSequence drop:
                if (!Cancel(changes, drop.Name.Name, "sequence"))
                {
                    changes.Add(new Change(statement, "drops", "sequence", [drop.Name.Name], [], []));
                }

                break;
            case ObjectChange change when change.Kind is not (SqlObjectKind.Schema or SqlObjectKind.Extension):
                ObjectChangeOf(changes, statement, change);
                break;
            case DataChange data when data.Kind != DataChangeKind.Insert || state.Table(data.Table) is not { Origin: Origin.Forward }:
                if (state.Table(data.Table) is not { Origin: Origin.Forward } && !changes.Any(c => c.Kind == "rows" && c.Tables.Any(t => t.Matches(data.Table))))
                {
                    changes.Add(new Change(statement, "writes rows of", "table", [data.Table.Name], [data.Table], []) { KindOverride = "rows" });
                }

                break;
        }
    }

    private static void ObjectChangeOf(List<Change> changes, ParsedStatement statement, ObjectChange change)
    {
        var kind = change.Kind switch
        {
            SqlObjectKind.MaterializedView => "materialized view",
            _ => change.Kind.ToString().ToLowerInvariant(),
        };
        var tables = change.Table is { } t ? new List<SqlObjectRef> { t } : [];
        switch (change.Action)
        {
            case ObjectAction.Create:
                changes.Add(new Change(statement, "adds", kind, [change.Name.Name], tables, []) { Creates = true });
                break;
            case ObjectAction.Drop:
                if (!Cancel(changes, change.Name.Name, kind))
                {
                    changes.Add(new Change(statement, "drops", kind, [change.Name.Name], tables, []));
                }

                break;
            case ObjectAction.Rename when change.NewName is { } to:
                Rename(changes, statement, kind, change.Name, to, tables);
                break;
            default:
                if (!changes.Any(c => c.Kind == kind && c.Names.Contains(change.Name.Name)))
                {
                    changes.Add(new Change(statement, change.Action == ObjectAction.CreateOrReplace ? "replaces" : "changes", kind, [change.Name.Name], tables, []));
                }

                break;
        }
    }

    private static void ColumnChange(List<Change> changes, ParsedStatement statement, SqlObjectRef table, SqlName column, string verb)
    {
        if (!changes.Any(c => c.Kind == "column" && c.Tables.Any(t => t.Matches(table)) && c.Names.Contains(column)))
        {
            changes.Add(new Change(statement, verb, "column", [column], [table], [column]) { TableName = table });
        }
    }

    private static void RenameColumn(List<Change> changes, ParsedStatement statement, SqlObjectRef table, SqlName from, SqlName to)
    {
        var existing = changes.FirstOrDefault(c => c.Kind == "column" && c.Tables.Any(t => t.Matches(table)) && c.Names[^1].Equals(from));
        if (existing is not null)
        {
            existing.Names.Add(to);
            existing.Columns.Add(to);
            return;
        }

        changes.Add(new Change(statement, "renames", "column", [from, to], [table], [from, to]) { TableName = table });
    }

    private static void Rename(List<Change> changes, ParsedStatement statement, string kind, SqlObjectRef from, SqlObjectRef to, IReadOnlyList<SqlObjectRef> tables)
    {
        var existing = changes.FirstOrDefault(c => c.Kind == kind && c.Names.Count > 0 && c.Names[^1].Equals(from.Name) && !c.Cancelled);
        var rebuilt = kind == "table" ? changes.LastOrDefault(c => c.Kind == "table" && c.Verb == "drops" && !c.Cancelled && c.Names[^1].Equals(to.Name)) : null;
        if (existing is not null && rebuilt is not null && existing.Creates)
        {
            // The new table takes the dropped one's place: one change, "rebuilds t".
            existing.Cancelled = true;
            rebuilt.Verb = "rebuilds";
            rebuilt.Tables.Add(from);
            return;
        }

        if (existing is not null)
        {
            existing.Names.Add(to.Name);
            if (kind == "table")
            {
                existing.Tables.Add(to);
            }

            return;
        }

        // CREATE TABLE t_new; copy; DROP TABLE t; ALTER TABLE t_new RENAME TO t: a rebuild of t.
        var replaced = kind == "table" ? changes.LastOrDefault(c => c.Kind == "table" && c.Verb == "drops" && !c.Cancelled && c.Names[^1].Equals(to.Name)) : null;
        if (existing is null && replaced is not null)
        {
            replaced.Verb = "rebuilds";
            replaced.Tables.Add(from);
            return;
        }

        var change = new Change(statement, "renames", kind, [from.Name, to.Name], kind == "table" ? [from, to] : [.. tables], []);
        changes.Add(change);

        // Objects on a renamed table are found under either name.
        if (kind == "table")
        {
            foreach (var other in changes.Where(c => c.Tables.Any(t => t.Matches(from))))
            {
                other.Tables.Add(to);
            }
        }
    }

    /// <summary>Marks an object the forward migration created as cancelled by its own drop; true when there was one.</summary>
    private static bool Cancel(List<Change> changes, SqlName name, string? kind)
    {
        var created = changes.LastOrDefault(c => c.Creates && !c.Cancelled && (kind is null || c.Kind == kind || (kind == "index" && c.Kind == "index")) && c.Names.Count > 0 && c.Names[^1].Equals(name));
        if (created is null)
        {
            return false;
        }

        created.Cancelled = true;
        return true;
    }

    private static SqlObjectRef TableOf(SqlEffect effect) => effect switch
    {
        SetNotNull s => s.Table,
        DropNotNull d => d.Table,
        _ => throw new ArgumentOutOfRangeException(nameof(effect)),
    };

    private static SqlName ColumnOf(SqlEffect effect) => effect switch
    {
        SetNotNull s => s.Column,
        DropNotNull d => d.Column,
        _ => throw new ArgumentOutOfRangeException(nameof(effect)),
    };

    /// <summary>One object the forward migration touches, with every name it had.</summary>
    private sealed class Change(ParsedStatement statement, string verb, string kind, List<SqlName> names, List<SqlObjectRef> tables, IReadOnlyList<SqlName> columns)
    {
        public ParsedStatement Statement { get; } = statement;

        public string Verb { get; set; } = verb;

        public string Kind => KindOverride ?? kind;

        public string? KindOverride { get; init; }

        public List<SqlName> Names { get; } = names;

        public List<SqlObjectRef> Tables { get; } = tables;

        public List<SqlName> Columns { get; } = [.. columns];

        public bool Creates { get; init; }

        public bool Cancelled { get; set; }

        public SqlObjectRef? TableName { get; init; }

        public SqlObjectRef? IndexName { get; init; }

        public string Display => Kind switch
        {
            "column" => $"{TableName}.{Names[0]}",
            "rows" => Names[0].Text,
            _ when Names.Count == 0 => $"on {Tables.FirstOrDefault()}",
            _ => Names[0].Text,
        };

        /// <summary>Objects whose run findings confirm it.</summary>
        public List<string> Objects =>
            Kind switch
            {
                "column" => Names.Select(n => $"{TableName!.Name.Text}.{n.Text}").ToList(),
                "rows" => [Names[0].Text],
                _ when Names.Count == 0 => Tables.Select(t => t.Name.Text).ToList(),
                _ => [.. Names.Select(n => n.Text)],
            };
    }
}
