using System.Globalization;
using Npgsql;
using RollbackVerifier.Execution;

namespace RollbackVerifier.PostgreSql;

/// <summary>
/// A PostgreSQL database as external programs reach it: a <c>postgresql://</c> URL (libpq, SQLAlchemy, Django's
/// dj-database-url, Rails), an Npgsql connection string (EF Core), and the libpq variables psql, pg_dump and every
/// libpq-based driver read (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE when the server needs it).
/// Inherited PGHOSTADDR, PGSERVICE and PGSERVICEFILE are removed: libpq lets them override PGHOST, which would point
/// the command at another server.
/// </summary>
internal static class PostgresConnectionDetails
{
    public static ConnectionDetails For(NpgsqlConnectionStringBuilder connection)
    {
        var host = connection.Host ?? "localhost";
        var port = connection.Port;
        var user = connection.Username ?? string.Empty;
        var password = connection.Password;
        var database = connection.Database ?? string.Empty;
        var sslMode = connection.SslMode == SslMode.Prefer ? null : LibpqSslMode(connection.SslMode);

        var ado = new NpgsqlConnectionStringBuilder { Host = host, Port = port, Database = database, Username = user, Password = password };
        if (sslMode is not null)
        {
            ado.SslMode = connection.SslMode;
        }

        var credentials = Uri.EscapeDataString(user) + (string.IsNullOrEmpty(password) ? string.Empty : ":" + Uri.EscapeDataString(password));
        var url = string.Create(CultureInfo.InvariantCulture, $"postgresql://{credentials}@{UrlHost(host)}:{port}/{Uri.EscapeDataString(database)}")
            + (sslMode is null ? string.Empty : "?sslmode=" + sslMode);

        var client = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["PGHOST"] = host,
            ["PGPORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["PGUSER"] = user,
            ["PGPASSWORD"] = password ?? string.Empty,
            ["PGDATABASE"] = database,
            ["PGSSLMODE"] = sslMode,
            ["PGHOSTADDR"] = null,
            ["PGSERVICE"] = null,
            ["PGSERVICEFILE"] = null,
        };
        return new ConnectionDetails(host, port, database, user, password, ado.ConnectionString, url) { ClientEnvironment = client };
    }

    private static string UrlHost(string host) => host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;

    private static string LibpqSslMode(SslMode mode) => mode switch
    {
        SslMode.Disable => "disable",
        SslMode.Allow => "allow",
        SslMode.Require => "require",
        SslMode.VerifyCA => "verify-ca",
        SslMode.VerifyFull => "verify-full",
        _ => "prefer",
    };
}
