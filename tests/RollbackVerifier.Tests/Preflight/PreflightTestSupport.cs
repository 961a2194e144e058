using RollbackVerifier.Cli;
using RollbackVerifier.Execution;

namespace RollbackVerifier.Tests.Preflight;

/// <summary>Helpers the preflight tests share.</summary>
internal static class PreflightTestSupport
{
    /// <summary>Runs statements on a fresh connection of <paramref name="db"/>.</summary>
    public static async Task ExecuteAsync(IDatabaseInstance db, params string[] statements)
    {
        var connection = await db.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            foreach (var sql in statements)
            {
                var command = connection.CreateCommand();
                command.CommandText = sql;
                await command.ExecuteNonQueryAsync();
            }
        }
    }

    /// <summary>Runs the CLI in-process with stdout and stderr captured, without colours, on a console wide enough not to wrap tables.</summary>
    public static async Task<(int Code, string Output)> CaptureAsync(params string[] args)
    {
        var previous = Spectre.Console.AnsiConsole.Console;
        var previousError = Console.Error;
        using var writer = new StringWriter();
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Ansi = Spectre.Console.AnsiSupport.No,
            ColorSystem = Spectre.Console.ColorSystemSupport.NoColors,
            Out = new Spectre.Console.AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 500;
        Spectre.Console.AnsiConsole.Console = console;
        Console.SetError(writer);
        try
        {
            return (await CliApp.RunAsync(args), writer.ToString());
        }
        finally
        {
            Spectre.Console.AnsiConsole.Console = previous;
            Console.SetError(previousError);
        }
    }
}
