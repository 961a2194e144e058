using System.ComponentModel;
using RollbackVerifier.Reporting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace RollbackVerifier.Cli;

/// <summary>
/// <c>rollback-verifier report merge FILES-OR-FOLDERS --out DIR</c>: reads the JSON reports of the shards of a run
/// (verify --shard i/n --report json) and writes one set of reports, as one unsharded run would have.
/// </summary>
public sealed class ReportMergeCommand : AsyncCommand<ReportMergeCommand.Settings>
{
    public sealed class Settings : CliSettings
    {
        [CommandArgument(0, "<REPORTS>")]
        [Description("report.json files, or folders searched for *.json reports (other JSON files there are skipped).")]
        public string[] Inputs { get; init; } = [];

        [CommandOption("-o|--out <DIR>")]
        [Description("Folder for the merged reports (never searched for inputs).")]
        [DefaultValue("rv-reports")]
        public string Out { get; init; } = "rv-reports";

        [CommandOption("-r|--report <FORMATS>")]
        [ReportFormatsDescription("Formats to write, comma-separated (default: all):")]
        public string? Report { get; init; }

        public IReadOnlyList<ReportFormat> Formats => Report is null ? ReportFormats.All : ReportFormats.TryParse(Report, out var formats, out _) ? formats : [];

        public override ValidationResult Validate() =>
            Report is not null && !ReportFormats.TryParse(Report, out _, out var problem) ? ValidationResult.Error(problem!)
            : Report is not null && Formats.Count == 0 ? ValidationResult.Error("--report names no format")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var console = AnsiConsole.Console;
        try
        {
            var sources = new List<ReportSource>();
            foreach (var (file, named) in Files(settings.Inputs, Path.GetFullPath(settings.Out)))
            {
                ReadReport read;
                try
                {
                    read = await JsonReportReader.ReadAsync(file, cancellationToken);
                }
                catch (NotAReportException) when (!named)
                {
                    console.MarkupLine($"[grey]skip[/]  {Markup.Escape(file)}: not a RollbackVerifier report");
                    continue;
                }

                if (read.UnknownProperties.Count > 0)
                {
                    console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(file)} has properties this version ({CliApp.Version}) does not read, left out of the merged report: {Markup.Escape(string.Join(", ", read.UnknownProperties.Take(5)))}{(read.UnknownProperties.Count > 5 ? ", ..." : "")}");
                }

                sources.Add(new ReportSource(file, read.Report));
            }

            if (sources.Count == 0)
            {
                throw new ReportFormatException($"no RollbackVerifier report found in {string.Join(", ", settings.Inputs)}");
            }

            var report = ReportMerger.Merge(sources);
            console.MarkupLine($"merged {sources.Count} report{(sources.Count == 1 ? "" : "s")}");
            ConsoleReport.WriteSummary(console, report);
            foreach (var path in await ReportFormats.WriteAsync(report, settings.Out, settings.Formats, cancellationToken))
            {
                console.MarkupLine($"[grey]report:[/] {Markup.Escape(path)}");
            }

            return report.Success ? CliApp.Success : CliApp.ExpectationNotMet;
        }
        catch (RollbackVerifierException ex)
        {
            CliApp.WriteError(ex.Message);
            return CliApp.InvalidInput;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            CliApp.WriteError($"cannot write the merged reports to {settings.Out}: {ex.Message}");
            return CliApp.InvalidInput;
        }
    }

    /// <summary>The files to read, in a stable order: named files as given, folders searched (ordinal order), skipping the output folder.</summary>
    private static IEnumerable<(string File, bool Named)> Files(IEnumerable<string> inputs, string outDirectory)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            var full = Path.GetFullPath(input);
            if (File.Exists(full))
            {
                if (seen.Add(full))
                {
                    yield return (full, true);
                }

                continue;
            }

            if (!Directory.Exists(full))
            {
                throw new ReportFormatException(full, null, "no such report file or folder");
            }

            var found = Directory.EnumerateFiles(full, "*.json", SearchOption.AllDirectories)
                .Where(f => !IsUnder(f, outDirectory))
                .Order(StringComparer.Ordinal)
                .ToList();
            foreach (var file in found.Where(seen.Add))
            {
                yield return (file, false);
            }
        }
    }

    private static bool IsUnder(string file, string directory)
    {
        var relative = Path.GetRelativePath(directory, file);
        return relative != file && !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }
}
