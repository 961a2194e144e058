using System.Globalization;
using System.Text;
using RollbackVerifier.Preflight;

namespace RollbackVerifier.Reporting;

/// <summary>
/// The pre-rollback checklist of a run: what each check counted on the test database just before the rollback (next
/// to the adversarial live rows it should find), what to do when it is not zero, the notes; and the review prompt.
/// </summary>
public static partial class HtmlReportWriter
{
    private static void WritePreflight(StringBuilder html, ScenarioResult r)
    {
        if (r.Checklist is { } run && ChecklistFacts.HasContent(run))
        {
            WriteChecklist(html, r, run);
        }

        if (r.ReviewPrompt is { } prompt)
        {
            html.Append(CultureInfo.InvariantCulture, $"<details class=\"prompt\"><summary>Review prompt: {H(ChecklistFacts.PromptIntro)}</summary>\n<pre class=\"prompt\">{H(prompt.TrimEnd('\n'))}</pre>\n</details>\n");
        }
    }

    private static void WriteChecklist(StringBuilder html, ScenarioResult r, ChecklistRun run)
    {
        var checklist = run.Checklist;
        html.Append("<h4>Pre-rollback checklist</h4>\n");
        html.Append(CultureInfo.InvariantCulture,
            $"<p>Before rolling this migration back in production, run <code>{H(ChecklistFile.FileName(r.Engine))}</code> (written next to this report) read-only, or <code>rollback-verifier preflight {H(r.Directory)} --{ChecklistFacts.UrlOption(r.Engine)} ...</code>. On the test database, just before the rollback, the checks counted:</p>\n");
        if (checklist.Checks.Count > 0)
        {
            html.Append("<table class=\"checklist\">\n<thead><tr><th>Check</th><th>Object</th><th>If not zero the rollback</th><th>Test database</th><th class=\"num\">Live rows written against it</th><th>Sample keys</th><th>Backed by</th></tr></thead>\n<tbody>\n");
            foreach (var check in checklist.Checks)
            {
                var outcome = run.CountOf(check.Id);
                var (nonZero, text) = ChecklistFacts.Count(check, outcome);
                var count = nonZero is { } n ? $"<strong>{n.ToString("N0", CultureInfo.InvariantCulture)}</strong> {H(text)}" : H(text);
                html.Append(CultureInfo.InvariantCulture,
                    $"<tr><td><code>{H(check.Id)}</code></td><td><code>{H(check.Object)}</code></td><td>{H(ChecklistFile.Verb(check.Effect))}</td><td>{count}</td><td class=\"num\">{H(ChecklistFacts.LiveRows(r, check))}</td>"
                    + $"<td>{string.Join(" ", ChecklistFacts.SampleKeys(outcome).Select(k => $"<code>{H(k)}</code>"))}</td><td>{H(ChecklistFacts.BackedBy(run, check))}</td></tr>\n");
            }

            html.Append("</tbody>\n</table>\n");
            var found = ChecklistFacts.Found(run).ToList();
            if (found.Count > 0)
            {
                html.Append("<ul class=\"advice found\">\n");
                foreach (var check in found)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<li><code>{H(check.Id)}</code>: {H(check.What)} {H(check.Why)} <strong>If not zero:</strong> {H(check.IfNotZero)}</li>\n");
                }

                html.Append("</ul>\n");
            }
        }

        if (checklist.Notes.Count > 0)
        {
            html.Append("<h5 class=\"sub\">Read before rolling back (nothing a query can count)</h5>\n<ul class=\"notes\">\n");
            foreach (var note in checklist.Notes)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li>{(note.Irreversible ? "<span class=\"badge sev error\">irreversible</span> " : string.Empty)}<code>{H(note.Object)}</code>: {H(note.Text)}</li>\n");
            }

            html.Append("</ul>\n");
        }
    }
}
