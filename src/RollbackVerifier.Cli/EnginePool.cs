using RollbackVerifier.Execution;
using RollbackVerifier.Model;

namespace RollbackVerifier.Cli;

/// <summary>
/// The engines of one run, created on first use and disposed together. Each engine's first shared-server database is
/// created alone: concurrent scenarios wait for it instead of racing to start the same container, and when the engine
/// turns out to be unavailable they are reported as not run without trying again (once per engine, not per scenario).
/// </summary>
internal sealed class EnginePool(EngineRegistry registry, Func<EngineKind, EngineSettings> settingsFor) : IAsyncDisposable
{
    private readonly Dictionary<EngineKind, GatedEngine> _engines = [];
    private readonly Lock _lock = new();

    /// <summary>The engine of a kind (created on first call).</summary>
    public IDatabaseEngine Get(EngineKind kind)
    {
        lock (_lock)
        {
            if (!_engines.TryGetValue(kind, out var engine))
            {
                engine = new GatedEngine(CliSecrets.CreateEngine(registry, kind, settingsFor(kind)));
                _engines[kind] = engine;
            }

            return engine;
        }
    }

    /// <summary>Why the engine is unavailable, once it has failed to start; null while it works or has not been tried.</summary>
    public string? Unavailable(EngineKind kind)
    {
        lock (_lock)
        {
            return _engines.TryGetValue(kind, out var engine) ? engine.Failure?.Message : null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<GatedEngine> engines;
        lock (_lock)
        {
            engines = [.. _engines.Values];
            _engines.Clear();
        }

        foreach (var engine in engines)
        {
            await engine.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Serialises the first shared-server database of an engine and remembers when it could not be provided.</summary>
    private sealed class GatedEngine(IDatabaseEngine inner) : IDatabaseEngine
    {
        private readonly SemaphoreSlim _first = new(1, 1);
        private volatile bool _started;

        public EngineUnavailableException? Failure { get; private set; }

        public EngineKind Kind => inner.Kind;

        public IDialect Dialect => inner.Dialect;

        public string Description => inner.Description;

        public async Task<IDatabaseInstance> CreateDatabaseAsync(DatabaseRequest request, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(request);

            // Container isolation starts a container of its own; its failure says nothing about the shared server.
            if (request.Isolation != IsolationMode.Database || _started)
            {
                return await inner.CreateDatabaseAsync(request, cancellationToken).ConfigureAwait(false);
            }

            await _first.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (Failure is { } failure)
                {
                    throw new EngineUnavailableException(failure.Message, failure);
                }

                var database = await inner.CreateDatabaseAsync(request, cancellationToken).ConfigureAwait(false);
                _started = true;
                return database;
            }
            catch (EngineUnavailableException ex) when (Failure is null)
            {
                Failure = ex;
                throw;
            }
            finally
            {
                _first.Release();
            }
        }

        public async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync().ConfigureAwait(false);
            _first.Dispose();
        }
    }
}
