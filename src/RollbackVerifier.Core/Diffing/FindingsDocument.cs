using System.Text;
using RollbackVerifier.Findings;

namespace RollbackVerifier.Diffing;

/// <summary>
/// Generates the catalog of finding codes (from <see cref="FindingCodes.All"/>) as a Markdown table.
/// docs/findings.md embeds it between <see cref="BeginMarker"/> and <see cref="EndMarker"/>, followed by one
/// hand-written section per code headed <c>### RVnnn name</c>; a test checks that both are in sync with the codes.
/// </summary>
public static class FindingsDocument
{
    public const string BeginMarker = "<!-- codes:begin -->";
    public const string EndMarker = "<!-- codes:end -->";

    /// <summary>The generated catalog table (LF line endings, trailing newline).</summary>
    public static string RenderTable()
    {
        var text = new StringBuilder();
        text.Append("| Code | Name | Default severity | Category | Meaning |\n");
        text.Append("|------|------|------------------|----------|---------|\n");
        foreach (var code in FindingCodes.All)
        {
            text.Append("| [").Append(code.Code).Append("](#").Append(Anchor(code)).Append(") | `")
                .Append(code.Name).Append("` | ").Append(code.Severity.ToString().ToLowerInvariant()).Append(" | ")
                .Append(code.Category).Append(" | ").Append(Escape(code.Description)).Append(" |\n");
        }

        return text.ToString();
    }

    /// <summary>The heading line of a code's hand-written section, e.g. <c>### RV203 column-missing</c>.</summary>
    public static string SectionHeading(FindingCode code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return $"### {code.Code} {code.Name}";
    }

    /// <summary>The GitHub anchor of a code's section heading, e.g. <c>rv203-column-missing</c>.</summary>
    public static string Anchor(FindingCode code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return $"{code.Code.ToLowerInvariant()}-{code.Name}";
    }

    /// <summary>The text between the markers of <paramref name="document"/> (trimmed, LF line endings), or null when a marker is missing.</summary>
    public static string? ExtractGenerated(string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var text = document.ReplaceLineEndings("\n");
        var begin = text.IndexOf(BeginMarker, StringComparison.Ordinal);
        var end = text.IndexOf(EndMarker, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            return null;
        }

        return text[(begin + BeginMarker.Length)..end].Trim('\n', ' ');
    }

    /// <summary><paramref name="document"/> with the text between the markers replaced by a freshly generated table.</summary>
    public static string UpdateGenerated(string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var text = document.ReplaceLineEndings("\n");
        var begin = text.IndexOf(BeginMarker, StringComparison.Ordinal);
        var end = text.IndexOf(EndMarker, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            throw new InvalidOperationException($"The document has no {BeginMarker} ... {EndMarker} block.");
        }

        return string.Concat(text.AsSpan(0, begin + BeginMarker.Length), "\n", RenderTable(), text.AsSpan(end));
    }

    private static string Escape(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal);
}
