using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace RollbackVerifier.Tests.Scenarios;

/// <summary>
/// The GitHub workflows cannot run here, so they are checked statically: valid YAML with jobs and steps, the files and
/// projects their commands name exist, and the pull-request workflow runs the README's test command.
/// </summary>
public sealed partial class WorkflowTests
{
    private static IEnumerable<string> Workflows() =>
        Directory.EnumerateFiles(RepoFiles.Path(".github/workflows"), "*.yml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    private static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(RepoFiles.Path(".github/workflows", file)));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static IEnumerable<YamlMappingNode> Steps(YamlMappingNode workflow) =>
        ((YamlMappingNode)workflow.Children[new YamlScalarNode("jobs")]).Children.Values.Cast<YamlMappingNode>()
            .SelectMany(job => ((YamlSequenceNode)job.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>());

    private static string? Value(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;

    [TestCaseSource(nameof(Workflows))]
    public void Workflow_parses_and_names_only_files_that_exist(string file)
    {
        var workflow = Load(file);
        Assert.That(Value(workflow, "name"), Is.Not.Null.And.Not.Empty);
        Assert.That(workflow.Children.ContainsKey(new YamlScalarNode("on")), Is.True, "a trigger");
        var steps = Steps(workflow).ToList();
        Assert.That(steps, Is.Not.Empty);
        foreach (var step in steps)
        {
            if (step.Children.TryGetValue(new YamlScalarNode("with"), out var with) && with is YamlMappingNode options && Value(options, "global-json-file") is { } globalJson)
            {
                Assert.That(File.Exists(RepoFiles.Path(globalJson)), Is.True, globalJson);
            }

            foreach (Match path in RepoPath().Matches(Value(step, "run") ?? string.Empty))
            {
                Assert.That(File.Exists(RepoFiles.Path(path.Value)) || Directory.Exists(RepoFiles.Path(path.Value)), Is.True, $"{file}: {path.Value}");
            }
        }
    }

    [Test]
    public void Pull_request_workflow_runs_the_readme_test_command()
    {
        var readme = File.ReadAllText(RepoFiles.Path("README.md"));
        var command = ReadmeTestCommand().Match(readme);
        Assert.That(command.Success, Is.True, "README names the test command");
        var runs = Steps(Load("ci.yml")).Select(s => Value(s, "run")).OfType<string>();
        Assert.That(runs, Has.Some.Contains(command.Groups[1].Value.Trim()));
    }

    [GeneratedRegex(@"(?<![\w./-])(?:src|eng|bench|tests|scenarios|fixtures)/[\w./-]+|\b[\w.-]+\.sln\b")]
    private static partial Regex RepoPath();

    [GeneratedRegex(@"Run the tests:\s*\n\s*\n\s+(dotnet test[^\n]+)")]
    private static partial Regex ReadmeTestCommand();
}
