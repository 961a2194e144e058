using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using RollbackVerifier.Execution;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;

namespace RollbackVerifier.Reporting;

/// <summary>Writes the stable, documented JSON report (docs/report-json.md). Schema version 1; fields are only ever added.</summary>
public static class JsonReportWriter
{
    public const int SchemaVersion = 1;

    /// <summary>
    /// Indented, "\n" line ends, and only the escaping JSON requires: SQL text keeps its quotes and non-ASCII letters
    /// readable (the report is a data file, never embedded in HTML unescaped).
    /// </summary>
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The report as JSON text, ending with a newline. The same report always renders to the same text.</summary>
    public static string Render(VerificationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            Write(json, report);
        }

        // Redacted as tokens, after rendering: fields added later are covered without each one having to remember it.
        return Secrets.RedactJson(Encoding.UTF8.GetString(buffer.ToArray()) + "\n", Options);
    }

    public static async Task WriteAsync(VerificationReport report, string path, CancellationToken cancellationToken) =>
        await File.WriteAllTextAsync(path, Render(report), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);

    private static void Write(Utf8JsonWriter json, VerificationReport report)
    {
        json.WriteStartObject();
        json.WriteNumber("schemaVersion", SchemaVersion);
        json.WriteStartObject("tool");
        json.WriteString("name", "rollback-verifier");
        json.WriteString("version", report.ToolVersion);
        json.WriteEndObject();
        json.WriteString("startedAt", report.StartedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        json.WriteNumber("durationMs", (long)report.Duration.TotalMilliseconds);
        json.WriteBoolean("success", report.Success);
        WriteShard(json, report.Shard);
        json.WriteStartObject("summary");
        json.WriteNumber("total", report.Results.Count);
        json.WriteNumber("passed", report.Results.Count(r => r.Verdict == Verdict.Pass));
        json.WriteNumber("failed", report.Results.Count(r => r.Verdict == Verdict.Fail));
        json.WriteNumber("broken", report.Results.Count(r => r.Verdict == Verdict.Broken));
        json.WriteNumber("nothingTested", report.Results.Count(r => r.Verdict == Verdict.NothingTested));
        json.WriteNumber("notRun", report.Results.Count(r => r.Verdict == Verdict.NotRun));
        json.WriteNumber("unexpected", report.Results.Count(r => !r.MeetsExpectation));
        json.WriteEndObject();
        json.WriteStartArray("results");
        foreach (var result in report.Results)
        {
            WriteResult(json, result);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteShard(Utf8JsonWriter json, Shard? shard)
    {
        if (shard is null)
        {
            json.WriteNull("shard");
            return;
        }

        json.WriteStartObject("shard");
        json.WriteNumber("index", shard.Index);
        json.WriteNumber("count", shard.Count);
        json.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter json, ScenarioResult result)
    {
        json.WriteStartObject();
        json.WriteString("scenario", result.Scenario);
        json.WriteString("directory", result.Directory);
        json.WriteString("engine", result.Engine.ToName());
        json.WriteString("serverVersion", result.ServerVersion);
        json.WriteString("verdict", result.Verdict.ToKebab());
        json.WriteBoolean("meetsExpectation", result.MeetsExpectation);
        JsonWriting.Strings(json, "expectationProblems", result.ExpectationProblems);
        json.WriteString("reason", result.Reason);
        JsonWriting.Number(json, "seed", result.Seed);

        json.WriteString("reproduce", result.Reproduce);
        if (result.FailedStatement is { } f)
        {
            json.WriteStartObject("failedStatement");
            json.WriteString("phase", f.Phase.ToString().ToLowerInvariant());
            json.WriteString("file", f.File);
            json.WriteNumber("number", f.Number);
            json.WriteNumber("line", f.Line);
            json.WriteString("text", f.Text);
            json.WriteString("errorCode", f.ErrorCode);
            json.WriteString("errorMessage", f.ErrorMessage);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("failedStatement");
        }

        json.WriteStartObject("timings");
        // A phase timed twice is summed, so every name appears once; order is the order phases first ran.
        foreach (var phase in result.Timings.GroupBy(t => t.Phase, StringComparer.Ordinal))
        {
            json.WriteNumber(phase.Key, Math.Round(phase.Sum(t => t.Duration.TotalMilliseconds), 1, MidpointRounding.AwayFromZero));
        }

        json.WriteEndObject();
        json.WriteStartArray("seeding");
        foreach (var seed in result.Seeding)
        {
            json.WriteStartObject();
            json.WriteString("table", seed.Table);
            json.WriteString("phase", seed.Phase);
            json.WriteNumber("inserted", seed.Inserted);
            json.WriteNumber("updated", seed.Updated);
            json.WriteNumber("deleted", seed.Deleted);
            json.WriteNumber("skipped", seed.Skipped);
            json.WriteString("skipReason", seed.SkipReason);
            JsonWriting.Strings(json, "attacks", seed.Attacks);
            json.WriteStartArray("adversarial");
            foreach (var attack in seed.Adversarial ?? [])
            {
                json.WriteStartObject();
                json.WriteString("kind", attack.Kind);
                JsonWriting.Strings(json, "columns", attack.Columns);
                json.WriteString("description", attack.Description);
                json.WriteNumber("rows", attack.Rows);
                json.WriteNumber("refused", attack.Refused);
                json.WriteString("refusedReason", attack.RefusedReason);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        HistoryJson.Write(json, result.History);
        StaticAnalysisReport.WriteJson(json, result.StaticAnalysis);
        json.WriteStartArray("findings");
        foreach (var finding in result.Findings)
        {
            WriteFinding(json, finding);
        }

        json.WriteEndArray();
        RunAnalysisJson.Write(json, result.RunAnalysis);
        Preflight.ChecklistJson.Write(json, result);
        CommandStepReport.WriteJson(json, result);
        json.WriteEndObject();
    }

    private static void WriteFinding(Utf8JsonWriter json, Finding finding)
    {
        json.WriteStartObject();
        json.WriteString("code", finding.Code);
        json.WriteString("name", finding.Name);
        json.WriteString("severity", finding.Severity.ToString().ToLowerInvariant());
        json.WriteString("object", finding.Object);
        json.WriteString("message", finding.Message);
        json.WriteString("before", finding.Before);
        json.WriteString("after", finding.After);
        json.WriteStartObject("evidence");
        JsonWriting.Number(json, "count", finding.Evidence.Count);

        JsonWriting.Strings(json, "sampleKeys", finding.Evidence.SampleKeys);
        json.WriteStartObject("details");
        foreach (var (key, value) in finding.Evidence.Details.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteString("acceptedReason", finding.AcceptedReason);
        json.WriteEndObject();
    }
}
