using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.MySql;
using RollbackVerifier.PostgreSql;
using RollbackVerifier.Sqlite;

namespace RollbackVerifier.Cli;

/// <summary>The engines this tool ships.</summary>
public static class EngineRegistration
{
    public static EngineRegistry CreateRegistry() =>
        new EngineRegistry()
            .Register(EngineKind.Postgres, settings => new PostgresEngine(settings))
            .Register(EngineKind.MySql, settings => new MySqlEngine(settings))
            .Register(EngineKind.Sqlite, settings => new SqliteEngine(settings));
}
