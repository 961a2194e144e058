using RollbackVerifier.Execution;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;

namespace RollbackVerifier.Scenarios.Histories;

/// <summary>What to verify of a migration folder (verify --history and its options).</summary>
/// <param name="Folder">The migration folder.</param>
public sealed record HistoryOptions(string Folder)
{
    /// <summary>Force a format instead of detecting it.</summary>
    public string? Format { get; init; }

    /// <summary>Only this engine.</summary>
    public EngineKind? Engine { get; init; }

    /// <summary>First version to verify (inclusive, in the format's own ordering).</summary>
    public string? From { get; init; }

    /// <summary>Last version to verify (inclusive).</summary>
    public string? To { get; init; }

    /// <summary>Only this migration.</summary>
    public string? Migration { get; init; }

    /// <summary>"first..last": the migrations in between verified as one unit (their ups in order, their downs in reverse).</summary>
    public string? Unit { get; init; }
}

/// <summary>How a planned migration is reported.</summary>
internal enum StepKind
{
    /// <summary>An ordinary scenario: baseline = earlier ups, forward = its up, rollback = its down.</summary>
    Verify,

    /// <summary>No down: an RV108 finding; its up is checked in the chain.</summary>
    Irreversible,

    /// <summary>A repeatable migration: an RV109 note; its up is checked in the chain.</summary>
    Repeatable,

    /// <summary>A script that cannot be split into statements (a psql meta-command, an unterminated quote): broken without running.</summary>
    Broken,
}

/// <summary>One planned migration (or unit) on one engine.</summary>
internal sealed record PlannedStep(string Scenario, EngineKind Engine, StepKind Kind, HistoryPosition Position, IReadOnlyList<int> Members)
{
    public string? Problem { get; init; }

    /// <summary>The problem is in an up script: the chain cannot go past it.</summary>
    public bool ProblemInUp { get; init; }

    public Finding? Finding { get; init; }
}

/// <summary>One engine's history: its migrations in order and what the chain check must apply.</summary>
internal sealed class EngineChain(EngineKind engine, IReadOnlyList<Migration> migrations)
{
    public EngineKind Engine { get; } = engine;

    public IReadOnlyList<Migration> Migrations { get; } = migrations;

    /// <summary>An up (at or before the last planned migration) that cannot be split: the chain stops there.</summary>
    public (int Index, string Why)? StaticStop { get; set; }

    /// <summary>The last index the chain check applies (-1: no check needed, every planned up is verified by its own scenario).</summary>
    public int CheckUntil { get; set; } = -1;

    /// <summary>Indexes verified by their own scenario (whose failure that scenario reports).</summary>
    public HashSet<int> OwnScenarios { get; } = [];

    public ScriptStep Up(int index) => Migrations[index].Up[Engine];

    /// <summary>The migration whose up script holds <paramref name="file"/>:<paramref name="line"/> (several changesets share one changelog).</summary>
    public int IndexOfUp(string file, int line)
    {
        for (var i = 0; i < Migrations.Count; i++)
        {
            var script = Up(i).Script;
            if (script.Path != file)
            {
                continue;
            }

            var lines = script.Text.Split('\n');
            var first = Array.FindIndex(lines, l => l.Trim().Length > 0) + 1;
            var last = Array.FindLastIndex(lines, l => l.Trim().Length > 0) + 1;
            if (line >= first && line <= last)
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>
/// A migration history planned for verification: one ordinary <see cref="Scenario"/> per migration (or one for a unit),
/// whose baseline is the earlier ups, forward its up and rollback its down, each step in its own execution mode.
/// Run them with <see cref="HistoryRunner"/>, which adds the chain semantics.
/// </summary>
public sealed class HistoryPlan
{
    private readonly Dictionary<(string Scenario, EngineKind Engine), PlannedStep> _steps = [];

    private HistoryPlan(MigrationHistory history, HistorySettings settings)
    {
        History = history;
        Settings = settings;
    }

    public MigrationHistory History { get; }

    public HistorySettings Settings { get; }

    /// <summary>The scenarios, in history order.</summary>
    public IReadOnlyList<Scenario> Scenarios { get; private set; } = [];

    internal Dictionary<EngineKind, EngineChain> Chains { get; } = [];

    internal PlannedStep? StepFor(string scenario, EngineKind engine) => _steps.GetValueOrDefault((scenario, engine));

    /// <summary>Loads the folder and plans the scenarios. Every problem names the file and line (or the option).</summary>
    /// <exception cref="ScenarioDefinitionException">Unreadable folder, bad option, or a file the format rejects.</exception>
    public static HistoryPlan Create(HistoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Migration is not null && (options.From ?? options.To ?? options.Unit) is not null
            || options.Unit is not null && (options.From ?? options.To) is not null)
        {
            throw new ScenarioDefinitionException("--migration, --unit and --from/--to choose migrations in different ways: give only one of them");
        }

        var (history, settings) = HistoryFormats.Load(options.Folder, options.Format);
        var plan = new HistoryPlan(history, settings);
        var engines = plan.Engines(options.Engine);
        plan.CheckSettings();
        var scenarios = new Dictionary<string, (Scenario Scenario, Dictionary<EngineKind, ScenarioScripts> Scripts, List<EngineKind> Engines)>(StringComparer.Ordinal);
        foreach (var engine in engines)
        {
            var chain = new EngineChain(engine, history.For(engine));
            plan.Chains[engine] = chain;
            foreach (var members in plan.Select(chain, options))
            {
                var (scenario, scripts, step) = plan.Build(chain, members);
                plan._steps[(scenario.Name, engine)] = step;
                if (!scenarios.TryGetValue(scenario.Name, out var entry))
                {
                    scenarios[scenario.Name] = entry = (scenario, [], []);
                }

                entry.Scripts[engine] = scripts;
                entry.Engines.Add(engine);
            }

            plan.FindStaticStop(chain);
        }

        plan.Scenarios = scenarios.Values.Select(e => e.Scenario with { Engines = e.Engines, Scripts = e.Scripts }).ToList();
        return plan;
    }

    private List<EngineKind> Engines(EngineKind? only)
    {
        var supported = EngineKinds.All.Where(e => History.For(e).Count > 0).ToList();
        if (only is { } engine)
        {
            if (!supported.Contains(engine) || (Settings.Engines is { } named && !named.Contains(engine)))
            {
                var offered = Settings.Engines ?? supported;
                throw new ScenarioDefinitionException(History.Folder, null, $"the history has no migrations for {engine.ToName()} (it targets {string.Join(", ", offered.Select(e => e.ToName()))})");
            }

            return [engine];
        }

        var engines = Settings.Engines ?? History.SpecificEngines;
        return engines.Count > 0
            ? engines.Where(supported.Contains).ToList()
            : throw new ScenarioDefinitionException(History.Folder, null, $"no engine: pass --engine, or name them with engines: in {HistorySettings.FileName}");
    }

    /// <summary>Every migrations: entry and every accepted range must name migrations of the history.</summary>
    private void CheckSettings()
    {
        foreach (var own in Settings.Migrations)
        {
            if (!History.Migrations.Any(m => Matches(own.Key, m)))
            {
                throw new ScenarioDefinitionException(Settings.Path, own.Line, $"no migration '{own.Key}' in the history (versions: {Versions()})");
            }
        }

        foreach (var accepted in Settings.Accepted.Where(a => a.Migrations is not null))
        {
            var (from, to) = Range(accepted.Migrations!);
            foreach (var bound in new[] { from, to }.OfType<string>())
            {
                if (!History.Versions.IsVersion(bound) || (History.Versions == VersionScheme.Position && !History.Migrations.Any(m => Matches(bound, m))))
                {
                    throw new ScenarioDefinitionException(Settings.Path, accepted.Line, $"accepted.migrations: '{bound}' is not {History.Versions.Describe} (versions: {Versions()})");
                }
            }
        }
    }

    private bool Matches(string text, Migration migration)
    {
        var all = History.Migrations;
        var index = IndexOf(migration);
        return migration.Name == text || migration.Version == text || migration.Aliases.Contains(text) || History.Versions.Place(text, all, index) == 0;
    }

    private int IndexOf(Migration migration)
    {
        for (var i = 0; i < History.Migrations.Count; i++)
        {
            if (ReferenceEquals(History.Migrations[i], migration))
            {
                return i;
            }
        }

        return -1;
    }

    private string Versions()
    {
        var versions = History.Migrations.Select(m => m.Version).ToList();
        return versions.Count <= 12 ? string.Join(", ", versions) : string.Join(", ", versions.Take(5)) + ", ..., " + string.Join(", ", versions.TakeLast(5));
    }

    private static (string? From, string? To) Range(string text)
    {
        var dots = text.IndexOf("..", StringComparison.Ordinal);
        return dots < 0 ? (text, text) : (Blank(text[..dots]), Blank(text[(dots + 2)..]));

        static string? Blank(string s) => s.Trim().Length == 0 ? null : s.Trim();
    }

    /// <summary>True when the migration at <paramref name="index"/> lies within from..to (inclusive; null bounds are open).</summary>
    private bool InRange(IReadOnlyList<Migration> list, int index, string? from, string? to, string what)
    {
        if (list[index].Kind == MigrationKind.Repeatable)
        {
            return from is null && to is null; // a repeatable has no version: only an open range holds it
        }

        int? Place(string bound) => History.Versions.Place(bound, list, index)
            ?? throw new ScenarioDefinitionException(History.Folder, null, $"{what}: '{bound}' is not {History.Versions.Describe} (versions: {Versions()})");
        return (from is null || Place(from) <= 0) && (to is null || Place(to) >= 0);
    }

    /// <summary>The planned migrations of one engine: single indexes, or one unit of several.</summary>
    private List<List<int>> Select(EngineChain chain, HistoryOptions options)
    {
        var list = chain.Migrations;
        var versioned = Enumerable.Range(0, list.Count).Where(i => list[i].Kind == MigrationKind.Versioned).ToList();
        List<List<int>> selected;
        if (options.Migration is { } one)
        {
            var index = Enumerable.Range(0, list.Count).Where(i => Matches(one, list[i])).ToList();
            selected = index.Count > 0 ? [[index[0]]] : throw new ScenarioDefinitionException(History.Folder, null, $"--migration: no migration '{one}' for {chain.Engine.ToName()} (versions: {Versions()})");
        }
        else if (options.Unit is { } unit)
        {
            if (!unit.Contains("..", StringComparison.Ordinal))
            {
                throw new ScenarioDefinitionException(History.Folder, null, $"--unit must be FIRST..LAST, got '{unit}'");
            }

            var (from, to) = Range(unit);
            var members = versioned.Where(i => InRange(list, i, from, to, "--unit")).ToList();
            selected = members.Count > 0 ? [members] : [];
        }
        else
        {
            selected = versioned.Where(i => InRange(list, i, options.From, options.To, options.From is not null && options.To is null ? "--from" : "--to")).Select(i => new List<int> { i }).ToList();
            if (options.To is null)
            {
                // Repeatables run after every versioned migration, so they belong to any range open at the end.
                selected.AddRange(Enumerable.Range(0, list.Count).Where(i => list[i].Kind == MigrationKind.Repeatable).Select(i => new List<int> { i }));
            }
        }

        return selected.Count > 0
            ? selected
            : throw new ScenarioDefinitionException(History.Folder, null, $"no migration for {chain.Engine.ToName()} in the given range (versions: {Versions()})");
    }

    private (Scenario Scenario, ScenarioScripts Scripts, PlannedStep Step) Build(EngineChain chain, List<int> members)
    {
        var engine = chain.Engine;
        var list = chain.Migrations;
        var first = list[members[0]];
        var last = list[members[^1]];
        var own = members.Count == 1 ? Settings.Migrations.FirstOrDefault(s => Matches(s.Key, first)) : null;
        var settings = Settings.For(own);
        var name = members.Count == 1 ? first.Name : $"{first.Name}..{last.Name}";
        var version = members.Count == 1 ? first.Version : $"{first.Version}..{last.Version}";
        var position = new HistoryPosition(History.Format, History.Folder, version, name, members[0] + 1, list.Count)
        {
            Unit = members.Count == 1 ? [] : members.Select(i => list[i].Version).ToList(),
        };

        ScriptStep Up(int i) => WithMode(list[i].Up[engine], i == members[0] && members.Count == 1 ? settings.Up : Settings.For(Settings.Migrations.FirstOrDefault(s => Matches(s.Key, list[i]))).Up);
        var baseline = Enumerable.Range(0, members[0]).Where(i => list[i].Kind == MigrationKind.Versioned).Select(Up).ToList();
        var ups = members.Select(Up).ToList();
        var missing = members.Where(i => !list[i].Down.ContainsKey(engine)).ToList();
        var downs = missing.Count > 0 ? [] : members.AsEnumerable().Reverse().Select(i => WithMode(list[i].Down[engine], members.Count == 1 ? settings.Down : Settings.For(Settings.Migrations.FirstOrDefault(s => Matches(s.Key, list[i]))).Down)).ToList();

        var accepted = Settings.Accepted.Where(a => a.Migrations is null || members.All(i => InAcceptedRange(list, i, a.Migrations))).Select(a => a.Finding);
        var expect = settings.Expect ?? ScenarioExpectation.None;
        expect = expect with { Accepted = [.. expect.Accepted, .. accepted] };
        var description = settings.Description ?? (first.Description.Length > 0 ? first.Description : $"{History.Format} migration {version}");
        var scripts = new ScenarioScripts(null, ups[0].Script, downs.Count > 0 ? downs[0].Script : ups[0].Script)
        {
            BaselineSteps = baseline,
            ForwardSteps = ups,
            RollbackSteps = downs,
        };
        var scenario = new Scenario(name, History.Folder, description, [engine], new Dictionary<EngineKind, ScenarioScripts> { [engine] = scripts },
            settings.Seed ?? SeedSettings.Default, expect, settings.Timeouts ?? ScenarioTimeouts.Default, ExecutionSettings.Default, IsolationMode.Database);

        var step = new PlannedStep(name, engine, StepKind.Verify, position, members);
        var upProblem = SplitProblem(ups, engine);
        var problem = upProblem ?? SplitProblem(downs, engine);
        if (problem is not null)
        {
            step = step with { Kind = StepKind.Broken, Problem = problem, ProblemInUp = upProblem is not null };
        }
        else if (first.Kind == MigrationKind.Repeatable)
        {
            step = step with { Kind = StepKind.Repeatable, Finding = Finding.Create(FindingCodes.RepeatableNotRolledBack, first.Name, $"Repeatable migration {first.Name} applies after the versioned migrations; {first.MissingDown}, so its rollback is not verified.") };
        }
        else if (missing.Count > 0)
        {
            var why = string.Join("; ", missing.Select(i => $"{list[i].Name}: {list[i].MissingDown}"));
            step = step with { Kind = StepKind.Irreversible, Finding = Finding.Create(FindingCodes.IrreversibleMigration, name, $"Migration {version} cannot be rolled back ({why}).", evidence: Evidence.With(("migrations", string.Join(", ", missing.Select(i => list[i].Version))))) };
        }

        if (step.Kind is StepKind.Irreversible or StepKind.Repeatable)
        {
            chain.CheckUntil = Math.Max(chain.CheckUntil, members[^1]);
        }
        else if (step.Kind == StepKind.Verify)
        {
            chain.OwnScenarios.UnionWith(members);
        }

        return (scenario, scripts, step);
    }

    private bool InAcceptedRange(IReadOnlyList<Migration> list, int index, string range)
    {
        var (from, to) = Range(range);
        return InRange(list, index, from, to, "accepted.migrations");
    }

    private static ScriptStep WithMode(ScriptStep step, ExecutionMode? mode) => mode is null ? step : step with { Mode = mode };

    /// <summary>The first problem the engine's client has splitting the steps into statements, with its file and line.</summary>
    private static string? SplitProblem(IEnumerable<ScriptStep> steps, EngineKind engine)
    {
        foreach (var step in steps)
        {
            try
            {
                HistoryScripts.Splitter(engine).Split(step.Script.Text, step.Script.Path);
            }
            catch (ScriptSplitException ex)
            {
                return ex.Message;
            }
        }

        return null;
    }

    /// <summary>An up up to the last planned migration that cannot be split stops the chain there, before anything runs.</summary>
    private void FindStaticStop(EngineChain chain)
    {
        var lastPlanned = _steps.Values.Where(s => s.Engine == chain.Engine).Max(s => s.Members[^1]);
        for (var i = 0; i <= lastPlanned; i++)
        {
            if (SplitProblem([chain.Up(i)], chain.Engine) is { } problem)
            {
                chain.StaticStop = (i, problem);
                return;
            }
        }
    }
}
