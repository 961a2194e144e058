using System.Text;
using RollbackVerifier.Model;

namespace RollbackVerifier.Scenarios;

/// <summary>
/// An external program that stands for a migration step (EF Core, Alembic, Django, the Flyway CLI, an in-house tool),
/// declared under <c>steps:</c> in scenario.yml. It reaches the throwaway database through environment variables
/// (docs/command-steps.md); its exit code decides whether the step succeeded.
/// </summary>
/// <param name="Arguments">The program and its arguments (argv form), or a single shell script line (shell form).</param>
/// <param name="Shell">True when <paramref name="Arguments"/> holds one line for the platform shell (<c>/bin/sh -c</c>, <c>cmd /c</c>).</param>
/// <param name="WorkingDirectory">Absolute working directory (relative paths in scenario.yml resolve against the scenario folder).</param>
/// <param name="Environment">Variables the scenario adds for this step, sorted by name; they cannot replace the connection variables.</param>
/// <param name="Timeout">The step's own limit, or null for <c>timeouts.step</c>.</param>
/// <param name="ManifestPath">The scenario.yml that declares the step.</param>
/// <param name="Line">The 1-based line of the step's <c>command</c> key in <paramref name="ManifestPath"/>.</param>
public sealed record CommandStep(
    ValueList<string> Arguments,
    bool Shell,
    string WorkingDirectory,
    ValueList<KeyValuePair<string, string>> Environment,
    TimeSpan? Timeout,
    string ManifestPath,
    int Line)
{
    /// <summary>"scenario.yml:12", for messages and finding locations.</summary>
    public string Location => $"{Path.GetFileName(ManifestPath)}:{Line}";

    /// <summary>The command as a person would type it: the shell line, or the arguments quoted where they need it.</summary>
    public string Display => Shell ? Arguments[0] : string.Join(' ', Arguments.Select(QuoteForDisplay));

    private static string QuoteForDisplay(string argument)
    {
        if (argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@%+,".Contains(c)))
        {
            return argument;
        }

        var quoted = new StringBuilder("'");
        foreach (var c in argument)
        {
            quoted.Append(c == '\'' ? "'\\''" : c.ToString());
        }

        return quoted.Append('\'').ToString();
    }
}

/// <summary>A table the scenario leaves out of seeding and comparison, with the written reason (<c>compare.ignore_tables</c>).</summary>
/// <param name="Table">Table name, unqualified or schema.table.</param>
/// <param name="Reason">Why the difference does not matter.</param>
public sealed record IgnoredTableRule(string Table, string Reason);

/// <summary>What the comparison leaves out (<c>compare:</c> in scenario.yml).</summary>
/// <param name="IgnoreTables">Tables the scenario names.</param>
/// <param name="IgnoreHistoryTables">
/// Leave out the bookkeeping tables of well-known migration tools (<c>__EFMigrationsHistory</c>, <c>alembic_version</c>, ...);
/// true by default, <c>history_tables: compare</c> turns it off.
/// </param>
public sealed record CompareSettings(ValueList<IgnoredTableRule> IgnoreTables, bool IgnoreHistoryTables)
{
    public static CompareSettings Default { get; } = new(ValueList<IgnoredTableRule>.Empty, true);
}
