using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using RollbackVerifier.Execution;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;

namespace RollbackVerifier.Reporting;

/// <summary>
/// JUnit XML for CI test reporters (GitHub, GitLab, Jenkins, Azure DevOps): one test case per scenario and engine,
/// in a test suite per engine. A case fails when the scenario does not meet its expectation (a rollback that loses
/// data fails unless the scenario expects it); a broken scenario is an error, an engine that did not run is skipped.
/// The findings go into the failure text and, for every case, into system-out, with the seed and the reproduce
/// command. Secrets are masked (<see cref="Secrets"/>).
/// </summary>
public static class JUnitReportWriter
{
    public static string Render(VerificationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var suites = report.Results
            .GroupBy(r => r.Engine)
            .OrderBy(g => g.Key)
            .Select(g => Suite($"rollback-verifier.{g.Key.ToName()}", g.ToList(), report.StartedAt))
            .ToList();
        var root = new XElement(
            "testsuites",
            new XAttribute("name", "rollback-verifier " + report.ToolVersion),
            Counts(report.Results),
            new XAttribute("time", Seconds(report.Duration)),
            suites);
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, settings))
        {
            new XDocument(new XDeclaration("1.0", "utf-8", null), root).Save(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    public static async Task WriteAsync(VerificationReport report, string path, CancellationToken cancellationToken) =>
        await File.WriteAllTextAsync(path, Render(report), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);

    private static XElement Suite(string name, IReadOnlyList<ScenarioResult> results, DateTimeOffset started) =>
        new(
            "testsuite",
            new XAttribute("name", name),
            Counts(results),
            new XAttribute("time", Seconds(results.Aggregate(TimeSpan.Zero, (sum, r) => sum + r.Duration))),
            new XAttribute("timestamp", started.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)),
            results.Select(Case));

    private static IEnumerable<XAttribute> Counts(IReadOnlyList<ScenarioResult> results) =>
    [
        new XAttribute("tests", results.Count),
        new XAttribute("failures", results.Count(r => Outcome(r) == "failure")),
        new XAttribute("errors", results.Count(r => Outcome(r) == "error")),
        new XAttribute("skipped", results.Count(r => Outcome(r) == "skipped")),
    ];

    /// <summary>failure, error, skipped or pass.</summary>
    private static string Outcome(ScenarioResult r) =>
        r.Verdict == Verdict.NotRun && r.MeetsExpectation ? "skipped"
        : r.MeetsExpectation ? "pass"
        : r.Verdict is Verdict.Broken or Verdict.NotRun ? "error"
        : "failure";

    private static XElement Case(ScenarioResult r)
    {
        var element = new XElement(
            "testcase",
            new XAttribute("classname", $"rollback-verifier.{r.Engine.ToName()}"),
            new XAttribute("name", Clean(r.Scenario)),
            new XAttribute("file", Clean(r.Directory)),
            new XAttribute("time", Seconds(r.Duration)));
        var outcome = Outcome(r);
        var summary = Summary(r);
        switch (outcome)
        {
            case "skipped":
                element.Add(new XElement("skipped", new XAttribute("message", Clean(r.Reason ?? "not run"))));
                break;
            case "failure":
            case "error":
                element.Add(new XElement(
                    outcome,
                    new XAttribute("message", Clean(Headline(r))),
                    new XAttribute("type", r.Verdict.ToKebab()),
                    Clean(summary)));
                break;
        }

        element.Add(new XElement("system-out", Clean(summary)));
        return element;
    }

    private static string Headline(ScenarioResult r)
    {
        var errors = r.Findings.Count(f => f.Severity == Severity.Error && f.AcceptedReason is null);
        var problems = r.ExpectationProblems.Count > 0 ? string.Join("; ", r.ExpectationProblems) : null;
        return $"{r.Verdict.ToKebab()}: {errors} error finding{(errors == 1 ? "" : "s")}"
            + (r.Reason is { Length: > 0 } reason ? $"; {reason}" : string.Empty)
            + (problems is null ? string.Empty : $" ({problems})");
    }

    /// <summary>Plain text a CI log shows well: verdict, expectation problems, the failing statement, every finding with its evidence.</summary>
    private static string Summary(ScenarioResult r)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{r.Scenario} on {r.Engine.ToName()}{(r.ServerVersion is { } v ? $" ({v})" : string.Empty)}: {r.Verdict.ToKebab()}\n");
        if (r.Reason is { Length: > 0 } reason)
        {
            text.Append(CultureInfo.InvariantCulture, $"reason: {reason}\n");
        }

        foreach (var problem in r.ExpectationProblems)
        {
            text.Append(CultureInfo.InvariantCulture, $"expectation: {problem}\n");
        }

        if (r.FailedStatement is { } failed)
        {
            text.Append(CultureInfo.InvariantCulture, $"failed statement: {failed.Phase.ToString().ToLowerInvariant()} {Path.GetFileName(failed.File)}:{failed.Line}: {failed.Text}\n  -> {failed.ErrorCode} {failed.ErrorMessage}\n");
        }

        foreach (var f in r.Findings)
        {
            text.Append(CultureInfo.InvariantCulture, $"{f.Code} {f.Name} [{f.Severity.ToString().ToLowerInvariant()}] {f.Object}: {f.Message}\n");
            if (f.Before is not null || f.After is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"    before: {f.Before ?? "-"}\n    after:  {f.After ?? "-"}\n");
            }

            if (f.Evidence.Count is { } count)
            {
                text.Append(CultureInfo.InvariantCulture, $"    count: {count}\n");
            }

            if (f.Evidence.SampleKeys.Count > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"    sample keys: {string.Join(", ", f.Evidence.SampleKeys)}\n");
            }

            if (f.AcceptedReason is { } accepted)
            {
                text.Append(CultureInfo.InvariantCulture, $"    accepted: {accepted}\n");
            }
        }

        foreach (var seed in r.Seeding.Where(s => s.Attacks.Count > 0))
        {
            text.Append(CultureInfo.InvariantCulture, $"live rows against the old schema in {seed.Table}: {string.Join("; ", seed.Attacks)}\n");
        }

        if (r.Seed is { } seedValue)
        {
            text.Append(CultureInfo.InvariantCulture, $"seed: {seedValue}\n");
        }

        if (r.Reproduce is { } reproduce)
        {
            text.Append(CultureInfo.InvariantCulture, $"reproduce: {reproduce}\n");
        }

        return text.ToString();
    }

    /// <summary>Secrets masked; characters XML 1.0 cannot carry (control characters from odd data) replaced. All data passes here.</summary>
    private static string Clean(string text)
    {
        text = Secrets.Redact(text);
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(XmlConvert.IsXmlChar(c) || char.IsSurrogate(c) ? c : '\uFFFD');
        }

        return builder.ToString();
    }

    private static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
}
