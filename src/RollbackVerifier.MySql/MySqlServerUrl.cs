using MySqlConnector;

namespace RollbackVerifier.MySql;

/// <summary>Parses an existing-server setting: a mysql:// URL or an ADO.NET connection string.</summary>
internal static class MySqlServerUrl
{
    public static MySqlConnectionStringBuilder Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (text.StartsWith("mysql://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("mariadb://", StringComparison.OrdinalIgnoreCase))
        {
            var uri = new Uri(text);
            var builder = new MySqlConnectionStringBuilder
            {
                Server = uri.Host,
                Port = uri.IsDefaultPort || uri.Port <= 0 ? 3306u : (uint)uri.Port,
            };
            var userInfo = uri.UserInfo.Split(':', 2);
            builder.UserID = Uri.UnescapeDataString(userInfo[0]);
            if (userInfo.Length > 1)
            {
                builder.Password = Uri.UnescapeDataString(userInfo[1]);
            }

            return builder;
        }

        try
        {
            var builder = new MySqlConnectionStringBuilder(text);
            builder.Database = string.Empty;
            return builder;
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"'{Describe(text)}' is neither a mysql:// URL nor a MySQL connection string: {ex.Message}", nameof(text), ex);
        }
    }

    public static string Describe(MySqlConnectionStringBuilder builder) => $"mysql://{builder.UserID}@{builder.Server}:{builder.Port}";

    private static string Describe(string text) => text.Contains("assword", StringComparison.OrdinalIgnoreCase) || text.Contains('@', StringComparison.Ordinal) ? "(server setting)" : text;
}
