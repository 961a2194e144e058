using System.Collections.Concurrent;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Tests.Support;

namespace RollbackVerifier.Tests;

/// <summary>
/// One engine per kind for the whole test run (one container per image, a database per scenario), disposed at
/// the end; then no container of this run may remain.
/// </summary>
[SetUpFixture]
public sealed class TestEngines
{
    private static readonly ConcurrentDictionary<EngineKind, IDatabaseEngine> Engines = new();

    /// <summary>Run id shared by every engine the tests create; containers carry it as a label.</summary>
    public static string RunId { get; } = "t" + EngineSettings.NewRunId();

    /// <summary>The shared engine of a kind; for containers, fails in CI / is ignored locally without Docker.</summary>
    public static IDatabaseEngine Get(EngineKind kind)
    {
        if (kind != EngineKind.Sqlite && Environment.GetEnvironmentVariable("RV_" + kind.ToName().ToUpperInvariant() + "_URL") is null)
        {
            DockerRequirement.Ensure();
        }

        return Engines.GetOrAdd(kind, Create);
    }

    public static IDatabaseEngine Create(EngineKind kind) => Create(kind, EngineSettings.FromEnvironment(kind, RunId));

    public static IDatabaseEngine Create(EngineKind kind, EngineSettings settings) =>
        Registry.Create(kind, kind == EngineKind.Sqlite ? settings with { Image = null, ServerUrl = null } : settings);

    private static readonly EngineRegistry Registry = RollbackVerifier.Cli.EngineRegistration.CreateRegistry();

    /// <summary>The repository root (the folder holding RollbackVerifier.sln): above the test binaries, else above this source file.</summary>
    public static string RepoRoot => FindRoot(AppContext.BaseDirectory) ?? FindRoot(SourceDirectory()) ?? throw new InvalidOperationException("RollbackVerifier.sln not found");

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? ".";

    private static string? FindRoot(string start)
    {
        var dir = new DirectoryInfo(start);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RollbackVerifier.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName;
    }

    [OneTimeTearDown]
    public async Task DisposeEngines()
    {
        foreach (var engine in Engines.Values)
        {
            await engine.DisposeAsync();
        }

        Engines.Clear();
        if (DockerRequirement.Unavailability is null)
        {
            Assert.That(DockerRequirement.ListHarnessContainers(RunId), Is.Empty, "containers left behind by the test run");

            // The NUnit adapter's scenario tests (ExampleScenarioTests) share their own engines, removed when their test
            // methods finish, before this teardown and long before the process-exit safety net.
            Assert.That(DockerRequirement.ListHarnessContainers(RollbackVerifier.NUnit.RollbackVerifierSession.Shared.RunId), Is.Empty, "containers left behind by the adapter's scenario tests");
        }
    }
}
