using RollbackVerifier.Analysis;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Tests.Analysis;

/// <summary>Runs the static rules on script text, as a scenario folder would give them.</summary>
internal static class StaticLint
{
    public static StaticAnalysisResult Analyze(EngineKind engine, string forward, string rollback, string? baseline = null, ExecutionMode mode = ExecutionMode.Autocommit, StaticRuleSettings? rules = null)
    {
        var suffix = engine.ToName();
        return StaticAnalyzer.Analyze(new StaticAnalysisInput(
            engine,
            baseline is null ? null : new ScriptSource($"/s/baseline.{suffix}.sql", baseline),
            new ScriptSource($"/s/forward.{suffix}.sql", forward),
            new ScriptSource($"/s/rollback.{suffix}.sql", rollback),
            mode,
            rules ?? StaticRuleSettings.Default));
    }

    public static IReadOnlyList<Finding> Findings(EngineKind engine, string forward, string rollback, string? baseline = null, ExecutionMode mode = ExecutionMode.Autocommit) =>
        Analyze(engine, forward, rollback, baseline, mode).Findings;

    /// <summary>The findings of one code, as "object: message" lines for readable assertion failures.</summary>
    public static List<Finding> Of(this IReadOnlyList<Finding> findings, string code) => findings.Where(f => f.Code == code).ToList();

    public static string Describe(IEnumerable<Finding> findings) => string.Join("\n", findings.Select(f => $"{f.Code} {f.Object}: {f.Message}"));
}
