using System.Globalization;
using System.Text;

namespace RollbackVerifier.Reporting;

/// <summary>The tables a run left out of seeding and comparison, and per command step its outcome and output (opened when the step failed).</summary>
public static partial class HtmlReportWriter
{
    private static void WriteCommandSteps(StringBuilder html, ScenarioResult r)
    {
        if (r.IgnoredTables.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<h5 class=\"sub\">{H(CommandStepReport.NotComparedIntro)}</h5>\n<ul class=\"ignored\">\n");
            foreach (var table in r.IgnoredTables)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li><code>{H(table.Table)}</code>: {H(table.Reason)}</li>\n");
            }

            html.Append("</ul>\n");
        }

        if (r.CommandSteps.Count == 0)
        {
            return;
        }

        html.Append("<h4>Command steps</h4>\n");
        foreach (var step in r.CommandSteps)
        {
            var failed = !step.Succeeded;
            html.Append(CultureInfo.InvariantCulture,
                $"<details class=\"command\"{(failed ? " open" : string.Empty)}><summary>{H(step.Phase.ToString().ToLowerInvariant())}: <code>{H(step.Command)}</code> ({H(step.Location)}) {H(CommandStepReport.Outcome(step))}</summary>\n");
            html.Append(step.Output.Length == 0
                ? "<pre class=\"output\"><span class=\"muted\">(no output)</span></pre>\n"
                : $"<pre class=\"output\">{H(step.Output.TrimEnd('\n'))}</pre>\n");
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"muted small\">Working directory <code>{H(step.WorkingDirectory)}</code>{(step.Shell ? ", run in a shell" : string.Empty)}.</p>\n</details>\n");
        }
    }
}
