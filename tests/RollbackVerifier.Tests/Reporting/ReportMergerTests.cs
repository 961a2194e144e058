using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;

namespace RollbackVerifier.Tests.Reporting;

/// <summary>report merge: shards combine into one report; reports that do not belong together are refused, naming the files.</summary>
public sealed class ReportMergerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 7, 0, 0, TimeSpan.Zero);

    private static ScenarioResult Result(string scenario, EngineKind engine, bool meets = true) =>
        new(scenario, "/repo/scenarios/" + scenario, engine, "v", Verdict.Pass, meets, meets ? [] : ["expected verdict fail, got pass"], [], null, [], null, []);

    private static ReportSource Shard(string file, int index, int count, TimeSpan offset, params ScenarioResult[] results) =>
        new(file, new VerificationReport("0.1.0", Start + offset, TimeSpan.FromMinutes(2), results) { Shard = new Shard(index, count) });

    [Test]
    public void Shards_merge_into_one_report_ordered_by_folder_and_engine_spanning_all_their_time()
    {
        var merged = ReportMerger.Merge(
        [
            Shard("s2.json", 2, 2, TimeSpan.FromMinutes(1), Result("b", EngineKind.Sqlite), Result("a", EngineKind.Postgres)),
            Shard("s1.json", 1, 2, TimeSpan.Zero, Result("a", EngineKind.Sqlite), Result("b", EngineKind.MySql, meets: false)),
        ]);

        Assert.Multiple(() =>
        {
            Assert.That(merged.Results.Select(r => $"{r.Scenario}/{r.Engine.ToName()}"), Is.EqualTo(new[] { "a/postgres", "a/sqlite", "b/mysql", "b/sqlite" }));
            Assert.That(merged.StartedAt, Is.EqualTo(Start));
            Assert.That(merged.Duration, Is.EqualTo(TimeSpan.FromMinutes(3)));
            Assert.That(merged.Shard, Is.Null);
            Assert.That(merged.Success, Is.False);
            Assert.That(merged.ToolVersion, Is.EqualTo("0.1.0"));
        });
    }

    [Test]
    public void The_same_scenario_and_engine_in_two_shards_is_refused_naming_both_files()
    {
        var ex = Assert.Throws<ReportFormatException>(() => ReportMerger.Merge(
        [
            Shard("s1.json", 1, 2, TimeSpan.Zero, Result("a", EngineKind.Sqlite)),
            Shard("s2.json", 2, 2, TimeSpan.Zero, Result("a", EngineKind.Sqlite)),
        ]))!;
        Assert.That(ex.Message, Does.StartWith("s2.json: 'a' on sqlite is also in s1.json"));
    }

    [Test]
    public void Reports_of_different_tool_versions_are_refused()
    {
        var newer = new ReportSource("s2.json", new VerificationReport("0.2.0", Start, TimeSpan.Zero, [Result("b", EngineKind.Sqlite)]) { Shard = new Shard(2, 2) });
        var ex = Assert.Throws<ReportFormatException>(() => ReportMerger.Merge([Shard("s1.json", 1, 2, TimeSpan.Zero, Result("a", EngineKind.Sqlite)), newer]))!;
        Assert.That(ex.Message, Does.StartWith("s2.json: written by rollback-verifier 0.2.0, but s1.json by 0.1.0"));
    }

    [Test]
    public void A_missing_shard_is_refused()
    {
        var ex = Assert.Throws<ReportFormatException>(() => ReportMerger.Merge(
        [
            Shard("s1.json", 1, 3, TimeSpan.Zero, Result("a", EngineKind.Sqlite)),
            Shard("s3.json", 3, 3, TimeSpan.Zero, Result("c", EngineKind.Sqlite)),
        ]))!;
        Assert.That(ex.Message, Does.StartWith("shard 2/3 missing: got 1/3 (s1.json), 3/3 (s3.json)"));
    }

    [Test]
    public void A_shard_given_twice_or_shards_of_another_split_are_refused()
    {
        var twice = Assert.Throws<ReportFormatException>(() => ReportMerger.Merge(
        [
            Shard("s1.json", 1, 2, TimeSpan.Zero, Result("a", EngineKind.Sqlite)),
            Shard("copy.json", 1, 2, TimeSpan.Zero, Result("b", EngineKind.Sqlite)),
        ]))!;
        Assert.That(twice.Message, Does.StartWith("copy.json: is shard 1/2, and so is s1.json"));

        var split = Assert.Throws<ReportFormatException>(() => ReportMerger.Merge(
        [
            Shard("s1.json", 1, 2, TimeSpan.Zero, Result("a", EngineKind.Sqlite)),
            Shard("t2.json", 2, 3, TimeSpan.Zero, Result("b", EngineKind.Sqlite)),
        ]))!;
        Assert.That(split.Message, Does.StartWith("t2.json: is shard 2/3 but s1.json is shard 1/2"));
    }

    [Test]
    public void Reports_of_unsharded_runs_merge_too()
    {
        var merged = ReportMerger.Merge(
        [
            new ReportSource("a.json", new VerificationReport("0.1.0", Start, TimeSpan.Zero, [Result("a", EngineKind.Sqlite)])),
            new ReportSource("b.json", new VerificationReport("0.1.0", Start, TimeSpan.Zero, [Result("b", EngineKind.Sqlite)])),
        ]);
        Assert.That(merged.Results, Has.Count.EqualTo(2));
    }
}
