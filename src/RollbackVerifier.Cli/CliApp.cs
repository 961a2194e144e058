using Spectre.Console;
using Spectre.Console.Cli;

namespace RollbackVerifier.Cli;

/// <summary>The command-line application, built here so tests can run it in-process.</summary>
public static class CliApp
{
    /// <summary>Exit code when every scenario met its expectation.</summary>
    public const int Success = 0;

    /// <summary>Exit code when some scenario did not meet its expectation.</summary>
    public const int ExpectationNotMet = 1;

    /// <summary>Exit code for invalid input or infrastructure failure.</summary>
    public const int InvalidInput = 2;

    public static CommandApp Create()
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("rollback-verifier");
            config.SetApplicationVersion(typeof(VerifyCommand).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
            config.AddCommand<VerifyCommand>("verify")
                .WithDescription("Run scenarios and prove each rollback restores the pre-migration schema and data.")
                .WithExample("verify", "scenarios", "--engine", "sqlite");
            config.AddCommand<ListCommand>("list")
                .WithDescription("List the scenarios found (engines, expectation, seeding) without running them.")
                .WithExample("list", "scenarios", "fixtures/e2e", "--engine", "mysql");
            config.AddCommand<FindingsCommand>("findings").WithDescription("List every finding code.");
            config.AddCommand<LintCommand>("lint").WithDescription("Run only the static rules (RV5xx) on rollbacks and their forward migrations, without a database.").WithExample("lint", "scenarios", "--fail-on", "warning");
            config.AddCommand<ExplainCommand>("explain")
                .WithDescription("What a finding means and how to fix the rollback.")
                .WithExample("explain", "RV304");
            config.PropagateExceptions();
        });
        return app;
    }

    /// <summary>Width used when stdout is not a terminal (CI logs, files): long lines stay whole instead of wrapping at 80.</summary>
    public const int RedirectedWidth = 240;

    public static async Task<int> RunAsync(string[] args)
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = RedirectedWidth;
        }

        try
        {
            return await Create().RunAsync(args);
        }
        catch (CommandParseException ex)
        {
            WriteError(ex.Message);
            return InvalidInput;
        }
        catch (CommandRuntimeException ex)
        {
            WriteError(ex.Message);
            return InvalidInput;
        }
    }

    /// <summary>Prints "error: message" to stderr, in red on a terminal (not when redirected or NO_COLOR is set).</summary>
    public static void WriteError(string message)
    {
        var color = !Console.IsErrorRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        Console.Error.WriteLine(color ? $"\u001b[31merror: {message}\u001b[0m" : $"error: {message}");
    }
}
