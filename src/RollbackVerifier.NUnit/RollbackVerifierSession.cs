using System.Collections.Concurrent;
using System.Reflection;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.MySql;
using RollbackVerifier.PostgreSql;
using RollbackVerifier.Sqlite;

namespace RollbackVerifier.NUnit;

/// <summary>
/// The engines of one test run: one per kind (one PostgreSQL and one MySQL container, a fresh database per scenario),
/// started on first use and removed when the last scenario test method using them has finished (the
/// <see cref="RollbackScenariosAttribute"/> brackets its method's tests; code that runs scenarios some other way calls
/// <see cref="DisposeAsync"/> from a <c>[OneTimeTearDown]</c>). Images and servers come from the environment, as for the CLI:
/// <c>RV_POSTGRES_IMAGE</c>, <c>RV_MYSQL_IMAGE</c> (default postgres:17 / mysql:8.4), <c>RV_POSTGRES_URL</c>,
/// <c>RV_MYSQL_URL</c> (an existing server instead of a container).
/// </summary>
public sealed class RollbackVerifierSession : IAsyncDisposable
{
    private static readonly EngineRegistry Registry = new EngineRegistry()
        .Register(EngineKind.Postgres, settings => new PostgresEngine(settings))
        .Register(EngineKind.MySql, settings => new MySqlEngine(settings))
        .Register(EngineKind.Sqlite, settings => new SqliteEngine(settings));

    private readonly ConcurrentDictionary<EngineKind, IDatabaseEngine> _engines = new();
    private readonly SemaphoreSlim _lifetime = new(1, 1);
    private int _users;

    private RollbackVerifierSession()
    {
    }

    /// <summary>The session of this test process.</summary>
    public static RollbackVerifierSession Shared { get; } = new();

    /// <summary>Run id carried by every container and database of this process (label rollbackverifier.run).</summary>
    public string RunId { get; } = "n" + EngineSettings.NewRunId();

    /// <summary>True when an unavailable engine must fail the test rather than ignore it: CI=true or RV_REQUIRE_ENGINES=true.</summary>
    public static bool EnginesRequired =>
        IsTrue(Environment.GetEnvironmentVariable("RV_REQUIRE_ENGINES")) || IsTrue(Environment.GetEnvironmentVariable("CI"));

    /// <summary>True when the Markdown reports of failing scenarios carry a prompt for an AI assistant to repair the rollback: RV_REVIEW_PROMPT=true.</summary>
    public static bool ReviewPromptRequested => IsTrue(Environment.GetEnvironmentVariable("RV_REVIEW_PROMPT"));

    /// <summary>The adapter's version, written into reports.</summary>
    public static string ToolVersion { get; } =
        typeof(RollbackVerifierSession).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Where per-test reports go: <c>RV_REPORT_DIR</c>, else rv-reports under NUnit's work directory.</summary>
    public static string ReportDirectory() =>
        Environment.GetEnvironmentVariable("RV_REPORT_DIR") is { Length: > 0 } dir
            ? Path.GetFullPath(dir)
            : Path.Combine(TestContext.CurrentContext.WorkDirectory, "rv-reports");

    /// <summary>The shared engine of a kind, started on first use.</summary>
    public IDatabaseEngine GetEngine(EngineKind kind) =>
        _engines.GetOrAdd(kind, k =>
        {
            var settings = EngineSettings.FromEnvironment(k, RunId);
            return Registry.Create(k, k == EngineKind.Sqlite ? settings with { Image = null, ServerUrl = null } : settings);
        });

    /// <summary>Marks the start of a group of scenario tests (a test method's cases).</summary>
    internal void Enter() => Interlocked.Increment(ref _users);

    /// <summary>Marks the end of a group; the last one out removes the containers.</summary>
    internal async Task LeaveAsync()
    {
        if (Interlocked.Decrement(ref _users) == 0)
        {
            await DisposeEnginesAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Removes every container and database this session created. Engines start again on next use.</summary>
    public async ValueTask DisposeAsync() => await DisposeEnginesAsync().ConfigureAwait(false);

    private async Task DisposeEnginesAsync()
    {
        await _lifetime.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var kind in _engines.Keys.ToList())
            {
                if (_engines.TryRemove(kind, out var engine))
                {
                    await engine.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _lifetime.Release();
        }
    }

    private static bool IsTrue(string? value) => string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) || value == "1";
}
