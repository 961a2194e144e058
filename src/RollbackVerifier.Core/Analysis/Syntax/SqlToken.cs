namespace RollbackVerifier.Analysis.Syntax;

/// <summary>What a <see cref="SqlToken"/> is.</summary>
internal enum SqlTokenKind
{
    /// <summary>An unquoted word: a keyword or an identifier.</summary>
    Word,

    /// <summary>A quoted identifier ("name" on PostgreSQL and SQLite, `name` on MySQL and SQLite, [name] on SQLite).</summary>
    QuotedName,

    /// <summary>A string literal, including dollar-quoted bodies and E'...' strings.</summary>
    String,

    /// <summary>A numeric literal.</summary>
    Number,

    /// <summary>Any other single character (operators, parentheses, commas, ";" inside bodies).</summary>
    Symbol,
}

/// <summary>One token of a statement: its kind, its text as written and its value (quotes removed).</summary>
/// <param name="Kind">Kind.</param>
/// <param name="Text">The token as written.</param>
/// <param name="Value">Quoted names and strings without their quotes (doubled quotes collapsed); otherwise the text.</param>
/// <param name="Offset">0-based offset of the token in the statement text.</param>
internal readonly record struct SqlToken(SqlTokenKind Kind, string Text, string Value, int Offset)
{
    public bool IsName => Kind is SqlTokenKind.Word or SqlTokenKind.QuotedName;

    /// <summary>True for an unquoted word equal to <paramref name="word"/> (case-insensitive).</summary>
    public bool Is(string word) => Kind == SqlTokenKind.Word && Text.Equals(word, StringComparison.OrdinalIgnoreCase);

    public bool IsAny(params ReadOnlySpan<string> words)
    {
        foreach (var word in words)
        {
            if (Is(word))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsSymbol(char symbol) => Kind == SqlTokenKind.Symbol && Text.Length == 1 && Text[0] == symbol;

    public override string ToString() => Text;
}
