using System.Text.RegularExpressions;
using RollbackVerifier.Findings;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Analysis;

/// <summary>
/// expect.absent: codes (RV501) or code families (RV5xx, RV50x) that a scenario must not report, accepted or not, so
/// a safe rollback proves it stays quiet rather than only failing to be loud.
/// </summary>
public static partial class AbsentFindings
{
    /// <summary>True for RV501-style codes and RV5xx / RV50x families.</summary>
    public static bool IsPattern(string text) => Pattern().IsMatch(text ?? string.Empty);

    /// <summary>Whether <paramref name="code"/> belongs to <paramref name="pattern"/> (a code or a family with x for any digit).</summary>
    public static bool Matches(string pattern, string code)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(code);
        if (pattern.Length != code.Length)
        {
            return false;
        }

        for (var i = 0; i < pattern.Length; i++)
        {
            if (char.ToUpperInvariant(pattern[i]) != char.ToUpperInvariant(code[i]) && !(i >= 2 && pattern[i] is 'x' or 'X' && char.IsAsciiDigit(code[i])))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One problem per pattern that a reported finding matches.</summary>
    public static IEnumerable<string> Check(ScenarioExpectation expect, IReadOnlyList<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(expect);
        ArgumentNullException.ThrowIfNull(findings);
        foreach (var pattern in expect.Absent)
        {
            var hits = findings.Where(f => Matches(pattern, f.Code)).ToList();
            if (hits.Count > 0)
            {
                var first = hits[0];
                yield return $"expected no {pattern} finding, but {hits.Count} {(hits.Count == 1 ? "was" : "were")} reported, first {first.Code} on {first.Object}: {first.Message}";
            }
        }
    }

    [GeneratedRegex("^RV[0-9]([0-9]{2}|[0-9]x|xx)$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}
