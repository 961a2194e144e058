using System.Diagnostics;
using RollbackVerifier.Cli;
using RollbackVerifier.PostgreSql;
using RollbackVerifier.Tests.Support;
using Testcontainers.PostgreSql;

namespace RollbackVerifier.Tests.Cli;

/// <summary>
/// End to end: passwords given with --postgres-url / --mysql-url (or met in scripts and server messages) appear in no
/// report file, no console line, no error message and no trace, whether the server is unreachable, malformed or real.
/// </summary>
[NonParallelizable]
public sealed class SecretRedactionCliTests
{
    private string _out = string.Empty;
    private string _scenarios = string.Empty;

    [SetUp]
    public void CreateOut()
    {
        var id = Guid.NewGuid().ToString("N");
        _out = Path.Combine(Path.GetTempPath(), "rv-secrets-" + id);
        _scenarios = Path.Combine(Path.GetTempPath(), "rv-secrets-scenarios-" + id);
    }

    [TearDown]
    public void DeleteOut()
    {
        foreach (var dir in new[] { _out, _scenarios }.Where(Directory.Exists))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Scenario(string name) => Path.Combine(TestEngines.RepoRoot, "scenarios", name);

    /// <summary>Runs the CLI capturing stdout (the Spectre console), stderr and trace output.</summary>
    private static async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        var previousConsole = Spectre.Console.AnsiConsole.Console;
        var previousError = Console.Error;
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var trace = new StringWriter();
        using var listener = new TextWriterTraceListener(trace);
        Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(output) });
        Console.SetError(error);
        Trace.Listeners.Add(listener);
        try
        {
            var code = await CliApp.RunAsync(args);
            listener.Flush();
            return (code, output + "\n--- stderr ---\n" + error + "\n--- trace ---\n" + trace);
        }
        finally
        {
            Trace.Listeners.Remove(listener);
            Console.SetError(previousError);
            Spectre.Console.AnsiConsole.Console = previousConsole;
        }
    }

    private string Reports() =>
        Directory.Exists(_out) ? string.Join("\n", Directory.EnumerateFiles(_out, "*", SearchOption.AllDirectories).Select(File.ReadAllText)) : string.Empty;

    private void AssertNowhere(string secret, string console)
    {
        var reports = Reports();
        Assert.Multiple(() =>
        {
            Assert.That(reports, Is.Not.Empty, "reports were written");
            Assert.That(reports, Does.Not.Contain(secret), "report files");
            Assert.That(console, Does.Not.Contain(secret), "console, errors and traces");
        });
    }

    [TestCase("postgres", "postgres://user:s3cr3t-pw@127.0.0.1:1/db", "postgres://user@127.0.0.1:1/db")]
    [TestCase("mysql", "mysql://root:s3cr3t-pw@127.0.0.1:1/", "mysql://root@127.0.0.1:1")]
    public async Task Unreachable_servers_are_reported_without_their_passwords(string engine, string url, string described)
    {
        var (code, console) = await RunAsync("verify", Scenario("add-column"), "--engine", engine, $"--{engine}-url", url, "--report", "json,md,junit,html", "--out", _out);

        Assert.That(code, Is.EqualTo(CliApp.Success), console);
        AssertNowhere("s3cr3t-pw", console);
        Assert.That(Reports(), Does.Contain(described), "the report still says which server it tried");
    }

    [TestCase("postgres", "Host=127.0.0.1;Port=1;Username=u;Password=s3cr3t-pw;Bogus=1")]
    [TestCase("postgres", "postgres://u:s3cr3t-pw@127.0.0.1:1/db?bogus=1")]
    [TestCase("mysql", "mysql://root:s3cr3t-pw@127.0.0.1:1/?Bogus=1")]
    [TestCase("mysql", "Server=127.0.0.1;Uid=root;Pwd=s3cr3t-pw;Bogus=1")]
    public async Task A_malformed_server_setting_is_a_usage_error_that_does_not_print_it(string engine, string url)
    {
        var (code, console) = await RunAsync("verify", Scenario("add-column"), "--engine", engine, $"--{engine}-url", url, "--out", _out);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(CliApp.InvalidInput), console);
            Assert.That(console, Does.Contain($"error: Invalid {engine} engine settings"));
            Assert.That(console, Does.Not.Contain("s3cr3t-pw").And.Not.Contain("Unhandled exception"));
        });
    }

    [Test]
    public async Task Secrets_in_a_failing_statement_are_masked_in_reports_and_console()
    {
        var dir = Path.Combine(_scenarios, "scenario");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "baseline.sql"), "CREATE TABLE settings (id INTEGER PRIMARY KEY, name TEXT);");
        await File.WriteAllTextAsync(Path.Combine(dir, "forward.sql"), "ALTER TABLE settings ADD COLUMN dsn TEXT;");
        await File.WriteAllTextAsync(Path.Combine(dir, "rollback.sql"), "INSERT INTO missing_table (dsn, ado) VALUES ('postgres://app:url-s3cr3t@db/prod', 'Host=db;Password=ado-s3cr3t');\nALTER TABLE settings DROP COLUMN dsn;\n");
        var (code, console) = await RunAsync("verify", dir, "--engine", "sqlite", "--report", "json,md,junit,html", "--out", _out);

        Assert.That(code, Is.EqualTo(CliApp.ExpectationNotMet), console);
        var text = Reports();
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("missing_table").And.Contain("postgres://app:***@db/prod").And.Contain("Password=***"));
            Assert.That(text + console, Does.Not.Contain("url-s3cr3t").And.Not.Contain("ado-s3cr3t"));
        });
    }

    [Test]
    public async Task A_real_server_url_password_is_masked_even_where_the_server_echoes_it()
    {
        DockerRequirement.Ensure();
        var password = "s3cr3t-" + Guid.NewGuid().ToString("N")[..12];
        var image = Environment.GetEnvironmentVariable("RV_POSTGRES_IMAGE") is { Length: > 0 } i ? i : PostgresEngine.DefaultImage;
        var container = new PostgreSqlBuilder(image)
            .WithPassword(password)
            .WithLabel(Execution.EngineSettings.ContainerLabel, "true")
            .WithLabel(Execution.EngineSettings.RunLabel, TestEngines.RunId)
            .Build();
        try
        {
            await container.StartAsync();
            // First (before anything else made the password known): the server quotes the bad value back in its error message;
            // the password came with the connection string, so it is masked there too.
            var dir = Path.Combine(_scenarios, "echo");
            Directory.CreateDirectory(dir);
            await File.WriteAllTextAsync(Path.Combine(dir, "baseline.sql"), "CREATE TABLE t (id integer PRIMARY KEY);");
            await File.WriteAllTextAsync(Path.Combine(dir, "forward.sql"), "ALTER TABLE t ADD COLUMN n integer;");
            await File.WriteAllTextAsync(Path.Combine(dir, "rollback.sql"), $"UPDATE t SET n = '{password}'::integer;\nALTER TABLE t DROP COLUMN n;\n");
            var connectionString = $"Host=127.0.0.1;Port={container.GetMappedPublicPort(5432)};Username=postgres;Password={password}";
            var (echoCode, echoConsole) = await RunAsync("verify", dir, "--engine", "postgres", "--postgres-url", connectionString, "--report", "json,md,junit,html", "--out", Path.Combine(_out, "echo"));

            Assert.That(echoCode, Is.EqualTo(CliApp.ExpectationNotMet), echoConsole);
            Assert.That(Reports(), Does.Contain("invalid input syntax for type integer"), "the server's message is in the report");
            AssertNowhere(password, echoConsole);

            var url = $"postgres://postgres:{password}@127.0.0.1:{container.GetMappedPublicPort(5432)}/postgres";
            var (code, console) = await RunAsync("verify", Scenario("add-column"), "--engine", "postgres", "--postgres-url", url, "--report", "json,md,junit,html", "--out", _out);
            Assert.That(code, Is.EqualTo(CliApp.Success), console);
            Assert.That(Reports(), Does.Contain("PostgreSQL "), "it ran on the server");
            AssertNowhere(password, console);
        }
        finally
        {
            await container.DisposeAsync();
        }
    }
}
