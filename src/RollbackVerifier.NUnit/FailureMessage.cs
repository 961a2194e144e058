using System.Globalization;
using System.Text;
using RollbackVerifier.Execution;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.NUnit;

/// <summary>The assertion message of a scenario that does not meet its expectation: what, where, before, after, evidence; secrets masked.</summary>
internal static class FailureMessage
{
    private const int MaxFindings = 20;

    public static string For(ScenarioResult result, Scenario? scenario, string reportPath)
    {
        var text = new StringBuilder();
        var engine = result.Engine.ToName();
        text.Append(CultureInfo.InvariantCulture, $"Rollback of '{result.Scenario}' on {engine}");
        if (result.ServerVersion is { } version)
        {
            text.Append(CultureInfo.InvariantCulture, $" ({version})");
        }

        text.Append(CultureInfo.InvariantCulture, $": verdict {result.Verdict.ToKebab()}, not as expected.\n");
        foreach (var problem in result.ExpectationProblems)
        {
            text.Append("  - ").Append(problem).Append('\n');
        }

        if (result.Reason is { Length: > 0 } reason && result.Verdict != Verdict.Fail)
        {
            text.Append("  Reason: ").Append(reason.ReplaceLineEndings(" ")).Append('\n');
        }

        if (result.FailedStatement is { } f)
        {
            var (what, number) = RollbackVerifier.Reporting.CommandStepReport.IsCommand(f) ? ("command", "") : ("statement", $", statement {f.Number}");
            text.Append(CultureInfo.InvariantCulture, $"\n  Failed {what} ({f.Phase.ToString().ToLowerInvariant()}, {Path.GetFileName(f.File)}:{f.Line}{number}): {f.ErrorCode} {f.ErrorMessage}\n");
            text.Append("    ").Append(f.Text.ReplaceLineEndings("\n    ")).Append('\n');
        }

        var open = result.Findings.Where(x => x.AcceptedReason is null && x.Severity != Severity.Info).ToList();
        if (open.Count > 0)
        {
            var errors = open.Count(x => x.Severity == Severity.Error);
            text.Append(CultureInfo.InvariantCulture, $"\n  {errors} error(s), {open.Count - errors} warning(s):\n");
            foreach (var finding in open.Take(MaxFindings))
            {
                text.Append(CultureInfo.InvariantCulture, $"\n  {finding.Code} {finding.Name} ({finding.Severity.ToString().ToLowerInvariant()}) at {finding.Object}\n");
                text.Append("    What:     ").Append(finding.Message.ReplaceLineEndings(" ")).Append('\n');
                if (finding.Before is not null || finding.After is not null)
                {
                    text.Append("    Before:   ").Append(finding.Before ?? "(none)").Append('\n');
                    text.Append("    After:    ").Append(finding.After ?? "(none)").Append('\n');
                }

                if (Evidence(finding.Evidence) is { Length: > 0 } evidence)
                {
                    text.Append("    Evidence: ").Append(evidence).Append('\n');
                }
            }

            if (open.Count > MaxFindings)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n  ... and {open.Count - MaxFindings} more in the report.\n");
            }

            var codes = open.Select(x => x.Code).Distinct(StringComparer.Ordinal).ToList();
            text.Append("\n  How to fix the rollback:\n");
            foreach (var code in codes)
            {
                text.Append(CultureInfo.InvariantCulture, $"    {code}: {FindingAdvice.For(code)}\n");
            }
        }

        text.Append("\n  Report: ").Append(reportPath).Append('\n');
        if (result.Reproduce is { } reproduce)
        {
            text.Append("  Reproduce: ").Append(reproduce).Append('\n');
        }
        else if (scenario is not null)
        {
            text.Append("  Reproduce: ").Append(ReproduceCommand.For(scenario.Directory, result.Engine, scenario.Seed.Seed)).Append('\n');
        }

        return Secrets.Redact(text.ToString());
    }

    private static string Evidence(Evidence evidence)
    {
        var parts = new List<string>();
        if (evidence.Count is { } count)
        {
            parts.Add(count.ToString("N0", CultureInfo.InvariantCulture) + " affected");
        }

        if (evidence.SampleKeys.Count > 0)
        {
            parts.Add("e.g. " + string.Join("; ", evidence.SampleKeys));
        }

        parts.AddRange(evidence.Details.Where(d => d.Key != "statement").Select(d => $"{d.Key}={d.Value.ReplaceLineEndings(" ")}"));
        return string.Join(", ", parts);
    }
}
