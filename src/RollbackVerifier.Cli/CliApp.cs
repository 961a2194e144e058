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
            config.AddCommand<FindingsCommand>("findings").WithDescription("List every finding code.");
            config.PropagateExceptions();
        });
        return app;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            return await Create().RunAsync(args);
        }
        catch (CommandParseException ex)
        {
            await Console.Error.WriteLineAsync("error: " + ex.Message);
            return InvalidInput;
        }
        catch (CommandRuntimeException ex)
        {
            await Console.Error.WriteLineAsync("error: " + ex.Message);
            return InvalidInput;
        }
    }
}
