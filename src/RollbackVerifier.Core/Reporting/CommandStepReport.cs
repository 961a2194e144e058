using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using RollbackVerifier.Execution.Commands;

namespace RollbackVerifier.Reporting;

/// <summary>How command steps and left-out tables appear in the JSON and Markdown reports (docs/report-json.md, docs/command-steps.md).</summary>
public static class CommandStepReport
{
    /// <summary>True when <paramref name="failure"/> is a command step's (its file is the scenario.yml that declares the command).</summary>
    public static bool IsCommand(StatementFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.File.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || failure.File.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Writes <c>commandSteps</c> and <c>ignoredTables</c> into a result object of the JSON report.</summary>
    public static void WriteJson(Utf8JsonWriter json, ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(result);
        json.WriteStartArray("commandSteps");
        foreach (var step in result.CommandSteps)
        {
            json.WriteStartObject();
            json.WriteString("phase", step.Phase.ToString().ToLowerInvariant());
            json.WriteString("command", step.Command);
            json.WriteBoolean("shell", step.Shell);
            json.WriteString("workdir", step.WorkingDirectory);
            json.WriteString("location", step.Location);
            JsonWriting.Number(json, "exitCode", step.ExitCode);

            json.WriteBoolean("timedOut", step.TimedOut);
            json.WriteNumber("timeoutMs", (long)step.Timeout.TotalMilliseconds);
            json.WriteNumber("durationMs", Math.Round(step.Duration.TotalMilliseconds, 1, MidpointRounding.AwayFromZero));
            json.WriteString("output", step.Output);
            json.WriteBoolean("outputTruncated", step.OutputTruncated);
            json.WriteNumber("outputLines", step.OutputLines);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("ignoredTables");
        foreach (var table in result.IgnoredTables)
        {
            json.WriteStartObject();
            json.WriteString("table", table.Table);
            json.WriteString("reason", table.Reason);
            json.WriteString("source", table.Source);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>Appends a "Not compared" line and one collapsed block per command step with its output.</summary>
    public static void WriteMarkdown(StringBuilder md, ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(md);
        ArgumentNullException.ThrowIfNull(result);
        if (result.IgnoredTables.Count > 0)
        {
            md.Append("\n").Append(NotComparedIntro).Append(":\n\n");
            foreach (var table in result.IgnoredTables)
            {
                md.Append(CultureInfo.InvariantCulture, $"- `{table.Table}`: {table.Reason}\n");
            }
        }

        if (result.CommandSteps.Count == 0)
        {
            return;
        }

        md.Append("\nCommand steps:\n");
        foreach (var step in result.CommandSteps)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"\n<details><summary>{step.Phase.ToString().ToLowerInvariant()}: <code>{WebUtility.HtmlEncode(step.Command)}</code> ({WebUtility.HtmlEncode(step.Location)}) {Outcome(step)}</summary>\n\n");
            var fence = MarkdownFence.For(step.Output);
            md.Append(fence).Append("text\n").Append(step.Output.Length == 0 ? "(no output)\n" : step.Output);
            if (!step.Output.EndsWith('\n') && step.Output.Length > 0)
            {
                md.Append('\n');
            }

            md.Append(fence).Append("\n\n</details>\n");
        }
    }

    /// <summary>The sentence that introduces the tables left out.</summary>
    internal const string NotComparedIntro = "Not compared (left out of seeding and comparison)";

    /// <summary>"exited with 0 in 0.8 s, 12 lines" or "stopped after 30s (timeout) in 30.0 s, 20000 lines, output shortened".</summary>
    internal static string Outcome(CommandStepRun step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var ending = step.TimedOut ? $"stopped after {Durations.Format(step.Timeout)} (timeout)" : $"exited with {step.ExitCode}";
        var truncated = step.OutputTruncated ? ", output shortened" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{ending} in {step.Duration.TotalSeconds:0.0} s, {step.OutputLines} lines{truncated}");
    }
}
