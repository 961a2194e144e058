return await RollbackVerifier.Cli.CliApp.RunAsync(args);
