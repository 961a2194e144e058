using RollbackVerifier.Execution;
using RollbackVerifier.Model;

namespace RollbackVerifier.Preflight;

/// <summary>Whether a statement may be sent to a production database, and if not, why.</summary>
/// <param name="Allowed">True for a plain read.</param>
/// <param name="Reason">Why the statement is refused; null when allowed.</param>
public sealed record GuardDecision(bool Allowed, string? Reason)
{
    public static GuardDecision Allow { get; } = new(true, null);

    public static GuardDecision Refuse(string reason) => new(false, reason);
}

/// <summary>A statement of a checklist that is not a plain read; nothing was sent to the server.</summary>
public sealed class StatementRefusedException : RollbackVerifierException
{
    public StatementRefusedException() { }

    public StatementRefusedException(string message) : base(message) { }

    public StatementRefusedException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>
/// The first of two locks on a production session: decides from the statement's tokens (by the engine's own lexical
/// rules, so quotes, comments and dollar quotes cannot hide anything) whether it is a plain read, before it is sent.
/// Allowed: one SELECT, WITH ... SELECT, VALUES or EXPLAIN without ANALYZE. Refused: anything else, several statements,
/// data-modifying CTEs, SELECT ... INTO, locking clauses (FOR UPDATE/SHARE, LOCK IN SHARE MODE), variable assignment,
/// MySQL executable comments, and calls of functions known to write, lock, wait or read server files (nextval,
/// setval, pg_advisory_lock, set_config, dblink, GET_LOCK, SLEEP, load_extension, ...). A user-defined function that
/// writes cannot be recognised here; the read-only transaction on the server (the second lock) refuses its writes.
/// </summary>
public static class ReadOnlyGuard
{
    /// <summary>Words that start a plain read.</summary>
    private static readonly HashSet<string> Starts = new(StringComparer.OrdinalIgnoreCase) { "SELECT", "WITH", "VALUES", "EXPLAIN" };

    /// <summary>Words that never appear in a plain read, wherever they stand.</summary>
    private static readonly HashSet<string> Forbidden = new(StringComparer.OrdinalIgnoreCase)
    {
        "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "TRUNCATE", "DROP", "ALTER", "CREATE", "RENAME", "GRANT", "REVOKE",
        "COPY", "CALL", "EXECUTE", "PREPARE", "DEALLOCATE", "LOCK", "UNLOCK", "INTO", "HANDLER", "ATTACH", "DETACH",
        "PRAGMA", "VACUUM", "REINDEX", "CLUSTER", "CHECKPOINT", "NOTIFY", "LISTEN", "UNLISTEN", "DISCARD", "REFRESH",
        "SAVEPOINT", "COMMIT", "ROLLBACK", "PROCEDURE", "OUTFILE", "DUMPFILE",
    };

    /// <summary>Functions that write, lock, wait, change session state, run SQL text or read server files.</summary>
    private static readonly HashSet<string> WritingFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        // PostgreSQL
        "nextval", "setval", "set_config", "setseed", "txid_current", "pg_current_xact_id", "pg_notify",
        "pg_sleep", "pg_sleep_for", "pg_sleep_until", "pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf",
        "pg_rotate_logfile", "pg_switch_wal", "pg_create_restore_point", "pg_promote", "pg_wal_replay_pause", "pg_wal_replay_resume",
        "pg_drop_replication_slot", "pg_replication_slot_advance", "pg_logical_emit_message", "pg_import_system_collations",
        "pg_read_file", "pg_read_binary_file", "pg_ls_dir", "pg_stat_file", "pg_file_write", "pg_file_rename", "pg_file_unlink",
        "pg_truncate_visibility_map", "pg_prewarm", "brin_summarize_new_values", "brin_summarize_range", "brin_desummarize_range",
        "gin_clean_pending_list", "lo_import", "lo_export", "lo_create", "lo_creat", "lo_unlink", "lo_put", "lo_from_bytea",
        "lo_open", "lowrite", "lo_truncate", "lo_truncate64", "query_to_xml", "query_to_xmlschema", "query_to_xml_and_xmlschema",
        "cursor_to_xml", "cursor_to_xmlschema",

        // MySQL / MariaDB
        "get_lock", "release_lock", "release_all_locks", "sleep", "benchmark", "load_file", "master_pos_wait", "source_pos_wait",
        "wait_for_executed_gtid_set", "wait_until_sql_thread_after_gtids", "last_insert_id", "lastval",

        // SQLite (and its shell's extensions)
        "load_extension", "writefile", "readfile", "edit", "fts3_tokenizer",
    };

    /// <summary>Prefixes of function families that write or lock (advisory locks, replication slots, statistics resets, dblink).</summary>
    private static readonly string[] WritingFunctionPrefixes =
        ["pg_advisory", "pg_try_advisory", "pg_create_", "pg_replication_origin_", "pg_stat_reset", "pg_restore_", "pg_clear_", "dblink"];

    /// <summary>Decides whether <paramref name="sql"/> is one plain read on the engine of <paramref name="dialect"/>.</summary>
    public static GuardDecision Check(string sql, IDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(dialect);
        IReadOnlyList<SqlToken> tokens;
        try
        {
            var statements = dialect.Splitter.Split(sql, "(check)");
            if (statements.Count == 0)
            {
                return GuardDecision.Refuse("the statement is empty");
            }

            if (statements.Count > 1)
            {
                return GuardDecision.Refuse($"it holds {statements.Count} statements; a check is exactly one SELECT");
            }

            tokens = SqlTokens.Read(statements[0].Text, dialect);
        }
        catch (ScenarioDefinitionException ex)
        {
            return GuardDecision.Refuse("it cannot be read as SQL: " + ex.Message);
        }

        return Check(tokens, dialect.Kind);
    }

    /// <summary>Throws <see cref="StatementRefusedException"/> naming <paramref name="what"/> when the statement is not a plain read.</summary>
    public static void Ensure(string sql, IDialect dialect, string what)
    {
        var decision = Check(sql, dialect);
        if (!decision.Allowed)
        {
            throw new StatementRefusedException($"{what} was refused and not sent to the database: {decision.Reason}.");
        }
    }

    private static GuardDecision Check(IReadOnlyList<SqlToken> tokens, EngineKind engine)
    {
        var first = tokens.FirstOrDefault(t => !t.IsSymbol('('));
        if (first is null)
        {
            return GuardDecision.Refuse("the statement is empty");
        }

        var allowedStart = first.Kind == SqlTokenKind.Word && (Starts.Contains(first.Text) || (engine == EngineKind.Postgres && first.IsWord("TABLE")));
        if (!allowedStart)
        {
            return GuardDecision.Refuse($"it starts with {Show(first)}; only SELECT, WITH ... SELECT, VALUES and EXPLAIN (without ANALYZE) are allowed");
        }

        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var next = i + 1 < tokens.Count ? tokens[i + 1] : null;
            switch (token.Kind)
            {
                case SqlTokenKind.Delimiter:
                    return GuardDecision.Refuse("it holds more than one statement");
                case SqlTokenKind.ExecutableComment:
                    return GuardDecision.Refuse($"it holds an executable comment {token.Text} (its content runs as SQL on MySQL)");
                case SqlTokenKind.Symbol when token.IsSymbol(':') && next is not null && next.IsSymbol('=') && next.Start == token.End:
                    return GuardDecision.Refuse("it assigns a variable (:=)");
                case SqlTokenKind.Word:
                {
                    var word = token.Upper;
                    if (Forbidden.Contains(word) && !(word is "REPLACE" && next?.IsSymbol('(') == true))
                    {
                        return GuardDecision.Refuse(word switch
                        {
                            "INTO" => "SELECT ... INTO writes (a table, a file or variables)",
                            "INSERT" or "UPDATE" or "DELETE" or "MERGE" => $"it contains {word} (a data-modifying statement or CTE)",
                            "LOCK" => "it takes locks (LOCK / LOCK IN SHARE MODE)",
                            _ => $"it contains {word}, which is not part of a plain read",
                        });
                    }

                    if (word is "ANALYZE" or "ANALYSE" && first.IsWord("EXPLAIN"))
                    {
                        return GuardDecision.Refuse("EXPLAIN ANALYZE executes the statement");
                    }

                    if (word == "FOR" && next is not null && (next.IsWord("UPDATE") || next.IsWord("SHARE") || next.IsWord("NO") || next.IsWord("KEY")))
                    {
                        return GuardDecision.Refuse($"FOR {next.Upper} locks rows");
                    }

                    if (word == "NEXT" && next?.IsWord("VALUE") == true)
                    {
                        return GuardDecision.Refuse("NEXT VALUE FOR advances a sequence");
                    }

                    if (next?.IsSymbol('(') == true && IsWritingFunction(token.Text))
                    {
                        return GuardDecision.Refuse($"it calls {token.Text.ToLowerInvariant()}(), which writes, locks or waits");
                    }

                    break;
                }

                case SqlTokenKind.Identifier when next?.IsSymbol('(') == true && IsWritingFunction(token.Name!):
                    return GuardDecision.Refuse($"it calls {token.Name}(), which writes, locks or waits");
            }
        }

        return GuardDecision.Allow;
    }

    private static bool IsWritingFunction(string name) =>
        WritingFunctions.Contains(name) || WritingFunctionPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    private static string Show(SqlToken token) => token.Kind == SqlTokenKind.Word ? token.Upper : $"'{token.Text}'";
}
