using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;

namespace RollbackVerifier.Sqlite;

/// <summary>
/// SQLite, in-process (Microsoft.Data.Sqlite). Each throwaway database is a fresh file in a per-run temporary
/// directory, <c>{temp}/rollbackverifier-{runId}/{name}.db</c>, created on first use. Disposing an instance deletes its
/// file; disposing the engine disposes the instances still open and deletes the run directory, but only when this
/// engine created it. Both isolation modes give a separate file: a file is already fully isolated.
/// </summary>
public sealed class SqliteEngine : IDatabaseEngine
{
    /// <summary>Database names (and so file names) are kept within this length.</summary>
    public const int MaxNameLength = 63;

    private readonly EngineSettings _settings;
    private readonly SqliteDialect _dialect = new();
    private readonly SemaphoreSlim _directoryLock = new(1, 1);
    private readonly ConcurrentDictionary<SqliteInstance, byte> _instances = new();
    private string? _runDirectory;
    private int _disposed;

    /// <exception cref="ArgumentException">An image or server URL is set: SQLite runs in-process and uses neither.</exception>
    public SqliteEngine(EngineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Image is not null)
        {
            throw new ArgumentException($"SQLite runs in-process and takes no container image (got '{settings.Image}'); unset RV_SQLITE_IMAGE / --sqlite-image.", nameof(settings));
        }

        if (settings.ServerUrl is not null)
        {
            throw new ArgumentException("SQLite runs in-process on temporary files and takes no server URL; unset RV_SQLITE_URL / --sqlite-url.", nameof(settings));
        }

        _settings = settings;
    }

    public EngineKind Kind => EngineKind.Sqlite;

    public IDialect Dialect => _dialect;

    public string Description => "in-process (Microsoft.Data.Sqlite, temporary files)";

    /// <summary>The run directory, once the first database has been created; null before that and after disposal.</summary>
    public string? RunDirectory => Volatile.Read(ref _runDirectory);

    public async Task<IDatabaseInstance> CreateDatabaseAsync(DatabaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        var directory = await EnsureRunDirectoryAsync(cancellationToken).ConfigureAwait(false);
        var name = DatabaseNames.Create(request.ScenarioName, _settings.RunId, MaxNameLength);
        var path = Path.Combine(directory, name + ".db");
        if (File.Exists(path))
        {
            throw new EngineUnavailableException($"SQLite database file {path} already exists; refusing to reuse it.");
        }

        try
        {
            string version;
            var connection = new SqliteConnection(SqliteInstance.BuildConnectionString(path, SqliteOpenMode.ReadWriteCreate));
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                var command = connection.CreateCommand();
                await using (command.ConfigureAwait(false))
                {
                    // A file is only written once the database has content; an empty schema change makes it real.
                    command.CommandText = "PRAGMA user_version = 0; SELECT sqlite_version();";
                    version = (string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                }
            }

            var instance = new SqliteInstance(_dialect, name, path, "SQLite " + version, i => _instances.TryRemove(i, out _));
            _instances[instance] = 0;
            if (Volatile.Read(ref _disposed) == 1)
            {
                await instance.DisposeAsync().ConfigureAwait(false);
                throw new ObjectDisposedException(nameof(SqliteEngine));
            }

            return instance;
        }
        catch (Exception ex) when (ex is not ObjectDisposedException)
        {
            SqliteInstance.DeleteFiles(path);
            if (ex is SqliteException or IOException or UnauthorizedAccessException)
            {
                throw new EngineUnavailableException($"Cannot create SQLite database {path}: {ex.Message}", ex);
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var instance in _instances.Keys)
        {
            await instance.DisposeAsync().ConfigureAwait(false);
        }

        await _directoryLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var directory = Interlocked.Exchange(ref _runDirectory, null);
            if (directory is not null)
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Trace.TraceWarning($"RollbackVerifier: could not delete SQLite run directory {directory}: {ex.Message}");
                }
            }
        }
        finally
        {
            _directoryLock.Release();
            _directoryLock.Dispose();
        }
    }

    /// <summary>
    /// Creates the run directory on first use. A directory of that name that already exists is not ours (a previous
    /// run with the same id, or someone else's), so a numbered sibling is created instead; only the directory this
    /// engine created is ever deleted.
    /// </summary>
    private async Task<string> EnsureRunDirectoryAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _runDirectory) is { } existing)
        {
            return existing;
        }

        await _directoryLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
            if (_runDirectory is not null)
            {
                return _runDirectory;
            }

            var baseName = "rollbackverifier-" + SafeSegment(_settings.RunId);
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var candidate = Path.Combine(Path.GetTempPath(), attempt == 0 ? baseName : $"{baseName}-{attempt}");
                if (Directory.Exists(candidate) || File.Exists(candidate))
                {
                    continue;
                }

                try
                {
                    Directory.CreateDirectory(candidate);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new EngineUnavailableException($"Cannot create the SQLite run directory {candidate}: {ex.Message}", ex);
                }

                Volatile.Write(ref _runDirectory, candidate);
                return candidate;
            }

            throw new EngineUnavailableException($"Cannot find a free SQLite run directory name {baseName} in {Path.GetTempPath()}.");
        }
        finally
        {
            _directoryLock.Release();
        }
    }

    private static string SafeSegment(string runId)
    {
        var safe = new string(runId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        return safe.Length == 0 ? "run" : safe;
    }
}
