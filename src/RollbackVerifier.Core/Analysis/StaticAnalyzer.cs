using RollbackVerifier.Analysis.Parsing;
using RollbackVerifier.Analysis.Rules;
using RollbackVerifier.Findings;

namespace RollbackVerifier.Analysis;

/// <summary>
/// Runs the static rules (RV5xx) on a rollback read together with its forward migration (and baseline, when there is
/// one), without a database; and, after a run, confirms or refutes each finding from the run's own findings.
/// </summary>
public static class StaticAnalyzer
{
    /// <summary>Every rule, in code order.</summary>
    internal static IReadOnlyList<StaticRule> Rules { get; } =
    [
        new DestructiveWithoutCopyRule(),
        new ForwardChangeNotUndoneRule(),
        new RollbackDoesNothingRule(),
        new NarrowingWithoutGuardRule(),
        new ConstraintWithoutGuardRule(),
        new ConcurrentlyNotMirroredRule(),
        new ConcurrentlyInTransactionRule(),
        new ForeignKeyOrderRule(),
        new SettingNotResetRule(),
        new CounterResetToConstantRule(),
        new RollbackNotAtomicRule(),
        new LockTimeoutMissingRule(),
        new RenameBreaksRunningCodeRule(),
        new DroppedDataRecreatedEmptyRule(),
        new PositionalCopyRule(),
    ];

    /// <summary>The codes of the static rules.</summary>
    public static IReadOnlyList<FindingCode> Codes { get; } = Rules.Select(r => r.Code).ToArray();

    /// <summary>True for a code one of the static rules reports.</summary>
    public static bool IsStaticCode(string code) => Codes.Any(c => string.Equals(c.Code, code, StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads the scripts and runs every rule the scenario does not disable.</summary>
    /// <exception cref="ScriptSplitException">A script cannot be split (file and line in the message).</exception>
    public static StaticAnalysisResult Analyze(StaticAnalysisInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var parser = StatementParser.For(input.Engine);
        var baseline = input.Baseline is { } b ? parser.ParseScript(b.Text, b.Path) : null;
        var forward = parser.ParseScript(input.Forward.Text, input.Forward.Path);
        var rollback = parser.ParseScript(input.Rollback.Text, input.Rollback.Path);
        var context = new AnalysisContext(input.Engine, baseline, forward, rollback, input.RollbackExecution);

        var details = new List<StaticFinding>();
        var disabled = new List<DisabledRule>();
        foreach (var rule in Rules)
        {
            if (input.Rules.DisabledFor(rule.Code.Code) is { } off)
            {
                disabled.Add(off);
            }
            else if (rule.AppliesTo(input.Engine))
            {
                details.AddRange(rule.Analyze(context));
            }
        }

        // Forward findings (coverage, settings) first, then the rollback's, each in statement order.
        details = details
            .OrderBy(d => d.Statement is null ? 1 : string.Equals(d.Statement.File, forward.File, StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(d => d.Statement?.Statement.Number ?? 0)
            .ThenBy(d => d.Finding.Code, StringComparer.Ordinal)
            .ToList();

        var notUnderstood = forward.Statements.Concat(rollback.Statements)
            .Where(s => s.Understanding != Understanding.Full)
            .Select(s => new NotUnderstoodStatement(s.File, s.Statement.Line, s.Statement.Summary, s.Problem ?? "not analysed"))
            .ToList();
        var statements = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["forward"] = forward.Statements.Count,
            ["rollback"] = rollback.Statements.Count,
        };
        if (baseline is not null)
        {
            statements["baseline"] = baseline.Statements.Count;
        }

        return new StaticAnalysisResult(details.Select(d => d.Finding).ToList(), disabled, notUnderstood, statements)
        {
            Details = details,
            Confirmations = details.Select(_ => ConfirmationStatus.NotChecked).ToList(),
        };
    }

    /// <summary>
    /// Each finding matched with the run: its message ends with what the run showed ("confirmed: 4,812 values lost
    /// (RV304 on customers.nickname)", "not observed in this run", "refuted: ..."), and its evidence carries
    /// <c>confirmation</c> and <c>confirmationDetail</c>.
    /// </summary>
    public static StaticAnalysisResult Confirm(StaticAnalysisResult result, RunEvidence run)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(run);
        var findings = new List<Finding>();
        var statuses = new List<ConfirmationStatus>();
        foreach (var detail in result.Details)
        {
            var confirmation = detail.Rule.Confirm(detail, run);
            var evidence = new Dictionary<string, string>(detail.Finding.Evidence.Details, StringComparer.Ordinal)
            {
                ["confirmation"] = Kebab(confirmation.Status),
                ["confirmationDetail"] = confirmation.Text,
            };
            var message = detail.Finding.Message.TrimEnd('.') + $" ({Capitalize(confirmation.Text)}.)";
            findings.Add(detail.Finding with { Message = message, Evidence = detail.Finding.Evidence with { Details = evidence } });
            statuses.Add(confirmation.Status);
        }

        return result with { Findings = findings, Confirmations = statuses };
    }

    public static string Kebab(ConfirmationStatus status) => status switch
    {
        ConfirmationStatus.NotChecked => "not-checked",
        ConfirmationStatus.Confirmed => "confirmed",
        ConfirmationStatus.NotObserved => "not-observed",
        ConfirmationStatus.Refuted => "refuted",
        ConfirmationStatus.NotReached => "not-reached",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
