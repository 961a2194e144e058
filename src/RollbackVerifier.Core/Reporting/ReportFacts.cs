using System.Globalization;
using RollbackVerifier.Execution;
using RollbackVerifier.Findings;

namespace RollbackVerifier.Reporting;

/// <summary>A group of findings as the people-facing reports show them: unaccepted by severity, then the accepted ones.</summary>
/// <param name="Title">"Errors", "Warnings", "Info" or "Accepted".</param>
/// <param name="Key">"error", "warning", "info" or "accepted".</param>
/// <param name="Findings">The findings, in report order.</param>
public sealed record FindingGroup(string Title, string Key, IReadOnlyList<Finding> Findings);

/// <summary>
/// What the Markdown and HTML reports say the same way: the run's headline, findings grouped by severity, data-loss
/// counts, per-phase timings, advice. One place, so the two formats cannot drift apart.
/// </summary>
public static class ReportFacts
{
    /// <summary>"PASSED" when every result met its expectation, else "FAILED".</summary>
    public static string RunVerdict(VerificationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Success ? "PASSED" : "FAILED";
    }

    /// <summary>"All 6 results as expected" or "1 of 6 results not as expected".</summary>
    public static string RunSummary(VerificationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var unexpected = report.Results.Count(r => !r.MeetsExpectation);
        var total = report.Results.Count;
        return unexpected == 0
            ? total == 1 ? "The result is as expected" : $"All {total} results as expected"
            : $"{unexpected} of {total} result{(total == 1 ? "" : "s")} not as expected";
    }

    /// <summary>Verdict counts in verdict order, leaving out zeros: "1 pass, 2 fail, 1 not-run".</summary>
    public static string VerdictCounts(VerificationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return string.Join(", ", Enum.GetValues<Verdict>()
            .Select(v => (Verdict: v, Count: report.Results.Count(r => r.Verdict == v)))
            .Where(p => p.Count > 0)
            .Select(p => $"{p.Count} {p.Verdict.ToKebab()}"));
    }

    /// <summary>Unaccepted findings of a severity.</summary>
    public static int Count(ScenarioResult result, Severity severity)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Findings.Count(f => f.Severity == severity && f.AcceptedReason is null);
    }

    /// <summary>Errors, warnings, info (unaccepted), then accepted findings of any severity; empty groups left out.</summary>
    public static IReadOnlyList<FindingGroup> Groups(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var open = result.Findings.Where(f => f.AcceptedReason is null).ToList();
        var groups = new List<FindingGroup>
        {
            new("Errors", "error", open.Where(f => f.Severity == Severity.Error).ToList()),
            new("Warnings", "warning", open.Where(f => f.Severity == Severity.Warning).ToList()),
            new("Info", "info", open.Where(f => f.Severity == Severity.Info).ToList()),
            new("Accepted", "accepted", result.Findings.Where(f => f.AcceptedReason is not null).ToList()),
        };
        return groups.Where(g => g.Findings.Count > 0).ToList();
    }

    /// <summary>Data findings (lost, added, changed, discarded rows or values), each with its count when it has one.</summary>
    public static IReadOnlyList<Finding> DataLoss(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Findings.Where(f => FindingCodes.TryGet(f.Code, out var code) && code.Category == "data").ToList();
    }

    /// <summary>Rows or values the unaccepted data findings count (the "data loss" of the summary tables).</summary>
    public static long DataLossCount(ScenarioResult result) =>
        DataLoss(result).Where(f => f.AcceptedReason is null).Sum(f => f.Evidence.Count ?? 0);

    /// <summary>Milliseconds per phase, a phase timed twice summed, in the order phases first ran (as in the JSON report).</summary>
    public static IReadOnlyList<(string Phase, double Milliseconds)> Timings(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Timings
            .GroupBy(t => t.Phase, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Sum(t => t.Duration.TotalMilliseconds)))
            .ToList();
    }

    /// <summary>"12 ms", "1.3 ms", "2.4 s", "3 min 5 s".</summary>
    public static string Duration(double milliseconds) => milliseconds switch
    {
        < 10 => milliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms",
        < 1000 => milliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms",
        < 60_000 => (milliseconds / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " s",
        _ => string.Create(CultureInfo.InvariantCulture, $"{(long)(milliseconds / 60_000)} min {(long)(milliseconds % 60_000 / 1000)} s"),
    };

    /// <summary>Count and sample keys in words: "44 affected, e.g. id=1; id=2".</summary>
    public static string Evidence(Evidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var parts = new List<string>();
        if (evidence.Count is { } count)
        {
            parts.Add(count.ToString(CultureInfo.InvariantCulture) + " affected");
        }

        if (evidence.SampleKeys.Count > 0)
        {
            parts.Add("e.g. " + string.Join("; ", evidence.SampleKeys));
        }

        return string.Join(", ", parts);
    }

    /// <summary>Codes of the unaccepted warnings and errors, once each, with how to fix the rollback.</summary>
    public static IReadOnlyList<(string Code, string Name, string Advice)> Advice(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Findings
            .Where(f => f.AcceptedReason is null && f.Severity != Severity.Info)
            .Select(f => f.Code)
            .Distinct(StringComparer.Ordinal)
            .Select(code => (code, FindingCodes.Get(code).Name, FindingAdvice.For(code) ?? FindingCodes.Get(code).Description))
            .ToList();
    }

    /// <summary>"rollback, rollback.sql line 5, statement 2".</summary>
    public static string Where(StatementFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var number = CommandStepReport.IsCommand(failure) ? string.Empty : $", statement {failure.Number}";
        return string.Create(CultureInfo.InvariantCulture, $"{failure.Phase.ToString().ToLowerInvariant()}, {Path.GetFileName(failure.File)} line {failure.Line}{number}");
    }

    /// <summary>"command" for a failed command step, else "statement".</summary>
    public static string What(StatementFailure failure) => CommandStepReport.IsCommand(failure) ? "command" : "statement";

    /// <summary>The first line of a text, trimmed.</summary>
    public static string FirstLine(string? text) => (text ?? string.Empty).Split('\n', 2)[0].Trim();
}
