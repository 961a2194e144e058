using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace RollbackVerifier.Reporting;

/// <summary>Text from data made safe for HTML, and before/after values with their differences marked.</summary>
internal static class HtmlText
{
    /// <summary>Above this many characters per side the difference is not marked (the diff would cost more than it tells).</summary>
    private const int MaxDiffLength = 20_000;

    /// <summary>
    /// Secrets masked, then the five HTML-special characters as entities and control characters as visible Unicode
    /// control pictures (U+2400 block, or U+FFFD for C1), so odd data can neither inject markup nor vanish silently.
    /// Usable in element content and in quoted attribute values.
    /// </summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        text = Secrets.Redact(text).ReplaceLineEndings("\n");
        var html = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': html.Append("&amp;"); break;
                case '<': html.Append("&lt;"); break;
                case '>': html.Append("&gt;"); break;
                case '"': html.Append("&quot;"); break;
                case '\'': html.Append("&#39;"); break;
                case '\n' or '\t': html.Append(c); break;
                case < ' ': html.Append((char)(0x2400 + c)); break;
                case '\u007F': html.Append('\u2421'); break;
                case >= '\u0080' and <= '\u009F': html.Append('\uFFFD'); break;
                default: html.Append(c); break;
            }
        }

        return html.ToString();
    }

    /// <summary>
    /// Before and after as two aligned panes (HTML for the inside of two &lt;pre&gt;), removed parts in &lt;del&gt; on
    /// the left and added parts in &lt;ins&gt; on the right, line by line and word by word.
    /// </summary>
    public static (string Before, string After) SideBySide(string? before, string? after)
    {
        var old = Secrets.Redact(before ?? string.Empty).ReplaceLineEndings("\n");
        var @new = Secrets.Redact(after ?? string.Empty).ReplaceLineEndings("\n");
        if (before is null || after is null || old.Length > MaxDiffLength || @new.Length > MaxDiffLength)
        {
            return (Escape(old), Escape(@new));
        }

        var model = SideBySideDiffBuilder.Diff(old, @new, ignoreWhiteSpace: false, ignoreCase: false);
        return (Pane(model.OldText, ChangeType.Deleted, "del"), Pane(model.NewText, ChangeType.Inserted, "ins"));
    }

    private static string Pane(DiffPaneModel pane, ChangeType changed, string tag)
    {
        var html = new StringBuilder();
        foreach (var line in pane.Lines)
        {
            if (html.Length > 0)
            {
                html.Append('\n');
            }

            switch (line.Type)
            {
                case ChangeType.Imaginary:
                    // Keeps the panes aligned where the other side has a line this one lacks.
                    html.Append("<span class=\"gap\"> </span>");
                    break;
                case ChangeType.Modified:
                    foreach (var piece in line.SubPieces)
                    {
                        var text = Escape(piece.Text);
                        html.Append(piece.Type == changed ? $"<{tag}>{text}</{tag}>" : piece.Type == ChangeType.Imaginary ? string.Empty : text);
                    }

                    break;
                default:
                    html.Append(line.Type == changed ? $"<{tag}>{Escape(line.Text)}</{tag}>" : Escape(line.Text));
                    break;
            }
        }

        return html.ToString();
    }
}
