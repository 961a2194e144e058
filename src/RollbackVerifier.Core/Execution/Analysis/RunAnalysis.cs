namespace RollbackVerifier.Execution.Analysis;

/// <summary>
/// How the rollback ran and what an interruption would leave: per rollback statement the locks it took and the tables it
/// rebuilt, and the result of stopping the rollback after each (sampled) statement. Plain data on
/// <see cref="Reporting.ScenarioResult.RunAnalysis"/>, written to JSON (<c>runAnalysis</c>) and Markdown.
/// </summary>
/// <param name="Statements">Every rollback statement that ran, in order; empty when the engine has no observer (SQLite) or locks are off.</param>
/// <param name="Atomicity">The atomicity analysis, or null when it is off.</param>
public sealed record RunAnalysis(IReadOnlyList<StatementRun> Statements, AtomicityReport? Atomicity)
{
    /// <summary>The statement with this 1-based number, or null.</summary>
    public StatementRun? Statement(int number) => Statements.FirstOrDefault(s => s.Number == number);

    /// <summary>Every lock taken on <paramref name="table"/> (the table itself, or its indexes and sequences), with the statement that took it.</summary>
    public IEnumerable<(StatementRun Statement, RelationLock Lock)> LocksOn(string table) =>
        Statements.SelectMany(s => s.Locks.Where(l => string.Equals(l.Table, table, StringComparison.Ordinal)).Select(l => (s, l)));

    /// <summary>Statements that took a lock blocking reads or writes of a table other sessions can see.</summary>
    public IEnumerable<StatementRun> StatementsBlocking => Statements.Where(s => s.Locks.Any(l => l.Visible && (l.BlocksReads || l.BlocksWrites)));
}

/// <summary>One rollback statement as it ran.</summary>
/// <param name="Number">1-based statement number in the rollback script.</param>
/// <param name="Line">Line the statement starts on.</param>
/// <param name="File">Script file name.</param>
/// <param name="Summary">First line of the statement.</param>
/// <param name="DurationMs">How long the statement itself ran (without the observer's own queries).</param>
/// <param name="InTransaction">True when it ran inside a transaction (the runner's or the script's), so its locks are held until that ends.</param>
public sealed record StatementRun(int Number, int Line, string File, string Summary, double DurationMs, bool InTransaction)
{
    /// <summary>Relation locks this statement acquired (the strongest mode per relation), with how long each was held.</summary>
    public IReadOnlyList<RelationLock> Locks { get; init; } = [];

    /// <summary>What the statement did to each table's rows (PostgreSQL: rewritten, rows read and written).</summary>
    public IReadOnlyList<TableWork> Tables { get; init; } = [];

    /// <summary>How an ALTER TABLE / CREATE INDEX / DROP INDEX ran on MySQL, or null.</summary>
    public AlterAlgorithm? Alter { get; init; }

    /// <summary>True when the statement failed (nothing is known about its locks).</summary>
    public bool Failed { get; init; }

    /// <summary>Why the observation is incomplete (a statement that cannot run in a transaction, sampled instead), or null.</summary>
    public string? Note { get; init; }
}

/// <summary>A lock one statement took on one relation.</summary>
/// <param name="Relation">The locked relation (schema.name), by name.</param>
/// <param name="RelationKind">table, partitioned table, index, sequence, view, materialized view or other.</param>
/// <param name="Table">The table the relation belongs to (itself for a table; the indexed table; the sequence's owner), for finding locks per table.</param>
/// <param name="Mode">The lock mode as the engine names it (ACCESS EXCLUSIVE, SHARE, ROW EXCLUSIVE, ...).</param>
/// <param name="BlocksReads">The mode conflicts with plain reads (SELECT).</param>
/// <param name="BlocksWrites">The mode conflicts with INSERT/UPDATE/DELETE.</param>
/// <param name="Visible">The relation existed outside the statement's transaction, so other sessions could be blocked; false for relations the transaction created.</param>
/// <param name="HeldMs">From the start of the statement that took it until its transaction ended.</param>
/// <param name="ReleasedAt">Statement number of the COMMIT/ROLLBACK that released it; null when released at the end of its own statement (autocommit) or of the runner's transaction (then <paramref name="HeldUntil"/> says which).</param>
/// <param name="HeldUntil">"statement end", "commit (statement N)", "rollback (statement N)", "runner commit" or "session end".</param>
/// <param name="Source">observed (pg_locks in the statement's transaction), sampled (an observer connection polled pg_locks while it ran) or documented (the engine's documented lock; the statement ran too fast to sample).</param>
public sealed record RelationLock(
    string Relation,
    string RelationKind,
    string Table,
    string Mode,
    bool BlocksReads,
    bool BlocksWrites,
    bool Visible,
    double HeldMs,
    int? ReleasedAt,
    string HeldUntil,
    string Source)
{
    /// <summary>Rows the table held just before the rollback (S1'), when it existed then.</summary>
    public long? Rows { get; init; }

    /// <summary>Conflicts with reads or writes on a relation other sessions use: what a DBA has to plan for.</summary>
    public bool IsBlocking => Visible && (BlocksReads || BlocksWrites);
}

/// <summary>What one statement did to a table's rows.</summary>
/// <param name="Table">The table.</param>
/// <param name="Rewritten">The table got new storage (PostgreSQL relfilenode changed: a rewrite; not counted for TRUNCATE).</param>
/// <param name="RowsRead">Rows the statement read from it (sequential and index fetches).</param>
/// <param name="RowsWritten">Rows it inserted, updated or deleted (each updated or deleted row stays row-locked until commit).</param>
public sealed record TableWork(string Table, bool Rewritten, long RowsRead, long RowsWritten)
{
    /// <summary>True when the statement's time grows with the table's size.</summary>
    public bool ScalesWithRows => Rewritten || RowsRead > 0 || RowsWritten > 0;
}

/// <summary>How a MySQL ALTER TABLE, CREATE INDEX or DROP INDEX ran.</summary>
/// <param name="Table">The altered table.</param>
/// <param name="Algorithm">copy, inplace, instant, or unknown.</param>
/// <param name="Rebuilt">The table was rebuilt (InnoDB table id changed), when it could be read.</param>
/// <param name="RowsAffected">Rows the server reported (a copying ALTER reports the rows it copied).</param>
/// <param name="Method">tried (the harness asked for INSTANT, then NOCOPY/INPLACE, before the statement as written: the server picks the same first algorithm it supports), declared (the statement names its ALGORITHM), or observed (rows copied and table id only).</param>
/// <param name="Reason">The server's reason for refusing the faster algorithm, when it gave one.</param>
public sealed record AlterAlgorithm(string Table, string Algorithm, bool? Rebuilt, long? RowsAffected, string Method, string? Reason)
{
    /// <summary>Rows the table held just before the rollback (S1'), when it existed then.</summary>
    public long? Rows { get; init; }
}

/// <summary>What stopping the rollback after a statement leaves.</summary>
public enum AtomicityState
{
    /// <summary>The database is as it was just before the rollback (S1').</summary>
    Unchanged,

    /// <summary>The database is as the whole rollback left it (S2).</summary>
    RolledBack,

    /// <summary>Neither: half of the rollback is applied.</summary>
    HalfApplied,
}

/// <summary>The atomicity analysis of one run.</summary>
/// <param name="Mode">off, sample or all.</param>
/// <param name="Limit">Most failure points in sample mode.</param>
/// <param name="CloneMethod">How the pre-rollback state was copied for each probe.</param>
/// <param name="Candidates">Failure points that could be tried (before sampling).</param>
/// <param name="Points">The failure points tried, in order.</param>
/// <param name="DurationMs">Time the analysis took (clones, runs and snapshots).</param>
/// <param name="Skipped">Why the analysis did not run, or null.</param>
public sealed record AtomicityReport(string Mode, int Limit, string? CloneMethod, int Candidates, IReadOnlyList<AtomicityPoint> Points, double DurationMs, string? Skipped)
{
    /// <summary>Points after which the database is half rolled back.</summary>
    public IEnumerable<AtomicityPoint> HalfApplied => Points.Where(p => p.State == AtomicityState.HalfApplied);
}

/// <summary>The database after the rollback stopped after one statement.</summary>
/// <param name="AfterStatement">The last statement that ran.</param>
/// <param name="Line">Its line.</param>
/// <param name="Summary">Its first line.</param>
/// <param name="State">Unchanged, rolled back, or half applied.</param>
/// <param name="Applied">What differs from just before the rollback (the part already done).</param>
/// <param name="Remaining">What differs from the rolled-back database (the part not done); empty when the rollback itself failed (there is no rolled-back state to compare with).</param>
public sealed record AtomicityPoint(int AfterStatement, int Line, string Summary, AtomicityState State, IReadOnlyList<string> Applied, IReadOnlyList<string> Remaining);

/// <summary>An engine's observer of a rollback run: it wraps each statement and returns what it saw.</summary>
public interface IRollbackObserver : IStatementObserver
{
    /// <summary>The statements observed, once the run is over (locks still open are released at the session's end).</summary>
    IReadOnlyList<StatementRun> Finish(string file);
}

/// <summary>A database whose engine can observe how rollback statements run (PostgreSQL locks, MySQL ALTER algorithms).</summary>
public interface IObservableDatabase
{
    /// <summary>A fresh observer for one run of a script on this database.</summary>
    IRollbackObserver CreateObserver();
}

/// <summary>A database that can be copied in its current state, for probes that re-run the rollback from the same start.</summary>
public interface ICloneableDatabase
{
    /// <summary>How the copy is made, for reports ("CREATE DATABASE ... TEMPLATE", "SQLite backup API", ...).</summary>
    string CloneMethod { get; }

    /// <summary>
    /// A new throwaway database holding the same schema and rows. Nothing may be connected to this database while it is
    /// copied; the caller disposes the copy.
    /// </summary>
    Task<IDatabaseInstance> CloneAsync(CancellationToken cancellationToken);
}
