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
        if (result.RunAnalysis is not { } analysis || (analysis.Statements.Count == 0 && analysis.Atomicity is null))
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
                var work = first ? Cell(Work(s) + (s.Note is null ? string.Empty : $" ({s.Note})")) : string.Empty;
                first = false;
                if (l is null)
                {
                    md.Append(CultureInfo.InvariantCulture, $"| {number} | {statement} | - | - | - | - | {ran} | - | - | {work} |\n");
                    continue;
                }

                var blocks = !l.Visible ? "nothing (new)" : l.BlocksReads ? "**reads and writes**" : l.BlocksWrites ? "**writes**" : "-";
                var relation = l.Relation == l.Table ? l.Relation : $"{l.Relation} ({l.RelationKind} of {l.Table})";
                md.Append(CultureInfo.InvariantCulture,
                    $"| {number} | {statement} | {Cell(relation)} | {l.Mode} | {blocks} | {l.Rows?.ToString(CultureInfo.InvariantCulture) ?? "-"} | {ran} | {Ms(l.HeldMs)} | {Cell(l.HeldUntil)} | {work} |\n");
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
                $"| {s.Number} | `{Cell(s.File)}:{s.Line}` {Cell(s.Summary)} | {Cell(a.Table)} | **{a.Algorithm}** | {(a.Rebuilt is { } r ? (r ? "yes" : "no") : "?")} | {a.Rows?.ToString(CultureInfo.InvariantCulture) ?? "-"} | {Ms(s.DurationMs)} | {a.Method} | {Cell(a.Reason)} |\n");
        }
    }

    private static void WriteAtomicity(StringBuilder md, AtomicityReport atomicity)
    {
        md.Append(CultureInfo.InvariantCulture, $"\nAtomicity ({atomicity.Mode}, {atomicity.Points.Count} of {atomicity.Candidates} failure points, {atomicity.DurationMs / 1000:0.0} s");
        md.Append(atomicity.CloneMethod is null ? "): " : $"; copies by {atomicity.CloneMethod}): ");
        if (atomicity.Skipped is { } skipped)
        {
            md.Append("not run: ").Append(skipped).Append(".\n");
            return;
        }

        var half = atomicity.HalfApplied.ToList();
        md.Append(half.Count == 0
            ? "stopping the rollback after any of them leaves the database as before the rollback or as rolled back.\n"
            : $"stopping the rollback after {string.Join(", ", half.Select(p => "statement " + p.AfterStatement.ToString(CultureInfo.InvariantCulture)))} leaves it **half applied**.\n");
        md.Append("\n| After statement | State | Done | Not done |\n|---|---|---|---|\n");
        foreach (var p in atomicity.Points)
        {
            var state = p.State == AtomicityState.HalfApplied ? "**half applied**" : RunAnalysisJson.StateName(p.State);
            md.Append(CultureInfo.InvariantCulture,
                $"| {p.AfterStatement} (line {p.Line}) {Cell(p.Summary)} | {state} | {Cell(string.Join("; ", p.Applied))} | {Cell(string.Join("; ", p.Remaining))} |\n");
        }
    }

    private static string Work(StatementRun s)
    {
        var parts = s.Tables.Select(t =>
        {
            var what = new List<string>();
            if (t.Rewritten)
            {
                what.Add("rewritten");
            }

            if (t.RowsRead > 0)
            {
                what.Add(t.RowsRead.ToString(CultureInfo.InvariantCulture) + " rows read");
            }

            if (t.RowsWritten > 0)
            {
                what.Add(t.RowsWritten.ToString(CultureInfo.InvariantCulture) + " rows written" + (s.InTransaction ? " (row-locked until commit)" : string.Empty));
            }

            return $"{t.Table}: {string.Join(", ", what)}";
        }).ToList();
        return parts.Count == 0 ? "catalog only" : string.Join("; ", parts) + "; grows with rows";
    }

    private static string Ms(double ms) => ms.ToString(ms < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " ms";

    private static string Cell(string? text) =>
        string.IsNullOrEmpty(text) ? string.Empty : text.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal);
}
