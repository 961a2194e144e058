using System.Text.Json;
using RollbackVerifier.Execution;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using RollbackVerifier.PostgreSql;
using RollbackVerifier.Preflight;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios;
using RollbackVerifier.Tests.Diffing;
using RollbackVerifier.Tests.Reporting;

namespace RollbackVerifier.Tests.Preflight;

/// <summary>The checklist and the review prompt in the reports, on a fixed report (golden files under fixtures/golden/preflight).</summary>
public sealed class PreflightReportTests
{
    private const string Forward = "ALTER TABLE customers ALTER COLUMN nickname DROP NOT NULL;\nALTER TABLE customers DROP COLUMN fax;\nALTER TABLE customers ADD COLUMN source text;\n";
    private const string Rollback = "ALTER TABLE customers DROP COLUMN source;\nALTER TABLE customers ALTER COLUMN nickname SET NOT NULL;\nALTER TABLE customers ADD COLUMN fax text;\n";

    /// <summary>A failed run on PostgreSQL with its checklist, counts, findings and live rows; and a passing run.</summary>
    internal static VerificationReport SampleReport()
    {
        var before = new SnapshotBuilder().Table("public.customers", t => t.EngineId(10)
            .Column("id", "bigint", nullable: false, engineId: 1).PrimaryKey("customers_pkey", "id")
            .Column("nickname", "character varying(20)", TypeFamily.Text, nullable: false, length: 20, engineId: 2)
            .Column("fax", "text", TypeFamily.Text, engineId: 3)).Build();
        var after = new SnapshotBuilder().Table("public.customers", t => t.EngineId(10)
            .Column("id", "bigint", nullable: false, engineId: 1).PrimaryKey("customers_pkey", "id")
            .Column("nickname", "character varying(20)", TypeFamily.Text, length: 20, engineId: 2)
            .Column("source", "text", TypeFamily.Text, engineId: 4)).Build();
        var rollback = new ScriptSource("/repo/scenarios/nickname-optional/rollback.sql", Rollback);
        var checklist = ChecklistBuilder.Build(new ChecklistInput("nickname-optional", before, after, rollback, new PostgresDialect(), "PostgreSQL 16.4"));
        var failing = Finding.Create(
            FindingCodes.RollbackFailed,
            "rollback.sql:2",
            "Rollback statement 2 (line 2) failed with 23502: column \"nickname\" of relation \"customers\" contains null values",
            evidence: Evidence.With(("statement", "ALTER TABLE customers ALTER COLUMN nickname SET NOT NULL"), ("errorCode", "23502")));
        var discarded = Finding.Create(
            FindingCodes.NewDataDiscarded,
            "public.customers.source",
            "4 values written after the forward migration into column public.customers.source, which the rollback drops, are discarded.",
            evidence: Evidence.Counted(4, ["id=51", "id=52"]));
        var lost = Finding.Create(FindingCodes.DroppedDataNotRestored, "public.customers.fax", "The forward migration dropped column public.customers.fax; its 50 values are not back after the rollback: they are unrecoverable.", evidence: Evidence.Counted(50, ["id=1"]));
        var findings = FindingOrder.Sort([failing, discarded, lost]);
        var run = ScenarioChecklist.WithFindings(
            new ChecklistRun(checklist, [new CheckOutcome("PF-null-public.customers.nickname", 5, ["id=51", "id=52", "id=53"], null), new CheckOutcome("PF-new-column-public.customers.source", 4, ["id=51", "id=52"], null)], new Dictionary<string, IReadOnlyList<string>>())
            {
                SchemaAfterForward = after,
                SchemaDdl = PostgresDialect.RenderSchema(after),
                Forward = new ScriptSource("/repo/scenarios/nickname-optional/forward.sql", Forward),
                Rollback = rollback,
            },
            findings);
        var seeding = new[]
        {
            new SeedTableSummary("public.customers", "live", 15, 0, 0, 0, null, [new SeedAttack("null", ["nickname"], "nickname NULL (old column was NOT NULL)", 5, 0, null)]),
        };
        var failed = new ScenarioResult("nickname-optional", "/repo/scenarios/nickname-optional", EngineKind.Postgres, "PostgreSQL 16.4", Verdict.Fail, true, [], findings,
            new StatementFailure(Phase.Rollback, "/repo/scenarios/nickname-optional/rollback.sql", 2, 2, "ALTER TABLE customers ALTER COLUMN nickname SET NOT NULL", "23502", "column \"nickname\" of relation \"customers\" contains null values"),
            [new PhaseTiming("rollback", TimeSpan.FromMilliseconds(12))], null, seeding)
        {
            Checklist = run,
        };
        var passed = new ScenarioResult("add-column", "/repo/scenarios/add-column", EngineKind.Sqlite, "SQLite 3.45", Verdict.Pass, true, [], [], null, [], null, [])
        {
            Checklist = new ChecklistRun(new Checklist("add-column", EngineKind.Sqlite, "SQLite 3.45", [], []), [], new Dictionary<string, IReadOnlyList<string>>()),
        };
        return new VerificationReport("0.1.0", new DateTimeOffset(2026, 11, 25, 7, 0, 0, TimeSpan.Zero), TimeSpan.FromSeconds(2), [failed, passed]);
    }

    [Test]
    public void The_checklist_survives_a_round_trip_through_the_json_report()
    {
        var json = JsonReportWriter.Render(SampleReport());
        var read = JsonReportReader.Read(json, "report.json");
        Assert.That(read.UnknownProperties, Is.Empty);
        var checklist = read.Report.Results[0].Checklist;
        Assert.That(checklist, Is.Not.Null);
        Assert.That(checklist!.Checklist.Checks.Select(c => c.Id), Is.EqualTo(SampleReport().Results[0].Checklist!.Checklist.Checks.Select(c => c.Id)));
        Assert.That(checklist.CountOf("PF-null-public.customers.nickname")?.Count, Is.EqualTo(5));
        Assert.That(JsonReportWriter.Render(read.Report), Is.EqualTo(json));
    }

    [Test]
    public void Review_prompt_matches_the_golden_file() =>
        GoldenFile.AssertMatches("fixtures/golden/preflight/review-prompt.txt", ReviewPrompt.Build(SampleReport().Results[0]));

    [Test]
    public void Markdown_report_with_checklist_and_prompt_matches_the_golden_file() =>
        GoldenFile.AssertMatches("fixtures/golden/preflight/report.md", MarkdownReportWriter.Render(ReviewPrompt.Attach(SampleReport())));

    [Test]
    public void Checklist_file_matches_the_golden_file()
    {
        var run = SampleReport().Results[0].Checklist!;
        GoldenFile.AssertMatches("fixtures/golden/preflight/checklist.postgres.sql", ChecklistFile.Render(run.Checklist, run, "0.1.0"));
    }

    [Test]
    public void The_prompt_holds_everything_an_assistant_needs_and_only_failed_runs_get_one()
    {
        var report = ReviewPrompt.Attach(SampleReport());
        var prompt = report.Results[0].ReviewPrompt!;
        Assert.Multiple(() =>
        {
            Assert.That(report.Results[1].ReviewPrompt, Is.Null, "a passing run needs no repair");
            Assert.That(prompt, Does.Contain(Forward.TrimEnd()).And.Contain(Rollback.TrimEnd()), "forward and current rollback");
            Assert.That(prompt, Does.Contain("CREATE TABLE \"public\".\"customers\""), "schema after the forward as DDL");
            Assert.That(prompt, Does.Contain("PostgreSQL 16.4"), "engine and version");
            Assert.That(prompt, Does.Contain("never discard data without an archive step").IgnoreCase);
            Assert.That(prompt, Does.Contain("raise an error with manual steps where a safe reversal is impossible").IgnoreCase);
            Assert.That(prompt, Does.Contain("dropped column public.customers.fax"), "irreversible operations");
            Assert.That(prompt, Does.Contain("RV101 rollback-failed").And.Contain("evidence: errorCode: 23502"), "findings with evidence");
            Assert.That(prompt, Does.EndWith("verified again with RollbackVerifier.\n").And.Contain("Answer with the new rollback script only"));
        });
    }

    [Test]
    public void The_json_report_carries_the_checks_their_counts_and_evidence()
    {
        using var json = JsonDocument.Parse(JsonReportWriter.Render(SampleReport()));
        var results = json.RootElement.GetProperty("results");
        var checklist = results[0].GetProperty("checklist");
        var check = checklist.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("kind").GetString() == "not-null");
        Assert.Multiple(() =>
        {
            Assert.That(checklist.GetProperty("file").GetString(), Is.EqualTo("checklist.postgres.sql"));
            Assert.That(check.GetProperty("id").GetString(), Is.EqualTo("PF-null-public.customers.nickname"));
            Assert.That(check.GetProperty("effect").GetString(), Is.EqualTo("fails"));
            Assert.That(check.GetProperty("testDatabase").GetProperty("count").GetInt64(), Is.EqualTo(5));
            Assert.That(check.GetProperty("testDatabase").GetProperty("sampleKeys").EnumerateArray().Select(k => k.GetString()), Is.EqualTo(new[] { "id=51", "id=52", "id=53" }));
            Assert.That(check.GetProperty("evidence")[0].GetString(), Does.StartWith("RV101 rollback-failed"));
            Assert.That(check.GetProperty("sql").GetString(), Does.StartWith("WITH rv_offending_rows AS ("));
            Assert.That(checklist.GetProperty("notes")[0].GetProperty("irreversible").GetBoolean(), Is.True);
            Assert.That(results[1].GetProperty("checklist").GetProperty("checks").GetArrayLength(), Is.Zero);
        });
    }
}
