namespace RollbackVerifier.Model;

/// <summary>The database engines RollbackVerifier drives. Chosen explicitly from the scenario, never guessed.</summary>
public enum EngineKind
{
    /// <summary>PostgreSQL (Testcontainers container or an existing server).</summary>
    Postgres,

    /// <summary>MySQL (and MariaDB standing in for it).</summary>
    MySql,

    /// <summary>SQLite, in-process on a temporary file.</summary>
    Sqlite,
}

/// <summary>Parsing and naming of <see cref="EngineKind"/> as it appears in files and on the command line.</summary>
public static class EngineKinds
{
    /// <summary>All engines, in report order.</summary>
    public static IReadOnlyList<EngineKind> All { get; } = [EngineKind.Postgres, EngineKind.MySql, EngineKind.Sqlite];

    /// <summary>The lower-case name used in file suffixes (forward.postgres.sql), YAML and the command line.</summary>
    public static string ToName(this EngineKind kind) => kind switch
    {
        EngineKind.Postgres => "postgres",
        EngineKind.MySql => "mysql",
        EngineKind.Sqlite => "sqlite",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Parses an engine name; accepts common aliases (postgresql, pg, mariadb).</summary>
    public static bool TryParse(string? text, out EngineKind kind)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "postgres" or "postgresql" or "pg":
                kind = EngineKind.Postgres;
                return true;
            case "mysql" or "mariadb":
                kind = EngineKind.MySql;
                return true;
            case "sqlite" or "sqlite3":
                kind = EngineKind.Sqlite;
                return true;
            default:
                kind = default;
                return false;
        }
    }
}
