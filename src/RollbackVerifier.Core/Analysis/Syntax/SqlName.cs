using RollbackVerifier.Model;

namespace RollbackVerifier.Analysis.Syntax;

/// <summary>
/// An identifier as written (<see cref="Text"/>, quotes removed) and as the engine compares it (<see cref="Key"/>):
/// PostgreSQL folds unquoted names to lower case and keeps quoted ones exact; MySQL and SQLite compare column and
/// (on the usual case-insensitive file systems) table names without regard to case. Equality is by key.
/// </summary>
internal sealed record SqlName(string Text, string Key)
{
    public static SqlName From(SqlToken token, EngineKind engine)
    {
        var text = token.Value;
        var key = engine == EngineKind.Postgres && token.Kind == SqlTokenKind.QuotedName ? text : text.ToLowerInvariant();
        return new SqlName(text, key);
    }

    /// <summary>A name from plain text (an unquoted identifier, or a name found in a string such as setval('seq')).</summary>
    public static SqlName Plain(string text) => new(text, text.ToLowerInvariant());

    public bool Equals(SqlName? other) => other is not null && string.Equals(Key, other.Key, StringComparison.Ordinal);

    public override int GetHashCode() => Key.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Text;
}

/// <summary>
/// A possibly schema-qualified object name. Two references match when their names are equal and their schemas are
/// equal or either is unqualified (an unqualified name resolves through the search path, usually to the same object).
/// </summary>
internal sealed record SqlObjectRef(SqlName? Schema, SqlName Name)
{
    public static SqlObjectRef Of(string name) => new(null, SqlName.Plain(name));

    public bool Matches(SqlObjectRef? other) =>
        other is not null && Name.Equals(other.Name) && (Schema is null || other.Schema is null || Schema.Equals(other.Schema));

    public bool Equals(SqlObjectRef? other) => Matches(other);

    public override int GetHashCode() => Name.GetHashCode();

    public override string ToString() => Schema is null ? Name.Text : $"{Schema.Text}.{Name.Text}";
}
