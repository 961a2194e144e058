using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Execution.Commands;

/// <summary>
/// The environment of a command step: the harness's inherited environment, plus the throwaway database's connection
/// details in every form tools look for (docs/command-steps.md), plus the scenario's own <c>env:</c>. A value of null
/// removes an inherited variable.
/// </summary>
public static partial class CommandEnvironment
{
    /// <summary>Carries a token unique to one step run, so that processes the command left behind can be found (see <see cref="ProcessTree"/>).</summary>
    public const string StepIdVariable = "RV_STEP_ID";

    /// <summary>Harness settings that carry an administrator's credentials for a whole server; a command has no business with them.</summary>
    private static readonly string[] HarnessSettings = ["RV_POSTGRES_URL", "RV_MYSQL_URL"];

    /// <summary>Why a scenario may not set <paramref name="name"/> in a step's env, or null when it may.</summary>
    public static string? ReservedProblem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!VariableName().IsMatch(name))
        {
            return "not a valid environment variable name (letters, digits and _, not starting with a digit)";
        }

        if (name.StartsWith("RV_", StringComparison.OrdinalIgnoreCase) || name.Equals("DATABASE_URL", StringComparison.OrdinalIgnoreCase))
        {
            return "set by the harness to the throwaway database; a scenario cannot change it (use another name, e.g. MY_URL: \"${DATABASE_URL}\")";
        }

        return null;
    }

    /// <summary>The variables to set (null: remove) for one run of <paramref name="step"/>.</summary>
    /// <param name="details">The throwaway database.</param>
    /// <param name="engine">Its engine.</param>
    /// <param name="phase">The phase the command stands for.</param>
    /// <param name="step">The step, with the scenario's own variables.</param>
    /// <param name="inherited">The harness's environment, for ${NAME} references in the scenario's values.</param>
    /// <exception cref="ScenarioDefinitionException">The scenario's env replaces a connection variable or refers to an unset variable (names scenario.yml and line).</exception>
    public static IReadOnlyDictionary<string, string?> Build(
        ConnectionDetails details,
        EngineKind engine,
        Phase phase,
        CommandStep step,
        IReadOnlyDictionary<string, string> inherited)
    {
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(inherited);
        var harness = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["RV_ENGINE"] = engine.ToName(),
            ["RV_PHASE"] = phase.ToString().ToLowerInvariant(),
            ["RV_SCENARIO_DIR"] = Path.GetDirectoryName(step.ManifestPath),
            ["DATABASE_URL"] = details.Url,
            ["RV_DATABASE_URL"] = details.Url,
            ["RV_CONNECTION_STRING"] = details.ConnectionString,
            ["ConnectionStrings__Default"] = details.ConnectionString,
            ["RV_DB_NAME"] = details.Database,
        };
        SetIfKnown(harness, "RV_DB_HOST", details.Host);
        SetIfKnown(harness, "RV_DB_PORT", details.Port?.ToString(CultureInfo.InvariantCulture));
        SetIfKnown(harness, "RV_DB_USER", details.User);
        SetIfKnown(harness, "RV_DB_PASSWORD", details.Password);
        SetIfKnown(harness, "RV_DB_PATH", details.FilePath);
        foreach (var setting in HarnessSettings)
        {
            harness[setting] = null;
        }

        foreach (var (name, value) in details.ClientEnvironment)
        {
            harness[name] = value;
        }

        var result = new Dictionary<string, string?>(harness, StringComparer.Ordinal);
        foreach (var (name, value) in step.Environment)
        {
            if (harness.ContainsKey(name) && !name.StartsWith("ConnectionStrings__", StringComparison.Ordinal))
            {
                throw new ScenarioDefinitionException(step.ManifestPath, step.Line, $"env.{name} is set by the harness to the throwaway database on {engine.ToName()}; a scenario cannot change it");
            }

            result[name] = Expand(value, name, step, harness, inherited);
        }

        return result;
    }

    /// <summary>The environment of this process, as a dictionary (for ${NAME} references).</summary>
    public static IReadOnlyDictionary<string, string> Current()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        return result;
    }

    /// <summary>Replaces ${NAME} with the variable's value (the harness's first, then the inherited ones); $$ is a literal $.</summary>
    private static string Expand(string value, string name, CommandStep step, Dictionary<string, string?> harness, IReadOnlyDictionary<string, string> inherited)
    {
        var text = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '$' || i + 1 >= value.Length)
            {
                text.Append(value[i]);
                continue;
            }

            if (value[i + 1] == '$')
            {
                text.Append('$');
                i++;
                continue;
            }

            var close = value[i + 1] == '{' ? value.IndexOf('}', i + 2) : -1;
            if (close < 0)
            {
                text.Append('$');
                continue;
            }

            var reference = value[(i + 2)..close];
            var resolved = harness.TryGetValue(reference, out var own) ? own : inherited.GetValueOrDefault(reference);
            text.Append(resolved ?? throw new ScenarioDefinitionException(
                step.ManifestPath, step.Line, $"env.{name} refers to ${{{reference}}}, which is not set (write $$ for a literal $)"));
            i = close;
        }

        return text.ToString();
    }

    private static void SetIfKnown(Dictionary<string, string?> variables, string name, string? value)
    {
        if (value is not null)
        {
            variables[name] = value;
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();
}
