using MySqlConnector;
using RollbackVerifier.Reporting;

namespace RollbackVerifier.MySql;

/// <summary>
/// Parses an existing-server setting: a URL (<c>mysql://user:password@host:port/ignored?SslMode=None</c>, also
/// <c>mariadb://</c>; query parameters are MySqlConnector connection-string options) or an ADO.NET connection string.
/// Any database in it is ignored: the harness creates its own.
/// </summary>
internal static class MySqlServerUrl
{
    public const uint DefaultPort = 3306;

    /// <exception cref="ArgumentException">Neither a URL nor a connection string.</exception>
    public static MySqlConnectionStringBuilder Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (text.StartsWith("mysql://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("mariadb://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            {
                throw new ArgumentException("'(server URL)' is not a valid mysql:// URL: expected mysql://user:password@host:port", nameof(text));
            }

            var builder = new MySqlConnectionStringBuilder
            {
                Server = uri.Host,
                Port = uri.Port <= 0 ? DefaultPort : (uint)uri.Port,
            };
            var userInfo = uri.UserInfo.Split(':', 2);
            builder.UserID = Uri.UnescapeDataString(userInfo[0]);
            if (userInfo.Length > 1)
            {
                builder.Password = Uri.UnescapeDataString(userInfo[1]);
                Secrets.Register(builder.Password);
            }

            foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = pair.Split('=', 2);
                try
                {
                    builder[Uri.UnescapeDataString(parts[0])] = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "true";
                }
                catch (ArgumentException ex)
                {
                    throw new ArgumentException($"Unknown MySQL connection option '{Uri.UnescapeDataString(parts[0])}' in the server URL: {ex.Message}", nameof(text), ex);
                }
            }

            builder.Database = string.Empty;
            return builder;
        }

        try
        {
            var builder = new MySqlConnectionStringBuilder(text) { Database = string.Empty };
            Secrets.Register(builder.Password);
            return builder;
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"The MySQL server setting is neither a mysql:// URL nor a MySQL connection string: {ex.Message}", nameof(text), ex);
        }
    }

    /// <summary>The server for reports, without the password.</summary>
    public static string Describe(MySqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return $"mysql://{builder.UserID}@{builder.Server}:{builder.Port}";
    }
}
