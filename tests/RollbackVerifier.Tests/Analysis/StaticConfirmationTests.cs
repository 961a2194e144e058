using RollbackVerifier.Analysis;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Tests.Analysis;

/// <summary>Static findings matched with what a run showed: confirmed, not observed, refuted, not reached, not checked.</summary>
[TestFixture]
public sealed class StaticConfirmationTests
{
    private const string Baseline = "CREATE TABLE customers (id int PRIMARY KEY, nickname text, email text NOT NULL);";

    private static (Finding Finding, ConfirmationStatus Status) Confirm(string code, string forward, string rollback, RunEvidence run)
    {
        var analysis = StaticLint.Analyze(EngineKind.Postgres, forward, rollback, Baseline);
        var confirmed = StaticAnalyzer.Confirm(analysis, run);
        var index = confirmed.Findings.ToList().FindIndex(f => f.Code == code);
        Assert.That(index, Is.GreaterThanOrEqualTo(0), $"{code} reported");
        return (confirmed.Findings[index], confirmed.Confirmations[index]);
    }

    private static RunEvidence Run(params Finding[] findings) => new(findings, null, true, []);

    [Test]
    public void A_destructive_drop_is_confirmed_by_the_values_the_run_lost()
    {
        var lost = Finding.Create(FindingCodes.DroppedDataNotRestored, "public.customers.nickname", "4812 values lost.", evidence: Evidence.Counted(4812));

        var (finding, status) = Confirm("RV501", "ALTER TABLE customers ADD COLUMN x int;", "ALTER TABLE customers DROP COLUMN nickname;", Run(lost));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(ConfirmationStatus.Confirmed));
            Assert.That(finding.Message, Does.EndWith("(Confirmed: 4,812 values lost (RV304 on public.customers.nickname).)"));
            Assert.That(finding.Evidence.Details["confirmation"], Is.EqualTo("confirmed"));
            Assert.That(finding.Evidence.Details["confirmationDetail"], Is.EqualTo("confirmed: 4,812 values lost (RV304 on public.customers.nickname)"));
        });
    }

    [Test]
    public void A_loss_on_another_object_does_not_confirm()
    {
        var elsewhere = Finding.Create(FindingCodes.DroppedDataNotRestored, "public.orders.nickname", "Lost.", evidence: Evidence.Counted(3));

        var (finding, status) = Confirm("RV501", "ALTER TABLE customers ADD COLUMN x int;", "ALTER TABLE customers DROP COLUMN nickname;", Run(elsewhere));

        Assert.That((status, finding.Evidence.Details["confirmationDetail"]), Is.EqualTo((ConfirmationStatus.NotObserved, "not observed in this run: the data comparison found no rows or values lost there")));
    }

    [Test]
    public void A_statement_the_rollback_never_reached_is_not_reached()
    {
        var failure = new StatementFailure(Phase.Rollback, "/s/rollback.postgres.sql", 1, 1, "SELECT boom()", "42883", "no such function");

        var (_, status) = Confirm("RV501", "ALTER TABLE customers ADD COLUMN x int;", "SELECT boom();\nALTER TABLE customers DROP COLUMN nickname;", new RunEvidence([], failure, true, []));

        Assert.That(status, Is.EqualTo(ConfirmationStatus.NotReached));
    }

    [Test]
    public void A_restored_NOT_NULL_is_confirmed_when_that_statement_failed()
    {
        var failure = new StatementFailure(Phase.Rollback, "/s/rollback.postgres.sql", 2, 2, "ALTER TABLE customers ALTER COLUMN email SET NOT NULL", "23502", "column \"email\" contains null values");

        var (finding, status) = Confirm("RV505", "ALTER TABLE customers ALTER COLUMN email DROP NOT NULL;", "SET lock_timeout = '1s';\nALTER TABLE customers ALTER COLUMN email SET NOT NULL;", new RunEvidence([], failure, true, []));

        Assert.That((status, finding.Evidence.Details["confirmationDetail"]), Is.EqualTo((ConfirmationStatus.Confirmed, "confirmed: statement 2 (line 2) failed with 23502: column \"email\" contains null values")));
    }

    [Test]
    public void A_coverage_finding_is_refuted_when_the_schema_came_back()
    {
        var (_, refuted) = Confirm("RV502", "CREATE INDEX customers_email_idx ON customers (email);", "SELECT 1;", Run());
        var (_, confirmed) = Confirm("RV502", "CREATE INDEX customers_email_idx ON customers (email);", "SELECT 1;", Run(Finding.Create(FindingCodes.IndexExtra, "customers (index customers_email_idx)", "Left.", before: "none")));

        Assert.That((refuted, confirmed), Is.EqualTo((ConfirmationStatus.Refuted, ConfirmationStatus.Confirmed)));
    }

    [Test]
    public void Lock_findings_wait_for_a_run_analysis_and_confirm_from_its_observations()
    {
        const string forward = "ALTER TABLE customers ADD COLUMN x int;";
        const string rollback = "ALTER TABLE customers DROP COLUMN x;";
        var (_, unmeasured) = Confirm("RV512", forward, rollback, Run());
        var observed = new RunEvidence([], null, true, [new RunObservation("lock", "public.customers", 1, "AccessExclusiveLock held 1.2 s")]);
        var (finding, measured) = Confirm("RV512", forward, rollback, observed);

        Assert.Multiple(() =>
        {
            Assert.That(unmeasured, Is.EqualTo(ConfirmationStatus.NotChecked));
            Assert.That(measured, Is.EqualTo(ConfirmationStatus.Confirmed));
            Assert.That(finding.Evidence.Details["confirmationDetail"], Is.EqualTo("confirmed: AccessExclusiveLock held 1.2 s (public.customers)"));
        });
    }

    [Test]
    public void A_half_applied_rollback_confirms_the_atomicity_finding()
    {
        var partial = Finding.Create(FindingCodes.PartialApplication, "rollback.postgres.sql", "1 of 2 rollback statements stayed applied before statement 2 failed; the database is half rolled back.");

        var (_, status) = Confirm("RV511", "ALTER TABLE customers ADD COLUMN a int;\nALTER TABLE customers ADD COLUMN b int;", "ALTER TABLE customers DROP COLUMN a;\nALTER TABLE customers DROP COLUMN b;", Run(partial));
        var (_, quiet) = Confirm("RV511", "ALTER TABLE customers ADD COLUMN a int;\nALTER TABLE customers ADD COLUMN b int;", "ALTER TABLE customers DROP COLUMN a;\nALTER TABLE customers DROP COLUMN b;", Run());

        Assert.That((status, quiet), Is.EqualTo((ConfirmationStatus.Confirmed, ConfirmationStatus.NotObserved)));
    }

    [Test]
    public void Expect_absent_reports_every_pattern_a_finding_matches()
    {
        var findings = new[] { Finding.Create(FindingCodes.LockTimeoutMissing, "customers", "No lock_timeout.") };
        var expect = ScenarioExpectation.None with { Absent = ["RV5xx", "RV51x", "RV512", "RV501", "RV2xx"] };

        var problems = AbsentFindings.Check(expect, findings).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(problems, Has.Count.EqualTo(3));
            Assert.That(problems[0], Does.StartWith("expected no RV5xx finding, but 1 was reported, first RV512 on customers"));
            Assert.That(AbsentFindings.Matches("RV5xx", "RV6xx".Replace("x", "0", StringComparison.Ordinal)), Is.False);
            Assert.That(Execution.Verdicts.CheckExpectation(expect, Execution.Verdict.Pass, findings), Has.Count.EqualTo(3), "CheckExpectation includes them");
        });
    }
}
