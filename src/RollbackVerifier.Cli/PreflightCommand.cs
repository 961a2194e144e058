using System.ComponentModel;
using System.Data.Common;
using System.Globalization;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.MySql;
using RollbackVerifier.PostgreSql;
using RollbackVerifier.Preflight;
using RollbackVerifier.Scenarios;
using RollbackVerifier.Sqlite;
using Spectre.Console;
using Spectre.Console.Cli;

namespace RollbackVerifier.Cli;

/// <summary>
/// `preflight`: runs a scenario's pre-rollback checklist against a given database (production or staging) in a
/// read-only session, and prints what each check counted. Exit 0 when every count is zero, 1 when some is not, 2 on
/// bad input or when a check could not run.
/// </summary>
public sealed class PreflightCommand : AsyncCommand<PreflightCommand.Settings>
{
    public sealed class Settings : CliSettings
    {
        [CommandArgument(0, "[scenario]")]
        [Description("The scenario folder whose rollback is about to run. Its baseline and forward run on a throwaway database to derive the checks (not needed with --checklist).")]
        public string? Scenario { get; init; }

        [CommandOption("--postgres-url <URL>")]
        [Description("The PostgreSQL database to check (postgres://user:password@host:5432/database or a connection string).")]
        public string? PostgresUrl { get; init; }

        [CommandOption("--mysql-url <URL>")]
        [Description("The MySQL / MariaDB database to check (mysql://user:password@host:3306/database or a connection string).")]
        public string? MySqlUrl { get; init; }

        [CommandOption("--sqlite-file <PATH>")]
        [Description("The SQLite database file to check (opened read-only).")]
        public string? SqliteFile { get; init; }

        [CommandOption("--checklist <FILE>")]
        [Description("Run this checklist file (checklist.<engine>.sql from a verify report) instead of deriving it. Every statement must be a plain read.")]
        public string? Checklist { get; init; }

        [CommandOption("--statement-timeout <SECONDS>")]
        [Description("Longest a check may run on the server (default 60).")]
        public int StatementTimeout { get; init; } = 60;

        [CommandOption("--lock-timeout <SECONDS>")]
        [Description("Longest a check may wait for a lock (default 2): a check never queues behind production DDL for long.")]
        public int LockTimeout { get; init; } = 2;

        [CommandOption("--postgres-image <IMAGE>")]
        [Description("Image of the throwaway PostgreSQL database the checks are derived on.")]
        public string? PostgresImage { get; init; }

        [CommandOption("--mysql-image <IMAGE>")]
        [Description("Image of the throwaway MySQL database the checks are derived on.")]
        public string? MySqlImage { get; init; }

        public override ValidationResult Validate()
        {
            var targets = new[] { PostgresUrl, MySqlUrl, SqliteFile }.Count(t => !string.IsNullOrWhiteSpace(t));
            if (targets != 1)
            {
                return ValidationResult.Error("give exactly one database to check: --postgres-url, --mysql-url or --sqlite-file");
            }

            if (Scenario is null && Checklist is null)
            {
                return ValidationResult.Error("give the scenario folder to derive the checks from, or a checklist file with --checklist");
            }

            return StatementTimeout <= 0 || LockTimeout <= 0
                ? ValidationResult.Error("--statement-timeout and --lock-timeout must be positive")
                : ValidationResult.Success();
        }

        internal EngineKind Engine => PostgresUrl is not null ? EngineKind.Postgres : MySqlUrl is not null ? EngineKind.MySql : EngineKind.Sqlite;

        internal PreflightLimits Limits => new(TimeSpan.FromSeconds(StatementTimeout), TimeSpan.FromSeconds(LockTimeout));
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await RunAsync(settings, cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine("[yellow]Cancelled; nothing was changed.[/]");
            return CliApp.InvalidInput;
        }
        catch (Exception ex) when (ex is RollbackVerifierException or ArgumentException or IOException or UnauthorizedAccessException or DbException)
        {
            CliApp.WriteError(ex.Message);
            return CliApp.InvalidInput;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>The dialect for an engine, without starting anything.</summary>
    internal static IPreflightDialect DialectFor(EngineKind engine) => engine switch
    {
        EngineKind.Postgres => new PostgresDialect(),
        EngineKind.MySql => new MySqlDialect(),
        _ => new SqliteDialect(),
    };

    private static async Task<int> RunAsync(Settings settings, CancellationToken ct)
    {
        var engine = settings.Engine;
        var dialect = DialectFor(engine);

        // A hand-edited checklist is untrusted: every statement is judged before anything connects anywhere.
        Checklist? fromFile = null;
        if (settings.Checklist is { } file)
        {
            var path = Path.GetFullPath(file);
            fromFile = ChecklistFile.Parse(await File.ReadAllTextAsync(path, ct), path, dialect);
            var refused = fromFile.Checks.Select(c => (Check: c, Decision: ReadOnlyGuard.Check(c.Sql, dialect))).Where(x => !x.Decision.Allowed).ToList();
            if (refused.Count > 0)
            {
                var table = new Spectre.Console.Table().AddColumns("Statement", "Where", "Refused because");
                foreach (var (check, decision) in refused)
                {
                    table.AddRow(Markup.Escape(check.Id), Markup.Escape(check.Object), Markup.Escape(decision.Reason ?? string.Empty));
                }

                AnsiConsole.Write(table);
                CliApp.WriteError($"{path}: {refused.Count} statement(s) are not plain reads; nothing was sent to the database. A checklist holds only SELECT statements.");
                return CliApp.InvalidInput;
            }
        }

        var (connection, description, serverVersion) = await OpenAsync(settings, ct);
        await using (connection)
        {
            AnsiConsole.MarkupLine($"[grey]target:[/] {Markup.Escape(description)} ({Markup.Escape(serverVersion)})");
            var checklist = fromFile ?? await DeriveAsync(settings, engine, serverVersion, ct);
            var session = await PreflightSession.BeginAsync(connection, dialect, settings.Limits, serverVersion, resetOnDispose: false, ct);
            IReadOnlyList<CheckOutcome> outcomes;
            await using (session)
            {
                AnsiConsole.MarkupLine($"[grey]session:[/] read-only on the server, statement limit {settings.StatementTimeout} s, lock wait limit {settings.LockTimeout} s");
                outcomes = await session.RunAllAsync(checklist, ct);
            }

            return Print(AnsiConsole.Console, checklist, outcomes);
        }
    }

    private static async Task<(DbConnection Connection, string Description, string ServerVersion)> OpenAsync(Settings settings, CancellationToken ct)
    {
        try
        {
            return settings.Engine switch
            {
                EngineKind.Postgres => await PostgresPreflightConnection.OpenAsync(settings.PostgresUrl!, ct),
                EngineKind.MySql => await MySqlPreflightConnection.OpenAsync(settings.MySqlUrl!, ct),
                _ => await SqlitePreflightConnection.OpenAsync(settings.SqliteFile!, ct),
            };
        }
        catch (DbException ex)
        {
            // Provider messages name the host, never the password.
            throw new RollbackVerifierException($"cannot connect to the {settings.Engine.ToName()} database: {ex.Message}", ex);
        }
    }

    private static async Task<Checklist> DeriveAsync(Settings settings, EngineKind engine, string serverVersion, CancellationToken ct)
    {
        var scenario = ScenarioLoader.Load(Path.GetFullPath(settings.Scenario!), engine);
        var fromEnvironment = EngineSettings.FromEnvironment(engine, EngineSettings.NewRunId());

        // The throwaway database never comes from the target: only the images and RV_*_URL servers the harness uses anyway.
        var throwaway = engine switch
        {
            EngineKind.Postgres => fromEnvironment with { Image = settings.PostgresImage ?? fromEnvironment.Image },
            EngineKind.MySql => fromEnvironment with { Image = settings.MySqlImage ?? fromEnvironment.Image },
            _ => fromEnvironment with { Image = null, ServerUrl = null },
        };
        AnsiConsole.MarkupLine($"[grey]deriving the checks:[/] baseline and forward of {Markup.Escape(scenario.Name)} on a throwaway {engine.ToName()} database");
        var databaseEngine = EngineRegistration.CreateRegistry().Create(engine, throwaway);
        await using (databaseEngine)
        {
            return await ChecklistDerivation.DeriveAsync(scenario, engine, databaseEngine, serverVersion, ct);
        }
    }

    /// <summary>The table of checks, what to do for those that found rows, the notes; returns the exit code.</summary>
    internal static int Print(IAnsiConsole console, Checklist checklist, IReadOnlyList<CheckOutcome> outcomes)
    {
        var table = new Spectre.Console.Table().AddColumns("Check", "Table / column", "Count", "Sample keys", "Status");
        foreach (var check in checklist.Checks)
        {
            var outcome = outcomes.FirstOrDefault(o => o.CheckId == check.Id);
            var count = outcome?.Count is { } n ? n.ToString(CultureInfo.InvariantCulture) : "-";
            var status = outcome switch
            {
                null => "[yellow]not run[/]",
                { Refused: true } => $"[red]refused: {Markup.Escape(outcome.Error ?? string.Empty)}[/]",
                { Error: { } error } => $"[yellow]error: {Markup.Escape(error)}[/]",
                { Count: 0 } => "[green]ok[/]",
                _ => $"[red]{Markup.Escape($"{outcome.Count} {check.Counts}: the rollback {ChecklistFile.Verb(check.Effect)}")}[/]",
            };
            table.AddRow(Markup.Escape(check.Id), Markup.Escape(check.Object), count, Markup.Escape(string.Join("; ", outcome?.SampleKeys ?? [])), status);
        }

        console.Write(table);
        var found = checklist.Checks.Where(c => outcomes.FirstOrDefault(o => o.CheckId == c.Id)?.Count > 0).ToList();
        foreach (var check in found)
        {
            console.MarkupLine($"[bold]{Markup.Escape(check.Id)}[/]: {Markup.Escape(check.What)} {Markup.Escape(check.Why)}");
            console.MarkupLine($"  [bold]If not zero:[/] {Markup.Escape(check.IfNotZero)}");
        }

        if (checklist.Notes.Count > 0)
        {
            console.MarkupLine("[bold]Read before rolling back[/] (nothing a query can count):");
            foreach (var note in checklist.Notes)
            {
                console.MarkupLine($"  - {(note.Irreversible ? "[red]irreversible[/] " : string.Empty)}{Markup.Escape(note.Object)}: {Markup.Escape(note.Text)}");
            }
        }

        var failed = outcomes.Count(o => o.Error is not null) + checklist.Checks.Count(c => outcomes.All(o => o.CheckId != c.Id));
        console.MarkupLine(failed > 0
            ? $"[yellow]{failed} of {checklist.Checks.Count} checks did not run: the checklist is incomplete.[/]"
            : found.Count > 0
                ? $"[red]{found.Count} of {checklist.Checks.Count} checks found rows this rollback fails on, changes or discards.[/]"
                : $"[green]{checklist.Checks.Count} checks, all zero.[/]");
        return failed > 0 ? CliApp.InvalidInput : found.Count > 0 ? CliApp.ExpectationNotMet : CliApp.Success;
    }
}
