using System.Globalization;
using RollbackVerifier.Execution.Analysis;

namespace RollbackVerifier.Reporting;

/// <summary>
/// What the Markdown and HTML "How the rollback runs" sections say the same way: the work a statement did, what a
/// lock blocks, the atomicity headline. Plain text; each writer adds its own markup and escaping.
/// </summary>
internal static class RunAnalysisText
{
    /// <summary>True when the section has something to show.</summary>
    public static bool HasContent(RunAnalysis? analysis) => analysis is not null && (analysis.Statements.Count > 0 || analysis.Atomicity is not null);

    /// <summary>"catalog only", or per table what the statement did to it, ending in "grows with rows"; then the note.</summary>
    public static string Work(StatementRun s)
    {
        var parts = s.Tables.Select(t =>
        {
            var what = new List<string>();
            if (t.Rewritten)
            {
                what.Add("rewritten");
            }

            if (t.RowsRead > 0)
            {
                what.Add(t.RowsRead.ToString(CultureInfo.InvariantCulture) + " rows read");
            }

            if (t.RowsWritten > 0)
            {
                what.Add(t.RowsWritten.ToString(CultureInfo.InvariantCulture) + " rows written" + (s.InTransaction ? " (row-locked until commit)" : string.Empty));
            }

            return $"{t.Table}: {string.Join(", ", what)}";
        }).ToList();
        var work = parts.Count == 0 ? "catalog only" : string.Join("; ", parts) + "; grows with rows";
        return work + (s.Note is null ? string.Empty : $" ({s.Note})");
    }

    /// <summary>What other sessions wait for while the lock is held; <c>Strong</c> when they wait at all.</summary>
    public static (string Text, bool Strong) Blocks(RelationLock l) =>
        !l.Visible ? ("nothing (new)", false) : l.BlocksReads ? ("reads and writes", true) : l.BlocksWrites ? ("writes", true) : ("-", false);

    /// <summary>The relation, and for an index or other part of a table, what it belongs to.</summary>
    public static string Relation(RelationLock l) => l.Relation == l.Table ? l.Relation : $"{l.Relation} ({l.RelationKind} of {l.Table})";

    /// <summary>"yes", "no" or "?" when the server did not say.</summary>
    public static string Rebuilt(AlterAlgorithm a) => a.Rebuilt is { } r ? (r ? "yes" : "no") : "?";

    /// <summary>A row count, or "-".</summary>
    public static string Rows(long? rows) => rows?.ToString(CultureInfo.InvariantCulture) ?? "-";

    /// <summary>"Atomicity (sample, 3 of 3 failure points, 0.6 s; copies by ...)".</summary>
    public static string AtomicityHeading(AtomicityReport a) =>
        string.Create(CultureInfo.InvariantCulture, $"Atomicity ({a.Mode}, {a.Points.Count} of {a.Candidates} failure points, {a.DurationMs / 1000:0.0} s{(a.CloneMethod is null ? string.Empty : $"; copies by {a.CloneMethod}")})");

    /// <summary>"statement 4, statement 7": the failure points that leave the database half applied; empty when none does.</summary>
    public static string HalfAppliedAfter(AtomicityReport a) =>
        string.Join(", ", a.HalfApplied.Select(p => "statement " + p.AfterStatement.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The sentence when no failure point leaves the database half applied.</summary>
    public const string NoHalfApplied = "stopping the rollback after any of them leaves the database as before the rollback or as rolled back";

    public static string Ms(double ms) => ms.ToString(ms < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " ms";
}
