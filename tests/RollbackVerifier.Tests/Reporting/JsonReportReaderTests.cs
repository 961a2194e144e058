using RollbackVerifier.Reporting;

namespace RollbackVerifier.Tests.Reporting;

/// <summary>The JSON report read back: the inverse of the writer, with clear errors naming file and property.</summary>
public sealed class JsonReportReaderTests
{
    private const string Golden = "fixtures/golden/report.json";

    [Test]
    public void Reading_the_golden_report_and_rendering_it_again_gives_the_same_text()
    {
        // When this fails after a merge, the writer gained a field the reader does not read yet (see UnknownProperties).
        var text = File.ReadAllText(RepoFiles.Path(Golden)).ReplaceLineEndings("\n");
        var read = JsonReportReader.Read(text, Golden);

        Assert.That(read.UnknownProperties, Is.Empty, "properties the reader does not know");
        Assert.That(JsonReportWriter.Render(read.Report), Is.EqualTo(text));
    }

    [Test]
    public void A_sample_report_survives_the_round_trip_as_a_value()
    {
        var sample = JsonReportWriterTests.SampleReport() with { Shard = new RollbackVerifier.Execution.Shard(2, 3) };
        var text = JsonReportWriter.Render(sample);

        var again = JsonReportReader.Read(text, "sample.json").Report;

        Assert.That(JsonReportWriter.Render(again), Is.EqualTo(text));
        Assert.That(again.Shard, Is.EqualTo(new RollbackVerifier.Execution.Shard(2, 3)));
        Assert.That(again.Results.Select(r => (r.Scenario, r.Engine, r.Verdict, r.MeetsExpectation)), Is.EqualTo(sample.Results.Select(r => (r.Scenario, r.Engine, r.Verdict, r.MeetsExpectation))));
        Assert.That(again.Results[0].Findings[0].AcceptedReason, Is.EqualTo(sample.Results[0].Findings[0].AcceptedReason));
    }

    private static string GoldenWith(string from, string to)
    {
        var text = File.ReadAllText(RepoFiles.Path(Golden));
        Assert.That(text, Does.Contain(from));
        return text.Replace(from, to, StringComparison.Ordinal);
    }

    [Test]
    public void Another_schema_version_is_refused_naming_the_file()
    {
        var ex = Assert.Throws<ReportFormatException>(() => JsonReportReader.Read(GoldenWith("\"schemaVersion\": 1", "\"schemaVersion\": 2"), "shard-2/report.json"))!;
        Assert.That(ex.Message, Does.StartWith("shard-2/report.json: schemaVersion: schema version 2 is not supported"));
    }

    [Test]
    public void Invalid_json_is_refused_with_file_and_line()
    {
        var ex = Assert.Throws<ReportFormatException>(() => JsonReportReader.Read("{\n  \"schemaVersion\": 1,\n  oops\n}", "r.json"))!;
        Assert.That(ex.Message, Does.StartWith("r.json: line 3: not valid JSON"));
    }

    [Test]
    public void A_json_file_that_is_not_a_report_is_told_apart()
    {
        Assert.Throws<NotAReportException>(() => JsonReportReader.Read("{\"name\": \"my-package\", \"version\": \"1.0.0\"}", "package.json"));
        Assert.Throws<NotAReportException>(() => JsonReportReader.Read("[1, 2]", "list.json"));
    }

    [Test]
    public void A_missing_or_mistyped_property_is_named_by_its_path()
    {
        var missing = Assert.Throws<ReportFormatException>(() => JsonReportReader.Read(GoldenWith("\"verdict\": \"fail\",", ""), "r.json"))!;
        Assert.That(missing.Message, Does.StartWith("r.json: results[1]: missing property \"verdict\""));

        var verdict = Assert.Throws<ReportFormatException>(() => JsonReportReader.Read(GoldenWith("\"verdict\": \"broken\"", "\"verdict\": \"maybe\""), "r.json"))!;
        Assert.That(verdict.Message, Does.StartWith("r.json: results[3].verdict: unknown value 'maybe'"));

        var count = Assert.Throws<ReportFormatException>(() => JsonReportReader.Read(GoldenWith("\"inserted\": 50,", "\"inserted\": \"50\","), "r.json"))!;
        Assert.That(count.Message, Does.StartWith("r.json: results[0].seeding[0].inserted: expected an integer"));
    }

    [Test]
    public void An_unknown_finding_code_is_refused()
    {
        var ex = Assert.Throws<ReportFormatException>(() => JsonReportReader.Read(GoldenWith("\"code\": \"RV101\"", "\"code\": \"RV999\""), "r.json"))!;
        Assert.That(ex.Message, Does.Contain("results[2].findings[0].code: unknown finding code 'RV999'"));
    }

    [Test]
    public void Properties_the_reader_does_not_know_are_listed_not_kept()
    {
        var read = JsonReportReader.Read(GoldenWith("\"serverVersion\": \"SQLite 3.53.4\",", "\"serverVersion\": \"SQLite 3.53.4\", \"locks\": [],"), "r.json");
        Assert.That(read.UnknownProperties, Has.Member("results[0].locks"));
    }

    [Test]
    public void An_unreadable_file_is_named()
    {
        var ex = Assert.ThrowsAsync<ReportFormatException>(() => JsonReportReader.ReadAsync(Path.Combine(Path.GetTempPath(), "rv-no-such-" + Guid.NewGuid().ToString("N"), "report.json"), CancellationToken.None))!;
        Assert.That(ex.Message, Does.Contain("report.json: cannot read the report"));
    }
}
