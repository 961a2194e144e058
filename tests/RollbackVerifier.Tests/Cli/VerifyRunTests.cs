using RollbackVerifier.Cli;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Tests.Cli;

/// <summary>The scheduler behind verify --parallel: engine start-up once, results in order, failures and --fail-fast.</summary>
[NonParallelizable]
public sealed class VerifyRunTests
{
    /// <summary>An engine that never provides a database: it fails like an absent Docker, or with a bug, after a pause.</summary>
    private sealed class FailingEngine(Exception failure, int delayMs = 200) : IDatabaseEngine
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public EngineKind Kind => EngineKind.Postgres;

        public IDialect Dialect => throw new NotSupportedException();

        public string Description => "fake";

        public async Task<IDatabaseInstance> CreateDatabaseAsync(DatabaseRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            await Task.Delay(delayMs, cancellationToken);
            throw failure;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>Remembers what a display was asked to show, in order.</summary>
    private sealed class RecordingDisplay : IRunDisplay
    {
        public List<string> Shown { get; } = [];

        public Task<T> RunAsync<T>(Func<Task<T>> work) => work();

        public IProgress<RunProgress> Started(WorkItem item) => new Progress<RunProgress>();

        public void Finished(WorkItem item, ScenarioResult result)
        {
        }

        public void Result(ScenarioResult result)
        {
            lock (Shown)
            {
                Shown.Add(result.Scenario + " " + result.Engine.ToName());
            }
        }

        public void Note(string markup)
        {
            lock (Shown)
            {
                Shown.Add("note: " + markup);
            }
        }
    }

    private static List<WorkItem> Items(EngineKind engine, params string[] names)
    {
        var folder = CliRun.Scenario("add-column");
        var template = ScenarioLoader.Load(folder, EngineKind.Sqlite);
        return names.Select((n, i) => new WorkItem(i, template with { Name = n, Engines = [engine], Scripts = new Dictionary<EngineKind, ScenarioScripts> { [engine] = template.Scripts[EngineKind.Sqlite] } }, engine, 1)).ToList();
    }

    private static VerifyRun Run(IDatabaseEngine fake, int parallel, bool failFast = false, bool requireEngines = false) =>
        new(new EngineRegistry().Register(EngineKind.Postgres, _ => fake).Register(EngineKind.Sqlite, s => new RollbackVerifier.Sqlite.SqliteEngine(s with { Image = null, ServerUrl = null })),
            kind => new EngineSettings(null, null, "t" + EngineSettings.NewRunId()),
            new RunOptions(parallel, failFast, r => Gates.Apply(r, requireEngines, null)));

    [Test]
    public async Task An_unavailable_engine_is_tried_once_however_many_scenarios_wait_for_it()
    {
        var engine = new FailingEngine(new EngineUnavailableException("Docker is not running"));
        var display = new RecordingDisplay();

        var results = await Run(engine, parallel: 4).RunAsync(Items(EngineKind.Postgres, "a", "b", "c", "d", "e"), display, CancellationToken.None);

        Assert.That(engine.Calls, Is.EqualTo(1), "one start attempt for the engine");
        Assert.That(results.Select(r => (r.Scenario, r.Verdict, r.Reason)), Is.EqualTo(new[] { "a", "b", "c", "d", "e" }.Select(n => (n, Verdict.NotRun, (string?)"Docker is not running"))));
        Assert.That(display.Shown, Is.EqualTo(new[] { "a postgres", "b postgres", "c postgres", "d postgres", "e postgres" }));
    }

    [Test]
    public async Task Fail_fast_starts_nothing_after_the_first_unexpected_result()
    {
        var engine = new FailingEngine(new EngineUnavailableException("Docker is not running"));
        var display = new RecordingDisplay();

        var results = await Run(engine, parallel: 1, failFast: true, requireEngines: true).RunAsync(Items(EngineKind.Postgres, "a", "b", "c"), display, CancellationToken.None);

        Assert.That(results.Select(r => (r.Scenario, r.MeetsExpectation)), Is.EqualTo(new[] { ("a", false) }));
        Assert.That(display.Shown, Is.EqualTo(new[] { "a postgres", "note: [red]stopping after the first unexpected result (--fail-fast)[/]" }));
    }

    [Test]
    public void An_infrastructure_exception_stops_the_run_and_is_rethrown()
    {
        var engine = new FailingEngine(new InvalidOperationException("bug in an engine"));

        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => Run(engine, parallel: 2).RunAsync(Items(EngineKind.Postgres, "a", "b", "c"), new RecordingDisplay(), CancellationToken.None));

        Assert.That(ex!.Message, Is.EqualTo("bug in an engine"));
    }

    [Test]
    public async Task Results_come_back_in_item_order_when_later_items_finish_first()
    {
        // The first item waits on a failing container start; the SQLite items behind it finish long before.
        var engine = new FailingEngine(new EngineUnavailableException("no Docker"), delayMs: 3000);
        var items = Items(EngineKind.Postgres, "slow").Concat(Items(EngineKind.Sqlite, "fast-1", "fast-2").Select(i => i with { Index = i.Index + 1 })).ToList();
        var display = new RecordingDisplay();

        var results = await Run(engine, parallel: 3).RunAsync(items, display, CancellationToken.None);

        Assert.That(results.Select(r => r.Scenario), Is.EqualTo(new[] { "slow", "fast-1", "fast-2" }));
        Assert.That(display.Shown, Is.EqualTo(new[] { "slow postgres", "fast-1 sqlite", "fast-2 sqlite" }));
        Assert.That(results.Skip(1).Select(r => r.Verdict), Is.All.EqualTo(Verdict.Pass));
    }

    [Test]
    public void Cancelling_the_run_surfaces_as_cancellation()
    {
        var engine = new FailingEngine(new EngineUnavailableException("never reached"));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        Assert.That(async () => await Run(engine, parallel: 2).RunAsync(Items(EngineKind.Postgres, "a", "b", "c"), new RecordingDisplay(), cancellation.Token), Throws.InstanceOf<OperationCanceledException>());
    }
}
