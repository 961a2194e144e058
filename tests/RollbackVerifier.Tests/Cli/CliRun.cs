using RollbackVerifier.Cli;
using Spectre.Console;

namespace RollbackVerifier.Tests.Cli;

/// <summary>Runs the CLI in-process with stdout (the Spectre console) and stderr captured.</summary>
internal static class CliRun
{
    public sealed record Outcome(int Code, string Output, string Errors);

    public static Task<Outcome> RunAsync(params string[] args) => RunAsync(ansi: false, args);

    /// <param name="ansi">True for a console that understands ANSI and colours (a terminal), false for a plain one.</param>
    /// <param name="args">The command line.</param>
    public static async Task<Outcome> RunAsync(bool ansi, params string[] args)
    {
        var previousConsole = AnsiConsole.Console;
        var previousError = Console.Error;
        using var output = new StringWriter();
        using var errors = new StringWriter();
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = ansi ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = ansi ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        Console.SetError(errors);
        try
        {
            var code = await CliApp.RunAsync(args);
            return new Outcome(code, output.ToString(), errors.ToString());
        }
        finally
        {
            AnsiConsole.Console = previousConsole;
            Console.SetError(previousError);
        }
    }

    public static string Scenario(string name) => Path.Combine(TestEngines.RepoRoot, "scenarios", name);

    /// <summary>A fresh temporary folder, deleted by <see cref="Delete"/>.</summary>
    public static string TempFolder(string prefix) => Directory.CreateTempSubdirectory(prefix).FullName;

    public static void Delete(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
