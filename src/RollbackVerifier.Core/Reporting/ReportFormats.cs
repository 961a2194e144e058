using System.Text;

namespace RollbackVerifier.Reporting;

/// <summary>One report format: the name used with <c>--report</c>, the file it is written to, and its writer.</summary>
/// <param name="Name">Name on the command line, lower case (json, md, junit).</param>
/// <param name="FileName">File written into the report folder.</param>
/// <param name="Description">For help text.</param>
/// <param name="Render">Renders a report to the file's text.</param>
public sealed record ReportFormat(string Name, string FileName, string Description, Func<VerificationReport, string> Render)
{
    /// <summary>Writes the report to <see cref="FileName"/> in <paramref name="directory"/> (UTF-8 without a byte order mark); returns the path.</summary>
    public async Task<string> WriteAsync(VerificationReport report, string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, FileName);
        await File.WriteAllTextAsync(path, Render(report), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        return path;
    }
}

/// <summary>
/// Every report format, in one place: <c>verify --report</c> and <c>report merge --report</c> both use this list, so a
/// new writer is one entry here.
/// </summary>
public static class ReportFormats
{
    /// <summary>All formats, in the order they are listed and written.</summary>
    public static IReadOnlyList<ReportFormat> All { get; } =
    [
        new("json", "report.json", "the stable, documented JSON report (docs/report-json.md)", JsonReportWriter.Render),
        new("md", "report.md", "Markdown, for change tickets", MarkdownReportWriter.Render),
        new("junit", "report.junit.xml", "JUnit XML, one test case per scenario and engine, for CI test reporters", JUnitReportWriter.Render),
        new("html", "report.html", "one self-contained HTML page for reviewers", HtmlReportWriter.Render),
        // New formats register here, one entry each.
    ];

    /// <summary>"json, md, junit, html".</summary>
    public static string Names => string.Join(", ", All.Select(f => f.Name));

    /// <summary>
    /// Parses a comma-separated list of format names (case-insensitive, duplicates dropped, in the order given).
    /// Returns false with the unknown names in <paramref name="problem"/>.
    /// </summary>
    public static bool TryParse(string? list, out IReadOnlyList<ReportFormat> formats, out string? problem)
    {
        var names = (list ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var found = new List<ReportFormat>();
        var unknown = new List<string>();
        foreach (var name in names)
        {
            var format = All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            if (format is null)
            {
                unknown.Add(name);
            }
            else if (!found.Contains(format))
            {
                found.Add(format);
            }
        }

        formats = found;
        problem = unknown.Count == 0 ? null : $"unsupported report format {string.Join(", ", unknown.Select(u => $"'{u}'"))}; supported: {Names}";
        return problem is null;
    }

    /// <summary>Writes <paramref name="report"/> in each format into <paramref name="directory"/> (created if needed); returns the paths written.</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(VerificationReport report, string directory, IEnumerable<ReportFormat> formats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(formats);
        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        foreach (var format in formats)
        {
            paths.Add(await format.WriteAsync(report, directory, cancellationToken).ConfigureAwait(false));
        }

        return paths;
    }
}
