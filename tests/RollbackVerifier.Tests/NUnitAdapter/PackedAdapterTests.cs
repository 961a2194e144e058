using System.Globalization;

namespace RollbackVerifier.Tests.NUnitAdapter;

/// <summary>
/// The adapter as users get it: the packages are packed into a temporary feed, the user project in
/// fixtures/nunit-user is copied out of the repository, restored from that feed and run with `dotnet test`.
/// </summary>
[TestFixture]
[Category("packaging")]
[NonParallelizable]
public sealed class PackedAdapterTests
{
    private static readonly string[] Packages =
    [
        "src/RollbackVerifier.Core/RollbackVerifier.Core.csproj",
        "src/RollbackVerifier.PostgreSql/RollbackVerifier.PostgreSql.csproj",
        "src/RollbackVerifier.MySql/RollbackVerifier.MySql.csproj",
        "src/RollbackVerifier.Sqlite/RollbackVerifier.Sqlite.csproj",
        "src/RollbackVerifier.NUnit/RollbackVerifier.NUnit.csproj",
    ];

    private string _work = null!;

    [SetUp]
    public void CreateWorkFolder() => _work = Directory.CreateTempSubdirectory("rv-packed-adapter-").FullName;

    [TearDown]
    public void RemoveWorkFolder() => Directory.Delete(_work, recursive: true);

    [Test]
    public async Task A_user_project_gets_one_test_per_scenario_with_findings_in_the_failure()
    {
        var root = TestEngines.RepoRoot;
        // A version of its own, so the NuGet cache never serves an older build of the same number.
        var version = "0.1.0-t" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        var feed = Path.Combine(_work, "feed");
        foreach (var project in Packages)
        {
            var pack = await RunAsync(root, "dotnet", "pack", Path.Combine(root, project), "-c", "Release", "-o", feed, "--artifacts-path", Path.Combine(_work, "artifacts"), $"-p:Version={version}");
            Assert.That(pack.ExitCode, Is.Zero, () => $"dotnet pack {project} failed:\n{pack.Output}");
        }

        Assert.That(Directory.GetFiles(feed, "RollbackVerifier.NUnit." + version + ".nupkg"), Has.Length.EqualTo(1), "the adapter package");

        var user = Path.Combine(_work, "user");
        CopyFolder(Path.Combine(root, "fixtures", "nunit-user"), user);
        await File.WriteAllTextAsync(Path.Combine(user, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="rollbackverifier-local" value="{feed}" />
              </packageSources>
            </configuration>
            """);

        var reports = Path.Combine(_work, "reports");
        var test = await RunAsync(user, "dotnet", "test", user, $"-p:RollbackVerifierVersion={version}", "--logger", "console;verbosity=normal", "--environment", $"RV_REPORT_DIR={reports}");

        Assert.Multiple(() =>
        {
            Assert.That(test.ExitCode, Is.EqualTo(1), "one scenario fails, so dotnet test fails");
            Assert.That(test.Output, Does.Contain("Passed add-nullable-column on sqlite"));
            Assert.That(test.Output, Does.Contain("Failed drop-column-readded-empty on sqlite"));
            Assert.That(test.Output, Does.Contain("Total tests: 2").Or.Contain("Total: 2"), "exactly one test per scenario and engine");
            Assert.That(test.Output, Does.Contain("Rollback of 'drop-column-readded-empty' on sqlite"), "the failure names scenario and engine");
            Assert.That(test.Output, Does.Contain("RV304 dropped-data-not-restored"), "the failure lists the findings");
            Assert.That(test.Output, Does.Contain("What:").And.Contain("Evidence:").And.Contain("How to fix the rollback:"));
            Assert.That(test.Output, Does.Contain("Reproduce: rollback-verifier verify"));
            Assert.That(Path.Combine(reports, "drop-column-readded-empty.sqlite.md"), Does.Exist, "the Markdown report written and attached");
            Assert.That(Path.Combine(reports, "add-nullable-column.sqlite.json"), Does.Exist);
        });
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, string fileName, params string[] arguments) =>
        Support.ProcessRunner.RunAsync(workingDirectory, fileName, arguments);
}
