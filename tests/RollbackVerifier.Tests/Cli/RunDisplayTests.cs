using System.Text.RegularExpressions;
using RollbackVerifier.Cli;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios;
using Spectre.Console;
using Spectre.Console.Testing;

namespace RollbackVerifier.Tests.Cli;

/// <summary>Both renderings of verify's progress, fed with made-up events on a test console and a clock the test moves.</summary>
public sealed partial class RunDisplayTests
{
    /// <summary>A clock that moves only when told.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }

    private static WorkItem Item(int index, string name, EngineKind engine) =>
        new(index, new Scenario(name, "/repo/scenarios/" + name, string.Empty, [engine], new Dictionary<EngineKind, ScenarioScripts>(), SeedSettings.Default, ScenarioExpectation.None, ScenarioTimeouts.Default, ExecutionSettings.Default, IsolationMode.Database), engine, 1);

    private static RunProgress Event(WorkItem item, RunProgressKind kind, string phase, double seconds, long rows = 0) =>
        new(item.Scenario.Name, item.Engine, kind, phase, TimeSpan.FromSeconds(seconds), rows, kind == RunProgressKind.PhaseFinished ? TimeSpan.FromSeconds(0.1) : null);

    private static ScenarioResult Passed(WorkItem item) =>
        new(item.Scenario.Name, item.Scenario.Directory, item.Engine, "SQLite 3", Verdict.Pass, true, [], [], null, [new PhaseTiming("forward", TimeSpan.FromSeconds(1.5))], null, []);

    private static string Lines(TestConsole console) => string.Join("\n", console.Output.ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd()));

    [Test]
    public void Plain_output_prints_one_line_per_phase_and_the_rows_each_seeding_phase_wrote()
    {
        var console = new TestConsole().Width(200);
        var clock = new ManualClock();
        var display = new PlainRunDisplay(console, 2, events: true, clock);
        var add = Item(0, "add-column", EngineKind.Sqlite);
        var drop = Item(1, "drop-column", EngineKind.Postgres);

        var a = display.Started(add);
        var d = display.Started(drop);
        a.Report(Event(add, RunProgressKind.PhaseStarted, "create-database", 0));
        a.Report(Event(add, RunProgressKind.PhaseFinished, "create-database", 0.02));
        a.Report(Event(add, RunProgressKind.PhaseStarted, "seed", 0.03));
        d.Report(Event(drop, RunProgressKind.PhaseStarted, "create-database", 0));
        a.Report(Event(add, RunProgressKind.RowsSeeded, "seed", 0.5, 1000));
        a.Report(Event(add, RunProgressKind.PhaseFinished, "seed", 0.91, 2400));
        a.Report(Event(add, RunProgressKind.PhaseStarted, "seed-live", 1.2, 2400));
        a.Report(Event(add, RunProgressKind.PhaseFinished, "seed-live", 1.25, 2430));
        display.Finished(add, Passed(add));
        display.Result(Passed(add));
        display.Note("[red]stopping[/]");

        Assert.That(Lines(console), Is.EqualTo("""
            [1/2] add-column on sqlite 0.0s create-database
            [1/2] add-column on sqlite 0.0s seed
            [2/2] drop-column on postgres 0.0s create-database
            [1/2] add-column on sqlite 0.9s seed: 2,400 rows seeded
            [1/2] add-column on sqlite 1.2s seed-live
            [1/2] add-column on sqlite 1.3s seed-live: 30 rows seeded
            pass           add-column on sqlite (1.5s) ok
            stopping

            """));
    }

    [Test]
    public void Plain_output_says_still_in_for_a_scenario_silent_for_the_heartbeat_interval()
    {
        var console = new TestConsole().Width(200);
        var clock = new ManualClock();
        var display = new PlainRunDisplay(console, 1, events: true, clock);
        var item = Item(0, "big", EngineKind.MySql);
        var progress = display.Started(item);
        progress.Report(Event(item, RunProgressKind.PhaseStarted, "seed", 0));
        progress.Report(Event(item, RunProgressKind.RowsSeeded, "seed", 20, 120_000));

        clock.Advance(PlainRunDisplay.HeartbeatInterval - TimeSpan.FromSeconds(1));
        display.Heartbeat();
        Assert.That(Lines(console), Does.Not.Contain("still"), "not silent long enough yet");

        clock.Advance(TimeSpan.FromSeconds(1));
        display.Heartbeat();
        display.Heartbeat();
        Assert.That(Regex.Matches(Lines(console), "still in").Count, Is.EqualTo(1), "once per interval of silence");
        Assert.That(Lines(console), Does.EndWith("[1/1] big on mysql 30.0s still in seed, 120,000 rows seeded\n"));

        display.Finished(item, Passed(item));
        clock.Advance(PlainRunDisplay.HeartbeatInterval * 2);
        display.Heartbeat();
        Assert.That(Regex.Matches(Lines(console), "still in").Count, Is.EqualTo(1), "a finished scenario is quiet");
    }

    [Test]
    public void Progress_none_prints_results_only()
    {
        var console = new TestConsole().Width(200);
        var display = new PlainRunDisplay(console, 1, events: false, new ManualClock());
        var item = Item(0, "add-column", EngineKind.Sqlite);
        display.Started(item).Report(Event(item, RunProgressKind.PhaseStarted, "seed", 0));
        display.Result(Passed(item));

        Assert.That(Lines(console), Is.EqualTo("pass           add-column on sqlite (1.5s) ok\n"));
    }

    [Test]
    public void The_live_table_shows_each_running_scenario_with_phase_rows_and_elapsed_and_the_counts()
    {
        var console = new TestConsole().Width(100);
        var clock = new ManualClock();
        var display = new LiveRunDisplay(console, 3, clock);
        var add = Item(0, "add-column", EngineKind.Sqlite);
        var drop = Item(1, "drop-column", EngineKind.Postgres);
        var third = Item(2, "third", EngineKind.MySql);
        display.Started(add).Report(Event(add, RunProgressKind.RowsSeeded, "seed", 1, 45_000));
        clock.Advance(TimeSpan.FromSeconds(2));
        display.Started(drop).Report(Event(drop, RunProgressKind.PhaseStarted, "rollback", 0.5, 60));
        display.Started(third);
        display.Finished(third, Passed(third) with { MeetsExpectation = false });
        clock.Advance(TimeSpan.FromSeconds(1.25));

        console.Write(display.Render());

        Assert.That(Lines(console), Is.EqualTo("""

              Scenario      Engine     Phase        Rows   Elapsed
            ────────────────────────────────────────────────────────
              add-column    sqlite     seed       45,000      3.3s
              drop-column   postgres   rollback       60      1.3s

                     1/3 done, 2 running, 1 not as expected

            """));
    }

    [Test]
    public async Task The_live_display_draws_while_the_work_runs_and_prints_results_above_it()
    {
        var console = new TestConsole().Width(100).Interactive().EmitAnsiSequences();
        var display = new LiveRunDisplay(console, 1, TimeProvider.System);
        var item = Item(0, "add-column", EngineKind.Sqlite);
        var release = new TaskCompletionSource();

        var run = display.RunAsync(async () =>
        {
            display.Started(item).Report(Event(item, RunProgressKind.PhaseStarted, "forward", 0.1, 120));
            await release.Task;
            display.Finished(item, Passed(item));
            display.Result(Passed(item));
            return 42;
        });
        await Task.Delay(LiveRunDisplay.RefreshInterval * 3);
        var whileRunning = console.Output;
        release.SetResult();

        Assert.That(await run, Is.EqualTo(42));
        Assert.That(whileRunning, Does.Contain("add-column").And.Contain("forward").And.Contain("120"), "the table is drawn while the work runs");
        var text = System.Text.RegularExpressions.Regex.Replace(console.Output, @"\u001b\[[0-9;?]*[A-Za-z]", string.Empty);
        Assert.That(text, Does.Contain("add-column on sqlite (1.5s) ok"), "the result is printed");
        Assert.That(text.LastIndexOf("add-column on sqlite (1.5s) ok", StringComparison.Ordinal), Is.GreaterThan(text.IndexOf("forward", StringComparison.Ordinal)), "after the table was drawn");
    }

    [Test]
    public void Auto_is_plain_on_a_console_that_is_not_a_terminal_or_in_ci()
    {
        var redirected = new TestConsole().Interactive().SupportsAnsi(true);
        Assert.That(RunDisplays.Resolve(ProgressMode.Auto, redirected), Is.EqualTo(ProgressMode.Plain));
        Assert.That(RunDisplays.Resolve(ProgressMode.Live, redirected), Is.EqualTo(ProgressMode.Live), "asked for explicitly");

        var terminal = new TestConsole().Interactive().SupportsAnsi(true);
        terminal.Profile.Out = new TerminalOutput();
        var ci = Environment.GetEnvironmentVariable("CI");
        try
        {
            Environment.SetEnvironmentVariable("CI", "true");
            Assert.That(RunDisplays.Resolve(ProgressMode.Auto, terminal), Is.EqualTo(ProgressMode.Plain), "CI logs get plain lines");
            Environment.SetEnvironmentVariable("CI", null);
            if (!RunDisplays.InCi())
            {
                Assert.That(RunDisplays.Resolve(ProgressMode.Auto, terminal), Is.EqualTo(ProgressMode.Live), "an interactive ANSI terminal outside CI");
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("CI", ci);
        }
    }

    private sealed class TerminalOutput : IAnsiConsoleOutput
    {
        public TextWriter Writer { get; } = new StringWriter();

        public bool IsTerminal => true;

        public int Width => 100;

        public int Height => 40;

        public void SetEncoding(System.Text.Encoding encoding)
        {
        }
    }
}
