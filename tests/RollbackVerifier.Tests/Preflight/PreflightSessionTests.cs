using System.Data.Common;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.MySql;
using RollbackVerifier.PostgreSql;
using RollbackVerifier.Preflight;
using RollbackVerifier.Sqlite;

namespace RollbackVerifier.Tests.Preflight;

/// <summary>
/// Done means: a statement that writes is refused before it reaches the server (a recording connection shows it was
/// never sent, and the data shows nothing changed), and the session is read-only on the server as well (with the guard
/// bypassed the server itself refuses the write: PostgreSQL 25006, MySQL/MariaDB 1792, SQLite SQLITE_READONLY).
/// </summary>
[TestFixture(EngineKind.Postgres)]
[TestFixture(EngineKind.MySql)]
[TestFixture(EngineKind.Sqlite)]
public sealed class PreflightSessionTests(EngineKind engine)
{
    private IDatabaseInstance _db = null!;

    private IPreflightDialect Dialect => (IPreflightDialect)_db.Dialect;

    [SetUp]
    public async Task CreateDatabase()
    {
        _db = await TestEngines.Get(engine).CreateDatabaseAsync(new DatabaseRequest("preflight-session", IsolationMode.Database), CancellationToken.None);
        await ExecuteAsync(
            "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(200))",
            "INSERT INTO items VALUES (1, 'a'), (2, 'b'), (3, NULL)");
        if (engine == EngineKind.Postgres)
        {
            await ExecuteAsync("CREATE SEQUENCE items_seq");
        }
    }

    [TearDown]
    public async Task DropDatabase() => await _db.DisposeAsync();

    private static PreflightCheck Check(string id, string sql) => new(id, CheckKind.Check, "items", id, string.Empty, sql, string.Empty, CheckEffect.Fails, "rows");

    private IEnumerable<PreflightCheck> Writes()
    {
        yield return Check("update", "UPDATE items SET name = 'x'");
        yield return Check("delete", "DELETE FROM items");
        yield return Check("insert", "INSERT INTO items VALUES (9, 'z')");
        yield return Check("drop", "DROP TABLE items");
        yield return Check("two-statements", "SELECT 1; DELETE FROM items");
        yield return Check("cte", "WITH gone AS (DELETE FROM items RETURNING id) SELECT count(*) FROM gone");
        yield return Check("locking", "SELECT id FROM items FOR UPDATE");
        switch (engine)
        {
            case EngineKind.Postgres:
                yield return Check("select-into", "SELECT * INTO items_copy FROM items");
                yield return Check("nextval", "SELECT nextval('items_seq')");
                yield return Check("advisory-lock", "SELECT pg_advisory_lock(42)");
                break;
            case EngineKind.MySql:
                yield return Check("select-into", "SELECT * FROM items INTO OUTFILE '/tmp/rv-items'");
                yield return Check("get-lock", "SELECT GET_LOCK('rv', 1)");
                yield return Check("executable-comment", "SELECT 1 /*!50000 , (SELECT count(*) FROM items) */");
                break;
            default:
                yield return Check("attach", "ATTACH DATABASE 'other.db' AS other");
                yield return Check("pragma", "PRAGMA writable_schema = ON");
                break;
        }
    }

    [Test]
    public async Task A_statement_that_writes_is_refused_before_it_reaches_the_server()
    {
        var inner = await _db.OpenConnectionAsync(CancellationToken.None);
        await using var connection = new RecordingConnection(inner);
        var count = Check("count-nulls", "SELECT count(*) AS rv_offending FROM items WHERE name IS NULL");
        var writes = Writes().ToList();
        IReadOnlyList<CheckOutcome> outcomes;
        await using (var session = await PreflightSession.BeginAsync(connection, Dialect, PreflightLimits.Default, _db.ServerVersion, resetOnDispose: true, CancellationToken.None))
        {
            outcomes = await session.RunAllAsync(new Checklist("t", engine, null, [count, .. writes], []), CancellationToken.None);
        }

        Assert.Multiple(() =>
        {
            Assert.That(outcomes[0].Count, Is.EqualTo(1), "the plain read ran and counted the NULL");
            foreach (var (check, outcome) in writes.Zip(outcomes.Skip(1)))
            {
                Assert.That(outcome.Refused, Is.True, $"{check.Id} was not refused: {outcome.Error}");
                Assert.That(outcome.Error, Does.StartWith("refused before reaching the server"));
                Assert.That(connection.Sent, Has.None.EqualTo(check.Sql), $"{check.Id} reached the server");
            }

            Assert.That(connection.Sent, Does.Contain(count.Sql));
            Assert.That(connection.Sent.Where(s => !Dialect.ReadOnlySession(PreflightLimits.Default, _db.ServerVersion).Concat(Dialect.ResetSession(_db.ServerVersion)).Contains(s)
                    && s != Dialect.BeginReadOnly && s != Dialect.ReadOnlyProbe(_db.ServerVersion) && s != "ROLLBACK"),
                Is.EqualTo(new[] { count.Sql }), "only session setup and the plain read were sent");
        });
        await AssertUnchangedAsync();
    }

    [Test]
    public async Task The_session_is_read_only_on_the_server_itself()
    {
        var writes = new List<PreflightCheck>
        {
            Check("update", "UPDATE items SET name = 'x'"),
            Check("delete", "DELETE FROM items"),
            Check("insert", "INSERT INTO items VALUES (9, 'z')"),
        };
        writes.Add(Check("drop", "DROP TABLE items"));

        if (engine == EngineKind.Postgres)
        {
            writes.Add(Check("nextval", "SELECT nextval('items_seq')"));
        }

        var connection = await _db.OpenConnectionAsync(CancellationToken.None);
        IReadOnlyList<CheckOutcome> outcomes;
        await using (connection)
        {
            await using var session = await PreflightSession.BeginAsync(connection, Dialect, PreflightLimits.Default, _db.ServerVersion, resetOnDispose: true, CancellationToken.None);
            session.BypassGuard = true; // the test hook: send the writes and let the server answer
            outcomes = await session.RunAllAsync(new Checklist("t", engine, null, writes, []), CancellationToken.None);
        }

        var code = engine switch { EngineKind.Postgres => "25006", EngineKind.MySql => "1792", _ => "SQLITE_READONLY" };
        Assert.Multiple(() =>
        {
            foreach (var (check, outcome) in writes.Zip(outcomes))
            {
                Assert.That(outcome.Refused, Is.False, check.Id);
                Assert.That(outcome.Error, Does.StartWith("refused by the server (read-only session): " + code), check.Id);
            }
        });
        await AssertUnchangedAsync();
    }

    [Test]
    public async Task A_session_the_server_does_not_report_read_only_runs_nothing()
    {
        var connection = await _db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            var lying = new NoReadOnlyDialect(Dialect);
            var ex = Assert.ThrowsAsync<RollbackVerifierException>(async () =>
                await PreflightSession.BeginAsync(connection, lying, PreflightLimits.Default, _db.ServerVersion, resetOnDispose: true, CancellationToken.None));
            Assert.That(ex!.Message, Does.Contain("does not report the session as read-only"));
        }
    }

    [Test]
    public async Task The_production_connection_is_read_only_before_any_statement()
    {
        var (target, expected) = engine switch
        {
            EngineKind.Postgres => (((PostgresInstance)_db).ConnectionString, "25006"),
            EngineKind.Sqlite => (((SqliteInstance)_db).FilePath, "SQLITE_READONLY"),
            _ => (string.Empty, string.Empty),
        };
        if (target.Length == 0)
        {
            Assert.Ignore("MySQL has no read-only connection option; the session statements make it read-only (tested above).");
        }

        var (connection, description, version) = engine == EngineKind.Postgres
            ? await PostgresPreflightConnection.OpenAsync(target, CancellationToken.None)
            : await SqlitePreflightConnection.OpenAsync(target, CancellationToken.None);
        await using (connection)
        {
            Assert.That(description, Does.Not.Contain("Password").IgnoreCase);
            Assert.That(version, Does.StartWith(engine == EngineKind.Postgres ? "PostgreSQL " : "SQLite "));
            var command = connection.CreateCommand();
            command.CommandText = "UPDATE items SET name = 'x'";
            var ex = Assert.ThrowsAsync(Is.InstanceOf<DbException>(), async () => await command.ExecuteNonQueryAsync());
            Assert.That(Dialect.DescribeError((DbException)ex!).Code, Does.StartWith(expected));
        }

        await AssertUnchangedAsync();
    }

    private async Task AssertUnchangedAsync()
    {
        var connection = await _db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*), sum(CASE WHEN name = 'x' THEN 1 ELSE 0 END) FROM items";
            await using var reader = await command.ExecuteReaderAsync();
            Assert.That(await reader.ReadAsync(), Is.True);
            Assert.That(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(3), "rows were deleted or inserted");
            Assert.That(Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture), Is.Zero, "rows were updated");
        }

        if (engine == EngineKind.Postgres)
        {
            connection = await _db.OpenConnectionAsync(CancellationToken.None);
            await using (connection)
            {
                var command = connection.CreateCommand();
                command.CommandText = "SELECT is_called FROM items_seq";
                Assert.That(await command.ExecuteScalarAsync(), Is.False, "the sequence was advanced");
            }
        }
    }

    private Task ExecuteAsync(params string[] statements) => PreflightTestSupport.ExecuteAsync(_db, statements);

    /// <summary>A dialect whose session statements do nothing, as if a server ignored them.</summary>
    private sealed class NoReadOnlyDialect(IPreflightDialect inner) : IPreflightDialect
    {
        public EngineKind Kind => inner.Kind;

        public IStatementSplitter Splitter => inner.Splitter;

        public bool SequencesCanCollide => inner.SequencesCanCollide;

        public string? BeginReadOnly => null;

        public string QuoteIdentifier(string identifier) => inner.QuoteIdentifier(identifier);

        public DatabaseError DescribeError(DbException exception) => inner.DescribeError(exception);

        public string Literal(string value) => inner.Literal(value);

        public string? TooLong(Column old, Column column, string expression) => null;

        public string Round(string expression, int scale) => expression;

        public string? WillNotConvert(Column old, string expression, string? serverVersion) => null;

        public string NotDistinct(string left, string right) => inner.NotDistinct(left, right);

        public string? OutsideLabels(Column old, string expression) => null;

        public IReadOnlyList<string> ReadOnlySession(PreflightLimits limits, string? serverVersion) => [];

        public string ReadOnlyProbe(string? serverVersion) => inner.ReadOnlyProbe(serverVersion);

        public IReadOnlyList<string> ResetSession(string? serverVersion) => [];

        public bool IsReadOnlyRefusal(DatabaseError error) => inner.IsReadOnlyRefusal(error);

        public IReadOnlyList<string> HowToRunReadOnly(string fileName) => [];
    }
}
