using System.Globalization;
using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using RollbackVerifier.Execution;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;

namespace RollbackVerifier.Reporting;

/// <summary>
/// A Markdown report to paste into a change ticket or pull request: the verdict first, a summary table, then per
/// scenario and engine the failing statement, the findings grouped by severity with before/after, data-loss counts,
/// how to fix the rollback, what was seeded, timings, versions and the command that reproduces the run.
/// Each section is one method <c>(StringBuilder md, ScenarioResult r)</c>; features add theirs in their own file and
/// one call in <see cref="WriteResult"/>. Secrets are masked (<see cref="Secrets"/>).
/// </summary>
public static class MarkdownReportWriter
{
    public static string Render(VerificationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        WriteHeadline(md, report);
        WriteSummaryTable(md, report);
        foreach (var r in report.Results.Where(r => r.Verdict != Verdict.NotRun || !r.MeetsExpectation))
        {
            WriteResult(md, r);
        }

        WriteNotRun(md, report);

        // Sections added by other features may print data without going through Text/Cell: mask the whole text too.
        return Secrets.Redact(md.ToString());
    }

    public static async Task WriteAsync(VerificationReport report, string path, CancellationToken cancellationToken) =>
        await File.WriteAllTextAsync(path, Render(report), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);

    /// <summary>One scenario on one engine. Add a feature's section as one call at the marker below.</summary>
    private static void WriteResult(StringBuilder md, ScenarioResult r)
    {
        WriteResultHeading(md, r);
        WriteFailedStatement(md, r);
        WriteFindings(md, r);
        WriteDataLoss(md, r);
        WriteAdvice(md, r);

        // Feature sections (static rules, locks and atomicity, pre-rollback checklist, command output) go here, one call each.

        StaticAnalysisReport.WriteMarkdown(md, r.StaticAnalysis);
        RunAnalysisMarkdown.Write(md, r);
        Preflight.PreflightMarkdown.Write(md, r);
        CommandStepReport.WriteMarkdown(md, r);
        WriteSeeding(md, r);
        WriteTimings(md, r);
        WriteReproduce(md, r);
    }

    private static void WriteHeadline(StringBuilder md, VerificationReport report)
    {
        md.Append(CultureInfo.InvariantCulture, $"# Rollback verification: {ReportFacts.RunVerdict(report)}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"**{ReportFacts.RunSummary(report)}** ({ReportFacts.VerdictCounts(report)}).\n\n");
        md.Append(CultureInfo.InvariantCulture, $"rollback-verifier {report.ToolVersion}, started {report.StartedAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC, took {report.Duration.TotalSeconds:0.0} s.\n\n");
    }

    private static void WriteSummaryTable(StringBuilder md, VerificationReport report)
    {
        md.Append("| Scenario | Engine | Verdict | As expected | Errors | Warnings | Data loss | Time |\n");
        md.Append("|---|---|---|---|---|---|---|---|\n");
        foreach (var r in report.Results)
        {
            var loss = ReportFacts.DataLossCount(r);
            md.Append(CultureInfo.InvariantCulture,
                $"| {Cell(r.Scenario)} | {r.Engine.ToName()} | **{r.Verdict.ToKebab()}** | {(r.MeetsExpectation ? "yes" : "**no**")} | {ReportFacts.Count(r, Severity.Error)} | {ReportFacts.Count(r, Severity.Warning)} | {(loss == 0 ? "-" : loss.ToString("N0", CultureInfo.InvariantCulture) + " rows")} | {r.Duration.TotalSeconds:0.0} s |\n");
        }
    }

    private static void WriteNotRun(StringBuilder md, VerificationReport report)
    {
        var notRun = report.Results.Where(r => r.Verdict == Verdict.NotRun).GroupBy(r => r.Engine).ToList();
        if (notRun.Count == 0)
        {
            return;
        }

        md.Append("\n## Not run\n\n");
        foreach (var group in notRun)
        {
            md.Append(CultureInfo.InvariantCulture, $"- {group.Key.ToName()} ({group.Count()} run{(group.Count() == 1 ? "" : "s")}): {Text(ReportFacts.FirstLine(group.First().Reason))}\n");
        }
    }

    private static void WriteResultHeading(StringBuilder md, ScenarioResult r)
    {
        md.Append(CultureInfo.InvariantCulture, $"\n## {Text(r.Scenario)} on {r.Engine.ToName()}: {r.Verdict.ToKebab()}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Server: {Text(r.ServerVersion ?? "not started")}. {(r.History is { } h ? HistoryJson.Describe(h) : "Scenario folder")}: `{Text(r.Directory)}`.");
        if (r.Seed is { } seed)
        {
            md.Append(CultureInfo.InvariantCulture, $" Seed: {seed}.");
        }

        md.Append('\n');
        foreach (var problem in r.ExpectationProblems)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n> **Not as expected:** {Text(problem)}\n");
        }

        if (r.Reason is { } reason && r.Verdict is Verdict.Broken or Verdict.NothingTested or Verdict.NotRun)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n{Text(ReportFacts.FirstLine(reason))}\n");
        }
    }

    private static void WriteFailedStatement(StringBuilder md, ScenarioResult r)
    {
        if (r.FailedStatement is not { } f)
        {
            return;
        }

        md.Append(CultureInfo.InvariantCulture, $"\n**Failed {ReportFacts.What(f)}** ({Text(ReportFacts.Where(f))}): `{Text(f.ErrorCode)}` {Text(f.ErrorMessage)}\n\n");
        md.Append(MarkdownFence.Block(Text(f.Text), CommandStepReport.IsCommand(f) ? "sh" : "sql"));
    }

    private static void WriteFindings(StringBuilder md, ScenarioResult r)
    {
        foreach (var group in ReportFacts.Groups(r))
        {
            md.Append(CultureInfo.InvariantCulture, $"\n### {group.Title} ({group.Findings.Count})\n\n");
            var accepted = group.Key == "accepted";
            md.Append(accepted
                ? "| Code | Severity | Object | Finding | Before | After | Evidence | Accepted because |\n|---|---|---|---|---|---|---|---|\n"
                : "| Code | Object | Finding | Before | After | Evidence |\n|---|---|---|---|---|---|\n");
            foreach (var f in group.Findings)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {f.Code} {f.Name} | ");
                if (accepted)
                {
                    md.Append(f.Severity.ToString().ToLowerInvariant()).Append(" | ");
                }

                var below = IsBlock(f.Before) || IsBlock(f.After);
                var (before, after) = below ? ("(see below)", "(see below)") : (Cell(f.Before), Cell(f.After));
                md.Append(CultureInfo.InvariantCulture, $"{Cell(f.Object)} | {Cell(f.Message)} | {before} | {after} | {Cell(ReportFacts.Evidence(f.Evidence))} |");
                if (accepted)
                {
                    md.Append(CultureInfo.InvariantCulture, $" {Cell(f.AcceptedReason)} |");
                }

                md.Append('\n');
            }

            // Definitions (views, triggers, routines) do not fit a table cell: a line diff says more.
            foreach (var f in group.Findings.Where(f => IsBlock(f.Before) || IsBlock(f.After)))
            {
                md.Append(CultureInfo.InvariantCulture, $"\n{f.Code} `{Text(f.Object)}`, before (-) and after the rollback (+):\n\n");
                md.Append(MarkdownFence.Block(LineDiff(Text(f.Before), Text(f.After)), "diff"));
            }
        }
    }

    /// <summary>Too long or multi-line for a table cell.</summary>
    private static bool IsBlock(string? value) => value is not null && (value.Contains('\n', StringComparison.Ordinal) || value.Length > 120);

    private static string LineDiff(string before, string after)
    {
        var lines = InlineDiffBuilder.Diff(before.ReplaceLineEndings("\n"), after.ReplaceLineEndings("\n"), ignoreWhiteSpace: false).Lines;
        return string.Join("\n", lines.Select(l => l.Type switch
        {
            ChangeType.Deleted => "-" + l.Text,
            ChangeType.Inserted => "+" + l.Text,
            _ => " " + l.Text,
        }));
    }

    private static void WriteDataLoss(StringBuilder md, ScenarioResult r)
    {
        var loss = ReportFacts.DataLoss(r);
        if (loss.Count == 0)
        {
            return;
        }

        md.Append("\n**Data loss:**\n\n");
        foreach (var f in loss)
        {
            var count = f.Evidence.Count is { } c ? c.ToString("N0", CultureInfo.InvariantCulture) + " rows" : "rows";
            md.Append(CultureInfo.InvariantCulture, $"- {count} in `{Text(f.Object)}` ({f.Code} {f.Name}{(f.AcceptedReason is null ? string.Empty : ", accepted")})\n");
        }
    }

    private static void WriteAdvice(StringBuilder md, ScenarioResult r)
    {
        var advice = ReportFacts.Advice(r);
        if (advice.Count == 0)
        {
            return;
        }

        md.Append("\n**How to fix the rollback:**\n\n");
        foreach (var (code, name, text) in advice)
        {
            md.Append(CultureInfo.InvariantCulture, $"- **{code} {name}**: {text}\n");
        }
    }

    private static void WriteSeeding(StringBuilder md, ScenarioResult r)
    {
        if (r.Seeding.Count == 0)
        {
            return;
        }

        md.Append("\n**What was seeded:**\n\n| Table | Phase | Inserted | Updated | Deleted | Refused |\n|---|---|---|---|---|---|\n");
        foreach (var s in r.Seeding)
        {
            var refused = s.Skipped == 0 ? "0" : $"{s.Skipped.ToString(CultureInfo.InvariantCulture)} ({Cell(s.SkipReason)})";
            md.Append(CultureInfo.InvariantCulture, $"| {Cell(s.Table)} | {s.Phase} | {s.Inserted} | {s.Updated} | {s.Deleted} | {refused} |\n");
        }

        var attacks = r.Seeding.Where(s => s.Attacks.Count > 0).ToList();
        if (attacks.Count > 0)
        {
            md.Append("\nLive rows written against the old schema:\n\n");
            foreach (var seed in attacks)
            {
                md.Append(CultureInfo.InvariantCulture, $"- {Text(seed.Table)}: {Text(string.Join("; ", seed.Attacks))}\n");
            }
        }
    }

    private static void WriteTimings(StringBuilder md, ScenarioResult r)
    {
        var timings = ReportFacts.Timings(r);
        if (timings.Count == 0)
        {
            return;
        }

        md.Append(CultureInfo.InvariantCulture, $"\nTimings: {string.Join(", ", timings.Select(t => $"{t.Phase} {ReportFacts.Duration(t.Milliseconds)}"))}.\n");
    }

    private static void WriteReproduce(StringBuilder md, ScenarioResult r)
    {
        if (r.Reproduce is not { } command)
        {
            return;
        }

        md.Append("\nReproduce:\n\n").Append(MarkdownFence.Block(Text(command), "sh"));
    }

    /// <summary>Data as text, secrets masked.</summary>
    private static string Text(string? text) => Secrets.Redact(text) ?? string.Empty;

    /// <summary>Data safe inside a Markdown table cell, secrets masked (before '|' is escaped, so a masked value is found whole).</summary>
    private static string Cell(string? text) =>
        string.IsNullOrEmpty(text) ? string.Empty : Text(text).ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal);
}
