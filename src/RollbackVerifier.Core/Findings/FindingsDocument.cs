using System.Text;

namespace RollbackVerifier.Findings;

/// <summary>Renders the catalog of finding codes as Markdown; docs/findings.md embeds it between markers, checked by a test.</summary>
public static class FindingsDocument
{
    public const string BeginMarker = "<!-- codes:begin -->";
    public const string EndMarker = "<!-- codes:end -->";

    public static string RenderTable()
    {
        var text = new StringBuilder();
        text.Append("| Code | Name | Default severity | Category | Meaning |\n");
        text.Append("|------|------|------------------|----------|---------|\n");
        foreach (var code in FindingCodes.All)
        {
            text.Append("| [").Append(code.Code).Append("](#").Append(code.Code.ToLowerInvariant()).Append("-").Append(code.Name).Append(") | `")
                .Append(code.Name).Append("` | ").Append(code.Severity.ToString().ToLowerInvariant()).Append(" | ")
                .Append(code.Category).Append(" | ").Append(code.Description).Append(" |\n");
        }

        return text.ToString();
    }
}
