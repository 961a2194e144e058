using System.Globalization;
using System.Text.Json;

namespace RollbackVerifier.Tests.Cli;

/// <summary>
/// The command as users install it: the CLI is packed as a dotnet tool into a temporary feed, installed into a
/// temporary tool path with `dotnet tool install`, and run from there.
/// </summary>
[TestFixture]
[Category("packaging")]
[NonParallelizable]
public sealed class PackedToolTests
{
    private string _work = null!;

    [SetUp]
    public void CreateWorkFolder() => _work = Directory.CreateTempSubdirectory("rv-packed-tool-").FullName;

    [TearDown]
    public void RemoveWorkFolder() => Directory.Delete(_work, recursive: true);

    [Test]
    public async Task The_packed_tool_installs_and_runs_version_help_and_verify()
    {
        var root = TestEngines.RepoRoot;
        // A version of its own, so the NuGet cache never serves an older build of the same number.
        var version = "0.1.0-t" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        var feed = Path.Combine(_work, "feed");
        var pack = await RunAsync(root, "dotnet", "pack", Path.Combine(root, "src", "RollbackVerifier.Cli", "RollbackVerifier.Cli.csproj"), "-c", "Release", "-o", feed, "--artifacts-path", Path.Combine(_work, "artifacts"), $"-p:Version={version}");
        Assert.That(pack.ExitCode, Is.Zero, () => "dotnet pack failed:\n" + pack.Output);
        Assert.That(Directory.GetFiles(feed, $"RollbackVerifier.Cli.{version}.nupkg"), Has.Length.EqualTo(1), "the tool package");

        var tools = Path.Combine(_work, "tools");
        var install = await RunAsync(_work, "dotnet", "tool", "install", "RollbackVerifier.Cli", "--version", version, "--tool-path", tools, "--add-source", feed);
        Assert.That(install.ExitCode, Is.Zero, () => "dotnet tool install failed:\n" + install.Output);
        var tool = Path.Combine(tools, OperatingSystem.IsWindows() ? "rollback-verifier.exe" : "rollback-verifier");
        Assert.That(tool, Does.Exist);

        var versionRun = await RunAsync(_work, tool, "--version");
        var help = await RunAsync(_work, tool, "--help");
        var reports = Path.Combine(_work, "reports");
        var verify = await RunAsync(_work, tool, "verify", Path.Combine(root, "scenarios", "add-column"), Path.Combine(root, "scenarios", "drop-column-readded-empty"), "--engine", "sqlite", "--report", "json", "--out", reports);
        var bad = await RunAsync(_work, tool, "verify", Path.Combine(root, "scenarios", "add-column"), "--shard", "3/2");

        Assert.Multiple(() =>
        {
            Assert.That((versionRun.ExitCode, versionRun.Output.Trim()), Is.EqualTo((0, version.Split('-')[0])), "the assembly version (major.minor.patch)");
            Assert.That(help.ExitCode, Is.Zero);
            Assert.That(help.Output, Does.Contain("verify").And.Contain("report").And.Contain("init").And.Contain("explain"));
            Assert.That(verify.ExitCode, Is.Zero, verify.Output);
            Assert.That(verify.Output, Does.Contain("add-column on sqlite").And.Contain("2 runs: 1 pass, 1 fail; all as expected"));
            Assert.That(bad.ExitCode, Is.EqualTo(2));
            Assert.That(bad.Output, Does.Contain("error: --shard '3/2'"));
        });
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(reports, "report.json")));
        Assert.That(json.RootElement.GetProperty("results").GetArrayLength(), Is.EqualTo(2));
    }

    private static Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, string fileName, params string[] arguments) =>
        Support.ProcessRunner.RunAsync(workingDirectory, fileName, arguments);
}
