using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using RollbackVerifier.Model;

namespace RollbackVerifier.Cli;

/// <summary>
/// The commented scenario.yml that <c>init</c> writes: the keys a new scenario usually sets, active, and the others as
/// commented examples a user uncomments. A test loads it with every example uncommented, so the examples stay valid.
/// </summary>
public static class ScenarioTemplate
{
    /// <summary>Renders scenario.yml.</summary>
    /// <param name="name">name: (null leaves it commented: the folder name is the default).</param>
    /// <param name="description">description: (null for a placeholder).</param>
    /// <param name="engines">engines: (empty leaves it commented: the command line then names the engine).</param>
    /// <param name="hasBaseline">Whether baseline.sql exists (the comment says what it is for).</param>
    /// <param name="examples">True to uncomment every example (for the test that proves they load).</param>
    public static string Render(string? name, string? description, IReadOnlyList<EngineKind> engines, bool hasBaseline, bool examples = false)
    {
        ArgumentNullException.ThrowIfNull(engines);
        var yml = new StringBuilder();
        void Line(string text) => yml.Append(text).Append('\n');
        void Example(string text) => Line(examples ? text : "# " + text);

        Line("# A RollbackVerifier scenario: forward.sql is the migration, rollback.sql the candidate rollback,");
        Line(hasBaseline
            ? "# baseline.sql the schema before the migration. Every key is optional; an unknown key is an error."
            : "# and baseline.sql (absent) would hold the schema before the migration. Every key is optional.");
        Line("# Reference: README.md (A scenario) and docs/seeding.md. Run it: rollback-verifier verify <this folder>");
        Line(string.Empty);
        if (name is null)
        {
            Example("name: my-scenario               # default: the folder name");
        }
        else
        {
            Line($"name: {Scalar(name)}");
        }

        Line($"description: {Scalar(description ?? "What the forward migration changes, and what the rollback must restore.")}");
        if (engines.Count == 0)
        {
            Example("engines: [postgres]             # the engines the scripts are written for; without it, pass --engine to verify");
        }
        else
        {
            Line($"engines: [{string.Join(", ", engines.Select(e => e.ToName()))}]");
        }

        Line(string.Empty);
        Line("seed:                            # synthetic rows, the same on every machine for the same seed");
        Line("  seed: 12345");
        Line("  rows: 50                       # rows per table before the migration (verify --rows scales it)");
        Line("  live_rows: 10                  # rows per table written in the new shape after the forward migration");
        Example("  attacks: all                   # live rows the old schema refuses; or none, or a list: [length, null, duplicate]");
        Example("  tables:");
        Example("    audit_log: { exclude: true }");
        Example("    customers:");
        Example("      rows: 500");
        Example("      columns:");
        Example("        email: { dataset: internet.email, nulls: 0.1 }");
        Example("        tier: { values: [gold, silver, bronze] }");
        Line(string.Empty);
        Example("execution: autocommit           # or transaction: each script in one transaction, as Flyway runs it");
        Example("isolation: database             # or container, for scripts that touch roles or other server-wide objects");
        Example("timeouts: { step: 5m, statement: 2m }");
        Line(string.Empty);
        Line("expect:");
        Line("  verdict: pass                  # pass | fail | broken | nothing-tested");
        Example("  findings: [RV304]              # codes that must be reported (rollback-verifier findings lists them)");
        Example("  accepted:                      # findings that do not fail the scenario, each with the reason");
        Example("    - code: RV305");
        Example("      object: customers.nickname");
        Example("      reason: losing nicknames on rollback is agreed with product.");
        return yml.ToString();
    }

    /// <summary>A YAML scalar: plain when that is unambiguous, else double-quoted (JSON string syntax is valid YAML).</summary>
    public static string Scalar(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var plain = text.Length > 0 && char.IsAsciiLetterOrDigit(text[0]) && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ' ')
            && !text.EndsWith(' ') && !IsYamlKeyword(text);
        return plain ? text : JsonSerializer.Serialize(text, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static bool IsYamlKeyword(string text) =>
        text.ToLowerInvariant() is "true" or "false" or "yes" or "no" or "on" or "off" or "null" or "~" || double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out _);
}
