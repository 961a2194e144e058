using System.Text.Json;
using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Analysis;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using RollbackVerifier.Tests.Reporting;

namespace RollbackVerifier.Tests.RunAnalysis;

/// <summary>
/// The run analysis in the JSON and Markdown reports, on a hand-built result holding every field: compared with
/// fixtures/golden/run-analysis.json and .md (RV_UPDATE_GOLDEN=1 rewrites them), and documented in docs/report-json.md.
/// </summary>
public sealed class RunAnalysisReportTests
{
    [Test]
    public void Json_matches_the_golden_file() =>
        GoldenFile.AssertMatches("fixtures/golden/run-analysis.json", JsonReportWriter.Render(Report()));

    [Test]
    public void Markdown_matches_the_golden_file() =>
        GoldenFile.AssertMatches("fixtures/golden/run-analysis.md", MarkdownReportWriter.Render(Report()));

    [Test]
    public void Every_run_analysis_property_is_documented()
    {
        var doc = File.ReadAllText(RepoFiles.Path("docs/report-json.md"));
        using var json = JsonDocument.Parse(JsonReportWriter.Render(Report()));
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var result in json.RootElement.GetProperty("results").EnumerateArray())
        {
            Collect(result.GetProperty("runAnalysis"), names);
        }

        Assert.That(names, Has.Count.GreaterThan(30));
        Assert.That(names.Where(n => !doc.Contains($"`{n}`", StringComparison.Ordinal)), Is.Empty, "run analysis properties missing from docs/report-json.md");
    }

    [Test]
    public void A_result_without_analysis_has_a_null_run_analysis()
    {
        using var json = JsonDocument.Parse(JsonReportWriter.Render(Report() with { Results = [Result("x", EngineKind.Sqlite, null)] }));
        Assert.That(json.RootElement.GetProperty("results")[0].GetProperty("runAnalysis").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(MarkdownReportWriter.Render(Report() with { Results = [Result("x", EngineKind.Sqlite, null)] }), Does.Not.Contain("How the rollback runs"));
    }

    private static void Collect(JsonElement element, ISet<string> names)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    names.Add(property.Name);
                    Collect(property.Value, names);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, names);
                }

                break;
        }
    }

    internal static VerificationReport Report() => new(
        "0.1.0",
        new DateTimeOffset(2026, 11, 25, 7, 0, 0, TimeSpan.Zero),
        TimeSpan.FromSeconds(4),
        [Result("drop-index-in-a-transaction", EngineKind.Postgres, Postgres()), Result("alter-orders", EngineKind.MySql, MySql())]);

    internal static ScenarioResult Result(string name, EngineKind engine, Execution.Analysis.RunAnalysis? analysis)
    {
        var findings = analysis is null ? [] : FindingOrder.Sort(
            RunAnalysisFindings.ForStatements(analysis.Statements, [], "rollback.sql")
                .Concat(analysis.Atomicity is { } a ? RunAnalysisFindings.ForAtomicity(a, [], "rollback.sql") : []));
        return new ScenarioResult(name, "/repo/scenarios/" + name, engine, engine == EngineKind.Postgres ? "PostgreSQL 15.8" : "MariaDB 10.11.6",
            Verdicts.FromFindings(findings), true, [], findings, null, [new PhaseTiming("rollback", TimeSpan.FromMilliseconds(12.5)), new PhaseTiming("analysis", TimeSpan.FromMilliseconds(640))], null, [])
        {
            RunAnalysis = analysis,
        };
    }

    private static Execution.Analysis.RunAnalysis Postgres() => new(
        [
            new StatementRun(1, 1, "rollback.sql", "BEGIN", 0.2, true),
            new StatementRun(2, 2, "rollback.sql", "DROP INDEX orders_customer_idx", 1.4, true)
            {
                Locks =
                [
                    new RelationLock("public.orders", "table", "public.orders", "ACCESS EXCLUSIVE", true, true, true, 312.4, 4, "commit (statement 4)", "observed") { Rows = 1200 },
                    new RelationLock("public.orders_customer_idx", "index", "public.orders", "ACCESS EXCLUSIVE", true, true, true, 312.4, 4, "commit (statement 4)", "observed") { Rows = 1200 },
                ],
            },
            new StatementRun(3, 3, "rollback.sql", "UPDATE orders SET total = round(total, 1)", 309.8, true)
            {
                Locks = [new RelationLock("public.orders_pkey", "index", "public.orders", "ROW EXCLUSIVE", false, false, true, 310.9, 4, "commit (statement 4)", "observed") { Rows = 1200 }],
                Tables = [new TableWork("public.orders", false, 1200, 1200)],
            },
            new StatementRun(4, 4, "rollback.sql", "COMMIT", 1.1, true),
            new StatementRun(5, 5, "rollback.sql", "DROP INDEX CONCURRENTLY orders_total_idx", 8.3, false)
            {
                Locks = [new RelationLock("public.orders", "table", "public.orders", "SHARE UPDATE EXCLUSIVE", false, false, true, 8.3, null, "statement end", "documented") { Rows = 1200 }],
                Note = "not wrapped in a transaction (it cannot run in one, or manages its own): locks sampled every few ms",
            },
        ],
        new AtomicityReport("sample", 8, "CREATE DATABASE ... TEMPLATE (a file-level copy on the same server)", 3,
        [
            new AtomicityPoint(2, 2, "DROP INDEX orders_customer_idx", AtomicityState.Unchanged, [], []),
            new AtomicityPoint(3, 3, "UPDATE orders SET total = round(total, 1)", AtomicityState.Unchanged, [], []),
            new AtomicityPoint(4, 4, "COMMIT", AtomicityState.HalfApplied, ["public.orders (index orders_customer_idx) dropped", "rows of public.orders changed (1200 row values gone, 1200 new; 1200 -> 1200 rows)"], ["public.orders (index orders_total_idx) dropped"]),
        ], 640, null));

    private static Execution.Analysis.RunAnalysis MySql() => new(
        [
            new StatementRun(1, 1, "rollback.sql", "ALTER TABLE orders MODIFY total DECIMAL(12, 2) NOT NULL", 84.2, false) { Alter = new AlterAlgorithm("orders", "copy", true, 1200, "tried", "Cannot change column type") { Rows = 1200 } },
            new StatementRun(2, 2, "rollback.sql", "ALTER TABLE orders ADD INDEX orders_customer_idx (customer_id)", 21.7, false) { Alter = new AlterAlgorithm("orders", "inplace", false, 0, "tried", "ADD INDEX") { Rows = 1200 } },
            new StatementRun(3, 3, "rollback.sql", "ALTER TABLE orders DROP COLUMN extra", 3.1, false) { Alter = new AlterAlgorithm("orders", "instant", false, 0, "tried", null) { Rows = 1200 } },
            new StatementRun(4, 4, "rollback.sql", "DROP INDEX orders_total_idx ON orders", 2.9, false) { Alter = new AlterAlgorithm("orders", "inplace", null, 0, "observed", null) { Rows = 1200 } },
        ],
        new AtomicityReport("sample", 8, "SQL copy on the same server", 3, [], 0, "the copy of the pre-rollback database differs from it: table orders_archive dropped"));
}
