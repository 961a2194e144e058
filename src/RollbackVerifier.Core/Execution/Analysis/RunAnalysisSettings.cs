using RollbackVerifier.Scenarios;
using YamlDotNet.RepresentationModel;

namespace RollbackVerifier.Execution.Analysis;

/// <summary>Which failure points the atomicity analysis tries.</summary>
public enum AtomicityMode
{
    /// <summary>No atomicity analysis.</summary>
    Off,

    /// <summary>Every statement that can change schema or data, at most <see cref="RunAnalysisSettings.AtomicityLimit"/>, evenly spread.</summary>
    Sample,

    /// <summary>After every statement but the last.</summary>
    All,
}

/// <summary>
/// How the rollback's run is analysed (scenario.yml <c>analysis:</c>, CLI <c>--atomicity</c>, <c>--atomicity-limit</c>):
/// the locks and table rebuilds of each statement, and what a failure after each statement leaves behind.
/// </summary>
/// <param name="Locks">Observe locks (PostgreSQL) and ALTER algorithms (MySQL) while the rollback runs.</param>
/// <param name="Atomicity">Failure points to try.</param>
/// <param name="AtomicityLimit">Most failure points in <see cref="AtomicityMode.Sample"/> mode.</param>
public sealed record RunAnalysisSettings(bool Locks, AtomicityMode Atomicity, int AtomicityLimit)
{
    /// <summary>
    /// Locks on; atomicity sampled at up to 8 failure points. A sampled probe costs one snapshot (one run and a clone when a
    /// transaction is open at that point), so a scenario pays for at most 8 extra snapshots; docs/run-analysis.md has numbers.
    /// </summary>
    public static RunAnalysisSettings Default { get; } = new(true, AtomicityMode.Sample, 8);

    /// <summary>The names scenario.yml and the CLI accept for <see cref="AtomicityMode"/>.</summary>
    public static IReadOnlyList<string> ModeNames { get; } = ["off", "sample", "all"];

    /// <summary>Parses off, sample or all (case-insensitive).</summary>
    public static bool TryParseMode(string? text, out AtomicityMode mode)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "off" or "false" or "no":
                mode = AtomicityMode.Off;
                return true;
            case "sample":
                mode = AtomicityMode.Sample;
                return true;
            case "all":
                mode = AtomicityMode.All;
                return true;
            default:
                mode = AtomicityMode.Off;
                return false;
        }
    }

    /// <summary>The mode's name as written in scenario.yml and reports.</summary>
    public static string Name(AtomicityMode mode) => mode switch
    {
        AtomicityMode.Sample => "sample",
        AtomicityMode.All => "all",
        _ => "off",
    };

    /// <summary>These settings with the command line's <c>--atomicity</c> and <c>--atomicity-limit</c> applied (null leaves a value as it is).</summary>
    /// <exception cref="ArgumentException">The mode is not off, sample or all, or the limit is not positive.</exception>
    public RunAnalysisSettings With(string? atomicity, int? limit)
    {
        var settings = this;
        if (atomicity is not null)
        {
            settings = TryParseMode(atomicity, out var mode)
                ? settings with { Atomicity = mode }
                : throw new ArgumentException($"--atomicity must be one of {string.Join(", ", ModeNames)}, got '{atomicity}'", nameof(atomicity));
        }

        if (limit is { } n)
        {
            settings = n > 0 ? settings with { AtomicityLimit = n } : throw new ArgumentException($"--atomicity-limit must be a positive integer, got {n}", nameof(limit));
        }

        return settings;
    }

    /// <summary>
    /// Parses the <c>analysis:</c> mapping of scenario.yml: <c>locks: true|false</c>, <c>atomicity: off|sample|all</c>,
    /// <c>atomicity_limit: N</c>. Errors name the file and line.
    /// </summary>
    /// <exception cref="ScenarioDefinitionException">The value is not a mapping of those keys with valid values.</exception>
    public static RunAnalysisSettings Parse(YamlNode node, string path)
    {
        ArgumentNullException.ThrowIfNull(node);
        ScenarioDefinitionException Error(YamlNode at, string problem) => new(path, (int)at.Start.Line, problem);
        string Text(YamlNode value, string what) =>
            value is YamlScalarNode { Value: { Length: > 0 } text } ? text.Trim() : throw Error(value, $"{what} must be a text value");

        if (node is not YamlMappingNode map)
        {
            throw Error(node, "analysis must be a mapping (locks, atomicity, atomicity_limit)");
        }

        var settings = Default;
        foreach (var (keyNode, value) in map.Children)
        {
            var key = Text(keyNode, "key").Replace('-', '_');
            switch (key)
            {
                case "locks":
                    settings = settings with
                    {
                        Locks = Text(value, "analysis.locks").ToLowerInvariant() switch
                        {
                            "true" or "yes" or "on" => true,
                            "false" or "no" or "off" => false,
                            var other => throw Error(value, $"analysis.locks must be true or false, got '{other}'"),
                        },
                    };
                    break;
                case "atomicity":
                    var mode = Text(value, "analysis.atomicity");
                    settings = TryParseMode(mode, out var parsed)
                        ? settings with { Atomicity = parsed }
                        : throw Error(value, $"analysis.atomicity must be one of {string.Join(", ", ModeNames)}, got '{mode}'");
                    break;
                case "atomicity_limit":
                    var limit = Text(value, "analysis.atomicity_limit");
                    settings = int.TryParse(limit, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0
                        ? settings with { AtomicityLimit = n }
                        : throw Error(value, $"analysis.atomicity_limit must be a positive integer, got '{limit}'");
                    break;
                default:
                    throw Error(keyNode, $"unknown key 'analysis.{key}'; allowed: locks, atomicity, atomicity_limit");
            }
        }

        return settings;
    }
}
