using System.Globalization;
using System.Text;
using RollbackVerifier.Model;

namespace RollbackVerifier.Seeding;

/// <summary>One end of a range a check constraint puts on a column.</summary>
/// <param name="Literal">The bound as text: a number ("0", "-5.5", "1500") or an unquoted string or date ("2020-01-01").</param>
/// <param name="Inclusive">True for &lt;= and &gt;= (and BETWEEN), false for &lt; and &gt;.</param>
public sealed record CheckBound(string Literal, bool Inclusive);

/// <summary>
/// The values the understood check constraints allow in one column, for non-NULL values (a check that evaluates to
/// NULL passes, so NULL is only limited by NOT NULL). Several checks intersect: the tightest bound wins, allowed lists
/// intersect, forbidden lists join. Equality compares the lists element by element.
/// </summary>
/// <param name="Column">The column's own name, spelled as the table spells it.</param>
/// <param name="Min">Lower bound, or null.</param>
/// <param name="Max">Upper bound, or null.</param>
/// <param name="Allowed">
/// The only values allowed (IN lists, = ANY (ARRAY[...]), equality), unquoted, in declaration order, without the
/// forbidden ones and those outside the bounds or length limits; null when there is no list. Empty when the lists of
/// several checks have nothing in common: then only NULL passes.
/// </param>
/// <param name="MinLength">Least length in characters (length(), char_length(), character_length(), octet_length()), or null.</param>
/// <param name="MaxLength">Greatest length in characters, or null. For byte-length checks see also <see cref="MaxBytes"/>.</param>
/// <param name="Forbidden">Values refused by &lt;&gt;, != and NOT IN (for example "" from <c>col &lt;&gt; ''</c>).</param>
public sealed record ColumnDomain(string Column, CheckBound? Min, CheckBound? Max, IReadOnlyList<string>? Allowed, int? MinLength, int? MaxLength, IReadOnlyList<string> Forbidden)
{
    /// <summary>
    /// Greatest length in UTF-8 bytes, from octet_length() (MariaDB also renders LENGTH() so) and, when the engine is
    /// known to be MySQL, length(); null when no check counts bytes. <see cref="MaxLength"/> then holds the same number,
    /// which is necessary but, for non-ASCII text, not sufficient.
    /// </summary>
    public int? MaxBytes { get; init; }

    public bool Equals(ColumnDomain? other) =>
        other is not null
        && string.Equals(Column, other.Column, StringComparison.Ordinal)
        && Min == other.Min
        && Max == other.Max
        && (Allowed is null ? other.Allowed is null : other.Allowed is not null && Allowed.SequenceEqual(other.Allowed, StringComparer.Ordinal))
        && MinLength == other.MinLength
        && MaxLength == other.MaxLength
        && MaxBytes == other.MaxBytes
        && Forbidden.SequenceEqual(other.Forbidden, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Column, Min, Max, Allowed?.Count, MinLength, MaxLength, MaxBytes, Forbidden.Count);
}

/// <summary>A check comparing two columns of the same row (<c>ends_at &gt; starts_at</c>).</summary>
/// <param name="Left">The left column's own name.</param>
/// <param name="Operator">One of &lt; &lt;= &gt; &gt;= = &lt;&gt;.</param>
/// <param name="Right">The right column's own name.</param>
public sealed record ColumnComparison(string Left, string Operator, string Right);

/// <summary>What the seeder knows about a table's enforced check constraints.</summary>
/// <param name="Domains">Per column (by its own name), the values the understood checks allow.</param>
/// <param name="Comparisons">Column-to-column comparisons of the understood checks.</param>
/// <param name="NotUnderstood">Enforced checks with any part not understood; they contribute nothing to the domains.</param>
public sealed record CheckAnalysis(IReadOnlyDictionary<string, ColumnDomain> Domains, IReadOnlyList<ColumnComparison> Comparisons, IReadOnlyList<CheckConstraint> NotUnderstood)
{
    public ColumnDomain? For(string column) => Domains.GetValueOrDefault(column);

    /// <summary>True when every enforced check was understood.</summary>
    public bool AllUnderstood => NotUnderstood.Count == 0;
}

/// <summary>
/// Turns the common forms of check constraints, as PostgreSQL (pg_get_expr), MySQL/MariaDB (CHECK_CLAUSE, normalized
/// by the inspector) and SQLite (the normalized CREATE TABLE text) render them, into per-column value domains. A check is
/// understood only if every conjunct is: comparisons of a column with a literal, BETWEEN, [NOT] IN, = ANY (ARRAY[...]),
/// &lt;&gt; ALL (ARRAY[...]), length functions compared with integers, column-to-column comparisons, IS NOT NULL,
/// json_valid() on a JSON column, and <c>col IS NULL OR ...</c> where every conjunct of the other side involves col.
/// Anything else puts the whole check in <see cref="CheckAnalysis.NotUnderstood"/>.
/// </summary>
public static class CheckDomains
{
    /// <summary>Analyses the table's enforced checks without knowing the engine (string literals with backslashes are not understood).</summary>
    public static CheckAnalysis Analyze(Table table) => Analyze(table, (EngineKind?)null);

    /// <summary>
    /// Analyses the table's enforced checks knowing the engine: MySQL string literals use backslash escapes and MySQL's
    /// length() counts bytes.
    /// </summary>
    public static CheckAnalysis Analyze(Table table, EngineKind engine) => Analyze(table, (EngineKind?)engine);

    private static CheckAnalysis Analyze(Table table, EngineKind? engine)
    {
        ArgumentNullException.ThrowIfNull(table);
        var domains = new Dictionary<string, ColumnDomain>(StringComparer.Ordinal);
        var comparisons = new List<ColumnComparison>();
        var notUnderstood = new List<CheckConstraint>();
        foreach (var check in table.Checks.Where(c => c.IsEnforced))
        {
            var facts = Understand(check.Expression, table, engine);
            var merged = facts is null ? null : Merge(domains, facts, table);
            if (merged is null)
            {
                notUnderstood.Add(check);
                continue;
            }

            domains = merged;
            foreach (var comparison in facts!.OfType<RelationFact>().Select(r => r.Comparison))
            {
                if (!comparisons.Contains(comparison))
                {
                    comparisons.Add(comparison);
                }
            }
        }

        var result = new Dictionary<string, ColumnDomain>(StringComparer.Ordinal);
        foreach (var column in table.Columns)
        {
            if (domains.TryGetValue(column.Name, out var domain) && Tidy(domain, column) is { } tidy)
            {
                result.Add(column.Name, tidy);
            }
        }

        return new CheckAnalysis(result, comparisons, notUnderstood);
    }

    /// <summary>The facts of one check, or null when any part of it is not understood.</summary>
    private static List<Fact>? Understand(string expression, Table table, EngineKind? engine)
    {
        try
        {
            var text = expression;
            var mode = engine switch
            {
                EngineKind.MySql => StringMode.MySql,
                EngineKind.Postgres or EngineKind.Sqlite => StringMode.Standard,
                _ => StringMode.Unknown,
            };

            // MySQL 8 escapes CHECK_CLAUSE a second time: (`s` in (_utf8mb4\'a\',_utf8mb4\'it\\\'s\')).
            if (mode != StringMode.Standard && HasBackslashOutsideStrings(text, mode))
            {
                text = Unescape(text, keepLikeEscapes: false);
                mode = StringMode.MySql;
            }

            var tokens = Tokenizer.Tokenize(text, mode);
            var node = new Parser(tokens).ParseCheck();
            return new Interpreter(table, engine).Facts(node);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    // ----- facts and their merging -----------------------------------------------------------------------------------

    private abstract record Fact
    {
        public abstract bool Involves(string column);
    }

    /// <summary>One restriction on one column.</summary>
    private sealed record DomainFact(ColumnDomain Domain) : Fact
    {
        public override bool Involves(string column) => Domain.Column == column;
    }

    private sealed record RelationFact(ColumnComparison Comparison) : Fact
    {
        public override bool Involves(string column) => Comparison.Left == column || Comparison.Right == column;
    }

    /// <summary>Understood with no effect on the domain (IS NOT NULL, json_valid).</summary>
    private sealed record MentionFact(string Column) : Fact
    {
        public override bool Involves(string column) => Column == column;
    }

    /// <summary>The domains with a check's facts added, or null when a bound cannot be ordered against an earlier one.</summary>
    private static Dictionary<string, ColumnDomain>? Merge(Dictionary<string, ColumnDomain> domains, List<Fact> facts, Table table)
    {
        var result = new Dictionary<string, ColumnDomain>(domains, StringComparer.Ordinal);
        foreach (var fact in facts.OfType<DomainFact>())
        {
            var domain = fact.Domain;
            if (result.TryGetValue(domain.Column, out var existing))
            {
                var column = table.Columns.First(c => c.Name == domain.Column);
                if (Intersect(existing, domain, column) is not { } both)
                {
                    return null;
                }

                domain = both;
            }

            result[domain.Column] = domain;
        }

        return result;
    }

    private static ColumnDomain? Intersect(ColumnDomain a, ColumnDomain b, Column column)
    {
        if (!TryTighter(a.Min, b.Min, column, lower: true, out var min) || !TryTighter(a.Max, b.Max, column, lower: false, out var max))
        {
            return null;
        }

        var allowed = a.Allowed is null ? b.Allowed
            : b.Allowed is null ? a.Allowed
            : a.Allowed.Where(x => b.Allowed.Any(y => Same(x, y, column))).ToList();
        var forbidden = a.Forbidden.ToList();
        forbidden.AddRange(b.Forbidden.Where(f => !forbidden.Any(g => Same(f, g, column))));
        return new ColumnDomain(
            a.Column,
            min,
            max,
            allowed,
            Tighter(a.MinLength, b.MinLength, Math.Max),
            Tighter(a.MaxLength, b.MaxLength, Math.Min),
            forbidden)
        {
            MaxBytes = Tighter(a.MaxBytes, b.MaxBytes, Math.Min),
        };
    }

    private static int? Tighter(int? a, int? b, Func<int, int, int> pick) => a is null ? b : b is null ? a : pick(a.Value, b.Value);

    private static bool TryTighter(CheckBound? a, CheckBound? b, Column column, bool lower, out CheckBound? result)
    {
        if (a is null || b is null)
        {
            result = a ?? b;
            return true;
        }

        result = null;
        if (CompareLiterals(a.Literal, b.Literal, column) is not { } order)
        {
            return false;
        }

        result = order == 0 ? a with { Inclusive = a.Inclusive && b.Inclusive }
            : (order > 0) == lower ? a
            : b;
        return true;
    }

    /// <summary>Drops allowed values the rest of the domain refuses; null when nothing is restricted.</summary>
    private static ColumnDomain? Tidy(ColumnDomain domain, Column column)
    {
        var minLength = domain.MinLength is > 0 ? domain.MinLength : null;
        var allowed = domain.Allowed?.Where(value =>
            !domain.Forbidden.Any(f => Same(f, value, column))
            && (domain.Min is not { } min || CompareLiterals(value, min.Literal, column) is not { } low || low > 0 || (low == 0 && min.Inclusive))
            && (domain.Max is not { } max || CompareLiterals(value, max.Literal, column) is not { } high || high < 0 || (high == 0 && max.Inclusive))
            && (minLength is null || value.EnumerateRunes().Count() >= minLength)
            && (domain.MaxLength is null || value.EnumerateRunes().Count() <= domain.MaxLength)
            && (domain.MaxBytes is null || Encoding.UTF8.GetByteCount(value) <= domain.MaxBytes)).ToList();
        var tidy = domain with { Allowed = allowed, MinLength = minLength };
        return tidy.Min is null && tidy.Max is null && tidy.Allowed is null && tidy.MinLength is null && tidy.MaxLength is null && tidy.MaxBytes is null && tidy.Forbidden.Count == 0
            ? null
            : tidy;
    }

    private static bool Same(string a, string b, Column column) => CompareLiterals(a, b, column) == 0;

    /// <summary>Orders two literals as the column's type would, or null when that cannot be told (text collations, unparsable values).</summary>
    private static int? CompareLiterals(string a, string b, Column column)
    {
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return 0;
        }

        switch (column.Family)
        {
            case TypeFamily.Date or TypeFamily.Timestamp or TypeFamily.TimestampTz:
                const DateTimeStyles styles = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal;
                return DateTime.TryParse(a, CultureInfo.InvariantCulture, styles, out var da) && DateTime.TryParse(b, CultureInfo.InvariantCulture, styles, out var db)
                    ? da.CompareTo(db)
                    : null;
            case TypeFamily.Boolean:
                return Truth(a) is { } ta && Truth(b) is { } tb ? ta.CompareTo(tb) : null;
            case TypeFamily.Uuid:
                return Guid.TryParse(a, out var ga) && Guid.TryParse(b, out var gb) && ga == gb ? 0 : null;
            case TypeFamily.Text or TypeFamily.Enum:
                return null;
            default:
                if (decimal.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var ma) && decimal.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var mb))
                {
                    return ma.CompareTo(mb);
                }

                return double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var fa) && double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var fb)
                    ? fa.CompareTo(fb)
                    : null;
        }
    }

    private static bool? Truth(string text) => text.ToLowerInvariant() switch
    {
        "true" or "t" or "1" => true,
        "false" or "f" or "0" => false,
        _ => null,
    };

    // ----- from syntax to facts ------------------------------------------------------------------------------------

    private sealed class Interpreter(Table table, EngineKind? engine)
    {
        private static readonly HashSet<string> TextTypes = new(StringComparer.Ordinal) { "text", "varchar", "character varying", "bpchar", "character", "char", "name", "citext" };
        private static readonly HashSet<string> IntegerTypes = new(StringComparer.Ordinal) { "smallint", "integer", "int", "bigint", "int2", "int4", "int8" };
        private static readonly HashSet<string> ExactTypes = new(StringComparer.Ordinal) { "numeric", "decimal" };
        private static readonly HashSet<string> FloatTypes = new(StringComparer.Ordinal) { "double precision", "real", "float4", "float8", "float" };

        public List<Fact> Facts(Node node)
        {
            switch (node)
            {
                case LogicalNode { IsAnd: true } and:
                    return and.Operands.SelectMany(Facts).ToList();
                case LogicalNode or:
                    return NullOr(or);
                case NotNode not:
                    return Facts(Negate(not.Operand));
                case CompareNode compare:
                    return [Comparison(compare.Operator, compare.Left, compare.Right)];
                case BetweenNode between:
                    return [Comparison(">=", between.Operand, between.Low), Comparison("<=", between.Operand, between.High)];
                case InNode list:
                    return [ListFact(ColumnOf(list.Operand), list.Items.Select(Literal).ToList(), allowed: !list.Negated)];
                case QuantifiedNode quantified:
                    return [Quantified(quantified)];
                case NullTestNode { Negated: true } isNotNull:
                    return [new MentionFact(ColumnOf(isNotNull.Operand).Name)];
                case CallNode { Arguments.Count: 1 } call when call.Function == "json_valid" && ColumnOf(call.Arguments[0]) is { Family: TypeFamily.Json } json:
                    return [new MentionFact(json.Name)];
                default:
                    throw Unsupported();
            }
        }

        /// <summary><c>col IS NULL OR p</c>: p's facts, when every one of them involves col (p is then NULL for a NULL col).</summary>
        private List<Fact> NullOr(LogicalNode or)
        {
            if (or.Operands.Count != 2)
            {
                throw Unsupported();
            }

            var (test, other) = or.Operands[0] is NullTestNode { Negated: false } first ? (first, or.Operands[1])
                : or.Operands[1] is NullTestNode { Negated: false } second ? (second, or.Operands[0])
                : throw Unsupported();
            var column = ColumnOf(test.Operand).Name;
            var facts = Facts(other);
            return facts.All(f => f.Involves(column)) ? facts : throw Unsupported();
        }

        /// <summary>NOT over a comparison, an IN list or a NULL test, by inverting it; anything else is not understood.</summary>
        private static Node Negate(Node node) => node switch
        {
            CompareNode c => c with { Operator = c.Operator switch { "=" => "<>", "<>" => "=", "<" => ">=", "<=" => ">", ">" => "<=", _ => "<" } },
            InNode list => list with { Negated = !list.Negated },
            NullTestNode test => test with { Negated = !test.Negated },
            _ => throw Unsupported(),
        };

        private Fact Comparison(string op, Node left, Node right)
        {
            var leftColumn = TryColumnOf(left);
            var rightColumn = TryColumnOf(right);
            if (leftColumn is not null && rightColumn is not null)
            {
                return leftColumn != rightColumn ? new RelationFact(new ColumnComparison(leftColumn.Name, op, rightColumn.Name)) : throw Unsupported();
            }

            if (leftColumn is not null)
            {
                return ValueFact(leftColumn, op, Literal(right));
            }

            if (rightColumn is not null)
            {
                return ValueFact(rightColumn, Flip(op), Literal(left));
            }

            if (TryLengthOf(left) is { } leftLength)
            {
                return LengthFact(leftLength, op, Literal(right));
            }

            return TryLengthOf(right) is { } rightLength ? LengthFact(rightLength, Flip(op), Literal(left)) : throw Unsupported();
        }

        private static string Flip(string op) => op switch
        {
            "<" => ">",
            "<=" => ">=",
            ">" => "<",
            ">=" => "<=",
            _ => op,
        };

        private static Fact ValueFact(Column column, string op, string literal) => op switch
        {
            "=" => ListFact(column, [literal], allowed: true),
            "<>" => ListFact(column, [literal], allowed: false),
            "<" or "<=" => new DomainFact(Empty(column) with { Max = new CheckBound(literal, op == "<=") }),
            _ => new DomainFact(Empty(column) with { Min = new CheckBound(literal, op == ">=") }),
        };

        private static DomainFact ListFact(Column column, List<string> literals, bool allowed)
        {
            var distinct = new List<string>();
            foreach (var literal in literals.Where(l => !distinct.Any(d => Same(d, l, column))))
            {
                distinct.Add(literal);
            }

            return new DomainFact(allowed ? Empty(column) with { Allowed = distinct } : Empty(column) with { Forbidden = distinct });
        }

        private Fact Quantified(QuantifiedNode node)
        {
            var column = ColumnOf(node.Left);
            var array = node.Right;
            while (array is CastNode cast)
            {
                array = cast.Operand;
            }

            if (array is not ArrayNode { Items.Count: > 0 } items)
            {
                throw Unsupported();
            }

            var literals = items.Items.Select(Literal).ToList();
            return (node.Operator, node.Quantifier) switch
            {
                ("=", "any" or "some") => ListFact(column, literals, allowed: true),
                ("<>", "all") => ListFact(column, literals, allowed: false),
                _ => throw Unsupported(),
            };
        }

        private static DomainFact LengthFact((Column Column, bool Bytes) length, string op, string literal)
        {
            if (!int.TryParse(literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || n is int.MinValue or int.MaxValue)
            {
                throw Unsupported();
            }

            var (min, max) = op switch
            {
                "=" => (n, n),
                "<" => ((int?)null, (int?)(n - 1)),
                "<=" => (null, n),
                ">" => (n + 1, null),
                ">=" => (n, null),
                "<>" when n == 0 => (1, null),
                _ => throw Unsupported(),
            };
            return new DomainFact(Empty(length.Column) with { MinLength = min, MaxLength = max, MaxBytes = length.Bytes ? max : null });
        }

        private (Column Column, bool Bytes)? TryLengthOf(Node node)
        {
            if (node is not CallNode { Arguments.Count: 1 } call || call.Function is not ("length" or "char_length" or "character_length" or "octet_length"))
            {
                return null;
            }

            var column = ColumnOf(call.Arguments[0]);
            if (column.Family is not (TypeFamily.Text or TypeFamily.Enum))
            {
                throw Unsupported();
            }

            return (column, call.Function == "octet_length" || (call.Function == "length" && engine == EngineKind.MySql));
        }

        private Column ColumnOf(Node node) => TryColumnOf(node) ?? throw Unsupported();

        /// <summary>The column a plain reference (maybe under casts that keep its values) names; null for other nodes.</summary>
        private Column? TryColumnOf(Node node)
        {
            switch (node)
            {
                case NameNode name:
                    return Resolve(name.Name);
                case CastNode cast when TryColumnOf(cast.Operand) is { } column:
                    return KeepsValues(column.Family, cast.Type) ? column : throw Unsupported();
                default:
                    return null;
            }
        }

        private Column Resolve(string name)
        {
            if (table.Columns.FirstOrDefault(c => c.Name == name) is { } exact)
            {
                return exact;
            }

            var matches = table.Columns.Where(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
            return matches.Count == 1 ? matches[0] : throw Unsupported();
        }

        /// <summary>Casts PostgreSQL puts on columns that do not change which values pass (no truncating type modifiers).</summary>
        private static bool KeepsValues(TypeFamily family, string type) => family switch
        {
            TypeFamily.Text or TypeFamily.Enum => TextTypes.Contains(type),
            TypeFamily.Integer => IntegerTypes.Contains(type) || ExactTypes.Contains(type) || FloatTypes.Contains(type),
            TypeFamily.Decimal or TypeFamily.Float => ExactTypes.Contains(type) || FloatTypes.Contains(type),
            TypeFamily.Date => type is "timestamp" or "timestamp without time zone",
            _ => false,
        };

        /// <summary>The text of a literal operand: numbers as written (with their sign), strings unquoted, booleans true/false.</summary>
        private static string Literal(Node node)
        {
            switch (node)
            {
                case LiteralNode { Kind: LiteralKind.Null }:
                    throw Unsupported();
                case LiteralNode literal:
                    return literal.Text;
                case NegateNode negate:
                    var inner = Literal(negate.Operand);
                    if (!decimal.TryParse(inner, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && !double.TryParse(inner, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    {
                        throw Unsupported();
                    }

                    return inner.StartsWith('-') ? inner[1..] : "-" + inner.TrimStart('+');
                case CastNode cast:
                    var text = Literal(cast.Operand);
                    if (cast.Type.Contains('(', StringComparison.Ordinal)
                        || (IntegerTypes.Contains(cast.Type) && !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)))
                    {
                        throw Unsupported();
                    }

                    return text;
                default:
                    throw Unsupported();
            }
        }

        private static ColumnDomain Empty(Column column) => new(column.Name, null, null, null, null, null, []);
    }

    private static FormatException Unsupported() => new("not understood");

    // ----- syntax ----------------------------------------------------------------------------------------------------

    private enum LiteralKind
    {
        Number,
        String,
        Boolean,
        Null,
    }

    private abstract record Node;

    private sealed record LiteralNode(string Text, LiteralKind Kind) : Node;

    private sealed record NameNode(string Name) : Node;

    private sealed record CastNode(Node Operand, string Type) : Node;

    private sealed record NegateNode(Node Operand) : Node;

    private sealed record CallNode(string Function, IReadOnlyList<Node> Arguments) : Node;

    private sealed record ArrayNode(IReadOnlyList<Node> Items) : Node;

    private sealed record CompareNode(string Operator, Node Left, Node Right) : Node;

    private sealed record QuantifiedNode(string Operator, string Quantifier, Node Left, Node Right) : Node;

    private sealed record BetweenNode(Node Operand, Node Low, Node High) : Node;

    private sealed record InNode(Node Operand, IReadOnlyList<Node> Items, bool Negated) : Node;

    private sealed record NullTestNode(Node Operand, bool Negated) : Node;

    private sealed record LogicalNode(bool IsAnd, IReadOnlyList<Node> Operands) : Node;

    private sealed record NotNode(Node Operand) : Node;

    /// <summary>
    /// Recursive descent over the tokens: OR, AND, NOT, predicates (comparison, quantified comparison, [NOT] BETWEEN,
    /// [NOT] IN, IS [NOT] NULL, ISNULL/NOTNULL), operands (unary sign, :: casts) and primaries (literals, names, calls,
    /// ARRAY[...], parentheses). Anything outside this grammar (LIKE, ~, arithmetic, CASE, COLLATE, ...) is a FormatException.
    /// </summary>
    private sealed class Parser(List<Token> tokens)
    {
        private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
        {
            "AND", "OR", "NOT", "IN", "IS", "BETWEEN", "LIKE", "ILIKE", "SIMILAR", "REGEXP", "RLIKE", "GLOB", "MATCH", "ESCAPE",
            "CASE", "WHEN", "THEN", "ELSE", "END", "SELECT", "EXISTS", "CAST", "COLLATE", "DISTINCT", "ANY", "ALL", "SOME",
            "ISNULL", "NOTNULL", "ARRAY", "INTERVAL", "BINARY",
        };

        private static readonly string[] Quantifiers = ["ANY", "SOME", "ALL"];

        private static readonly HashSet<string> TypeContinuations = new(StringComparer.OrdinalIgnoreCase) { "precision", "varying", "with", "without", "time", "zone" };

        private int _position;

        private Token Current => tokens[_position];

        private Token Next => _position + 1 < tokens.Count ? tokens[_position + 1] : tokens[^1];

        public Node ParseCheck()
        {
            var node = ParseOr();
            return Current.Kind == TokenKind.End ? node : throw Unsupported();
        }

        private Node ParseOr()
        {
            var operands = new List<Node> { ParseAnd() };
            while (AcceptWord("OR"))
            {
                operands.Add(ParseAnd());
            }

            return operands.Count == 1 ? operands[0] : new LogicalNode(false, Flatten(operands, isAnd: false));
        }

        private Node ParseAnd()
        {
            var operands = new List<Node> { ParseNot() };
            while (AcceptWord("AND"))
            {
                operands.Add(ParseNot());
            }

            return operands.Count == 1 ? operands[0] : new LogicalNode(true, Flatten(operands, isAnd: true));
        }

        private static List<Node> Flatten(List<Node> operands, bool isAnd) =>
            operands.SelectMany(o => o is LogicalNode l && l.IsAnd == isAnd ? l.Operands : [o]).ToList();

        private Node ParseNot() => AcceptWord("NOT") ? new NotNode(ParseNot()) : ParsePredicate();

        private Node ParsePredicate()
        {
            var left = ParseOperand();
            if (Current.Kind == TokenKind.Symbol && ComparisonOperator(Current.Text) is { } op)
            {
                _position++;
                foreach (var quantifier in Quantifiers)
                {
                    if (AcceptWord(quantifier))
                    {
                        Expect("(");
                        var array = ParseOperand();
                        Expect(")");
                        return new QuantifiedNode(op, quantifier.ToLowerInvariant(), left, array);
                    }
                }

                return new CompareNode(op, left, ParseOperand());
            }

            if (AcceptWord("IS"))
            {
                var negated = AcceptWord("NOT");
                return AcceptWord("NULL") ? new NullTestNode(left, negated) : throw Unsupported();
            }

            if (AcceptWord("ISNULL"))
            {
                return new NullTestNode(left, false);
            }

            if (AcceptWord("NOTNULL"))
            {
                return new NullTestNode(left, true);
            }

            if (AcceptWord("NOT"))
            {
                // SQLite's postfix NOT NULL; NOT BETWEEN, NOT LIKE and the like are not understood.
                return AcceptWord("NULL") ? new NullTestNode(left, true)
                    : AcceptWord("IN") ? ParseInList(left, negated: true)
                    : throw Unsupported();
            }

            if (AcceptWord("IN"))
            {
                return ParseInList(left, negated: false);
            }

            if (AcceptWord("BETWEEN"))
            {
                var low = ParseOperand();
                if (!AcceptWord("AND"))
                {
                    throw Unsupported();
                }

                return new BetweenNode(left, low, ParseOperand());
            }

            return left;
        }

        private static string? ComparisonOperator(string symbol) => symbol switch
        {
            "=" or "==" => "=",
            "<>" or "!=" => "<>",
            "<" or "<=" or ">" or ">=" => symbol,
            _ => null,
        };

        private InNode ParseInList(Node operand, bool negated)
        {
            Expect("(");
            var items = new List<Node> { ParseOperand() };
            while (AcceptSymbol(","))
            {
                items.Add(ParseOperand());
            }

            Expect(")");
            return new InNode(operand, items, negated);
        }

        private Node ParseOperand()
        {
            if (AcceptSymbol("-"))
            {
                return new NegateNode(ParseOperand());
            }

            if (AcceptSymbol("+"))
            {
                return ParseOperand();
            }

            var node = ParsePrimary();
            while (AcceptSymbol("::"))
            {
                node = new CastNode(node, ParseTypeName());
            }

            return node;
        }

        private Node ParsePrimary()
        {
            var token = Current;
            switch (token.Kind)
            {
                case TokenKind.Number:
                    _position++;
                    return new LiteralNode(token.Text, LiteralKind.Number);
                case TokenKind.String:
                    _position++;
                    return new LiteralNode(token.Text, LiteralKind.String);
                case TokenKind.QuotedName:
                    _position++;
                    return Current.Kind == TokenKind.Symbol && Current.Text is "." or "(" ? throw Unsupported() : new NameNode(token.Text);
                case TokenKind.Symbol when token.Text == "(":
                    _position++;
                    var inner = ParseOr();
                    Expect(")");
                    return inner;
                case TokenKind.Word:
                    return ParseWord(token);
                default:
                    throw Unsupported();
            }
        }

        private Node ParseWord(Token token)
        {
            var word = token.Text;
            if (word.Equals("NULL", StringComparison.OrdinalIgnoreCase) || word.Equals("TRUE", StringComparison.OrdinalIgnoreCase) || word.Equals("FALSE", StringComparison.OrdinalIgnoreCase))
            {
                _position++;
                return word.Equals("NULL", StringComparison.OrdinalIgnoreCase)
                    ? new LiteralNode("NULL", LiteralKind.Null)
                    : new LiteralNode(word.ToLowerInvariant(), LiteralKind.Boolean);
            }

            if (word.Equals("ARRAY", StringComparison.OrdinalIgnoreCase) && Next is { Kind: TokenKind.Symbol, Text: "[" })
            {
                _position += 2;
                var items = new List<Node> { ParseOperand() };
                while (AcceptSymbol(","))
                {
                    items.Add(ParseOperand());
                }

                Expect("]");
                return new ArrayNode(items);
            }

            if (Reserved.Contains(word))
            {
                throw Unsupported();
            }

            _position++;
            if (AcceptSymbol("("))
            {
                var arguments = new List<Node>();
                if (!AcceptSymbol(")"))
                {
                    arguments.Add(ParseOr());
                    while (AcceptSymbol(","))
                    {
                        arguments.Add(ParseOr());
                    }

                    Expect(")");
                }

                return new CallNode(word.ToLowerInvariant(), arguments);
            }

            // Qualified names (t.col) are not understood.
            return Current is { Kind: TokenKind.Symbol, Text: "." } ? throw Unsupported() : new NameNode(word);
        }

        /// <summary>A PostgreSQL type name after ::, lower-cased: character varying, double precision, timestamp with time zone, numeric(10,2), text[].</summary>
        private string ParseTypeName()
        {
            var builder = new StringBuilder();
            if (Current.Kind is not (TokenKind.Word or TokenKind.QuotedName))
            {
                throw Unsupported();
            }

            builder.Append(Current.Text.ToLowerInvariant());
            _position++;
            while (Current is { Kind: TokenKind.Symbol, Text: "." } && Next.Kind is TokenKind.Word or TokenKind.QuotedName)
            {
                builder.Append('.').Append(Next.Text.ToLowerInvariant());
                _position += 2;
            }

            while (Current.Kind == TokenKind.Word && TypeContinuations.Contains(Current.Text))
            {
                builder.Append(' ').Append(Current.Text.ToLowerInvariant());
                _position++;
            }

            if (AcceptSymbol("("))
            {
                builder.Append('(');
                while (!AcceptSymbol(")"))
                {
                    if (Current.Kind == TokenKind.End)
                    {
                        throw Unsupported();
                    }

                    builder.Append(Current.Text);
                    _position++;
                }

                builder.Append(')');
            }

            while (Current is { Kind: TokenKind.Symbol, Text: "[" } && Next is { Kind: TokenKind.Symbol, Text: "]" })
            {
                builder.Append("[]");
                _position += 2;
            }

            return builder.ToString();
        }

        private bool AcceptWord(string word)
        {
            if (Current.Kind == TokenKind.Word && Current.Text.Equals(word, StringComparison.OrdinalIgnoreCase))
            {
                _position++;
                return true;
            }

            return false;
        }

        private bool AcceptSymbol(string symbol)
        {
            if (Current.Kind == TokenKind.Symbol && Current.Text == symbol)
            {
                _position++;
                return true;
            }

            return false;
        }

        private void Expect(string symbol)
        {
            if (!AcceptSymbol(symbol))
            {
                throw Unsupported();
            }
        }
    }

    // ----- tokens ----------------------------------------------------------------------------------------------------

    private enum TokenKind
    {
        /// <summary>A bare word: keyword, function or unquoted identifier.</summary>
        Word,

        /// <summary>An identifier in "double quotes", `backquotes` or [brackets], unquoted.</summary>
        QuotedName,

        Number,

        /// <summary>A string literal, unquoted and unescaped.</summary>
        String,

        Symbol,
        End,
    }

    private readonly record struct Token(TokenKind Kind, string Text);

    /// <summary>How string literals are escaped.</summary>
    private enum StringMode
    {
        /// <summary>Quotes doubled, backslash literal (PostgreSQL with standard_conforming_strings, SQLite).</summary>
        Standard,

        /// <summary>Quotes doubled or backslash-escaped (MySQL, MariaDB).</summary>
        MySql,

        /// <summary>Engine unknown: a literal with a backslash is ambiguous and not understood.</summary>
        Unknown,
    }

    private static class Tokenizer
    {
        private static readonly string[] Operators =
        [
            "<=>", "!~~*", "!~~", "~~*", "!~*", "->>", "::", "<=", ">=", "<>", "!=", "==", "~~", "!~", "~*", "||", "->", "<<", ">>",
        ];

        private static readonly HashSet<string> OperatorWords = new(StringComparer.OrdinalIgnoreCase)
        {
            "AND", "OR", "NOT", "IN", "IS", "BETWEEN", "LIKE", "ANY", "ALL", "SOME", "WHEN", "THEN", "ELSE", "CASE",
        };

        public static List<Token> Tokenize(string text, StringMode mode)
        {
            var tokens = new List<Token>();
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                    continue;
                }

                switch (c)
                {
                    case '\'':
                        tokens.Add(new Token(TokenKind.String, ReadString(text, ref i, mode)));
                        break;
                    case '"' or '`':
                        tokens.Add(new Token(TokenKind.QuotedName, ReadQuoted(text, ref i, c)));
                        break;
                    case '[' when StartsOperand(tokens):
                        var close = text.IndexOf(']', i + 1);
                        if (close < 0)
                        {
                            throw Unsupported();
                        }

                        tokens.Add(new Token(TokenKind.QuotedName, text[(i + 1)..close]));
                        i = close + 1;
                        break;
                    case >= '0' and <= '9':
                    case '.' when i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]):
                        tokens.Add(new Token(TokenKind.Number, ReadNumber(text, ref i)));
                        break;
                    default:
                        if (char.IsAsciiLetter(c) || c == '_' || c >= 0x80)
                        {
                            var start = i;
                            while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '$' || text[i] >= 0x80))
                            {
                                i++;
                            }

                            var word = text[start..i];
                            if (i < text.Length && text[i] == '\'')
                            {
                                // MySQL character set introducers (_utf8mb4'a', N'a') are dropped; E'', X'', B'' are not understood.
                                if (word[0] != '_' && !word.Equals("N", StringComparison.OrdinalIgnoreCase))
                                {
                                    throw Unsupported();
                                }

                                continue;
                            }

                            tokens.Add(new Token(TokenKind.Word, word));
                        }
                        else
                        {
                            var op = Operators.FirstOrDefault(o => string.CompareOrdinal(text, i, o, 0, o.Length) == 0) ?? c.ToString();
                            if (op == "\\")
                            {
                                throw Unsupported();
                            }

                            tokens.Add(new Token(TokenKind.Symbol, op));
                            i += op.Length;
                        }

                        break;
                }
            }

            tokens.Add(new Token(TokenKind.End, string.Empty));
            return tokens;
        }

        /// <summary>'[' opens a SQLite [identifier] where an operand starts; elsewhere (ARRAY[, text[]) it is a symbol.</summary>
        private static bool StartsOperand(List<Token> tokens)
        {
            if (tokens.Count == 0)
            {
                return true;
            }

            var previous = tokens[^1];
            return previous.Kind switch
            {
                TokenKind.Symbol => previous.Text is not (")" or "]"),
                TokenKind.Word => OperatorWords.Contains(previous.Text),
                _ => false,
            };
        }

        private static string ReadString(string text, ref int i, StringMode mode)
        {
            var builder = new StringBuilder();
            i++;
            while (i < text.Length)
            {
                var c = text[i];
                if (c == '\'')
                {
                    if (i + 1 < text.Length && text[i + 1] == '\'')
                    {
                        builder.Append('\'');
                        i += 2;
                        continue;
                    }

                    i++;
                    return builder.ToString();
                }

                if (c == '\\' && mode != StringMode.Standard)
                {
                    if (mode == StringMode.Unknown || i + 1 >= text.Length)
                    {
                        throw Unsupported();
                    }

                    builder.Append(Unescape(text.Substring(i, 2), keepLikeEscapes: true));
                    i += 2;
                    continue;
                }

                builder.Append(c);
                i++;
            }

            throw Unsupported();
        }

        private static string ReadQuoted(string text, ref int i, char quote)
        {
            var builder = new StringBuilder();
            i++;
            while (i < text.Length)
            {
                if (text[i] == quote)
                {
                    if (i + 1 < text.Length && text[i + 1] == quote)
                    {
                        builder.Append(quote);
                        i += 2;
                        continue;
                    }

                    i++;
                    return builder.ToString();
                }

                builder.Append(text[i]);
                i++;
            }

            throw Unsupported();
        }

        private static string ReadNumber(string text, ref int i)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] is '.' or '_'))
            {
                i++;
            }

            if (i < text.Length && text[i] is 'e' or 'E')
            {
                var j = i + 1;
                if (j < text.Length && text[j] is '+' or '-')
                {
                    j++;
                }

                if (j < text.Length && char.IsAsciiDigit(text[j]))
                {
                    i = j;
                    while (i < text.Length && char.IsAsciiDigit(text[i]))
                    {
                        i++;
                    }
                }
            }

            // 0x10, 1abc and the like are not numbers we understand.
            if (i < text.Length && (char.IsAsciiLetter(text[i]) || text[i] == '_'))
            {
                throw Unsupported();
            }

            var number = text[start..i].Replace("_", string.Empty, StringComparison.Ordinal);
            return number.Count(ch => ch == '.') > 1 ? throw Unsupported() : number;
        }
    }

    /// <summary>True when a backslash stands outside string literals: MySQL 8's doubly escaped CHECK_CLAUSE.</summary>
    private static bool HasBackslashOutsideStrings(string text, StringMode mode)
    {
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\' && mode == StringMode.MySql)
                {
                    i++;
                }
                else if (c == '\'')
                {
                    inString = false;
                }
            }
            else if (c == '\'')
            {
                inString = true;
            }
            else if (c == '\\')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Undoes MySQL backslash escapes (\' \" \\ \n \r \t \0 \b \Z); \% and \_ keep their backslash inside literals.</summary>
    private static string Unescape(string text, bool keepLikeEscapes)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 >= text.Length)
            {
                builder.Append(text[i]);
                continue;
            }

            var next = text[++i];
            switch (next)
            {
                case 'n':
                    builder.Append('\n');
                    break;
                case 'r':
                    builder.Append('\r');
                    break;
                case 't':
                    builder.Append('\t');
                    break;
                case '0':
                    builder.Append('\0');
                    break;
                case 'b':
                    builder.Append('\b');
                    break;
                case 'Z':
                    builder.Append('\u001A');
                    break;
                case '%' or '_' when keepLikeEscapes:
                    builder.Append('\\').Append(next);
                    break;
                default:
                    builder.Append(next);
                    break;
            }
        }

        return builder.ToString();
    }
}
