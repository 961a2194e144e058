using RollbackVerifier.Execution;
using RollbackVerifier.MySql;
using RollbackVerifier.PostgreSql;
using RollbackVerifier.Reporting;

namespace RollbackVerifier.Tests.Reporting;

/// <summary>Engines register the passwords they are given, so a provider message that quotes one is masked too; their descriptions never hold one.</summary>
public sealed class EngineSecretsTests
{
    private static string Fresh() => "pw-" + Guid.NewGuid().ToString("N")[..16];

    private static IEnumerable<TestCaseData> Settings()
    {
        yield return new TestCaseData((Func<string, IDatabaseEngine>)(pw => new PostgresEngine(new EngineSettings(null, $"postgres://app:{Uri.EscapeDataString(pw)}@db:5432/prod", "r1")))).SetArgDisplayNames("postgres url");
        yield return new TestCaseData((Func<string, IDatabaseEngine>)(pw => new PostgresEngine(new EngineSettings(null, $"Host=db;Username=app;Password={pw}", "r1")))).SetArgDisplayNames("postgres connection string");
        yield return new TestCaseData((Func<string, IDatabaseEngine>)(pw => new MySqlEngine(new EngineSettings(null, $"mysql://root:{Uri.EscapeDataString(pw)}@db:3306/", "r1")))).SetArgDisplayNames("mysql url");
        yield return new TestCaseData((Func<string, IDatabaseEngine>)(pw => new MySqlEngine(new EngineSettings(null, $"Server=db;Uid=root;Pwd={pw}", "r1")))).SetArgDisplayNames("mysql connection string");
    }

    [TestCaseSource(nameof(Settings))]
    public async Task A_given_password_is_registered_and_not_described(Func<string, IDatabaseEngine> create)
    {
        var password = Fresh() + "/ x";
        Assert.That(Secrets.Redact($"server said: {password}"), Does.Contain(password), "not known before");

        var engine = create(password);
        await using (engine)
        {
            Assert.Multiple(() =>
            {
                Assert.That(Secrets.Redact($"server said: {password}"), Is.EqualTo("server said: ***"));
                Assert.That(engine.Description, Does.Not.Contain(password).And.Not.Contain(Uri.EscapeDataString(password)).And.Contain("db"));
            });
        }
    }

    [Test]
    public void Engine_settings_print_their_server_url_masked()
    {
        var settings = new EngineSettings("postgres:17", "postgres://app:pw-printed-1@db/prod", "r1");
        Assert.That(settings.ToString(), Is.EqualTo("EngineSettings { Image = postgres:17, ServerUrl = postgres://app:***@db/prod, RunId = r1 }"));
    }
}
