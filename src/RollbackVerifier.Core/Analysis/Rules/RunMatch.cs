using System.Globalization;
using RollbackVerifier.Findings;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Analysis.Rules;

/// <summary>Finds the run's own findings and failure that bear on a static finding.</summary>
internal static class RunMatch
{
    /// <summary>Run findings with one of <paramref name="codes"/> on one of the static finding's objects.</summary>
    public static List<Finding> On(RunEvidence run, StaticFinding finding, params string[] codes) =>
        run.Findings.Where(f => codes.Contains(f.Code, StringComparer.Ordinal) && finding.Objects.Any(o => SameObject(f, o))).ToList();

    /// <summary>True when the run's rollback failed at the statement of <paramref name="finding"/>.</summary>
    public static bool FailedAt(RunEvidence run, StaticFinding finding) =>
        finding.Statement is { } statement && run.FailedStatement is { Phase: Phase.Rollback } failed
        && failed.Number == statement.Statement.Number && string.Equals(Path.GetFileName(failed.File), Path.GetFileName(statement.File), StringComparison.Ordinal);

    /// <summary>True when the rollback failed before reaching the statement of <paramref name="finding"/>.</summary>
    public static bool NotReached(RunEvidence run, StaticFinding finding) =>
        finding.Statement is { } statement && run.FailedStatement is { Phase: Phase.Rollback } failed && failed.Number < statement.Statement.Number;

    public static string Failure(RunEvidence run) =>
        run.FailedStatement is { } f ? $"statement {f.Number} (line {f.Line}) failed with {f.ErrorCode}: {f.ErrorMessage}" : "the rollback failed";

    /// <summary>"4,812 values lost (RV304 on customers.nickname)".</summary>
    public static string Describe(IReadOnlyList<Finding> findings, string what)
    {
        var count = findings.Sum(f => f.Evidence.Count ?? 0);
        if (count == 0)
        {
            return string.Join(", ", findings.Select(f => $"{f.Code} {f.Name} on {f.Object}").Distinct().Take(3));
        }

        var codes = string.Join(", ", findings.Select(f => $"{f.Code} on {f.Object}").Distinct().Take(3));
        return $"{count.ToString("N0", CultureInfo.InvariantCulture)} {what} ({codes})";
    }

    /// <summary>
    /// Whether a run finding's object is <paramref name="expected"/> ("table", "table.column" or an object name):
    /// compared case-insensitively, ignoring a leading schema and a trailing " (detail)".
    /// </summary>
    public static bool SameObject(Finding finding, string expected)
    {
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(expected);
        var objectText = finding.Object;
        var wanted = expected.ToLowerInvariant().Split('.');
        var paren = objectText.IndexOf(" (", StringComparison.Ordinal);
        if (paren > 0)
        {
            // "orders (index orders_customer_idx)": the table, and the object named in the detail.
            var detail = objectText[(paren + 2)..].TrimEnd(')').Split(' ');
            if (wanted.Length == 1 && string.Equals(detail[^1], wanted[0], StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            objectText = objectText[..paren];
        }

        var actual = objectText.ToLowerInvariant().Split('.');
        if (actual.Length >= wanted.Length && actual.TakeLast(wanted.Length).SequenceEqual(wanted))
        {
            return true;
        }

        // A finding on a column of the expected table.
        if (wanted.Length == 1 && actual.Length >= 2 && actual[^2] == wanted[0])
        {
            return true;
        }

        // Findings about a column carry the table and column in their evidence.
        return wanted.Length == 2 && finding.Evidence.Details.TryGetValue("column", out var column) && finding.Evidence.Details.TryGetValue("table", out var table)
            && string.Equals(column, wanted[1], StringComparison.OrdinalIgnoreCase) && table.ToLowerInvariant().Split('.')[^1] == wanted[0];
    }
}
