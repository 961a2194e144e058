using System.Data.Common;
using System.Globalization;
using RollbackVerifier.Model;

namespace RollbackVerifier.Preflight;

/// <summary>
/// A read-only session on a database, for running checklist queries against production. Two locks: every statement
/// passes <see cref="ReadOnlyGuard"/> before it is sent, and the server itself is told the session and its
/// transaction are read-only (and to bound statement time and lock waits); the session verifies the server agrees
/// before it runs anything. All checks read one snapshot. Disposing rolls the transaction back.
/// </summary>
public sealed class PreflightSession : IAsyncDisposable
{
    private readonly DbConnection _connection;
    private readonly IPreflightDialect _dialect;
    private readonly PreflightLimits _limits;
    private readonly string? _serverVersion;
    private readonly bool _resetOnDispose;
    private bool _inTransaction;

    private PreflightSession(DbConnection connection, IPreflightDialect dialect, PreflightLimits limits, string? serverVersion, bool resetOnDispose)
    {
        _connection = connection;
        _dialect = dialect;
        _limits = limits;
        _serverVersion = serverVersion;
        _resetOnDispose = resetOnDispose;
    }

    /// <summary>For tests only: sends statements without the guard, to show the server refuses writes on its own.</summary>
    internal bool BypassGuard { get; set; }

    /// <summary>
    /// Makes <paramref name="connection"/> (open) read-only on the server and starts the read-only transaction.
    /// <paramref name="resetOnDispose"/> undoes the session settings afterwards, for a connection that is used again.
    /// </summary>
    /// <exception cref="RollbackVerifierException">The server does not report the session as read-only.</exception>
    public static async Task<PreflightSession> BeginAsync(DbConnection connection, IPreflightDialect dialect, PreflightLimits limits, string? serverVersion, bool resetOnDispose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(limits);
        var session = new PreflightSession(connection, dialect, limits, serverVersion, resetOnDispose);
        try
        {
            foreach (var statement in dialect.ReadOnlySession(limits, serverVersion))
            {
                await session.ExecuteTrustedAsync(statement, cancellationToken).ConfigureAwait(false);
            }

            await session.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var probe = await session.ScalarTrustedAsync(dialect.ReadOnlyProbe(serverVersion), cancellationToken).ConfigureAwait(false);
            if (!IsTrue(probe))
            {
                throw new RollbackVerifierException($"The {dialect.Kind.ToName()} server does not report the session as read-only ({dialect.ReadOnlyProbe(serverVersion)} returned {probe ?? "NULL"}); no check was run.");
            }
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return session;
    }

    /// <summary>Runs one check: refused without reaching the server unless it is a plain read; server errors and timeouts become the outcome's error.</summary>
    public async Task<CheckOutcome> RunAsync(PreflightCheck check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        var decision = BypassGuard ? GuardDecision.Allow : ReadOnlyGuard.Check(check.Sql, _dialect);
        if (!decision.Allowed)
        {
            return new CheckOutcome(check.Id, null, [], $"refused before reaching the server: {decision.Reason}") { Refused = true };
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_limits.Statement + TimeSpan.FromSeconds(5)); // the server's own limit should fire first
        try
        {
            using (_dialect.InterruptOnCancel(_connection, timeout.Token))
            {
                return await ReadAsync(check, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (DbException ex)
        {
            var error = _dialect.DescribeError(ex);
            await RestartTransactionAsync(cancellationToken).ConfigureAwait(false);
            return new CheckOutcome(check.Id, null, [], _dialect.IsReadOnlyRefusal(error)
                ? $"refused by the server (read-only session): {error.Code} {error.Message}"
                : $"{error.Code}: {error.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await RestartTransactionAsync(cancellationToken).ConfigureAwait(false);
            return new CheckOutcome(check.Id, null, [], $"timed out after {_limits.Statement.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s");
        }
    }

    /// <summary>Runs every check of <paramref name="checklist"/> in order.</summary>
    public async Task<IReadOnlyList<CheckOutcome>> RunAllAsync(Checklist checklist, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checklist);
        var outcomes = new List<CheckOutcome>();
        foreach (var check in checklist.Checks)
        {
            outcomes.Add(await RunAsync(check, cancellationToken).ConfigureAwait(false));
        }

        return outcomes;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_inTransaction)
            {
                _inTransaction = false;
                await ExecuteTrustedAsync("ROLLBACK", CancellationToken.None).ConfigureAwait(false);
            }

            if (_resetOnDispose)
            {
                foreach (var statement in _dialect.ResetSession(_serverVersion))
                {
                    await ExecuteTrustedAsync(statement, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        catch (DbException)
        {
            // A broken connection has no session left to reset; the caller disposes it.
        }
    }

    private async Task<CheckOutcome> ReadAsync(PreflightCheck check, CancellationToken ct)
    {
        var command = _connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = check.Sql;
            command.CommandTimeout = (int)Math.Ceiling(_limits.Statement.TotalSeconds) + 5;
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                long? count = null;
                var samples = new List<string>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    count ??= Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
                    var parts = new List<string>();
                    var allNull = true;
                    for (var i = 1; i < reader.FieldCount; i++)
                    {
                        var value = reader.IsDBNull(i) ? null : CanonicalValue.Format(reader.GetValue(i));
                        allNull &= value is null;
                        parts.Add($"{reader.GetName(i)}={Shorten(value) ?? "NULL"}");
                    }

                    if (!allNull && samples.Count < ChecklistSql.SampleSize)
                    {
                        samples.Add(string.Join(", ", parts));
                    }
                }

                return new CheckOutcome(check.Id, count ?? 0, samples, null);
            }
        }
    }

    private async Task BeginTransactionAsync(CancellationToken ct)
    {
        if (_dialect.BeginReadOnly is { } begin)
        {
            await ExecuteTrustedAsync(begin, ct).ConfigureAwait(false);
            _inTransaction = true;
        }
    }

    /// <summary>After a failed check (PostgreSQL aborts the transaction), start a fresh read-only transaction.</summary>
    private async Task RestartTransactionAsync(CancellationToken ct)
    {
        if (_connection.State != System.Data.ConnectionState.Open)
        {
            return;
        }

        if (_inTransaction)
        {
            _inTransaction = false;
            await ExecuteTrustedAsync("ROLLBACK", ct).ConfigureAwait(false);
            await BeginTransactionAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Session setup and transaction control written by this tool (constants of the dialect), never checklist input.</summary>
    private async Task ExecuteTrustedAsync(string sql, CancellationToken ct)
    {
        var command = _connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    private async Task<string?> ScalarTrustedAsync(string sql, CancellationToken ct)
    {
        var command = _connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            return CanonicalValue.Format(await command.ExecuteScalarAsync(ct).ConfigureAwait(false));
        }
    }

    private static bool IsTrue(string? value) => value is not null && (value == "1" || value.Equals("on", StringComparison.OrdinalIgnoreCase) || value.Equals("true", StringComparison.OrdinalIgnoreCase));

    private static string? Shorten(string? value) => value is { Length: > 60 } ? value[..57] + "..." : value;
}
