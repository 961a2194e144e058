using RollbackVerifier.Cli;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Tests.Cli;

/// <summary>The runner's progress events: each phase starts and finishes in order, and seeded rows are counted as they go.</summary>
[NonParallelizable]
public sealed class RunProgressTests
{
    /// <summary>Collects events synchronously (Progress&lt;T&gt; would post them to the thread pool, out of order).</summary>
    private sealed class Recorder : IProgress<RunProgress>
    {
        public List<RunProgress> Events { get; } = [];

        public void Report(RunProgress value)
        {
            lock (Events)
            {
                Events.Add(value);
            }
        }
    }

    [Test]
    public async Task Phases_are_reported_as_they_start_and_finish_with_rows_seeded_so_far()
    {
        var scenario = ScenarioLoader.Load(Path.Combine(TestEngines.RepoRoot, "scenarios", "add-column"), EngineKind.Sqlite);
        scenario = scenario with { Seed = VerifyCommand.Scale(scenario.Seed, 2500, 20) };
        var recorder = new Recorder();

        var result = await new ScenarioRunner { Progress = recorder }.RunAsync(scenario, EngineKind.Sqlite, TestEngines.Get(EngineKind.Sqlite), CancellationToken.None);

        var events = recorder.Events;
        Assert.That(events.Select(e => (e.Scenario, e.Engine)).Distinct(), Is.EqualTo(new[] { ("add-column", EngineKind.Sqlite) }));

        // Started/finished pairs, in the order of the report's timings.
        var phases = events.Where(e => e.Kind != RunProgressKind.RowsSeeded).ToList();
        Assert.That(phases.Where(e => e.Kind == RunProgressKind.PhaseStarted).Select(e => e.Phase), Is.EqualTo(result.Timings.Select(t => t.Phase)));
        for (var i = 0; i < phases.Count; i += 2)
        {
            Assert.That((phases[i].Kind, phases[i + 1].Kind, phases[i + 1].Phase), Is.EqualTo((RunProgressKind.PhaseStarted, RunProgressKind.PhaseFinished, phases[i].Phase)));
            Assert.That(phases[i + 1].PhaseDuration, Is.Not.Null);
        }

        Assert.That(events.Select(e => e.Elapsed), Is.Ordered, "elapsed time only grows");
        Assert.That(events.Select(e => e.RowsSeeded), Is.Ordered, "rows seeded only grow");

        // Rows are reported during the 2500-row tables, not only when they end.
        var seeding = events.Where(e => e.Kind == RunProgressKind.RowsSeeded && e.Phase == "seed").Select(e => e.RowsSeeded).ToList();
        Assert.That(seeding, Has.Some.InRange(1, 2499), "a report inside the first table");
        var total = result.Seeding.Sum(s => s.Inserted);
        Assert.That(events[^1].RowsSeeded, Is.EqualTo(total), "the last event carries every row written, pre-existing and live");
        Assert.That(events.Single(e => e.Kind == RunProgressKind.PhaseFinished && e.Phase == "seed").RowsSeeded, Is.EqualTo(result.Seeding.Where(s => s.Phase == "pre-existing").Sum(s => s.Inserted)));
    }

    [Test]
    public async Task Without_a_listener_nothing_is_reported_and_the_result_is_the_same()
    {
        var scenario = ScenarioLoader.Load(Path.Combine(TestEngines.RepoRoot, "scenarios", "add-column"), EngineKind.Sqlite);
        var quiet = await new ScenarioRunner().RunAsync(scenario, EngineKind.Sqlite, TestEngines.Get(EngineKind.Sqlite), CancellationToken.None);
        var heard = await new ScenarioRunner { Progress = new Recorder() }.RunAsync(scenario, EngineKind.Sqlite, TestEngines.Get(EngineKind.Sqlite), CancellationToken.None);

        Assert.That(heard.Findings.Select(f => (f.Code, f.Object, f.Message)), Is.EqualTo(quiet.Findings.Select(f => (f.Code, f.Object, f.Message))));
        Assert.That(heard.Seeding.Select(s => (s.Table, s.Phase, s.Inserted)), Is.EqualTo(quiet.Seeding.Select(s => (s.Table, s.Phase, s.Inserted))));
    }
}
