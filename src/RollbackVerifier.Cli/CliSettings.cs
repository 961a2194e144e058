using System.ComponentModel;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace RollbackVerifier.Cli;

/// <summary>Options every command takes. Derive a command's settings from this so its help lists them.</summary>
public class CliSettings : CommandSettings
{
    /// <summary>
    /// Shown in help only: <see cref="CliApp.RunAsync"/> takes the flag out of the arguments before parsing, so it works
    /// on every command (also one whose settings do not derive from this class) and before parse errors are printed.
    /// </summary>
    [CommandOption("--no-color")]
    [Description("No colours in the output, errors included (as does the NO_COLOR environment variable).")]
    public bool NoColor { get; init; }
}

/// <summary>Which scenarios and engines a command works on: paths, --engine, --filter and --shard, shared by verify and list.</summary>
public class SelectionSettings : CliSettings
{
    /// <summary>Used when no path is given.</summary>
    public const string DefaultPath = "scenarios";

    [CommandArgument(0, "[PATHS]")]
    [Description("Scenario folders, or folders holding scenario folders (default: scenarios).")]
    public string[] Paths { get; init; } = [];

    [CommandOption("-e|--engine <ENGINES>")]
    [Description("Only these engines: postgres, mysql, sqlite, comma-separated or repeated (-e postgres -e mysql). A scenario that names no engine runs on these.")]
    public string[] Engine { get; init; } = [];

    [CommandOption("-f|--filter|--name <GLOB>")]
    [Description("Only scenarios whose name or folder name matches this glob (* any text, ? one character); repeatable, any may match. A leading ! excludes: --filter '!*mysql*'.")]
    public string[] Filter { get; init; } = [];

    [CommandOption("--shard <I/N>")]
    [Description("Only shard I of N (1-based), e.g. --shard 2/4 in a CI matrix: each scenario and engine lands in exactly one shard, the same on every machine. Give every shard the same paths, --engine and --filter.")]
    public string? Shard { get; init; }

    /// <summary>The paths given, or <see cref="DefaultPath"/>.</summary>
    public IReadOnlyList<string> PathsOrDefault => Paths is { Length: > 0 } ? Paths : [DefaultPath];

    /// <summary>The engines asked for, in report order; empty for "every engine each scenario names".</summary>
    public IReadOnlyList<EngineKind> Engines => EngineOption.Parse(Engine, out var kinds, out _) ? kinds : [];

    /// <summary>The shard asked for, or null.</summary>
    public Shard? ShardSpec => Shard is not null && Execution.Shard.TryParse(Shard, out var shard, out _) ? shard : null;

    public override ValidationResult Validate()
    {
        if (!EngineOption.Parse(Engine, out _, out var problem))
        {
            return ValidationResult.Error(problem!);
        }

        if (Shard is not null && !Execution.Shard.TryParse(Shard, out _, out var shardProblem))
        {
            return ValidationResult.Error("--shard " + shardProblem);
        }

        var empty = (Filter ?? []).FirstOrDefault(f => f.TrimStart('!').Length == 0);
        return empty is not null ? ValidationResult.Error($"--filter '{empty}' is empty; give a name or a glob such as 'narrow-*'") : ValidationResult.Success();
    }
}

/// <summary>The --engine option's values: names (with aliases such as postgresql or mariadb), comma-separated or repeated.</summary>
public static class EngineOption
{
    /// <summary>Parses the values; false with a message naming the unknown value otherwise.</summary>
    public static bool Parse(IEnumerable<string>? values, out IReadOnlyList<EngineKind> engines, out string? problem)
    {
        var found = new HashSet<EngineKind>();
        foreach (var name in (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!EngineKinds.TryParse(name, out var kind))
            {
                engines = [];
                problem = $"unknown engine '{name}' in --engine; expected {string.Join(", ", EngineKinds.All.Select(k => k.ToName()))} (comma-separated for several)";
                return false;
            }

            found.Add(kind);
        }

        engines = EngineKinds.All.Where(found.Contains).ToList();
        problem = null;
        return true;
    }
}

/// <summary>A description that lists the registered report formats, so a new format needs no help-text edit.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ReportFormatsDescriptionAttribute(string prefix) : DescriptionAttribute
{
    public string Prefix { get; } = prefix;

    public override string Description => $"{Prefix} {string.Join(", ", ReportFormats.All.Select(f => $"{f.Name} ({f.FileName})"))}.";
}
