using System.Globalization;
using RollbackVerifier.Analysis.Parsing;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;

namespace RollbackVerifier.Analysis.Rules;

/// <summary>A static finding with what the rule needs to confirm it against a run.</summary>
/// <param name="Rule">The rule that reported it.</param>
/// <param name="Finding">The finding as reported.</param>
/// <param name="Statement">The statement it is about (rollback unless the rule says otherwise), or null for the script as a whole.</param>
/// <param name="Objects">Objects whose run findings confirm it, as "table" or "table.column" or an object name.</param>
internal sealed record StaticFinding(StaticRule Rule, Finding Finding, ParsedStatement? Statement, IReadOnlyList<string> Objects);

/// <summary>What the run says about one static finding.</summary>
internal sealed record Confirmation(ConfirmationStatus Status, string Text)
{
    public static Confirmation Confirmed(string text) => new(ConfirmationStatus.Confirmed, "confirmed: " + text);

    public static Confirmation NotObserved(string why) => new(ConfirmationStatus.NotObserved, "not observed in this run" + (why.Length > 0 ? ": " + why : string.Empty));

    public static Confirmation Refuted(string text) => new(ConfirmationStatus.Refuted, "refuted: " + text);

    public static Confirmation NotChecked(string why) => new(ConfirmationStatus.NotChecked, "not checked by this run: " + why);
}

/// <summary>
/// One static rule: a stable code, the analysis (which statements of the rollback, read with the forward migration,
/// carry the risk) and how a run confirms or refutes what it found. One class per rule, in this folder.
/// </summary>
internal abstract class StaticRule
{
    public abstract FindingCode Code { get; }

    /// <summary>Whether the rule means anything on <paramref name="engine"/> (CONCURRENTLY and lock_timeout are PostgreSQL's).</summary>
    public virtual bool AppliesTo(EngineKind engine) => true;

    public abstract IEnumerable<StaticFinding> Analyze(AnalysisContext context);

    /// <summary>What the run says about <paramref name="finding"/>. The default: a run cannot tell.</summary>
    public virtual Confirmation Confirm(StaticFinding finding, RunEvidence run) => Confirmation.NotChecked("a run does not measure this");

    protected StaticFinding Report(ParsedStatement? statement, string @object, string message, IReadOnlyList<string>? objects = null, params (string Key, string Value)[] details)
    {
        ArgumentNullException.ThrowIfNull(message);
        var evidence = new Dictionary<string, string>(StringComparer.Ordinal) { ["rule"] = "static" };
        if (statement is not null)
        {
            evidence["file"] = Path.GetFileName(statement.File);
            evidence["line"] = statement.Statement.Line.ToString(CultureInfo.InvariantCulture);
            evidence["statement"] = statement.Statement.Text;
        }

        foreach (var (key, value) in details)
        {
            evidence[key] = value;
        }

        var finding = Finding.Create(Code, @object, message, evidence: new Evidence(null, [], evidence));
        return new StaticFinding(this, finding, statement, objects ?? [@object]);
    }

    /// <summary>"rollback.sql:12".</summary>
    protected static string At(ParsedStatement statement) => statement.Location;
}
