using RollbackVerifier.Cli;
using Spectre.Console.Cli;

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

try
{
    return await app.RunAsync(args);
}
catch (CommandParseException ex)
{
    Console.Error.WriteLine("error: " + ex.Message);
    return 2;
}
catch (CommandRuntimeException ex)
{
    Console.Error.WriteLine("error: " + ex.Message);
    return 2;
}
