using System.Collections.Concurrent;
using MySqlConnector;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;

namespace RollbackVerifier.MySql;

/// <summary>
/// MySQL (and MariaDB standing in for it) through MySqlConnector. Without a server URL the engine starts one labelled
/// Testcontainers container on first use and creates a database per scenario; container isolation gives a scenario
/// its own container. With a server URL it touches only the rv_ databases it created and marked.
/// </summary>
public sealed class MySqlEngine : IDatabaseEngine
{
    /// <summary>The official image real users get by default.</summary>
    public const string DefaultImage = "mysql:8.4";

    /// <summary>MySQL's identifier length limit.</summary>
    public const int MaxIdentifierLength = 64;

    private readonly EngineSettings _settings;
    private readonly MySqlConnectionStringBuilder? _existingServer;
    private readonly MySqlDialect _dialect = new();
    private readonly SemaphoreSlim _serverLock = new(1, 1);
    private readonly ConcurrentDictionary<MySqlInstance, byte> _instances = new();
    private MySqlServer? _sharedServer;
    private int _disposed;

    public MySqlEngine(EngineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _existingServer = settings.ServerUrl is null ? null : MySqlServerUrl.Parse(settings.ServerUrl);
        Image = settings.Image ?? DefaultImage;
    }

    public EngineKind Kind => EngineKind.MySql;

    public IDialect Dialect => _dialect;

    public string Image { get; }

    public string Description => _existingServer is null ? $"container {Image}" : MySqlServerUrl.Describe(_existingServer);

    public async Task<IDatabaseInstance> CreateDatabaseAsync(DatabaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        var name = DatabaseNames.Create(request.ScenarioName, _settings.RunId, MaxIdentifierLength);
        MySqlInstance instance;
        if (request.Isolation == IsolationMode.Container)
        {
            if (_existingServer is not null)
            {
                throw new EngineUnavailableException($"Scenario '{request.ScenarioName}' asks for container isolation, but MySQL is configured to use the existing server {Description}; unset RV_MYSQL_URL.");
            }

            var server = await MySqlServer.StartContainerAsync(Image, _settings.RunId, cancellationToken).ConfigureAwait(false);
            try
            {
                await server.CreateDatabaseAsync(name, _settings.RunId, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            instance = new MySqlInstance(_dialect, name, server, async i =>
            {
                _instances.TryRemove(i, out _);
                await server.DisposeAsync().ConfigureAwait(false);
            });
        }
        else
        {
            var server = await GetSharedServerAsync(cancellationToken).ConfigureAwait(false);
            await server.CreateDatabaseAsync(name, _settings.RunId, cancellationToken).ConfigureAwait(false);
            instance = new MySqlInstance(_dialect, name, server, async i =>
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
            throw new ObjectDisposedException(nameof(MySqlEngine));
        }

        return instance;
    }

    /// <summary>Drops a database of this run on the shared server; refuses databases without the prefix and this run's marker.</summary>
    public async Task DropDatabaseAsync(string databaseName, CancellationToken cancellationToken)
    {
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
                MySqlInstance.TraceCleanupFailure($"database {instance.DatabaseName} left in place", ex);
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

    private async Task<MySqlServer> GetSharedServerAsync(CancellationToken cancellationToken)
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
                ? await MySqlServer.StartContainerAsync(Image, _settings.RunId, cancellationToken).ConfigureAwait(false)
                : await MySqlServer.ConnectAsync(_existingServer, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _sharedServer, server);
            return server;
        }
        finally
        {
            _serverLock.Release();
        }
    }

    private async Task DropQuietlyAsync(MySqlServer server, string databaseName)
    {
        try
        {
            await server.DropDatabaseAsync(databaseName, _settings.RunId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MySqlException or TimeoutException or ObjectDisposedException or InvalidOperationException)
        {
            MySqlInstance.TraceCleanupFailure($"could not drop MySQL database {databaseName}", ex);
        }
    }
}
