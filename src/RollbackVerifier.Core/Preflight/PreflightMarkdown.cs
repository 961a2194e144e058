using System.Globalization;
using System.Text;
using RollbackVerifier.Reporting;

namespace RollbackVerifier.Preflight;

/// <summary>
/// The Markdown report's pre-rollback section of one run: what each check counted on the test database just before
/// the rollback (next to the adversarial live rows it should find), the findings backing it, the notes, and the review
/// prompt when one was requested.
/// </summary>
public static class PreflightMarkdown
{
    /// <summary>Appends the section for <paramref name="result"/>; nothing when the run has no checklist and no prompt.</summary>
    public static void Write(StringBuilder md, ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(md);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Checklist is { } run && ChecklistFacts.HasContent(run))
        {
            WriteChecklist(md, result, run);
        }

        if (result.ReviewPrompt is { } prompt)
        {
            md.Append("\n### Review prompt\n\n").Append(ChecklistFacts.PromptIntro).Append(":\n\n");
            var fence = MarkdownFence.For(prompt);
            md.Append(fence).Append("text\n").Append(prompt.TrimEnd('\n')).Append('\n').Append(fence).Append('\n');
        }
    }

    private static void WriteChecklist(StringBuilder md, ScenarioResult result, ChecklistRun run)
    {
        var checklist = run.Checklist;
        md.Append("\n### Pre-rollback checklist\n\n");
        md.Append(CultureInfo.InvariantCulture,
            $"Before rolling this migration back in production, run `{ChecklistFile.FileName(result.Engine)}` (written next to this report) read-only, or `rollback-verifier preflight {Code(result.Directory)} --{ChecklistFacts.UrlOption(result.Engine)} ...`. ");
        md.Append("On the test database, just before the rollback, the checks counted:\n\n");
        if (checklist.Checks.Count > 0)
        {
            md.Append("| Check | Object | If not zero the rollback | Test database | Live rows written against it | Sample keys | Backed by |\n|---|---|---|---|---|---|---|\n");
            foreach (var check in checklist.Checks)
            {
                var outcome = run.CountOf(check.Id);
                var (nonZero, text) = ChecklistFacts.Count(check, outcome);
                var count = nonZero is { } n ? $"**{n.ToString(CultureInfo.InvariantCulture)}** {text}" : text;
                var evidence = ChecklistFacts.BackedBy(run, check);
                md.Append(CultureInfo.InvariantCulture,
                    $"| `{check.Id}` | {Cell(check.Object)} | {ChecklistFile.Verb(check.Effect)} | {Cell(count)} | {Cell(ChecklistFacts.LiveRows(result, check))} | {Cell(string.Join("; ", ChecklistFacts.SampleKeys(outcome)))} | {evidence} |\n");
            }

            md.Append('\n');
            foreach (var check in ChecklistFacts.Found(run))
            {
                md.Append(CultureInfo.InvariantCulture, $"- `{check.Id}`: {Cell(check.What)} {Cell(check.Why)} **If not zero:** {Cell(check.IfNotZero)}\n");
            }
        }

        if (checklist.Notes.Count > 0)
        {
            md.Append("\nRead before rolling back (nothing a query can count):\n\n");
            foreach (var note in checklist.Notes)
            {
                md.Append(CultureInfo.InvariantCulture, $"- {(note.Irreversible ? "**irreversible** " : "")}{Cell(note.Object)}: {Cell(note.Text)}\n");
            }
        }
    }

    private static string Code(string text) => text.Replace("`", "'", StringComparison.Ordinal);

    private static string Cell(string? text) =>
        string.IsNullOrEmpty(text) ? string.Empty : text.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal);
}
