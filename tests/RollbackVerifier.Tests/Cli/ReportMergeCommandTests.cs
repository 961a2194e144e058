using System.Text.Json;
using RollbackVerifier.Cli;

namespace RollbackVerifier.Tests.Cli;

/// <summary>report merge end to end: the shards of a SQLite run merge into the report of the whole run.</summary>
[NonParallelizable]
public sealed class ReportMergeCommandTests
{
    private string _work = string.Empty;

    [SetUp]
    public void CreateWork() => _work = CliRun.TempFolder("rv-merge-");

    [TearDown]
    public void DeleteWork() => CliRun.Delete(_work);

    private static readonly string[] Run = ["verify", Path.Combine(TestEngines.RepoRoot, "scenarios"), "--engine", "sqlite", "--filter", "drop-column-*", "--filter", "add-column", "--report", "json", "--progress", "none"];

    /// <summary>What must not depend on sharding: per result everything but timings, in order.</summary>
    private static List<string> Comparable(string report)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        return json.RootElement.GetProperty("results").EnumerateArray()
            .Select(r => string.Join("|", r.GetProperty("scenario").GetString(), r.GetProperty("engine").GetString(), r.GetProperty("verdict").GetString(),
                r.GetProperty("meetsExpectation").GetBoolean(), string.Join(",", r.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString() + " " + f.GetProperty("object").GetString()))))
            .ToList();
    }

    private async Task ShardsAsync(int count)
    {
        for (var i = 1; i <= count; i++)
        {
            var shard = await CliRun.RunAsync([.. Run, "--shard", $"{i}/{count}", "--out", Path.Combine(_work, "shards", $"shard-{i}")]);
            Assert.That(shard.Code, Is.EqualTo(CliApp.Success), shard.Output + shard.Errors);
        }
    }

    [Test]
    public async Task Merged_shards_give_the_report_of_the_whole_run_in_every_format()
    {
        var whole = await CliRun.RunAsync([.. Run, "--out", Path.Combine(_work, "whole")]);
        await ShardsAsync(3);
        File.WriteAllText(Path.Combine(_work, "shards", "package.json"), "{\"name\": \"unrelated\"}");

        var merge = await CliRun.RunAsync("report", "merge", Path.Combine(_work, "shards"), "--out", Path.Combine(_work, "merged"));

        Assert.That((whole.Code, merge.Code), Is.EqualTo((CliApp.Success, CliApp.Success)), merge.Output + merge.Errors);
        Assert.That(Comparable(Path.Combine(_work, "merged", "report.json")), Is.EqualTo(Comparable(Path.Combine(_work, "whole", "report.json"))));
        Assert.That(Path.Combine(_work, "merged", "report.md"), Does.Exist);
        Assert.That(Path.Combine(_work, "merged", "report.junit.xml"), Does.Exist, "every registered format by default");
        Assert.That(merge.Output, Does.Contain("merged 3 reports").And.Contain("skip").And.Contain("package.json"));

        // The merged report can be merged again with nothing else, and is not picked up as an input when written into the folder searched.
        var again = await CliRun.RunAsync("report", "merge", Path.Combine(_work, "shards"), "--out", Path.Combine(_work, "shards", "merged"), "--report", "json");
        Assert.That(again.Code, Is.EqualTo(CliApp.Success), again.Errors);
        var twice = await CliRun.RunAsync("report", "merge", Path.Combine(_work, "shards"), "--out", Path.Combine(_work, "shards", "merged"), "--report", "json");
        Assert.That(twice.Code, Is.EqualTo(CliApp.Success), "the output folder is never an input: " + twice.Errors);
    }

    [Test]
    public async Task A_missing_shard_exits_2_and_names_what_is_there()
    {
        await ShardsAsync(3);
        Directory.Delete(Path.Combine(_work, "shards", "shard-2"), recursive: true);

        var merge = await CliRun.RunAsync("report", "merge", Path.Combine(_work, "shards"), "--out", Path.Combine(_work, "merged"));

        Assert.That(merge.Code, Is.EqualTo(CliApp.InvalidInput));
        Assert.That(merge.Errors, Does.Contain("shard 2/3 missing"));
        Assert.That(Path.Combine(_work, "merged"), Does.Not.Exist, "nothing written");
    }

    [Test]
    public async Task An_unreadable_or_foreign_report_file_exits_2_naming_it()
    {
        var broken = Path.Combine(_work, "broken.json");
        File.WriteAllText(broken, "{\"schemaVersion\": 1, \"tool\": {\"name\": \"rollback-verifier\", \"version\": \"0.1.0\"}, \"res");
        var foreign = Path.Combine(_work, "package.json");
        File.WriteAllText(foreign, "{\"name\": \"unrelated\"}");
        var missing = Path.Combine(_work, "nope.json");

        var brokenRun = await CliRun.RunAsync("report", "merge", broken);
        var foreignRun = await CliRun.RunAsync("report", "merge", foreign);
        var missingRun = await CliRun.RunAsync("report", "merge", missing);

        Assert.That((brokenRun.Code, foreignRun.Code, missingRun.Code), Is.EqualTo((CliApp.InvalidInput, CliApp.InvalidInput, CliApp.InvalidInput)));
        Assert.That(brokenRun.Errors, Does.Contain(broken + ": line 1: not valid JSON"));
        Assert.That(foreignRun.Errors, Does.Contain(foreign + ": not a RollbackVerifier report"), "a file named on the command line must be a report");
        Assert.That(missingRun.Errors, Does.Contain(missing + ": no such report file or folder"));
    }

    [Test]
    public async Task A_shard_given_twice_is_refused()
    {
        await ShardsAsync(2);
        var first = Path.Combine(_work, "shards", "shard-1", "report.json");
        var merge = await CliRun.RunAsync("report", "merge", first, Path.Combine(_work, "shards", "shard-2", "report.json"), Path.Combine(_work, "shards", "shard-1", "..", "shard-1", "report.json"));
        Assert.That(merge.Code, Is.EqualTo(CliApp.Success), "the same file named twice is read once: " + merge.Errors);

        var copy = Path.Combine(_work, "copy.json");
        File.Copy(first, copy);
        var twice = await CliRun.RunAsync("report", "merge", Path.Combine(_work, "shards"), copy, "--out", Path.Combine(_work, "merged"));
        Assert.That(twice.Code, Is.EqualTo(CliApp.InvalidInput));
        Assert.That(twice.Errors, Does.Contain("copy.json: is shard 1/2, and so is"));
    }
}
