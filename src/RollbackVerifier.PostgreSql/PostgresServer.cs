using System.Diagnostics;
using Npgsql;
using RollbackVerifier.Execution;
using Testcontainers.PostgreSql;

namespace RollbackVerifier.PostgreSql;

/// <summary>
/// One PostgreSQL server: a container this process started, or an existing server it was pointed at. Creates and
/// drops throwaway databases through the maintenance database, marking each with
/// <c>COMMENT ON DATABASE ... IS 'rollbackverifier:&lt;runId&gt;'</c> and dropping only databases that carry the prefix
/// and the marker of this run.
/// </summary>
internal sealed class PostgresServer : IDatabaseServer
{
    /// <summary>Prefix of the database comment that proves a database is ours.</summary>
    public const string MarkerPrefix = "rollbackverifier:";

    private readonly PostgreSqlContainer? _container;
    private readonly NpgsqlDataSource _admin;
    private int _disposed;

    private PostgresServer(NpgsqlConnectionStringBuilder adminConnection, PostgreSqlContainer? container, string version, int majorVersion)
    {
        adminConnection.IncludeErrorDetail = true;
        AdminConnection = adminConnection;
        _container = container;
        Version = version;
        MajorVersion = majorVersion;
        _admin = NpgsqlDataSource.Create(adminConnection);
    }

    /// <summary>The maintenance database connection (password included).</summary>
    public NpgsqlConnectionStringBuilder AdminConnection { get; }

    /// <summary>"PostgreSQL 15.4" and the like.</summary>
    public string Version { get; }

    public int MajorVersion { get; }

    public static string Marker(string runId) => MarkerPrefix + runId;

    /// <summary>Starts a labelled container; a container that fails to start is removed before the error is thrown.</summary>
    public static async Task<PostgresServer> StartContainerAsync(string image, string runId, CancellationToken cancellationToken)
    {
        PostgreSqlContainer? container = null;
        try
        {
            // A random password rather than the image's well-known default: command steps redact it from their output,
            // which only works for a string that appears nowhere else.
            container = new PostgreSqlBuilder(image)
                .WithPassword(Guid.NewGuid().ToString("N"))
                .WithLabel(EngineSettings.ContainerLabel, "true")
                .WithLabel(EngineSettings.RunLabel, runId)
                .Build();
            await container.StartAsync(cancellationToken).ConfigureAwait(false);
            var admin = new NpgsqlConnectionStringBuilder(container.GetConnectionString())
            {
                Database = PostgresServerUrl.DefaultMaintenanceDatabase,
            };
            var (version, major) = await ReadVersionAsync(admin, cancellationToken).ConfigureAwait(false);
            return new PostgresServer(admin, container, version, major);
        }
        catch (Exception ex)
        {
            if (container is not null)
            {
                await DisposeContainerAsync(container).ConfigureAwait(false);
            }

            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new EngineUnavailableException(
                $"Cannot start a PostgreSQL container from image '{image}': {ex.Message}. Docker must be running (eng/start-docker.sh) "
                + "and the image available (official postgres images are pulled; local ones are built by eng/build-images.sh and chosen with "
                + "RV_POSTGRES_IMAGE); or point RV_POSTGRES_URL at an existing server.",
                ex);
        }
    }

    /// <summary>Connects to an existing server (no container).</summary>
    public static async Task<PostgresServer> ConnectAsync(NpgsqlConnectionStringBuilder adminConnection, CancellationToken cancellationToken)
    {
        try
        {
            var (version, major) = await ReadVersionAsync(adminConnection, cancellationToken).ConfigureAwait(false);
            return new PostgresServer(adminConnection, null, version, major);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or ArgumentException)
        {
            throw new EngineUnavailableException(
                $"Cannot connect to the PostgreSQL server {PostgresServerUrl.Describe(adminConnection)}: {ex.Message}. Check RV_POSTGRES_URL / the server URL setting.",
                ex);
        }
    }

    /// <summary>The connection string of one database on this server.</summary>
    public NpgsqlConnectionStringBuilder ConnectionFor(string databaseName) =>
        new(AdminConnection.ConnectionString) { Database = databaseName };

    /// <summary>
    /// Creates and marks a database. Runs to completion even when cancelled (a half-created database would leak);
    /// a database whose marking fails is dropped again.
    /// </summary>
    public async Task CreateDatabaseAsync(string databaseName, string runId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var connection = await _admin.OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await ExecuteAsync(connection, "CREATE DATABASE " + Quote(databaseName), null).ConfigureAwait(false);
            try
            {
                await ExecuteAsync(connection, $"COMMENT ON DATABASE {Quote(databaseName)} IS {QuoteLiteral(Marker(runId))}", null).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                await TryForceDropAsync(connection, databaseName).ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>
    /// Drops a database of this run, forcing other sessions off. Refuses (throws) when the name lacks the prefix or the
    /// database lacks this run's marker, so nothing else on a shared server is ever dropped. A database that no longer
    /// exists is fine.
    /// </summary>
    /// <exception cref="RollbackVerifierException">The database is not provably ours.</exception>
    public async Task DropDatabaseAsync(string databaseName, string runId, CancellationToken cancellationToken)
    {
        if (!databaseName.StartsWith(EngineSettings.DatabasePrefix, StringComparison.Ordinal))
        {
            throw new RollbackVerifierException(
                $"Refusing to drop database '{databaseName}': its name does not start with '{EngineSettings.DatabasePrefix}', so RollbackVerifier did not create it.");
        }

        var connection = await _admin.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = "SELECT true, pg_catalog.shobj_description(d.oid, 'pg_database') FROM pg_catalog.pg_database d WHERE d.datname = $1";
                command.Parameters.Add(new NpgsqlParameter { Value = databaseName });
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }

                    var comment = reader.IsDBNull(1) ? null : reader.GetString(1);
                    if (!string.Equals(comment, Marker(runId), StringComparison.Ordinal))
                    {
                        throw new RollbackVerifierException(
                            $"Refusing to drop database '{databaseName}': it does not carry this run's marker comment '{Marker(runId)}' "
                            + $"(found {(comment is null ? "no comment" : "'" + comment + "'")}), so RollbackVerifier did not create it in this run.");
                    }
                }
            }

            await ForceDropAsync(connection, databaseName, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _admin.DisposeAsync().ConfigureAwait(false);
        if (_container is not null)
        {
            await DisposeContainerAsync(_container).ConfigureAwait(false);
        }
    }

    private static async Task DisposeContainerAsync(PostgreSqlContainer container)
    {
        try
        {
            await container.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Cleanup must not mask the run's result; the labels let `docker ps --filter label=rollbackverifier` find it.
            Trace.TraceWarning($"RollbackVerifier: could not remove PostgreSQL container {SafeId(container)}: {ex.Message}");
        }
    }

    private static string SafeId(PostgreSqlContainer container)
    {
        try
        {
            return container.Id;
        }
        catch (InvalidOperationException)
        {
            return "(not created)";
        }
    }

    /// <summary>DROP DATABASE ... WITH (FORCE) on PostgreSQL 13+, terminating the other sessions first on older servers.</summary>
    private async Task ForceDropAsync(NpgsqlConnection connection, string databaseName, CancellationToken cancellationToken)
    {
        if (MajorVersion >= 13)
        {
            await ExecuteAsync(connection, $"DROP DATABASE IF EXISTS {Quote(databaseName)} WITH (FORCE)", cancellationToken).ConfigureAwait(false);
            return;
        }

        var terminate = connection.CreateCommand();
        await using (terminate.ConfigureAwait(false))
        {
            terminate.CommandText = "SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE datname = $1 AND pid <> pg_catalog.pg_backend_pid()";
            terminate.Parameters.Add(new NpgsqlParameter { Value = databaseName });
            await terminate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, $"DROP DATABASE IF EXISTS {Quote(databaseName)}", cancellationToken).ConfigureAwait(false);
    }

    private async Task TryForceDropAsync(NpgsqlConnection connection, string databaseName)
    {
        try
        {
            await ForceDropAsync(connection, databaseName, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            Trace.TraceWarning($"RollbackVerifier: could not drop half-created PostgreSQL database {databaseName}: {ex.Message}");
        }
    }

    private static async Task<(string Version, int Major)> ReadVersionAsync(NpgsqlConnectionStringBuilder adminConnection, CancellationToken cancellationToken)
    {
        // Unpooled: this probe must not leave an idle session behind on someone else's server.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(adminConnection.ConnectionString) { Pooling = false }.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = "SELECT pg_catalog.current_setting('server_version'), pg_catalog.current_setting('server_version_num')::int";
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    var text = reader.GetString(0);
                    var number = reader.GetInt32(1);
                    var space = text.IndexOf(' ', StringComparison.Ordinal);
                    return ("PostgreSQL " + (space < 0 ? text : text[..space]), number / 10000);
                }
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken? cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(cancellationToken ?? CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static string Quote(string identifier) => PostgresDialect.Quote(identifier);

    private static string QuoteLiteral(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
