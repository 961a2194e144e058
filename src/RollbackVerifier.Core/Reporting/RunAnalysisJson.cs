using System.Text.Json;
using RollbackVerifier.Execution.Analysis;

namespace RollbackVerifier.Reporting;

/// <summary>The <c>runAnalysis</c> member of a result in the JSON report (docs/report-json.md).</summary>
internal static class RunAnalysisJson
{
    public static void Write(Utf8JsonWriter json, RunAnalysis? analysis)
    {
        if (analysis is null)
        {
            json.WriteNull("runAnalysis");
            return;
        }

        json.WriteStartObject("runAnalysis");
        json.WriteStartArray("statements");
        foreach (var s in analysis.Statements)
        {
            json.WriteStartObject();
            json.WriteNumber("number", s.Number);
            json.WriteNumber("line", s.Line);
            json.WriteString("file", s.File);
            json.WriteString("summary", s.Summary);
            json.WriteNumber("durationMs", Math.Round(s.DurationMs, 1, MidpointRounding.AwayFromZero));
            json.WriteBoolean("inTransaction", s.InTransaction);
            json.WriteBoolean("failed", s.Failed);
            json.WriteString("note", s.Note);
            json.WriteStartArray("locks");
            foreach (var l in s.Locks)
            {
                json.WriteStartObject();
                json.WriteString("relation", l.Relation);
                json.WriteString("relationKind", l.RelationKind);
                json.WriteString("table", l.Table);
                json.WriteString("mode", l.Mode);
                json.WriteBoolean("blocksReads", l.BlocksReads);
                json.WriteBoolean("blocksWrites", l.BlocksWrites);
                json.WriteBoolean("visible", l.Visible);
                JsonWriting.Number(json, "rows", l.Rows);
                json.WriteNumber("heldMs", Math.Round(l.HeldMs, 1, MidpointRounding.AwayFromZero));
                JsonWriting.Number(json, "releasedAt", l.ReleasedAt);
                json.WriteString("heldUntil", l.HeldUntil);
                json.WriteString("source", l.Source);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("tables");
            foreach (var t in s.Tables)
            {
                json.WriteStartObject();
                json.WriteString("table", t.Table);
                json.WriteBoolean("rewritten", t.Rewritten);
                json.WriteNumber("rowsRead", t.RowsRead);
                json.WriteNumber("rowsWritten", t.RowsWritten);
                json.WriteBoolean("scalesWithRows", t.ScalesWithRows);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (s.Alter is { } a)
            {
                json.WriteStartObject("alter");
                json.WriteString("table", a.Table);
                json.WriteString("algorithm", a.Algorithm);
                if (a.Rebuilt is { } rebuilt)
                {
                    json.WriteBoolean("rebuilt", rebuilt);
                }
                else
                {
                    json.WriteNull("rebuilt");
                }

                JsonWriting.Number(json, "rowsAffected", a.RowsAffected);
                JsonWriting.Number(json, "rows", a.Rows);
                json.WriteString("method", a.Method);
                json.WriteString("reason", a.Reason);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("alter");
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (analysis.Atomicity is { } atomicity)
        {
            json.WriteStartObject("atomicity");
            json.WriteString("mode", atomicity.Mode);
            json.WriteNumber("limit", atomicity.Limit);
            json.WriteString("cloneMethod", atomicity.CloneMethod);
            json.WriteNumber("candidates", atomicity.Candidates);
            json.WriteNumber("durationMs", Math.Round(atomicity.DurationMs, 1, MidpointRounding.AwayFromZero));
            json.WriteString("skipped", atomicity.Skipped);
            json.WriteStartArray("points");
            foreach (var p in atomicity.Points)
            {
                json.WriteStartObject();
                json.WriteNumber("afterStatement", p.AfterStatement);
                json.WriteNumber("line", p.Line);
                json.WriteString("summary", p.Summary);
                json.WriteString("state", StateName(p.State));
                JsonWriting.Strings(json, "applied", p.Applied);
                JsonWriting.Strings(json, "remaining", p.Remaining);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("atomicity");
        }

        json.WriteEndObject();
    }

    /// <summary>unchanged, rolled-back, half-applied.</summary>
    public static string StateName(AtomicityState state) => state switch
    {
        AtomicityState.Unchanged => "unchanged",
        AtomicityState.RolledBack => "rolled-back",
        _ => "half-applied",
    };
}
