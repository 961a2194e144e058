using RollbackVerifier.Execution;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using Spectre.Console;

namespace RollbackVerifier.Cli;

/// <summary>One line per scenario and engine with its verdict and top findings, then a summary.</summary>
public static class ConsoleReport
{
    public const int TopFindings = 3;

    public static void WriteResult(IAnsiConsole console, ScenarioResult result)
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
        console.MarkupLine($"[{color}]{result.Verdict.ToKebab(),-14}[/] {Markup.Escape(result.Scenario)} [grey]on[/] {result.Engine.ToName()} [grey]({result.Duration.TotalSeconds:0.0}s)[/] {mark}");
        foreach (var problem in result.ExpectationProblems)
        {
            console.MarkupLine($"    [red]expectation:[/] {Markup.Escape(problem)}");
        }

        if (result.Verdict == Verdict.NotRun)
        {
            console.MarkupLine(result.History?.ChainStoppedAt is null ? "    [grey]engine unavailable (reason below)[/]" : $"    [grey]{Markup.Escape(result.Reason ?? string.Empty)}[/]");
        }
        else if (result.Reason is { } reason && result.Verdict is Verdict.Broken or Verdict.NothingTested)
        {
            console.MarkupLine($"    [grey]{Markup.Escape(reason)}[/]");
        }

        if (result.FailedStatement is { } f)
        {
            console.MarkupLine($"    [grey]{f.Phase.ToString().ToLowerInvariant()} statement {f.Number} ({Markup.Escape(Path.GetFileName(f.File))}:{f.Line}):[/] {Markup.Escape(Shorten(f.Text))}");
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
            console.MarkupLine($"    [{severity}]{finding.Code}[/] {Markup.Escape(finding.Object)}: {Markup.Escape(Shorten(finding.Message))}{(finding.AcceptedReason is null ? "" : " [grey](accepted)[/]")}");
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
            console.MarkupLine($"[yellow]{notRun.Count()} {notRun.Key.ToName()} runs not run:[/] {Markup.Escape(notRun.First().Reason ?? string.Empty)}");
        }
    }

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= 160 ? line : line[..157] + "...";
    }
}
