using System.Data.Common;
using RollbackVerifier.Model;

namespace RollbackVerifier.Execution;

/// <summary>Where a scenario's throwaway database lives.</summary>
public enum IsolationMode
{
    /// <summary>A fresh database on the run's shared server (container or existing server).</summary>
    Database,

    /// <summary>A fresh container of its own, for scenarios that touch server-wide objects such as roles.</summary>
    Container,
}

/// <summary>What a scenario asks of an engine.</summary>
/// <param name="ScenarioName">Used to build a recognisable database name.</param>
/// <param name="Isolation">Database or container isolation.</param>
public sealed record DatabaseRequest(string ScenarioName, IsolationMode Isolation);

/// <summary>
/// One database engine for a whole run: owns its server (a container, an existing server, or nothing for SQLite)
/// and hands out throwaway databases. Disposing it removes everything it created.
/// </summary>
public interface IDatabaseEngine : IAsyncDisposable
{
    EngineKind Kind { get; }

    IDialect Dialect { get; }

    /// <summary>Where databases come from, for reports (image name, server URL without password, "in-process").</summary>
    string Description { get; }

    /// <summary>Creates a fresh, empty throwaway database; starts the server on first use.</summary>
    /// <exception cref="EngineUnavailableException">The engine cannot be reached or started.</exception>
    Task<IDatabaseInstance> CreateDatabaseAsync(DatabaseRequest request, CancellationToken cancellationToken);
}

/// <summary>A throwaway database created for one scenario. Disposing it drops the database (and its container, if it owns one).</summary>
public interface IDatabaseInstance : IAsyncDisposable
{
    EngineKind Kind { get; }

    IDialect Dialect { get; }

    /// <summary>Server product and version, for reports (for example "PostgreSQL 17.2", "MariaDB 10.11.6").</summary>
    string ServerVersion { get; }

    /// <summary>The database's name.</summary>
    string DatabaseName { get; }

    /// <summary>Opens a new connection to this database. The caller disposes it.</summary>
    Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Reads the schema from the catalogs.</summary>
    Task<SchemaSnapshot> InspectSchemaAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Streams every row of <paramref name="table"/> as canonical strings (see <see cref="CanonicalValue"/>), one entry
    /// per column of <paramref name="table"/> in column order. Order of rows is unspecified.
    /// </summary>
    IAsyncEnumerable<string?[]> ReadRowsAsync(Table table, CancellationToken cancellationToken);

    /// <summary>
    /// The engine's fastest way to write many rows (PostgreSQL binary COPY, MySqlBulkCopy or multi-row INSERT,
    /// SQLite prepared INSERT in one transaction).
    /// </summary>
    IBulkLoader BulkLoader { get; }

    /// <summary>How external command steps reach this database; null when the engine cannot hand it out.</summary>
    ConnectionDetails? ConnectionDetails => null;
}

/// <summary>
/// Writes a stream of generated rows into one table as fast as the engine allows. All or nothing: when any row is
/// refused, nothing of this call stays written and the error propagates as a <see cref="DbException"/> (the seeder
/// then falls back to row-by-row inserts to count and skip the refused rows).
/// </summary>
public interface IBulkLoader
{
    /// <summary>
    /// Loads <paramref name="rows"/> into <paramref name="table"/>. Each row holds one value per entry of
    /// <paramref name="columns"/>, in that order, as CLR values the seeder produces: <see cref="long"/>,
    /// <see cref="decimal"/>, <see cref="double"/>, <see cref="bool"/>, <see cref="string"/> (also for JSON, enum
    /// labels and arrays in the engine's literal form), <see cref="byte"/>[], <see cref="DateTime"/> (Kind Utc for
    /// TimestampTz, else Unspecified; midnight for dates), <see cref="TimeSpan"/> (time of day and intervals),
    /// <see cref="Guid"/>, or null. The loader runs on <paramref name="connection"/>, which it does not dispose.
    /// </summary>
    /// <returns>The number of rows written.</returns>
    Task<long> LoadAsync(DbConnection connection, Table table, IReadOnlyList<Column> columns, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken);
}

/// <summary>Engine-specific SQL text rules used by the engine-neutral pipeline.</summary>
public interface IDialect
{
    EngineKind Kind { get; }

    /// <summary>Quotes an identifier by the engine's own rule.</summary>
    string QuoteIdentifier(string identifier);

    /// <summary>Quotes a possibly schema-qualified name.</summary>
    string QuoteName(ObjectName name) =>
        name.Schema.Length == 0 ? QuoteIdentifier(name.Name) : QuoteIdentifier(name.Schema) + "." + QuoteIdentifier(name.Name);

    /// <summary>The statement splitter that behaves like the engine's usual client.</summary>
    IStatementSplitter Splitter { get; }

    /// <summary>Parameter placeholder for the given 0-based index.</summary>
    string Parameter(int index) => "@p" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The SQL expression that feeds a parameter into <paramref name="column"/> on INSERT/UPDATE. Engines with strict
    /// typing wrap it in a cast to the column's type (PostgreSQL: text to enum or jsonb has no implicit cast).
    /// </summary>
    string ValueExpression(Model.Column column, string parameter) => parameter;

    /// <summary>
    /// Makes <paramref name="cancellationToken"/> interrupt a statement running on <paramref name="connection"/> where the
    /// provider itself would not (an in-process engine runs statements synchronously). Null when the provider handles it.
    /// </summary>
    IDisposable? InterruptOnCancel(DbConnection connection, CancellationToken cancellationToken) => null;

    /// <summary>Extracts the server's error code (SQLSTATE, MySQL error number, SQLite result code) and message.</summary>
    DatabaseError DescribeError(DbException exception);
}

/// <summary>A server error as the engine reported it.</summary>
public sealed record DatabaseError(string Code, string Message, string? Detail = null);
