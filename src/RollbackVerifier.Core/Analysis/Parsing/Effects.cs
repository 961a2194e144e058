using RollbackVerifier.Analysis.Syntax;

namespace RollbackVerifier.Analysis.Parsing;

/// <summary>One thing a statement does to one object. A statement has zero or more effects (ALTER TABLE has one per action).</summary>
internal abstract record SqlEffect;

/// <summary>CREATE TABLE, including CREATE TABLE ... AS SELECT (a copy of <see cref="CopiedFrom"/>).</summary>
internal sealed record CreateTable(SqlObjectRef Table, IReadOnlyList<ColumnDefinition> Columns, IReadOnlyList<ConstraintDefinition> Constraints) : SqlEffect
{
    public bool Temporary { get; init; }

    public bool IfNotExists { get; init; }

    /// <summary>Tables read by CREATE TABLE ... AS / LIKE; empty otherwise.</summary>
    public IReadOnlyList<SqlObjectRef> CopiedFrom { get; init; } = [];
}

internal sealed record DropTable(SqlObjectRef Table, bool IfExists, bool Cascade) : SqlEffect;

internal sealed record RenameTable(SqlObjectRef From, SqlObjectRef To) : SqlEffect;

internal sealed record AddColumn(SqlObjectRef Table, ColumnDefinition Column) : SqlEffect;

internal sealed record DropColumn(SqlObjectRef Table, SqlName Column, bool Cascade) : SqlEffect;

internal sealed record RenameColumn(SqlObjectRef Table, SqlName From, SqlName To) : SqlEffect;

/// <summary>PostgreSQL ALTER COLUMN ... TYPE.</summary>
internal sealed record ChangeColumnType(SqlObjectRef Table, SqlName Column, ColumnType Type, bool HasUsing) : SqlEffect;

/// <summary>MySQL MODIFY / CHANGE: the whole column definition is replaced (<see cref="Definition"/> carries the new name).</summary>
internal sealed record RedefineColumn(SqlObjectRef Table, SqlName Column, ColumnDefinition Definition) : SqlEffect;

internal sealed record SetNotNull(SqlObjectRef Table, SqlName Column) : SqlEffect;

internal sealed record DropNotNull(SqlObjectRef Table, SqlName Column) : SqlEffect;

internal sealed record SetDefault(SqlObjectRef Table, SqlName Column, string Expression) : SqlEffect;

internal sealed record DropDefault(SqlObjectRef Table, SqlName Column) : SqlEffect;

/// <summary>What changes about an identity column.</summary>
internal enum IdentityChangeKind
{
    Add,
    Drop,

    /// <summary>SET GENERATED / SET INCREMENT BY / ...: the settings, not the position.</summary>
    SetOptions,

    /// <summary>RESTART [WITH n]: the position only.</summary>
    Restart,
}

/// <summary>An identity column's settings or position change (PostgreSQL ALTER COLUMN ... ADD/DROP/SET/RESTART).</summary>
/// <param name="RestartValue">For restarts: the literal it restarts with, or null for the start value.</param>
internal sealed record IdentityChange(SqlObjectRef Table, SqlName Column, IdentityChangeKind Kind, string? RestartValue) : SqlEffect;

internal sealed record AddConstraint(SqlObjectRef Table, ConstraintDefinition Constraint) : SqlEffect;

/// <summary>DROP CONSTRAINT name, or MySQL DROP PRIMARY KEY / FOREIGN KEY / CHECK / INDEX.</summary>
/// <param name="Name">The constraint's name; null for MySQL DROP PRIMARY KEY.</param>
/// <param name="Kind">The kind when the syntax says it (MySQL), else null.</param>
internal sealed record DropConstraint(SqlObjectRef Table, SqlName? Name, ConstraintKind? Kind, bool Cascade) : SqlEffect;

internal sealed record ValidateConstraint(SqlObjectRef Table, SqlName Name) : SqlEffect;

internal sealed record RenameConstraint(SqlObjectRef Table, SqlName From, SqlName To) : SqlEffect;

/// <summary>CREATE [UNIQUE] INDEX. <see cref="Name"/> is null when the statement leaves naming to the engine.</summary>
internal sealed record CreateIndex(SqlObjectRef? Name, SqlObjectRef Table, IReadOnlyList<SqlName> Columns, bool Unique, bool Concurrently) : SqlEffect;

/// <summary>DROP INDEX (MySQL names the table).</summary>
internal sealed record DropIndex(SqlObjectRef Name, SqlObjectRef? Table, bool Concurrently, bool IfExists) : SqlEffect;

internal sealed record RenameIndex(SqlObjectRef? Table, SqlObjectRef From, SqlObjectRef To) : SqlEffect;

internal sealed record CreateSequence(SqlObjectRef Name) : SqlEffect;

internal sealed record DropSequence(SqlObjectRef Name) : SqlEffect;

/// <summary>ALTER SEQUENCE: settings (increment, bounds, cycle, type, owner) and/or the position (RESTART).</summary>
/// <param name="ChangesSettings">True when anything other than the position changes.</param>
/// <param name="Restarts">True for RESTART.</param>
/// <param name="RestartValue">The literal of RESTART WITH, or null (the start value).</param>
internal sealed record AlterSequence(SqlObjectRef Name, bool ChangesSettings, bool Restarts, string? RestartValue) : SqlEffect;

/// <summary>setval('seq', value) on PostgreSQL. <see cref="Literal"/> is the value when it is a constant, else null.</summary>
internal sealed record SetSequenceValue(SqlObjectRef Name, string Value, string? Literal) : SqlEffect;

/// <summary>A table's counter set directly: MySQL ALTER TABLE ... AUTO_INCREMENT = n, SQLite writes to sqlite_sequence.</summary>
internal sealed record SetTableCounter(SqlObjectRef Table, string Value, string? Literal) : SqlEffect;

/// <summary>Kinds of schema objects other than tables, columns, constraints, indexes and sequences.</summary>
internal enum SqlObjectKind
{
    View,
    MaterializedView,
    Trigger,
    Function,
    Procedure,
    Type,
    Domain,
    Schema,
    Extension,
    Event,
    Rule,
    Policy,
}

/// <summary>What happens to such an object.</summary>
internal enum ObjectAction
{
    Create,
    CreateOrReplace,
    Alter,
    Drop,
    Rename,
}

/// <summary>CREATE / ALTER / DROP of a view, trigger, routine, type ...; <see cref="Table"/> for triggers and policies.</summary>
internal sealed record ObjectChange(SqlObjectKind Kind, SqlObjectRef Name, ObjectAction Action) : SqlEffect
{
    public SqlObjectRef? Table { get; init; }

    /// <summary>For renames, the new name.</summary>
    public SqlObjectRef? NewName { get; init; }

    /// <summary>Enum labels of CREATE TYPE ... AS ENUM, in order.</summary>
    public IReadOnlyList<string>? EnumLabels { get; init; }

    /// <summary>ALTER TYPE ... ADD VALUE: the new label.</summary>
    public string? AddedLabel { get; init; }
}

/// <summary>Kinds of data changes.</summary>
internal enum DataChangeKind
{
    Insert,
    Update,
    Delete,
    Truncate,
}

/// <summary>INSERT / UPDATE / DELETE / TRUNCATE of one table.</summary>
internal sealed record DataChange(DataChangeKind Kind, SqlObjectRef Table) : SqlEffect
{
    /// <summary>INSERT target columns, or UPDATE SET columns.</summary>
    public IReadOnlyList<SqlName> Columns { get; init; } = [];

    /// <summary>A top-level WHERE clause restricts the rows.</summary>
    public bool HasWhere { get; init; }

    /// <summary>UPDATE ... FROM / JOIN, DELETE ... USING / JOIN: the rows are restricted by a join.</summary>
    public bool HasJoin { get; init; }

    /// <summary>Tables read (FROM / JOIN anywhere in the statement, including subqueries).</summary>
    public IReadOnlyList<SqlObjectRef> Sources { get; init; } = [];

    /// <summary>INSERT ... SELECT * (columns matched by position).</summary>
    public bool SelectStar { get; init; }

    /// <summary>TRUNCATE ... CASCADE.</summary>
    public bool Cascade { get; init; }
}

/// <summary>SET name = value (session settings), PostgreSQL set_config, SQLite PRAGMA name = value.</summary>
internal sealed record SessionSetting(string Name, string Value) : SqlEffect;

/// <summary>A PostgreSQL DO block (or another anonymous body): what it mentions and whether it only checks and raises.</summary>
/// <param name="IsGuard">True when the body raises an error and writes nothing (a check that refuses to continue).</param>
/// <param name="Words">Every word and name in the body, lower case.</param>
internal sealed record AnonymousBlock(bool IsGuard, IReadOnlySet<string> Words) : SqlEffect;

/// <summary>LOCK TABLE.</summary>
internal sealed record LockTable(SqlObjectRef Table, string Mode) : SqlEffect;

/// <summary>VACUUM, ANALYZE, REINDEX, CLUSTER, REFRESH MATERIALIZED VIEW, OPTIMIZE TABLE: maintenance that keeps the data.</summary>
internal sealed record Maintenance(string Command, SqlObjectRef? Target, bool Concurrently) : SqlEffect;
