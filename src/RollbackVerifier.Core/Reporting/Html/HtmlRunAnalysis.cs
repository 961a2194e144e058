using System.Globalization;
using System.Text;
using RollbackVerifier.Execution.Analysis;

namespace RollbackVerifier.Reporting;

/// <summary>
/// "How the rollback runs" of a run: per statement its locks (PostgreSQL) or ALTER algorithm (MySQL) with rows and
/// hold times, then the atomicity probes and the half-applied states they found. Opened where something blocks or is
/// half applied.
/// </summary>
public static partial class HtmlReportWriter
{
    private static void WriteRunAnalysis(StringBuilder html, ScenarioResult r)
    {
        if (r.RunAnalysis is not { } analysis || !RunAnalysisText.HasContent(analysis))
        {
            return;
        }

        html.Append("<h4>How the rollback runs</h4>\n");
        if (analysis.Statements.Any(s => s.Locks.Count > 0))
        {
            WriteLocks(html, analysis);
        }

        if (analysis.Statements.Any(s => s.Alter is not null))
        {
            WriteAlters(html, analysis);
        }

        if (analysis.Atomicity is { } atomicity)
        {
            WriteAtomicity(html, atomicity);
        }
    }

    private static void WriteLocks(StringBuilder html, RunAnalysis analysis)
    {
        var statements = analysis.Statements.Where(s => s.Locks.Count > 0 || s.Note is not null).ToList();
        var blocking = statements.Count(s => s.Locks.Any(l => RunAnalysisText.Blocks(l).Strong));
        html.Append(CultureInfo.InvariantCulture, $"<details class=\"locks\"{(blocking > 0 ? " open" : string.Empty)}><summary>Locks: {Plural(statements.Count, "statement")}, {blocking} blocking other sessions</summary>\n");
        html.Append("<p class=\"muted\">The strongest mode per relation, held from the statement's start until its transaction ended. <strong>Blocks</strong> is what other sessions wait for; times are measured on the seeded rows, so statements marked <em>grows with rows</em> take longer on production tables (measure with <code>--rows</code>).</p>\n");
        html.Append("<table>\n<thead><tr><th class=\"num\">#</th><th>Statement</th><th>Relation</th><th>Mode</th><th>Blocks</th><th class=\"num\">Rows</th><th class=\"num\">Ran</th><th class=\"num\">Held</th><th>Until</th><th>Work</th></tr></thead>\n<tbody>\n");
        foreach (var s in statements)
        {
            var span = Math.Max(1, s.Locks.Count);
            var rowspan = span == 1 ? string.Empty : $" rowspan=\"{span}\"";
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td class=\"num\"{rowspan}>{s.Number}</td><td{rowspan}><code>{H(s.File)}:{s.Line}</code> {H(s.Summary)}</td>");
            if (s.Locks.Count == 0)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td>-</td><td>-</td><td>-</td><td class=\"num\">-</td><td class=\"num\">{H(RunAnalysisText.Ms(s.DurationMs))}</td><td class=\"num\">-</td><td>-</td><td>{H(RunAnalysisText.Work(s))}</td></tr>\n");
                continue;
            }

            for (var i = 0; i < s.Locks.Count; i++)
            {
                var l = s.Locks[i];
                var (blocks, strong) = RunAnalysisText.Blocks(l);
                html.Append(i == 0 ? string.Empty : "<tr>");
                html.Append(CultureInfo.InvariantCulture,
                    $"<td><code>{H(RunAnalysisText.Relation(l))}</code></td><td>{H(l.Mode)}</td><td>{(strong ? $"<strong>{H(blocks)}</strong>" : H(blocks))}</td><td class=\"num\">{H(RunAnalysisText.Rows(l.Rows))}</td>");
                if (i == 0)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\"{rowspan}>{H(RunAnalysisText.Ms(s.DurationMs))}</td>");
                }

                html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{H(RunAnalysisText.Ms(l.HeldMs))}</td><td>{H(l.HeldUntil)}</td>");
                if (i == 0)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<td{rowspan}>{H(RunAnalysisText.Work(s))}</td>");
                }

                html.Append("</tr>\n");
            }
        }

        html.Append("</tbody>\n</table>\n</details>\n");
    }

    private static void WriteAlters(StringBuilder html, RunAnalysis analysis)
    {
        var alters = analysis.Statements.Where(s => s.Alter is not null).ToList();
        var algorithms = string.Join(", ", alters.GroupBy(s => s.Alter!.Algorithm, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"));
        var copies = alters.Any(s => string.Equals(s.Alter!.Algorithm, "copy", StringComparison.OrdinalIgnoreCase));
        html.Append(CultureInfo.InvariantCulture, $"<details class=\"alters\"{(copies ? " open" : string.Empty)}><summary>How each ALTER ran: {H(algorithms)}</summary>\n");
        html.Append("<p class=\"muted\">Copy: the table is rebuilt row by row while writes wait; in place: reads and writes continue; instant: metadata only.</p>\n");
        html.Append("<table>\n<thead><tr><th class=\"num\">#</th><th>Statement</th><th>Table</th><th>Algorithm</th><th>Rebuilt</th><th class=\"num\">Rows</th><th class=\"num\">Ran</th><th>Found by</th><th>Server's reason</th></tr></thead>\n<tbody>\n");
        foreach (var s in alters)
        {
            var a = s.Alter!;
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td class=\"num\">{s.Number}</td><td><code>{H(s.File)}:{s.Line}</code> {H(s.Summary)}</td><td><code>{H(a.Table)}</code></td><td><strong>{H(a.Algorithm)}</strong></td><td>{H(RunAnalysisText.Rebuilt(a))}</td>"
                + $"<td class=\"num\">{H(RunAnalysisText.Rows(a.Rows))}</td><td class=\"num\">{H(RunAnalysisText.Ms(s.DurationMs))}</td><td>{H(a.Method)}</td><td>{H(a.Reason)}</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n</details>\n");
    }

    private static void WriteAtomicity(StringBuilder html, AtomicityReport atomicity)
    {
        var half = RunAnalysisText.HalfAppliedAfter(atomicity);
        var outcome = atomicity.Skipped is { } skipped ? "not run: " + skipped
            : half.Length == 0 ? RunAnalysisText.NoHalfApplied
            : $"stopping the rollback after {half} leaves it half applied";
        html.Append(CultureInfo.InvariantCulture, $"<details class=\"atomicity\"{(half.Length > 0 ? " open" : string.Empty)}><summary>{H(RunAnalysisText.AtomicityHeading(atomicity))}: {H(outcome)}</summary>\n");
        if (atomicity.Skipped is not null || atomicity.Points.Count == 0)
        {
            html.Append("</details>\n");
            return;
        }

        html.Append("<table>\n<thead><tr><th>After statement</th><th>State</th><th>Done</th><th>Not done</th></tr></thead>\n<tbody>\n");
        foreach (var p in atomicity.Points)
        {
            var state = p.State == AtomicityState.HalfApplied ? "<span class=\"badge sev error\">half applied</span>" : H(RunAnalysisJson.StateName(p.State));
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{p.AfterStatement} (line {p.Line}) <code>{H(p.Summary)}</code></td><td>{state}</td><td>{Lines(p.Applied)}</td><td>{Lines(p.Remaining)}</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n</details>\n");
    }

    /// <summary>One escaped item per line inside a cell.</summary>
    private static string Lines(IEnumerable<string> items) => string.Join("<br>", items.Select(H));
}
