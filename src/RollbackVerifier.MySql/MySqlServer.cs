using System.Diagnostics;
using System.Globalization;
using MySqlConnector;
using RollbackVerifier.Execution;
using RollbackVerifier.Reporting;
using Testcontainers.MySql;

namespace RollbackVerifier.MySql;

/// <summary>
/// One MySQL-compatible server: a container this process started (as root, so it can create databases on the official
/// image as well as ours), or an existing server. Each throwaway database carries a marker table holding the run id;
/// only databases with the prefix and this run's marker are ever dropped.
/// </summary>
internal sealed class MySqlServer : IDatabaseServer
{
    /// <summary>Marker table in each throwaway database; hidden from inspection.</summary>
    public const string MarkerTable = "_rollbackverifier_marker";

    private const string RootUser = "root";

    private readonly MySqlContainer? _container;
    private int _disposed;

    private MySqlServer(MySqlConnectionStringBuilder admin, MySqlContainer? container, string version, bool isMariaDb)
    {
        Admin = admin;
        _container = container;
        Version = version;
        IsMariaDb = isMariaDb;
    }

    public MySqlConnectionStringBuilder Admin { get; }

    /// <summary>The container's id, or null for an existing server.</summary>
    public string? ContainerId => _container?.Id;

    public string Version { get; }

    /// <summary>MariaDB's catalogs differ from MySQL 8's in a few places (CHECK_CONSTRAINTS, STATISTICS.EXPRESSION, stats caching).</summary>
    public bool IsMariaDb { get; }

    public static async Task<MySqlServer> StartContainerAsync(string image, string runId, CancellationToken cancellationToken)
    {
        MySqlContainer? container = null;
        try
        {
            // As root: CREATE DATABASE needs it on the official image, whose MYSQL_USER only gets rights on MYSQL_DATABASE.
            // Testcontainers.MySql 4.x maps the user root to MYSQL_ROOT_PASSWORD (no MYSQL_USER), which the official
            // image and our MariaDB image both honour; its readiness check and my.cnf then use root as well.
            var password = Guid.NewGuid().ToString("N");
            Secrets.Register(password);
            container = new MySqlBuilder(image)
                .WithUsername(RootUser)
                .WithPassword(password)
                .WithLabel(EngineSettings.ContainerLabel, "true")
                .WithLabel(EngineSettings.RunLabel, runId)
                .Build();
            await container.StartAsync(cancellationToken).ConfigureAwait(false);
            var admin = Normalize(new MySqlConnectionStringBuilder(container.GetConnectionString()) { Database = string.Empty });
            var (version, maria) = await ReadVersionAsync(admin, cancellationToken).ConfigureAwait(false);
            return new MySqlServer(admin, container, version, maria);
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
                $"Cannot start a MySQL container from image '{image}': {ex.Message}. Docker must be running (eng/start-docker.sh) and the image "
                + "available (official mysql images are pulled; local ones are built by eng/build-images.sh and chosen with RV_MYSQL_IMAGE); "
                + "or point RV_MYSQL_URL at an existing server.",
                ex);
        }
    }

    public static async Task<MySqlServer> ConnectAsync(MySqlConnectionStringBuilder admin, CancellationToken cancellationToken)
    {
        try
        {
            admin = Normalize(admin);
            var (version, maria) = await ReadVersionAsync(admin, cancellationToken).ConfigureAwait(false);
            return new MySqlServer(admin, null, version, maria);
        }
        catch (Exception ex) when (ex is MySqlException or TimeoutException or ArgumentException)
        {
            throw new EngineUnavailableException($"Cannot connect to the MySQL server {MySqlServerUrl.Describe(admin)}: {ex.Message}. Check RV_MYSQL_URL / --mysql-url.", ex);
        }
    }

    private static MySqlConnectionStringBuilder Normalize(MySqlConnectionStringBuilder builder)
    {
        // Unpooled: a throwaway database must not keep idle sessions that would block or survive its DROP.
        // TreatTinyAsBoolean off: tinyint(1) is a number (see MySqlTypes); GuidFormat None: CHAR(36) stays text.
        builder.Pooling = false;
        builder.AllowUserVariables = true;
        builder.AllowLoadLocalInfile = true;
        builder.ConvertZeroDateTime = true;
        builder.TreatTinyAsBoolean = false;
        builder.GuidFormat = MySqlGuidFormat.None;
        builder.CharacterSet = "utf8mb4";
        builder.DefaultCommandTimeout = 300;
        return builder;
    }

    public MySqlConnectionStringBuilder ConnectionFor(string database) => new(Admin.ConnectionString) { Database = database };

    /// <summary>Creates the database and its marker; runs to completion once started so nothing half-created leaks.</summary>
    public async Task CreateDatabaseAsync(string database, string runId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var connection = new MySqlConnection(Admin.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(CancellationToken.None).ConfigureAwait(false);
            await ExecuteAsync(connection, "CREATE DATABASE " + Quote(database)).ConfigureAwait(false);
            try
            {
                await ExecuteAsync(connection, $"CREATE TABLE {Quote(database)}.{Quote(MarkerTable)} (run_id VARCHAR(64) NOT NULL PRIMARY KEY)").ConfigureAwait(false);
                var insert = new MySqlCommand($"INSERT INTO {Quote(database)}.{Quote(MarkerTable)} (run_id) VALUES (@run)", connection);
                await using (insert.ConfigureAwait(false))
                {
                    insert.Parameters.AddWithValue("@run", runId);
                    await insert.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (MySqlException)
            {
                await ExecuteAsync(connection, "DROP DATABASE IF EXISTS " + Quote(database)).ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>Drops a database of this run after checking the prefix and the marker; refuses anything else.</summary>
    /// <exception cref="RollbackVerifierException">The database is not provably ours.</exception>
    public async Task DropDatabaseAsync(string database, string runId, CancellationToken cancellationToken)
    {
        if (!database.StartsWith(EngineSettings.DatabasePrefix, StringComparison.Ordinal))
        {
            throw new RollbackVerifierException($"Refusing to drop database '{database}': its name does not start with '{EngineSettings.DatabasePrefix}', so RollbackVerifier did not create it.");
        }

        var connection = new MySqlConnection(Admin.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var exists = new MySqlCommand("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = @db", connection);
            await using (exists.ConfigureAwait(false))
            {
                exists.Parameters.AddWithValue("@db", database);
                if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
                {
                    return;
                }
            }

            string? marker;
            try
            {
                var read = new MySqlCommand($"SELECT MIN(run_id) FROM {Quote(database)}.{Quote(MarkerTable)}", connection);
                await using (read.ConfigureAwait(false))
                {
                    marker = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
                }
            }
            catch (MySqlException)
            {
                marker = null;
            }

            if (!string.Equals(marker, runId, StringComparison.Ordinal))
            {
                throw new RollbackVerifierException(
                    $"Refusing to drop database '{database}': it does not hold this run's marker table {MarkerTable} with run id '{runId}', so RollbackVerifier did not create it in this run.");
            }

            // Sessions still using the database (a timed-out statement) would block the drop on metadata locks.
            var sessions = new List<long>();
            var list = new MySqlCommand("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = @db AND ID <> CONNECTION_ID()", connection);
            await using (list.ConfigureAwait(false))
            {
                list.Parameters.AddWithValue("@db", database);
                var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        sessions.Add(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture));
                    }
                }
            }

            foreach (var id in sessions)
            {
                try
                {
                    await ExecuteAsync(connection, "KILL " + id.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
                }
                catch (MySqlException)
                {
                    // Already gone.
                }
            }

            await ExecuteAsync(connection, "DROP DATABASE IF EXISTS " + Quote(database)).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _container is not null)
        {
            await DisposeContainerAsync(_container).ConfigureAwait(false);
        }
    }

    private static async Task DisposeContainerAsync(MySqlContainer container)
    {
        try
        {
            await container.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Trace.TraceWarning(Secrets.Redact($"RollbackVerifier: could not remove MySQL container: {ex.Message}"));
        }
    }

    private static async Task<(string Version, bool IsMariaDb)> ReadVersionAsync(MySqlConnectionStringBuilder admin, CancellationToken cancellationToken)
    {
        var connection = new MySqlConnection(admin.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var command = new MySqlCommand("SELECT VERSION()", connection);
            await using (command.ConfigureAwait(false))
            {
                var text = (string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                var maria = text.Contains("MariaDB", StringComparison.OrdinalIgnoreCase);
                var number = text.Split('-')[0];
                return ((maria ? "MariaDB " : "MySQL ") + number, maria);
            }
        }
    }

    private static async Task ExecuteAsync(MySqlConnection connection, string sql)
    {
        var command = new MySqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    internal static string Quote(string identifier) => MySqlDialect.Quote(identifier);
}
