using System.Globalization;
using System.Text;
using RollbackVerifier.Execution.Analysis;

namespace RollbackVerifier.Reporting;

/// <summary>
/// The "How the rollback runs" section of a run in the Markdown report: per statement its locks (or ALTER algorithm)
/// with rows and hold times, then the atomicity probes and the half-applied states they found.
/// </summary>
public static class RunAnalysisMarkdown
{
    /// <summary>Appends the section for <paramref name="result"/>; nothing when the run was not analysed.</summary>
    public static void Write(StringBuilder md, ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(md);
        ArgumentNullException.ThrowIfNull(result);
        if (result.RunAnalysis is not { } analysis || !RunAnalysisText.HasContent(analysis))
        {
            return;
        }

        md.Append("\n### How the rollback runs\n");
        if (analysis.Statements.Any(s => s.Locks.Count > 0))
        {
            WriteLocks(md, analysis);
        }

        if (analysis.Statements.Any(s => s.Alter is not null))
        {
            WriteAlters(md, analysis);
        }

        if (analysis.Atomicity is { } atomicity)
        {
            WriteAtomicity(md, atomicity);
        }
    }

    private static void WriteLocks(StringBuilder md, RunAnalysis analysis)
    {
        md.Append("\nLocks per rollback statement (the strongest mode per relation; held from the statement's start until its transaction ended). ")
            .Append("**Blocks** is what other sessions wait for; times are measured on the seeded rows, so statements marked *grows with rows* take longer on production tables (measure with `--rows`).\n\n");
        md.Append("| # | Statement | Relation | Mode | Blocks | Rows | Ran | Held | Until | Work |\n|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var s in analysis.Statements.Where(s => s.Locks.Count > 0 || s.Note is not null))
        {
            var first = true;
            foreach (var l in s.Locks.DefaultIfEmpty())
            {
                var statement = first ? $"`{Cell(s.File)}:{s.Line}` {Cell(s.Summary)}" : string.Empty;
                var number = first ? s.Number.ToString(CultureInfo.InvariantCulture) : string.Empty;
                var ran = first ? Ms(s.DurationMs) : string.Empty;
                var work = first ? Cell(RunAnalysisText.Work(s)) : string.Empty;
                first = false;
                if (l is null)
                {
                    md.Append(CultureInfo.InvariantCulture, $"| {number} | {statement} | - | - | - | - | {ran} | - | - | {work} |\n");
                    continue;
                }

                var (blocks, strong) = RunAnalysisText.Blocks(l);
                md.Append(CultureInfo.InvariantCulture,
                    $"| {number} | {statement} | {Cell(RunAnalysisText.Relation(l))} | {l.Mode} | {(strong ? $"**{blocks}**" : blocks)} | {RunAnalysisText.Rows(l.Rows)} | {ran} | {Ms(l.HeldMs)} | {Cell(l.HeldUntil)} | {work} |\n");
            }
        }
    }

    private static void WriteAlters(StringBuilder md, RunAnalysis analysis)
    {
        md.Append("\nHow each ALTER ran (copy: the table is rebuilt row by row while writes wait; in place: reads and writes continue; instant: metadata only):\n\n");
        md.Append("| # | Statement | Table | Algorithm | Rebuilt | Rows | Ran | Found by | Server's reason |\n|---|---|---|---|---|---|---|---|---|\n");
        foreach (var s in analysis.Statements.Where(s => s.Alter is not null))
        {
            var a = s.Alter!;
            md.Append(CultureInfo.InvariantCulture,
                $"| {s.Number} | `{Cell(s.File)}:{s.Line}` {Cell(s.Summary)} | {Cell(a.Table)} | **{a.Algorithm}** | {RunAnalysisText.Rebuilt(a)} | {RunAnalysisText.Rows(a.Rows)} | {Ms(s.DurationMs)} | {a.Method} | {Cell(a.Reason)} |\n");
        }
    }

    private static void WriteAtomicity(StringBuilder md, AtomicityReport atomicity)
    {
        md.Append('\n').Append(RunAnalysisText.AtomicityHeading(atomicity)).Append(": ");
        if (atomicity.Skipped is { } skipped)
        {
            md.Append("not run: ").Append(skipped).Append(".\n");
            return;
        }

        var half = RunAnalysisText.HalfAppliedAfter(atomicity);
        md.Append(half.Length == 0 ? RunAnalysisText.NoHalfApplied + ".\n" : $"stopping the rollback after {half} leaves it **half applied**.\n");
        md.Append("\n| After statement | State | Done | Not done |\n|---|---|---|---|\n");
        foreach (var p in atomicity.Points)
        {
            var state = p.State == AtomicityState.HalfApplied ? "**half applied**" : RunAnalysisJson.StateName(p.State);
            md.Append(CultureInfo.InvariantCulture,
                $"| {p.AfterStatement} (line {p.Line}) {Cell(p.Summary)} | {state} | {Cell(string.Join("; ", p.Applied))} | {Cell(string.Join("; ", p.Remaining))} |\n");
        }
    }

    private static string Ms(double ms) => RunAnalysisText.Ms(ms);

    private static string Cell(string? text) =>
        string.IsNullOrEmpty(text) ? string.Empty : text.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal);
}
