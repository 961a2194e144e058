using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using RollbackVerifier.Execution;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Tests.Reporting;

/// <summary>
/// The JSON report (docs/report-json.md) on a hand-built report holding every verdict and every optional field:
/// compared with fixtures/golden/report.json (RV_UPDATE_GOLDEN=1 rewrites it), deterministic, and documented.
/// </summary>
public sealed partial class JsonReportWriterTests
{
    private const string Golden = "fixtures/golden/report.json";

    [Test]
    public void Report_matches_the_golden_file() =>
        GoldenFile.AssertMatches(Golden, JsonReportWriter.Render(SampleReport()));

    [Test]
    public void Rendering_is_deterministic()
    {
        var first = JsonReportWriter.Render(SampleReport());

        // Same facts, evidence details inserted in another order.
        var shuffled = SampleReport() with
        {
            Results = SampleReport().Results.Select(r => r with
            {
                Findings = r.Findings.Select(f => f with
                {
                    Evidence = f.Evidence with { Details = f.Evidence.Details.Reverse().ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal) },
                }).ToList(),
            }).ToList(),
        };

        Assert.Multiple(() =>
        {
            Assert.That(JsonReportWriter.Render(SampleReport()), Is.EqualTo(first));
            Assert.That(JsonReportWriter.Render(shuffled), Is.EqualTo(first));
            Assert.That(first, Does.EndWith("}\n").And.Not.Contain("\r"));
        });
    }

    [Test]
    public void Summary_counts_verdicts_and_unmet_expectations()
    {
        using var json = JsonDocument.Parse(JsonReportWriter.Render(SampleReport()));
        var root = json.RootElement;
        var summary = root.GetProperty("summary");

        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("schemaVersion").GetInt32(), Is.EqualTo(JsonReportWriter.SchemaVersion));
            Assert.That(root.GetProperty("success").GetBoolean(), Is.False);
            Assert.That(root.GetProperty("startedAt").GetString(), Is.EqualTo("2026-11-25T07:00:00Z"));
            Assert.That(root.GetProperty("durationMs").GetInt64(), Is.EqualTo(12345));
            Assert.That(summary.EnumerateObject().Select(p => (p.Name, p.Value.GetInt32())), Is.EqualTo(new[]
            {
                ("total", 6), ("passed", 1), ("failed", 2), ("broken", 1), ("nothingTested", 1), ("notRun", 1), ("unexpected", 1),
            }));
            Assert.That(root.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("verdict").GetString()),
                Is.EqualTo(new[] { "pass", "fail", "fail", "broken", "nothing-tested", "not-run" }));
        });
    }

    [Test]
    public void Text_is_escaped_only_as_json_requires()
    {
        var text = JsonReportWriter.Render(SampleReport());
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("\"text\": \"ALTER TABLE notes MODIFY note VARCHAR(10) NOT NULL -- 'café' <b>\\n  COMMENT \\\"short\\\"\""));
            Assert.That(text, Does.Not.Contain("\\u0027").And.Not.Contain("\\u003C"));
        });
    }

    [Test]
    public void An_empty_run_is_a_success_with_zero_counts()
    {
        var report = new VerificationReport("0.1.0", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), TimeSpan.Zero, []);
        using var json = JsonDocument.Parse(JsonReportWriter.Render(report));

        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("success").GetBoolean(), Is.True);
            Assert.That(json.RootElement.GetProperty("summary").EnumerateObject().Select(p => p.Value.GetInt32()), Is.All.EqualTo(0));
            Assert.That(json.RootElement.GetProperty("results").GetArrayLength(), Is.Zero);
        });
    }

    [Test]
    public async Task WriteAsync_writes_the_rendered_text_as_utf8_without_a_byte_order_mark()
    {
        var path = Path.Combine(Path.GetTempPath(), "rv-report-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            await JsonReportWriter.WriteAsync(SampleReport(), path, CancellationToken.None);
            var bytes = await File.ReadAllBytesAsync(path);
            Assert.Multiple(() =>
            {
                Assert.That(bytes.Take(3), Is.Not.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }));
                Assert.That(Encoding.UTF8.GetString(bytes), Is.EqualTo(JsonReportWriter.Render(SampleReport())));
            });
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Every_property_in_the_report_is_documented()
    {
        var doc = File.ReadAllText(RepoFiles.Path("docs/report-json.md"));
        using var json = JsonDocument.Parse(JsonReportWriter.Render(SampleReport()));
        var names = new SortedSet<string>(StringComparer.Ordinal);
        Collect(json.RootElement, names, insideOpenMap: false);

        var undocumented = names.Where(n => !doc.Contains($"`{n}`", StringComparison.Ordinal)).ToList();
        Assert.That(undocumented, Is.Empty, "properties missing from docs/report-json.md");

        // And the documentation's example is the golden file, so it stays a real report.
        var example = DocExample().Match(doc);
        Assert.That(example.Success, Is.True, "docs/report-json.md has no ```json example");
        Assert.That(example.Groups[1].Value.ReplaceLineEndings("\n"), Is.EqualTo(File.ReadAllText(RepoFiles.Path(Golden)).ReplaceLineEndings("\n")),
            "the example in docs/report-json.md must be fixtures/golden/report.json verbatim");
    }

    /// <summary>Property names, skipping the keys of open maps (timings, evidence details) whose keys are data.</summary>
    private static void Collect(JsonElement element, ISet<string> names, bool insideOpenMap)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!insideOpenMap)
                    {
                        names.Add(property.Name);
                    }

                    Collect(property.Value, names, property.Name is "timings" or "details");
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, names, insideOpenMap: false);
                }

                break;
        }
    }

    [GeneratedRegex(@"```json\n(.*?\n)```", RegexOptions.Singleline)]
    private static partial Regex DocExample();

    /// <summary>One result per verdict; together they fill every field of the schema at least once.</summary>
    internal static VerificationReport SampleReport()
    {
        var started = new DateTimeOffset(2026, 11, 25, 8, 0, 0, 123, TimeSpan.FromHours(1));
        var results = new List<ScenarioResult>
        {
            new(
                "add-column",
                "/repo/scenarios/add-column",
                EngineKind.Sqlite,
                "SQLite 3.53.4",
                Verdict.Pass,
                MeetsExpectation: true,
                ExpectationProblems: [],
                Findings:
                [
                    Finding.Create(
                        FindingCodes.NewDataDiscarded,
                        "customers.nickname",
                        "21 values in column customers.nickname, which only the forward migration added, are discarded by the rollback.",
                        evidence: Evidence.Counted(21, ["id=3", "id=8"])) with
                    {
                        AcceptedReason = "nicknames are a beta feature; losing them on rollback is agreed with product.",
                    },
                ],
                FailedStatement: null,
                Timings:
                [
                    new("create-database", TimeSpan.FromMilliseconds(26.84)),
                    new("baseline", TimeSpan.FromMilliseconds(9.6)),
                    new("seed", TimeSpan.FromMilliseconds(200)),
                    new("forward", TimeSpan.FromMilliseconds(1.25)),
                    new("seed", TimeSpan.FromMilliseconds(17)),
                    new("rollback", TimeSpan.FromMilliseconds(1.3)),
                ],
                Reason: null,
                Seeding:
                [
                    new("customers", "pre-existing", 50, 0, 0, 0, null),
                    new("customers", "live", 10, 0, 0, 0, null, [new("length", ["email"], "email longer than 40 characters (old VARCHAR(40))", 3, 0, null), new("null", ["nickname"], "nickname NULL (old column was NOT NULL)", 3, 1, "23502: null value in column \"nickname\" violates not-null constraint")]),
                ]) { Seed = 12345, Reproduce = "rollback-verifier verify scenarios/add-column --engine sqlite --seed 12345 --report md,html" },
            new(
                "drop-column-readded-empty",
                "/repo/scenarios/drop-column-readded-empty",
                EngineKind.Postgres,
                "PostgreSQL 17.2",
                Verdict.Fail,
                MeetsExpectation: true,
                ExpectationProblems: [],
                Findings:
                [
                    Finding.Create(
                        FindingCodes.DroppedDataNotRestored,
                        "public.customers.country",
                        "44 rows have lost their value of public.customers.country, which the forward migration dropped.",
                        before: "44 non-null values",
                        after: "all NULL",
                        evidence: new Evidence(44, ["id=1", "id=2", "id=5"], new Dictionary<string, string>(StringComparer.Ordinal)
                        {
                            ["table"] = "public.customers",
                            ["column"] = "country",
                        })),
                    Finding.Create(
                        FindingCodes.ViewChanged,
                        "public.active_customers",
                        "The definition of view public.active_customers differs after the rollback.",
                        before: "SELECT id, email, country\n  FROM customers\n WHERE active;",
                        after: "SELECT id, email\n  FROM customers\n WHERE active;"),
                    Finding.Create(
                        FindingCodes.ColumnOrderChanged,
                        "public.customers",
                        "The columns of public.customers are in a different order after the rollback.",
                        before: "id, email, country, created_at",
                        after: "id, email, created_at, country"),
                    Finding.Create(
                        FindingCodes.DroppedDataRecreatedEmpty,
                        "customers.country",
                        "The forward migration drops column customers.country (forward.sql:1) without keeping a copy of its data, and the rollback re-creates it (rollback.sql:2): it comes back without the values it held before the migration, which are lost for good (Confirmed: 44 values lost (RV304 on public.customers.country).)",
                        evidence: Evidence.With(("rule", "static"), ("file", "rollback.sql"), ("line", "2"), ("statement", "ALTER TABLE customers ADD COLUMN country CHAR(2)"), ("confirmation", "confirmed"), ("confirmationDetail", "confirmed: 44 values lost (RV304 on public.customers.country)"))),
                ],
                FailedStatement: null,
                Timings: [new("forward", TimeSpan.FromMilliseconds(12)), new("rollback", TimeSpan.FromMilliseconds(8.04))],
                Reason: null,
                Seeding: [new("customers", "pre-existing", 48, 0, 0, 2, "duplicate key value violates unique constraint \"customers_email_key\"")])
            {
                Seed = 42,
                Reproduce = "rollback-verifier verify scenarios/drop-column-readded-empty --engine postgres --seed 42 --postgres-image postgres:17 --report md,html",
                // Issue 6 (static rules): one result carries the static analysis, so every field is in the golden file.
                StaticAnalysis = new RollbackVerifier.Analysis.StaticAnalysisResult(
                    [],
                    [new RollbackVerifier.Analysis.DisabledRule("RV512", "the deploy pipeline sets lock_timeout for the migration role.")],
                    [new RollbackVerifier.Analysis.NotUnderstoodStatement("/repo/scenarios/drop-column-readded-empty/rollback.sql", 3, "CALL refresh_reports()", "CALL statements are not analysed")],
                    new Dictionary<string, int>(StringComparer.Ordinal) { ["forward"] = 1, ["rollback"] = 2 })
                {
                    Confirmations = [RollbackVerifier.Analysis.ConfirmationStatus.Confirmed],
                },
            },
            new(
                "rollback-statement-fails",
                "/repo/fixtures/e2e/rollback-statement-fails",
                EngineKind.MySql,
                "MariaDB 10.11.6",
                Verdict.Fail,
                MeetsExpectation: false,
                ExpectationProblems: ["expected verdict pass, got fail", "expected finding RV304 was not reported"],
                Findings:
                [
                    Finding.Create(
                        FindingCodes.RollbackFailed,
                        "rollback.mysql.sql:5",
                        "Rollback statement 2 (line 5) failed with 1406: Data too long for column 'note' at row 1.",
                        evidence: Evidence.With(("statement", "2"), ("server error", "1406"))),
                ],
                FailedStatement: new StatementFailure(
                    Phase.Rollback,
                    "/repo/fixtures/e2e/rollback-statement-fails/rollback.mysql.sql",
                    Number: 2,
                    Line: 5,
                    Text: "ALTER TABLE notes MODIFY note VARCHAR(10) NOT NULL -- 'café' <b>\n  COMMENT \"short\"",
                    ErrorCode: "1406",
                    ErrorMessage: "Data too long for column 'note' at row 1"),
                Timings: [new("rollback", TimeSpan.FromMilliseconds(30))],
                Reason: null,
                Seeding: []) { Seed = -7, Reproduce = "rollback-verifier verify fixtures/e2e/rollback-statement-fails --engine mysql --seed -7 --report md,html" },
            new(
                "broken-baseline",
                "/repo/scenarios/broken-baseline",
                EngineKind.Sqlite,
                "SQLite 3.53.4",
                Verdict.Broken,
                MeetsExpectation: true,
                ExpectationProblems: [],
                Findings: [],
                FailedStatement: new StatementFailure(Phase.Baseline, "/repo/scenarios/broken-baseline/baseline.sql", 1, 1, "CREATE TABLE (", "SQLITE_ERROR(1)", "near \"(\": syntax error"),
                Timings: [new("baseline", TimeSpan.FromMilliseconds(0.4))],
                Reason: "the baseline failed, so there is no pre-migration state to compare with",
                Seeding: []),
            new(
                "forward-changes-nothing",
                "/repo/scenarios/forward-changes-nothing",
                EngineKind.Sqlite,
                "SQLite 3.53.4",
                Verdict.NothingTested,
                MeetsExpectation: true,
                ExpectationProblems: [],
                Findings: [Finding.Create(FindingCodes.ForwardNoChange, "forward.sql", "The forward migration changed neither schema nor data, so the rollback was not tested.")],
                FailedStatement: null,
                Timings: [new("forward", TimeSpan.FromMilliseconds(2))],
                Reason: "the forward migration changed nothing",
                Seeding: []),
            new(
                "add-column",
                "/repo/scenarios/add-column",
                EngineKind.Postgres,
                ServerVersion: null,
                Verdict.NotRun,
                MeetsExpectation: true,
                ExpectationProblems: [],
                Findings: [],
                FailedStatement: null,
                Timings: [],
                Reason: "Docker is not available: start a Docker engine, or pass --postgres-url / set RV_POSTGRES_URL to use an existing server.",
                Seeding: []),
        };

        return new VerificationReport("0.1.0", started, TimeSpan.FromMilliseconds(12345.6), results);
    }
}
