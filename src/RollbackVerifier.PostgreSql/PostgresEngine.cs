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
public sealed class PostgresEngine : ServerEngine
{
    /// <summary>The official image real users get by default.</summary>
    public const string DefaultImage = "postgres:17";

    /// <summary>NAMEDATALEN - 1.</summary>
    public const int IdentifierLimit = 63;

    private readonly NpgsqlConnectionStringBuilder? _existingServer;
    private readonly PostgresDialect _dialect = new();

    /// <exception cref="ArgumentException">The server URL is neither a PostgreSQL URL nor a connection string.</exception>
    public PostgresEngine(EngineSettings settings)
        : base(settings, DefaultImage)
    {
        _existingServer = settings.ServerUrl is null ? null : PostgresServerUrl.Parse(settings.ServerUrl);
    }

    public override EngineKind Kind => EngineKind.Postgres;

    public override IDialect Dialect => _dialect;

    public override string Description => _existingServer is null ? $"container {Image}" : PostgresServerUrl.Describe(_existingServer);

    protected override int MaxIdentifierLength => IdentifierLimit;

    protected override bool UsesExistingServer => _existingServer is not null;

    protected override string ServerUrlVariable => "RV_POSTGRES_URL";

    protected override async Task<IDatabaseServer> StartContainerAsync(CancellationToken cancellationToken) =>
        await PostgresServer.StartContainerAsync(Image, Settings.RunId, cancellationToken).ConfigureAwait(false);

    protected override async Task<IDatabaseServer> ConnectAsync(CancellationToken cancellationToken) =>
        await PostgresServer.ConnectAsync(_existingServer!, cancellationToken).ConfigureAwait(false);

    protected override IDatabaseInstance CreateInstance(IDatabaseServer server, string databaseName, Func<IDatabaseInstance, Task> onDispose) =>
        new PostgresInstance(_dialect, databaseName, (PostgresServer)server, Settings.RunId, i => onDispose(i));

    protected override bool IsCleanupError(Exception exception) => exception is NpgsqlException;
}
