namespace RollbackVerifier.Execution.Splitting;

/// <summary>
/// The splitting loop shared by the dialects. A <see cref="SqlLexer"/> steps over quotes and comments; each dialect
/// adds its client commands and tracks bodies (BEGIN ATOMIC ... END, trigger bodies, compound statements) in which
/// a ";" does not end the statement. Not meant to be derived from outside this assembly.
/// </summary>
public abstract class StatementSplitter : IStatementSplitter
{
    /// <summary>How many leading words of each statement are kept for classification.</summary>
    private const int LeadingWordCount = 16;

    private protected StatementSplitter()
    {
    }

    /// <summary>The dialect's lexical rules.</summary>
    private protected abstract SqlSyntax Syntax { get; }

    /// <summary>The dialect's lexical rules, for other readers of SQL text in this assembly (the pre-rollback checklist's guard).</summary>
    internal SqlSyntax LexicalSyntax => Syntax;

    /// <summary>How an unterminated body is described in the error message.</summary>
    private protected virtual string BodyDescription => "BEGIN ... END body";

    public IReadOnlyList<SqlStatement> Split(string script, string fileName)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(fileName);

        var lexer = new SqlLexer(Normalize(script), fileName, Syntax);
        var statement = new StatementState(lexer);
        var statements = new List<SqlStatement>();
        var start = -1;
        var end = 0;
        var line = 0;

        while (true)
        {
            if (start < 0)
            {
                lexer.SkipTrivia();
                if (lexer.Position < lexer.Text.Length && TryClientCommand(lexer, fileName))
                {
                    continue;
                }
            }

            var kind = lexer.Next();
            if (kind == TokenKind.EndOfInput)
            {
                break;
            }

            if (kind == TokenKind.Delimiter)
            {
                if (!lexer.HasDefaultDelimiter || !statement.SuppressesDelimiter)
                {
                    if (start >= 0)
                    {
                        Emit(statements, statement, lexer.Text.AsSpan(start, end - start), line);
                        start = -1;
                    }

                    continue;
                }

                // A ";" inside a body: an ordinary symbol for the body tracker.
                kind = TokenKind.Symbol;
            }

            if (start < 0)
            {
                start = lexer.TokenStart;
                line = lexer.LineAt(start);
            }

            end = lexer.Position;
            statement.Observe(kind, this);
        }

        if (start >= 0)
        {
            if (statement.Depth > 0)
            {
                throw new ScriptSplitException(fileName, statement.BodyLine, $"unterminated {BodyDescription} starting here");
            }

            if (statement.ParenDepth > 0)
            {
                throw new ScriptSplitException(fileName, statement.ParenLine, "unclosed parenthesis starting here");
            }

            Emit(statements, statement, lexer.Text.AsSpan(start, end - start), line);
        }

        return statements;
    }

    /// <summary>Called for every token of a statement while the default ";" delimiter is in effect.</summary>
    private protected abstract void OnToken(StatementState statement, TokenKind kind, SqlKeyword keyword, char symbol);

    /// <summary>Handles a client-side command where a statement would start (after whitespace and comments); true when consumed.</summary>
    private protected virtual bool TryClientCommand(SqlLexer lexer, string fileName) => false;

    /// <summary>Whether the engine refuses to run the statement inside a transaction block.</summary>
    /// <param name="words">The statement's leading words, upper case, quoted names and symbols left out.</param>
    private protected virtual bool RequiresNoTransaction(IReadOnlyList<string> words) => false;

    /// <summary>Whether the engine commits implicitly before and after the statement (MySQL DDL).</summary>
    /// <param name="words">The statement's leading words, upper case, quoted names and symbols left out.</param>
    private protected virtual bool CommitsImplicitly(IReadOnlyList<string> words) => false;

    private static string Normalize(string script)
    {
        var text = script.Contains('\r', StringComparison.Ordinal)
            ? script.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n')
            : script;
        return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
    }

    private void Emit(List<SqlStatement> statements, StatementState statement, ReadOnlySpan<char> text, int line)
    {
        statements.Add(new SqlStatement(
            statements.Count + 1,
            line,
            text.ToString(),
            StatementClassifier.Classify(statement.Words),
            RequiresNoTransaction(statement.Words))
        {
            CommitsImplicitly = CommitsImplicitly(statement.Words),
            Keywords = statement.Words.ToArray(),
        });
        statement.Reset();
    }

    /// <summary>What the splitter knows about the statement being read; the dialects keep their body state here.</summary>
    private protected sealed class StatementState(SqlLexer lexer)
    {
        private readonly List<string> _words = new(LeadingWordCount);

        /// <summary>The first words of the statement, upper case.</summary>
        public IReadOnlyList<string> Words => _words;

        /// <summary>0-based index of the current word among the statement's words.</summary>
        public int WordIndex { get; private set; } = -1;

        /// <summary>Body nesting; while positive a ";" does not end the statement.</summary>
        public int Depth { get; private set; }

        /// <summary>Line where the outermost open body started.</summary>
        public int BodyLine { get; private set; }

        /// <summary>Parenthesis nesting, for dialects whose client does not split inside parentheses.</summary>
        public int ParenDepth { get; private set; }

        /// <summary>Line of the outermost unclosed parenthesis.</summary>
        public int ParenLine { get; private set; }

        /// <summary>Dialect flag: the statement has a body that is tracked (CREATE FUNCTION, CREATE TRIGGER ...).</summary>
        public bool HasBody { get; set; }

        /// <summary>Dialect flag: whether <see cref="HasBody"/> has been decided.</summary>
        public bool HeaderDecided { get; set; }

        /// <summary>Dialect flag: the previous word was END (MySQL END IF / END LOOP ...).</summary>
        public bool AfterEnd { get; set; }

        /// <summary>Dialect flag: the next word starts a statement inside the body.</summary>
        public bool AtInnerStatementStart { get; set; }

        /// <summary>The previous token's kind.</summary>
        public TokenKind PreviousKind { get; private set; }

        /// <summary>The previous token's keyword, when it was a word.</summary>
        public SqlKeyword PreviousKeyword { get; private set; }

        /// <summary>The previous token's character, when it was a symbol.</summary>
        public char PreviousSymbol { get; private set; }

        public bool SuppressesDelimiter => Depth > 0 || ParenDepth > 0;

        /// <summary>Line of the current token.</summary>
        public int CurrentLine => lexer.LineAt(lexer.TokenStart);

        public void OpenBody()
        {
            if (Depth == 0)
            {
                BodyLine = CurrentLine;
            }

            Depth++;
        }

        public void CloseBody()
        {
            if (Depth > 0)
            {
                Depth--;
            }
        }

        public void OpenParenthesis()
        {
            if (ParenDepth == 0)
            {
                ParenLine = CurrentLine;
            }

            ParenDepth++;
        }

        public void CloseParenthesis()
        {
            if (ParenDepth > 0)
            {
                ParenDepth--;
            }
        }

        public void Observe(TokenKind kind, StatementSplitter splitter)
        {
            var keyword = SqlKeyword.None;
            var symbol = '\0';
            if (kind == TokenKind.Word)
            {
                WordIndex++;
                keyword = lexer.Keyword;
                if (_words.Count < LeadingWordCount)
                {
                    _words.Add(lexer.TokenText.ToString().ToUpperInvariant());
                }
            }
            else if (kind == TokenKind.Symbol)
            {
                symbol = lexer.Symbol;
            }

            if (lexer.HasDefaultDelimiter)
            {
                splitter.OnToken(this, kind, keyword, symbol);
            }

            PreviousKind = kind;
            PreviousKeyword = keyword;
            PreviousSymbol = symbol;
        }

        public void Reset()
        {
            _words.Clear();
            WordIndex = -1;
            Depth = 0;
            BodyLine = 0;
            ParenDepth = 0;
            ParenLine = 0;
            HasBody = false;
            HeaderDecided = false;
            AfterEnd = false;
            AtInnerStatementStart = false;
            PreviousKind = TokenKind.EndOfInput;
            PreviousKeyword = SqlKeyword.None;
            PreviousSymbol = '\0';
        }
    }
}
