using RollbackVerifier.Findings;

namespace RollbackVerifier.Analysis.Rules;

/// <summary>
/// Confirmation of lock-related static findings (RV506, RV512) from the run. Today's runs do not measure locks; a run
/// analysis confirms them by adding <see cref="RunObservation"/>s of kind <c>lock</c> or <c>lock-wait</c> for the
/// statement's line or table, or RV6xx findings on the table. A rollback step that timed out at the statement
/// (RV105) is also a confirmation: it waited on a lock or ran too long.
/// </summary>
internal static class LockEvidence
{
    public static Confirmation Confirm(StaticFinding finding, RunEvidence run)
    {
        var line = finding.Statement?.Statement.Line;
        var observed = run.Observations.FirstOrDefault(o => o.Kind.StartsWith("lock", StringComparison.Ordinal)
            && ((line is not null && o.Line == line) || finding.Objects.Any(obj => string.Equals(o.Object.Split('.')[^1], obj.Split('.')[^1], StringComparison.OrdinalIgnoreCase))));
        if (observed is not null)
        {
            return Confirmation.Confirmed($"{observed.Detail} ({observed.Object})");
        }

        var analysed = run.Findings.Where(f => f.Code.StartsWith("RV6", StringComparison.Ordinal) && finding.Objects.Any(o => RunMatch.SameObject(f, o))).ToList();
        if (analysed.Count > 0)
        {
            return Confirmation.Confirmed(RunMatch.Describe(analysed, "lock findings"));
        }

        if (RunMatch.FailedAt(run, finding) && run.Findings.Any(f => f.Code == FindingCodes.StepTimeout.Code))
        {
            return Confirmation.Confirmed("the statement ran into the step timeout (RV105)");
        }

        return Confirmation.NotChecked("locks are not measured by this run");
    }
}
