using RollbackVerifier.Analysis.Syntax;
using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Splitting;
using RollbackVerifier.Model;

namespace RollbackVerifier.Analysis.Parsing;

/// <summary>SQLite: PRAGMA, the four ALTER TABLE forms, writes to sqlite_sequence (the AUTOINCREMENT counters), VACUUM / REINDEX.</summary>
internal sealed class SqliteStatementParser : StatementParser
{
    public override EngineKind Engine => EngineKind.Sqlite;

    protected override IStatementSplitter Splitter { get; } = new SqliteStatementSplitter();

    protected override bool ParseDialectStatement(TokenCursor c, Builder result)
    {
        switch (c.Current.Text.ToUpperInvariant())
        {
            case "PRAGMA":
                c.Next();
                var name = c.ObjectName() ?? throw new NotUnderstoodException("PRAGMA without a name");
                if (c.AcceptSymbol('='))
                {
                    result.Effects.Add(new SessionSetting(name.Name.Key, TokenCursor.Text(c.Rest()).Trim('\'').ToLowerInvariant()));
                }
                else if (c.Current.IsSymbol('(') && name.Name.Key is not ("table_info" or "table_xinfo" or "index_list" or "index_info" or "foreign_key_list" or "foreign_key_check" or "integrity_check" or "quick_check"))
                {
                    result.Effects.Add(new SessionSetting(name.Name.Key, TokenCursor.Text(c.Group()!).Trim('\'').ToLowerInvariant()));
                }
                else
                {
                    // A PRAGMA without a value reads (foreign_key_check, table_info, integrity_check ...).
                    c.Rest();
                    result.ReadOnly = true;
                }

                return true;
            case "VACUUM" or "ANALYZE" or "REINDEX":
                var command = c.Next().Text.ToUpperInvariant();
                result.Effects.Add(new Maintenance(command, c.ObjectName(), false));
                c.Rest();
                return true;
            case "UPDATE" or "DELETE" or "INSERT" or "REPLACE" when c.Tokens.Any(t => t.IsName && t.Value.Equals("sqlite_sequence", StringComparison.OrdinalIgnoreCase)):
                return ParseCounterWrite(c, result);
            default:
                return false;
        }
    }

    protected override bool ParseAlterTableAction(SqlObjectRef table, TokenCursor c, Builder result) => ParseCommonAlterAction(table, c, result);

    /// <summary>UPDATE sqlite_sequence SET seq = n WHERE name = 't', DELETE FROM sqlite_sequence [WHERE name = 't']: sets AUTOINCREMENT counters.</summary>
    private static bool ParseCounterWrite(TokenCursor c, Builder result)
    {
        var tokens = c.Rest();
        var tables = tokens.Where((t, i) => t.Kind == SqlTokenKind.String && i > 0 && (tokens[i - 1].IsSymbol('=') || tokens[i - 1].IsSymbol('(') || tokens[i - 1].IsSymbol(','))).Select(t => t.Value).Distinct().ToList();
        string? value;
        if (tokens[0].Is("DELETE"))
        {
            value = "0";
        }
        else
        {
            var seq = tokens.ToList().FindIndex(t => t.Is("seq"));
            value = seq >= 0 && seq + 2 < tokens.Count && tokens[seq + 1].IsSymbol('=') ? tokens[seq + 2].Text : null;
            value ??= tokens.LastOrDefault(t => t.Kind == SqlTokenKind.Number).Text;
        }

        var literal = value is not null && long.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out _) ? value : null;
        if (tables.Count == 0)
        {
            // Every counter (DELETE FROM sqlite_sequence without WHERE).
            tables.Add("*");
        }

        result.Effects.AddRange(tables.Select(t => new SetTableCounter(SqlObjectRef.Of(t), value ?? "?", literal)));
        return true;
    }
}
