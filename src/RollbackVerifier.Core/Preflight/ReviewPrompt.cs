using System.Globalization;
using System.Text;
using RollbackVerifier.Execution;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;

namespace RollbackVerifier.Preflight;

/// <summary>
/// A prompt for an AI assistant to repair a rollback that did not pass: the forward migration, the schema it leaves
/// as DDL, what it destroyed, the findings with their evidence, the engine and version, the current rollback, the rules
/// (never discard data without an archive step; refuse with manual steps where no safe reversal exists) and the answer
/// format (the new rollback only), so the answer can be pasted back as rollback.sql and verified again.
/// </summary>
public static class ReviewPrompt
{
    /// <summary>Codes whose findings say data is destroyed or would be, listed again as irreversible operations.</summary>
    private static readonly HashSet<string> Destructive = new(StringComparer.Ordinal) { "RV301", "RV303", "RV304", "RV305", "RV404", "RV405" };

    /// <summary>The report with a prompt on every run that failed or broke after the forward migration ran.</summary>
    public static VerificationReport Attach(VerificationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report with
        {
            Results = report.Results.Select(r => r.Verdict is Verdict.Fail or Verdict.Broken && r.Checklist is not null ? r with { ReviewPrompt = Build(r) } : r).ToList(),
        };
    }

    /// <summary>The prompt for one run; the run must carry its checklist (the scripts and schema it was derived from).</summary>
    public static string Build(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var run = result.Checklist ?? throw new ArgumentException("The result has no checklist run to build the prompt from.", nameof(result));
        var engine = EngineName(result.Engine);
        var version = result.ServerVersion ?? engine;
        var p = new StringBuilder();
        p.Append(CultureInfo.InvariantCulture, $"You are repairing the rollback script of a database migration for {version}.\n\n");
        p.Append(CultureInfo.InvariantCulture, $"RollbackVerifier applied the forward migration below to a throwaway {engine} database holding synthetic rows, wrote more rows in the migrated shape (including rows the old schema would refuse), ran the current rollback and compared the result with the database before the migration. The rollback did not restore it: verdict {result.Verdict.ToKebab()}.\n\n");

        p.Append("Rules for the new rollback:\n\n");
        p.Append("1. Never discard data without an archive step: before dropping a table or a column, deleting rows or narrowing a type, copy what would be lost into an archive table the rollback keeps, or move it back into the pre-migration shape.\n");
        p.Append("2. Raise an error with manual steps where a safe reversal is impossible (data the forward migration destroyed, rows written since the migration that the old schema cannot hold): make the rollback stop with a message that says what to do by hand, instead of guessing or silently changing data.\n");
        p.Append(CultureInfo.InvariantCulture, $"3. Restore the pre-migration schema exactly: names, types, NULL / NOT NULL, defaults, keys, indexes, checks, sequences and their positions (past the highest key in use).\n");
        p.Append(CultureInfo.InvariantCulture, $"4. Write plain SQL for {version}; keep the rollback atomic where {engine} allows it (one transaction{(result.Engine == EngineKind.MySql ? "; MySQL DDL commits implicitly, so run the statements that can fail first" : string.Empty)}).\n");

        Section(p, "Engine", version);
        Code(p, $"Forward migration ({FileName(run.Forward)})", run.Forward?.Text);
        Code(p, "Schema after the forward migration (the state the rollback starts from)", run.SchemaDdl);

        p.Append("\n## Irreversible or risky operations found\n\n");
        var risky = run.Checklist.Notes.Where(n => n.Irreversible).Select(n => $"- {n.Object}: {n.Text}")
            .Concat(run.Checklist.Checks.Where(c => run.CountOf(c.Id)?.Count > 0).Select(c =>
                $"- {c.Object}: {c.What} On the test database: {run.CountOf(c.Id)!.Count!.Value.ToString(CultureInfo.InvariantCulture)} {c.Counts}. {c.Why}"))
            .Concat(result.Findings.Where(f => Destructive.Contains(f.Code) && f.AcceptedReason is null).Select(f => $"- {f.Object}: {f.Message}"))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        p.Append(risky.Count == 0 ? "- none found\n" : string.Join("\n", risky) + "\n");

        p.Append("\n## Findings (what the verification found, with evidence)\n\n");
        if (result.FailedStatement is { } failed)
        {
            p.Append(CultureInfo.InvariantCulture, $"The {failed.Phase.ToString().ToLowerInvariant()} failed at statement {failed.Number} ({Path.GetFileName(failed.File)} line {failed.Line}) with {failed.ErrorCode}: {failed.ErrorMessage}\n\n");
        }

        if (result.Reason is { Length: > 0 } reason && result.Verdict == Verdict.Broken)
        {
            p.Append(reason.Split('\n')[0].Trim()).Append("\n\n");
        }

        foreach (var finding in result.Findings)
        {
            p.Append(CultureInfo.InvariantCulture, $"- {finding.Code} {finding.Name} ({finding.Severity.ToString().ToLowerInvariant()}{(finding.AcceptedReason is null ? "" : ", accepted: " + finding.AcceptedReason)}) on {finding.Object}: {finding.Message}\n");
            if (finding.Before is not null || finding.After is not null)
            {
                p.Append(CultureInfo.InvariantCulture, $"  before: {finding.Before ?? "(none)"}; after: {finding.After ?? "(none)"}\n");
            }

            if (Evidence(finding.Evidence) is { Length: > 0 } evidence)
            {
                p.Append("  evidence: ").Append(evidence).Append('\n');
            }

            if (finding.AcceptedReason is null && FindingAdvice.For(finding.Code) is { } advice)
            {
                p.Append("  how to fix: ").Append(advice).Append('\n');
            }
        }

        if (result.Findings.Count == 0)
        {
            p.Append("- no findings\n");
        }

        Code(p, $"Current rollback ({FileName(run.Rollback)})", run.Rollback?.Text);

        p.Append("\n## Answer format\n\n");
        p.Append(CultureInfo.InvariantCulture, $"Answer with the new rollback script only: one ```sql block of {engine} SQL that runs as is, with short comments saying why each step is there, and nothing outside the block. It replaces {FileName(run.Rollback)} and is verified again with RollbackVerifier.\n");
        return p.ToString();
    }

    private static void Section(StringBuilder p, string title, string text) => p.Append("\n## ").Append(title).Append("\n\n").Append(text).Append('\n');

    private static void Code(StringBuilder p, string title, string? text)
    {
        p.Append("\n## ").Append(title).Append("\n\n");
        if (string.IsNullOrWhiteSpace(text))
        {
            p.Append("(empty)\n");
            return;
        }

        var fence = MarkdownFence.For(text);
        p.Append(fence).Append("sql\n").Append(text.TrimEnd()).Append('\n').Append(fence).Append('\n');
    }

    /// <summary>Count and sample keys as the Markdown report writes them, then every detail (the statement, the error code, ...).</summary>
    private static string Evidence(Evidence evidence)
    {
        var summary = ReportFacts.Evidence(evidence);
        var details = evidence.Details.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}: {d.Value.ReplaceLineEndings(" ")}");
        return string.Join("; ", (summary.Length == 0 ? details : details.Prepend(summary)));
    }

    private static string FileName(Scenarios.ScriptSource? script) => script is null ? "rollback.sql" : Path.GetFileName(script.Path);

    private static string EngineName(EngineKind engine) => engine switch
    {
        EngineKind.Postgres => "PostgreSQL",
        EngineKind.MySql => "MySQL",
        _ => "SQLite",
    };
}
