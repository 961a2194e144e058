using RollbackVerifier.Findings;
using Spectre.Console;
using Spectre.Console.Cli;

namespace RollbackVerifier.Cli;

/// <summary>`findings`: prints the catalog of finding codes.</summary>
public sealed class FindingsCommand : Command<CliSettings>
{
    public override int Execute(CommandContext context, CliSettings settings, CancellationToken cancellationToken)
    {
        var table = new Table().AddColumns("Code", "Name", "Severity", "Description");
        foreach (var code in FindingCodes.All)
        {
            table.AddRow(code.Code, code.Name, code.Severity.ToString().ToLowerInvariant(), Markup.Escape(code.Description));
        }

        AnsiConsole.Write(table);
        return CliApp.Success;
    }
}
