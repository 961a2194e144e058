using System.Text.Json;
using RollbackVerifier.Reporting;

namespace RollbackVerifier.Preflight;

/// <summary>The <c>checklist</c> field of a result in the JSON report (docs/report-json.md).</summary>
public static class ChecklistJson
{
    /// <summary>Writes <c>"checklist": {...}</c>, or <c>null</c> when the run has none.</summary>
    public static void Write(Utf8JsonWriter json, ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Checklist is not { } run)
        {
            json.WriteNull("checklist");
            return;
        }

        var checklist = run.Checklist;
        json.WriteStartObject("checklist");
        json.WriteString("file", ChecklistFile.FileName(checklist.Engine));
        json.WriteString("serverVersion", checklist.ServerVersion);
        json.WriteStartArray("checks");
        foreach (var check in checklist.Checks)
        {
            json.WriteStartObject();
            json.WriteString("id", check.Id);
            json.WriteString("kind", check.Kind.ToKebab());
            json.WriteString("table", check.Table);
            json.WriteString("object", check.Object);
            json.WriteString("effect", check.Effect.ToString().ToLowerInvariant());
            json.WriteString("counts", check.Counts);
            json.WriteString("what", check.What);
            json.WriteString("why", check.Why);
            json.WriteString("ifNotZero", check.IfNotZero);
            json.WriteString("sql", check.Sql);
            JsonWriting.Strings(json, "attacks", check.Attacks);
            json.WriteStartObject("testDatabase");
            var outcome = run.CountOf(check.Id);
            JsonWriting.Number(json, "count", outcome?.Count);

            JsonWriting.Strings(json, "sampleKeys", outcome?.SampleKeys ?? []);
            json.WriteString("error", outcome?.Error);
            json.WriteEndObject();
            JsonWriting.Strings(json, "evidence", run.Evidence.TryGetValue(check.Id, out var evidence) ? evidence : []);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("notes");
        foreach (var note in checklist.Notes)
        {
            json.WriteStartObject();
            json.WriteString("object", note.Object);
            json.WriteString("text", note.Text);
            json.WriteBoolean("irreversible", note.Irreversible);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
