using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using RollbackVerifier.Analysis;
using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Analysis;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using RollbackVerifier.Preflight;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios.Histories;
using RollbackVerifier.Tests.CommandSteps;
using RollbackVerifier.Tests.Preflight;
using RollbackVerifier.Tests.RunAnalysis;

namespace RollbackVerifier.Tests.Reporting;

/// <summary>
/// The HTML report's feature sections (static rules, how the rollback runs, pre-rollback checklist and review prompt,
/// command steps, history position), on the same sample reports as their Markdown and JSON tests: each appears with
/// its content when the data is there and is absent when it is not; goldens under fixtures/golden.
/// </summary>
public sealed class HtmlReportSectionsTests
{
    private static readonly HtmlParser Parser = new();

    private static IDocument Render(VerificationReport report) => Parser.ParseDocument(HtmlReportWriter.Render(report));

    private static IElement Run(IDocument document, int index) => document.GetElementById($"run-{index + 1}")!;

    private static IEnumerable<string> Headings(IElement run) => run.QuerySelectorAll("h4").Select(h => h.TextContent);

    private static IEnumerable<string> Cells(IElement row) => row.QuerySelectorAll("td").Select(c => c.TextContent);

    [Test]
    public void Run_analysis_matches_the_golden_file() =>
        GoldenFile.AssertMatches("fixtures/golden/run-analysis.html", HtmlReportWriter.Render(RunAnalysisReportTests.Report()));

    [Test]
    public void Preflight_matches_the_golden_file() =>
        GoldenFile.AssertMatches("fixtures/golden/preflight/report.html", HtmlReportWriter.Render(ReviewPrompt.Attach(PreflightReportTests.SampleReport())));

    [Test]
    public void Static_rules_show_disabled_rules_statements_not_analysed_and_confirmations()
    {
        var document = Render(JsonReportWriterTests.SampleReport());
        var section = Run(document, 1).QuerySelector("details.static")!;

        Assert.Multiple(() =>
        {
            Assert.That(section.QuerySelector("summary")!.TextContent, Is.EqualTo("Static rules: 3 statements read (forward 1, rollback 2) · 1 rule disabled · 1 statement not analysed · findings: 1 confirmed"));
            var rows = section.QuerySelectorAll("tbody tr").Select(r => Cells(r).ToList()).ToList();
            Assert.That(rows[0], Is.EqualTo(new[] { "RV512 " + FindingCodes.Get("RV512").Name, "the deploy pipeline sets lock_timeout for the migration role." }));
            Assert.That(rows[1], Is.EqualTo(new[] { "rollback.sql:3", "CALL refresh_reports()", "CALL statements are not analysed" }));
            Assert.That(section.TextContent, Does.Contain("checked against the run: 1 confirmed."));
            Assert.That(document.QuerySelectorAll("details.static"), Has.Length.EqualTo(1), "only the result with static analysis");
        });
    }

    [Test]
    public void Static_rules_are_absent_without_analysis_or_anything_to_say()
    {
        var sample = JsonReportWriterTests.SampleReport();
        var quiet = sample.Results[1].StaticAnalysis! with { Disabled = [], NotUnderstood = [], Confirmations = [] };
        var report = sample with { Results = [sample.Results[1] with { StaticAnalysis = null }, sample.Results[1] with { StaticAnalysis = quiet }] };
        Assert.That(Render(report).QuerySelectorAll("details.static"), Is.Empty);
    }

    [Test]
    public void Run_analysis_shows_locks_alters_and_atomicity()
    {
        var report = RunAnalysisReportTests.Report();
        var document = Render(report);
        var postgres = Run(document, 0);
        var mysql = Run(document, 1);
        var locks = postgres.QuerySelector("details.locks")!;
        var lockRows = locks.QuerySelectorAll("tbody tr").ToList();
        var atomicity = postgres.QuerySelector("details.atomicity")!;
        var alters = mysql.QuerySelector("details.alters")!;

        Assert.Multiple(() =>
        {
            Assert.That(Headings(postgres), Does.Contain("How the rollback runs"));
            Assert.That(locks.HasAttribute("open"), Is.True, "a lock blocks reads and writes");
            Assert.That(locks.QuerySelector("summary")!.TextContent, Is.EqualTo("Locks: 3 statements, 1 blocking other sessions"));

            // Statement 2 takes two locks: one row per lock, the statement's cells spanning them.
            Assert.That(lockRows, Has.Count.EqualTo(4));
            Assert.That(lockRows[0].QuerySelector("td")!.GetAttribute("rowspan"), Is.EqualTo("2"));
            Assert.That(Cells(lockRows[0]), Is.EqualTo(new[] { "2", "rollback.sql:2 DROP INDEX orders_customer_idx", "public.orders", "ACCESS EXCLUSIVE", "reads and writes", "1200", "1.4 ms", "312 ms", "commit (statement 4)", "catalog only" }));
            Assert.That(Cells(lockRows[1]), Is.EqualTo(new[] { "public.orders_customer_idx (index of public.orders)", "ACCESS EXCLUSIVE", "reads and writes", "1200", "312 ms", "commit (statement 4)" }));
            Assert.That(lockRows[0].QuerySelectorAll("strong").Select(s => s.TextContent), Is.EqualTo(new[] { "reads and writes" }));
            Assert.That(Cells(lockRows[2]).Last(), Is.EqualTo("public.orders: 1200 rows read, 1200 rows written (row-locked until commit); grows with rows"));

            Assert.That(atomicity.HasAttribute("open"), Is.True);
            Assert.That(atomicity.QuerySelector("summary")!.TextContent, Is.EqualTo("Atomicity (sample, 3 of 3 failure points, 0.6 s; copies by CREATE DATABASE ... TEMPLATE (a file-level copy on the same server)): stopping the rollback after statement 4 leaves it half applied"));
            var half = atomicity.QuerySelectorAll("tbody tr")[2];
            Assert.That(half.QuerySelector(".badge")!.TextContent, Is.EqualTo("half applied"));
            Assert.That(half.QuerySelectorAll("td")[2].InnerHtml, Is.EqualTo("public.orders (index orders_customer_idx) dropped<br>rows of public.orders changed (1200 row values gone, 1200 new; 1200 -&gt; 1200 rows)"));
            Assert.That(half.QuerySelectorAll("td")[3].TextContent, Is.EqualTo("public.orders (index orders_total_idx) dropped"));

            Assert.That(postgres.QuerySelector("details.alters"), Is.Null, "PostgreSQL has locks, not ALTER algorithms");
            Assert.That(mysql.QuerySelector("details.locks"), Is.Null);
            Assert.That(alters.HasAttribute("open"), Is.True, "an ALTER copies the table");
            Assert.That(alters.QuerySelector("summary")!.TextContent, Is.EqualTo("How each ALTER ran: 1 copy, 2 inplace, 1 instant"));
            Assert.That(Cells(alters.QuerySelectorAll("tbody tr")[0]), Is.EqualTo(new[] { "1", "rollback.sql:1 ALTER TABLE orders MODIFY total DECIMAL(12, 2) NOT NULL", "orders", "copy", "yes", "1200", "84 ms", "tried", "Cannot change column type" }));
            Assert.That(Cells(alters.QuerySelectorAll("tbody tr")[3]).ElementAt(4), Is.EqualTo("?"));
            var skipped = mysql.QuerySelector("details.atomicity")!;
            Assert.That(skipped.QuerySelector("summary")!.TextContent, Does.EndWith("): not run: the copy of the pre-rollback database differs from it: table orders_archive dropped"));
            Assert.That(skipped.QuerySelector("table"), Is.Null);
            Assert.That(skipped.HasAttribute("open"), Is.False);
        });
    }

    [Test]
    public void Run_analysis_is_absent_when_the_run_was_not_analysed()
    {
        var report = RunAnalysisReportTests.Report() with { Results = [RunAnalysisReportTests.Result("x", EngineKind.Sqlite, null), RunAnalysisReportTests.Result("y", EngineKind.Postgres, new([], null))] };
        var document = Render(report);
        Assert.Multiple(() =>
        {
            Assert.That(document.QuerySelectorAll("details.locks, details.alters, details.atomicity"), Is.Empty);
            Assert.That(document.Body!.TextContent, Does.Not.Contain("How the rollback runs"));
        });
    }

    [Test]
    public void Checklist_shows_counts_sample_keys_what_to_do_and_the_review_prompt()
    {
        var report = ReviewPrompt.Attach(PreflightReportTests.SampleReport());
        var result = report.Results[0];
        var document = Render(report);
        var failed = Run(document, 0);
        var rows = failed.QuerySelectorAll("table.checklist tbody tr").ToList();
        var nullCheck = rows.Single(r => r.QuerySelector("td")!.TextContent == "PF-null-public.customers.nickname");

        Assert.Multiple(() =>
        {
            Assert.That(Headings(failed), Does.Contain("Pre-rollback checklist"));
            Assert.That(failed.TextContent, Does.Contain("run checklist.postgres.sql (written next to this report) read-only, or rollback-verifier preflight /repo/scenarios/nickname-optional --postgres-url ..."));
            Assert.That(rows.Select(r => r.QuerySelector("td")!.TextContent), Is.EqualTo(result.Checklist!.Checklist.Checks.Select(c => c.Id)));
            var check = result.Checklist.Checklist.Checks.Single(c => c.Id == "PF-null-public.customers.nickname");
            Assert.That(Cells(nullCheck).ToList()[2..6], Is.EqualTo(new[] { ChecklistFile.Verb(check.Effect), "5 " + check.Counts, "5", "id=51 id=52 id=53" }));
            Assert.That(nullCheck.QuerySelector("strong")!.TextContent, Is.EqualTo("5"));
            Assert.That(failed.QuerySelector("ul.found")!.TextContent, Does.Contain("If not zero: " + check.IfNotZero));
            Assert.That(failed.QuerySelectorAll("ul.notes li").Select(n => n.TextContent), Is.EqualTo(result.Checklist.Checklist.Notes.Select(n => (n.Irreversible ? "irreversible " : "") + n.Object + ": " + n.Text)));

            var prompt = failed.QuerySelector("details.prompt")!;
            Assert.That(prompt.HasAttribute("open"), Is.False);
            Assert.That(prompt.QuerySelector("summary")!.TextContent, Does.StartWith("Review prompt: Paste this into an AI assistant"));
            Assert.That(prompt.QuerySelector("pre")!.TextContent, Is.EqualTo(result.ReviewPrompt!.TrimEnd('\n')));

            // The passing run has an empty checklist and no prompt.
            Assert.That(Headings(Run(document, 1)), Does.Not.Contain("Pre-rollback checklist"));
            Assert.That(Run(document, 1).QuerySelector("details.prompt"), Is.Null);
        });
    }

    [Test]
    public void Checklist_and_prompt_are_absent_when_not_there()
    {
        var sample = PreflightReportTests.SampleReport();
        var document = Render(sample with { Results = [sample.Results[0] with { Checklist = null }, sample.Results[1]] });
        Assert.Multiple(() =>
        {
            Assert.That(document.QuerySelectorAll("table.checklist, details.prompt"), Is.Empty);
            Assert.That(document.Body!.TextContent, Does.Not.Contain("Pre-rollback checklist"));
        });
    }

    [Test]
    public void Command_steps_show_each_step_with_its_output_and_the_tables_left_out()
    {
        var result = CommandStepReportTests.Result();
        var document = Render(new VerificationReport("0.1.0", DateTimeOffset.UnixEpoch, TimeSpan.Zero, [result]));
        var run = Run(document, 0);
        var steps = run.QuerySelectorAll("details.command").ToList();

        Assert.Multiple(() =>
        {
            Assert.That(Headings(run), Does.Contain("Command steps"));
            Assert.That(steps.Select(s => s.QuerySelector("summary")!.TextContent), Is.EqualTo(new[]
            {
                "forward: alembic upgrade +1 (scenario.yml:4) exited with 0 in 0.8 s, 1 lines",
                "rollback: alembic downgrade -1 (scenario.yml:7) stopped after 30s (timeout) in 30.0 s, 20000 lines, output shortened",
            }));
            Assert.That(steps.Select(s => s.HasAttribute("open")), Is.EqualTo(new[] { false, true }), "a failed step is opened");
            Assert.That(steps.Select(s => s.QuerySelector("pre.output")!.TextContent), Is.EqualTo(result.CommandSteps.Select(s => s.Output.TrimEnd('\n'))));
            Assert.That(run.QuerySelectorAll("pre.output b"), Is.Empty, "output is text, not markup");
            Assert.That(steps[0].TextContent, Does.Contain("Working directory /app, run in a shell."));
            Assert.That(run.QuerySelectorAll("ul.ignored li").Select(l => l.TextContent), Is.EqualTo(new[] { "public.alembic_version: Alembic migration history: bookkeeping of the migration tool, which its rollback updates" }));
        });
    }

    [Test]
    public void Command_steps_and_tables_left_out_are_absent_when_there_are_none()
    {
        var document = Render(JsonReportWriterTests.SampleReport());
        Assert.Multiple(() =>
        {
            Assert.That(document.QuerySelectorAll("details.command, ul.ignored"), Is.Empty);
            Assert.That(document.Body!.TextContent, Does.Not.Contain("Command steps").And.Not.Contain("Not compared"));
        });
    }

    [Test]
    public void History_position_is_a_fact_of_the_run_only_when_the_result_is_part_of_a_history()
    {
        var sample = JsonReportWriterTests.SampleReport();
        var position = new HistoryPosition("paired", "/repo/db/migrations", "0004", "0004_add_status", 4, 8) { Unit = ["0004", "0005"] };
        var document = Render(sample with { Results = [sample.Results[1] with { History = position }, sample.Results[1]] });
        Assert.Multiple(() =>
        {
            Assert.That(Run(document, 0).QuerySelector(".facts")!.TextContent, Does.Contain("History").And.Contain("Migrations 4 to 5 of 8 (version 0004) of the paired history"));
            Assert.That(Run(document, 1).QuerySelector(".facts")!.TextContent, Does.Not.Contain("History"));
        });
    }

    [Test]
    public void Secrets_in_the_feature_sections_are_masked()
    {
        const string Password = "feat-s3cr3t-pw";
        var url = $"postgres://app:{Password}@db:5432/prod";
        var sample = PreflightReportTests.SampleReport();
        var commands = CommandStepReportTests.Result();
        var leaky = sample.Results[0] with
        {
            StaticAnalysis = new StaticAnalysisResult([], [new DisabledRule("RV512", "see " + url)], [new NotUnderstoodStatement("rollback.sql", 1, $"ALTER ROLE app PASSWORD '{Password}'", "not analysed")], new Dictionary<string, int>()),
            RunAnalysis = new Execution.Analysis.RunAnalysis(
                [new StatementRun(1, 1, "rollback.sql", $"ALTER ROLE app PASSWORD '{Password}'", 1, true) { Note = "via " + url }],
                new AtomicityReport("sample", 8, null, 1, [new AtomicityPoint(1, 1, $"ALTER ROLE app PASSWORD '{Password}'", AtomicityState.HalfApplied, [url], [])], 1, null)),
            Checklist = sample.Results[0].Checklist! with { Checklist = sample.Results[0].Checklist!.Checklist with { Notes = [new ChecklistNote("public.customers", "ask " + url)] } },
            ReviewPrompt = "connect with " + url,
            CommandSteps = [commands.CommandSteps[0] with { Command = $"alembic -x url={url} upgrade", Output = "using " + url + "\n" }],
            IgnoredTables = [new IgnoredTable("public.alembic_version", "from " + url, "history-table")],
        };
        var html = HtmlReportWriter.Render(sample with { Results = [leaky] });
        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Not.Contain(Password).And.Not.Contain("s3cr3t"));
            Assert.That(html, Does.Contain("db:5432/prod"), "the rest of the value survives");
            Assert.That(Parser.ParseDocument(html).QuerySelectorAll("details.static, details.atomicity, details.prompt, details.command, ul.notes, ul.ignored"), Has.Length.EqualTo(6));
        });
    }
}
