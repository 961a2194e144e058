using RollbackVerifier.Analysis.Syntax;
using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Splitting;
using RollbackVerifier.Model;

namespace RollbackVerifier.Analysis.Parsing;

/// <summary>MySQL / MariaDB: MODIFY and CHANGE, DROP PRIMARY KEY / FOREIGN KEY / INDEX / CHECK, AUTO_INCREMENT =, RENAME TABLE, LOCK TABLES, table options.</summary>
internal sealed class MySqlStatementParser : StatementParser
{
    public override EngineKind Engine => EngineKind.MySql;

    protected override IStatementSplitter Splitter { get; } = new MySqlStatementSplitter();

    protected override bool ParseDialectStatement(TokenCursor c, Builder result)
    {
        switch (c.Current.Text.ToUpperInvariant())
        {
            case "RENAME" when c.Peek(1).IsAny("TABLE", "TABLES"):
                c.Index += 2;
                do
                {
                    var from = c.ObjectName() ?? throw new NotUnderstoodException("RENAME TABLE without a name");
                    if (!c.Accept("TO"))
                    {
                        throw new NotUnderstoodException("RENAME TABLE without TO");
                    }

                    result.Effects.Add(new RenameTable(from, c.ObjectName() ?? throw new NotUnderstoodException("RENAME TABLE without a new name")));
                }
                while (c.AcceptSymbol(','));

                return true;
            case "LOCK" when c.Peek(1).IsAny("TABLE", "TABLES"):
                c.Index += 2;
                foreach (var part in TokenCursor.SplitTopLevel(c.Rest()))
                {
                    var cursor = new TokenCursor(part, Engine);
                    if (cursor.ObjectName() is { } table)
                    {
                        result.Effects.Add(new LockTable(table, part.Any(t => t.Is("WRITE")) ? "WRITE" : "READ"));
                    }
                }

                return true;
            case "UNLOCK":
                c.Rest();
                result.Effects.Add(new SessionSetting("unlock tables", string.Empty));
                return true;
            case "OPTIMIZE" or "ANALYZE" or "CHECK" or "REPAIR" when c.Peek(1).IsAny("TABLE", "TABLES", "NO_WRITE_TO_BINLOG", "LOCAL"):
                var command = c.Next().Text.ToUpperInvariant();
                c.Until(t => t.IsAny("TABLE", "TABLES"));
                c.Next();
                result.Effects.Add(new Maintenance(command + " TABLE", c.ObjectName(), false));
                c.Rest();
                return true;
            default:
                return false;
        }
    }

    protected override bool ParseAlterTableAction(SqlObjectRef table, TokenCursor c, Builder result)
    {
        if (c.Accept("DROP", "PRIMARY", "KEY"))
        {
            result.Effects.Add(new DropConstraint(table, null, ConstraintKind.PrimaryKey, false));
            return c.AtEnd;
        }

        if (c.Accept("DROP", "FOREIGN", "KEY"))
        {
            c.AcceptIfExists();
            result.Effects.Add(new DropConstraint(table, c.Name() ?? throw new NotUnderstoodException("DROP FOREIGN KEY without a name"), ConstraintKind.ForeignKey, false));
            return c.AtEnd;
        }

        if (c.Accept("DROP", "CHECK"))
        {
            c.AcceptIfExists();
            result.Effects.Add(new DropConstraint(table, c.Name() ?? throw new NotUnderstoodException("DROP CHECK without a name"), ConstraintKind.Check, false));
            return c.AtEnd;
        }

        if (c.Accept("DROP", "INDEX") || c.Accept("DROP", "KEY"))
        {
            c.AcceptIfExists();
            var index = c.Name() ?? throw new NotUnderstoodException("DROP INDEX without a name");
            result.Effects.Add(new DropIndex(new SqlObjectRef(null, index), table, false, false));
            return c.AtEnd;
        }

        if (c.Accept("MODIFY"))
        {
            c.Accept("COLUMN");
            c.AcceptIfExists();
            var definition = ParseColumnDefinition(c, result);
            result.Effects.Add(new RedefineColumn(table, definition.Name, definition));
            return true;
        }

        if (c.Accept("CHANGE"))
        {
            c.Accept("COLUMN");
            c.AcceptIfExists();
            var old = c.Name() ?? throw new NotUnderstoodException("CHANGE without a column");
            var definition = ParseColumnDefinition(c, result);
            result.Effects.Add(new RedefineColumn(table, old, definition));
            return true;
        }

        if (c.Accept("RENAME", "INDEX") || c.Accept("RENAME", "KEY"))
        {
            var from = c.ObjectName();
            if (from is null || !c.Accept("TO") || c.ObjectName() is not { } to)
            {
                return false;
            }

            result.Effects.Add(new RenameIndex(table, from, to));
            return true;
        }

        if (c.Accept("AUTO_INCREMENT"))
        {
            c.AcceptSymbol('=');
            var value = c.Next();
            result.Effects.Add(new SetTableCounter(table, value.Text, value.Kind == SqlTokenKind.Number ? value.Text : null));
            return c.AtEnd;
        }

        var start = c.Index;
        if (ParseCommonAlterAction(table, c, result))
        {
            return true;
        }

        c.Index = start;
        if (c.Current.Is("ALTER"))
        {
            // ALTER COLUMN c SET VISIBLE, ALTER INDEX i VISIBLE, ALTER CHECK c NOT ENFORCED.
            c.Rest();
            return true;
        }

        // Table options, ALGORITHM / LOCK clauses, CONVERT TO CHARACTER SET, FORCE.
        if (c.Current.IsAny("ENGINE", "ALGORITHM", "LOCK", "CHARACTER", "CHARSET", "COLLATE", "COMMENT", "ROW_FORMAT", "KEY_BLOCK_SIZE", "CONVERT", "FORCE", "DEFAULT",
                "STATS_PERSISTENT", "STATS_AUTO_RECALC", "STATS_SAMPLE_PAGES", "PACK_KEYS", "CHECKSUM", "DELAY_KEY_WRITE", "AVG_ROW_LENGTH", "MAX_ROWS", "MIN_ROWS", "ORDER",
                "ENABLE", "DISABLE", "DISCARD", "IMPORT", "WITH", "WITHOUT", "PAGE_CHECKSUM", "TRANSACTIONAL", "ENCRYPTION"))
        {
            c.Rest();
            return true;
        }

        return false;
    }
}
