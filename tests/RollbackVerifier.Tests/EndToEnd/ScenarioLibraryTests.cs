using System.Text.RegularExpressions;
using RollbackVerifier.Execution;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Tests.EndToEnd;

/// <summary>
/// The scenario library (scenarios/) is documentation that runs: every scenario explains itself and pins what it
/// must produce, and the README's "Scenario library" table lists exactly the scenarios that exist. Running them is
/// <see cref="ExampleScenarioTests"/>'s job.
/// </summary>
[TestFixture]
public sealed partial class ScenarioLibraryTests
{
    private static string LibraryRoot => Path.Combine(TestEngines.RepoRoot, "scenarios");

    private static IReadOnlyList<string> Folders() => ScenarioLoader.Discover([LibraryRoot]);

    public static IEnumerable<TestCaseData> Scenarios() =>
        Folders().Select(folder => new TestCaseData(folder).SetName($"Library scenario {Path.GetRelativePath(LibraryRoot, folder)} explains itself and pins its expectation"));

    [TestCaseSource(nameof(Scenarios))]
    public void Scenario_explains_itself_and_pins_its_expectation(string folder)
    {
        var scenario = ScenarioLoader.Load(folder, null);
        var sentences = SentenceEnd().Matches(scenario.Description.Trim()).Count;

        Assert.Multiple(() =>
        {
            Assert.That(sentences, Is.InRange(2, 3), $"{scenario.Name}: the description explains the failure in two or three sentences");
            Assert.That(scenario.Engines, Is.Not.Empty, $"{scenario.Name}: names its engines");
            Assert.That(scenario.Expect.Verdict, Is.Not.Null, $"{scenario.Name}: declares its expected verdict");
            if (scenario.Expect.Verdict is Verdict.Fail or Verdict.NothingTested)
            {
                Assert.That(scenario.Expect.Findings, Is.Not.Empty, $"{scenario.Name}: an unsafe rollback names the finding codes it must trigger");
            }

            foreach (var accepted in scenario.Expect.Accepted)
            {
                Assert.That(accepted.Reason, Is.Not.Empty, $"{scenario.Name}: accepts {accepted.Code} with a reason");
            }
        });
    }

    [Test]
    public void Readme_scenario_library_table_lists_every_scenario_and_no_other()
    {
        var listed = ReadmeLibraryNames();
        var folders = Folders().Select(f => Path.GetRelativePath(LibraryRoot, f).Replace('\\', '/')).ToHashSet(StringComparer.Ordinal);

        Assert.Multiple(() =>
        {
            Assert.That(folders.Except(listed), Is.Empty, "scenarios missing from the README's Scenario library table");
            Assert.That(listed.Except(folders), Is.Empty, "names in the README's Scenario library table that are not scenario folders");
        });
    }

    /// <summary>Scenario names (back-quoted, with a hyphen) in the rollback columns of the README's library table.</summary>
    private static HashSet<string> ReadmeLibraryNames()
    {
        var readme = File.ReadAllText(Path.Combine(TestEngines.RepoRoot, "README.md"));
        var start = readme.IndexOf("\n## Scenario library\n", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "README.md has a '## Scenario library' section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? readme[start..] : readme[start..end];

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in section.Split('\n').Where(l => l.StartsWith('|') && !l.StartsWith("|-", StringComparison.Ordinal)).Skip(1))
        {
            var cells = row.Split('|');
            foreach (var cell in cells.Skip(2).Take(2))
            {
                names.UnionWith(ScenarioName().Matches(cell).Select(m => m.Groups[1].Value));
            }
        }

        Assert.That(names, Is.Not.Empty, "the Scenario library table names scenarios");
        return names;
    }

    [GeneratedRegex(@"[.!?](?=\s|$)")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"`([a-z0-9]+(?:-[a-z0-9]+)+)`")]
    private static partial Regex ScenarioName();
}
