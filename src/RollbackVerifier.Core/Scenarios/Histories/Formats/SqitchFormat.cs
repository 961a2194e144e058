using System.Text.RegularExpressions;
using RollbackVerifier.Model;

namespace RollbackVerifier.Scenarios.Histories;

/// <summary>
/// Sqitch: <c>sqitch.plan</c> (pragmas, changes with [dependencies], @tags, reworked changes) with deploy/ and revert/
/// scripts; <c>sqitch.conf</c> names the engine (<c>[core] engine = pg</c>) and, for a project that targets several,
/// each engine's top_dir / plan_file (<c>[engine "mysql"] top_dir = mysql</c>). A reworked change's earlier instances
/// use the scripts named after a tag that follows them (<c>deploy/insert_user@v1.0.sql</c>), as Sqitch looks them up.
/// Scripts run statement by statement with their own BEGIN/COMMIT, as Sqitch runs them with the engine's client.
/// </summary>
internal sealed partial class SqitchFormat : HistoryFormat
{
    public override string Name => "sqitch";

    public override string Looks => "sqitch.plan with deploy/ and revert/";

    internal override string? Recognise(HistoryFolder folder) =>
        new[] { "sqitch.plan", "sqitch.conf" }.FirstOrDefault(f => File.Exists(folder.Full(f)));

    internal override MigrationHistory Load(HistoryFolder folder)
    {
        var config = Config.Read(folder.Full("sqitch.conf"));
        var targets = config.Targets();
        var migrations = new List<Migration>();
        foreach (var (engine, dirs) in targets)
        {
            migrations.AddRange(LoadPlan(folder, dirs, engine));
        }

        var specific = targets.Where(t => t.Engine is not null).Select(t => t.Engine!.Value).Distinct().Order().ToList();
        return new MigrationHistory(Name, folder.Path, VersionScheme.Position, migrations) { SpecificEngines = specific };
    }

    private static List<Migration> LoadPlan(HistoryFolder folder, Dirs dirs, EngineKind? engine)
    {
        var planPath = folder.Full(dirs.Plan);
        if (!File.Exists(planPath))
        {
            throw new ScenarioDefinitionException(planPath, null, engine is null ? "no sqitch.plan" : $"no plan for {engine.Value.ToName()} (sqitch.conf names this plan_file/top_dir)");
        }

        var plan = SourceFile.Read(planPath);
        var changes = new List<Change>();
        for (var i = 0; i < plan.Lines.Count; i++)
        {
            var number = i + 1;
            var line = plan.Lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#') || Pragma().IsMatch(line))
            {
                continue;
            }

            if (line.StartsWith('@'))
            {
                var tag = Tag().Match(line);
                if (!tag.Success)
                {
                    throw plan.Error(number, "malformed tag line: expected @name YYYY-MM-DDTHH:MM:SSZ planner <email> [# note]");
                }

                if (changes.Count == 0)
                {
                    throw plan.Error(number, $"tag @{tag.Groups["name"].Value} before the first change: a tag names the change before it");
                }

                var name = tag.Groups["name"].Value;
                if (changes.Any(c => c.Tags.Contains(name)))
                {
                    throw plan.Error(number, $"tag @{name} is declared twice");
                }

                changes[^1].Tags.Add(name);
                continue;
            }

            var match = ChangeLine().Match(line);
            if (!match.Success)
            {
                throw plan.Error(number, "malformed plan line: expected name [dependencies] YYYY-MM-DDTHH:MM:SSZ planner <email> [# note]");
            }

            if (match.Groups["op"].Value == "-")
            {
                throw plan.Error(number, "a revert operator ('-' before the change name) in the plan is not supported");
            }

            var change = new Change(match.Groups["name"].Value, number, match.Groups["note"].Value.Trim());
            var previous = changes.FindLastIndex(c => c.Name == change.Name);
            if (previous >= 0 && !changes.Skip(previous).Any(c => c.Tags.Count > 0))
            {
                throw plan.Error(number, $"change {change.Name} appears again without a tag since line {changes[previous].Line} (sqitch rework needs a tag in between)");
            }

            foreach (var dependency in match.Groups["deps"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                Check(plan, number, changes, dependency, change.Name);
            }

            changes.Add(change);
        }

        var migrations = new List<Migration>();
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            var next = changes.FindIndex(i + 1, c => c.Name == change.Name);

            // Sqitch's rework tags: the tags between this instance and its rework, latest first, then its own.
            var suffixes = next < 0 ? [string.Empty] : changes.Take(next).Skip(i + 1).Reverse().SelectMany(c => Enumerable.Reverse(c.Tags)).Concat(change.Tags).Select(t => "@" + t).ToList();
            var deploy = Find(folder, dirs.Deploy, change.Name, suffixes, dirs.Extension);
            var suffix = deploy.Suffix;
            if (deploy.Path is null)
            {
                throw plan.Error(change.Line, $"change {change.Name} has no deploy script {dirs.Deploy}/{change.Name}{suffixes[0]}.{dirs.Extension}");
            }

            var revertPath = folder.Full(Path.Combine(dirs.Revert, change.Name + suffix + "." + dirs.Extension));
            var up = Steps(engine, new ScriptStep(SourceFile.Read(deploy.Path).Whole(), ExecutionMode.Autocommit));
            var down = File.Exists(revertPath) ? Steps(engine, new ScriptStep(SourceFile.Read(revertPath).Whole(), ExecutionMode.Autocommit)) : [];
            var version = change.Name + suffix;
            migrations.Add(new Migration(version, version, MigrationKind.Versioned, up, down)
            {
                Description = change.Note,
                MissingDown = $"no revert script {dirs.Revert}/{change.Name}{suffix}.{dirs.Extension}",
            });
        }

        return migrations;
    }

    private static Dictionary<EngineKind, ScriptStep> Steps(EngineKind? engine, ScriptStep step) =>
        engine is { } only ? new Dictionary<EngineKind, ScriptStep> { [only] = step } : Resolve(step, new Dictionary<EngineKind, ScriptStep>());

    private static (string? Path, string Suffix) Find(HistoryFolder folder, string dir, string name, List<string> suffixes, string extension)
    {
        foreach (var suffix in suffixes)
        {
            var path = folder.Full(Path.Combine(dir, name + suffix + "." + extension));
            if (File.Exists(path))
            {
                return (path, suffix);
            }
        }

        return (null, suffixes[0]);
    }

    /// <summary>A dependency must name a change (or change@tag, or @tag) earlier in the plan; other projects' (proj:change) are not checked; conflicts (!change) neither.</summary>
    private static void Check(SourceFile plan, int line, List<Change> earlier, string dependency, string name)
    {
        if (dependency.StartsWith('!') || dependency.Contains(':', StringComparison.Ordinal))
        {
            return;
        }

        var at = dependency.IndexOf('@', StringComparison.Ordinal);
        var change = at < 0 ? dependency : dependency[..at];
        var tag = at < 0 ? null : dependency[(at + 1)..];
        var known = change.Length == 0
            ? earlier.Any(c => c.Tags.Contains(tag!))
            : tag is null ? earlier.Any(c => c.Name == change)
            : earlier.FindIndex(c => c.Name == change) is var first and >= 0 && earlier.Skip(first).Any(c => c.Tags.Contains(tag));
        if (!known)
        {
            throw plan.Error(line, $"change {name} requires '{dependency}', which is not earlier in the plan");
        }
    }

    [GeneratedRegex(@"^%\s*[\w-]+\s*(=.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pragma();

    [GeneratedRegex(@"^@(?<name>[^\s@#:/\\]+)\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+[^<#]*<[^>]*>\s*(#.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    [GeneratedRegex(@"^(?<op>[+-])?(?<name>[^\s\[\]#@:\\]+)(\s+\[(?<deps>[^\]]*)\])?\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+[^<#]*<[^>]*>\s*(#(?<note>.*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex ChangeLine();

    private sealed record Change(string Name, int Line, string Note)
    {
        public List<string> Tags { get; } = [];
    }

    private sealed record Dirs(string Plan, string Deploy, string Revert, string Extension);

    /// <summary>sqitch.conf (git-config syntax): [core] and [engine "name"] sections, the keys that place plan and scripts.</summary>
    private sealed partial class Config
    {
        private readonly Dictionary<string, Dictionary<string, string>> _sections = new(StringComparer.OrdinalIgnoreCase);
        private string _path = string.Empty;

        public static Config Read(string path)
        {
            var config = new Config { _path = path };
            if (!File.Exists(path))
            {
                return config;
            }

            var file = SourceFile.Read(path);
            var section = string.Empty;
            for (var i = 0; i < file.Lines.Count; i++)
            {
                var line = file.Lines[i].Trim();
                if (line.Length == 0 || line[0] is '#' or ';')
                {
                    continue;
                }

                if (SectionLine().Match(line) is { Success: true } header)
                {
                    section = header.Groups["sub"].Success ? $"{header.Groups["name"].Value}.{header.Groups["sub"].Value}" : header.Groups["name"].Value;
                    continue;
                }

                var eq = line.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw file.Error(i + 1, "malformed sqitch.conf line: expected [section] or key = value");
                }

                if (!config._sections.TryGetValue(section, out var keys))
                {
                    config._sections[section] = keys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                }

                keys[line[..eq].Trim()] = line[(eq + 1)..].Trim().Trim('"');
            }

            return config;
        }

        /// <summary>The plans to load: one per [engine "x"] section of an engine RollbackVerifier runs, else [core].</summary>
        public List<(EngineKind? Engine, Dirs Dirs)> Targets()
        {
            var core = Get("core");
            var engines = _sections.Keys.Where(k => k.StartsWith("engine.", StringComparison.OrdinalIgnoreCase)).Select(k => k[7..]).ToList();
            var result = new List<(EngineKind?, Dirs)>();
            foreach (var name in engines)
            {
                if (SqitchEngine(name) is { } engine)
                {
                    result.Add((engine, DirsFor(Get("engine." + name), core)));
                }
            }

            if (result.Count == 0)
            {
                EngineKind? engine = core.TryGetValue("engine", out var coreEngine)
                    ? SqitchEngine(coreEngine) ?? throw new ScenarioDefinitionException(_path, null, $"sqitch engine '{coreEngine}' is not one RollbackVerifier runs (pg, mysql, sqlite)")
                    : null;
                result.Add((engine, DirsFor(new Dictionary<string, string>(), core)));
            }

            return result;
        }

        private static EngineKind? SqitchEngine(string name) => name.ToLowerInvariant() switch
        {
            "pg" => EngineKind.Postgres,
            "mysql" => EngineKind.MySql,
            "sqlite" => EngineKind.Sqlite,
            _ => null,
        };

        private static Dirs DirsFor(Dictionary<string, string> engine, Dictionary<string, string> core)
        {
            string Value(string key, string fallback) => engine.TryGetValue(key, out var v) || core.TryGetValue(key, out v) ? v : fallback;
            var top = Value("top_dir", ".");
            return new Dirs(
                Value("plan_file", Path.Combine(top, "sqitch.plan")),
                Value("deploy_dir", Path.Combine(top, "deploy")),
                Value("revert_dir", Path.Combine(top, "revert")),
                Value("extension", "sql"));
        }

        private Dictionary<string, string> Get(string section) => _sections.TryGetValue(section, out var keys) ? keys : [];

        [GeneratedRegex(@"^\[\s*(?<name>[\w.-]+)(\s+""(?<sub>[^""]*)"")?\s*\]$", RegexOptions.CultureInvariant)]
        private static partial Regex SectionLine();
    }
}
