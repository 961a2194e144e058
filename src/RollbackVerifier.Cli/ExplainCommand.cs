using System.ComponentModel;
using RollbackVerifier.Findings;
using Spectre.Console;
using Spectre.Console.Cli;

namespace RollbackVerifier.Cli;

/// <summary><c>rollback-verifier explain CODE</c>: what a finding means and how to fix the rollback.</summary>
public sealed class ExplainCommand : Command<ExplainCommand.Settings>
{
    public sealed class Settings : CliSettings
    {
        [CommandArgument(0, "<CODE>")]
        [Description("A finding code (RV304) or name (dropped-data-not-restored).")]
        public string Code { get; init; } = string.Empty;
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!FindingCodes.TryGet(settings.Code.Trim(), out var code))
        {
            var close = FindingCodes.All.Where(c => c.Name.Contains(settings.Code.Trim().ToLowerInvariant(), StringComparison.Ordinal)).Select(c => $"{c.Code} {c.Name}").ToList();
            CliApp.WriteError($"unknown finding code '{settings.Code}'" + (close.Count > 0 ? $"; did you mean {string.Join(", ", close)}?" : "; `rollback-verifier findings` lists them all"));
            return CliApp.InvalidInput;
        }

        AnsiConsole.MarkupLine($"[bold]{code.Code} {Markup.Escape(code.Name)}[/] ({code.Severity.ToString().ToLowerInvariant()}, {Markup.Escape(code.Category)})");
        AnsiConsole.WriteLine();
        AnsiConsole.WriteLine(code.Description);
        if (FindingAdvice.For(code.Code) is { } advice)
        {
            AnsiConsole.WriteLine();
            AnsiConsole.MarkupLine("[bold]How to fix the rollback[/]");
            AnsiConsole.WriteLine(advice);
        }

        return CliApp.Success;
    }
}
