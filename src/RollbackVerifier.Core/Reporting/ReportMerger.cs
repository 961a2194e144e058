using RollbackVerifier.Execution;
using RollbackVerifier.Model;

namespace RollbackVerifier.Reporting;

/// <summary>A report and the file it was read from.</summary>
public sealed record ReportSource(string File, VerificationReport Report);

/// <summary>
/// Combines the reports of the shards of one run into one report. Refuses, naming the files: reports of different tool
/// versions, the same scenario and engine in two reports, shards of different splits (2/3 next to 1/4), a shard given
/// twice, and a missing shard. Results are ordered by scenario folder, scenario and engine, so the merged report does
/// not depend on which shard ran what.
/// </summary>
public static class ReportMerger
{
    /// <exception cref="ReportFormatException">The reports do not belong together.</exception>
    public static VerificationReport Merge(IReadOnlyList<ReportSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0)
        {
            throw new ReportFormatException("no report to merge");
        }

        var first = sources[0];
        foreach (var other in sources.Skip(1).Where(s => s.Report.ToolVersion != first.Report.ToolVersion))
        {
            throw new ReportFormatException(other.File, null,
                $"written by rollback-verifier {other.Report.ToolVersion}, but {first.File} by {first.Report.ToolVersion}; merge reports of one version (run every shard with the same tool version)");
        }

        CheckShards(sources);
        var seen = new Dictionary<(string Scenario, EngineKind Engine), string>();
        foreach (var source in sources)
        {
            foreach (var result in source.Report.Results)
            {
                if (!seen.TryAdd((result.Scenario, result.Engine), source.File))
                {
                    var where = seen[(result.Scenario, result.Engine)];
                    throw new ReportFormatException(source.File, null,
                        where == source.File
                            ? $"holds '{result.Scenario}' on {result.Engine.ToName()} twice"
                            : $"'{result.Scenario}' on {result.Engine.ToName()} is also in {where}: the shards overlap (give every shard the same paths, --engine and --filter, and each its own --shard i/n)");
                }
            }
        }

        var started = sources.Min(s => s.Report.StartedAt);
        var ended = sources.Max(s => s.Report.StartedAt + s.Report.Duration);
        var results = sources.SelectMany(s => s.Report.Results)
            .OrderBy(r => r.Directory, StringComparer.Ordinal)
            .ThenBy(r => r.Scenario, StringComparer.Ordinal)
            .ThenBy(r => Model.EngineOrder.Of(r.Engine))
            .ToList();
        return new VerificationReport(first.Report.ToolVersion, started, ended - started, results);
    }

    /// <summary>Shards must come from one split (the same count), each once, all present. Reports of unsharded runs may join them.</summary>
    private static void CheckShards(IReadOnlyList<ReportSource> sources)
    {
        var sharded = sources.Where(s => s.Report.Shard is not null).ToList();
        if (sharded.Count == 0)
        {
            return;
        }

        var count = sharded[0].Report.Shard!.Count;
        foreach (var other in sharded.Where(s => s.Report.Shard!.Count != count))
        {
            throw new ReportFormatException(other.File, null, $"is shard {other.Report.Shard} but {sharded[0].File} is shard {sharded[0].Report.Shard}: the reports come from different splits");
        }

        var byIndex = new Dictionary<int, string>();
        foreach (var source in sharded)
        {
            if (!byIndex.TryAdd(source.Report.Shard!.Index, source.File))
            {
                throw new ReportFormatException(source.File, null, $"is shard {source.Report.Shard}, and so is {byIndex[source.Report.Shard.Index]}");
            }
        }

        var missing = Enumerable.Range(1, count).Where(i => !byIndex.ContainsKey(i)).ToList();
        if (missing.Count > 0)
        {
            throw new ReportFormatException(
                $"shard{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing.Select(i => $"{i}/{count}"))} missing: got {string.Join(", ", sharded.OrderBy(s => s.Report.Shard!.Index).Select(s => $"{s.Report.Shard} ({s.File})"))}");
        }
    }
}
