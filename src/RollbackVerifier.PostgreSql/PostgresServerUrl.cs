using System.Globalization;
using Npgsql;
using RollbackVerifier.Reporting;

namespace RollbackVerifier.PostgreSql;

/// <summary>
/// Parses the existing-server setting: a URL (<c>postgres://user:pass@host:port/db?sslmode=require</c>, also
/// <c>postgresql://</c>) or a plain Npgsql connection string. The database named there is the maintenance database
/// the harness connects to for CREATE/DROP DATABASE (default <c>postgres</c>).
/// </summary>
public static class PostgresServerUrl
{
    public const string DefaultMaintenanceDatabase = "postgres";

    /// <exception cref="ArgumentException">The text is neither a valid URL nor a valid connection string.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string serverUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serverUrl);
        var text = serverUrl.Trim();
        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return ParseUrl(text);
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(text);
            Secrets.Register(builder.Password);
            if (string.IsNullOrEmpty(builder.Host))
            {
                throw new ArgumentException("The PostgreSQL connection string names no Host.", nameof(serverUrl));
            }

            if (string.IsNullOrEmpty(builder.Database))
            {
                builder.Database = DefaultMaintenanceDatabase;
            }

            return builder;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new ArgumentException($"Not a PostgreSQL URL (postgres://user:password@host:port/database) or connection string: {ex.Message}", nameof(serverUrl), ex);
        }
    }

    /// <summary>The server as a URL without its password, for reports.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var user = string.IsNullOrEmpty(builder.Username) ? string.Empty : Uri.EscapeDataString(builder.Username) + "@";
        return string.Create(CultureInfo.InvariantCulture, $"postgres://{user}{builder.Host}:{builder.Port}/{builder.Database}");
    }

    private static NpgsqlConnectionStringBuilder ParseUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"Not a valid PostgreSQL URL: {Secrets.Redact(text)}", nameof(text));
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
                Secrets.Register(builder.Password);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        builder.Database = database.Length == 0 ? DefaultMaintenanceDatabase : database;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
            try
            {
                builder[key] = value;
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
            {
                throw new ArgumentException($"Unsupported option '{key}' in PostgreSQL URL {Secrets.Redact(text)}: {ex.Message}", nameof(text), ex);
            }
        }

        return builder;
    }
}
