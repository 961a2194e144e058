using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using CliWrap;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Execution.Commands;

/// <summary>
/// Runs a command step (scenario.yml <c>steps:</c>) against a throwaway database: the connection details go into the
/// environment, standard input is empty, output is captured redacted and bounded, a non-zero exit is a failed step, and
/// the step timeout (or cancellation) stops the command with every process it started.
/// </summary>
public static class CommandStepRunner
{
    /// <summary>How long a command's leftover processes may keep its output open after it exited before they are stopped.</summary>
    public static TimeSpan LeftoverGrace { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Runs <paramref name="step"/> for <paramref name="phase"/>. The outcome carries the run in <see cref="ScriptOutcome.Command"/>.</summary>
    /// <exception cref="ScenarioDefinitionException">The command cannot be started (not found, not executable); names scenario.yml and line.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the command's processes are stopped first.</exception>
    public static async Task<ScriptOutcome> RunAsync(IDatabaseInstance database, Phase phase, CommandStep step, ScenarioTimeouts timeouts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(timeouts);
        var details = database.ConnectionDetails
            ?? throw new RollbackVerifierException($"{step.ManifestPath}:{step.Line}: the {database.Kind.ToName()} engine cannot hand its database to an external command");
        var secrets = Redaction.FormsOf(details.Password);
        var inherited = CommandEnvironment.Current();
        var stepId = Guid.NewGuid().ToString("N");
        var environment = new Dictionary<string, string?>(CommandEnvironment.Build(details, database.Kind, phase, step, inherited), StringComparer.Ordinal)
        {
            [CommandEnvironment.StepIdVariable] = stepId,
        };
        var (program, arguments) = Resolve(step, phase, environment, inherited);
        var display = Redaction.Redact(step.Display, secrets);
        var output = new CommandOutput(secrets);
        var limit = step.Timeout ?? timeouts.Step;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        var command = Cli.Wrap(program)
            .WithWorkingDirectory(step.WorkingDirectory)
            .WithEnvironmentVariables(variables =>
            {
                foreach (var (name, value) in environment)
                {
                    variables.Set(name, value);
                }
            })
            .WithValidation(CommandResultValidation.None)
            .WithStandardInputPipe(PipeSource.Null)
            .WithStandardOutputPipe(PipeTarget.Create(output.ReadAsync))
            .WithStandardErrorPipe(PipeTarget.Create(output.ReadAsync));
        command = arguments.Raw is { } raw ? command.WithArguments(raw) : command.WithArguments(arguments.List!);

        var watch = Stopwatch.StartNew();
        Process? process = null;
        CommandTask<CommandResult> task;
        try
        {
            task = command.ExecuteAsync(null, started => process = started, timeout.Token, CancellationToken.None);
        }
        catch (Win32Exception ex)
        {
            throw CannotStart(step, phase, display, ex.Message);
        }

        int? exitCode = null;
        var timedOut = false;
        using (ProcessTree.Track(stepId, task.ProcessId))
        {
            try
            {
                exitCode = (await AwaitReleasingOutputAsync(task, process, stepId, output, timeout.Token).ConfigureAwait(false)).ExitCode;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                timedOut = true;
            }
            finally
            {
                // Whatever the command left running (a daemon, a job whose parent was killed) must not outlive the step.
                var leftovers = ProcessTree.KillMarked(stepId);
                if (leftovers > 0)
                {
                    output.AddNote($"stopped {leftovers} process{(leftovers == 1 ? "" : "es")} the command left running");
                }
            }
        }

        // A Ctrl-C in a terminal reaches the command too, which may exit non-zero before the token is seen: that is a
        // cancellation, not a failed step.
        cancellationToken.ThrowIfCancellationRequested();
        var elapsed = watch.Elapsed;
        if (timedOut)
        {
            output.AddNote($"timed out after {Durations.Format(limit)}: the command and every process it started were stopped");
        }

        var run = new CommandStepRun(phase, display, step.Shell, step.WorkingDirectory, step.Location, exitCode, timedOut, limit, elapsed, output.ToString(), output.Truncated, output.Lines);
        if (step.Shell && ShellCouldNotStart(exitCode) is { } why)
        {
            var said = output.LastLines(3).LastOrDefault(l => l.Length > 0);
            throw CannotStart(step, phase, display, $"the shell exited with {exitCode} ({why}){(said is null ? "" : ": " + said)}");
        }

        if (run.Succeeded)
        {
            return new ScriptOutcome(1, 1, null, false) { Command = run };
        }

        var lastLine = CommandStepFindings.Headline(output.LastLines(CommandStepFindings.EvidenceLines));
        var message = timedOut
            ? $"timed out (step limit {Durations.Format(limit)}); the command and every process it started were stopped"
            : lastLine ?? "(no output)";
        var failure = new StatementFailure(phase, step.ManifestPath, 1, step.Line, display, timedOut ? "timeout" : string.Create(CultureInfo.InvariantCulture, $"exit {exitCode}"), message);
        return new ScriptOutcome(1, 0, failure, timedOut) { Command = run };
    }

    /// <summary>POSIX shells exit 127 for a command they cannot find and 126 for one they cannot execute; cmd.exe exits 9009.</summary>
    private static string? ShellCouldNotStart(int? exitCode) => (OperatingSystem.IsWindows(), exitCode) switch
    {
        (false, 127) or (true, 9009) => "command not found",
        (false, 126) => "command not executable",
        _ => null,
    };

    /// <summary>
    /// Waits for the command. When it has exited but a process it left behind still holds its output open, that process
    /// is stopped after <see cref="LeftoverGrace"/> so the step ends with the command rather than at the timeout.
    /// </summary>
    private static async Task<CommandResult> AwaitReleasingOutputAsync(CommandTask<CommandResult> task, Process? process, string stepId, CommandOutput output, CancellationToken token)
    {
        if (process is not null && ProcessTree.CanFindLeftovers)
        {
            var exited = process.WaitForExitAsync(token);
            if (await Task.WhenAny(task.Task, exited).ConfigureAwait(false) == exited && !exited.IsCanceled
                && await Task.WhenAny(task.Task, Task.Delay(LeftoverGrace, token)).ConfigureAwait(false) != task.Task
                && !token.IsCancellationRequested)
            {
                var stopped = ProcessTree.KillMarked(stepId);
                if (stopped > 0)
                {
                    output.AddNote($"the command exited but {stopped} process{(stopped == 1 ? "" : "es")} it started kept its output open; stopped them");
                }
            }
        }

        return await task.ConfigureAwait(false);
    }

    /// <summary>The program to start and its arguments: the platform shell for a shell line, else argv[0] found like execvp would.</summary>
    private static (string Program, (IReadOnlyList<string>? List, string? Raw) Arguments) Resolve(
        CommandStep step, Phase phase, Dictionary<string, string?> environment, IReadOnlyDictionary<string, string> inherited)
    {
        if (OperatingSystem.IsWindows())
        {
            // CliWrap resolves .exe/.cmd/.bat on PATH; a missing program surfaces as Win32Exception at start. Standard
            // output and standard error stay two pipes, so their lines interleave in arrival order only.
            return step.Shell
                ? (inherited.GetValueOrDefault("ComSpec") ?? "cmd.exe", (null, "/d /s /c \"" + step.Arguments[0] + "\""))
                : (step.Arguments[0], (step.Arguments.Skip(1).ToList(), null));
        }

        // Through sh, whose `exec 2>&1` makes standard error the same pipe as standard output, so lines keep the order
        // the command wrote them in; `exec` then replaces that sh, so the process tree is the command's own.
        if (step.Shell)
        {
            return ("/bin/sh", (["-c", "exec 2>&1; exec /bin/sh -c \"$1\"", "rv-step", step.Arguments[0]], null));
        }

        var path = environment.TryGetValue("PATH", out var own) ? own : inherited.GetValueOrDefault("PATH");
        var resolved = ResolveUnix(step.Arguments[0], step.WorkingDirectory, path, out var problem)
            ?? throw CannotStart(step, phase, step.Display, problem!);
        return ("/bin/sh", (["-c", "exec 2>&1; exec \"$@\"", "rv-step", resolved, .. step.Arguments.Skip(1)], null));
    }

    /// <summary>
    /// A name with a slash is a path from the working directory (as after cd in a shell); a bare name is searched on
    /// PATH. Process.Start alone would look next to the harness's own executable and in the harness's current folder first.
    /// </summary>
    internal static string? ResolveUnix(string name, string workingDirectory, string? path, out string? problem)
    {
        problem = null;
        if (name.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(name, workingDirectory);
            return CheckExecutable(full, out problem) ? full : null;
        }

        foreach (var dir in (path ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(Path.GetFullPath(dir, workingDirectory), name);
            if (File.Exists(candidate) && CheckExecutable(candidate, out _))
            {
                return candidate;
            }
        }

        problem = $"'{name}' was not found on PATH ({path})";
        return null;
    }

    private static bool CheckExecutable(string file, out string? problem)
    {
        if (!File.Exists(file))
        {
            problem = $"'{file}' does not exist";
            return false;
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(file) & anyExecute) == 0)
        {
            problem = $"'{file}' is not executable (chmod +x it, or run it through its interpreter, e.g. [sh, {Path.GetFileName(file)}])";
            return false;
        }

        problem = null;
        return true;
    }

    private static ScenarioDefinitionException CannotStart(CommandStep step, Phase phase, string display, string reason) =>
        new(step.ManifestPath, step.Line, $"cannot start the {phase.ToString().ToLowerInvariant()} command `{display}`: {reason}");
}

/// <summary>Durations for people: 90s, 2m, 1h30m.</summary>
internal static class Durations
{
    public static string Format(TimeSpan span) =>
        span.TotalSeconds < 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds:0}ms")
        : span.TotalMinutes < 1 || span.Seconds != 0 && span.TotalMinutes < 10 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#}s")
        : span.TotalHours < 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#}m")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h{span.Minutes:00}m");
}
