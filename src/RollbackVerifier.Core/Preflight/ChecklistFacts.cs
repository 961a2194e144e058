using System.Globalization;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;

namespace RollbackVerifier.Preflight;

/// <summary>
/// What the Markdown and HTML pre-rollback sections say the same way about a check on the test database: the live
/// rows it should find, the findings backing it, how to run it in production. Plain text; each writer escapes.
/// </summary>
internal static class ChecklistFacts
{
    /// <summary>True when the run has a checklist worth showing (checks or notes).</summary>
    public static bool HasContent(ChecklistRun? run) => run is not null && (run.Checklist.Checks.Count > 0 || run.Checklist.Notes.Count > 0);

    /// <summary>The adversarial live rows of the check's kinds the seeder wrote into its table, so the counts can be compared; empty when none.</summary>
    public static string LiveRows(ScenarioResult result, PreflightCheck check)
    {
        if (check.Attacks.Count == 0)
        {
            return string.Empty;
        }

        var rows = result.Seeding
            .Where(s => s.Phase == "live" && s.Table == check.Table)
            .SelectMany(s => s.Adversarial ?? [])
            .Where(a => check.Attacks.Contains(a.Kind) && a.Rows > 0)
            .Sum(a => a.Rows);
        return rows == 0 ? string.Empty : rows.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The codes of the findings that back the check ("RV201, RV305"); empty when none.</summary>
    public static string BackedBy(ChecklistRun run, PreflightCheck check) =>
        run.Evidence.TryGetValue(check.Id, out var backing) ? string.Join(", ", backing.Select(b => b.Split(' ')[0]).Distinct(StringComparer.Ordinal)) : string.Empty;

    /// <summary>Up to three sample keys of the rows the check counted.</summary>
    public static IReadOnlyList<string> SampleKeys(CheckOutcome? outcome) => outcome?.SampleKeys.Take(3).ToList() ?? [];

    /// <summary>The count when it is not zero, else "0", the error, or "not run" (the caller marks a non-zero count).</summary>
    public static (long? NonZero, string Text) Count(PreflightCheck check, CheckOutcome? outcome)
    {
        if (outcome?.Count is not { } n)
        {
            return (null, outcome?.Error ?? "not run");
        }

        return n == 0 ? (null, "0") : (n, check.Counts);
    }

    /// <summary>The preflight option that names the production database of the engine.</summary>
    public static string UrlOption(EngineKind engine) => engine switch
    {
        EngineKind.Postgres => "postgres-url",
        EngineKind.MySql => "mysql-url",
        _ => "sqlite-file",
    };

    /// <summary>The checks whose count on the test database is not zero: what to do about each.</summary>
    public static IEnumerable<PreflightCheck> Found(ChecklistRun run) => run.Checklist.Checks.Where(c => run.CountOf(c.Id)?.Count > 0);

    /// <summary>The sentence that introduces the review prompt.</summary>
    public const string PromptIntro = "Paste this into an AI assistant, save its answer as the new rollback and verify it again";
}
