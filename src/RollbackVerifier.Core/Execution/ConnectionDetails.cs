namespace RollbackVerifier.Execution;

/// <summary>
/// How a program outside the harness reaches one throwaway database, in the forms its ecosystem expects. Each engine
/// fills it in; <see cref="Commands.CommandEnvironment"/> turns it into environment variables for command steps.
/// </summary>
/// <param name="Host">Server host as a client outside this process reaches it, or null for a file database.</param>
/// <param name="Port">Server TCP port, or null for a file database.</param>
/// <param name="Database">Database name (for a file database: the absolute file path).</param>
/// <param name="User">User name, or null when the engine has none.</param>
/// <param name="Password">Password, or null. Handed to commands only through their environment and redacted from what they print.</param>
/// <param name="ConnectionString">An ADO.NET connection string for the engine's usual .NET provider (Npgsql, MySqlConnector, Microsoft.Data.Sqlite).</param>
/// <param name="Url">A URL in the scheme the engine's ecosystem uses (postgresql://, mysql://, sqlite:///path).</param>
public sealed record ConnectionDetails(string? Host, int? Port, string Database, string? User, string? Password, string ConnectionString, string Url)
{
    /// <summary>The file of a file database (SQLite), else null.</summary>
    public string? FilePath { get; init; }

    /// <summary>
    /// Variables the engine's own command-line clients read (PGHOST, MYSQL_HOST, ...), by name. A null value removes an
    /// inherited variable that would point the client elsewhere (PGSERVICE, PGHOSTADDR).
    /// </summary>
    public IReadOnlyDictionary<string, string?> ClientEnvironment { get; init; } = new Dictionary<string, string?>(StringComparer.Ordinal);
}
