using System.Diagnostics;
using Npgsql;
using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Analysis;

namespace RollbackVerifier.PostgreSql;

/// <summary>
/// Watches the locks each rollback statement takes on PostgreSQL. A statement inside a transaction is followed, in the
/// same transaction, by a read of pg_locks for the script's own backend: everything it locked is still held (locks are
/// released only when the transaction ends), so nothing is missed however fast it ran. A statement in autocommit is run
/// as BEGIN; statement; read; COMMIT, which PostgreSQL treats exactly like the statement alone (one implicit
/// transaction either way, with deferred constraints checked at its end). Statements that cannot run in a transaction
/// block (CONCURRENTLY, VACUUM) or that manage transactions themselves (CALL, DO, LOCK, SAVEPOINT ...) are not wrapped:
/// an observer connection polls pg_locks while they run, and their documented lock is reported when they end too
/// fast to be seen. Hold times count only the time statements run, not the observer's own queries.
/// </summary>
internal sealed class PostgresLockObserver(PostgresInstance instance) : IRollbackObserver
{
    /// <summary>How often the observer connection samples pg_locks while an unwrappable statement runs.</summary>
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// Leading words of statements that must not be wrapped although the splitter lets them run in a transaction: CALL
    /// and DO may COMMIT inside; LOCK, SAVEPOINT, RELEASE, ROLLBACK TO and DECLARE fail outside a transaction block and
    /// must keep failing; COMMIT/ROLLBACK PREPARED and PREPARE TRANSACTION act on other transactions.
    /// </summary>
    private static readonly HashSet<string> ManageTheirTransaction = new(StringComparer.Ordinal)
    {
        "CALL", "DO", "LOCK", "SAVEPOINT", "RELEASE", "DECLARE", "PREPARE", "COMMIT", "ROLLBACK", "ABORT",
    };

    /// <summary>Session commands that take no relation lock: run as they are, unobserved.</summary>
    private static readonly HashSet<string> SessionCommands = new(StringComparer.Ordinal)
    {
        "SET", "RESET", "DISCARD", "CHECKPOINT", "LISTEN", "UNLISTEN", "NOTIFY", "SHOW", "LOAD",
    };

    private readonly Dictionary<long, RelationInfo> _relations = [];
    private readonly HashSet<long> _visible = [];
    private readonly List<HeldLock> _held = [];
    private readonly List<Run> _runs = [];
    private readonly Stopwatch _clock = new();
    private Dictionary<long, (long Read, long Written)>? _transactionStats;
    private bool _loaded;

    public async Task ExecuteAsync(StatementStep step, Func<string, CancellationToken, Task<int>> execute, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(execute);
        var connection = (NpgsqlConnection)step.Connection;
        var statement = step.Statement;
        if (!_loaded)
        {
            await LoadRelationsAsync(connection, null, cancellationToken).ConfigureAwait(false);
            _visible.UnionWith(_relations.Keys);
            _loaded = true;
        }

        var run = new Run(statement, step.InTransaction || statement.Kind == StatementKind.BeginTransaction);
        _runs.Add(run);
        switch (statement.Kind)
        {
            case StatementKind.BeginTransaction:
                await TimedAsync(run, () => execute(statement.Text, cancellationToken)).ConfigureAwait(false);
                _transactionStats = null;
                return;
            case StatementKind.Commit or StatementKind.Rollback:
                await TimedAsync(run, () => execute(statement.Text, cancellationToken)).ConfigureAwait(false);
                EndTransaction(statement.Kind == StatementKind.Commit, $"{(statement.Kind == StatementKind.Commit ? "commit" : "rollback")} (statement {statement.Number})", statement.Number);
                return;
        }

        if (!step.InTransaction && statement.Keywords.Count > 0 && SessionCommands.Contains(statement.Keywords[0]))
        {
            await TimedAsync(run, () => execute(statement.Text, cancellationToken)).ConfigureAwait(false);
        }
        else if (step.InTransaction)
        {
            _transactionStats ??= await ReadStatsAsync(connection, cancellationToken).ConfigureAwait(false);
            var start = _clock.Elapsed;
            await TimedAsync(run, () => execute(statement.Text, cancellationToken)).ConfigureAwait(false);
            _transactionStats = await ObserveAsync(connection, run, start, _transactionStats, cancellationToken).ConfigureAwait(false);
        }
        else if (CanWrap(statement))
        {
            await ExecuteRawAsync(connection, "BEGIN", cancellationToken).ConfigureAwait(false);
            var before = await ReadStatsAsync(connection, cancellationToken).ConfigureAwait(false);
            var start = _clock.Elapsed;
            await TimedAsync(run, () => execute(statement.Text, cancellationToken)).ConfigureAwait(false);
            await ObserveAsync(connection, run, start, before, cancellationToken).ConfigureAwait(false);

            // A deferred constraint fails here, as it would at the end of the statement's own implicit transaction.
            await TimedAsync(run, () => ExecuteRawAsync(connection, "COMMIT", cancellationToken), countAsStatement: false).ConfigureAwait(false);
            EndTransaction(true, "statement end", null);
        }
        else
        {
            await SampleAsync(connection, run, () => execute(statement.Text, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
    }

    public Task AfterAsync(StatementStep step, bool transactionOpen, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task CommitAsync(Func<Task> commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        _clock.Start();
        try
        {
            await commit().ConfigureAwait(false);
        }
        finally
        {
            _clock.Stop();
        }

        EndTransaction(true, "runner commit", null);
    }

    public IReadOnlyList<StatementRun> Finish(string file)
    {
        // A transaction the script never ended (or one a failure left open) ends when the runner closes the session.
        EndTransaction(false, "session end", null);
        return _runs.Select(r => r.Build(file)).ToList();
    }

    /// <summary>True when BEGIN; statement; COMMIT behaves exactly like the statement in autocommit.</summary>
    internal static bool CanWrap(SqlStatement statement)
    {
        var words = statement.Keywords;
        string W(int i) => i < words.Count ? words[i] : string.Empty;
        return statement.Kind == StatementKind.Regular
            && !statement.RequiresNoTransaction
            && !ManageTheirTransaction.Contains(W(0))
            && !(W(0) == "CLUSTER" && words.Count <= 2) // CLUSTER [VERBOSE] without a table refuses a transaction block
            && !(W(0) == "ALTER" && W(1) == "SUBSCRIPTION");
    }

    private async Task TimedAsync(Run run, Func<Task> action, bool countAsStatement = true)
    {
        var started = _clock.Elapsed;
        _clock.Start();
        try
        {
            await action().ConfigureAwait(false);
        }
        catch
        {
            run.Failed = true;
            throw;
        }
        finally
        {
            _clock.Stop();
            if (countAsStatement)
            {
                run.DurationMs += (_clock.Elapsed - started).TotalMilliseconds;
            }
        }
    }

    /// <summary>Reads the backend's locks, new storage and row counts after a statement, inside its transaction.</summary>
    private async Task<Dictionary<long, (long Read, long Written)>> ObserveAsync(
        NpgsqlConnection connection, Run run, TimeSpan start, Dictionary<long, (long Read, long Written)> statsBefore, CancellationToken ct)
    {
        var locks = await ReadLocksAsync(connection, connection.ProcessID, ct).ConfigureAwait(false);
        var fileNodes = _relations.ToDictionary(r => r.Key, r => r.Value.FileNode);
        await LoadRelationsAsync(connection, locks.Select(l => l.Oid).Distinct().ToArray(), ct).ConfigureAwait(false);
        foreach (var (oid, mode) in Strongest(locks))
        {
            if (_held.Any(h => h.Oid == oid && h.Mode >= mode) || !_relations.ContainsKey(oid))
            {
                continue; // held since an earlier statement of the transaction; or a transient relation (a rewrite's scratch heap)
            }

            _held.Add(new HeldLock(run, oid, mode, start, _visible.Contains(oid), "observed"));
        }

        var statsAfter = await ReadStatsAsync(connection, ct).ConfigureAwait(false);
        var truncate = run.Statement.Keywords.Count > 0 && run.Statement.Keywords[0] == "TRUNCATE";
        foreach (var oid in statsAfter.Keys.Union(locks.Select(l => l.Oid)).Distinct())
        {
            if (!_relations.TryGetValue(oid, out var relation) || relation.Kind is not ("r" or "m"))
            {
                continue;
            }

            var rewritten = !truncate && fileNodes.TryGetValue(oid, out var before) && before != 0 && before != relation.FileNode;
            var (read, written) = statsAfter.GetValueOrDefault(oid);
            var (read0, written0) = statsBefore.GetValueOrDefault(oid);
            if (rewritten || read > read0 || written > written0)
            {
                run.Tables.Add(new TableWork(relation.Name, rewritten, Math.Max(0, read - read0), Math.Max(0, written - written0)));
            }
        }

        return statsAfter;
    }

    /// <summary>
    /// Runs a statement that cannot be wrapped while an observer connection polls pg_locks for the script's backend;
    /// adds the documented lock of CONCURRENTLY and VACUUM statements that ended before a sample saw them.
    /// </summary>
    private async Task SampleAsync(NpgsqlConnection connection, Run run, Func<Task> execute, CancellationToken ct)
    {
        var pid = connection.ProcessID;
        var before = _relations.Keys.ToHashSet();
        var seen = new Dictionary<long, int>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sampler = Task.Run(() => PollAsync(pid, seen, stop.Token), CancellationToken.None);
        var start = _clock.Elapsed;
        try
        {
            await TimedAsync(run, execute).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await sampler.ConfigureAwait(false);
        }

        // New relations (CREATE INDEX CONCURRENTLY's index) and dropped ones name the statement's table.
        await LoadRelationsAsync(connection, null, ct).ConfigureAwait(false);
        var targets = _relations.Keys.Except(before).Concat(before.Where(oid => !_relations[oid].Present))
            .Select(oid => _relations[oid].Table).Distinct(StringComparer.Ordinal).ToList();
        foreach (var (oid, mode) in seen)
        {
            if (_relations.ContainsKey(oid))
            {
                _held.Add(new HeldLock(run, oid, mode, start, _visible.Contains(oid), "sampled"));
            }
        }

        if (DocumentedLock(run.Statement) is { } documented)
        {
            foreach (var table in targets)
            {
                if (!_held.Any(h => h.Run == run && string.Equals(_relations[h.Oid].Table, table, StringComparison.Ordinal)))
                {
                    var oid = _relations.First(r => r.Value.Name == table).Key;
                    _held.Add(new HeldLock(run, oid, documented, start, _visible.Contains(oid), "documented"));
                }
            }

            if (targets.Count == 0)
            {
                run.Note = $"takes {PostgresLockModes.Name(documented)} on the tables it works on (documented); none was identified";
            }
        }

        run.Note ??= "not wrapped in a transaction (it cannot run in one, or manages its own): locks sampled every few ms";
        _visible.UnionWith(_relations.Where(r => r.Value.Present).Select(r => r.Key));
        EndTransaction(true, "statement end", null);
    }

    private async Task PollAsync(int pid, Dictionary<long, int> seen, CancellationToken stop)
    {
        try
        {
            var connection = await instance.OpenReadingConnectionAsync(stop).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                while (!stop.IsCancellationRequested)
                {
                    foreach (var (oid, mode) in Strongest(await ReadLocksAsync(connection, pid, stop).ConfigureAwait(false)))
                    {
                        lock (seen)
                        {
                            seen[oid] = Math.Max(seen.GetValueOrDefault(oid), mode);
                        }
                    }

                    await Task.Delay(SampleInterval, stop).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or NpgsqlException)
        {
            // Sampling ends with the statement; a failed sample only means fewer locks seen (the documented lock remains).
        }
    }

    /// <summary>The lock PostgreSQL documents for statements the observer cannot wrap, or null.</summary>
    private static int? DocumentedLock(SqlStatement statement)
    {
        var words = statement.Keywords;
        if (words.Contains("CONCURRENTLY") || (words.Count > 0 && words[0] == "VACUUM" && !words.Contains("FULL")))
        {
            return PostgresLockModes.ShareUpdateExclusive;
        }

        return words.Count > 0 && words[0] == "VACUUM" ? PostgresLockModes.AccessExclusive : null;
    }

    private void EndTransaction(bool committed, string until, int? releasedAt)
    {
        var end = _clock.Elapsed;
        foreach (var held in _held)
        {
            var relation = _relations[held.Oid];
            held.Run.Locks.Add(new RelationLock(
                relation.Name,
                PostgresLockModes.KindName(relation.Kind),
                relation.Table,
                PostgresLockModes.Name(held.Mode),
                PostgresLockModes.BlocksReads(held.Mode),
                PostgresLockModes.BlocksWrites(held.Mode),
                held.Visible,
                Math.Round((end - held.Start).TotalMilliseconds, 2),
                releasedAt,
                until,
                held.Source));
        }

        _held.Clear();
        _transactionStats = null;
        if (committed)
        {
            _visible.UnionWith(_relations.Where(r => r.Value.Present).Select(r => r.Key));
        }
    }

    /// <summary>Merges the current catalog rows of the given relations (all when null) into the cache; relations gone keep their last name.</summary>
    private async Task LoadRelationsAsync(NpgsqlConnection connection, long[]? oids, CancellationToken ct)
    {
        var found = new HashSet<long>();
        var command = new NpgsqlCommand(SqlResources.Load("analysis.relations.sql"), connection);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)oids?.Select(o => (uint)o).ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Oid });
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var oid = reader.GetInt64(0);
                    var name = reader.GetString(1) + "." + reader.GetString(2);
                    var table = reader.IsDBNull(6) ? name : reader.GetString(5) + "." + reader.GetString(6);
                    _relations[oid] = new RelationInfo(name, reader.GetString(3), reader.GetInt64(4), table, true);
                    found.Add(oid);
                }
            }
        }

        if (oids is null)
        {
            foreach (var oid in _relations.Keys.Where(o => !found.Contains(o)).ToList())
            {
                _relations[oid] = _relations[oid] with { Present = false };
            }
        }
    }

    private static async Task<List<(long Oid, int Mode)>> ReadLocksAsync(NpgsqlConnection connection, int pid, CancellationToken ct)
    {
        var locks = new List<(long, int)>();
        var command = new NpgsqlCommand(SqlResources.Load("analysis.locks.sql"), connection);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = pid });
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    locks.Add((reader.GetInt64(0), PostgresLockModes.Strength(reader.GetString(1))));
                }
            }
        }

        return locks;
    }

    private static async Task<Dictionary<long, (long Read, long Written)>> ReadStatsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var stats = new Dictionary<long, (long, long)>();
        var command = new NpgsqlCommand(SqlResources.Load("analysis.xact_stats.sql"), connection);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    stats[reader.GetInt64(0)] = (reader.GetInt64(1), reader.GetInt64(2));
                }
            }
        }

        return stats;
    }

    private static async Task ExecuteRawAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        var command = new NpgsqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    private static IEnumerable<(long Oid, int Mode)> Strongest(IEnumerable<(long Oid, int Mode)> locks) =>
        locks.GroupBy(l => l.Oid).Select(g => (g.Key, g.Max(l => l.Mode)));

    /// <summary>A relation as last seen: schema.name, relkind, storage file, the table it belongs to, still in the catalog.</summary>
    private sealed record RelationInfo(string Name, string Kind, long FileNode, string Table, bool Present);

    /// <summary>A lock held in the open transaction since <see cref="Start"/> (the start of the statement that took it).</summary>
    private sealed record HeldLock(Run Run, long Oid, int Mode, TimeSpan Start, bool Visible, string Source);

    /// <summary>What is known about one statement while the script runs.</summary>
    private sealed class Run(SqlStatement statement, bool inTransaction)
    {
        public SqlStatement Statement { get; } = statement;

        public double DurationMs { get; set; }

        public bool Failed { get; set; }

        public string? Note { get; set; }

        public List<RelationLock> Locks { get; } = [];

        public List<TableWork> Tables { get; } = [];

        public StatementRun Build(string file) => new(Statement.Number, Statement.Line, file, Statement.Summary, Math.Round(DurationMs, 2), inTransaction)
        {
            Locks = Locks.OrderByDescending(l => l.BlocksReads).ThenByDescending(l => l.BlocksWrites).ThenBy(l => l.Relation, StringComparer.Ordinal).ToList(),
            Tables = Tables,
            Failed = Failed,
            Note = Note,
        };
    }
}

/// <summary>PostgreSQL's table-level lock modes, weakest to strongest, and what they conflict with.</summary>
internal static class PostgresLockModes
{
    public const int ShareUpdateExclusive = 4;
    public const int AccessExclusive = 8;

    private static readonly string[] Modes =
    [
        "", "AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock",
    ];

    private static readonly string[] Names =
    [
        "", "ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE", "SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE",
    ];

    /// <summary>1 (ACCESS SHARE) to 8 (ACCESS EXCLUSIVE) for pg_locks' mode names; 0 for anything else.</summary>
    public static int Strength(string mode) => Math.Max(0, Array.IndexOf(Modes, mode));

    /// <summary>The mode as the documentation and LOCK TABLE name it.</summary>
    public static string Name(int strength) => strength is > 0 and < 9 ? Names[strength] : "unknown";

    /// <summary>Only ACCESS EXCLUSIVE conflicts with ACCESS SHARE, the lock of a plain SELECT.</summary>
    public static bool BlocksReads(int strength) => strength == AccessExclusive;

    /// <summary>SHARE and stronger conflict with ROW EXCLUSIVE, the lock of INSERT/UPDATE/DELETE.</summary>
    public static bool BlocksWrites(int strength) => strength >= 5;

    public static string KindName(string relkind) => relkind switch
    {
        "r" => "table",
        "p" => "partitioned table",
        "i" or "I" => "index",
        "S" => "sequence",
        "v" => "view",
        "m" => "materialized view",
        "f" => "foreign table",
        _ => "other",
    };
}
