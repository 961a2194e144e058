using MySqlConnector;
using Npgsql;
using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Commands;
using RollbackVerifier.Model;
using RollbackVerifier.MySql;
using RollbackVerifier.PostgreSql;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Tests.CommandSteps;

/// <summary>The variables a command step gets, per engine, and the scenario's own env: on top.</summary>
public sealed class CommandEnvironmentTests
{
    private static readonly string Manifest = Path.Combine(Path.GetTempPath(), "scen", "scenario.yml");

    private static CommandStep Step(params (string Name, string Value)[] env) =>
        new(["alembic", "downgrade", "-1"], false, Path.GetTempPath(), env.Select(e => KeyValuePair.Create(e.Name, e.Value)).ToValueList(), null, Manifest, 7);

    private static ConnectionDetails Postgres() => PostgresConnectionDetails.For(new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = 32768, Database = "rv_shop_1", Username = "postgres", Password = "p@ss:w/rd", Pooling = false,
    });

    [Test]
    public void Postgres_gets_a_url_an_npgsql_connection_string_and_the_libpq_variables()
    {
        var env = CommandEnvironment.Build(Postgres(), EngineKind.Postgres, Phase.Rollback, Step(), new Dictionary<string, string>());
        Assert.Multiple(() =>
        {
            Assert.That(env["DATABASE_URL"], Is.EqualTo("postgresql://postgres:p%40ss%3Aw%2Frd@127.0.0.1:32768/rv_shop_1"));
            Assert.That(env["RV_DATABASE_URL"], Is.EqualTo(env["DATABASE_URL"]));
            var ado = new NpgsqlConnectionStringBuilder(env["RV_CONNECTION_STRING"]!);
            Assert.That((ado.Host, ado.Port, ado.Database, ado.Username, ado.Password), Is.EqualTo(("127.0.0.1", 32768, "rv_shop_1", "postgres", "p@ss:w/rd")));
            Assert.That(env["RV_CONNECTION_STRING"], Does.Not.Contain("Pooling"), "the harness's own settings stay out of the user's string");
            Assert.That(env["ConnectionStrings__Default"], Is.EqualTo(env["RV_CONNECTION_STRING"]));
            Assert.That((env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGPASSWORD"], env["PGDATABASE"]), Is.EqualTo(("127.0.0.1", "32768", "postgres", "p@ss:w/rd", "rv_shop_1")));
            Assert.That(env.ContainsKey("PGHOSTADDR") && env["PGHOSTADDR"] is null, "an inherited PGHOSTADDR would override PGHOST: removed");
            Assert.That(env.ContainsKey("PGSERVICE") && env["PGSERVICE"] is null);
            Assert.That((env["RV_ENGINE"], env["RV_PHASE"], env["RV_SCENARIO_DIR"]), Is.EqualTo(("postgres", "rollback", Path.GetDirectoryName(Manifest))));
            Assert.That((env["RV_DB_HOST"], env["RV_DB_PORT"], env["RV_DB_NAME"], env["RV_DB_USER"], env["RV_DB_PASSWORD"]), Is.EqualTo(("127.0.0.1", "32768", "rv_shop_1", "postgres", "p@ss:w/rd")));
            Assert.That(env.ContainsKey("RV_POSTGRES_URL") && env["RV_POSTGRES_URL"] is null, "the server admin URL is not the command's business");
            Assert.That(env.ContainsKey("RV_DB_PATH"), Is.False);
        });
    }

    [Test]
    public void Postgres_ssl_mode_of_an_existing_server_reaches_every_form()
    {
        var details = PostgresConnectionDetails.For(new NpgsqlConnectionStringBuilder { Host = "db.example.com", Port = 5432, Database = "rv_x", Username = "u", Password = "p", SslMode = SslMode.Require });
        Assert.That(details.Url, Is.EqualTo("postgresql://u:p@db.example.com:5432/rv_x?sslmode=require"));
        Assert.That(details.ClientEnvironment["PGSSLMODE"], Is.EqualTo("require"));
        Assert.That(new NpgsqlConnectionStringBuilder(details.ConnectionString).SslMode, Is.EqualTo(SslMode.Require));
    }

    [Test]
    public void MySql_gets_a_url_a_connection_string_and_the_variables_the_client_reads_over_tcp()
    {
        var details = MySqlConnectionDetails.For(new MySqlConnectionStringBuilder { Server = "localhost", Port = 33060, Database = "rv_shop_2", UserID = "root", Password = "s3cr;et" });
        var env = CommandEnvironment.Build(details, EngineKind.MySql, Phase.Forward, Step(), new Dictionary<string, string>());
        Assert.Multiple(() =>
        {
            Assert.That(env["DATABASE_URL"], Is.EqualTo("mysql://root:s3cr%3Bet@127.0.0.1:33060/rv_shop_2"), "localhost would mean the Unix socket to the clients");
            var ado = new MySqlConnectionStringBuilder(env["RV_CONNECTION_STRING"]!);
            Assert.That((ado.Server, ado.Port, ado.Database, ado.UserID, ado.Password), Is.EqualTo(("127.0.0.1", 33060u, "rv_shop_2", "root", "s3cr;et")));
            Assert.That((env["MYSQL_HOST"], env["MYSQL_TCP_PORT"], env["MYSQL_PWD"], env["MYSQL_USER"], env["MYSQL_DATABASE"]), Is.EqualTo(("127.0.0.1", "33060", "s3cr;et", "root", "rv_shop_2")));
            Assert.That(env["RV_PHASE"], Is.EqualTo("forward"));
        });
    }

    [Test]
    public void Sqlite_gets_the_file_as_url_connection_string_and_path()
    {
        var details = new RollbackVerifier.Sqlite.SqliteInstance(new RollbackVerifier.Sqlite.SqliteDialect(), "rv_x", "/tmp/rv run/x.db", "SQLite 3", null).ConnectionDetails;
        var env = CommandEnvironment.Build(details, EngineKind.Sqlite, Phase.Reapply, Step(), new Dictionary<string, string>());
        Assert.Multiple(() =>
        {
            Assert.That(env["DATABASE_URL"], Is.EqualTo("sqlite:////tmp/rv run/x.db"), "sqlite:/// + absolute path, as SQLAlchemy spells it");
            Assert.That(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(env["RV_CONNECTION_STRING"]).DataSource, Is.EqualTo("/tmp/rv run/x.db"));
            Assert.That(env["RV_DB_PATH"], Is.EqualTo("/tmp/rv run/x.db"));
            Assert.That(env["RV_PHASE"], Is.EqualTo("reapply"));
            Assert.That(env.ContainsKey("RV_DB_PASSWORD") || env.Keys.Any(k => k.StartsWith("PG", StringComparison.Ordinal)), Is.False);
        });
    }

    [Test]
    public void Scenario_env_is_added_with_references_expanded()
    {
        var step = Step(("ASPNETCORE_ENVIRONMENT", "Migration"), ("ConnectionStrings__AppDb", "${RV_CONNECTION_STRING};Include Error Detail=true"), ("GREETING", "hi $$USER from ${HOME}"));
        var env = CommandEnvironment.Build(Postgres(), EngineKind.Postgres, Phase.Forward, step, new Dictionary<string, string> { ["HOME"] = "/home/ci" });
        Assert.That(env["ASPNETCORE_ENVIRONMENT"], Is.EqualTo("Migration"));
        Assert.That(env["ConnectionStrings__AppDb"], Is.EqualTo(env["RV_CONNECTION_STRING"] + ";Include Error Detail=true"));
        Assert.That(env["GREETING"], Is.EqualTo("hi $USER from /home/ci"));
    }

    [Test]
    public void Scenario_env_may_not_replace_a_connection_variable_or_name_an_unset_one()
    {
        var ex = Assert.Throws<ScenarioDefinitionException>(() => CommandEnvironment.Build(Postgres(), EngineKind.Postgres, Phase.Forward, Step(("PGHOST", "prod.example.com")), new Dictionary<string, string>()));
        Assert.That(ex!.Message, Does.StartWith(Manifest + ":7:").And.Contain("env.PGHOST is set by the harness"));
        ex = Assert.Throws<ScenarioDefinitionException>(() => CommandEnvironment.Build(Postgres(), EngineKind.Postgres, Phase.Forward, Step(("X", "${NOPE_NOT_SET}")), new Dictionary<string, string>()));
        Assert.That(ex!.Message, Does.StartWith(Manifest + ":7:").And.Contain("${NOPE_NOT_SET}, which is not set"));
    }

    [TestCase("PGHOST", null)]
    [TestCase("RV_PHASE", "set by the harness")]
    [TestCase("rv_phase", "set by the harness")]
    [TestCase("DATABASE_URL", "set by the harness")]
    [TestCase("A-B", "not a valid environment variable name")]
    [TestCase("ConnectionStrings__Default", null)]
    public void Reserved_names_are_rejected_when_the_scenario_is_loaded(string name, string? problem)
    {
        var found = CommandEnvironment.ReservedProblem(name);
        if (problem is null)
        {
            Assert.That(found, Is.Null);
        }
        else
        {
            Assert.That(found, Does.Contain(problem));
        }
    }
}
