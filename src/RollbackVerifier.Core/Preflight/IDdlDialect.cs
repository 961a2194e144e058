using System.Data.Common;
using RollbackVerifier.Model;

namespace RollbackVerifier.Preflight;

/// <summary>
/// Renders a database's schema as DDL that can be pasted into the engine's own client: for the review prompt (the
/// schema the rollback starts from). Each engine uses its most faithful source: its own rendering where it has one
/// (SHOW CREATE on MySQL, sqlite_master on SQLite), the neutral model and the catalogs' renderings elsewhere.
/// </summary>
public interface IDdlDialect
{
    /// <summary>The DDL of <paramref name="schema"/>, read from <paramref name="connection"/> (open, on that database) where the engine renders it.</summary>
    Task<string> RenderSchemaAsync(DbConnection connection, SchemaSnapshot schema, CancellationToken cancellationToken);
}
