using System.Collections.Concurrent;
using System.Globalization;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace RollbackVerifier.Cli;

/// <summary>
/// A live table of the running scenarios (phase, rows seeded, elapsed) under the results printed so far, redrawn
/// <see cref="RefreshInterval"/>. Only the thread drawing the table writes to the console: results and notes from the
/// worker threads are queued and written between two redraws, so lines never tear.
/// </summary>
public sealed class LiveRunDisplay : IRunDisplay
{
    /// <summary>How often the table is redrawn.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(150);

    private readonly IAnsiConsole _console;
    private readonly int _total;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<int, Running> _running = new();
    private readonly ConcurrentQueue<Action<IAnsiConsole>> _pending = new();
    private int _done;
    private int _unexpected;

    /// <param name="console">An ANSI terminal.</param>
    /// <param name="total">Number of work items.</param>
    /// <param name="time">Clock for elapsed times.</param>
    public LiveRunDisplay(IAnsiConsole console, int total, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(time);
        (_console, _total, _time) = (console, total, time);
    }

    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var task = Task.Run(work);
        await _console.Live(Render())
            .AutoClear(true)
            .Overflow(VerticalOverflow.Ellipsis)
            .Cropping(VerticalOverflowCropping.Bottom)
            .StartAsync(async context =>
            {
                while (!task.IsCompleted)
                {
                    Flush();
                    context.UpdateTarget(Render());
                    await Task.WhenAny(task, Task.Delay(RefreshInterval, _time)).ConfigureAwait(false);
                }

                Flush();
                context.UpdateTarget(new Text(string.Empty));
            }).ConfigureAwait(false);
        Flush();
        return await task.ConfigureAwait(false);
    }

    public IProgress<RunProgress> Started(WorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var running = new Running(item, _time.GetTimestamp());
        _running[item.Index] = running;
        return running;
    }

    public void Finished(WorkItem item, ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(result);
        _running.TryRemove(item.Index, out _);
        Interlocked.Increment(ref _done);
        if (!result.MeetsExpectation)
        {
            Interlocked.Increment(ref _unexpected);
        }
    }

    public void Result(ScenarioResult result) => _pending.Enqueue(console => ConsoleReport.WriteResult(console, result, console.Profile.Width - 1));

    public void Note(string markup) => _pending.Enqueue(console => console.MarkupLine(markup));

    /// <summary>The live table as it stands: one row per running scenario, oldest first, and a caption with the counts.</summary>
    public IRenderable Render()
    {
        var table = new Spectre.Console.Table().Border(TableBorder.Simple).BorderColor(Color.Grey)
            .AddColumn("Scenario").AddColumn("Engine").AddColumn("Phase").AddColumn(new TableColumn("Rows").RightAligned()).AddColumn(new TableColumn("Elapsed").RightAligned());
        foreach (var running in _running.Values.OrderBy(r => r.Item.Index))
        {
            var last = running.Last;
            table.AddRow(
                Markup.Escape(running.Item.Scenario.Name),
                running.Item.Engine.ToName(),
                Markup.Escape(last?.Phase ?? "starting"),
                last is { RowsSeeded: > 0 } ? last.RowsSeeded.ToString("N0", CultureInfo.InvariantCulture) : string.Empty,
                _time.GetElapsedTime(running.StartedAt).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s");
        }

        var done = Volatile.Read(ref _done);
        var unexpected = Volatile.Read(ref _unexpected);
        var counts = $"{done}/{_total} done, {_running.Count} running" + (unexpected > 0 ? $", [red]{unexpected} not as expected[/]" : string.Empty);
        table.Caption(counts);
        return table;
    }

    private void Flush()
    {
        while (_pending.TryDequeue(out var write))
        {
            write(_console);
        }
    }

    private sealed class Running(WorkItem item, long startedAt) : IProgress<RunProgress>
    {
        private RunProgress? _last;

        public WorkItem Item { get; } = item;

        public long StartedAt { get; } = startedAt;

        public RunProgress? Last => Volatile.Read(ref _last);

        public void Report(RunProgress value) => Volatile.Write(ref _last, value);
    }
}
