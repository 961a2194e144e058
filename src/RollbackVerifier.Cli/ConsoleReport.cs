using RollbackVerifier.Execution;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using Spectre.Console;

namespace RollbackVerifier.Cli;

/// <summary>One line per scenario and engine with its verdict and top findings, then a summary. Secrets are masked.</summary>
public static class ConsoleReport
{
    public const int TopFindings = 3;

    /// <param name="console">Where to write.</param>
    /// <param name="result">The result.</param>
    /// <param name="width">
    /// Cut the detail lines to this many characters (a live display cannot redraw over lines the terminal wrapped);
    /// null to let them wrap.
    /// </param>
    public static void WriteResult(IAnsiConsole console, ScenarioResult result, int? width = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(result);
        var color = result.Verdict switch
        {
            Verdict.Pass => "green",
            Verdict.Fail => "red",
            Verdict.Broken => "fuchsia",
            _ => "yellow",
        };
        var mark = result.MeetsExpectation ? "[green]ok[/]" : "[red]UNEXPECTED[/]";
        console.MarkupLine($"[{color}]{result.Verdict.ToKebab(),-14}[/] {E(result.Scenario)} [grey]on[/] {result.Engine.ToName()} [grey]({result.Duration.TotalSeconds:0.0}s)[/] {mark}");
        foreach (var problem in result.ExpectationProblems)
        {
            console.MarkupLine($"    [red]expectation:[/] {E(Fit(problem, width, 17))}");
        }

        if (result.Verdict == Verdict.NotRun)
        {
            console.MarkupLine(result.History?.ChainStoppedAt is null ? "    [grey]engine unavailable (reason below)[/]" : $"    [grey]{Markup.Escape(result.Reason ?? string.Empty)}[/]");
        }
        else if (result.Reason is { } reason && result.Verdict is Verdict.Broken or Verdict.NothingTested)
        {
            console.MarkupLine($"    [grey]{E(Fit(reason, width, 4))}[/]");
        }

        if (result.FailedStatement is { } f)
        {
            var what = CommandStepReport.IsCommand(f) ? "command" : $"statement {f.Number}";
            var where = $"{f.Phase.ToString().ToLowerInvariant()} {what} ({Path.GetFileName(f.File)}:{f.Line}):";
            console.MarkupLine($"    [grey]{E(where)}[/] {E(Fit(Shorten(f.Text), width, where.Length + 5))}");
        }

        // Errors first (unaccepted before accepted), then warnings; the runner's order within each group.
        var top = result.Findings
            .Where(x => x.Severity > Severity.Info)
            .OrderByDescending(x => x.Severity)
            .ThenBy(x => x.AcceptedReason is not null)
            .Take(TopFindings);
        foreach (var finding in top)
        {
            var severity = finding.Severity == Severity.Error ? (finding.AcceptedReason is null ? "red" : "grey") : "yellow";
            var accepted = finding.AcceptedReason is null ? string.Empty : " (accepted)";
            var message = Fit(Shorten(finding.Message), width, 4 + finding.Code.Length + 1 + finding.Object.Length + 2 + accepted.Length);
            console.MarkupLine($"    [{severity}]{finding.Code}[/] {E(finding.Object)}: {E(message)}{(accepted.Length == 0 ? "" : " [grey](accepted)[/]")}");
        }

        var more = result.Findings.Count(x => x.Severity > Severity.Info) - TopFindings;
        if (more > 0)
        {
            console.MarkupLine($"    [grey]... and {more} more findings[/]");
        }
    }

    public static void WriteSummary(IAnsiConsole console, VerificationReport report)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(report);
        var parts = Enum.GetValues<Verdict>()
            .Select(v => (Verdict: v, Count: report.Results.Count(r => r.Verdict == v)))
            .Where(p => p.Count > 0)
            .Select(p => $"{p.Count} {p.Verdict.ToKebab()}");
        var unexpected = report.Results.Count(r => !r.MeetsExpectation);
        console.MarkupLine($"{report.Results.Count} runs: {string.Join(", ", parts)}; {(unexpected == 0 ? "[green]all as expected[/]" : $"[red]{unexpected} not as expected[/]")} [grey]({report.Duration.TotalSeconds:0.0}s)[/]");
        foreach (var notRun in report.Results.Where(r => r.Verdict == Verdict.NotRun).GroupBy(r => r.Engine))
        {
            console.MarkupLine($"[yellow]{notRun.Count()} {notRun.Key.ToName()} runs not run:[/] {E(notRun.First().Reason ?? string.Empty)}");
        }
    }

    /// <summary>Cuts <paramref name="text"/> so that, after <paramref name="used"/> characters, the line fits in <paramref name="width"/>.</summary>
    private static string Fit(string text, int? width, int used)
    {
        // Masked before cutting, so that a cut never leaves part of a secret that the redaction no longer recognises.
        text = Secrets.Redact(text);
        var line = text.ReplaceLineEndings(" ");
        if (width is not { } w || used + line.Length <= w)
        {
            return width is null ? text : line;
        }

        var room = Math.Max(8, w - used);
        return line.Length <= room ? line : line[..(room - 3)] + "...";
    }

    /// <summary>Data for a markup line: secrets masked, then markup-escaped.</summary>
    private static string E(string text) => Markup.Escape(Secrets.Redact(text));

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= 160 ? line : line[..157] + "...";
    }
}
