using System.Text;

namespace RollbackVerifier.MySql;

/// <summary>
/// The table an ALTER TABLE, CREATE INDEX, DROP INDEX or OPTIMIZE TABLE statement changes, whether it names an
/// ALGORITHM or a LOCK, and how an ALGORITHM clause is appended to it. Read from the statement's tokens (comments,
/// strings and `quoted names` handled as the mysql client does); anything else is not a target.
/// </summary>
internal sealed record MySqlAlterTarget(string Kind, string Table, string? DeclaredAlgorithm, bool HasLock)
{
    private static readonly string[] Algorithms = ["DEFAULT", "INPLACE", "COPY", "NOCOPY", "INSTANT"];

    /// <summary>OPTIMIZE TABLE takes no ALGORITHM clause.</summary>
    public bool CanAppendAlgorithm => Kind != "optimize";

    /// <summary>The statement with the algorithm clause: ", ALGORITHM=X" after ALTER TABLE's list, " ALGORITHM=X" after CREATE/DROP INDEX.</summary>
    public string WithAlgorithm(string text, string algorithm)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Kind == "alter" ? $"{text}\n, ALGORITHM={algorithm}" : $"{text}\nALGORITHM={algorithm}";
    }

    /// <summary>The target of <paramref name="text"/>, or null when it is not one of the statements above.</summary>
    public static MySqlAlterTarget? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = Tokenize(text);
        var i = 0;
        string Word(int at) => at < tokens.Count && !tokens[at].Quoted ? tokens[at].Text.ToUpperInvariant() : string.Empty;
        void Skip(params string[] words)
        {
            while (words.Contains(Word(i)))
            {
                i++;
            }
        }

        string? kind = null;
        switch (Word(i++))
        {
            case "ALTER":
                Skip("ONLINE", "IGNORE");
                kind = Word(i++) == "TABLE" ? "alter" : null;
                break;
            case "OPTIMIZE":
                Skip("NO_WRITE_TO_BINLOG", "LOCAL");
                kind = Word(i++) == "TABLE" ? "optimize" : null;
                break;
            case "CREATE":
                if (Word(i) == "OR" && Word(i + 1) == "REPLACE")
                {
                    i += 2;
                }

                Skip("ONLINE", "OFFLINE", "UNIQUE", "FULLTEXT", "SPATIAL");
                if (Word(i++) == "INDEX" && SkipIndexName(tokens, ref i) && Word(i++) == "ON")
                {
                    kind = "create-index";
                }

                break;
            case "DROP":
                if (Word(i++) == "INDEX" && SkipIndexName(tokens, ref i) && Word(i++) == "ON")
                {
                    kind = "drop-index";
                }

                break;
        }

        if (kind is null || ReadName(tokens, ref i) is not { } table)
        {
            return null;
        }

        string? algorithm = null;
        var hasLock = false;
        for (var j = i; j < tokens.Count; j++)
        {
            var word = Word(j);
            var value = j + 1 < tokens.Count && tokens[j + 1].Text == "=" ? j + 2 : j + 1;
            if (word == "ALGORITHM" && Algorithms.Contains(Word(value)))
            {
                algorithm = Word(value).ToLowerInvariant();
            }
            else if (word == "LOCK" && Word(value) is "DEFAULT" or "NONE" or "SHARED" or "EXCLUSIVE")
            {
                hasLock = true;
            }
        }

        return new MySqlAlterTarget(kind, table, algorithm, hasLock);
    }

    /// <summary>Steps over [IF [NOT] EXISTS] index_name [USING method].</summary>
    private static bool SkipIndexName(List<Token> tokens, ref int i)
    {
        string Word(int at) => at < tokens.Count && !tokens[at].Quoted ? tokens[at].Text.ToUpperInvariant() : string.Empty;
        if (Word(i) == "IF")
        {
            i += Word(i + 1) == "NOT" ? 3 : 2;
        }

        if (i >= tokens.Count)
        {
            return false;
        }

        i++;
        if (Word(i) == "USING")
        {
            i += 2;
        }

        return true;
    }

    /// <summary>name or db.name; returns the table name.</summary>
    private static string? ReadName(List<Token> tokens, ref int i)
    {
        if (i >= tokens.Count || (!tokens[i].Quoted && !IsWordStart(tokens[i].Text[0])))
        {
            return null;
        }

        var name = tokens[i++].Text;
        while (i + 1 < tokens.Count && tokens[i].Text == "." && !tokens[i].Quoted)
        {
            name = tokens[i + 1].Text;
            i += 2;
        }

        return name;
    }

    private static bool IsWordStart(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';

    private sealed record Token(string Text, bool Quoted);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '#' || (c == '-' && i + 2 < text.Length && text[i + 1] == '-' && char.IsWhiteSpace(text[i + 2])))
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 2;
            }
            else if (c is '`' or '\'' or '"')
            {
                var value = new StringBuilder();
                i++;
                while (i < text.Length)
                {
                    if (text[i] == '\\' && c != '`' && i + 1 < text.Length)
                    {
                        value.Append(text[i + 1]);
                        i += 2;
                    }
                    else if (text[i] == c && i + 1 < text.Length && text[i + 1] == c)
                    {
                        value.Append(c);
                        i += 2;
                    }
                    else if (text[i] == c)
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        value.Append(text[i++]);
                    }
                }

                // Strings are values, `names` are names: only the latter may be a table.
                tokens.Add(c == '`' ? new Token(value.ToString(), true) : new Token("'", false));
            }
            else if (IsWordStart(c))
            {
                var start = i;
                while (i < text.Length && IsWordStart(text[i]))
                {
                    i++;
                }

                tokens.Add(new Token(text[start..i], false));
            }
            else
            {
                tokens.Add(new Token(c.ToString(), false));
                i++;
            }
        }

        return tokens;
    }
}
