using System.ComponentModel;
using System.Diagnostics;
using RollbackVerifier.Execution;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios;
using Spectre.Console;
using Spectre.Console.Cli;

namespace RollbackVerifier.Cli;

/// <summary>`verify`: runs scenarios on their engines and writes reports.</summary>
public sealed class VerifyCommand : AsyncCommand<VerifyCommand.Settings>
{
    public static readonly string[] SupportedReports = ["json", "md", "junit"];

    public sealed class Settings : HistoryCommandSettings
    {
        [CommandArgument(0, "[paths]")]
        [Description("Scenario folders, or folders holding scenario folders (or --history <folder>).")]
        public string[] Paths { get; init; } = [];

        [CommandOption("-e|--engine <ENGINE>")]
        [Description("Run only this engine: postgres, mysql or sqlite. Required for scenarios that name no engine.")]
        public string? Engine { get; init; }

        [CommandOption("-r|--report <FORMATS>")]
        [Description("Report formats, comma-separated: json, md, junit (report.junit.xml for CI test reporters).")]
        public string? Report { get; init; }

        [CommandOption("-o|--out <DIR>")]
        [Description("Folder for reports (default ./rv-reports).")]
        public string Out { get; init; } = "rv-reports";

        [CommandOption("--postgres-image <IMAGE>")]
        public string? PostgresImage { get; init; }

        [CommandOption("--mysql-image <IMAGE>")]
        public string? MySqlImage { get; init; }

        [CommandOption("--postgres-url <URL>")]
        [Description("Use an existing PostgreSQL server instead of a container.")]
        public string? PostgresUrl { get; init; }

        [CommandOption("--mysql-url <URL>")]
        [Description("Use an existing MySQL server instead of a container.")]
        public string? MySqlUrl { get; init; }

        [CommandOption("--seed <SEED>")]
        [Description("Override every scenario's random seed.")]
        public int? Seed { get; init; }

        [CommandOption("--rows <N>")]
        [Description("Pre-existing rows per table (replaces seed.rows; per-table counts in seed.tables scale by the same factor). Use millions to see how long the rollback takes on production-like volumes.")]
        public int? Rows { get; init; }

        [CommandOption("--live-rows <N>")]
        [Description("Rows per table written after the forward migration (replaces seed.live_rows).")]
        public int? LiveRows { get; init; }

        [CommandOption("--fail-fast")]
        [Description("Stop after the first scenario that does not meet its expectation (the report holds the runs so far).")]
        public bool FailFast { get; init; }

        [CommandOption("--require-engines")]
        [Description("Fail (exit 1) when an engine is unavailable instead of reporting its scenarios as not run.")]
        public bool RequireEngines { get; init; }

        public override ValidationResult Validate()
        {
            if (Engine is not null && !EngineKinds.TryParse(Engine, out _))
            {
                return ValidationResult.Error($"unknown engine '{Engine}'; expected postgres, mysql or sqlite");
            }

            if (ValidateHistory(Paths) is { Successful: false } history)
            {
                return history;
            }

            if (Rows is < 0 || LiveRows is < 0)
            {
                return ValidationResult.Error("--rows and --live-rows must not be negative");
            }

            var unknown = Formats.Where(f => !SupportedReports.Contains(f)).ToList();
            return unknown.Count > 0
                ? ValidationResult.Error($"unsupported report format {string.Join(", ", unknown)}; supported: {string.Join(", ", SupportedReports)}")
                : ValidationResult.Success();
        }

        public IReadOnlyList<string> Formats =>
            (Report ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(f => f.ToLowerInvariant()).ToList();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var interrupted = 0;
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (Interlocked.Increment(ref interrupted) == 1)
            {
                e.Cancel = true; // first Ctrl-C: stop and clean up; a second one exits hard
                AnsiConsole.MarkupLine("[yellow]Cancelling; removing databases and containers...[/]");
                cancellation.Cancel();
            }
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await RunAsync(settings, cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine("[yellow]Cancelled.[/]");
            return CliApp.InvalidInput;
        }
        catch (RollbackVerifierException ex)
        {
            CliApp.WriteError(ex.Message);
            return CliApp.InvalidInput;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Applies --rows / --live-rows: the defaults are replaced, explicit per-table counts scale by the same factor.</summary>
    internal static SeedSettings Scale(SeedSettings seed, int? rows, int? liveRows)
    {
        double Factor(int? wanted, int current) => wanted is { } w ? (current == 0 ? 1 : (double)w / current) : 1;
        var rowFactor = Factor(rows, seed.Rows);
        var liveFactor = Factor(liveRows, seed.LiveRows);
        var tables = seed.Tables.ToDictionary(
            t => t.Key,
            t => t.Value with
            {
                Rows = t.Value.Rows is { } r ? (int)Math.Round(r * rowFactor) : null,
                LiveRows = t.Value.LiveRows is { } l ? (int)Math.Round(l * liveFactor) : null,
            },
            StringComparer.Ordinal);
        return seed with { Rows = rows ?? seed.Rows, LiveRows = liveRows ?? seed.LiveRows, Tables = tables };
    }

    private static async Task<int> RunAsync(Settings settings, CancellationToken ct)
    {
        EngineKind? only = settings.Engine is null ? null : EngineKinds.TryParse(settings.Engine, out var k) ? k : null;
        var history = settings.PlanHistory(only);
        var scenarios = history?.Plan.Scenarios.ToList() ?? ScenarioLoader.Discover(settings.Paths).Select(f => ScenarioLoader.Load(f, only)).ToList();
        if (settings.Seed is { } seed)
        {
            scenarios = scenarios.Select(s => s with { Seed = s.Seed with { Seed = seed } }).ToList();
        }

        if (settings.Rows is not null || settings.LiveRows is not null)
        {
            scenarios = scenarios.Select(s => s with { Seed = Scale(s.Seed, settings.Rows, settings.LiveRows) }).ToList();
        }

        var runId = EngineSettings.NewRunId();
        var registry = EngineRegistration.CreateRegistry();
        var engines = new Dictionary<EngineKind, IDatabaseEngine>();
        var results = new List<ScenarioResult>();
        var started = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        var runner = new ScenarioRunner();
        var unavailable = new Dictionary<EngineKind, string>();
        var stopped = false;
        try
        {
            foreach (var scenario in scenarios.TakeWhile(_ => !stopped))
            {
                if (scenario.Engines.Count == 0)
                {
                    AnsiConsole.MarkupLine($"[grey]skip[/]  {Markup.Escape(scenario.Name)}: not for engine {only?.ToName()}");
                }

                foreach (var kind in scenario.Engines)
                {
                    ct.ThrowIfCancellationRequested();
                    if (!engines.TryGetValue(kind, out var engine))
                    {
                        engine = registry.Create(kind, SettingsFor(kind, settings, runId));
                        engines[kind] = engine;
                    }

                    // An engine that could not start is not retried for every scenario; its reason is printed once at the end.
                    var result = unavailable.TryGetValue(kind, out var why)
                        ? new ScenarioResult(scenario.Name, scenario.Directory, kind, null, Verdict.NotRun, true, [], [], null, [], why, [])
                        : history is not null ? await history.RunAsync(scenario, kind, engine, ct) : await runner.RunAsync(scenario, kind, engine, ct);
                    if (result.Verdict == Verdict.NotRun && result.History is null)
                    {
                        unavailable[kind] = result.Reason ?? "engine unavailable";
                    }

                    if (result.Verdict == Verdict.NotRun && result.History?.ChainStoppedAt is null && settings.RequireEngines)
                    {
                        result = result with { MeetsExpectation = false, ExpectationProblems = ["engine unavailable and --require-engines was given"] };
                    }

                    results.Add(result);
                    ConsoleReport.WriteResult(AnsiConsole.Console, result);
                    if (settings.FailFast && !result.MeetsExpectation)
                    {
                        AnsiConsole.MarkupLine("[red]stopping after the first unexpected result (--fail-fast)[/]");
                        stopped = true;
                        break;
                    }
                }
            }
        }
        finally
        {
            foreach (var engine in engines.Values)
            {
                await engine.DisposeAsync();
            }
        }

        var report = new VerificationReport(typeof(VerifyCommand).Assembly.GetName().Version?.ToString(3) ?? "0.0.0", started, watch.Elapsed, results);
        ConsoleReport.WriteSummary(AnsiConsole.Console, report);
        if (settings.Formats.Count > 0)
        {
            Directory.CreateDirectory(settings.Out);
            foreach (var format in settings.Formats)
            {
                var path = Path.Combine(settings.Out, format == "junit" ? "report.junit.xml" : "report." + format);
                switch (format)
                {
                    case "md":
                        await MarkdownReportWriter.WriteAsync(report, path, CancellationToken.None);
                        break;
                    case "junit":
                        await JUnitReportWriter.WriteAsync(report, path, CancellationToken.None);
                        break;
                    default:
                        await JsonReportWriter.WriteAsync(report, path, CancellationToken.None);
                        break;
                }
                AnsiConsole.MarkupLine($"[grey]report:[/] {Markup.Escape(path)}");
            }
        }

        return report.Success ? CliApp.Success : CliApp.ExpectationNotMet;
    }

    private static EngineSettings SettingsFor(EngineKind kind, Settings settings, string runId)
    {
        var fromEnvironment = EngineSettings.FromEnvironment(kind, runId);
        return kind switch
        {
            EngineKind.Postgres => fromEnvironment with { Image = settings.PostgresImage ?? fromEnvironment.Image, ServerUrl = settings.PostgresUrl ?? fromEnvironment.ServerUrl },
            EngineKind.MySql => fromEnvironment with { Image = settings.MySqlImage ?? fromEnvironment.Image, ServerUrl = settings.MySqlUrl ?? fromEnvironment.ServerUrl },
            _ => fromEnvironment with { Image = null, ServerUrl = null },
        };
    }
}

/// <summary>`findings`: prints the catalog of finding codes.</summary>
public sealed class FindingsCommand : Command
{
    public override int Execute(CommandContext context, CancellationToken cancellationToken)
    {
        var table = new Spectre.Console.Table().AddColumns("Code", "Name", "Severity", "Description");
        foreach (var code in FindingCodes.All)
        {
            table.AddRow(code.Code, code.Name, code.Severity.ToString().ToLowerInvariant(), Markup.Escape(code.Description));
        }

        AnsiConsole.Write(table);
        return 0;
    }
}
