using System.Text.RegularExpressions;
using RollbackVerifier.MySql;
using RollbackVerifier.PostgreSql;
using YamlDotNet.RepresentationModel;

namespace RollbackVerifier.Tests.Scenarios;

/// <summary>
/// How the jobs fit together, since they cannot run here: needs name jobs, the shard matrix covers 1..N and matches the
/// command, the merge job downloads exactly what the shards upload and publishes the JUnit file it writes, images are
/// the engines' official defaults, and CI keeps the report screenshot.
/// </summary>
public sealed partial class WorkflowTests
{
    private static YamlMappingNode Jobs(YamlMappingNode workflow) => (YamlMappingNode)workflow.Children[new YamlScalarNode("jobs")];

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static IEnumerable<string> Scalars(YamlNode? node) => node switch
    {
        YamlScalarNode scalar when scalar.Value is not null => [scalar.Value],
        YamlSequenceNode sequence => sequence.Children.SelectMany(Scalars),
        _ => [],
    };

    private static IEnumerable<YamlMappingNode> JobSteps(YamlNode job) =>
        Child(job, "steps") is YamlSequenceNode steps ? steps.Children.OfType<YamlMappingNode>() : [];

    private static IEnumerable<YamlMappingNode> Uses(YamlNode job, string action) =>
        JobSteps(job).Where(s => Value(s, "uses")?.StartsWith(action + "@", StringComparison.Ordinal) == true);

    private static string Runs(YamlNode job) => string.Join("\n", JobSteps(job).Select(s => Value(s, "run")).OfType<string>());

    /// <summary>A GitHub glob (only '*') as a regex.</summary>
    private static bool GlobMatches(string glob, string value) =>
        Regex.IsMatch(value, "^" + Regex.Escape(glob).Replace("\\*", ".*", StringComparison.Ordinal) + "$");

    [TestCaseSource(nameof(Workflows))]
    public void Every_needs_names_a_job_of_the_workflow(string file)
    {
        var jobs = Jobs(Load(file));
        var names = jobs.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, job) in jobs.Children.Select(j => (((YamlScalarNode)j.Key).Value, j.Value)))
        {
            Assert.That(Scalars(Child(job, "needs")), Is.SubsetOf(names), $"{file}: needs of job {name}");
        }
    }

    [TestCaseSource(nameof(Workflows))]
    public void Images_are_the_engines_official_defaults(string file)
    {
        var text = File.ReadAllText(RepoFiles.Path(".github/workflows", file));
        Assert.Multiple(() =>
        {
            foreach (Match m in Regex.Matches(text, @"RV_POSTGRES_IMAGE:\s*(\S+)"))
            {
                Assert.That(m.Groups[1].Value, Is.EqualTo(PostgresEngine.DefaultImage), file);
            }

            foreach (Match m in Regex.Matches(text, @"RV_MYSQL_IMAGE:\s*(\S+)"))
            {
                Assert.That(m.Groups[1].Value, Is.EqualTo(MySqlEngine.DefaultImage), file);
            }
        });
    }

    [Test]
    public void Nightly_shards_cover_one_to_n_and_the_merge_job_reads_exactly_what_they_upload()
    {
        var jobs = Jobs(Load("nightly.yml"));
        var shardJob = jobs.Children.Values.Single(j => Child(Child(Child(j, "strategy"), "matrix"), "shard") is not null);
        var shards = Scalars(Child(Child(Child(shardJob, "strategy")!, "matrix")!, "shard")).Select(int.Parse).ToList();
        var command = Regex.Match(Runs(shardJob), @"rollback-verifier[^\n]*|src/RollbackVerifier\.Cli[^\n]*verify[^\n]*");
        var shardOption = Regex.Match(Runs(shardJob), @"--shard \$\{\{ matrix\.shard \}\}/(\d+)");

        Assert.That(shardOption.Success, Is.True, "the shard job passes --shard ${{ matrix.shard }}/N");
        var n = int.Parse(shardOption.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(shards, Is.EqualTo(Enumerable.Range(1, n)), "matrix shard values are 1..N, each once");
            Assert.That(command.Value, Does.Contain(" verify scenarios fixtures/e2e ").And.Contain("--require-engines").And.Contain("--report json"));
            Assert.That(Value((YamlMappingNode)Child(shardJob, "strategy")!, "fail-fast"), Is.EqualTo("false"), "one failing shard must not cancel the others");
        });

        // Uploads: one artifact per shard, holding the folder the shard's --out wrote.
        var upload = Uses(shardJob, "actions/upload-artifact").Single();
        var uploadWith = (YamlMappingNode)Child(upload, "with")!;
        var outDir = Regex.Match(Runs(shardJob), @"--out (\S+)").Groups[1].Value;
        var uploaded = shards.Select(s => Value(uploadWith, "name")!.Replace("${{ matrix.shard }}", s.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(uploaded.Distinct().Count(), Is.EqualTo(n), "artifact names differ per shard");
            Assert.That(Value(uploadWith, "path")!.TrimEnd('/'), Is.EqualTo(outDir.TrimEnd('/')), "the shard uploads its --out folder");
            Assert.That(Value(upload, "if"), Is.EqualTo("always()"), "a failing shard still uploads its report");
        });

        // The merge job: after the shards, even when one failed; downloads them all, merges into every format, publishes JUnit.
        var (mergeName, mergeJob) = jobs.Children.Select(j => (((YamlScalarNode)j.Key).Value!, j.Value)).Single(j => Runs(j.Value).Contains("report merge", StringComparison.Ordinal));
        var shardName = ((YamlScalarNode)jobs.Children.Single(j => j.Value == shardJob).Key).Value;
        var download = (YamlMappingNode)Child(Uses(mergeJob, "actions/download-artifact").Single(), "with")!;
        var downloadPath = Value(download, "path")!;
        var merge = Regex.Match(Runs(mergeJob), @"report merge (?<inputs>.+?) --out (?<out>\S+) --report (?<formats>\S+)");
        Assert.That(merge.Success, Is.True, $"{mergeName} runs `report merge <dirs> --out DIR --report FORMATS`");
        var inputs = merge.Groups["inputs"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var mergedOut = merge.Groups["out"].Value;
        var publish = Uses(mergeJob, "EnricoMi/publish-unit-test-result-action").Concat(Uses(mergeJob, "dorny/test-reporter")).Single();
        var publishWith = (YamlMappingNode)Child(publish, "with")!;
        var permissions = Child(mergeJob, "permissions");

        Assert.Multiple(() =>
        {
            Assert.That(Scalars(Child(mergeJob, "needs")), Does.Contain(shardName));
            Assert.That(Value((YamlMappingNode)mergeJob, "if"), Is.EqualTo("always()"), "merge whatever the shards produced");
            Assert.That(uploaded, Has.All.Matches<string>(name => Value(download, "pattern") is { } pattern ? GlobMatches(pattern, name) : Value(download, "name") == name), "the download takes every shard artifact");
            Assert.That(Value(download, "merge-multiple"), Is.Not.EqualTo("true"), "one folder per shard, so their report.json files do not overwrite each other");
            Assert.That(uploaded, Has.All.Matches<string>(name => inputs.Any(input => GlobMatches(input, $"{downloadPath}/{name}"))), "report merge reads every shard's folder");
            Assert.That(merge.Groups["formats"].Value.Split(','), Is.SupersetOf(new[] { "json", "md", "junit", "html" }));
            Assert.That(Value(publishWith, "files") ?? Value(publishWith, "path"), Is.EqualTo($"{mergedOut}/report.junit.xml"), "publishes the merged JUnit file");
            Assert.That(permissions is null ? null : Value((YamlMappingNode)permissions, "checks"), Is.EqualTo("write"), "publishing a check needs checks: write");
            Assert.That(Uses(mergeJob, "actions/upload-artifact").Select(u => Value((YamlMappingNode)Child(u, "with")!, "path")!.TrimEnd('/')), Does.Contain(mergedOut), "the merged reports are kept");
        });
    }

    [Test]
    public void Pull_request_workflow_produces_and_keeps_the_report_screenshot()
    {
        var jobs = Jobs(Load("ci.yml"));
        var job = jobs.Children.Values.Single(j => Runs(j).Contains("eng/screenshot-report.sh", StringComparison.Ordinal));
        var uploads = Uses(job, "actions/upload-artifact").Select(u => Value((YamlMappingNode)Child(u, "with")!, "path")!.TrimEnd('/')).ToList();
        var ciScript = File.ReadAllText(RepoFiles.Path(".ci/run"));

        Assert.Multiple(() =>
        {
            Assert.That(uploads, Does.Contain("rv-reports"), "rv-reports/report.png is an artifact");
            Assert.That(File.ReadAllText(RepoFiles.Path("eng/screenshot-report.sh")), Does.Contain("RV_REPORT_DIR:-rv-reports"));
            Assert.That(ciScript, Does.Contain("bash eng/screenshot-report.sh"), ".ci/run renders the screenshot too");
        });
    }
}
