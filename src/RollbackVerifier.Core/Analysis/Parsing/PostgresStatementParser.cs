using RollbackVerifier.Analysis.Syntax;
using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Splitting;
using RollbackVerifier.Model;

namespace RollbackVerifier.Analysis.Parsing;

/// <summary>PostgreSQL: ALTER COLUMN TYPE/SET NOT NULL/identity, VALIDATE CONSTRAINT, CONCURRENTLY, DO blocks, setval(), LOCK, maintenance.</summary>
internal sealed class PostgresStatementParser : StatementParser
{
    /// <summary>Words in a DO body that write something (the body is then more than a guard).</summary>
    private static readonly HashSet<string> WritingWords = new(StringComparer.Ordinal)
    {
        "insert", "update", "delete", "alter", "create", "drop", "truncate", "execute", "call", "copy", "grant", "revoke", "merge", "setval", "nextval", "perform",
    };

    public override EngineKind Engine => EngineKind.Postgres;

    protected override IStatementSplitter Splitter { get; } = new PostgresStatementSplitter();

    protected override bool ParseDialectStatement(TokenCursor c, Builder result)
    {
        switch (c.Current.Text.ToUpperInvariant())
        {
            case "DO":
                c.Next();
                var body = c.Tokens.Skip(1).FirstOrDefault(t => t.Kind == SqlTokenKind.String);
                var bodyTokens = body.Value is null ? [] : SqlTokenizer.Tokenize(body.Value, EngineKind.Postgres);
                var words = ParsedStatement.CollectWords(bodyTokens);
                var isGuard = words.Contains("raise") && !words.Overlaps(WritingWords);
                result.Effects.Add(new AnonymousBlock(isGuard, words));
                c.Rest();
                return true;
            case "LOCK":
                c.Next();
                c.Accept("TABLE");
                c.Accept("ONLY");
                var tables = new List<SqlObjectRef>();
                do
                {
                    if (c.ObjectName() is { } table)
                    {
                        tables.Add(table);
                    }
                }
                while (c.AcceptSymbol(','));

                var mode = c.Accept("IN") ? string.Join(' ', c.Until(t => t.Is("MODE")).Select(t => t.Text.ToUpperInvariant())) : "ACCESS EXCLUSIVE";
                c.Rest();
                result.Effects.AddRange(tables.Select(t => new LockTable(t, mode)));
                return true;
            case "VACUUM" or "ANALYZE" or "ANALYSE" or "CLUSTER" or "CHECKPOINT":
                var command = c.Next().Text.ToUpperInvariant();
                var full = c.Current.IsSymbol('(') ? TokenCursor.Text(c.Group()!).Contains("FULL", StringComparison.OrdinalIgnoreCase) : c.Accept("FULL");
                while (c.Current.IsAny("FREEZE", "VERBOSE", "ANALYZE"))
                {
                    c.Next();
                }

                result.Effects.Add(new Maintenance(full ? command + " FULL" : command, c.ObjectName(), false));
                c.Rest();
                return true;
            case "REINDEX":
                c.Next();
                c.Group();
                c.Next();
                var concurrently = c.Accept("CONCURRENTLY");
                result.Effects.Add(new Maintenance("REINDEX", c.ObjectName(), concurrently));
                c.Rest();
                return true;
            case "REFRESH":
                c.Next();
                c.Accept("MATERIALIZED");
                c.Accept("VIEW");
                var refreshConcurrently = c.Accept("CONCURRENTLY");
                result.Effects.Add(new Maintenance("REFRESH MATERIALIZED VIEW", c.ObjectName(), refreshConcurrently));
                c.Rest();
                return true;
            default:
                return false;
        }
    }

    protected override bool ParseAlterTableAction(SqlObjectRef table, TokenCursor c, Builder result)
    {
        var start = c.Index;
        if (ParseCommonAlterAction(table, c, result))
        {
            return true;
        }

        c.Index = start;
        if (c.Accept("VALIDATE", "CONSTRAINT"))
        {
            result.Effects.Add(new ValidateConstraint(table, c.Name() ?? throw new NotUnderstoodException("VALIDATE CONSTRAINT without a name")));
            return true;
        }

        if (c.Accept("ALTER", "CONSTRAINT") || c.Accept("SET", "SCHEMA") || c.Accept("OWNER", "TO") || c.Current.IsAny("ENABLE", "DISABLE", "REPLICA", "INHERIT", "CLUSTER", "FORCE", "ATTACH", "DETACH", "OF")
            || c.Accept("NO", "INHERIT") || c.Accept("NO", "FORCE") || c.Accept("NOT", "OF") || (c.Current.Is("SET") && c.Peek(1).IsAny("LOGGED", "UNLOGGED", "TABLESPACE", "WITHOUT", "ACCESS") || (c.Current.IsAny("SET", "RESET") && c.Peek(1).IsSymbol('('))))
        {
            // Understood; nothing the rules look at (ownership, triggers on/off, storage, partitions).
            c.Rest();
            return true;
        }

        if (!c.Accept("ALTER"))
        {
            return false;
        }

        c.Accept("COLUMN");
        var column = c.Name();
        if (column is null)
        {
            return false;
        }

        if (c.Accept("TYPE") || c.Accept("SET", "DATA", "TYPE"))
        {
            var type = ParseType(c) ?? throw new NotUnderstoodException("ALTER COLUMN TYPE without a type");
            if (c.Accept("COLLATE"))
            {
                c.ObjectName();
            }

            var hasUsing = c.Accept("USING");
            c.Rest();
            result.Effects.Add(new ChangeColumnType(table, column, type, hasUsing));
            return true;
        }

        if (c.Accept("SET", "NOT", "NULL"))
        {
            result.Effects.Add(new SetNotNull(table, column));
            return c.AtEnd;
        }

        if (c.Accept("DROP", "NOT", "NULL"))
        {
            result.Effects.Add(new DropNotNull(table, column));
            return c.AtEnd;
        }

        if (c.Accept("ADD", "GENERATED"))
        {
            c.Rest();
            result.Effects.Add(new IdentityChange(table, column, IdentityChangeKind.Add, null));
            return true;
        }

        if (c.Accept("DROP", "IDENTITY"))
        {
            c.Rest();
            result.Effects.Add(new IdentityChange(table, column, IdentityChangeKind.Drop, null));
            return true;
        }

        if (c.Accept("DROP", "EXPRESSION"))
        {
            c.Rest();
            return true;
        }

        if (c.Accept("SET", "STATISTICS") || c.Accept("SET", "STORAGE") || c.Accept("SET", "COMPRESSION") || (c.Current.IsAny("SET", "RESET") && c.Peek(1).IsSymbol('(')))
        {
            c.Rest();
            return true;
        }

        // Identity options: SET GENERATED ..., SET INCREMENT BY ..., RESTART [WITH n], in any combination.
        var options = false;
        var restarts = false;
        string? restartValue = null;
        while (!c.AtEnd)
        {
            if (c.Accept("RESTART"))
            {
                restarts = true;
                c.Accept("WITH");
                if (c.Current.Kind == SqlTokenKind.Number)
                {
                    restartValue = c.Next().Text;
                }
            }
            else if (c.Accept("SET"))
            {
                options = true;
                c.Until(t => t.IsAny("SET", "RESTART"));
            }
            else
            {
                return false;
            }
        }

        if (options)
        {
            result.Effects.Add(new IdentityChange(table, column, IdentityChangeKind.SetOptions, null));
        }

        if (restarts)
        {
            result.Effects.Add(new IdentityChange(table, column, IdentityChangeKind.Restart, restartValue));
        }

        return options || restarts;
    }

    protected override bool ParseSideEffectCall(string function, IReadOnlyList<SqlToken> arguments, Builder result)
    {
        var parts = TokenCursor.SplitTopLevel(arguments);
        switch (function)
        {
            case "setval" when parts.Count >= 2 && SequenceArgument(parts[0]) is { } sequence:
                var value = parts[1];
                var literal = value.Count == 1 && value[0].Kind == SqlTokenKind.Number ? value[0].Text
                    : value.Count == 2 && value[0].IsSymbol('-') && value[1].Kind == SqlTokenKind.Number ? "-" + value[1].Text : null;
                result.Effects.Add(new SetSequenceValue(sequence, TokenCursor.Text(value), literal));
                return true;
            case "set_config" when parts.Count >= 2 && parts[0].Count == 1 && parts[0][0].Kind == SqlTokenKind.String:
                result.Effects.Add(new SessionSetting(parts[0][0].Value.ToLowerInvariant(), parts[1].Count > 0 ? parts[1][0].Value : string.Empty));
                return true;
            case "nextval" or "pg_advisory_lock" or "pg_advisory_unlock" or "pg_advisory_xact_lock" or "pg_try_advisory_lock" or "pg_notify":
                return true;
            default:
                return false;
        }
    }

    /// <summary>'seq', 'schema.seq'::regclass, or pg_get_serial_sequence('table', 'column') (named as PostgreSQL names it: table_column_seq).</summary>
    private static SqlObjectRef? SequenceArgument(IReadOnlyList<SqlToken> argument)
    {
        if (argument.Count == 0)
        {
            return null;
        }

        if (argument[0].Kind == SqlTokenKind.String)
        {
            var parts = argument[0].Value.Split('.');
            var name = parts[^1].Trim('"');
            return new SqlObjectRef(parts.Length > 1 ? SqlName.Plain(parts[^2].Trim('"')) : null, SqlName.Plain(name));
        }

        if (argument[0].Is("pg_get_serial_sequence") && argument.Count > 1)
        {
            var inner = TokenCursor.SplitTopLevel(Arguments(argument, 1));
            if (inner.Count == 2 && inner[0].Count == 1 && inner[1].Count == 1 && inner[0][0].Kind == SqlTokenKind.String && inner[1][0].Kind == SqlTokenKind.String)
            {
                var table = inner[0][0].Value.Split('.')[^1].Trim('"');
                return SqlObjectRef.Of($"{table}_{inner[1][0].Value}_seq");
            }
        }

        return null;
    }
}
