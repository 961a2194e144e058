using RollbackVerifier.Execution;
using RollbackVerifier.Reporting;
using Spectre.Console;

namespace RollbackVerifier.Cli;

/// <summary>How verify shows progress (<c>--progress</c>).</summary>
public enum ProgressMode
{
    /// <summary>Live on an interactive terminal, plain when stdout is redirected or in CI.</summary>
    Auto,

    /// <summary>A live table of the running scenarios: phase, rows seeded, elapsed.</summary>
    Live,

    /// <summary>One line per event (phase started, rows seeded, still running), for logs.</summary>
    Plain,

    /// <summary>Only the result of each scenario and the summary.</summary>
    None,
}

/// <summary>
/// What verify shows while it runs. Progress and <see cref="Finished"/> arrive from the threads running the scenarios,
/// in any order; <see cref="Result"/> and <see cref="Note"/> arrive in run order. Implementations are thread-safe.
/// </summary>
public interface IRunDisplay
{
    /// <summary>Runs the work with the display active (a live display is drawn until the work ends).</summary>
    Task<T> RunAsync<T>(Func<Task<T>> work);

    /// <summary>A work item started; the returned sink receives its progress.</summary>
    IProgress<RunProgress> Started(WorkItem item);

    /// <summary>A work item ended (results are shown through <see cref="Result"/>, in order).</summary>
    void Finished(WorkItem item, ScenarioResult result);

    /// <summary>Shows a result: its verdict line, expectation problems and top findings.</summary>
    void Result(ScenarioResult result);

    /// <summary>Shows a line of Spectre markup.</summary>
    void Note(string markup);
}

/// <summary>Chooses and builds the display for a mode and console.</summary>
public static class RunDisplays
{
    /// <summary>Live when asked for, or for Auto on an interactive ANSI terminal outside CI; plain otherwise (none when asked).</summary>
    public static IRunDisplay Create(ProgressMode mode, IAnsiConsole console, int total, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        time ??= TimeProvider.System;
        return Resolve(mode, console) switch
        {
            ProgressMode.Live => new LiveRunDisplay(console, total, time),
            ProgressMode.None => new PlainRunDisplay(console, total, events: false, time),
            _ => new PlainRunDisplay(console, total, events: true, time),
        };
    }

    /// <summary>The mode Auto stands for on this console.</summary>
    public static ProgressMode Resolve(ProgressMode mode, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        if (mode != ProgressMode.Auto)
        {
            return mode;
        }

        var capabilities = console.Profile.Capabilities;
        return capabilities.Interactive && capabilities.Ansi && console.Profile.Out.IsTerminal && !InCi() ? ProgressMode.Live : ProgressMode.Plain;
    }

    /// <summary>CI=true (GitHub Actions, GitLab, Travis, CircleCI, ...) or Azure Pipelines' TF_BUILD.</summary>
    public static bool InCi() =>
        IsSet(Environment.GetEnvironmentVariable("CI")) || IsSet(Environment.GetEnvironmentVariable("TF_BUILD"));

    private static bool IsSet(string? value) =>
        !string.IsNullOrWhiteSpace(value) && !value.Equals("false", StringComparison.OrdinalIgnoreCase) && value != "0";
}
