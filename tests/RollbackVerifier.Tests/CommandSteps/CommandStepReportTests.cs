using System.Text;
using System.Text.Json;
using RollbackVerifier.Diffing;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios;
using RollbackVerifier.Tests.Diffing;
using RollbackVerifier.Tests.Reporting;

namespace RollbackVerifier.Tests.CommandSteps;

/// <summary>Command steps and left-out tables in the JSON and Markdown reports, and the filter that leaves tables out.</summary>
public sealed class CommandStepReportTests
{
    internal static ScenarioResult Result()
    {
        var baseline = JsonReportWriterTests.SampleReport().Results[0];
        return baseline with
        {
            CommandSteps =
            [
                new CommandStepRun(Phase.Forward, "alembic upgrade +1", true, "/app", "scenario.yml:4", 0, false, TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(812.34), "INFO  [alembic] Running upgrade a1 -> b2\n", false, 1),
                new CommandStepRun(Phase.Rollback, "alembic downgrade -1", false, "/app", "scenario.yml:7", null, true, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), "a ``` fence in the output <b>\n[rollback-verifier] timed out after 30s\n", true, 20000),
            ],
            IgnoredTables = [new IgnoredTable("public.alembic_version", "Alembic migration history: bookkeeping of the migration tool, which its rollback updates", "history-table")],
        };
    }

    [Test]
    public void Json_carries_every_command_step_field_and_each_is_documented()
    {
        var report = new VerificationReport("0.1.0", DateTimeOffset.UnixEpoch, TimeSpan.Zero, [Result()]);
        using var json = JsonDocument.Parse(JsonReportWriter.Render(report));
        var result = json.RootElement.GetProperty("results")[0];
        var rollback = result.GetProperty("commandSteps")[1];
        Assert.Multiple(() =>
        {
            Assert.That(rollback.GetProperty("phase").GetString(), Is.EqualTo("rollback"));
            Assert.That(rollback.GetProperty("exitCode").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(rollback.GetProperty("timedOut").GetBoolean(), Is.True);
            Assert.That(rollback.GetProperty("timeoutMs").GetInt64(), Is.EqualTo(30_000));
            Assert.That(rollback.GetProperty("outputTruncated").GetBoolean(), Is.True);
            Assert.That(result.GetProperty("commandSteps")[0].GetProperty("durationMs").GetDouble(), Is.EqualTo(812.3));
            Assert.That(result.GetProperty("ignoredTables")[0].GetProperty("source").GetString(), Is.EqualTo("history-table"));
        });

        var doc = File.ReadAllText(RepoFiles.Path("docs/report-json.md"));
        var names = result.GetProperty("commandSteps")[0].EnumerateObject().Select(p => p.Name)
            .Concat(result.GetProperty("ignoredTables")[0].EnumerateObject().Select(p => p.Name));
        Assert.That(names.Where(n => !doc.Contains($"`{n}`", StringComparison.Ordinal)), Is.Empty, "properties missing from docs/report-json.md");
    }

    [Test]
    public void Markdown_shows_a_collapsed_block_per_step_that_its_output_cannot_break()
    {
        var md = MarkdownReportWriter.Render(new VerificationReport("0.1.0", DateTimeOffset.UnixEpoch, TimeSpan.Zero, [Result()]));
        Assert.Multiple(() =>
        {
            Assert.That(md, Does.Contain("<details><summary>forward: <code>alembic upgrade +1</code> (scenario.yml:4) exited with 0 in 0.8 s, 1 lines</summary>"));
            Assert.That(md, Does.Contain("<summary>rollback: <code>alembic downgrade -1</code> (scenario.yml:7) stopped after 30s (timeout) in 30.0 s, 20000 lines, output shortened</summary>"));
            Assert.That(md, Does.Contain("````text\na ``` fence in the output <b>\n"), "a fence longer than the output's own backticks");
            Assert.That(md, Does.Contain("- `public.alembic_version`: Alembic migration history"));
            Assert.That(md.Split("</details>").Length - 1, Is.EqualTo(2));
        });
    }

    [Test]
    public void Filter_leaves_out_history_and_named_tables_with_their_triggers_and_sequences()
    {
        var schema = new SnapshotBuilder()
            .Table("public.customers", t => t.Column("id"))
            .Table("public.django_migrations", t => t.Column("id"))
            .Table("public.audit_log", t => t.Column("id"))
            .Sequence("public.django_migrations_id_seq", ownedBy: "public.django_migrations.id")
            .Sequence("public.customers_id_seq", ownedBy: "public.customers.id")
            .Trigger("public.audit_log", "audit_touch")
            .Build();
        var filter = new ComparisonFilter(new CompareSettings([new IgnoredTableRule("audit_log", "written by triggers")], true));
        var left = filter.Apply(schema);
        Assert.Multiple(() =>
        {
            Assert.That(left.Tables.Select(t => t.Name.ToString()), Is.EqualTo(new[] { "public.customers" }));
            Assert.That(left.Sequences.Select(s => s.Name.ToString()), Is.EqualTo(new[] { "public.customers_id_seq" }));
            Assert.That(left.Triggers, Is.Empty);
            Assert.That(filter.Ignored.Select(i => (i.Table, i.Source)), Is.EqualTo(new[] { ("public.audit_log", "scenario"), ("public.django_migrations", "history-table") }));
        });

        var compareAll = new ComparisonFilter(CompareSettings.Default with { IgnoreHistoryTables = false });
        Assert.That(compareAll.Apply(schema), Is.SameAs(schema));
        Assert.That(new ComparisonFilter(CompareSettings.Default).Apply(new SnapshotBuilder().Table("__EFMigrationsHistory", t => t.Column("MigrationId", "TEXT", TypeFamily.Text)).Build()).Tables, Is.Empty, "MySQL and SQLite names are unqualified");
    }

    [Test]
    public void Markdown_without_command_steps_is_unchanged()
    {
        var plain = JsonReportWriterTests.SampleReport();
        var md = new StringBuilder();
        CommandStepReport.WriteMarkdown(md, plain.Results[0]);
        Assert.That(md.ToString(), Is.Empty);
    }
}
