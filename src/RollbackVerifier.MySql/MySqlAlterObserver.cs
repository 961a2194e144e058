using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MySqlConnector;
using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Analysis;

namespace RollbackVerifier.MySql;

/// <summary>
/// Finds out how each ALTER TABLE, CREATE INDEX and DROP INDEX of a rollback runs on MySQL/MariaDB: as a copy (the
/// table is rebuilt row by row while writes wait), in place (online; with or without a rebuild), or instantly
/// (metadata only). The statement is first sent with ALGORITHM=INSTANT, then NOCOPY (MariaDB) and INPLACE appended;
/// the server refuses an algorithm it cannot use before changing anything (errors 1845/1846), and with the default
/// ALGORITHM it would itself pick the first one it supports, so the first one accepted is both what the statement does
/// and what it did. Refused by all, the statement runs as written: a copy. Statements that name their ALGORITHM, run
/// under a session alter_algorithm/old_alter_table, or that the clause cannot be appended to, run as written and are
/// classified from the rows the server reports copied and whether the InnoDB table id changed (a rebuild).
/// </summary>
internal sealed partial class MySqlAlterObserver(bool isMariaDb) : IRollbackObserver
{
    /// <summary>ER_ALTER_OPERATION_NOT_SUPPORTED and ER_ALTER_OPERATION_NOT_SUPPORTED_REASON.</summary>
    private static readonly HashSet<int> Refusals = [1845, 1846];

    private const int SyntaxError = 1064;

    private readonly List<StatementRun> _runs = [];

    public async Task ExecuteAsync(StatementStep step, Func<string, CancellationToken, Task<int>> execute, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(execute);
        var statement = step.Statement;
        var watch = new Stopwatch();
        var run = new StatementRun(statement.Number, statement.Line, string.Empty, statement.Summary, 0, step.InTransaction);
        var target = MySqlAlterTarget.Parse(statement.Text);
        try
        {
            if (target is null)
            {
                watch.Start();
                await execute(statement.Text, cancellationToken).ConfigureAwait(false);
                watch.Stop();
                _runs.Add(run with { DurationMs = Ms(watch) });
                return;
            }

            var connection = (MySqlConnection)step.Connection;
            var before = await TableIdAsync(connection, step.Transaction, target.Table, cancellationToken).ConfigureAwait(false);
            var (algorithm, rows, method, reason) = await RunAsync(connection, step.Transaction, target, statement.Text, execute, watch, cancellationToken).ConfigureAwait(false);
            var after = await TableIdAsync(connection, step.Transaction, target.Table, cancellationToken).ConfigureAwait(false);
            bool? rebuilt = before is null || after is null ? null : before != after;
            if (algorithm == "nocopy")
            {
                (algorithm, rebuilt) = ("inplace", rebuilt ?? false);
            }
            else if (algorithm == "copy")
            {
                rebuilt ??= true;
            }
            else if (method == "observed")
            {
                // A copy goes through the SQL layer and reports the rows it wrote; an in-place change reports none.
                algorithm = rows > 0 ? "copy" : "inplace";
            }

            _runs.Add(run with { DurationMs = Ms(watch), Alter = new AlterAlgorithm(target.Table, algorithm, rebuilt, rows, method, reason) });
        }
        catch (DbException)
        {
            _runs.Add(run with { DurationMs = Ms(watch), Failed = true });
            throw;
        }
    }

    public Task AfterAsync(StatementStep step, bool transactionOpen, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task CommitAsync(Func<Task> commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        await commit().ConfigureAwait(false);
    }

    public IReadOnlyList<StatementRun> Finish(string file) => _runs.Select(r => r with { File = file }).ToList();

    private async Task<(string Algorithm, long Rows, string Method, string? Reason)> RunAsync(
        MySqlConnection connection, DbTransaction? transaction, MySqlAlterTarget target, string text, Func<string, CancellationToken, Task<int>> execute, Stopwatch watch, CancellationToken ct)
    {
        if (target.DeclaredAlgorithm is { } declared)
        {
            var affected = await TimedAsync(watch, () => execute(text, ct)).ConfigureAwait(false);
            return (declared == "default" ? "unknown" : declared, affected, declared == "default" ? "observed" : "declared", null);
        }

        if (!target.CanAppendAlgorithm || !await DefaultAlgorithmAsync(connection, transaction, ct).ConfigureAwait(false))
        {
            return ("unknown", await TimedAsync(watch, () => execute(text, ct)).ConfigureAwait(false), "observed", null);
        }

        // MySQL refuses ALGORITHM=INSTANT with any LOCK clause; MariaDB has NOCOPY (in place without a rebuild).
        string[] trials = isMariaDb ? ["INSTANT", "NOCOPY", "INPLACE"] : target.HasLock ? ["INPLACE"] : ["INSTANT", "INPLACE"];
        string? reason = null;
        foreach (var algorithm in trials)
        {
            try
            {
                var affected = await TimedAsync(watch, () => execute(target.WithAlgorithm(text, algorithm), ct)).ConfigureAwait(false);
                return (algorithm.ToLowerInvariant(), affected, "tried", reason);
            }
            catch (MySqlException ex) when (Refusals.Contains(ex.Number) || (ex.Number != SyntaxError && RefusalText().IsMatch(ex.Message)))
            {
                reason = Reason(ex.Message) ?? reason;
                watch.Reset();
            }
            catch (MySqlException ex) when (ex.Number == SyntaxError)
            {
                // The clause does not fit this statement's grammar (a partition clause last, an old server): run it as written.
                watch.Reset();
                return ("unknown", await TimedAsync(watch, () => execute(text, ct)).ConfigureAwait(false), "observed", null);
            }
        }

        return ("copy", await TimedAsync(watch, () => execute(text, ct)).ConfigureAwait(false), "tried", reason);
    }

    /// <summary>True when the session leaves the choice of algorithm to the server (no alter_algorithm / old_alter_table).</summary>
    private async Task<bool> DefaultAlgorithmAsync(MySqlConnection connection, DbTransaction? transaction, CancellationToken ct)
    {
        var sql = isMariaDb ? "SELECT @@session.alter_algorithm, @@session.old_alter_table" : "SELECT 'DEFAULT', @@session.old_alter_table";
        var command = new MySqlCommand(sql, connection, (MySqlTransaction?)transaction);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(ct).ConfigureAwait(false);
                var algorithm = Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture);
                var old = Convert.ToString(reader.GetValue(1), CultureInfo.InvariantCulture);
                return string.Equals(algorithm, "DEFAULT", StringComparison.OrdinalIgnoreCase) && old is "0" or "OFF" or "DEFAULT";
            }
        }
    }

    /// <summary>The InnoDB table id (a rebuild gives the table a new one), or null when it cannot be read (privileges, another engine).</summary>
    private async Task<long?> TableIdAsync(MySqlConnection connection, DbTransaction? transaction, string table, CancellationToken ct)
    {
        var view = isMariaDb ? "information_schema.INNODB_SYS_TABLES" : "information_schema.INNODB_TABLES";
        var command = new MySqlCommand($"SELECT TABLE_ID FROM {view} WHERE NAME = CONCAT(DATABASE(), '/', @name)", connection, (MySqlTransaction?)transaction);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("@name", InnoDbFileName(table));
            try
            {
                return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is { } id and not DBNull ? Convert.ToInt64(id, CultureInfo.InvariantCulture) : null;
            }
            catch (MySqlException)
            {
                return null;
            }
        }
    }

    /// <summary>InnoDB names tables by their file name: ASCII letters, digits and _ as they are, everything else as @xxxx.</summary>
    internal static string InnoDbFileName(string name) =>
        string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c.ToString() : "@" + ((int)c).ToString("x4", CultureInfo.InvariantCulture)));

    private static async Task<long> TimedAsync(Stopwatch watch, Func<Task<int>> action)
    {
        watch.Start();
        try
        {
            return await action().ConfigureAwait(false);
        }
        finally
        {
            watch.Stop();
        }
    }

    private static string? Reason(string message)
    {
        var match = ReasonText().Match(message);
        return match.Success ? match.Groups[1].Value.Trim() : null;
    }

    private static double Ms(Stopwatch watch) => Math.Round(watch.Elapsed.TotalMilliseconds, 2);

    [GeneratedRegex(@"ALGORITHM=\w+ is not supported", RegexOptions.IgnoreCase)]
    private static partial Regex RefusalText();

    [GeneratedRegex(@"Reason: (.*?)\. Try ALGORITHM", RegexOptions.IgnoreCase)]
    private static partial Regex ReasonText();
}
