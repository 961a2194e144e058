namespace RollbackVerifier.Findings;

/// <summary>How bad a finding is. Error findings fail a scenario unless the scenario accepts them with a reason.</summary>
public enum Severity
{
    Info,
    Warning,
    Error,
}

/// <summary>Supporting facts for a finding: counts and sample keys, so a reader can go and look.</summary>
/// <param name="Count">How many rows or objects are affected, when countable.</param>
/// <param name="SampleKeys">Up to a handful of affected row keys (canonical text, "col=value, ...").</param>
/// <param name="Details">Further named facts (for example "statement" or "server error").</param>
public sealed record Evidence(long? Count, IReadOnlyList<string> SampleKeys, IReadOnlyDictionary<string, string> Details)
{
    public static Evidence None { get; } = new(null, [], new Dictionary<string, string>());

    public static Evidence Counted(long count, IEnumerable<string>? sampleKeys = null) =>
        new(count, (sampleKeys ?? []).ToArray(), new Dictionary<string, string>());

    public static Evidence With(params (string Key, string Value)[] details) =>
        new(null, [], details.ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal));
}

/// <summary>One difference between what the rollback should have restored and what it did restore.</summary>
/// <param name="Code">Stable code, e.g. RV203 (see <see cref="FindingCodes"/> and docs/findings.md).</param>
/// <param name="Severity">Severity (the code's default unless a rule says otherwise).</param>
/// <param name="Object">The object concerned: table, table.column, index name, sequence, ...</param>
/// <param name="Message">One sentence for people.</param>
/// <param name="Before">The expected (pre-migration / pre-rollback) value, when there is one.</param>
/// <param name="After">The value after the rollback, when there is one.</param>
/// <param name="Evidence">Counts, sample keys, details.</param>
public sealed record Finding(string Code, Severity Severity, string Object, string Message, string? Before, string? After, Evidence Evidence)
{
    /// <summary>The code's kebab-case name, e.g. column-missing.</summary>
    public string Name => FindingCodes.Get(Code).Name;

    /// <summary>Set when the scenario accepts this finding; holds the scenario's written reason.</summary>
    public string? AcceptedReason { get; init; }

    public static Finding Create(FindingCode code, string @object, string message, string? before = null, string? after = null, Evidence? evidence = null) =>
        new(code.Code, code.Severity, @object, message, before, after, evidence ?? Evidence.None);
}

/// <summary>The order findings are reported in.</summary>
public static class FindingOrder
{
    /// <summary>Deterministic report order: severity (errors first), then code, object and message.</summary>
    public static List<Finding> Sort(IEnumerable<Finding> findings) =>
        findings
            .OrderByDescending(f => f.Severity)
            .ThenBy(f => f.Code, StringComparer.Ordinal)
            .ThenBy(f => f.Object, StringComparer.Ordinal)
            .ThenBy(f => f.Message, StringComparer.Ordinal)
            .ToList();
}
