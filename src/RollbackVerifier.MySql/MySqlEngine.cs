using MySqlConnector;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;

namespace RollbackVerifier.MySql;

/// <summary>
/// MySQL (and MariaDB standing in for it) through MySqlConnector. Without a server URL the engine starts one labelled
/// Testcontainers container on first use and creates a database per scenario; container isolation gives a scenario
/// its own container. With a server URL it touches only the rv_ databases it created and marked.
/// </summary>
public sealed class MySqlEngine : ServerEngine
{
    /// <summary>The official image real users get by default.</summary>
    public const string DefaultImage = "mysql:8.4";

    /// <summary>MySQL's identifier length limit.</summary>
    public const int IdentifierLimit = 64;

    private readonly MySqlConnectionStringBuilder? _existingServer;
    private readonly MySqlDialect _dialect = new();

    public MySqlEngine(EngineSettings settings)
        : base(settings, DefaultImage)
    {
        _existingServer = settings.ServerUrl is null ? null : MySqlServerUrl.Parse(settings.ServerUrl);
    }

    public override EngineKind Kind => EngineKind.MySql;

    public override IDialect Dialect => _dialect;

    public override string Description => _existingServer is null ? $"container {Image}" : MySqlServerUrl.Describe(_existingServer);

    protected override int MaxIdentifierLength => IdentifierLimit;

    protected override bool UsesExistingServer => _existingServer is not null;

    protected override string ServerUrlVariable => "RV_MYSQL_URL";

    protected override async Task<IDatabaseServer> StartContainerAsync(CancellationToken cancellationToken) =>
        await MySqlServer.StartContainerAsync(Image, Settings.RunId, cancellationToken).ConfigureAwait(false);

    protected override async Task<IDatabaseServer> ConnectAsync(CancellationToken cancellationToken) =>
        await MySqlServer.ConnectAsync(_existingServer!, cancellationToken).ConfigureAwait(false);

    protected override IDatabaseInstance CreateInstance(IDatabaseServer server, string databaseName, Func<IDatabaseInstance, Task> onDispose) =>
        new MySqlInstance(_dialect, databaseName, (MySqlServer)server, Settings.RunId, i => onDispose(i));

    protected override bool IsCleanupError(Exception exception) => exception is MySqlException or InvalidOperationException;
}
