using System.Collections.Concurrent;
using System.Diagnostics;
using RollbackVerifier.Model;

namespace RollbackVerifier.Execution;

/// <summary>A database server an engine creates throwaway databases on: a container it started, or an existing server.</summary>
public interface IDatabaseServer : IAsyncDisposable
{
    /// <summary>Creates a database and marks it as this run's.</summary>
    Task CreateDatabaseAsync(string databaseName, string runId, CancellationToken cancellationToken);

    /// <summary>Drops a database after checking the prefix and this run's marker; refuses (throws) otherwise.</summary>
    Task DropDatabaseAsync(string databaseName, string runId, CancellationToken cancellationToken);
}

/// <summary>
/// The lifecycle shared by server engines (PostgreSQL, MySQL): one server per run, started lazily and thread-safely
/// (a container, or a connection to an existing server), a fresh database per scenario, a container of its own for
/// container isolation, and disposal that drops every database still open and removes every container, even after
/// cancellation. Engines supply the server and the instance.
/// </summary>
public abstract class ServerEngine : IDatabaseEngine
{
    private readonly SemaphoreSlim _serverLock = new(1, 1);
    private readonly ConcurrentDictionary<IDatabaseInstance, byte> _instances = new();
    private IDatabaseServer? _sharedServer;
    private int _disposed;

    protected ServerEngine(EngineSettings settings, string defaultImage)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        Image = settings.Image ?? defaultImage;
    }

    public abstract EngineKind Kind { get; }

    public abstract IDialect Dialect { get; }

    public abstract string Description { get; }

    /// <summary>The container image (unused with an existing server).</summary>
    public string Image { get; }

    protected EngineSettings Settings { get; }

    /// <summary>The engine's identifier length limit, for database names.</summary>
    protected abstract int MaxIdentifierLength { get; }

    /// <summary>True when the engine points at an existing server instead of starting containers.</summary>
    protected abstract bool UsesExistingServer { get; }

    /// <summary>The environment variable that selects an existing server, for messages.</summary>
    protected abstract string ServerUrlVariable { get; }

    /// <summary>Starts a labelled container; one that fails to start must be removed before the error is thrown.</summary>
    protected abstract Task<IDatabaseServer> StartContainerAsync(CancellationToken cancellationToken);

    /// <summary>Connects to the existing server.</summary>
    protected abstract Task<IDatabaseServer> ConnectAsync(CancellationToken cancellationToken);

    /// <summary>Wraps a created database; <paramref name="onDispose"/> must run exactly once when the instance is disposed.</summary>
    protected abstract IDatabaseInstance CreateInstance(IDatabaseServer server, string databaseName, Func<IDatabaseInstance, Task> onDispose);

    /// <summary>True for the provider's errors that cleanup may swallow (after tracing them).</summary>
    protected abstract bool IsCleanupError(Exception exception);

    public async Task<IDatabaseInstance> CreateDatabaseAsync(DatabaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        var name = DatabaseNames.Create(request.ScenarioName, Settings.RunId, MaxIdentifierLength);

        IDatabaseInstance instance;
        if (request.Isolation == IsolationMode.Container)
        {
            if (UsesExistingServer)
            {
                throw new EngineUnavailableException(
                    $"Scenario '{request.ScenarioName}' asks for container isolation (it touches server-wide objects such as roles), "
                    + $"but {Kind.ToName()} is configured to use the existing server {Description}; unset {ServerUrlVariable} to let it run in a container.");
            }

            var server = await StartContainerAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await server.CreateDatabaseAsync(name, Settings.RunId, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            // The container goes with the instance: dropping the database first would only cost time.
            instance = CreateInstance(server, name, async i =>
            {
                _instances.TryRemove(i, out _);
                await server.DisposeAsync().ConfigureAwait(false);
            });
        }
        else
        {
            var server = await GetSharedServerAsync(cancellationToken).ConfigureAwait(false);
            await server.CreateDatabaseAsync(name, Settings.RunId, cancellationToken).ConfigureAwait(false);
            instance = CreateInstance(server, name, async i =>
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
            throw new ObjectDisposedException(GetType().Name);
        }

        return instance;
    }

    /// <summary>Drops a database of this run on the shared server; refuses databases without the prefix and this run's marker.</summary>
    /// <exception cref="RollbackVerifierException">The database is not provably one this run created.</exception>
    public async Task DropDatabaseAsync(string databaseName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(databaseName);
        var server = await GetSharedServerAsync(cancellationToken).ConfigureAwait(false);
        await server.DropDatabaseAsync(databaseName, Settings.RunId, cancellationToken).ConfigureAwait(false);
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
                TraceCleanupFailure($"database {instance.DatabaseName} left in place", ex);
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

        GC.SuppressFinalize(this);
    }

    /// <summary>Cleanup must not mask a run's result; failures are traced (labels let `docker ps` find what is left).</summary>
    protected static void TraceCleanupFailure(string what, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Trace.TraceWarning(Reporting.Secrets.Redact($"RollbackVerifier: {what}: {exception.Message}"));
    }

    private async Task<IDatabaseServer> GetSharedServerAsync(CancellationToken cancellationToken)
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

            var server = UsesExistingServer
                ? await ConnectAsync(cancellationToken).ConfigureAwait(false)
                : await StartContainerAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _sharedServer, server);
            return server;
        }
        finally
        {
            _serverLock.Release();
        }
    }

    private async Task DropQuietlyAsync(IDatabaseServer server, string databaseName)
    {
        try
        {
            await server.DropDatabaseAsync(databaseName, Settings.RunId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or ObjectDisposedException || IsCleanupError(ex))
        {
            TraceCleanupFailure($"could not drop {Kind.ToName()} database {databaseName}", ex);
        }
    }
}
