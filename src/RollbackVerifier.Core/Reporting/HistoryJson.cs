using System.Globalization;
using System.Text.Json;
using RollbackVerifier.Scenarios.Histories;

namespace RollbackVerifier.Reporting;

/// <summary>How a result's place in a migration history appears in the reports (JSON <c>history</c>, the Markdown heading line).</summary>
internal static class HistoryJson
{
    /// <summary>Writes <c>"history": {...}</c>, or null for a result that is not part of a history.</summary>
    public static void Write(Utf8JsonWriter json, HistoryPosition? history)
    {
        if (history is null)
        {
            json.WriteNull("history");
            return;
        }

        json.WriteStartObject("history");
        json.WriteString("format", history.Format);
        json.WriteString("folder", history.Folder);
        json.WriteString("version", history.Version);
        json.WriteString("migration", history.Migration);
        json.WriteNumber("index", history.Index);
        json.WriteNumber("count", history.Count);
        JsonWriting.Strings(json, "unit", history.Unit);
        json.WriteString("chainStoppedAt", history.ChainStoppedAt);
        json.WriteEndObject();
    }

    /// <summary>"Migration 3 of 8 (version 0003) of the paired history" for the Markdown report.</summary>
    public static string Describe(HistoryPosition h) =>
        string.Create(CultureInfo.InvariantCulture, $"{(h.Unit.Count > 0 ? $"Migrations {h.Index} to {h.Index + h.Unit.Count - 1}" : $"Migration {h.Index}")} of {h.Count} (version {h.Version}) of the {h.Format} history");
}
