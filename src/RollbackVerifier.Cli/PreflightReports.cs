using RollbackVerifier.Preflight;
using RollbackVerifier.Reporting;
using Spectre.Console;

namespace RollbackVerifier.Cli;

/// <summary>What `verify` adds to its reports for the pre-rollback checklist: the checklist files and, on request, review prompts.</summary>
internal static class PreflightReports
{
    /// <summary>
    /// Attaches review prompts to the runs that did not pass (when <paramref name="reviewPrompt"/>), and writes each run's
    /// checklist.&lt;engine&gt;.sql into a folder per scenario under <paramref name="reportDirectory"/> (when reports are written).
    /// </summary>
    public static async Task<VerificationReport> ApplyAsync(VerificationReport report, bool reviewPrompt, string? reportDirectory, CancellationToken cancellationToken)
    {
        if (reviewPrompt)
        {
            report = ReviewPrompt.Attach(report);
        }

        if (reportDirectory is not null)
        {
            foreach (var path in await ChecklistFile.WriteAllAsync(report, reportDirectory, cancellationToken))
            {
                AnsiConsole.MarkupLine($"[grey]checklist:[/] {Markup.Escape(path)}");
            }
        }

        return report;
    }
}
