using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Reporting;

/// <summary>One run of an external command step: what ran, how it ended, and what it printed (redacted, bounded).</summary>
/// <param name="Phase">The phase the command stood for (reapply re-runs the forward command).</param>
/// <param name="Command">The command line as declared, with secrets redacted.</param>
/// <param name="Shell">True when the line ran through the platform shell.</param>
/// <param name="WorkingDirectory">Absolute working directory.</param>
/// <param name="Location">Where the step is declared (scenario.yml:12).</param>
/// <param name="ExitCode">The exit code, or null when the command was stopped (timeout) before it exited.</param>
/// <param name="TimedOut">True when the step timeout stopped the command and its process tree.</param>
/// <param name="Timeout">The limit that applied (the step's own timeout, else timeouts.step).</param>
/// <param name="Duration">Wall-clock time from start to exit (or to the kill).</param>
/// <param name="Output">Standard output and standard error interleaved in arrival order, secrets redacted; the middle
/// is left out when it is too long (see <paramref name="OutputTruncated"/>).</param>
/// <param name="OutputTruncated">True when lines were left out or cut; <paramref name="Output"/> then says where.</param>
/// <param name="OutputLines">Lines the command printed, including the ones left out.</param>
public sealed record CommandStepRun(
    Phase Phase,
    string Command,
    bool Shell,
    string WorkingDirectory,
    string Location,
    int? ExitCode,
    bool TimedOut,
    TimeSpan Timeout,
    TimeSpan Duration,
    string Output,
    bool OutputTruncated,
    int OutputLines)
{
    /// <summary>True when the command exited with 0 in time.</summary>
    public bool Succeeded => ExitCode == 0 && !TimedOut;
}

/// <summary>A table left out of seeding and comparison, and why.</summary>
/// <param name="Table">The table as the snapshots name it (schema.table or table).</param>
/// <param name="Reason">The scenario's reason, or which migration tool keeps its history there.</param>
/// <param name="Source">"history-table" for the built-in list of migration-tool bookkeeping tables, "scenario" for compare.ignore_tables.</param>
public sealed record IgnoredTable(string Table, string Reason, string Source);
