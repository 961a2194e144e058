using System.Globalization;
using RollbackVerifier.Findings;

namespace RollbackVerifier.Execution.Analysis;

/// <summary>The RV6xx findings drawn from a <see cref="RunAnalysis"/>: blocking locks, table copies and in-place ALTERs, half-applied states.</summary>
public static class RunAnalysisFindings
{
    /// <summary>
    /// One RV601 (ACCESS EXCLUSIVE) or RV602 (a mode that blocks writes) per statement and table, for locks other
    /// sessions would meet (the relation existed outside the statement's transaction) on tables that held rows; one
    /// RV603/RV604/RV605 per MySQL ALTER.
    /// </summary>
    public static IReadOnlyList<Finding> ForStatements(IReadOnlyList<StatementRun> runs, IReadOnlyList<SqlStatement> statements, string file)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(statements);
        var findings = new List<Finding>();
        foreach (var run in runs)
        {
            var text = statements.FirstOrDefault(s => s.Number == run.Number)?.Text ?? run.Summary;
            var at = $"{file}:{run.Line}";
            foreach (var table in run.Locks.Where(l => l.IsBlocking && l.Rows > 0).GroupBy(l => l.Table, StringComparer.Ordinal))
            {
                var strongest = table.OrderByDescending(l => l.BlocksReads).ThenByDescending(l => l.HeldMs).First();
                findings.Add(LockFinding(run, strongest, table.ToList(), text, at));
            }

            // A table the rollback itself created is new in production too: its copy costs nothing there.
            if (run.Alter is { } alter && !(alter.Algorithm == "copy" && alter.Rows is null))
            {
                findings.Add(AlterFinding(run, alter, text, at));
            }
        }

        return findings;
    }

    /// <summary>One RV610 per failure point that leaves the database half rolled back; RV611 when the analysis could not copy the database.</summary>
    public static IReadOnlyList<Finding> ForAtomicity(AtomicityReport report, IReadOnlyList<SqlStatement> statements, string file)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(statements);
        var findings = new List<Finding>();
        if (report.Skipped is { } skipped && report.Candidates > 0 && report.Points.Count == 0)
        {
            findings.Add(Finding.Create(FindingCodes.AtomicityNotAnalysed, file, $"The atomicity analysis did not run: {skipped}.", evidence: Evidence.With(("reason", skipped))));
        }

        foreach (var point in report.HalfApplied)
        {
            var next = statements.FirstOrDefault(s => s.Number > point.AfterStatement);
            var how = next is null ? "the connection drops or the step times out" : $"statement {next.Number} (line {next.Line}) fails, the connection drops or the step times out";
            var applied = point.Applied.Count == 0 ? "nothing measurable" : string.Join("; ", point.Applied);
            var message = $"If the rollback stops after statement {point.AfterStatement} (line {point.Line}) ({how}), the database is neither as before the rollback nor rolled back. Done: {applied}."
                + (point.Remaining.Count == 0 ? string.Empty : $" Not done: {string.Join("; ", point.Remaining)}.");
            var details = new List<(string, string)>
            {
                ("afterStatement", point.AfterStatement.ToString(CultureInfo.InvariantCulture)),
                ("statement", statements.FirstOrDefault(s => s.Number == point.AfterStatement)?.Text ?? point.Summary),
                ("applied", string.Join("\n", point.Applied)),
            };
            if (point.Remaining.Count > 0)
            {
                details.Add(("remaining", string.Join("\n", point.Remaining)));
            }

            findings.Add(Finding.Create(FindingCodes.HalfApplied, $"{file}:{point.Line}", message, evidence: Evidence.With([.. details])));
        }

        return findings;
    }

    private static Finding LockFinding(StatementRun run, RelationLock strongest, IReadOnlyList<RelationLock> locks, string text, string at)
    {
        var code = strongest.BlocksReads ? FindingCodes.LockBlocksReads : FindingCodes.LockBlocksWrites;
        var on = strongest.Relation == strongest.Table ? strongest.Table : $"{strongest.RelationKind} {strongest.Relation} of {strongest.Table}";
        var blocked = strongest.BlocksReads ? "reads and writes" : "writes";
        var held = Ms(strongest.HeldMs);
        var until = strongest.HeldUntil == "statement end" ? string.Empty : $", held until {strongest.HeldUntil}";
        var work = run.Tables.FirstOrDefault(t => string.Equals(t.Table, strongest.Table, StringComparison.Ordinal));
        var scaling = work is { ScalesWithRows: true }
            ? $" The statement {Work(work)}, so the time grows with the table: measure it at production volume with --rows."
            : " It changes only the catalog, so the time does not grow with the rows; but the lock first waits for every transaction using the table, and everything queued behind it waits too.";
        var message = $"Rollback statement {run.Number} ({at}) takes {strongest.Mode} on {on} ({strongest.Rows} rows){until}: {blocked} of {strongest.Table} wait {held} here.{scaling}";
        var details = new List<(string, string)>
        {
            ("statement", text),
            ("mode", strongest.Mode),
            ("relation", strongest.Relation),
            ("table", strongest.Table),
            ("rows", (strongest.Rows ?? 0).ToString(CultureInfo.InvariantCulture)),
            ("heldMs", strongest.HeldMs.ToString("0.#", CultureInfo.InvariantCulture)),
            ("statementMs", run.DurationMs.ToString("0.#", CultureInfo.InvariantCulture)),
            ("heldUntil", strongest.HeldUntil),
            ("source", strongest.Source),
            ("scalesWithRows", (work?.ScalesWithRows ?? false) ? "true" : "false"),
        };
        if (locks.Count > 1)
        {
            details.Add(("locks", string.Join("; ", locks.Select(l => $"{l.Mode} on {l.Relation}"))));
        }

        return Finding.Create(code, strongest.Table, message, evidence: Evidence.With([.. details]) with { Count = strongest.Rows });
    }

    private static Finding AlterFinding(StatementRun run, AlterAlgorithm alter, string text, string at)
    {
        var rows = alter.Rows is { } r ? r.ToString(CultureInfo.InvariantCulture) + " rows" : "rows unknown";
        var reason = alter.Reason is null ? string.Empty : $" The server refused the faster algorithm: {alter.Reason}.";
        var (code, what) = alter.Algorithm switch
        {
            "copy" => (FindingCodes.TableCopied,
                $"copies {alter.Table} ({rows}{(alter.RowsAffected is { } n ? $", {n} copied" : "")}) with ALGORITHM=COPY: writes to it wait for the whole copy ({Ms(run.DurationMs)} here), which grows with the table, and the server needs room for a second copy.{reason}"),
            "inplace" => (FindingCodes.AlterInPlace,
                alter.Rebuilt == true
                    ? $"rebuilds {alter.Table} ({rows}) in place (ALGORITHM=INPLACE): reads and writes continue, but the time ({Ms(run.DurationMs)} here) and I/O grow with the table.{reason}"
                    : $"runs in place without rebuilding {alter.Table} ({rows}; ALGORITHM=INPLACE/NOCOPY): reads and writes continue.{reason}"),
            "instant" => (FindingCodes.AlterInstant, $"changes only the metadata of {alter.Table} ({rows}; ALGORITHM=INSTANT): its time does not depend on the rows."),
            _ => (FindingCodes.AlterInPlace, $"altered {alter.Table} ({rows}) with an algorithm that could not be determined{(alter.Rebuilt == true ? "; the table was rebuilt" : "")}."),
        };
        var details = new List<(string, string)>
        {
            ("statement", text),
            ("table", alter.Table),
            ("algorithm", alter.Algorithm),
            ("method", alter.Method),
            ("statementMs", run.DurationMs.ToString("0.#", CultureInfo.InvariantCulture)),
        };
        if (alter.Rebuilt is { } rebuilt)
        {
            details.Add(("rebuilt", rebuilt ? "true" : "false"));
        }

        if (alter.Reason is { } why)
        {
            details.Add(("reason", why));
        }

        return Finding.Create(code, alter.Table, $"Rollback statement {run.Number} ({at}) {what}", evidence: Evidence.With([.. details]) with { Count = alter.Rows });
    }

    private static string Work(TableWork work)
    {
        var parts = new List<string>();
        if (work.Rewritten)
        {
            parts.Add("rewrites the table");
        }

        if (work.RowsRead > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"reads {work.RowsRead} rows"));
        }

        if (work.RowsWritten > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"writes {work.RowsWritten} rows"));
        }

        return string.Join(" and ", parts);
    }

    private static string Ms(double ms) => ms.ToString(ms < 10 ? "0.#" : "0", CultureInfo.InvariantCulture) + " ms";
}
