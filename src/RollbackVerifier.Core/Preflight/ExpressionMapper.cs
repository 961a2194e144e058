using System.Text;
using System.Text.RegularExpressions;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Seeding;

namespace RollbackVerifier.Preflight;

/// <summary>
/// Moves an expression of the pre-migration schema (a check constraint, a unique index key or predicate, as the
/// catalogs render them) onto the post-forward table: every column it names is replaced by its successor, quoted by
/// the engine's rule. An expression naming a column the forward dropped cannot be evaluated and gives null.
/// </summary>
internal static partial class ExpressionMapper
{
    public static string? Rewrite(string expression, Table before, Table after, IDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(dialect);

        // MySQL prefix keys render as name(10): the first ten characters of the column.
        if (PrefixKey().Match(expression) is { Success: true } prefix && before.FindColumn(prefix.Groups["column"].Value.Trim('`', '"')) is { } prefixed)
        {
            return Relaxations.Successor(before, after, prefixed.Name) is { } successor
                ? $"substr({dialect.QuoteIdentifier(successor.Name)}, 1, {prefix.Groups["length"].Value})"
                : null;
        }

        IReadOnlyList<SqlToken> tokens;
        try
        {
            tokens = SqlTokens.Read(expression, dialect);
        }
        catch (ScenarioDefinitionException)
        {
            return null;
        }

        var result = new StringBuilder();
        var copied = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind is not (SqlTokenKind.Word or SqlTokenKind.Identifier) || IsFunction(tokens, i) || IsTypeName(tokens, i) || (i > 0 && tokens[i - 1].IsSymbol('.')))
            {
                continue;
            }

            var old = before.Columns.FirstOrDefault(c => WrittenName.PartMatches(token.Name!, token.Kind == SqlTokenKind.Identifier, c.Name, dialect.Kind));
            if (old is null)
            {
                if (token.Kind == SqlTokenKind.Identifier)
                {
                    return null; // a quoted name that is no column of the table: not something a check can evaluate here
                }

                continue; // a keyword
            }

            if (Relaxations.Successor(before, after, old.Name) is not { } successor)
            {
                return null;
            }

            result.Append(expression, copied, token.Start - copied).Append(dialect.QuoteIdentifier(successor.Name));
            copied = token.End;
        }

        return result.Append(expression, copied, expression.Length - copied).ToString();
    }

    /// <summary>
    /// True when a default expression is a constant (literals, casts, TRUE/FALSE/NULL): comparing a column with it
    /// tells values written since from the default. Function calls (now(), nextval(...)) and column references are not.
    /// </summary>
    public static bool IsConstant(string expression, IDialect dialect)
    {
        IReadOnlyList<SqlToken> tokens;
        try
        {
            tokens = SqlTokens.Read(expression, dialect);
        }
        catch (ScenarioDefinitionException)
        {
            return false;
        }

        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var next = i + 1 < tokens.Count ? tokens[i + 1] : null;
            switch (token.Kind)
            {
                case SqlTokenKind.Identifier or SqlTokenKind.Delimiter or SqlTokenKind.ExecutableComment:
                    return false;
                case SqlTokenKind.Word when token.IsWord("TRUE") || token.IsWord("FALSE") || token.IsWord("NULL") || IsTypeName(tokens, i):
                    break;
                case SqlTokenKind.Word when next?.Kind == SqlTokenKind.String && (token.Text.StartsWith('_') || token.Text.Length == 1):
                    break; // MySQL charset introducers (_utf8mb4'x') and b'..', x'..', n'..' literals
                case SqlTokenKind.Word:
                    return false;
            }
        }

        return tokens.Count > 0;
    }

    private static bool IsFunction(IReadOnlyList<SqlToken> tokens, int i) => i + 1 < tokens.Count && tokens[i + 1].IsSymbol('(');

    /// <summary>A word of a type after PostgreSQL's :: cast (character varying, timestamp without time zone, ...).</summary>
    private static bool IsTypeName(IReadOnlyList<SqlToken> tokens, int i)
    {
        for (var j = i - 1; j >= 1; j--)
        {
            if (tokens[j].Kind == SqlTokenKind.Word)
            {
                continue;
            }

            return tokens[j].IsSymbol(':') && tokens[j - 1].IsSymbol(':');
        }

        return false;
    }

    [GeneratedRegex(@"^(?<column>[`""]?[^`""()]+[`""]?)\((?<length>\d+)\)$")]
    private static partial Regex PrefixKey();
}
