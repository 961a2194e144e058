using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;

namespace RollbackVerifier.Cli;

/// <summary>How a run executes its work items.</summary>
/// <param name="Parallel">Work items running at once (at least 1).</param>
/// <param name="FailFast">Start no further item after the first that does not meet its expectation.</param>
/// <param name="Gate">Applied to each result before it counts (see <see cref="Gates"/>).</param>
public sealed record RunOptions(int Parallel, bool FailFast, Func<ScenarioResult, ScenarioResult> Gate)
{
    /// <summary>For verify --history: runs the migrations with chain semantics (a failing up stops the later ones).</summary>
    public HistoryRunner? History { get; init; }
}

/// <summary>
/// Runs work items on their engines, up to <see cref="RunOptions.Parallel"/> at once, and returns the results in
/// work-item order. Items start in order; results are shown in order too (a finished item waits for the ones before
/// it), so the console and the reports read the same whatever finishes first. The first infrastructure exception
/// (anything the runner does not turn into a result) cancels the rest and is rethrown.
/// </summary>
public sealed class VerifyRun(EngineRegistry registry, Func<EngineKind, EngineSettings> settingsFor, RunOptions options)
{
    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(IReadOnlyList<WorkItem> items, IRunDisplay display, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(display);
        var engines = new EnginePool(registry, settingsFor);
        await using (engines.ConfigureAwait(false))
        {
            return await display.RunAsync(() => RunAllAsync(items, engines, display, cancellationToken)).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<ScenarioResult>> RunAllAsync(IReadOnlyList<WorkItem> items, EnginePool engines, IRunDisplay display, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var slots = new SemaphoreSlim(Math.Max(1, options.Parallel));
        var output = new OrderedOutput(items.Count, display);
        var running = new List<Task>();
        var stopped = 0;
        try
        {
            foreach (var item in items)
            {
                await slots.WaitAsync(stop.Token).ConfigureAwait(false);
                if (Volatile.Read(ref stopped) == 1)
                {
                    slots.Release();
                    break;
                }

                running.Add(RunOneAsync(item));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Interrupted, or an item failed: start nothing more, and wait for the running ones below.
        }

        try
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (Exception) when (running.All(t => t.IsCompleted))
        {
            // Inspected below: an infrastructure failure wins over the cancellations it caused.
        }

        if (running.FirstOrDefault(t => t.IsFaulted) is { } faulted)
        {
            await faulted.ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return output.Results;

        async Task RunOneAsync(WorkItem item)
        {
            try
            {
                var progress = display.Started(item);
                var result = options.Gate(await RunItemAsync(item, engines, progress, stop.Token).ConfigureAwait(false));
                display.Finished(item, result);
                if (options.FailFast && !result.MeetsExpectation && Interlocked.Exchange(ref stopped, 1) == 0)
                {
                    output.Add(item.Index, result, "[red]stopping after the first unexpected result (--fail-fast)[/]");
                }
                else
                {
                    output.Add(item.Index, result, null);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await stop.CancelAsync().ConfigureAwait(false);
                throw;
            }
            finally
            {
                slots.Release();
            }
        }
    }

    private async Task<ScenarioResult> RunItemAsync(WorkItem item, EnginePool engines, IProgress<RunProgress> progress, CancellationToken ct)
    {
        // An engine that could not start is not tried again for every scenario; the summary prints its reason once.
        if (engines.Unavailable(item.Engine) is { } why)
        {
            return new ScenarioResult(item.Scenario.Name, item.Scenario.Directory, item.Engine, null, Verdict.NotRun, true, [], [], null, [], why, []);
        }

        if (options.History is { } history)
        {
            return await history.RunAsync(item.Scenario, item.Engine, engines.Get(item.Engine), ct, progress).ConfigureAwait(false);
        }

        var runner = new ScenarioRunner { Progress = progress };
        return await runner.RunAsync(item.Scenario, item.Engine, engines.Get(item.Engine), ct).ConfigureAwait(false);
    }

    /// <summary>Collects results by index and shows each as soon as every result before it has been shown.</summary>
    private sealed class OrderedOutput(int count, IRunDisplay display)
    {
        private readonly Lock _lock = new();
        private readonly (ScenarioResult Result, string? Note)?[] _slots = new (ScenarioResult, string?)?[count];
        private int _next;

        /// <summary>The results so far, in order (items that never started are left out).</summary>
        public IReadOnlyList<ScenarioResult> Results
        {
            get
            {
                lock (_lock)
                {
                    // Whatever is left (behind an item that never started) is shown now, still in order.
                    for (; _next < _slots.Length; _next++)
                    {
                        Show(_slots[_next]);
                    }

                    return _slots.Where(s => s is not null).Select(s => s!.Value.Result).ToList();
                }
            }
        }

        public void Add(int index, ScenarioResult result, string? note)
        {
            lock (_lock)
            {
                _slots[index] = (result, note);
                for (; _next < _slots.Length && _slots[_next] is not null; _next++)
                {
                    Show(_slots[_next]);
                }
            }
        }

        private void Show((ScenarioResult Result, string? Note)? slot)
        {
            if (slot is { } s)
            {
                display.Result(s.Result);
                if (s.Note is not null)
                {
                    display.Note(s.Note);
                }
            }
        }
    }
}
