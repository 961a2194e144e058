using RollbackVerifier.Analysis.Syntax;
using RollbackVerifier.Execution;

namespace RollbackVerifier.Analysis.Parsing;

/// <summary>How much of a statement the parser recognised.</summary>
internal enum Understanding
{
    /// <summary>Every clause was recognised; <see cref="ParsedStatement.Effects"/> is complete.</summary>
    Full,

    /// <summary>The statement kind was recognised but some clause was not; the effects found are real, others may be missing.</summary>
    Partial,

    /// <summary>Not recognised (a procedure call, an unknown command). Rules never conclude anything from it.</summary>
    None,
}

/// <summary>One statement of a script with what the parser recognised it does.</summary>
/// <param name="Statement">The statement as the splitter cut it (number, line, text).</param>
/// <param name="File">Path of the script.</param>
/// <param name="Tokens">Its tokens, comments left out.</param>
/// <param name="Effects">What it does, object by object.</param>
/// <param name="Understanding">How much was recognised.</param>
internal sealed record ParsedStatement(SqlStatement Statement, string File, IReadOnlyList<SqlToken> Tokens, IReadOnlyList<SqlEffect> Effects, Understanding Understanding)
{
    private HashSet<string>? _words;

    /// <summary>True when the statement changes nothing in the database: a plain SELECT, SHOW, EXPLAIN, a comment-free no-op.</summary>
    public bool IsReadOnly { get; init; }

    /// <summary>Why the statement is not (fully) understood, for the report.</summary>
    public string? Problem { get; init; }

    /// <summary>BEGIN, COMMIT, ROLLBACK, SAVEPOINT: transaction control, no change of its own.</summary>
    public bool IsTransactionControl { get; init; }

    /// <summary>"rollback.sql:12".</summary>
    public string Location => $"{Path.GetFileName(File)}:{Statement.Line}";

    /// <summary>True when nothing here changes the database or the session's view of it (reads, transaction control, session settings).</summary>
    public bool ChangesNothing => IsReadOnly || IsTransactionControl || (Understanding == Understanding.Full && Effects.All(e => e is SessionSetting or AnonymousBlock { IsGuard: true }));

    /// <summary>Whether any token (names, words, and words inside strings and bodies) equals <paramref name="name"/>, ignoring case.</summary>
    public bool Mentions(string name) => Words.Contains(name.ToLowerInvariant());

    /// <summary>Every word and name of the statement in lower case, including the words inside strings and dollar-quoted bodies.</summary>
    public IReadOnlySet<string> Words => _words ??= CollectWords(Tokens);

    internal static HashSet<string> CollectWords(IEnumerable<SqlToken> tokens)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in tokens)
        {
            switch (token.Kind)
            {
                case SqlTokenKind.Word or SqlTokenKind.QuotedName:
                    words.Add(token.Value.ToLowerInvariant());
                    break;
                case SqlTokenKind.String:
                    AddWordsOf(token.Value, words);
                    break;
            }
        }

        return words;
    }

    /// <summary>Identifier-like runs of <paramref name="text"/>, lower case (names inside strings, bodies and qualified names).</summary>
    internal static void AddWordsOf(string text, HashSet<string> words)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var part = i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '$');
            if (part && start < 0)
            {
                start = i;
            }
            else if (!part && start >= 0)
            {
                words.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }
    }
}

/// <summary>A script split and parsed: the statements in order.</summary>
internal sealed record ParsedScript(string File, IReadOnlyList<ParsedStatement> Statements)
{
    /// <summary>True when the file holds anything besides whitespace (comments count), for telling an empty file from a comment-only one.</summary>
    public bool HasText { get; init; }

    public static ParsedScript Empty(string file) => new(file, []);

    /// <summary>Statements that change something (not reads, not transaction control, not session settings).</summary>
    public IEnumerable<ParsedStatement> Changes => Statements.Where(s => !s.ChangesNothing);
}
