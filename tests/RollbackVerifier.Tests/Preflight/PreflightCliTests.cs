using RollbackVerifier.Cli;

namespace RollbackVerifier.Tests.Preflight;

/// <summary>The CLI surface of the checklist on the embedded engine: verify writes checklist files and, on request, review prompts; preflight refuses bad input with exit 2.</summary>
[NonParallelizable]
public sealed class PreflightCliTests
{
    private string _out = string.Empty;

    [SetUp]
    public void CreateOut() => _out = Path.Combine(Path.GetTempPath(), "rv-preflight-cli-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteOut()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    private static string Fixture => Path.Combine(TestEngines.RepoRoot, "fixtures", "preflight", "relaxed-rules");

    [Test]
    public async Task Verify_writes_the_checklist_and_adds_the_review_prompt_only_when_asked()
    {
        var plain = Path.Combine(_out, "plain");
        var prompted = Path.Combine(_out, "prompted");
        Assert.That(await CliApp.RunAsync(["verify", Fixture, "--engine", "sqlite", "--report", "md", "--out", plain]), Is.EqualTo(CliApp.Success));
        Assert.That(await CliApp.RunAsync(["verify", Fixture, "--engine", "sqlite", "--report", "md", "--out", prompted, "--review-prompt"]), Is.EqualTo(CliApp.Success));

        var withoutPrompt = await File.ReadAllTextAsync(Path.Combine(plain, "report.md"));
        var withPrompt = await File.ReadAllTextAsync(Path.Combine(prompted, "report.md"));
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(Path.Combine(plain, "relaxed-rules", "checklist.sqlite.sql")), Does.Contain("-- @check PF-null-customers.nickname"));
            Assert.That(withoutPrompt, Does.Contain("### Pre-rollback checklist").And.Not.Contain("### Review prompt"));
            Assert.That(withPrompt, Does.Contain("### Review prompt").And.Contain("Answer with the new rollback script only"));
        });
    }

    [TestCase(new[] { "preflight", "x" }, "exactly one database")]
    [TestCase(new[] { "preflight", "x", "--sqlite-file", "a.db", "--postgres-url", "postgres://u@h/db" }, "exactly one database")]
    [TestCase(new[] { "preflight", "--sqlite-file", "a.db" }, "scenario folder")]
    [TestCase(new[] { "preflight", "--sqlite-file", "/nonexistent/app.db", "--checklist", "/nonexistent/checklist.sqlite.sql" }, "/nonexistent/checklist.sqlite.sql")]
    public async Task Bad_input_exits_2_with_a_message(string[] args, string message)
    {
        var (code, output) = await PreflightTestSupport.CaptureAsync(args);
        Assert.That(code, Is.EqualTo(CliApp.InvalidInput));
        Assert.That(output, Does.Contain(message));
    }

    [Test]
    public async Task A_missing_database_file_is_bad_input_and_never_created()
    {
        var path = Path.Combine(_out, "missing.db");
        Assert.That(await CliApp.RunAsync(["preflight", Fixture, "--sqlite-file", path]), Is.EqualTo(CliApp.InvalidInput));
        Assert.That(File.Exists(path), Is.False);
    }

    [Test]
    public async Task A_postgres_url_password_is_never_printed()
    {
        // Nothing listens on port 1: the connection fails and the error is printed.
        var (code, output) = await PreflightTestSupport.CaptureAsync("preflight", "--checklist", Path.Combine(TestEngines.RepoRoot, "fixtures", "golden", "preflight", "checklist.postgres.sql"), "--postgres-url", "postgres://admin:s3cr3t-pw@127.0.0.1:1/prod?Timeout=2");
        Assert.That(code, Is.EqualTo(CliApp.InvalidInput));
        Assert.That(output, Does.Contain("cannot connect").And.Not.Contain("s3cr3t-pw"));
    }
}
