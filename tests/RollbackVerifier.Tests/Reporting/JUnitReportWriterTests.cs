using System.Xml.Linq;
using RollbackVerifier.Execution;
using RollbackVerifier.Reporting;

namespace RollbackVerifier.Tests.Reporting;

/// <summary>JUnit XML for CI test reporters, on the same hand-built report as the JSON golden test.</summary>
public sealed class JUnitReportWriterTests
{
    [Test]
    public void Report_matches_the_golden_file() =>
        GoldenFile.AssertMatches("fixtures/golden/report.junit.xml", JUnitReportWriter.Render(JsonReportWriterTests.SampleReport()));

    [Test]
    public void One_case_per_scenario_and_engine_failing_exactly_when_the_expectation_is_not_met()
    {
        var report = JsonReportWriterTests.SampleReport();
        var xml = XDocument.Parse(JUnitReportWriter.Render(report));
        var cases = xml.Descendants("testcase").ToList();

        Assert.That(cases, Has.Count.EqualTo(report.Results.Count));
        foreach (var (result, element) in report.Results.Zip(OrderLike(report, cases)))
        {
            var failed = element.Element("failure") is not null || element.Element("error") is not null;
            Assert.That(failed, Is.EqualTo(!result.MeetsExpectation), result.Scenario);
            Assert.That(element.Element("skipped") is not null, Is.EqualTo(result.Verdict == Verdict.NotRun && result.MeetsExpectation), result.Scenario);
            foreach (var finding in result.Findings)
            {
                Assert.That(element.Element("system-out")!.Value, Does.Contain(finding.Code + " " + finding.Name), result.Scenario);
            }
        }

        var root = xml.Root!;
        Assert.That(int.Parse(root.Attribute("tests")!.Value, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(report.Results.Count));
        Assert.That(
            int.Parse(root.Attribute("failures")!.Value, System.Globalization.CultureInfo.InvariantCulture) + int.Parse(root.Attribute("errors")!.Value, System.Globalization.CultureInfo.InvariantCulture),
            Is.EqualTo(report.Results.Count(r => !r.MeetsExpectation)));
    }

    [Test]
    public void Control_characters_from_data_do_not_break_the_xml()
    {
        var report = JsonReportWriterTests.SampleReport();
        var result = report.Results[0] with { Reason = "bad \u0001 byte", MeetsExpectation = false, Verdict = Verdict.Broken };
        var xml = JUnitReportWriter.Render(report with { Results = [result] });
        Assert.That(() => XDocument.Parse(xml), Throws.Nothing);
        Assert.That(XDocument.Parse(xml).Descendants("error").Single().Attribute("message")!.Value, Does.Contain("bad \uFFFD byte"));
    }

    private static IEnumerable<XElement> OrderLike(VerificationReport report, List<XElement> cases) =>
        report.Results.Select(r => cases.Single(c => c.Attribute("name")!.Value == r.Scenario && c.Attribute("classname")!.Value.EndsWith("." + r.Engine.ToString().ToLowerInvariant(), StringComparison.Ordinal)));
}
