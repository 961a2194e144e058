using RollbackVerifier.Analysis.Syntax;

namespace RollbackVerifier.Analysis.Parsing;

/// <summary>A column type as written: its base name (lower case, words joined by spaces) and its arguments.</summary>
/// <param name="Name">Base name, e.g. <c>character varying</c>, <c>int</c>, <c>decimal</c>.</param>
/// <param name="Arguments">Arguments in parentheses, e.g. <c>["12", "4"]</c>.</param>
/// <param name="Unsigned">MySQL UNSIGNED.</param>
/// <param name="IsArray">PostgreSQL array (<c>int[]</c>).</param>
/// <param name="Text">The type as written.</param>
internal sealed record ColumnType(string Name, IReadOnlyList<string> Arguments, bool Unsigned, bool IsArray, string Text)
{
    /// <summary>Labels of an inline MySQL ENUM/SET, or of a PostgreSQL enum type resolved from CREATE TYPE.</summary>
    public IReadOnlyList<string>? EnumLabels { get; init; }

    public override string ToString() => Text;
}

/// <summary>A foreign key's target.</summary>
internal sealed record ForeignKeyTarget(SqlObjectRef Table, IReadOnlyList<SqlName> Columns, string? OnDelete);

/// <summary>A column definition (CREATE TABLE, ADD COLUMN, MySQL MODIFY/CHANGE).</summary>
internal sealed record ColumnDefinition(SqlName Name, ColumnType? Type)
{
    /// <summary>True for NOT NULL (or PRIMARY KEY), false for an explicit NULL, null when not said.</summary>
    public bool? NotNull { get; init; }

    public string? Default { get; init; }

    public bool PrimaryKey { get; init; }

    public bool Unique { get; init; }

    /// <summary>Identity, AUTO_INCREMENT, AUTOINCREMENT, serial: values come from a counter.</summary>
    public bool Identity { get; init; }

    /// <summary>A generated (computed) column.</summary>
    public bool Generated { get; init; }

    public ForeignKeyTarget? References { get; init; }

    /// <summary>Name of the inline REFERENCES constraint, when named.</summary>
    public SqlName? ReferencesName { get; init; }

    /// <summary>Inline CHECK expressions.</summary>
    public IReadOnlyList<string> Checks { get; init; } = [];

    /// <summary>MySQL FIRST / AFTER: the column is placed explicitly.</summary>
    public bool Positioned { get; init; }
}

/// <summary>Kinds of table constraints.</summary>
internal enum ConstraintKind
{
    PrimaryKey,
    Unique,
    ForeignKey,
    Check,
    Exclude,

    /// <summary>A plain (non-unique) MySQL index declared in CREATE/ALTER TABLE (INDEX/KEY).</summary>
    Index,
}

/// <summary>A table constraint (or a MySQL index declared with the table).</summary>
internal sealed record ConstraintDefinition(ConstraintKind Kind, SqlName? Name, IReadOnlyList<SqlName> Columns)
{
    public ForeignKeyTarget? References { get; init; }

    /// <summary>CHECK expression text, for comparisons.</summary>
    public string? Expression { get; init; }

    /// <summary>PostgreSQL NOT VALID: existing rows are not checked.</summary>
    public bool NotValid { get; init; }
}
