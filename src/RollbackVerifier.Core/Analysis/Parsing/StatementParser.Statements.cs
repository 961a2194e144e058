using RollbackVerifier.Analysis.Syntax;
using RollbackVerifier.Model;

namespace RollbackVerifier.Analysis.Parsing;

/// <summary>ALTER, DROP and the data-changing statements.</summary>
internal abstract partial class StatementParser
{
    // ------------------------------------------------------------------ ALTER

    private void ParseAlter(TokenCursor c, Builder result)
    {
        while (c.Current.IsAny("ONLINE", "OFFLINE", "IGNORE"))
        {
            c.Next();
        }

        if (c.Current.IsAny("ALGORITHM", "DEFINER", "SQL"))
        {
            while (c.Current.IsAny("ALGORITHM", "DEFINER", "SQL"))
            {
                SkipViewOption(c);
            }
        }

        var kind = c.Next();
        switch (kind.Text.ToUpperInvariant())
        {
            case "TABLE":
                ParseAlterTable(c, result);
                break;
            case "INDEX":
                c.AcceptIfExists();
                var index = c.ObjectName() ?? throw new NotUnderstoodException("ALTER INDEX without a name");
                if (c.Accept("RENAME", "TO"))
                {
                    result.Effects.Add(new RenameIndex(null, index, c.ObjectName() ?? throw new NotUnderstoodException("RENAME TO without a name")));
                }

                c.Rest();
                break;
            case "SEQUENCE":
                ParseAlterSequence(c, result);
                break;
            case "VIEW" or "MATERIALIZED":
                var materialized = kind.Is("MATERIALIZED") && c.Accept("VIEW");
                c.AcceptIfExists();
                var view = c.ObjectName() ?? throw new NotUnderstoodException("ALTER VIEW without a name");
                result.Effects.Add(AlterObject(materialized ? SqlObjectKind.MaterializedView : SqlObjectKind.View, view, c));
                break;
            case "TYPE":
                var type = c.ObjectName() ?? throw new NotUnderstoodException("ALTER TYPE without a name");
                if (c.Accept("ADD", "VALUE"))
                {
                    c.AcceptIfNotExists();
                    result.Effects.Add(new ObjectChange(SqlObjectKind.Type, type, ObjectAction.Alter) { AddedLabel = c.Current.Kind == SqlTokenKind.String ? c.Next().Value : null });
                    c.Rest();
                }
                else
                {
                    result.Effects.Add(AlterObject(SqlObjectKind.Type, type, c));
                }

                break;
            case "FUNCTION" or "PROCEDURE" or "DOMAIN" or "SCHEMA" or "EVENT" or "POLICY" or "TRIGGER" or "EXTENSION" or "RULE":
                var objectKind = Enum.Parse<SqlObjectKind>(kind.Text, ignoreCase: true);
                c.AcceptIfExists();
                var name = c.ObjectName() ?? throw new NotUnderstoodException($"ALTER {kind.Text.ToUpperInvariant()} without a name");
                c.Group();
                SqlObjectRef? table = null;
                if (objectKind is SqlObjectKind.Trigger or SqlObjectKind.Policy or SqlObjectKind.Rule && c.Accept("ON"))
                {
                    table = c.ObjectName();
                }

                result.Effects.Add(AlterObject(objectKind, name, c) with { Table = table });
                break;
            default:
                throw new NotUnderstoodException($"ALTER {kind.Text.ToUpperInvariant()} is not analysed");
        }
    }

    private static ObjectChange AlterObject(SqlObjectKind kind, SqlObjectRef name, TokenCursor c)
    {
        if (c.Accept("RENAME", "TO"))
        {
            var to = c.ObjectName();
            c.Rest();
            return new ObjectChange(kind, name, ObjectAction.Rename) { NewName = to };
        }

        c.Rest();
        return new ObjectChange(kind, name, ObjectAction.Alter);
    }

    private void ParseAlterTable(TokenCursor c, Builder result)
    {
        c.AcceptIfExists();
        c.Accept("ONLY");
        var table = c.ObjectName() ?? throw new NotUnderstoodException("ALTER TABLE without a name");
        c.AcceptSymbol('*');
        var actions = TokenCursor.SplitTopLevel(c.Rest());
        if (actions.Count == 0)
        {
            throw new NotUnderstoodException("ALTER TABLE without an action");
        }

        foreach (var action in actions)
        {
            var cursor = new TokenCursor(action, Engine);
            if (action.Count == 0 || !ParseAlterTableAction(table, cursor, result))
            {
                result.Understanding = Understanding.Partial;
                result.Problem = $"ALTER TABLE action '{TokenCursor.Text(action)}' is not analysed";
            }
        }
    }

    /// <summary>The actions every dialect shares: ADD/DROP/RENAME COLUMN, ADD/DROP CONSTRAINT, RENAME TO, ALTER COLUMN SET/DROP DEFAULT.</summary>
    protected bool ParseCommonAlterAction(SqlObjectRef table, TokenCursor c, Builder result)
    {
        if (c.Accept("ADD"))
        {
            if (c.Current.Kind == SqlTokenKind.Word && TableConstraintStarts.Contains(c.Current.Text) && !c.Current.Is("LIKE"))
            {
                result.Effects.Add(new AddConstraint(table, ParseTableConstraint(c, result)));
                return true;
            }

            c.Accept("COLUMN");
            c.AcceptIfNotExists();
            if (c.Current.IsSymbol('('))
            {
                // MySQL ADD (a INT, b INT)
                foreach (var element in TokenCursor.SplitTopLevel(c.Group()!))
                {
                    result.Effects.Add(new AddColumn(table, ParseColumnDefinition(new TokenCursor(element, Engine), result)));
                }

                return true;
            }

            result.Effects.Add(new AddColumn(table, ParseColumnDefinition(c, result)));
            return true;
        }

        if (c.Accept("DROP", "CONSTRAINT"))
        {
            c.AcceptIfExists();
            var name = c.Name() ?? throw new NotUnderstoodException("DROP CONSTRAINT without a name");
            result.Effects.Add(new DropConstraint(table, name, null, Cascade(c)));
            return c.AtEnd;
        }

        if (c.Accept("DROP"))
        {
            c.Accept("COLUMN");
            c.AcceptIfExists();
            var column = c.Name() ?? throw new NotUnderstoodException("DROP COLUMN without a name");
            result.Effects.Add(new DropColumn(table, column, Cascade(c)));
            return c.AtEnd;
        }

        if (c.Accept("RENAME", "CONSTRAINT"))
        {
            var from = c.Name();
            if (from is null || !c.Accept("TO") || c.Name() is not { } to)
            {
                return false;
            }

            result.Effects.Add(new RenameConstraint(table, from, to));
            return true;
        }

        if (c.Accept("RENAME", "TO") || c.Accept("RENAME", "AS") || (c.Current.Is("RENAME") && c.Peek(1).IsName && !c.Peek(1).IsAny("COLUMN", "INDEX", "KEY", "CONSTRAINT") && !c.Peek(2).Is("TO") && c.Accept("RENAME")))
        {
            var to = c.ObjectName() ?? throw new NotUnderstoodException("RENAME TO without a name");
            result.Effects.Add(new RenameTable(table, to));
            return c.AtEnd;
        }

        if (c.Accept("RENAME"))
        {
            c.Accept("COLUMN");
            var from = c.Name();
            if (from is null || !c.Accept("TO") || c.Name() is not { } to)
            {
                return false;
            }

            result.Effects.Add(new RenameColumn(table, from, to));
            return c.AtEnd;
        }

        if (c.Current.Is("ALTER") && !c.Peek(1).IsAny("CONSTRAINT", "INDEX", "CHECK"))
        {
            var start = c.Index;
            c.Next();
            c.Accept("COLUMN");
            var column = c.Name();
            if (column is not null)
            {
                if (c.Accept("SET", "DEFAULT"))
                {
                    result.Effects.Add(new SetDefault(table, column, TokenCursor.Text(c.Rest())));
                    return true;
                }

                if (c.Accept("DROP", "DEFAULT"))
                {
                    result.Effects.Add(new DropDefault(table, column));
                    return c.AtEnd;
                }
            }

            c.Index = start;
        }

        return false;
    }

    protected static bool Cascade(TokenCursor c)
    {
        if (c.Accept("CASCADE"))
        {
            return true;
        }

        c.Accept("RESTRICT");
        return false;
    }

    private void ParseAlterSequence(TokenCursor c, Builder result)
    {
        c.AcceptIfExists();
        var name = c.ObjectName() ?? throw new NotUnderstoodException("ALTER SEQUENCE without a name");
        var settings = false;
        var restarts = false;
        string? restartValue = null;
        while (!c.AtEnd)
        {
            if (c.Accept("RESTART"))
            {
                restarts = true;
                c.Accept("WITH");
                if (c.Current.Kind == SqlTokenKind.Number || (c.Current.IsSymbol('-') && c.Peek(1).Kind == SqlTokenKind.Number))
                {
                    restartValue = c.Current.IsSymbol('-') ? "-" + c.Peek(1).Text : c.Current.Text;
                    c.Index += c.Current.IsSymbol('-') ? 2 : 1;
                }
            }
            else
            {
                settings = true;
                c.Next();
            }
        }

        result.Effects.Add(new AlterSequence(name, settings, restarts, restartValue));
    }

    // ------------------------------------------------------------------ DROP

    private void ParseDrop(TokenCursor c, Builder result)
    {
        _ = c.Accept("TEMPORARY") || c.Accept("TEMP");
        var kind = c.Next();
        var upper = kind.Text.ToUpperInvariant();
        if (upper == "MATERIALIZED" && c.Accept("VIEW"))
        {
            upper = "MATERIALIZED VIEW";
        }

        var concurrently = c.Accept("CONCURRENTLY");
        var ifExists = c.AcceptIfExists();
        var names = new List<SqlObjectRef>();
        do
        {
            var name = c.ObjectName() ?? throw new NotUnderstoodException($"DROP {upper} without a name");
            names.Add(name);
            c.Group(); // DROP FUNCTION f(int)
        }
        while (c.AcceptSymbol(','));

        SqlObjectRef? on = null;
        if (c.Accept("ON"))
        {
            on = c.ObjectName();
        }

        var cascade = Cascade(c);
        while (c.Current.IsAny("ALGORITHM", "LOCK") && c.Peek(1).IsSymbol('='))
        {
            c.Index += 3;
        }

        if (!c.AtEnd)
        {
            result.Understanding = Understanding.Partial;
        }

        foreach (var name in names)
        {
            result.Effects.Add(upper switch
            {
                "TABLE" => new DropTable(name, ifExists, cascade),
                "INDEX" => new DropIndex(name, on, concurrently, ifExists),
                "SEQUENCE" => new DropSequence(name),
                "VIEW" => new ObjectChange(SqlObjectKind.View, name, ObjectAction.Drop),
                "MATERIALIZED VIEW" => new ObjectChange(SqlObjectKind.MaterializedView, name, ObjectAction.Drop),
                "TRIGGER" => new ObjectChange(SqlObjectKind.Trigger, name, ObjectAction.Drop) { Table = on },
                "FUNCTION" or "PROCEDURE" or "TYPE" or "DOMAIN" or "SCHEMA" or "EXTENSION" or "EVENT" or "RULE" or "POLICY" =>
                    new ObjectChange(Enum.Parse<SqlObjectKind>(upper, ignoreCase: true), name, ObjectAction.Drop) { Table = on },
                _ => throw new NotUnderstoodException($"DROP {upper} is not analysed"),
            });
        }
    }

    // ------------------------------------------------------------------ data changes

    private void ParseInsert(TokenCursor c, Builder result)
    {
        c.Next();
        while (c.Current.IsAny("IGNORE", "LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY") || (c.Current.Is("OR") && c.Peek(1).IsAny("REPLACE", "IGNORE", "ABORT", "FAIL", "ROLLBACK")))
        {
            c.Accept("OR");
            c.Next();
        }

        c.Accept("INTO");
        var table = c.ObjectName() ?? throw new NotUnderstoodException("INSERT without a table");
        if (c.Accept("AS"))
        {
            c.Name();
        }

        IReadOnlyList<SqlName> columns = [];
        if (c.Current.IsSymbol('(') && !c.Peek(1).IsAny("SELECT", "WITH", "VALUES"))
        {
            columns = NameList(c.Group()!);
        }

        var rest = c.Rest();
        var selectAt = rest.ToList().FindIndex(t => t.IsAny("SELECT", "TABLE"));
        var star = selectAt >= 0 && selectAt + 1 < rest.Count && (rest[selectAt + 1].IsSymbol('*') || (rest[selectAt].Is("TABLE")));
        result.Effects.Add(new DataChange(DataChangeKind.Insert, table)
        {
            Columns = columns,
            Sources = Sources(rest).Concat(rest.Count > 1 && rest[0].Is("TABLE") && new TokenCursor(rest, Engine) { Index = 1 }.ObjectName() is { } t ? [t] : []).ToList(),
            SelectStar = star,
        });
    }

    private void ParseUpdate(TokenCursor c, Builder result)
    {
        c.Next();
        while (c.Current.IsAny("LOW_PRIORITY", "IGNORE", "ONLY") || (c.Current.Is("OR") && c.Peek(1).IsAny("REPLACE", "IGNORE", "ABORT", "FAIL", "ROLLBACK")))
        {
            c.Accept("OR");
            c.Next();
        }

        var table = c.ObjectName() ?? throw new NotUnderstoodException("UPDATE without a table");
        var head = c.Until(t => t.Is("SET"));
        if (!c.Accept("SET"))
        {
            throw new NotUnderstoodException("UPDATE without SET");
        }

        // UPDATE a [AS x] JOIN b ... SET / UPDATE a, b SET (MySQL): restricted by the join.
        var joined = head.Any(t => t.Is("JOIN") || t.IsSymbol(','));
        var assignments = c.Until(t => t.IsAny("FROM", "WHERE", "RETURNING", "ORDER", "LIMIT"));
        var columns = new List<SqlName>();
        foreach (var assignment in TokenCursor.SplitTopLevel(assignments))
        {
            var cursor = new TokenCursor(assignment, Engine);
            if (cursor.Current.IsSymbol('('))
            {
                columns.AddRange(NameList(cursor.Group()!));
            }
            else if (cursor.ColumnName() is { } column)
            {
                columns.Add(column);
            }
        }

        var tail = c.Rest();
        result.Effects.Add(new DataChange(DataChangeKind.Update, table)
        {
            Columns = columns,
            HasWhere = TokenCursor.HasTopLevel(tail, "WHERE"),
            HasJoin = joined || (tail.Count > 0 && tail[0].Is("FROM")),
            Sources = Sources(head).Concat(Sources(assignments)).Concat(Sources(tail)).ToList(),
        });
    }

    private void ParseDelete(TokenCursor c, Builder result)
    {
        c.Next();
        while (c.Current.IsAny("LOW_PRIORITY", "QUICK", "IGNORE"))
        {
            c.Next();
        }

        SqlObjectRef? table;
        var joined = false;
        if (c.Accept("FROM"))
        {
            c.Accept("ONLY");
            table = c.ObjectName();
        }
        else
        {
            // MySQL multi-table DELETE t1 FROM t1 JOIN t2 ...
            table = c.ObjectName();
            c.Until(t => t.Is("FROM"));
            c.Accept("FROM");
            joined = true;
        }

        if (table is null)
        {
            throw new NotUnderstoodException("DELETE without a table");
        }

        var rest = c.Rest();
        result.Effects.Add(new DataChange(DataChangeKind.Delete, table)
        {
            HasWhere = TokenCursor.HasTopLevel(rest, "WHERE"),
            HasJoin = joined || rest.Any(t => t.IsAny("USING", "JOIN")) || (rest.Count > 0 && rest[0].IsSymbol(',')),
            Sources = Sources(rest),
        });
    }

    private void ParseTruncate(TokenCursor c, Builder result)
    {
        c.Accept("TABLE");
        c.Accept("ONLY");
        var tables = new List<SqlObjectRef>();
        do
        {
            tables.Add(c.ObjectName() ?? throw new NotUnderstoodException("TRUNCATE without a table"));
            c.AcceptSymbol('*');
        }
        while (c.AcceptSymbol(','));

        c.Accept("RESTART", "IDENTITY");
        c.Accept("CONTINUE", "IDENTITY");
        var cascade = Cascade(c);
        foreach (var table in tables)
        {
            result.Effects.Add(new DataChange(DataChangeKind.Truncate, table) { Cascade = cascade });
        }
    }
}
