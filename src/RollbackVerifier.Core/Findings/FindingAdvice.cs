namespace RollbackVerifier.Findings;

/// <summary>How to fix the rollback behind each finding code, for <c>rollback-verifier explain CODE</c> and reports.</summary>
public static class FindingAdvice
{
    private static readonly Dictionary<string, string> Advice = new(StringComparer.Ordinal)
    {
        ["RV101"] = "Read the failing statement and the live rows the message names. If rows written since the migration break the old rule (longer strings, NULLs, duplicates, orphans, values outside a check), decide what happens to them first: widen the old rule, repair the rows in the rollback (and accept the data change explicitly), or refuse to roll back once such rows exist. Wrap the rollback in a transaction so a failure leaves nothing half-done.",
        ["RV102"] = "The rolled-back database is not where the forward migration started: something the forward expects (a name, a column, a constraint) was restored differently or not at all. Compare the schema findings next to this one; usually restoring the exact original name or definition fixes both.",
        ["RV103"] = "The forward migration changed neither schema nor data on this baseline, so the rollback was not tested. Check that the baseline is the schema the migration really runs against, and that the forward script is the right file.",
        ["RV104"] = "The rollback is empty or only touches objects that do not exist. Write the inverse of every forward statement, in reverse order.",
        ["RV105"] = "A statement waited on a lock or ran too long. On large tables prefer online operations (CREATE/DROP INDEX CONCURRENTLY on PostgreSQL, ALGORITHM=INPLACE on MySQL), set lock_timeout, and avoid full-table rewrites in a rollback; raise timeouts in scenario.yml only if the time is expected.",
        ["RV106"] = "The seeder could not satisfy a constraint it does not understand, so fewer rows were tested. Give the affected columns values in scenario.yml (seed.tables.T.columns.C: values/range/dataset) so every generated row is accepted.",
        ["RV107"] = "The rollback failed after some statements had already been applied (no enclosing transaction, or statements that commit implicitly such as MySQL DDL). Put the rollback in one transaction where the engine allows it; on MySQL order it so that the statements that can fail run before the ones that cannot be undone.",
        // RV108-RV129 (issue 4) advice goes here.
        ["RV108"] = "Write the down script (golang-migrate .down.sql, Flyway U file, dbmate/goose down section, Liquibase --rollback, Sqitch revert script) so the migration can be undone and verified. If the migration is forward-only on purpose (you restore from backup or fix forward), accept RV108 for it, or for a range of migrations, in rollback-verifier.yml (accepted: - code: RV108, migrations: \"..0041\", reason: ...), so the decision is written down.",
        ["RV109"] = "Nothing to fix: a repeatable migration is undone by applying its previous version, which the history does not hold. RollbackVerifier checks that it applies after the versioned migrations; verify a change to it as its own scenario if its rollback matters.",
        ["RV201"] = "Re-create the table with its original definition, and restore its rows from where the forward migration moved them (a renamed table, a backup copy). Dropping a table in a forward migration is only reversible if its data is kept.",
        ["RV202"] = "Drop (or rename back) the table the forward migration created, after moving any data that belongs to the original tables back into them.",
        ["RV203"] = "Re-add the column with its original type, nullability and default, and copy its values back from where the forward migration kept them. If the forward dropped it without keeping the data, the rollback cannot restore it: keep the data (a backup column or table) in the forward migration.",
        ["RV204"] = "Drop the column the forward migration added (after copying any values that belong elsewhere).",
        ["RV205"] = "Restore the exact original type, length, precision and scale. If rows written since no longer fit, the rollback must decide what happens to them rather than truncate silently.",
        ["RV206"] = "Restore NULL / NOT NULL as it was. Setting NOT NULL again fails if NULLs were written since: fill them deliberately first.",
        ["RV207"] = "Restore the original default expression (SET DEFAULT / DROP DEFAULT), exactly as it was.",
        ["RV208"] = "Restore identity / auto-increment / generated-column behaviour exactly, including the sequence it draws from.",
        ["RV209"] = "Restore the column's original collation; comparisons, sorting and unique checks depend on it.",
        ["RV210"] = "The column came back at the end of the table. Code using SELECT * or positional INSERT breaks. On MySQL use ALTER TABLE ... ADD COLUMN ... AFTER; on PostgreSQL and SQLite the table must be rebuilt to restore the order, or accept the finding with a written reason.",
        ["RV211"] = "Restore the primary key on its original columns (and name).",
        ["RV212"] = "Re-add the foreign key. It fails if rows written since reference missing parents: decide what to do with those rows first.",
        ["RV213"] = "Drop the foreign key the forward migration added.",
        ["RV214"] = "Restore the foreign key's ON DELETE / ON UPDATE actions, deferrability and enforcement exactly.",
        ["RV215"] = "Re-add the unique constraint or index. It fails if duplicates were written since: resolve them deliberately first.",
        ["RV216"] = "Drop the unique constraint the forward migration added.",
        ["RV217"] = "Restore the unique constraint on the original columns, in the original order, with the original NULLS [NOT] DISTINCT.",
        ["RV218"] = "Re-add the check constraint. It fails if rows written since violate it: repair or reject them first.",
        ["RV219"] = "Drop the check constraint the forward migration added.",
        ["RV220"] = "Restore the check constraint's original expression and enforcement, not an approximation.",
        ["RV221"] = "Re-create the index with its original definition. On large PostgreSQL tables use CREATE INDEX CONCURRENTLY (outside a transaction) so the rollback does not lock writes.",
        ["RV222"] = "Drop the index the forward migration created. On PostgreSQL prefer DROP INDEX CONCURRENTLY so the rollback does not lock the table.",
        ["RV223"] = "Restore the index's keys, order, uniqueness, predicate and method exactly; an invalid index left by a failed CONCURRENTLY build must be dropped and rebuilt.",
        ["RV224"] = "Restore the index under its original name; later migrations and hints refer to it by name.",
        ["RV225"] = "Re-create the view with its original definition (and options such as check option or security invoker).",
        ["RV226"] = "Drop the view the forward migration created.",
        ["RV227"] = "Restore the view's original definition; a view re-created from a changed table may silently select different columns.",
        ["RV228"] = "Re-create the trigger with its original timing, events and body.",
        ["RV229"] = "Drop the trigger the forward migration created.",
        ["RV230"] = "Restore the trigger's timing, events, body and enabled state exactly.",
        ["RV231"] = "Restore the enum type's labels. PostgreSQL cannot drop a label: rename the type, create the old one, convert the columns (which fails for rows using the new label: map them deliberately), drop the renamed type.",
        ["RV232"] = "Restore the constraint under its original name; later migrations that drop or alter it by name fail otherwise.",
        ["RV233"] = "Re-create the function or procedure with its original signature and body.",
        ["RV234"] = "Drop the function or procedure the forward migration created.",
        ["RV235"] = "Restore the function or procedure's original definition.",
        ["RV301"] = "The rollback deleted rows that existed just before it, often rows written since the migration (for example by re-creating a table from a pre-migration copy, or deleting rows that break a restored constraint). Move data back instead of replacing tables, and if deleting is intended, accept the finding with a written reason.",
        ["RV302"] = "Rows came back that had been deleted since the migration (typically restored from a pre-migration backup copy). Restore only the data the forward migration moved, not a snapshot of the whole table.",
        ["RV303"] = "Values were truncated, rounded, converted or reset by the rollback (a narrowing type change, a lossy cast, a default re-applied). Restore types that hold every value written since, or convert explicitly and accept the change with a reason.",
        ["RV304"] = "The forward migration removed data (dropped a column or table) and the rollback cannot bring it back. Keep the data in the forward migration (rename instead of drop, or copy to a backup table) until the rollback window has passed, and restore it from there.",
        ["RV305"] = "Data written after the migration into objects only it created is discarded by the rollback. Usually intended: accept it in scenario.yml with the reason (expect.accepted), or move the data into the old shape before dropping the new objects.",
        ["RV401"] = "Re-create the sequence (or AUTO_INCREMENT) and set its position past the highest key in use.",
        ["RV402"] = "Drop the sequence the forward migration created (after moving any column defaults that use it).",
        ["RV403"] = "Restore the sequence's type, start, increment, bounds, cycle and owner exactly.",
        ["RV404"] = "After restoring a table or key, move the sequence past the highest key: PostgreSQL SELECT setval('seq', (SELECT max(id) FROM t)); MySQL ALTER TABLE t AUTO_INCREMENT = max + 1; otherwise the next insert collides.",
        ["RV405"] = "The rollback moved a sequence backwards (re-created or reset it), so values may be handed out twice. Restore its position with setval / AUTO_INCREMENT instead of re-creating it.",

        // RV5xx static rules (issue 6) advice goes here.

        // RV6xx run analysis (issue 6) advice goes here.
        ["RV601"] = "Every query on the table waits while the lock is held, and queues behind any transaction already using the table. Use the online form where there is one (DROP INDEX CONCURRENTLY / CREATE INDEX CONCURRENTLY outside a transaction; ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a separate transaction), avoid rewrites in a rollback, keep the statement out of long transactions (a lock taken in a transaction is held until COMMIT), and set lock_timeout so the rollback gives up instead of blocking the application. Measure the hold time at production volume with --rows.",
        ["RV602"] = "Writes to the table wait while the lock is held (until COMMIT when it is taken inside a transaction). Prefer CREATE INDEX CONCURRENTLY, ADD FOREIGN KEY ... NOT VALID followed by VALIDATE CONSTRAINT, and short transactions; set lock_timeout. Measure the hold time at production volume with --rows.",
        ["RV603"] = "The server rebuilds the table row by row while writes wait (LOCK=SHARED) and needs room for a second copy. Check why the faster algorithm was refused (the finding gives the server's reason): a narrowing type change, a foreign key added with foreign_key_checks=1, a column moved. Where the change must copy, schedule it, or use an online schema change tool (pt-online-schema-change, gh-ost) for large tables.",
        ["RV604"] = "Runs in place: reads and writes continue, with short metadata locks at the start and the end that wait for open transactions on the table. When the table is rebuilt in place, the time and I/O still grow with its size: measure with --rows.",
        ["RV605"] = "Metadata only: fast whatever the size, but it still needs a short exclusive metadata lock, which waits for every open transaction on the table.",
        ["RV610"] = "Run the rollback in one transaction where the engine allows it (execution: transaction in scenario.yml, or BEGIN ... COMMIT in the script): PostgreSQL and SQLite then roll everything back on a failure. On MySQL DDL commits implicitly, so order the statements so that those that can fail (data checks, narrowing conversions, new constraints) run first, make each step idempotent (IF EXISTS / IF NOT EXISTS) so that re-running the rollback finishes it, and write down how to complete or undo each half state listed.",
        ["RV611"] = "The copy of the pre-rollback database used to re-run the rollback differed from the original (the finding names what), so no failure point was tried. Usually an object kind the copy does not carry over; run with --atomicity off to silence it and report the case.",

        // RV7xx pre-rollback checklist (issue 6) advice goes here.
    };

    /// <summary>How to fix the rollback for <paramref name="code"/>, or null when there is no advice.</summary>
    public static string? For(string code) => Advice.GetValueOrDefault(code);
}
