using System.Globalization;
using MySqlConnector;
using RollbackVerifier.Execution;

namespace RollbackVerifier.MySql;

/// <summary>
/// A MySQL database as external programs reach it: a <c>mysql://</c> URL (SQLAlchemy, Django's dj-database-url,
/// Rails, golang-migrate), a connection string for MySqlConnector and Connector/NET (EF Core with Pomelo or Oracle's
/// provider), and the variables the mysql and mariadb command-line clients read: MYSQL_HOST, MYSQL_TCP_PORT and
/// MYSQL_PWD. The clients do not read MYSQL_USER or MYSQL_DATABASE (those are the server images' settings); they are
/// set for scripts to pass on (<c>mysql -u "$MYSQL_USER" "$MYSQL_DATABASE"</c>). "localhost" is given as 127.0.0.1
/// because the clients and several drivers take "localhost" to mean the Unix socket, not the TCP port.
/// </summary>
internal static class MySqlConnectionDetails
{
    public static ConnectionDetails For(MySqlConnectionStringBuilder connection)
    {
        var host = string.Equals(connection.Server, "localhost", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(connection.Server)
            ? "127.0.0.1"
            : connection.Server;
        var port = (int)connection.Port;
        var user = connection.UserID ?? string.Empty;
        var password = connection.Password;
        var database = connection.Database ?? string.Empty;

        var ado = new MySqlConnectionStringBuilder { Server = host, Port = connection.Port, Database = database, UserID = user, Password = password };
        if (connection.SslMode != MySqlSslMode.Preferred)
        {
            ado.SslMode = connection.SslMode;
        }

        var credentials = Uri.EscapeDataString(user) + (string.IsNullOrEmpty(password) ? string.Empty : ":" + Uri.EscapeDataString(password));
        var urlHost = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
        var url = string.Create(CultureInfo.InvariantCulture, $"mysql://{credentials}@{urlHost}:{port}/{Uri.EscapeDataString(database)}");

        var client = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["MYSQL_HOST"] = host,
            ["MYSQL_TCP_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["MYSQL_PWD"] = password ?? string.Empty,
            ["MYSQL_USER"] = user,
            ["MYSQL_DATABASE"] = database,
        };
        return new ConnectionDetails(host, port, database, user, password, ado.ConnectionString, url) { ClientEnvironment = client };
    }
}
