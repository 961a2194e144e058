using System.Text.Json;
using System.Xml.Linq;
using RollbackVerifier.Findings;
using RollbackVerifier.Reporting;

namespace RollbackVerifier.Tests.Reporting;

/// <summary>No writer lets a password through, wherever in a result it sits, and every output stays well-formed.</summary>
public sealed class ReportSecretsTests
{
    private const string UrlPassword = "url-s3cr3t-pw";
    private const string AdoPassword = "ado|s3cr3t<pw>";
    private const string SqlPassword = "sql-s3cr3t-pw";

    private static readonly string Registered = "registered-" + Guid.NewGuid().ToString("N")[..10];

    private static VerificationReport ReportWithSecrets()
    {
        Secrets.Register(Registered);
        var sample = JsonReportWriterTests.SampleReport();
        var leaky = sample.Results[2] with
        {
            Verdict = Execution.Verdict.Broken,
            Reason = $"Cannot connect to postgres://app:{UrlPassword}@db:5432/prod",
            ExpectationProblems = [$"server said {Registered}"],
            Findings =
            [
                Finding.Create(
                    FindingCodes.RollbackFailed,
                    "rollback.sql:3",
                    $"Rollback failed: Host=db;Password={AdoPassword};",
                    before: $"mysql://root:{UrlPassword}@h",
                    after: Registered,
                    evidence: Evidence.With(("statement", $"ALTER ROLE app PASSWORD '{SqlPassword}'"), ("connection", $"Server=db;Pwd={UrlPassword}"))),
            ],
            FailedStatement = sample.Results[2].FailedStatement! with { Text = $"CREATE USER app IDENTIFIED BY '{SqlPassword}'", ErrorMessage = $"bad {Registered}" },
        };
        return sample with { Results = [leaky, sample.Results[0]] };
    }

    private static IEnumerable<TestCaseData> Writers()
    {
        yield return new TestCaseData((Func<VerificationReport, string>)JsonReportWriter.Render).SetArgDisplayNames("json");
        yield return new TestCaseData((Func<VerificationReport, string>)MarkdownReportWriter.Render).SetArgDisplayNames("md");
        yield return new TestCaseData((Func<VerificationReport, string>)JUnitReportWriter.Render).SetArgDisplayNames("junit");
        yield return new TestCaseData((Func<VerificationReport, string>)HtmlReportWriter.Render).SetArgDisplayNames("html");
    }

    [TestCaseSource(nameof(Writers))]
    public void No_password_reaches_the_report(Func<VerificationReport, string> render)
    {
        var text = render(ReportWithSecrets());
        Assert.Multiple(() =>
        {
            foreach (var secret in new[] { UrlPassword, AdoPassword, SqlPassword, Registered, "s3cr3t" })
            {
                Assert.That(text, Does.Not.Contain(secret));
            }

            // The rest of the message survives: a reader still sees where it failed.
            Assert.That(text, Does.Contain("db:5432/prod"));
        });
    }

    [Test]
    public void Masked_reports_stay_well_formed()
    {
        var report = ReportWithSecrets();
        Assert.Multiple(() =>
        {
            Assert.That(() => JsonDocument.Parse(JsonReportWriter.Render(report)).Dispose(), Throws.Nothing);
            Assert.That(() => XDocument.Parse(JUnitReportWriter.Render(report)), Throws.Nothing);
            Assert.That(new AngleSharp.Html.Parser.HtmlParser().ParseDocument(HtmlReportWriter.Render(report)).QuerySelectorAll("article.run"), Has.Length.EqualTo(2));
        });
    }
}
