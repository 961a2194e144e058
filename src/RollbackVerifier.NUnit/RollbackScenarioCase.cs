using System.Globalization;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.NUnit;

/// <summary>
/// One scenario on one engine: the argument of a test built by <see cref="RollbackScenariosAttribute"/>. Call <see cref="VerifyAsync"/> in the test body.
/// </summary>
public sealed class RollbackScenarioCase
{
    internal RollbackScenarioCase(Scenario scenario, EngineKind engine, string displayName)
    {
        Scenario = scenario;
        Engine = engine;
        DisplayName = displayName;
    }

    /// <summary>The scenario as loaded from its folder.</summary>
    public Scenario Scenario { get; }

    /// <summary>The engine this case runs on.</summary>
    public EngineKind Engine { get; }

    /// <summary>The scenario's name as shown in test names (its path relative to the scenarios folder when names repeat).</summary>
    public string DisplayName { get; }

    /// <summary>Runs the scenario on the run's shared engine and returns the result without asserting anything.</summary>
    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var engine = RollbackVerifierSession.Shared.GetEngine(Engine);
        return await new ScenarioRunner().RunAsync(Scenario, Engine, engine, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the scenario, attaches its Markdown, JSON and HTML reports to the test result, and fails the test with the findings
    /// when the scenario does not meet its expectation (scenario.yml <c>expect:</c>; by default a pass with no
    /// unaccepted error). An engine that cannot start fails the test in CI (<c>CI=true</c> or
    /// <c>RV_REQUIRE_ENGINES=true</c>) and is ignored with the reason elsewhere.
    /// </summary>
    public async Task VerifyAsync(CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(cancellationToken).ConfigureAwait(false);
        if (result.Verdict == Verdict.NotRun)
        {
            var message = Secrets.Redact($"{Engine.ToName()} is not available: {result.Reason}");
            if (RollbackVerifierSession.EnginesRequired)
            {
                Assert.Fail(message + " (engines are required: CI=true or RV_REQUIRE_ENGINES=true)");
            }

            Assert.Ignore(message);
        }

        var reports = await WriteReportsAsync(result, cancellationToken).ConfigureAwait(false);
        if (!result.MeetsExpectation)
        {
            Assert.Fail(FailureMessage.For(result, Scenario, reports.Markdown));
        }
    }

    /// <summary>Writes this result's reports under the session's report folder and attaches them to the current test.</summary>
    private async Task<(string Markdown, string Json)> WriteReportsAsync(ScenarioResult result, CancellationToken cancellationToken)
    {
        var folder = RollbackVerifierSession.ReportDirectory();
        Directory.CreateDirectory(folder);
        var stem = Path.Combine(folder, FileStem(DisplayName) + "." + Engine.ToName());
        var report = new VerificationReport(RollbackVerifierSession.ToolVersion, DateTimeOffset.UtcNow - result.Duration, result.Duration, [result]);
        report = RollbackVerifierSession.ReviewPromptRequested ? Preflight.ReviewPrompt.Attach(report) : report;
        await Preflight.ChecklistFile.WriteAllAsync(report, folder, cancellationToken).ConfigureAwait(false);
        var markdown = stem + ".md";
        var json = stem + ".json";
        await MarkdownReportWriter.WriteAsync(report, markdown, cancellationToken).ConfigureAwait(false);
        await JsonReportWriter.WriteAsync(report, json, cancellationToken).ConfigureAwait(false);
        await HtmlReportWriter.WriteAsync(report, stem + ".html", cancellationToken).ConfigureAwait(false);
        TestContext.AddTestAttachment(markdown, "RollbackVerifier report (Markdown)");
        TestContext.AddTestAttachment(json, "RollbackVerifier report (JSON)");
        TestContext.AddTestAttachment(stem + ".html", "RollbackVerifier report (HTML)");
        return (markdown, json);
    }

    private static string FileStem(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());

    /// <summary>"scenario on engine", as in test output.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{DisplayName} on {Engine.ToName()}");
}
