using RollbackVerifier.Analysis.Parsing;
using RollbackVerifier.Analysis.Syntax;
using RollbackVerifier.Model;

namespace RollbackVerifier.Analysis.Schema;

/// <summary>Where an object came from.</summary>
internal enum Origin
{
    /// <summary>It existed before the forward migration (in the baseline, or assumed because the scripts use it without creating it).</summary>
    Before,

    /// <summary>The forward migration created it.</summary>
    Forward,

    /// <summary>The rollback created it.</summary>
    Rollback,
}

/// <summary>A column as the scripts read so far describe it. Null properties are not known.</summary>
internal sealed record ColumnModel(SqlName Name, Origin Origin)
{
    public ColumnType? Type { get; init; }

    public bool? NotNull { get; init; }

    public string? Default { get; init; }

    public bool Identity { get; init; }

    /// <summary>The name it had before the forward migration (renames followed).</summary>
    public SqlName OriginalName { get; init; } = Name;
}

/// <summary>A foreign key from <see cref="Child"/> to <see cref="Parent"/>.</summary>
/// <param name="Certain">False once a statement the parser did not understand mentioned either table (it may have dropped the key).</param>
internal sealed record ForeignKeyModel(SqlName? Name, SqlObjectRef Child, IReadOnlyList<SqlName> ChildColumns, SqlObjectRef Parent, IReadOnlyList<SqlName> ParentColumns, string? OnDelete, bool Certain, Origin Origin, string Location);

/// <summary>An index (or a MySQL key) on a table.</summary>
internal sealed record IndexModel(SqlObjectRef? Name, SqlObjectRef Table, IReadOnlyList<SqlName> Columns, bool Unique, bool Concurrently, Origin Origin, string Location);

/// <summary>A PRIMARY KEY / UNIQUE / CHECK constraint on a table.</summary>
internal sealed record ConstraintModel(SqlName? Name, ConstraintKind Kind, IReadOnlyList<SqlName> Columns, string? Expression, Origin Origin);

/// <summary>A table as the scripts read so far describe it.</summary>
/// <param name="Name">Current name.</param>
/// <param name="Origin">Where it came from.</param>
/// <param name="DefinitionKnown">True when a CREATE TABLE was read (its columns are then all known).</param>
internal sealed record TableModel(SqlObjectRef Name, Origin Origin, bool DefinitionKnown)
{
    public List<ColumnModel> Columns { get; init; } = [];

    public List<ConstraintModel> Constraints { get; init; } = [];

    /// <summary>The name it had before the forward migration (renames followed).</summary>
    public SqlObjectRef OriginalName { get; init; } = Name;

    /// <summary>Tables whose rows were copied into this one (INSERT ... SELECT, CREATE TABLE AS), with the statement.</summary>
    public List<(SqlObjectRef Source, int Statement)> CopiedFrom { get; init; } = [];

    public ColumnModel? Column(SqlName name) => Columns.FirstOrDefault(c => c.Name.Equals(name));

    public TableModel Copy() => this with
    {
        Columns = [.. Columns],
        Constraints = [.. Constraints],
        CopiedFrom = [.. CopiedFrom],
    };
}

/// <summary>
/// The schema the scripts describe, statement by statement: tables with columns and constraints, foreign keys,
/// indexes, sequences, enum types, triggers, and the session settings the rules care about (foreign-key checks,
/// lock and statement timeouts). Built from the baseline (when there is one), then the forward migration, then the
/// rollback; objects a script uses without creating are assumed to have existed before the migration.
/// </summary>
internal sealed class SchemaModel(EngineKind engine)
{
    private readonly Dictionary<string, TableModel> _tables = new(StringComparer.Ordinal);

    public EngineKind Engine { get; } = engine;

    public IReadOnlyCollection<TableModel> Tables => _tables.Values;

    public List<ForeignKeyModel> ForeignKeys { get; private init; } = [];

    public List<IndexModel> Indexes { get; private init; } = [];

    /// <summary>Sequences by name key, with their origin.</summary>
    public Dictionary<string, Origin> Sequences { get; private init; } = new(StringComparer.Ordinal);

    /// <summary>Enum types by name key (PostgreSQL CREATE TYPE ... AS ENUM), with their labels.</summary>
    public Dictionary<string, List<string>> EnumTypes { get; private init; } = new(StringComparer.Ordinal);

    /// <summary>Triggers by name key: the table and the origin.</summary>
    public Dictionary<string, (SqlObjectRef? Table, Origin Origin)> Triggers { get; private init; } = new(StringComparer.Ordinal);

    /// <summary>False after SET FOREIGN_KEY_CHECKS = 0 (MySQL), PRAGMA foreign_keys = OFF (SQLite), session_replication_role = replica (PostgreSQL).</summary>
    public bool ForeignKeysEnforced { get; private set; } = true;

    /// <summary>True once lock_timeout or statement_timeout is set to something other than 0.</summary>
    public bool TimeoutSet { get; private set; }

    public TableModel? Table(SqlObjectRef name) => _tables.GetValueOrDefault(name.Name.Key);

    /// <summary>The table, assumed to have existed before the migration when no script created it.</summary>
    public TableModel Assume(SqlObjectRef name)
    {
        if (!_tables.TryGetValue(name.Name.Key, out var table))
        {
            table = new TableModel(name, Origin.Before, false);
            _tables[name.Name.Key] = table;
        }

        return table;
    }

    public IReadOnlyList<string>? EnumLabels(string typeName) =>
        EnumTypes.TryGetValue(typeName.Split('.')[^1].ToLowerInvariant(), out var labels) ? labels : null;

    /// <summary>The column, assumed to exist (with unknown definition) when a script uses it on a table whose definition is not known.</summary>
    public ColumnModel? Column(SqlObjectRef table, SqlName column)
    {
        var model = Table(table);
        if (model is null)
        {
            return null;
        }

        var found = model.Column(column);
        if (found is null && !model.DefinitionKnown)
        {
            found = new ColumnModel(column, Origin.Before);
            model.Columns.Add(found);
        }

        return found;
    }

    public SchemaModel Clone()
    {
        var copy = new SchemaModel(Engine)
        {
            ForeignKeys = [.. ForeignKeys],
            Indexes = [.. Indexes],
            Sequences = new Dictionary<string, Origin>(Sequences, StringComparer.Ordinal),
            EnumTypes = EnumTypes.ToDictionary(e => e.Key, e => e.Value.ToList(), StringComparer.Ordinal),
            Triggers = new Dictionary<string, (SqlObjectRef?, Origin)>(Triggers, StringComparer.Ordinal),
            ForeignKeysEnforced = ForeignKeysEnforced,
            TimeoutSet = TimeoutSet,
        };
        foreach (var (key, table) in _tables)
        {
            copy._tables[key] = table.Copy();
        }

        return copy;
    }

    /// <summary>Applies one statement's effects; <paramref name="origin"/> is the origin of what it creates.</summary>
    public void Apply(ParsedStatement statement, Origin origin, int index)
    {
        ArgumentNullException.ThrowIfNull(statement);
        if (statement.Understanding == Understanding.None)
        {
            // It may have dropped or changed anything it names: foreign keys on those tables are no longer certain.
            for (var i = 0; i < ForeignKeys.Count; i++)
            {
                var fk = ForeignKeys[i];
                if (statement.Mentions(fk.Child.Name.Text) || statement.Mentions(fk.Parent.Name.Text) || (fk.Name is { } n && statement.Mentions(n.Text)))
                {
                    ForeignKeys[i] = fk with { Certain = false };
                }
            }

            return;
        }

        foreach (var effect in statement.Effects)
        {
            Apply(effect, origin, index, statement.Location);
        }
    }

    private void Apply(SqlEffect effect, Origin origin, int index, string location)
    {
        switch (effect)
        {
            case CreateTable create:
                var table = new TableModel(create.Table, origin, create.CopiedFrom.Count == 0 && create.Columns.Count > 0)
                {
                    Columns = create.Columns.Select(c => Column(c, origin)).ToList(),
                };
                _tables[create.Table.Name.Key] = table;
                foreach (var column in create.Columns)
                {
                    AddColumnConstraints(table, column, origin, location);
                }

                foreach (var constraint in create.Constraints)
                {
                    AddConstraint(table, constraint, origin, location);
                }

                foreach (var source in create.CopiedFrom)
                {
                    table.CopiedFrom.Add((source, index));
                }

                break;
            case DropTable drop:
                _tables.Remove(drop.Table.Name.Key);
                ForeignKeys.RemoveAll(f => f.Child.Matches(drop.Table) || (drop.Cascade && f.Parent.Matches(drop.Table)));
                Indexes.RemoveAll(i => i.Table.Matches(drop.Table));
                foreach (var trigger in Triggers.Where(t => t.Value.Table?.Matches(drop.Table) == true).Select(t => t.Key).ToList())
                {
                    Triggers.Remove(trigger);
                }

                break;
            case RenameTable rename:
                if (Table(rename.From) is { } renamed)
                {
                    _tables.Remove(rename.From.Name.Key);
                    _tables[rename.To.Name.Key] = renamed with { Name = rename.To };
                }

                Retarget(rename.From, rename.To);
                break;
            case AddColumn add:
                var target = Assume(add.Table);
                target.Columns.RemoveAll(c => c.Name.Equals(add.Column.Name));
                target.Columns.Add(Column(add.Column, origin));
                AddColumnConstraints(target, add.Column, origin, location);
                break;
            case DropColumn dropColumn:
                Assume(dropColumn.Table).Columns.RemoveAll(c => c.Name.Equals(dropColumn.Column));
                ForeignKeys.RemoveAll(f => (f.Child.Matches(dropColumn.Table) && f.ChildColumns.Contains(dropColumn.Column))
                    || (dropColumn.Cascade && f.Parent.Matches(dropColumn.Table) && f.ParentColumns.Contains(dropColumn.Column)));
                Indexes.RemoveAll(i => i.Table.Matches(dropColumn.Table) && i.Columns.Contains(dropColumn.Column));
                Assume(dropColumn.Table).Constraints.RemoveAll(c => c.Columns.Contains(dropColumn.Column));
                break;
            case RenameColumn renameColumn:
                Replace(renameColumn.Table, renameColumn.From, c => c with { Name = renameColumn.To });
                RenameColumnReferences(renameColumn.Table, renameColumn.From, renameColumn.To);
                break;
            case ChangeColumnType type:
                Replace(type.Table, type.Column, c => c with { Type = type.Type });
                break;
            case RedefineColumn redefine:
                Replace(redefine.Table, redefine.Column, c => c with
                {
                    Name = redefine.Definition.Name,
                    Type = redefine.Definition.Type ?? c.Type,
                    NotNull = redefine.Definition.NotNull ?? false,
                    Default = redefine.Definition.Default,
                    Identity = redefine.Definition.Identity,
                });
                RenameColumnReferences(redefine.Table, redefine.Column, redefine.Definition.Name);
                break;
            case SetNotNull setNotNull:
                Replace(setNotNull.Table, setNotNull.Column, c => c with { NotNull = true });
                break;
            case DropNotNull dropNotNull:
                Replace(dropNotNull.Table, dropNotNull.Column, c => c with { NotNull = false });
                break;
            case SetDefault setDefault:
                Replace(setDefault.Table, setDefault.Column, c => c with { Default = setDefault.Expression });
                break;
            case DropDefault dropDefault:
                Replace(dropDefault.Table, dropDefault.Column, c => c with { Default = null });
                break;
            case AddConstraint addConstraint:
                AddConstraint(Assume(addConstraint.Table), addConstraint.Constraint, origin, location);
                break;
            case DropConstraint dropConstraint:
                DropConstraint(dropConstraint);
                break;
            case RenameConstraint renameConstraint:
                for (var i = 0; i < ForeignKeys.Count; i++)
                {
                    if (ForeignKeys[i].Child.Matches(renameConstraint.Table) && renameConstraint.From.Equals(ForeignKeys[i].Name))
                    {
                        ForeignKeys[i] = ForeignKeys[i] with { Name = renameConstraint.To };
                    }
                }

                break;
            case CreateIndex createIndex:
                Indexes.Add(new IndexModel(createIndex.Name, createIndex.Table, createIndex.Columns, createIndex.Unique, createIndex.Concurrently, origin, location));
                break;
            case DropIndex dropIndex:
                Indexes.RemoveAll(i => i.Name is not null && i.Name.Matches(dropIndex.Name) && (dropIndex.Table is null || i.Table.Matches(dropIndex.Table)));
                break;
            case RenameIndex renameIndex:
                for (var i = 0; i < Indexes.Count; i++)
                {
                    if (Indexes[i].Name is { } name && name.Matches(renameIndex.From))
                    {
                        Indexes[i] = Indexes[i] with { Name = renameIndex.To };
                    }
                }

                break;
            case CreateSequence createSequence:
                Sequences[createSequence.Name.Name.Key] = origin;
                break;
            case DropSequence dropSequence:
                Sequences.Remove(dropSequence.Name.Name.Key);
                break;
            case ObjectChange { Kind: SqlObjectKind.Type, Action: ObjectAction.Create, EnumLabels: { } labels } type:
                EnumTypes[type.Name.Name.Key] = [.. labels];
                break;
            case ObjectChange { Kind: SqlObjectKind.Type, Action: ObjectAction.Alter, AddedLabel: { } label } type:
                if (EnumTypes.TryGetValue(type.Name.Name.Key, out var existing))
                {
                    existing.Add(label);
                }

                break;
            case ObjectChange { Kind: SqlObjectKind.Type, Action: ObjectAction.Drop } type:
                EnumTypes.Remove(type.Name.Name.Key);
                break;
            case ObjectChange { Kind: SqlObjectKind.Type, Action: ObjectAction.Rename, NewName: { } newName } type:
                if (EnumTypes.Remove(type.Name.Name.Key, out var moved))
                {
                    EnumTypes[newName.Name.Key] = moved;
                }

                break;
            case ObjectChange { Kind: SqlObjectKind.Trigger } trigger:
                if (trigger.Action == ObjectAction.Drop)
                {
                    Triggers.Remove(trigger.Name.Name.Key);
                }
                else if (trigger.Action is ObjectAction.Create or ObjectAction.CreateOrReplace)
                {
                    Triggers[trigger.Name.Name.Key] = (trigger.Table, origin);
                }

                break;
            case DataChange { Kind: DataChangeKind.Insert } insert:
                foreach (var source in insert.Sources)
                {
                    Assume(insert.Table).CopiedFrom.Add((source, index));
                }

                break;
            case SessionSetting setting:
                ApplySetting(setting);
                break;
        }
    }

    private void ApplySetting(SessionSetting setting)
    {
        var value = setting.Value.Trim().Trim('\'', '"').ToLowerInvariant();
        switch (setting.Name)
        {
            case "foreign_key_checks":
                ForeignKeysEnforced = value is not ("0" or "off" or "false");
                break;
            case "foreign_keys":
                ForeignKeysEnforced = value is "1" or "on" or "true" or "yes";
                break;
            case "session_replication_role":
                ForeignKeysEnforced = value != "replica";
                break;
            case "lock_timeout" or "statement_timeout":
                TimeoutSet = value is not ("0" or "default" or "");
                break;
            case "all":
                TimeoutSet = false;
                break;
        }
    }

    private ColumnModel Column(ColumnDefinition definition, Origin origin) => new(definition.Name, origin)
    {
        Type = definition.Type,
        NotNull = definition.NotNull ?? (definition.PrimaryKey ? true : false),
        Default = definition.Default,
        Identity = definition.Identity,
    };

    private void AddColumnConstraints(TableModel table, ColumnDefinition column, Origin origin, string location)
    {
        if (column.References is { } references)
        {
            ForeignKeys.Add(new ForeignKeyModel(column.ReferencesName, table.Name, [column.Name], references.Table, references.Columns, references.OnDelete, true, origin, location));
        }

        if (column.PrimaryKey)
        {
            table.Constraints.Add(new ConstraintModel(null, ConstraintKind.PrimaryKey, [column.Name], null, origin));
        }

        if (column.Unique)
        {
            table.Constraints.Add(new ConstraintModel(null, ConstraintKind.Unique, [column.Name], null, origin));
        }

        foreach (var check in column.Checks)
        {
            table.Constraints.Add(new ConstraintModel(null, ConstraintKind.Check, [column.Name], check, origin));
        }
    }

    private void AddConstraint(TableModel table, ConstraintDefinition constraint, Origin origin, string location)
    {
        switch (constraint.Kind)
        {
            case ConstraintKind.ForeignKey when constraint.References is { } references:
                ForeignKeys.Add(new ForeignKeyModel(constraint.Name, table.Name, constraint.Columns, references.Table, references.Columns, references.OnDelete, true, origin, location));
                break;
            case ConstraintKind.Index:
                Indexes.Add(new IndexModel(constraint.Name is { } n ? new SqlObjectRef(null, n) : null, table.Name, constraint.Columns, false, false, origin, location));
                break;
            default:
                table.Constraints.Add(new ConstraintModel(constraint.Name, constraint.Kind, constraint.Columns, constraint.Expression, origin));
                if (constraint.Kind == ConstraintKind.PrimaryKey)
                {
                    foreach (var column in constraint.Columns)
                    {
                        var index = table.Columns.FindIndex(c => c.Name.Equals(column));
                        if (index >= 0)
                        {
                            table.Columns[index] = table.Columns[index] with { NotNull = true };
                        }
                    }
                }

                break;
        }
    }

    private void DropConstraint(DropConstraint drop)
    {
        var table = Assume(drop.Table);
        if (drop.Kind == ConstraintKind.PrimaryKey)
        {
            table.Constraints.RemoveAll(c => c.Kind == ConstraintKind.PrimaryKey);
            return;
        }

        var name = drop.Name!;
        var removed = ForeignKeys.RemoveAll(f => f.Child.Matches(drop.Table) && name.Equals(f.Name))
            + table.Constraints.RemoveAll(c => name.Equals(c.Name))
            + Indexes.RemoveAll(i => i.Table.Matches(drop.Table) && i.Name is { } n && n.Name.Equals(name));
        if (removed == 0)
        {
            // An engine-generated name (orders_customer_id_fkey, orders_ibfk_1, orders_chk_1): it may be any unnamed
            // constraint of the table, so those are no longer known to exist.
            ForeignKeys.RemoveAll(f => f.Child.Matches(drop.Table) && f.Name is null);
            table.Constraints.RemoveAll(c => c.Name is null && c.Kind != ConstraintKind.PrimaryKey);
        }
    }

    private void Replace(SqlObjectRef tableName, SqlName column, Func<ColumnModel, ColumnModel> change)
    {
        var table = Assume(tableName);
        var index = table.Columns.FindIndex(c => c.Name.Equals(column));
        if (index < 0)
        {
            if (table.DefinitionKnown)
            {
                return;
            }

            table.Columns.Add(new ColumnModel(column, Origin.Before));
            index = table.Columns.Count - 1;
        }

        table.Columns[index] = change(table.Columns[index]);
    }

    private void RenameColumnReferences(SqlObjectRef table, SqlName from, SqlName to)
    {
        if (from.Equals(to))
        {
            return;
        }

        IReadOnlyList<SqlName> Swap(IReadOnlyList<SqlName> names) => names.Select(n => n.Equals(from) ? to : n).ToList();
        for (var i = 0; i < ForeignKeys.Count; i++)
        {
            var fk = ForeignKeys[i];
            ForeignKeys[i] = fk with
            {
                ChildColumns = fk.Child.Matches(table) ? Swap(fk.ChildColumns) : fk.ChildColumns,
                ParentColumns = fk.Parent.Matches(table) ? Swap(fk.ParentColumns) : fk.ParentColumns,
            };
        }

        for (var i = 0; i < Indexes.Count; i++)
        {
            if (Indexes[i].Table.Matches(table))
            {
                Indexes[i] = Indexes[i] with { Columns = Swap(Indexes[i].Columns) };
            }
        }
    }

    private void Retarget(SqlObjectRef from, SqlObjectRef to)
    {
        for (var i = 0; i < ForeignKeys.Count; i++)
        {
            var fk = ForeignKeys[i];
            ForeignKeys[i] = fk with { Child = fk.Child.Matches(from) ? to : fk.Child, Parent = fk.Parent.Matches(from) ? to : fk.Parent };
        }

        for (var i = 0; i < Indexes.Count; i++)
        {
            if (Indexes[i].Table.Matches(from))
            {
                Indexes[i] = Indexes[i] with { Table = to };
            }
        }

        foreach (var (key, trigger) in Triggers.ToList())
        {
            if (trigger.Table?.Matches(from) == true)
            {
                Triggers[key] = (to, trigger.Origin);
            }
        }
    }
}
