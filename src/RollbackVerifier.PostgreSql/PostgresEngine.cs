using System.Collections.Concurrent;
using Npgsql;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;

namespace RollbackVerifier.PostgreSql;

/// <summary>
/// PostgreSQL through Npgsql. Without a server URL the engine starts one labelled Testcontainers container on first use
/// (image <see cref="EngineSettings.Image"/>, default <see cref="DefaultImage"/>) and creates a database per scenario on
/// it; <see cref="IsolationMode.Container"/> gives a scenario a container of its own. With a server URL it uses that
/// server and touches only the <c>rv_</c> databases it created and marked. Disposing drops every database still open
/// and removes the containers.
/// </summary>
public sealed class PostgresEngine : IDatabaseEngine
{
    /// <summary>The official image real users get by default.</summary>
    public const string DefaultImage = "postgres:17";

    /// <summary>NAMEDATALEN - 1.</summary>
    public const int MaxIdentifierLength = 63;

    private readonly EngineSettings _settings;
    private readonly NpgsqlConnectionStringBuilder? _existingServer;
    private readonly PostgresDialect _dialect = new();
    private readonly SemaphoreSlim _serverLock = new(1, 1);
    private readonly ConcurrentDictionary<PostgresInstance, byte> _instances = new();
    private PostgresServer? _sharedServer;
    private int _disposed;

    /// <exception cref="ArgumentException">The server URL is neither a PostgreSQL URL nor a connection string.</exception>
    public PostgresEngine(EngineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _existingServer = settings.ServerUrl is null ? null : PostgresServerUrl.Parse(settings.ServerUrl);
        Image = settings.Image ?? DefaultImage;
    }

    public EngineKind Kind => EngineKind.Postgres;

    public IDialect Dialect => _dialect;

    /// <summary>The container image (unused with an existing server).</summary>
    public string Image { get; }

    public string Description => _existingServer is null ? $"container {Image}" : PostgresServerUrl.Describe(_existingServer);

    public async Task<IDatabaseInstance> CreateDatabaseAsync(DatabaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        var name = DatabaseNames.Create(request.ScenarioName, _settings.RunId, MaxIdentifierLength);

        PostgresInstance instance;
        if (request.Isolation == IsolationMode.Container)
        {
            if (_existingServer is not null)
            {
                throw new EngineUnavailableException(
                    $"Scenario '{request.ScenarioName}' asks for container isolation (it touches server-wide objects such as roles), "
                    + $"but PostgreSQL is configured to use the existing server {Description}; unset RV_POSTGRES_URL to let it run in a container.");
            }

            var server = await PostgresServer.StartContainerAsync(Image, _settings.RunId, cancellationToken).ConfigureAwait(false);
            try
            {
                await server.CreateDatabaseAsync(name, _settings.RunId, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            instance = new PostgresInstance(_dialect, name, server, async i =>
            {
                _instances.TryRemove(i, out _);

                // The container goes with the instance: dropping the database first would only cost time.
                await server.DisposeAsync().ConfigureAwait(false);
            });
        }
        else
        {
            var server = await GetSharedServerAsync(cancellationToken).ConfigureAwait(false);
            await server.CreateDatabaseAsync(name, _settings.RunId, cancellationToken).ConfigureAwait(false);
            instance = new PostgresInstance(_dialect, name, server, async i =>
            {
                _instances.TryRemove(i, out _);
                await DropQuietlyAsync(server, i.DatabaseName).ConfigureAwait(false);
            });
        }

        _instances[instance] = 0;
        if (Volatile.Read(ref _disposed) == 1 || cancellationToken.IsCancellationRequested)
        {
            await instance.DisposeAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new ObjectDisposedException(nameof(PostgresEngine));
        }

        return instance;
    }

    /// <summary>
    /// Drops a database of this run on the shared server. Refuses (throws) unless its name has the <c>rv_</c> prefix and
    /// it carries this run's marker comment.
    /// </summary>
    /// <exception cref="RollbackVerifierException">The database is not provably one this run created.</exception>
    public async Task DropDatabaseAsync(string databaseName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(databaseName);
        var server = await GetSharedServerAsync(cancellationToken).ConfigureAwait(false);
        await server.DropDatabaseAsync(databaseName, _settings.RunId, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var instance in _instances.Keys)
        {
            try
            {
                await instance.DisposeAsync().ConfigureAwait(false);
            }
            catch (RollbackVerifierException ex)
            {
                PostgresInstance.TraceCleanupFailure($"database {instance.DatabaseName} left in place", ex);
            }
        }

        await _serverLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var server = Interlocked.Exchange(ref _sharedServer, null);
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _serverLock.Release();
            _serverLock.Dispose();
        }
    }

    private async Task<PostgresServer> GetSharedServerAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _sharedServer) is { } existing)
        {
            return existing;
        }

        await _serverLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
            if (_sharedServer is not null)
            {
                return _sharedServer;
            }

            var server = _existingServer is null
                ? await PostgresServer.StartContainerAsync(Image, _settings.RunId, cancellationToken).ConfigureAwait(false)
                : await PostgresServer.ConnectAsync(_existingServer, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _sharedServer, server);
            return server;
        }
        finally
        {
            _serverLock.Release();
        }
    }

    /// <summary>Drops a database; a server error is logged (cleanup must not mask results), a refusal is thrown.</summary>
    private async Task DropQuietlyAsync(PostgresServer server, string databaseName)
    {
        try
        {
            await server.DropDatabaseAsync(databaseName, _settings.RunId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or ObjectDisposedException)
        {
            PostgresInstance.TraceCleanupFailure($"could not drop PostgreSQL database {databaseName}", ex);
        }
    }
}
