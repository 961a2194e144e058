using RollbackVerifier.Execution;
using RollbackVerifier.Findings;
using RollbackVerifier.Reporting;

namespace RollbackVerifier.Cli;

/// <summary>
/// Command-line policies on top of a scenario's own expectation (docs/cli.md, "Exit codes and gates"). A result that
/// breaks one no longer meets its expectation and carries the reason in ExpectationProblems, so the exit code, the
/// JSON <c>success</c> and the JUnit failures all agree.
/// </summary>
public static class Gates
{
    /// <summary>Findings named in one problem line at most.</summary>
    public const int NamedFindings = 5;

    /// <summary>
    /// Applies <c>--require-engines</c> (an engine that was not available fails) and <c>--fail-on</c> (an unaccepted
    /// finding at or above the severity fails, whether or not the scenario expects it).
    /// </summary>
    public static ScenarioResult Apply(ScenarioResult result, bool requireEngines, Severity? failOn)
    {
        ArgumentNullException.ThrowIfNull(result);
        var problems = new List<string>();
        // A migration not run because an earlier up of its history failed is the chain's report, not a missing engine.
        if (requireEngines && result.Verdict == Verdict.NotRun && result.History?.ChainStoppedAt is null)
        {
            problems.Add("engine unavailable and --require-engines was given");
        }

        if (failOn is { } threshold)
        {
            var offending = result.Findings.Where(f => f.Severity >= threshold && f.AcceptedReason is null).ToList();
            if (offending.Count > 0)
            {
                var named = string.Join(", ", offending.Take(NamedFindings).Select(f => $"{f.Code} {f.Name} ({f.Object})"));
                var more = offending.Count > NamedFindings ? $" and {offending.Count - NamedFindings} more" : string.Empty;
                problems.Add($"--fail-on {threshold.ToString().ToLowerInvariant()}: {offending.Count} unaccepted finding{(offending.Count == 1 ? "" : "s")} at or above {threshold.ToString().ToLowerInvariant()}: {named}{more}");
            }
        }

        return problems.Count == 0
            ? result
            : result with { MeetsExpectation = false, ExpectationProblems = [.. result.ExpectationProblems, .. problems] };
    }

    /// <summary>Parses --fail-on: warning, error or none (null).</summary>
    public static bool TryParseFailOn(string? text, out Severity? severity)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "none":
                severity = null;
                return true;
            case "warning" or "warnings":
                severity = Severity.Warning;
                return true;
            case "error" or "errors":
                severity = Severity.Error;
                return true;
            default:
                severity = null;
                return false;
        }
    }
}
