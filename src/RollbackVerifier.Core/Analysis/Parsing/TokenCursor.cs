using RollbackVerifier.Analysis.Syntax;
using RollbackVerifier.Model;

namespace RollbackVerifier.Analysis.Parsing;

/// <summary>A position in a statement's tokens with the small vocabulary a recursive-descent reader needs.</summary>
internal sealed class TokenCursor(IReadOnlyList<SqlToken> tokens, EngineKind engine)
{
    private static readonly SqlToken End = new(SqlTokenKind.Symbol, string.Empty, string.Empty, -1);

    public IReadOnlyList<SqlToken> Tokens { get; } = tokens;

    public EngineKind Engine { get; } = engine;

    public int Index { get; set; }

    public bool AtEnd => Index >= Tokens.Count;

    public SqlToken Current => Peek(0);

    public SqlToken Peek(int ahead) => Index + ahead < Tokens.Count && Index + ahead >= 0 ? Tokens[Index + ahead] : End;

    public SqlToken Next()
    {
        var token = Current;
        if (!AtEnd)
        {
            Index++;
        }

        return token;
    }

    /// <summary>True (and consumed) when the next tokens are exactly these words.</summary>
    public bool Accept(params ReadOnlySpan<string> words)
    {
        for (var i = 0; i < words.Length; i++)
        {
            if (!Peek(i).Is(words[i]))
            {
                return false;
            }
        }

        Index += words.Length;
        return true;
    }

    public bool AcceptSymbol(char symbol)
    {
        if (!Current.IsSymbol(symbol))
        {
            return false;
        }

        Index++;
        return true;
    }

    /// <summary>IF EXISTS.</summary>
    public bool AcceptIfExists() => Accept("IF", "EXISTS");

    /// <summary>IF NOT EXISTS.</summary>
    public bool AcceptIfNotExists() => Accept("IF", "NOT", "EXISTS");

    /// <summary>An identifier (a word or a quoted name), or null without consuming anything.</summary>
    public SqlName? Name()
    {
        if (!Current.IsName)
        {
            return null;
        }

        return SqlName.From(Next(), Engine);
    }

    /// <summary>
    /// A possibly qualified name (schema.name; database.schema.name keeps the last two parts), or null.
    /// </summary>
    public SqlObjectRef? ObjectName()
    {
        var first = Name();
        if (first is null)
        {
            return null;
        }

        var parts = new List<SqlName> { first };
        while (Current.IsSymbol('.') && Peek(1).IsName)
        {
            Index++;
            parts.Add(SqlName.From(Next(), Engine));
        }

        return parts.Count == 1 ? new SqlObjectRef(null, parts[0]) : new SqlObjectRef(parts[^2], parts[^1]);
    }

    /// <summary>A column name that may be qualified (alias.column, table.column): the last part.</summary>
    public SqlName? ColumnName()
    {
        var name = ObjectName();
        return name?.Name;
    }

    /// <summary>Consumes a balanced ( ... ) group and returns the tokens inside it, or null when no group starts here.</summary>
    public IReadOnlyList<SqlToken>? Group()
    {
        if (!Current.IsSymbol('('))
        {
            return null;
        }

        var start = Index + 1;
        var depth = 0;
        while (!AtEnd)
        {
            var token = Next();
            if (token.IsSymbol('('))
            {
                depth++;
            }
            else if (token.IsSymbol(')') && --depth == 0)
            {
                return Slice(start, Index - 1);
            }
        }

        return Slice(start, Index);
    }

    /// <summary>Skips tokens up to (not including) the next top-level token matching <paramref name="stop"/>, or the end.</summary>
    public IReadOnlyList<SqlToken> Until(Func<SqlToken, bool> stop)
    {
        var start = Index;
        var depth = 0;
        while (!AtEnd)
        {
            var token = Current;
            if (depth == 0 && stop(token))
            {
                break;
            }

            if (token.IsSymbol('('))
            {
                depth++;
            }
            else if (token.IsSymbol(')'))
            {
                if (depth == 0)
                {
                    break;
                }

                depth--;
            }

            Index++;
        }

        return Slice(start, Index);
    }

    /// <summary>The rest of the statement.</summary>
    public IReadOnlyList<SqlToken> Rest()
    {
        var rest = Slice(Index, Tokens.Count);
        Index = Tokens.Count;
        return rest;
    }

    public IReadOnlyList<SqlToken> Slice(int start, int end)
    {
        var list = new List<SqlToken>(Math.Max(0, end - start));
        for (var i = start; i < end && i < Tokens.Count; i++)
        {
            list.Add(Tokens[i]);
        }

        return list;
    }

    /// <summary>Splits tokens at top-level commas.</summary>
    public static List<IReadOnlyList<SqlToken>> SplitTopLevel(IReadOnlyList<SqlToken> tokens, char separator = ',')
    {
        var parts = new List<IReadOnlyList<SqlToken>>();
        var current = new List<SqlToken>();
        var depth = 0;
        foreach (var token in tokens)
        {
            if (token.IsSymbol('('))
            {
                depth++;
            }
            else if (token.IsSymbol(')'))
            {
                depth--;
            }
            else if (depth == 0 && token.IsSymbol(separator))
            {
                parts.Add(current);
                current = [];
                continue;
            }

            current.Add(token);
        }

        if (current.Count > 0 || parts.Count > 0)
        {
            parts.Add(current);
        }

        return parts;
    }

    /// <summary>True when <paramref name="tokens"/> contain <paramref name="word"/> outside any parentheses.</summary>
    public static bool HasTopLevel(IReadOnlyList<SqlToken> tokens, string word)
    {
        var depth = 0;
        foreach (var token in tokens)
        {
            if (token.IsSymbol('('))
            {
                depth++;
            }
            else if (token.IsSymbol(')'))
            {
                depth--;
            }
            else if (depth == 0 && token.Is(word))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The statement text of <paramref name="tokens"/>, tokens joined by single spaces (for messages and comparisons).</summary>
    public static string Text(IReadOnlyList<SqlToken> tokens)
    {
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var tight = i == 0 || token.IsSymbol(')') || token.IsSymbol(',') || token.IsSymbol('.') || tokens[i - 1].IsSymbol('(') || tokens[i - 1].IsSymbol('.')
                || (token.IsSymbol('(') && tokens[i - 1].IsName) || (token.IsSymbol(':') || tokens[i - 1].IsSymbol(':'));
            if (!tight)
            {
                text.Append(' ');
            }

            text.Append(token.Text);
        }

        return text.ToString();
    }
}
