using System.Globalization;
using System.Text;
using RollbackVerifier.Execution;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;

namespace RollbackVerifier.Reporting;

/// <summary>
/// A Markdown report for change tickets and pull requests: a summary table, then per run the verdict, the failing
/// statement, the findings with before/after and evidence, and what the seeder wrote against the old schema.
/// </summary>
public static class MarkdownReportWriter
{
    public static string Render(VerificationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        var unexpected = report.Results.Count(r => !r.MeetsExpectation);
        md.Append("# Rollback verification: ").Append(report.Success ? "all as expected" : $"{unexpected} of {report.Results.Count} not as expected").Append("\n\n");
        md.Append(CultureInfo.InvariantCulture, $"rollback-verifier {report.ToolVersion}, started {report.StartedAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC, took {report.Duration.TotalSeconds:0.0} s.\n\n");

        md.Append("| Scenario | Engine | Verdict | As expected | Errors | Warnings | Time |\n");
        md.Append("|---|---|---|---|---|---|---|\n");
        foreach (var r in report.Results)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| {Cell(r.Scenario)} | {r.Engine.ToName()} | **{r.Verdict.ToKebab()}** | {(r.MeetsExpectation ? "yes" : "**no**")} | {Count(r, Severity.Error)} | {Count(r, Severity.Warning)} | {r.Duration.TotalSeconds:0.0} s |\n");
        }

        foreach (var r in report.Results.Where(r => r.Verdict != Verdict.NotRun || !r.MeetsExpectation))
        {
            WriteResult(md, r);
        }

        var notRun = report.Results.Where(r => r.Verdict == Verdict.NotRun).GroupBy(r => r.Engine).ToList();
        if (notRun.Count > 0)
        {
            md.Append("\n## Not run\n\n");
            foreach (var group in notRun)
            {
                md.Append(CultureInfo.InvariantCulture, $"- {group.Key.ToName()} ({group.Count()} runs): {FirstLine(group.First().Reason)}\n");
            }
        }

        return md.ToString();
    }

    public static async Task WriteAsync(VerificationReport report, string path, CancellationToken cancellationToken) =>
        await File.WriteAllTextAsync(path, Render(report), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);

    private static void WriteResult(StringBuilder md, ScenarioResult r)
    {
        md.Append(CultureInfo.InvariantCulture, $"\n## {r.Scenario} on {r.Engine.ToName()}: {r.Verdict.ToKebab()}\n\n");
        if (r.ServerVersion is not null)
        {
            md.Append(CultureInfo.InvariantCulture, $"Server: {r.ServerVersion}. ");
        }

        md.Append(CultureInfo.InvariantCulture, $"Scenario folder: `{r.Directory}`.\n");
        foreach (var problem in r.ExpectationProblems)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n> **Not as expected:** {problem}\n");
        }

        if (r.Reason is { } reason && r.Verdict is Verdict.Broken or Verdict.NothingTested or Verdict.NotRun)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n{FirstLine(reason)}\n");
        }

        if (r.FailedStatement is { } f)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n**Failed statement** ({f.Phase.ToString().ToLowerInvariant()}, `{Path.GetFileName(f.File)}` line {f.Line}, statement {f.Number}): `{f.ErrorCode}` {f.ErrorMessage}\n\n```sql\n{f.Text}\n```\n");
        }

        if (r.Findings.Count > 0)
        {
            md.Append("\n| Code | Severity | Object | Finding | Before | After | Evidence |\n|---|---|---|---|---|---|---|\n");
            foreach (var finding in r.Findings)
            {
                var severity = finding.AcceptedReason is null ? finding.Severity.ToString().ToLowerInvariant() : $"{finding.Severity.ToString().ToLowerInvariant()} (accepted: {finding.AcceptedReason})";
                md.Append(CultureInfo.InvariantCulture,
                    $"| {finding.Code} {finding.Name} | {Cell(severity)} | {Cell(finding.Object)} | {Cell(finding.Message)} | {Cell(finding.Before)} | {Cell(finding.After)} | {Cell(Evidence(finding.Evidence))} |\n");
            }

            var toFix = r.Findings.Where(f => f.AcceptedReason is null && f.Severity != Severity.Info).Select(f => f.Code).Distinct().ToList();
            if (toFix.Count > 0)
            {
                md.Append("\nHow to fix the rollback:\n\n");
                foreach (var code in toFix)
                {
                    md.Append(CultureInfo.InvariantCulture, $"- **{code} {FindingCodes.Get(code).Name}**: {FindingAdvice.For(code)}\n");
                }
            }
        }

        StaticAnalysisReport.WriteMarkdown(md, r.StaticAnalysis);
        var attacks = r.Seeding.Where(s => s.Attacks is { Count: > 0 }).ToList();
        if (attacks.Count > 0)
        {
            md.Append("\nLive rows written against the old schema:\n\n");
            foreach (var seed in attacks)
            {
                md.Append(CultureInfo.InvariantCulture, $"- {seed.Table}: {string.Join("; ", seed.Attacks!)}\n");
            }
        }
    }

    private static int Count(ScenarioResult r, Severity severity) => r.Findings.Count(f => f.Severity == severity && f.AcceptedReason is null);

    private static string Evidence(Evidence evidence)
    {
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

    private static string FirstLine(string? text) => (text ?? string.Empty).Split('\n', 2)[0].Trim();

    /// <summary>Text safe inside a Markdown table cell.</summary>
    private static string Cell(string? text) =>
        string.IsNullOrEmpty(text) ? string.Empty : text.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal);
}
