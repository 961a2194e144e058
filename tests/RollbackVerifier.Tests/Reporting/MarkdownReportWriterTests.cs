using RollbackVerifier.Reporting;

namespace RollbackVerifier.Tests.Reporting;

/// <summary>The Markdown report for change tickets, on the same hand-built report as the JSON golden test.</summary>
public sealed class MarkdownReportWriterTests
{
    [Test]
    public void Report_matches_the_golden_file() =>
        GoldenFile.AssertMatches("fixtures/golden/report.md", MarkdownReportWriter.Render(JsonReportWriterTests.SampleReport()));

    [Test]
    public void Every_run_is_in_the_summary_table_and_every_finding_in_its_section()
    {
        var report = JsonReportWriterTests.SampleReport();
        var md = MarkdownReportWriter.Render(report);
        Assert.Multiple(() =>
        {
            foreach (var result in report.Results)
            {
                Assert.That(md, Does.Contain($"| {result.Scenario.Replace("|", "\\|", StringComparison.Ordinal)} |"));
                foreach (var finding in result.Findings)
                {
                    Assert.That(md, Does.Contain($"| {finding.Code} {finding.Name} |"));
                }
            }
        });
    }
}
