using System.Globalization;
using RollbackVerifier.Findings;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Execution.Commands;

/// <summary>Words the runner's failure messages and findings in terms of a command (exit code, output) instead of a SQL statement.</summary>
public static class CommandStepFindings
{
    /// <summary>Lines of output quoted in a finding's evidence.</summary>
    public const int EvidenceLines = 20;

    private static readonly string[] ErrorWords = ["error", "fatal", "exception", "failed", "failure", "not found", "denied"];

    /// <summary>Why the scenario is broken when a baseline or forward command failed; null for a SQL step.</summary>
    public static string? BrokenReason(ScriptOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Command is { Succeeded: false } run ? Capitalized(Sentence(run)) : null;
    }

    /// <summary>
    /// <paramref name="finding"/> (RV101, RV105 or RV102 as the runner built it for a statement) reworded for a command:
    /// the command, its exit code and the last lines of its output as evidence. Unchanged for a SQL step.
    /// </summary>
    public static Finding Adapt(ScriptOutcome outcome, Finding finding)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(finding);
        if (outcome.Command is not { Succeeded: false } run)
        {
            return finding;
        }

        var message = run.Phase == Phase.Reapply
            ? $"After the rollback the forward migration no longer applies: the {Sentence(run)}"
            : Capitalized(Sentence(run));
        var details = new List<(string, string)>
        {
            ("command", run.Command),
            ("exitCode", run.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none (stopped)"),
            ("output", string.Join("\n", LastLines(run.Output, EvidenceLines))),
            ("workdir", run.WorkingDirectory),
        };
        if (run.TimedOut)
        {
            details.Add(("timeout", Durations.Format(run.Timeout)));
        }

        return finding with { Message = message, Evidence = Evidence.With([.. details]) };
    }

    /// <summary>"rollback command `x` (scenario.yml:12) exited with code 3: last line".</summary>
    private static string Sentence(CommandStepRun run)
    {
        var phase = run.Phase == Phase.Reapply ? "forward" : run.Phase.ToString().ToLowerInvariant();
        var head = $"{phase} command `{run.Command}` ({run.Location})";
        if (run.TimedOut)
        {
            return $"{head} did not finish within {Durations.Format(run.Timeout)}; it and every process it started were stopped.";
        }

        var headline = Headline(LastLines(run.Output, EvidenceLines).ToList());
        return $"{head} exited with code {run.ExitCode}{(headline is null ? "." : ": " + headline)}";
    }

    /// <summary>
    /// The line that best says why a command failed: the last one that mentions an error (tools print a stack trace or
    /// a caret line after it), else the last non-blank one; the harness's own notes do not count.
    /// </summary>
    public static string? Headline(IReadOnlyList<string> lastLines)
    {
        ArgumentNullException.ThrowIfNull(lastLines);
        var candidates = lastLines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("[rollback-verifier]", StringComparison.Ordinal)).ToList();
        return candidates.LastOrDefault(l => ErrorWords.Any(w => l.Contains(w, StringComparison.OrdinalIgnoreCase))) ?? candidates.LastOrDefault();
    }

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static IEnumerable<string> LastLines(string output, int count) =>
        output.TrimEnd('\n').Split('\n').TakeLast(count);
}
