using System.Globalization;
using System.Text;
using System.Text.Json;
using RollbackVerifier.Analysis;
using RollbackVerifier.Findings;

namespace RollbackVerifier.Reporting;

/// <summary>The static rules' part of the JSON and Markdown reports (docs/report-json.md, "staticAnalysis").</summary>
public static class StaticAnalysisReport
{
    /// <summary>Writes <c>"staticAnalysis": {...}</c>, or null when the rules did not run.</summary>
    public static void WriteJson(Utf8JsonWriter json, StaticAnalysisResult? analysis)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (analysis is null)
        {
            json.WriteNull("staticAnalysis");
            return;
        }

        json.WriteStartObject("staticAnalysis");
        json.WriteStartObject("statements");
        foreach (var (script, count) in analysis.Statements.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            json.WriteNumber(script, count);
        }

        json.WriteEndObject();
        json.WriteStartObject("confirmations");
        foreach (var status in Enum.GetValues<ConfirmationStatus>())
        {
            json.WriteNumber(StaticAnalyzer.Kebab(status), analysis.Confirmations.Count(c => c == status));
        }

        json.WriteEndObject();
        json.WriteStartArray("disabled");
        foreach (var disabled in analysis.Disabled)
        {
            json.WriteStartObject();
            json.WriteString("code", disabled.Code);
            json.WriteString("name", FindingCodes.Get(disabled.Code).Name);
            json.WriteString("reason", disabled.Reason);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("notUnderstood");
        foreach (var statement in analysis.NotUnderstood)
        {
            json.WriteStartObject();
            json.WriteString("file", statement.File);
            json.WriteNumber("line", statement.Line);
            json.WriteString("statement", statement.Statement);
            json.WriteString("reason", statement.Reason);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>"3 statements read (forward 1, rollback 2)".</summary>
    internal static string StatementsRead(StaticAnalysisResult analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var total = analysis.Statements.Values.Sum();
        var per = string.Join(", ", analysis.Statements.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} {s.Value.ToString(CultureInfo.InvariantCulture)}"));
        return string.Create(CultureInfo.InvariantCulture, $"{total} statement{(total == 1 ? string.Empty : "s")} read{(per.Length == 0 ? string.Empty : $" ({per})")}");
    }

    /// <summary>How the run bore out the rules' findings, zeros left out: "1 confirmed, 2 not-observed"; empty when there were none.</summary>
    internal static string Confirmations(StaticAnalysisResult analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        return string.Join(", ", Enum.GetValues<ConfirmationStatus>()
            .Select(status => (Status: status, Count: analysis.Confirmations.Count(c => c == status)))
            .Where(p => p.Count > 0)
            .Select(p => $"{p.Count.ToString(CultureInfo.InvariantCulture)} {StaticAnalyzer.Kebab(p.Status)}"));
    }

    /// <summary>The name of a disabled rule's code.</summary>
    internal static string RuleName(DisabledRule disabled)
    {
        ArgumentNullException.ThrowIfNull(disabled);
        return FindingCodes.Get(disabled.Code).Name;
    }

    /// <summary>A short Markdown paragraph: disabled rules with their reasons, statements the rules could not read.</summary>
    public static void WriteMarkdown(StringBuilder md, StaticAnalysisResult? analysis)
    {
        ArgumentNullException.ThrowIfNull(md);
        if (analysis is null || (analysis.Disabled.Count == 0 && analysis.NotUnderstood.Count == 0))
        {
            return;
        }

        md.Append("\nStatic rules:\n\n");
        foreach (var disabled in analysis.Disabled)
        {
            md.Append(CultureInfo.InvariantCulture, $"- {disabled.Code} {RuleName(disabled)} disabled: {disabled.Reason}\n");
        }

        foreach (var statement in analysis.NotUnderstood)
        {
            md.Append(CultureInfo.InvariantCulture, $"- not analysed, `{Path.GetFileName(statement.File)}` line {statement.Line} ({statement.Reason}): `{statement.Statement.Replace("`", "'", StringComparison.Ordinal)}`\n");
        }
    }
}
