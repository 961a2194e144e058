using System.Globalization;
using System.Text;

namespace RollbackVerifier.Reporting;

/// <summary>The static rules' part of a run: statements read, rules the scenario disabled and why, statements not analysed, how the run bore out the findings.</summary>
public static partial class HtmlReportWriter
{
    private static void WriteStaticAnalysis(StringBuilder html, ScenarioResult r)
    {
        if (r.StaticAnalysis is not { } analysis || (analysis.Disabled.Count == 0 && analysis.NotUnderstood.Count == 0 && analysis.Confirmations.Count == 0))
        {
            return;
        }

        var confirmations = StaticAnalysisReport.Confirmations(analysis);
        var summary = new List<string> { StaticAnalysisReport.StatementsRead(analysis) };
        if (analysis.Disabled.Count > 0)
        {
            summary.Add(Plural(analysis.Disabled.Count, "rule") + " disabled");
        }

        if (analysis.NotUnderstood.Count > 0)
        {
            summary.Add(Plural(analysis.NotUnderstood.Count, "statement") + " not analysed");
        }

        if (confirmations.Length > 0)
        {
            summary.Add("findings: " + confirmations);
        }

        html.Append(CultureInfo.InvariantCulture, $"<details class=\"static\"><summary>Static rules: {H(string.Join(" · ", summary))}</summary>\n");
        if (analysis.Disabled.Count > 0)
        {
            html.Append("<table>\n<thead><tr><th>Disabled rule</th><th>Reason</th></tr></thead>\n<tbody>\n");
            foreach (var disabled in analysis.Disabled)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td><span class=\"code-tag\">{H(disabled.Code)}</span> {H(StaticAnalysisReport.RuleName(disabled))}</td><td>{H(disabled.Reason)}</td></tr>\n");
            }

            html.Append("</tbody>\n</table>\n");
        }

        if (analysis.NotUnderstood.Count > 0)
        {
            html.Append("<h5 class=\"sub\">Not analysed (the rules could not read these statements; review them by hand)</h5>\n<table>\n<thead><tr><th>Where</th><th>Statement</th><th>Why</th></tr></thead>\n<tbody>\n");
            foreach (var statement in analysis.NotUnderstood)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td><code>{H(Path.GetFileName(statement.File))}:{statement.Line}</code></td><td><code>{H(statement.Statement)}</code></td><td>{H(statement.Reason)}</td></tr>\n");
            }

            html.Append("</tbody>\n</table>\n");
        }

        if (confirmations.Length > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">The rules' findings checked against the run: {H(confirmations)}.</p>\n");
        }

        html.Append("</details>\n");
    }
}
