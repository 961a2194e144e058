using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using RollbackVerifier.Execution;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;

namespace RollbackVerifier.Tests.Reporting;

/// <summary>
/// The self-contained HTML report, on the same hand-built report as the other golden tests: golden file, parsed with
/// AngleSharp to prove it loads nothing from outside and has the sections a reviewer needs, and escapes hostile data.
/// </summary>
public sealed partial class HtmlReportWriterTests
{
    private static readonly HtmlParser Parser = new();

    private static IDocument Parse(string html) => Parser.ParseDocument(html);

    [Test]
    public void Report_matches_the_golden_file() =>
        GoldenFile.AssertMatches("fixtures/golden/report.html", HtmlReportWriter.Render(JsonReportWriterTests.SampleReport()));

    [Test]
    public void The_page_loads_nothing_from_outside_and_needs_no_script()
    {
        var html = HtmlReportWriter.Render(JsonReportWriterTests.SampleReport());
        var document = Parse(html);

        var styles = string.Join("\n", document.QuerySelectorAll("style").Select(s => s.TextContent)
            .Concat(document.QuerySelectorAll("[style]").Select(e => e.GetAttribute("style")!)));
        var links = document.All
            .SelectMany(e => e.Attributes.Where(a => a.Name is "src" or "href" or "srcset" or "action" or "formaction" or "poster" or "data" or "xlink:href").Select(a => (e.LocalName, a.Name, a.Value)))
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(document.QuerySelectorAll("script, link, iframe, img, object, embed, base, meta[http-equiv]"), Is.Empty);
            Assert.That(links.Where(l => !l.Value.StartsWith('#')), Is.Empty, "only in-page anchors");
            Assert.That(links, Is.Not.Empty, "the summary links to the runs");
            Assert.That(links.Where(l => document.GetElementById(l.Value[1..]) is null), Is.Empty, "every anchor has a target");
            Assert.That(styles, Does.Not.Contain("@import").And.Not.Contains("url(").IgnoreCase);
            Assert.That(ExternalUrl().Matches(html).Select(m => m.Value), Is.Empty);
            Assert.That(document.All.SelectMany(e => e.Attributes).Where(a => a.Name.StartsWith("on", StringComparison.Ordinal)), Is.Empty, "no event handlers");
        });
    }

    [Test]
    public void The_page_has_the_sections_a_reviewer_needs()
    {
        var report = JsonReportWriterTests.SampleReport();
        var document = Parse(HtmlReportWriter.Render(report));
        var runs = document.QuerySelectorAll("article.run");
        IElement Run(int index) => document.GetElementById($"run-{index + 1}")!;
        var matrix = document.QuerySelector("table.matrix")!;
        var text = document.Body!.TextContent;

        Assert.Multiple(() =>
        {
            // Verdict first: the first heading of the page carries it.
            Assert.That(document.QuerySelector("h1")!.TextContent, Does.Contain("FAILED"));
            Assert.That(document.Body!.FirstElementChild!.Id, Is.EqualTo("summary"));
            Assert.That(document.QuerySelector("#summary")!.TextContent, Does.Contain("1 of 6 results not as expected").And.Contain("2 fail").And.Contain("1 not-run"));

            // Scenario × engine: a row per scenario, a column per engine.
            Assert.That(matrix.QuerySelectorAll("thead th").Select(t => t.TextContent), Is.EqualTo(new[] { "Scenario", "postgres", "mysql", "sqlite" }));
            Assert.That(matrix.QuerySelectorAll("tbody tr").Select(r => r.QuerySelector("td")!.TextContent), Is.EqualTo(report.Results.Select(r => r.Scenario).Distinct()));
            Assert.That(document.QuerySelectorAll("section[id^=scenario-]"), Has.Length.EqualTo(report.Results.Select(r => r.Directory).Distinct().Count()));

            // Every run, every finding with its advice, before and after side by side.
            Assert.That(runs, Has.Length.EqualTo(report.Results.Count));
            foreach (var (result, index) in report.Results.Select((r, i) => (r, i)))
            {
                var run = document.GetElementById($"run-{index + 1}")!;
                Assert.That(run.QuerySelector("h3")!.TextContent, Is.EqualTo($"{result.Scenario} on {result.Engine.ToName()}"));
                Assert.That(run.QuerySelectorAll(".finding .code-tag").Select(c => c.TextContent), Is.EqualTo(result.Findings.Select(f => f.Code)));
                foreach (var finding in result.Findings.Where(f => f.Before is not null))
                {
                    var panes = run.QuerySelectorAll(".finding").Single(f => f.TextContent.Contains(finding.Message, StringComparison.Ordinal)).QuerySelectorAll(".ba pre");
                    Assert.That(panes.Select(p => p.TextContent), Is.EqualTo(new[] { finding.Before, finding.After ?? "(none)" }));
                }

                foreach (var code in result.Findings.Where(f => f.AcceptedReason is null && f.Severity != Severity.Info).Select(f => f.Code).Distinct())
                {
                    Assert.That(run.QuerySelector("ul.advice")!.TextContent, Does.Contain(FindingAdvice.For(code)!));
                }

                if (result.Reproduce is { } reproduce)
                {
                    Assert.That(run.QuerySelector("pre.reproduce")!.TextContent, Is.EqualTo(reproduce));
                }
            }

            // Findings grouped by severity, accepted ones apart.
            Assert.That(Run(1).QuerySelectorAll("h4").Select(h => h.TextContent), Is.SupersetOf(new[] { "Errors (2)", "Warnings (2)" }));
            Assert.That(Run(0).QuerySelectorAll("h4").Select(h => h.TextContent), Does.Contain("Accepted (1)"));

            // The failing statement with file:line, the seeding with the adversarial live rows, timings, versions and seed.
            Assert.That(Run(2).TextContent, Does.Contain("rollback.mysql.sql:5").And.Contain("Data too long for column 'note'"));
            Assert.That(Run(2).QuerySelector("pre.sql")!.TextContent, Is.EqualTo(report.Results[2].FailedStatement!.Text));
            Assert.That(Run(0).QuerySelector("details.seeding")!.TextContent, Does.Contain("nickname NULL (old column was NOT NULL)").And.Contain("23502"));
            Assert.That(Run(0).QuerySelectorAll("details.timings .bar"), Has.Length.EqualTo(5), "create-database, baseline, seed (summed), forward, rollback");
            Assert.That(Run(1).QuerySelector(".facts")!.TextContent, Does.Contain("PostgreSQL 17.2").And.Contain("42"));
            Assert.That(text, Does.Contain("rollback-verifier 0.1.0"));

            // Evidence is collapsible and works without script.
            Assert.That(Run(1).QuerySelector(".finding details summary")!.TextContent, Does.StartWith("Evidence: 44 affected"));
        });
    }

    [Test]
    public void Differences_between_before_and_after_are_marked()
    {
        var document = Parse(HtmlReportWriter.Render(JsonReportWriterTests.SampleReport()));
        var view = document.QuerySelectorAll(".finding").Single(f => f.QuerySelector(".code-tag")!.TextContent == FindingCodes.ViewChanged.Code);
        var panes = view.QuerySelectorAll(".ba pre");

        Assert.Multiple(() =>
        {
            Assert.That(string.Concat(panes[0].QuerySelectorAll("del").Select(d => d.TextContent)), Is.EqualTo(", country"));
            Assert.That(panes[0].QuerySelectorAll("ins"), Is.Empty);
            Assert.That(panes[1].QuerySelectorAll("del, ins"), Is.Empty, "nothing was added");
        });
    }

    [Test]
    public void Hostile_values_are_escaped_and_control_characters_shown()
    {
        const string Script = "<script>alert('x')</script>";
        const string Tags = "</pre><img src=x onerror=alert(1)> & \"quoted\" 'single'";
        var sample = JsonReportWriterTests.SampleReport();
        var hostile = sample.Results[2] with
        {
            Scenario = Script,
            Directory = "/tmp/\"><a href=\"https://evil.example/\">x</a>",
            ExpectationProblems = ["bell \u0007 and nul \u0000 and del \u007F"],
            Findings = [Finding.Create(FindingCodes.ValuesChanged, "t.<b>c</b>", Tags, before: "a&b <i>", after: "a&amp;b\u0001")],
            FailedStatement = sample.Results[2].FailedStatement! with { Text = "SELECT '</pre><script>x</script>';" },
        };
        var html = HtmlReportWriter.Render(sample with { Results = [hostile] });
        var document = Parse(html);
        var finding = document.QuerySelector(".finding")!;

        Assert.Multiple(() =>
        {
            Assert.That(document.QuerySelectorAll("script, img, i, b, a[href^=http]"), Is.Empty);
            Assert.That(document.QuerySelector("h3")!.TextContent, Is.EqualTo(Script + " on mysql"));
            Assert.That(finding.QuerySelector("p")!.TextContent, Is.EqualTo(Tags));
            Assert.That(finding.QuerySelector("code")!.TextContent, Is.EqualTo("t.<b>c</b>"));
            Assert.That(finding.QuerySelectorAll(".ba pre").Select(p => p.TextContent), Is.EqualTo(new[] { "a&b <i>", "a&amp;b\u2401" }));
            Assert.That(document.QuerySelector("pre.sql")!.TextContent, Is.EqualTo("SELECT '</pre><script>x</script>';"));
            Assert.That(document.QuerySelector(".callout")!.TextContent, Does.Contain("bell \u2407 and nul \u2400 and del \u2421"));
            // Ordinal: a culture-aware Contains ignores U+0000.
            Assert.That(html.IndexOfAny(['\u0007', '\u0000', '\u0001']), Is.EqualTo(-1));
        });
    }

    [Test]
    public async Task WriteAsync_writes_the_rendered_page()
    {
        var path = Path.Combine(Path.GetTempPath(), "rv-report-" + Guid.NewGuid().ToString("N") + ".html");
        try
        {
            await HtmlReportWriter.WriteAsync(JsonReportWriterTests.SampleReport(), path, CancellationToken.None);
            Assert.That(await File.ReadAllTextAsync(path), Is.EqualTo(HtmlReportWriter.Render(JsonReportWriterTests.SampleReport())));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Anything that would make a browser fetch: http(s) or protocol-relative URLs in attributes or CSS.</summary>
    [GeneratedRegex(@"(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}|url\s*\(|@import", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrl();
}
