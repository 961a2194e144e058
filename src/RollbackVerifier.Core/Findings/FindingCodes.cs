namespace RollbackVerifier.Findings;

/// <summary>A stable finding code with its default severity and a one-line description.</summary>
public sealed record FindingCode(string Code, string Name, Severity Severity, string Category, string Description);

/// <summary>Every finding code RollbackVerifier emits. Codes are stable: never renumber, only add. Documented in docs/findings.md.</summary>
public static class FindingCodes
{
    // Execution (RV1xx)
    public static readonly FindingCode RollbackFailed = new("RV101", "rollback-failed", Severity.Error, "execution", "A rollback statement failed; the database is left between states.");
    public static readonly FindingCode ReapplyFailed = new("RV102", "reapply-failed", Severity.Error, "execution", "After the rollback, the forward migration no longer applies cleanly: the rolled-back database is not un-migrated.");
    public static readonly FindingCode ForwardNoChange = new("RV103", "forward-no-change", Severity.Warning, "execution", "The forward migration changed neither schema nor data: the scenario tests nothing.");
    public static readonly FindingCode RollbackNoop = new("RV104", "rollback-noop", Severity.Error, "execution", "The rollback changed nothing although the forward migration did.");
    public static readonly FindingCode StepTimeout = new("RV105", "step-timeout", Severity.Error, "execution", "A step exceeded its timeout (a lock wait or a runaway statement).");
    public static readonly FindingCode SeedRowsSkipped = new("RV106", "seed-rows-skipped", Severity.Info, "execution", "The seeder could not write some generated rows (constraints it does not understand); fewer rows were tested.");
    public static readonly FindingCode PartialApplication = new("RV107", "partial-application", Severity.Error, "execution", "A failing rollback left some of its statements applied (no enclosing transaction, or implicit commits).");
    // RV108-RV129: migration histories and external steps (issue 4) go here.
    public static readonly FindingCode IrreversibleMigration = new("RV108", "irreversible-migration", Severity.Error, "execution", "A migration of the history has no rollback (no down, undo or revert script, or it declares none is required): it cannot be rolled back.");
    public static readonly FindingCode RepeatableNotRolledBack = new("RV109", "repeatable-not-rolled-back", Severity.Info, "execution", "A repeatable migration (re-applied whenever it changes) was applied after the versioned ones; it has no rollback of its own to verify.");

    // Schema (RV2xx)
    public static readonly FindingCode TableMissing = new("RV201", "table-missing", Severity.Error, "schema", "A table that existed before the migration is missing after the rollback.");
    public static readonly FindingCode TableExtra = new("RV202", "table-extra", Severity.Error, "schema", "A table that did not exist before the migration remains after the rollback.");
    public static readonly FindingCode ColumnMissing = new("RV203", "column-missing", Severity.Error, "schema", "A column is missing after the rollback.");
    public static readonly FindingCode ColumnExtra = new("RV204", "column-extra", Severity.Error, "schema", "A column that did not exist before the migration remains after the rollback.");
    public static readonly FindingCode ColumnTypeChanged = new("RV205", "column-type-changed", Severity.Error, "schema", "A column's type (or length, precision, scale) differs from before the migration.");
    public static readonly FindingCode ColumnNullabilityChanged = new("RV206", "column-nullability-changed", Severity.Error, "schema", "A column's NULL / NOT NULL differs from before the migration.");
    public static readonly FindingCode ColumnDefaultChanged = new("RV207", "column-default-changed", Severity.Error, "schema", "A column's default differs from before the migration.");
    public static readonly FindingCode ColumnIdentityChanged = new("RV208", "column-identity-changed", Severity.Error, "schema", "A column's identity, auto-increment or generated expression differs.");
    public static readonly FindingCode ColumnCollationChanged = new("RV209", "column-collation-changed", Severity.Error, "schema", "A column's collation differs from before the migration.");
    public static readonly FindingCode ColumnOrderChanged = new("RV210", "column-order-changed", Severity.Warning, "schema", "Columns are in a different order (SELECT * and positional INSERT break).");
    public static readonly FindingCode PrimaryKeyChanged = new("RV211", "primary-key-changed", Severity.Error, "schema", "The primary key is missing, added or has different columns.");
    public static readonly FindingCode ForeignKeyMissing = new("RV212", "foreign-key-missing", Severity.Error, "schema", "A foreign key is missing after the rollback.");
    public static readonly FindingCode ForeignKeyExtra = new("RV213", "foreign-key-extra", Severity.Error, "schema", "A foreign key that did not exist before remains after the rollback.");
    public static readonly FindingCode ForeignKeyChanged = new("RV214", "foreign-key-changed", Severity.Error, "schema", "A foreign key's actions, deferrability or enforcement differ.");
    public static readonly FindingCode UniqueMissing = new("RV215", "unique-missing", Severity.Error, "schema", "A unique constraint is missing after the rollback.");
    public static readonly FindingCode UniqueExtra = new("RV216", "unique-extra", Severity.Error, "schema", "A unique constraint that did not exist before remains after the rollback.");
    public static readonly FindingCode UniqueChanged = new("RV217", "unique-changed", Severity.Error, "schema", "A unique constraint's definition differs.");
    public static readonly FindingCode CheckMissing = new("RV218", "check-missing", Severity.Error, "schema", "A check constraint is missing after the rollback.");
    public static readonly FindingCode CheckExtra = new("RV219", "check-extra", Severity.Error, "schema", "A check constraint that did not exist before remains after the rollback.");
    public static readonly FindingCode CheckChanged = new("RV220", "check-changed", Severity.Error, "schema", "A check constraint's expression or enforcement differs.");
    public static readonly FindingCode IndexMissing = new("RV221", "index-missing", Severity.Error, "schema", "An index is missing after the rollback.");
    public static readonly FindingCode IndexExtra = new("RV222", "index-extra", Severity.Error, "schema", "An index that did not exist before remains after the rollback.");
    public static readonly FindingCode IndexChanged = new("RV223", "index-changed", Severity.Error, "schema", "An index's keys, uniqueness, predicate, method or validity differ.");
    public static readonly FindingCode IndexRenamed = new("RV224", "index-renamed", Severity.Warning, "schema", "An index was restored under a different name.");
    public static readonly FindingCode ViewMissing = new("RV225", "view-missing", Severity.Error, "schema", "A view is missing after the rollback.");
    public static readonly FindingCode ViewExtra = new("RV226", "view-extra", Severity.Error, "schema", "A view that did not exist before remains after the rollback.");
    public static readonly FindingCode ViewChanged = new("RV227", "view-changed", Severity.Error, "schema", "A view's definition differs.");
    public static readonly FindingCode TriggerMissing = new("RV228", "trigger-missing", Severity.Error, "schema", "A trigger is missing after the rollback.");
    public static readonly FindingCode TriggerExtra = new("RV229", "trigger-extra", Severity.Error, "schema", "A trigger that did not exist before remains after the rollback.");
    public static readonly FindingCode TriggerChanged = new("RV230", "trigger-changed", Severity.Error, "schema", "A trigger's timing, events, body or enabled state differ.");
    public static readonly FindingCode EnumChanged = new("RV231", "enum-changed", Severity.Error, "schema", "An enum type is missing, extra or has different labels.");
    public static readonly FindingCode ConstraintRenamed = new("RV232", "constraint-renamed", Severity.Warning, "schema", "A constraint was restored under a different name (later migrations that name it break).");
    public static readonly FindingCode RoutineMissing = new("RV233", "routine-missing", Severity.Error, "schema", "A function or procedure is missing after the rollback.");
    public static readonly FindingCode RoutineExtra = new("RV234", "routine-extra", Severity.Error, "schema", "A function or procedure that did not exist before remains after the rollback.");
    public static readonly FindingCode RoutineChanged = new("RV235", "routine-changed", Severity.Error, "schema", "A function or procedure's definition differs.");

    // Data (RV3xx)
    public static readonly FindingCode RowsLost = new("RV301", "rows-lost", Severity.Error, "data", "Rows present just before the rollback are gone after it.");
    public static readonly FindingCode RowsAdded = new("RV302", "rows-added", Severity.Error, "data", "Rows appeared that were not there just before the rollback.");
    public static readonly FindingCode ValuesChanged = new("RV303", "values-changed", Severity.Error, "data", "Values of a column that survived the migration were changed by the rollback (truncated, rounded, converted, reset).");
    public static readonly FindingCode DroppedDataNotRestored = new("RV304", "dropped-data-not-restored", Severity.Error, "data", "Data the forward migration removed (a dropped column or table) is not back after the rollback: it is unrecoverable.");
    public static readonly FindingCode NewDataDiscarded = new("RV305", "new-data-discarded", Severity.Warning, "data", "Data written after the forward migration into objects only it created is discarded by the rollback (by design).");

    // Sequences (RV4xx)
    public static readonly FindingCode SequenceMissing = new("RV401", "sequence-missing", Severity.Error, "sequence", "A sequence or auto-increment counter is missing after the rollback.");
    public static readonly FindingCode SequenceExtra = new("RV402", "sequence-extra", Severity.Error, "sequence", "A sequence that did not exist before remains after the rollback.");
    public static readonly FindingCode SequenceChanged = new("RV403", "sequence-changed", Severity.Error, "sequence", "A sequence's type, start, increment, bounds, cycle or owner differ.");
    public static readonly FindingCode SequenceBehindKey = new("RV404", "sequence-behind-max-key", Severity.Error, "sequence", "A sequence or auto-increment would hand out a value at or below the highest key in use: the next insert collides.");
    public static readonly FindingCode SequenceReset = new("RV405", "sequence-reset", Severity.Warning, "sequence", "A sequence position moved backwards across the rollback (values may be reused).");

    // Static rules (RV5xx, issue 6): read from the forward/rollback text before running.
    public static readonly FindingCode DestructiveWithoutCopy = new("RV501", "destructive-without-copy", Severity.Warning, "static", "The rollback drops or empties data that existed before the migration (DROP TABLE, DROP COLUMN, TRUNCATE, DELETE or UPDATE without WHERE) without copying it first.");
    public static readonly FindingCode ForwardChangeNotUndone = new("RV502", "forward-change-not-undone", Severity.Warning, "static", "The forward migration creates, changes or drops an object (table, column, index, constraint, view, trigger, routine, type, sequence) that the rollback never mentions.");
    public static readonly FindingCode RollbackDoesNothing = new("RV503", "rollback-does-nothing", Severity.Warning, "static", "The rollback is empty, holds only comments, or only runs statements that change nothing, although the forward migration changes something.");
    public static readonly FindingCode NarrowingWithoutGuard = new("RV504", "narrowing-without-guard", Severity.Warning, "static", "The rollback narrows a column's type with no check or repair of the rows written since that do not fit.");
    public static readonly FindingCode ConstraintWithoutGuard = new("RV505", "constraint-without-guard", Severity.Warning, "static", "The rollback restores NOT NULL, a primary key, UNIQUE, CHECK or a foreign key with no check or repair of the rows written since that violate it.");
    public static readonly FindingCode ConcurrentlyNotMirrored = new("RV506", "concurrently-not-mirrored", Severity.Warning, "static", "The forward migration built or dropped an index CONCURRENTLY, and the rollback undoes it with a blocking CREATE or DROP INDEX (PostgreSQL).");
    public static readonly FindingCode ConcurrentlyInTransaction = new("RV507", "concurrently-in-transaction", Severity.Warning, "static", "The rollback runs CREATE/DROP INDEX CONCURRENTLY (or another statement that refuses a transaction block) inside a transaction (PostgreSQL).");
    public static readonly FindingCode ForeignKeyOrder = new("RV508", "foreign-key-order", Severity.Warning, "static", "The rollback drops or changes a table or column that foreign keys still reference, before removing those references.");
    public static readonly FindingCode SettingNotReset = new("RV509", "setting-not-reset", Severity.Warning, "static", "The forward migration changes a column default, a sequence's settings or a column's identity, and the rollback does not set it back.");
    public static readonly FindingCode CounterResetToConstant = new("RV510", "counter-reset-to-constant", Severity.Warning, "static", "The rollback sets a sequence, identity or auto-increment counter to a constant, which may be at or below keys written since the migration.");
    public static readonly FindingCode RollbackNotAtomic = new("RV511", "rollback-not-atomic", Severity.Warning, "static", "A rollback of several changes that cannot fail atomically: no transaction on PostgreSQL or SQLite; on MySQL a statement that can fail on live rows after DDL that already committed.");
    public static readonly FindingCode LockTimeoutMissing = new("RV512", "lock-timeout-missing", Severity.Warning, "static", "The rollback takes a strong lock on an existing table with no lock_timeout or statement_timeout set first (PostgreSQL).");
    public static readonly FindingCode RenameBreaksRunningCode = new("RV513", "rename-breaks-running-code", Severity.Warning, "static", "The rollback renames a table or column that running application code uses under its current name.");
    public static readonly FindingCode DroppedDataRecreatedEmpty = new("RV514", "dropped-data-recreated-empty", Severity.Warning, "static", "The forward migration drops a column or table without keeping its data, and the rollback re-creates it: it comes back without the values it held.");
    public static readonly FindingCode PositionalCopy = new("RV515", "positional-copy", Severity.Warning, "static", "The rollback copies rows with INSERT ... SELECT * (or without a column list) between tables whose columns are in a different order: values land in the wrong columns.");

    // Run analysis (RV6xx, issue 6): locks, table rebuilds, atomicity.
    public static readonly FindingCode LockBlocksReads = new("RV601", "lock-blocks-reads", Severity.Warning, "run", "A rollback statement holds an ACCESS EXCLUSIVE lock on a table that holds rows: reads and writes of it wait until the lock is released.");
    public static readonly FindingCode LockBlocksWrites = new("RV602", "lock-blocks-writes", Severity.Warning, "run", "A rollback statement holds a SHARE, SHARE ROW EXCLUSIVE or EXCLUSIVE lock on a table that holds rows: writes to it wait until the lock is released.");
    public static readonly FindingCode TableCopied = new("RV603", "table-copied", Severity.Warning, "run", "A rollback ALTER copies an existing table (MySQL ALGORITHM=COPY): writes wait for the whole copy, which grows with the table.");
    public static readonly FindingCode AlterInPlace = new("RV604", "alter-in-place", Severity.Info, "run", "A rollback ALTER runs in place (MySQL ALGORITHM=INPLACE or NOCOPY): reads and writes continue; a rebuild still takes time and I/O that grow with the table.");
    public static readonly FindingCode AlterInstant = new("RV605", "alter-instant", Severity.Info, "run", "A rollback ALTER changes only metadata (MySQL ALGORITHM=INSTANT): its time does not depend on the rows.");
    public static readonly FindingCode HalfApplied = new("RV610", "half-applied-state", Severity.Error, "run", "If the rollback stops after this statement (a failing next statement, a lost connection, a timeout), the database is neither as before the rollback nor rolled back.");
    public static readonly FindingCode AtomicityNotAnalysed = new("RV611", "atomicity-not-analysed", Severity.Warning, "run", "The atomicity analysis could not run: the pre-rollback state could not be copied faithfully.");

    // Pre-rollback checklist (RV7xx, issue 6).

    /// <summary>Every code, in code order.</summary>
    public static IReadOnlyList<FindingCode> All { get; } = typeof(FindingCodes)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.FieldType == typeof(FindingCode))
        .Select(f => (FindingCode)f.GetValue(null)!)
        .OrderBy(c => c.Code, StringComparer.Ordinal)
        .ToArray();

    private static readonly Dictionary<string, FindingCode> ByCode = All.ToDictionary(c => c.Code, StringComparer.OrdinalIgnoreCase);

    public static FindingCode Get(string code) =>
        ByCode.TryGetValue(code, out var found) ? found : throw new KeyNotFoundException($"Unknown finding code {code}.");

    public static bool TryGet(string codeOrName, out FindingCode code)
    {
        if (ByCode.TryGetValue(codeOrName, out code!))
        {
            return true;
        }

        code = All.FirstOrDefault(c => string.Equals(c.Name, codeOrName, StringComparison.OrdinalIgnoreCase))!;
        return code is not null;
    }
}
