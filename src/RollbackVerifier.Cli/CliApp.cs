using RollbackVerifier.Reporting;
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

    /// <summary>The global flag that turns colours off; see <see cref="CliSettings.NoColor"/>.</summary>
    public const string NoColorFlag = "--no-color";

    /// <summary>Width used when stdout is not a terminal (CI logs, files): long lines stay whole instead of wrapping at 80.</summary>
    public const int RedirectedWidth = 240;

    /// <summary>The tool's version (major.minor.patch), as reports and --version show it.</summary>
    public static string Version { get; } = typeof(CliApp).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>False under --no-color or NO_COLOR; errors and the console follow it.</summary>
    public static bool Colors { get; private set; } = true;

    /// <param name="console">Where help, version and parse errors go (default: the current AnsiConsole.Console).</param>
    public static CommandApp Create(IAnsiConsole? console = null)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.ConfigureConsole(console ?? AnsiConsole.Console);
            config.SetApplicationName("rollback-verifier");
            config.SetApplicationVersion(Version);
            // One statement per command; new commands register below, each with a description and examples.
            config.AddCommand<VerifyCommand>("verify")
                .WithDescription("Run scenarios and prove each rollback restores the pre-migration schema and data.")
                .WithExample("verify", "scenarios", "--engine", "sqlite")
                .WithExample("verify", "scenarios", "--engine", "postgres,mysql", "--filter", "narrow-*", "--report", "json,md,junit")
                .WithExample("verify", "scenarios", "--shard", "2/4", "--require-engines", "--fail-on", "error", "--report", "json", "--out", "rv-reports/shard-2");
            config.AddCommand<ListCommand>("list")
                .WithDescription("List the scenarios found (engines, expectation, seeding) without running them.")
                .WithExample("list", "scenarios", "fixtures/e2e", "--engine", "mysql")
                .WithExample("list", "scenarios", "--shards", "4");
            config.AddCommand<InitCommand>("init")
                .WithDescription("Scaffold a scenario folder from a forward and a rollback script.")
                .WithExample("init", "scenarios/add-orders-index", "--forward", "migrations/V42__add_index.sql", "--rollback", "migrations/U42__add_index.sql", "--engine", "postgres");
            config.AddBranch("report", report =>
            {
                report.SetDescription("Work with reports written by verify.");
                report.AddCommand<ReportMergeCommand>("merge")
                    .WithDescription("Merge the JSON reports of several shards into one set of reports.")
                    .WithExample("report", "merge", "rv-shards", "--out", "rv-reports", "--report", "json,md,junit")
                    .WithExample("report", "merge", "shard-1/report.json", "shard-2/report.json", "--out", "rv-reports");
            });
            config.AddCommand<FindingsCommand>("findings")
                .WithDescription("List every finding code.")
                .WithExample("findings");
            config.AddCommand<LintCommand>("lint")
                .WithDescription("Run only the static rules (RV5xx) on rollbacks and their forward migrations, without a database.")
                .WithExample("lint", "scenarios", "--fail-on", "warning")
                .WithExample("lint", "--engine", "postgres", "--forward", "up.sql", "--rollback", "down.sql");
            config.AddCommand<PreflightCommand>("preflight")
                .WithDescription("Before rolling back: count, read-only, the rows in a database the rollback would fail on, change or discard.")
                .WithExample("preflight", "scenarios/add-column", "--sqlite-file", "app.db");
            config.AddCommand<ExplainCommand>("explain")
                .WithDescription("What a finding means and how to fix the rollback.")
                .WithExample("explain", "RV304")
                .WithExample("explain", "dropped-data-not-restored");
            config.PropagateExceptions();
        });
        return app;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var (arguments, noColor) = TakeGlobalFlags(args);
        Colors = !noColor && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        var console = AnsiConsole.Console;
        if (!Colors)
        {
            console.Profile.Capabilities.ColorSystem = ColorSystem.NoColors;
        }

        if (Console.IsOutputRedirected && !console.Profile.Out.IsTerminal)
        {
            console.Profile.Width = RedirectedWidth;
        }

        try
        {
            return await Create(console).RunAsync(arguments);
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
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug or an unexpected provider error: the stack trace helps a bug report, the redaction keeps secrets out of it.
            WriteError("unexpected failure: " + ex);
            return InvalidInput;
        }
    }

    /// <summary>Takes --no-color out of the arguments (before a "--", where the arguments of the command end).</summary>
    internal static (string[] Arguments, bool NoColor) TakeGlobalFlags(string[] args)
    {
        var end = Array.IndexOf(args, "--");
        var head = end < 0 ? args : args[..end];
        var noColor = head.Contains(NoColorFlag, StringComparer.Ordinal);
        return noColor ? ([.. head.Where(a => a != NoColorFlag), .. end < 0 ? [] : args[end..]], true) : (args, false);
    }

    /// <summary>Prints "error: message" to stderr, in red on a terminal (not when redirected, under --no-color or NO_COLOR), secrets masked.</summary>
    public static void WriteError(string message)
    {
        message = Secrets.Redact(message);
        var color = Colors && !Console.IsErrorRedirected;
        Console.Error.WriteLine(color ? $"\u001b[31merror: {message}\u001b[0m" : $"error: {message}");
    }
}
