using System.IO.Enumeration;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Cli;

/// <summary>One scenario on one engine: the unit that runs, is reported, and is assigned to a shard.</summary>
/// <param name="Index">0-based position in the run (report and console order).</param>
/// <param name="Scenario">The scenario, with command-line overrides applied.</param>
/// <param name="Engine">The engine.</param>
/// <param name="Shard">1-based shard the item belongs to (1 when the run is not sharded).</param>
public sealed record WorkItem(int Index, Scenario Scenario, EngineKind Engine, int Shard)
{
    /// <summary>"add-column on sqlite".</summary>
    public string Title => $"{Scenario.Name} on {Engine.ToName()}";

    /// <summary>
    /// What the shard assignment orders by: the name, then the folder relative to the current directory with '/'
    /// separators, so two machines with the same checkout agree whatever their file systems list first.
    /// </summary>
    public static string ShardKey(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return scenario.Name + "\n" + Path.GetRelativePath(Environment.CurrentDirectory, scenario.Directory).Replace('\\', '/');
    }
}

/// <summary>The scenarios a command selected and the work items they make.</summary>
/// <param name="Scenarios">Selected scenarios (after --filter), in discovery order.</param>
/// <param name="Skipped">Selected scenarios that target none of the engines asked for.</param>
/// <param name="All">Every work item, before --shard.</param>
/// <param name="Items">The work items to run: <paramref name="All"/>, or the shard's part of it.</param>
public sealed record Selection(IReadOnlyList<Scenario> Scenarios, IReadOnlyList<Scenario> Skipped, IReadOnlyList<WorkItem> All, IReadOnlyList<WorkItem> Items);

/// <summary>Paths, --engine, --filter and --shard turned into scenarios and work items; shared by verify and list.</summary>
public static class ScenarioSelection
{
    /// <summary>Discovers and loads the scenarios under the settings' paths for the engines asked for, keeping those --filter selects.</summary>
    /// <exception cref="ScenarioDefinitionException">A path or scenario is invalid.</exception>
    /// <exception cref="RollbackVerifierException">Filters are given and match no scenario.</exception>
    public static IReadOnlyList<Scenario> Load(SelectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var engines = settings.Engines;
        var filters = settings.Filter ?? [];
        var found = ScenarioLoader.Discover(settings.PathsOrDefault).Select(folder => ScenarioLoader.LoadFor(folder, engines)).ToList();
        var kept = found.Where(s => Matches(s, filters)).ToList();
        if (kept.Count == 0 && filters.Length > 0)
        {
            // A typo in a CI filter must not pass as "nothing to verify".
            throw new RollbackVerifierException(
                $"no scenario matches --filter {string.Join(" ", filters.Select(f => $"'{f}'"))} among the {found.Count} found in {string.Join(", ", settings.PathsOrDefault)}");
        }

        return kept;
    }

    /// <summary>
    /// Scenarios made elsewhere (a migration history's), narrowed to the engines asked for and to what --filter
    /// selects; a filter that keeps nothing is an error, as for scenario folders.
    /// </summary>
    /// <exception cref="RollbackVerifierException">Filters are given and match no scenario.</exception>
    public static IReadOnlyList<Scenario> Keep(SelectionSettings settings, IReadOnlyList<Scenario> scenarios, string source)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(scenarios);
        var engines = settings.Engines;
        var filters = settings.Filter ?? [];
        var narrowed = scenarios.Select(s => engines.Count == 0 ? s : s with { Engines = s.Engines.Where(engines.Contains).ToList() }).ToList();
        var kept = narrowed.Where(s => Matches(s, filters)).ToList();
        return kept.Count == 0 && filters.Length > 0
            ? throw new RollbackVerifierException($"no migration matches --filter {string.Join(" ", filters.Select(f => $"'{f}'"))} among the {scenarios.Count} of {source}")
            : kept;
    }

    /// <summary>The work items of <paramref name="scenarios"/>, in order, with their shards (for <paramref name="shardCount"/> shards, or the settings' --shard).</summary>
    public static Selection Select(SelectionSettings settings, IReadOnlyList<Scenario> scenarios, int? shardCount = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(scenarios);
        var pairs = scenarios.SelectMany(s => s.Engines.Select(e => (Scenario: s, Engine: e))).ToList();
        var shard = settings.ShardSpec;
        var count = shardCount ?? shard?.Count ?? 1;
        var shards = Shard.Assign(pairs, p => p.Engine, p => WorkItem.ShardKey(p.Scenario), count);
        var all = pairs.Select((p, i) => new WorkItem(i, p.Scenario, p.Engine, shards[i])).ToList();
        var items = shard is null ? all : all.Where(w => w.Shard == shard.Index).Select((w, i) => w with { Index = i }).ToList();
        return new Selection(scenarios, scenarios.Where(s => s.Engines.Count == 0).ToList(), all, items);
    }

    /// <summary>
    /// True when the scenario passes the filters: with no filter, or only exclusions, everything not excluded; otherwise
    /// what some inclusion matches and no exclusion does. Globs match the name or the folder name, ignoring case.
    /// </summary>
    public static bool Matches(Scenario scenario, IReadOnlyList<string> filters)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(filters);
        var folder = Path.GetFileName(scenario.Directory);
        bool Glob(string pattern) =>
            FileSystemName.MatchesSimpleExpression(pattern, scenario.Name, ignoreCase: true)
            || FileSystemName.MatchesSimpleExpression(pattern, folder, ignoreCase: true);
        var include = filters.Where(f => !f.StartsWith('!')).ToList();
        var exclude = filters.Where(f => f.StartsWith('!')).Select(f => f[1..]).ToList();
        return (include.Count == 0 || include.Any(Glob)) && !exclude.Any(Glob);
    }
}
