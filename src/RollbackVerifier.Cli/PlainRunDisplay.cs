using System.Globalization;
using RollbackVerifier.Execution;
using RollbackVerifier.Reporting;
using Spectre.Console;

namespace RollbackVerifier.Cli;

/// <summary>
/// One line per event, for logs and CI: each phase as it starts, the rows seeded when a seeding phase ends, and a
/// "still in ..." line for every scenario that has printed nothing for <see cref="HeartbeatInterval"/> (CI systems
/// stop jobs that stay silent). With events off, only results and notes are printed.
/// </summary>
public sealed class PlainRunDisplay : IRunDisplay
{
    /// <summary>How long a running scenario may stay silent before a "still in" line.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly Dictionary<int, Running> _running = [];
    private readonly IAnsiConsole _console;
    private readonly int _total;
    private readonly bool _events;
    private readonly TimeProvider _time;

    /// <param name="console">Where to write.</param>
    /// <param name="total">Number of work items, for "[3/12]".</param>
    /// <param name="events">False to print results and notes only (--progress none).</param>
    /// <param name="time">Clock for elapsed times and the heartbeat.</param>
    public PlainRunDisplay(IAnsiConsole console, int total, bool events, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(time);
        (_console, _total, _events, _time) = (console, total, events, time);
    }

    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!_events)
        {
            return await work().ConfigureAwait(false);
        }

        using var timer = _time.CreateTimer(_ => Heartbeat(), null, HeartbeatInterval / 6, HeartbeatInterval / 6);
        return await work().ConfigureAwait(false);
    }

    public IProgress<RunProgress> Started(WorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var running = new Running(this, item, _time.GetTimestamp());
        lock (_lock)
        {
            _running[item.Index] = running;
        }

        return running;
    }

    public void Finished(WorkItem item, ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (_lock)
        {
            _running.Remove(item.Index);
        }
    }

    public void Result(ScenarioResult result)
    {
        lock (_lock)
        {
            ConsoleReport.WriteResult(_console, result);
        }
    }

    public void Note(string markup)
    {
        lock (_lock)
        {
            _console.MarkupLine(markup);
        }
    }

    /// <summary>Prints a "still in" line for each scenario silent for <see cref="HeartbeatInterval"/>; called by a timer.</summary>
    public void Heartbeat()
    {
        lock (_lock)
        {
            foreach (var running in _running.Values.OrderBy(r => r.Item.Index))
            {
                if (_time.GetElapsedTime(running.LastLine) >= HeartbeatInterval && running.Last is { } last)
                {
                    var rows = last.RowsSeeded > 0 ? $", {Rows(last.RowsSeeded)} rows seeded" : string.Empty;
                    running.Line(_time.GetElapsedTime(running.StartedAt), $"still in {last.Phase}{rows}");
                }
            }
        }
    }

    private static string Rows(long rows) => rows.ToString("N0", CultureInfo.InvariantCulture);

    private sealed class Running(PlainRunDisplay display, WorkItem item, long startedAt) : IProgress<RunProgress>
    {
        private long _rowsPrinted;

        public WorkItem Item { get; } = item;

        public long StartedAt { get; } = startedAt;

        public long LastLine { get; private set; } = startedAt;

        public RunProgress? Last { get; private set; }

        public void Report(RunProgress value)
        {
            lock (display._lock)
            {
                Last = value;
                if (!display._events)
                {
                    return;
                }

                switch (value.Kind)
                {
                    case RunProgressKind.PhaseStarted:
                        Line(value.Elapsed, value.Phase);
                        break;
                    case RunProgressKind.PhaseFinished when value.RowsSeeded > _rowsPrinted:
                        Line(value.Elapsed, $"{value.Phase}: {Rows(value.RowsSeeded - _rowsPrinted)} rows seeded");
                        _rowsPrinted = value.RowsSeeded;
                        break;
                }
            }
        }

        /// <summary>Prints one event line; the caller holds the display's lock.</summary>
        public void Line(TimeSpan elapsed, string text)
        {
            LastLine = display._time.GetTimestamp();
            var seconds = elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
            display._console.MarkupLine($"[grey][[{Item.Index + 1}/{display._total}]][/] {Markup.Escape(Item.Title)} [grey]{seconds}s[/] {Markup.Escape(text)}");
        }
    }
}
