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

/// <summary>
/// `verify`: runs scenarios on their engines and writes reports. In four steps: settings, the list of work items
/// (scenario x engine, filtered and sharded), the run, the reports.
/// </summary>
public sealed class VerifyCommand : AsyncCommand<VerifyCommand.Settings>
{
    /// <summary>Work items running at once unless --parallel says otherwise: two, or one on a single core.</summary>
    public static int DefaultParallel => Math.Clamp(Environment.ProcessorCount, 1, 2);

    public sealed class Settings : HistoryCommandSettings
    {
        [CommandOption("-r|--report <FORMATS>")]
        [ReportFormatsDescription("Report formats to write into --out, comma-separated:")]
        public string? Report { get; init; }

        [CommandOption("-o|--out <DIR>")]
        [Description("Folder for reports.")]
        [DefaultValue("rv-reports")]
        public string Out { get; init; } = "rv-reports";

        [CommandOption("-p|--parallel <N>")]
        [Description("Scenario runs at once (default 2, or 1 on a single core). Each run has its own database; output and reports keep the run order. Use 1 when timings matter (--rows).")]
        public int? Parallel { get; init; }

        [CommandOption("--fail-on <SEVERITY>")]
        [Description("warning or error: exit 1 when a run has an unaccepted finding at or above this severity, even where the scenario expects it (see docs/cli.md). Default none: only expectations count.")]
        public string? FailOn { get; init; }

        [CommandOption("--fail-fast")]
        [Description("Start no further run after the first that does not meet its expectation (runs already started finish; the report holds the runs so far).")]
        public bool FailFast { get; init; }

        [CommandOption("--require-engines")]
        [Description("Fail (exit 1) when an engine is unavailable instead of reporting its scenarios as not run.")]
        public bool RequireEngines { get; init; }

        [CommandOption("--seed <SEED>")]
        [Description("Override every scenario's random seed.")]
        public int? Seed { get; init; }

        [CommandOption("--rows <N>")]
        [Description("Pre-existing rows per table (replaces seed.rows; per-table counts in seed.tables scale by the same factor). Use millions to see how long the rollback takes on production-like volumes.")]
        public int? Rows { get; init; }

        [CommandOption("--live-rows <N>")]
        [Description("Rows per table written after the forward migration (replaces seed.live_rows).")]
        public int? LiveRows { get; init; }

        [CommandOption("--atomicity <MODE>")]
        [Description("Atomicity analysis of the rollback: off, sample (the default: up to --atomicity-limit failure points) or all (a stop after every statement). Replaces analysis.atomicity of every scenario.yml.")]
        public string? Atomicity { get; init; }

        [CommandOption("--atomicity-limit <N>")]
        [Description("Most failure points the sampled atomicity analysis tries per scenario (default 8).")]
        public int? AtomicityLimit { get; init; }

        [CommandOption("--review-prompt")]
        [Description("Add to the Markdown report, for every run that did not pass, a prompt for an AI assistant to repair the rollback.")]
        public bool ReviewPrompt { get; init; }

        [CommandOption("--postgres-image <IMAGE>")]
        [Description("PostgreSQL container image (default postgres:17, or RV_POSTGRES_IMAGE).")]
        public string? PostgresImage { get; init; }

        [CommandOption("--mysql-image <IMAGE>")]
        [Description("MySQL container image (default mysql:8.4, or RV_MYSQL_IMAGE); MariaDB images work too.")]
        public string? MySqlImage { get; init; }

        [CommandOption("--postgres-url <URL>")]
        [Description("Use an existing PostgreSQL server instead of a container (or RV_POSTGRES_URL); only rv_* databases the run creates are touched.")]
        public string? PostgresUrl { get; init; }

        [CommandOption("--mysql-url <URL>")]
        [Description("Use an existing MySQL server instead of a container (or RV_MYSQL_URL); only rv_* databases the run creates are touched.")]
        public string? MySqlUrl { get; init; }

        [CommandOption("--progress <MODE>")]
        [Description("auto (live on a terminal, plain when redirected or in CI), live, plain (a line per phase, for logs) or none (results only).")]
        [DefaultValue("auto")]
        public string Progress { get; init; } = "auto";

        public IReadOnlyList<ReportFormat> Formats => ReportFormats.TryParse(Report, out var formats, out _) ? formats : [];

        public Severity? FailOnSeverity => Gates.TryParseFailOn(FailOn, out var severity) ? severity : null;

        public int ParallelOrDefault => Parallel ?? DefaultParallel;

        public ProgressMode ProgressMode => Enum.TryParse<ProgressMode>(Progress, ignoreCase: true, out var mode) ? mode : ProgressMode.Auto;

        public override ValidationResult Validate()
        {
            var selection = base.Validate();
            if (!selection.Successful)
            {
                return selection;
            }

            if (ValidateHistory(Paths) is { Successful: false } history)
            {
                return history;
            }

            if (Rows is < 0 || LiveRows is < 0)
            {
                return ValidationResult.Error($"--rows and --live-rows must not be negative (got {Rows ?? LiveRows})");
            }

            if (Parallel is < 1)
            {
                return ValidationResult.Error($"--parallel {Parallel}: give at least 1");
            }

            if (Atomicity is not null && !Execution.Analysis.RunAnalysisSettings.TryParseMode(Atomicity, out _))
            {
                return ValidationResult.Error($"--atomicity must be one of {string.Join(", ", Execution.Analysis.RunAnalysisSettings.ModeNames)}, got '{Atomicity}'");
            }

            if (AtomicityLimit is <= 0)
            {
                return ValidationResult.Error($"--atomicity-limit {AtomicityLimit}: give a positive number");
            }

            if (!Gates.TryParseFailOn(FailOn, out _))
            {
                return ValidationResult.Error($"--fail-on '{FailOn}': expected warning, error or none");
            }

            if (!Enum.TryParse<ProgressMode>(Progress, ignoreCase: true, out _) || int.TryParse(Progress, out _))
            {
                return ValidationResult.Error($"--progress '{Progress}': expected auto, live, plain or none");
            }

            return ReportFormats.TryParse(Report, out _, out var problem) ? ValidationResult.Success() : ValidationResult.Error(problem!);
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var console = AnsiConsole.Console;
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var interrupted = 0;
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (Interlocked.Increment(ref interrupted) == 1)
            {
                e.Cancel = true; // first Ctrl-C: stop and clean up; a second one exits hard
                console.MarkupLine("[yellow]Cancelling; removing databases and containers...[/]");
                cancellation.Cancel();
            }
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await RunAsync(settings, console, cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            console.MarkupLine("[yellow]Cancelled.[/]");
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

    private static async Task<int> RunAsync(Settings settings, IAnsiConsole console, CancellationToken ct)
    {
        // 1. Settings -> scenarios -> work items.
        // Scenario folders, or one scenario per migration of a history (verify --history).
        var history = settings.PlanHistory(settings.Engines);
        var scenarios = (history is null ? ScenarioSelection.Load(settings) : ScenarioSelection.Keep(settings, history.Plan.Scenarios, history.Plan.History.Folder))
            .Select(s => WithOverrides(s, settings)).ToList();
        var selection = ScenarioSelection.Select(settings, scenarios);
        WriteSelection(console, settings, selection);

        // 2. Run.
        var started = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        var runId = EngineSettings.NewRunId();
        var options = new RunOptions(settings.ParallelOrDefault, settings.FailFast, r => Gates.Apply(CliReproduce.Annotate(r, settings), settings.RequireEngines, settings.FailOnSeverity)) { History = history };
        var run = new VerifyRun(EngineRegistration.CreateRegistry(), kind => SettingsFor(kind, settings, runId), options);
        var results = await run.RunAsync(selection.Items, RunDisplays.Create(settings.ProgressMode, console, selection.Items.Count), ct);

        // 3. Reports.
        var report = new VerificationReport(CliApp.Version, started, watch.Elapsed, results) { Shard = settings.ShardSpec };
        report = await PreflightReports.ApplyAsync(report, settings.ReviewPrompt, settings.Formats.Count > 0 ? settings.Out : null, CancellationToken.None);
        ConsoleReport.WriteSummary(console, report);
        if (settings.Formats.Count > 0)
        {
            foreach (var path in await ReportFormats.WriteAsync(report, settings.Out, settings.Formats, CancellationToken.None))
            {
                console.MarkupLine($"[grey]report:[/] {Markup.Escape(path)}");
            }
        }

        return report.Success ? CliApp.Success : CliApp.ExpectationNotMet;
    }

    /// <summary>What was selected, before anything runs: scenarios skipped for the engines asked for, and the shard's share.</summary>
    private static void WriteSelection(IAnsiConsole console, Settings settings, Selection selection)
    {
        foreach (var skipped in selection.Skipped)
        {
            console.MarkupLine($"[grey]skip[/]  {Markup.Escape(skipped.Name)}: not for engine {string.Join(", ", settings.Engines.Select(e => e.ToName()))}");
        }

        if (settings.ShardSpec is { } shard)
        {
            console.MarkupLine($"[grey]shard {shard}: {selection.Items.Count} of {selection.All.Count} runs[/]");
        }
    }

    /// <summary>--seed, --rows and --live-rows applied to one scenario.</summary>
    private static Scenario WithOverrides(Scenario scenario, Settings settings)
    {
        var seed = settings.Seed is { } s ? scenario.Seed with { Seed = s } : scenario.Seed;
        if (settings.Rows is not null || settings.LiveRows is not null)
        {
            seed = Scale(seed, settings.Rows, settings.LiveRows);
        }

        return scenario with { Seed = seed, Analysis = scenario.Analysis.With(settings.Atomicity, settings.AtomicityLimit) };
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
