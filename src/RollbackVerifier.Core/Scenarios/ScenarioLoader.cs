using System.Globalization;
using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Analysis;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RollbackVerifier.Scenarios;

/// <summary>
/// Loads scenario folders: baseline/forward/rollback scripts (with per-engine variants such as forward.postgres.sql)
/// and an optional scenario.yml. Every problem is a <see cref="ScenarioDefinitionException"/> naming file and line.
/// </summary>
public static partial class ScenarioLoader
{
    public const string ManifestName = "scenario.yml";

    /// <summary>Scenario folders under the given paths: a path that is a scenario is one; otherwise its subfolders are searched.</summary>
    public static IReadOnlyList<string> Discover(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var found = new List<string>();
        foreach (var path in paths)
        {
            var full = FullPath(path);
            if (File.Exists(full))
            {
                // A file of a scenario (scenario.yml, forward.sql) stands for its folder.
                var folder = Path.GetDirectoryName(full)!;
                if (!IsScenarioFolder(folder))
                {
                    throw new ScenarioDefinitionException(full, null, "not a scenario folder (a scenario folder holds forward.sql or scenario.yml)");
                }

                found.Add(folder);
                continue;
            }

            if (!Directory.Exists(full))
            {
                throw new ScenarioDefinitionException(full, null, "no such scenario folder");
            }

            var before = found.Count;
            Collect(full, found);
            if (found.Count == before)
            {
                throw new ScenarioDefinitionException(full, null, "no scenario found (a scenario folder holds forward.sql or scenario.yml)");
            }
        }

        return found.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The absolute path without a trailing separator (so "x/" and "x" are the same scenario, named "x").</summary>
    private static string FullPath(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    public static bool IsScenarioFolder(string directory) =>
        File.Exists(Path.Combine(directory, ManifestName))
        || Directory.EnumerateFiles(directory, "forward*.sql").Any();

    private static void Collect(string directory, List<string> found)
    {
        if (IsScenarioFolder(directory))
        {
            found.Add(directory);
            return;
        }

        foreach (var sub in Directory.GetDirectories(directory).Order(StringComparer.Ordinal))
        {
            if (!Path.GetFileName(sub).StartsWith('.'))
            {
                Collect(sub, found);
            }
        }
    }

    /// <summary>Loads one scenario. With <paramref name="engine"/>, Engines is narrowed to it (empty when the scenario excludes it).</summary>
    public static Scenario Load(string directory, EngineKind? engine) => LoadFor(directory, engine is { } e ? [e] : []);

    /// <summary>
    /// Loads one scenario for the engines asked for on the command line. With <paramref name="engines"/> non-empty, Engines
    /// is narrowed to those of them the scenario targets, and a scenario that names no engine runs on all of them; empty
    /// means every engine the scenario names.
    /// </summary>
    public static Scenario LoadFor(string directory, IReadOnlyCollection<EngineKind> engines)
    {
        ArgumentNullException.ThrowIfNull(engines);
        var wanted = engines.Count > 0 ? EngineKinds.All.Where(engines.Contains).ToList() : null;
        var dir = FullPath(directory);
        if (!Directory.Exists(dir))
        {
            throw new ScenarioDefinitionException(dir, null, "no such scenario folder");
        }

        var manifestPath = Path.Combine(dir, ManifestName);
        var manifest = File.Exists(manifestPath) ? Manifest.Parse(manifestPath) : new Manifest(manifestPath);

        IReadOnlyList<EngineKind> targets = manifest.Engines ?? InferEngines(dir, manifest);
        if (targets.Count == 0)
        {
            targets = wanted ?? throw new ScenarioDefinitionException(dir, null, $"no engine: add 'engines:' to {ManifestName}, add per-engine scripts (forward.postgres.sql), or pass --engine");
        }
        else if (wanted is not null)
        {
            targets = targets.Where(wanted.Contains).ToList();
        }

        var scripts = new Dictionary<EngineKind, ScenarioScripts>();
        foreach (var kind in targets)
        {
            scripts[kind] = new ScenarioScripts(
                manifest.CommandFor(Phase.Baseline, kind) ?? ReadScript(dir, manifest.Baseline, kind, required: false),
                manifest.CommandFor(Phase.Forward, kind) ?? ReadScript(dir, manifest.Forward, kind, required: true)!,
                manifest.CommandFor(Phase.Rollback, kind) ?? ReadScript(dir, manifest.Rollback, kind, required: true)!);
        }

        var scenario = new Scenario(
            manifest.Name ?? Path.GetFileName(dir),
            dir,
            manifest.Description ?? string.Empty,
            targets,
            scripts,
            manifest.Seed,
            manifest.Expect,
            manifest.Timeouts,
            manifest.Execution,
            manifest.Isolation)
        {
            Compare = manifest.Compare,
            Rules = manifest.Rules,
        };
        return manifest.Analysis is null ? scenario : scenario with { Analysis = manifest.Analysis };
    }

    /// <summary>
    /// Without 'engines:', the engines that have a per-engine script (baseline, forward or rollback) are the scenario's
    /// engines; a folder of generic scripts only names none (the command line must).
    /// </summary>
    private static List<EngineKind> InferEngines(string dir, Manifest manifest) =>
        EngineKinds.All.Where(kind => new[] { manifest.Baseline, manifest.Forward, manifest.Rollback }
            .Any(file => File.Exists(Path.Combine(dir, Variant(file, kind)))) || manifest.HasCommandFor(kind)).ToList();

    private static string Variant(string file, EngineKind kind)
    {
        var extension = Path.GetExtension(file);
        return Path.ChangeExtension(file, null) + "." + kind.ToName() + extension;
    }

    private static ScriptSource? ReadScript(string dir, string file, EngineKind kind, bool required)
    {
        var specific = Path.Combine(dir, Variant(file, kind));
        var generic = Path.Combine(dir, file);
        var path = File.Exists(specific) ? specific : File.Exists(generic) ? generic : null;
        if (path is null)
        {
            if (required)
            {
                throw new ScenarioDefinitionException(generic, null, $"missing script for {kind.ToName()}: expected {Path.GetFileName(specific)} or {Path.GetFileName(generic)}");
            }

            return null;
        }

        return new ScriptSource(path, ScenarioText.Read(path));
    }

    /// <summary>scenario.yml, validated key by key with line numbers.</summary>
    internal sealed partial class Manifest(string path)
    {
        private static readonly string[] TopKeys = ["name", "description", "engines", "files", "seed", "expect", "timeouts", "execution", "isolation", "analysis", "steps", "compare", "rules"];

        public string Path { get; } = path;

        public string? Name { get; private set; }

        public string? Description { get; private set; }

        public IReadOnlyList<EngineKind>? Engines { get; private set; }

        public string Baseline { get; private set; } = "baseline.sql";

        public string Forward { get; private set; } = "forward.sql";

        public string Rollback { get; private set; } = "rollback.sql";

        public SeedSettings Seed { get; private set; } = SeedSettings.Default;

        public ScenarioExpectation Expect { get; private set; } = ScenarioExpectation.None;

        public ScenarioTimeouts Timeouts { get; private set; } = ScenarioTimeouts.Default;

        public ExecutionSettings Execution { get; private set; } = ExecutionSettings.Default;

        public IsolationMode Isolation { get; private set; } = IsolationMode.Database;

        public RunAnalysisSettings? Analysis { get; private set; }

        public static Manifest Parse(string path)
        {
            var manifest = new Manifest(path);
            var text = ScenarioText.Read(path);
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(text));
            }
            catch (Exception ex) when (ex is YamlException or InvalidOperationException)
            {
                // YamlDotNet reports some errors at the wrong place or without one; YamlErrors finds the line.
                var (line, problem) = YamlErrors.Describe(text, ex);
                throw new ScenarioDefinitionException(path, line, problem);
            }

            if (stream.Documents.Count > 1)
            {
                throw manifest.Error(stream.Documents[1].RootNode, $"{ManifestName} must hold a single YAML document");
            }

            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            {
                return manifest;
            }

            manifest.Apply(manifest.Map(stream.Documents[0].RootNode, "the document"), TopKeys);
            return manifest;
        }

        /// <summary>Reads scenario.yml keys from a mapping of another file (a history's rollback-verifier.yml); keys outside <paramref name="allowed"/> are errors, allowed keys it does not know are left to the caller.</summary>
        internal static Manifest FromMapping(string path, YamlMappingNode node, string[] allowed)
        {
            var manifest = new Manifest(path);
            manifest.Apply(node, allowed);
            return manifest;
        }

        private void Apply(YamlMappingNode root, string[] allowed)
        {
            var manifest = this;
            foreach (var (keyNode, value) in root.Children)
            {
                var key = manifest.Key(keyNode, allowed, string.Empty);
                switch (key)
                {
                    case "name": manifest.Name = manifest.NonEmpty(value, key); break;
                    case "description": manifest.Description = manifest.Text(value, key); break;
                    case "engines": manifest.Engines = manifest.Seq(value, key).Select(n => manifest.Engine(n)).Distinct().ToList(); break;
                    case "files": manifest.ParseFiles(value); break;
                    case "seed": manifest.ParseSeed(value); break;
                    case "expect": manifest.ParseExpect(value); break;
                    case "timeouts": manifest.ParseTimeouts(value); break;
                    case "execution": manifest.ParseExecution(value); break;
                    case "analysis": manifest.Analysis = RunAnalysisSettings.Parse(value, Path); break;
                    case "steps": manifest.ParseSteps(value); break;
                    case "compare": manifest.ParseCompare(value); break;
                    case "rules": manifest.ParseRules(value); break;
                    case "isolation":
                        manifest.Isolation = manifest.Text(value, key) switch
                        {
                            "database" => IsolationMode.Database,
                            "container" => IsolationMode.Container,
                            var other => throw manifest.Error(value, $"isolation must be 'database' or 'container', got '{other}'"),
                        };
                        break;
                }
            }

            manifest.CheckRulesAgainstExpectation();
        }

        private void ParseFiles(YamlNode node)
        {
            foreach (var (k, v) in Map(node, "files").Children)
            {
                RememberFileKey(Text(k, "key"), k);
                switch (Key(k, ["baseline", "forward", "rollback"], "files."))
                {
                    case "baseline": Baseline = RelativeFile(v, "files.baseline"); break;
                    case "forward": Forward = RelativeFile(v, "files.forward"); break;
                    case "rollback": Rollback = RelativeFile(v, "files.rollback"); break;
                }
            }
        }

        private void ParseSeed(YamlNode node)
        {
            var seed = Seed;
            var tables = new Dictionary<string, TableSeedSettings>(StringComparer.Ordinal);
            foreach (var (k, v) in Map(node, "seed").Children)
            {
                switch (Key(k, ["seed", "rows", "live_rows", "tables", "attacks"], "seed."))
                {
                    case "attacks":
                        var kinds = v is YamlScalarNode { Value: "none" } ? [] : v is YamlScalarNode { Value: "all" } ? null : Seq(v, "seed.attacks").Select(n => AttackKindName(n)).ToList();
                        seed = seed with { Attacks = kinds?.ToValueList() };
                        break;
                    case "seed": seed = seed with { Seed = Int(v, "seed.seed", allowNegative: true) }; break;
                    case "rows": seed = seed with { Rows = Int(v, "seed.rows") }; break;
                    case "live_rows": seed = seed with { LiveRows = Int(v, "seed.live_rows") }; break;
                    case "tables":
                        foreach (var (tableKey, tableValue) in Map(v, "seed.tables").Children)
                        {
                            var tableName = Text(tableKey, "seed.tables key");
                            var settings = new TableSeedSettings(null, null, false);
                            foreach (var (sk, sv) in Map(tableValue, $"seed.tables.{tableName}").Children)
                            {
                                switch (Key(sk, ["rows", "live_rows", "exclude", "columns"], $"seed.tables.{tableName}."))
                                {
                                    case "rows": settings = settings with { Rows = Int(sv, $"seed.tables.{tableName}.rows") }; break;
                                    case "live_rows": settings = settings with { LiveRows = Int(sv, $"seed.tables.{tableName}.live_rows") }; break;
                                    case "exclude": settings = settings with { Exclude = Bool(sv, $"seed.tables.{tableName}.exclude") }; break;
                                    case "columns": settings = settings with { Columns = ParseColumnOverrides(sv, $"seed.tables.{tableName}.columns") }; break;
                                }
                            }

                            tables[tableName] = settings;
                        }

                        break;
                }
            }

            Seed = seed with { Tables = tables };
        }

        private Dictionary<string, ColumnSeedOverride> ParseColumnOverrides(YamlNode node, string what)
        {
            var result = new Dictionary<string, ColumnSeedOverride>(StringComparer.Ordinal);
            foreach (var (ck, cv) in Map(node, what).Children)
            {
                var column = Text(ck, $"{what} key");
                var path = $"{what}.{column}";
                var location = $"{System.IO.Path.GetFileName(Path)}:{cv.Start.Line}";
                var spec = new ColumnSeedOverride(location, false, null, null, null, null, null);
                var kinds = 0;
                foreach (var (ok, ov) in Map(cv, path).Children)
                {
                    switch (Key(ok, ["value", "values", "range", "dataset", "nulls"], path + "."))
                    {
                        case "value":
                            spec = spec with { HasValue = true, Value = NullableText(ov, path + ".value") };
                            kinds++;
                            break;
                        case "values":
                            var values = Seq(ov, path + ".values").Select(n => NullableText(n, path + ".values item")).ToList();
                            spec = values.Count > 0 ? spec with { Values = values.ToValueList() } : throw Error(ov, $"{path}.values must list at least one value");
                            kinds++;
                            break;
                        case "range":
                            var bounds = Seq(ov, path + ".range").Select(n => NonEmpty(n, path + ".range item")).ToList();
                            spec = bounds.Count == 2 ? spec with { Range = (bounds[0], bounds[1]) } : throw Error(ov, $"{path}.range must be a list of two bounds [min, max]");
                            kinds++;
                            break;
                        case "dataset":
                            var dataset = NonEmpty(ov, path + ".dataset");
                            spec = Seeding.BogusDatasets.TryResolve(dataset, out _, out var problem)
                                ? spec with { Dataset = dataset }
                                : throw Error(ov, $"{path}.dataset: {problem}");
                            kinds++;
                            break;
                        case "nulls":
                            var text = Text(ov, path + ".nulls");
                            spec = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var share) && share is >= 0 and <= 1
                                ? spec with { Nulls = share }
                                : throw Error(ov, $"{path}.nulls must be a share between 0 and 1, got '{text}'");
                            break;
                    }
                }

                if (kinds > 1)
                {
                    throw Error(cv, $"{path}: give only one of value, values, range, dataset");
                }

                result[column] = spec;
            }

            return result;
        }

        private string AttackKindName(YamlNode node)
        {
            var text = Text(node, "seed.attacks item");
            return Seeding.Attacks.KindNames.Contains(text)
                ? text
                : throw Error(node, $"unknown attack kind '{text}'; expected none, all, or a list of {string.Join(", ", Seeding.Attacks.KindNames)}");
        }

        private string? NullableText(YamlNode node, string what) =>
            node is YamlScalarNode { Value: null or "~" or "null" or "NULL", Style: ScalarStyle.Plain } ? null : Text(node, what);

        private void ParseExpect(YamlNode node)
        {
            Verdict? verdict = null;
            var codes = new List<string>();
            var accepted = new List<AcceptedFinding>();
            foreach (var (k, v) in Map(node, "expect").Children)
            {
                switch (Key(k, ["verdict", "findings", "accepted", "absent"], "expect."))
                {
                    case "verdict":
                        verdict = Text(v, "expect.verdict") switch
                        {
                            "pass" => Verdict.Pass,
                            "fail" => Verdict.Fail,
                            "broken" => Verdict.Broken,
                            "nothing-tested" or "nothing_tested" => Verdict.NothingTested,
                            var other => throw Error(v, $"expect.verdict must be one of pass, fail, broken, nothing-tested; got '{other}'"),
                        };
                        break;
                    case "findings":
                        codes.AddRange(Seq(v, "expect.findings").Select(n => Code(n)));
                        break;
                    case "absent":
                        ParseAbsent(v);
                        break;
                    case "accepted":
                        foreach (var item in Seq(v, "expect.accepted"))
                        {
                            string? code = null, obj = null, reason = null;
                            foreach (var (ak, av) in Map(item, "expect.accepted item").Children)
                            {
                                switch (Key(ak, ["code", "object", "reason"], "expect.accepted."))
                                {
                                    case "code": code = Code(av); break;
                                    case "object": obj = Text(av, "expect.accepted.object"); break;
                                    case "reason": reason = Text(av, "expect.accepted.reason"); break;
                                }
                            }

                            if (code is null)
                            {
                                throw Error(item, "an accepted finding needs a 'code'");
                            }

                            if (string.IsNullOrWhiteSpace(reason))
                            {
                                throw Error(item, $"accepted finding {code} needs a written 'reason'");
                            }

                            accepted.Add(new AcceptedFinding(code, obj, reason));
                        }

                        break;
                }
            }

            Expect = new ScenarioExpectation(verdict, codes, accepted) { Absent = Absent };
        }

        private void ParseTimeouts(YamlNode node)
        {
            foreach (var (k, v) in Map(node, "timeouts").Children)
            {
                switch (Key(k, ["step", "statement"], "timeouts."))
                {
                    case "step": Timeouts = Timeouts with { Step = Duration(v, "timeouts.step") }; break;
                    case "statement": Timeouts = Timeouts with { Statement = Duration(v, "timeouts.statement") }; break;
                }
            }
        }

        private void ParseExecution(YamlNode node)
        {
            if (node is YamlScalarNode)
            {
                var mode = Mode(node, "execution");
                Execution = new ExecutionSettings(mode, mode, mode);
                return;
            }

            foreach (var (k, v) in Map(node, "execution").Children)
            {
                switch (Key(k, ["baseline", "forward", "rollback"], "execution."))
                {
                    case "baseline": Execution = Execution with { Baseline = Mode(v, "execution.baseline") }; break;
                    case "forward": Execution = Execution with { Forward = Mode(v, "execution.forward") }; break;
                    case "rollback": Execution = Execution with { Rollback = Mode(v, "execution.rollback") }; break;
                }
            }
        }

        internal ExecutionMode Mode(YamlNode node, string what) => Text(node, what) switch
        {
            "autocommit" => ExecutionMode.Autocommit,
            "transaction" => ExecutionMode.Transaction,
            var other => throw Error(node, $"{what} must be 'autocommit' or 'transaction', got '{other}'"),
        };

        internal string Code(YamlNode node)
        {
            var text = Text(node, "finding code");
            return FindingCodes.TryGet(text, out var code)
                ? code.Code
                : throw Error(node, $"unknown finding code '{text}' (see docs/findings.md)");
        }

        internal EngineKind Engine(YamlNode node)
        {
            var text = Text(node, "engine");
            return EngineKinds.TryParse(text, out var kind) ? kind : throw Error(node, $"unknown engine '{text}'; expected postgres, mysql or sqlite");
        }

        internal string Key(YamlNode node, string[] allowed, string prefix)
        {
            var raw = Text(node, "key");
            var key = raw.Replace('-', '_');
            if (allowed.Contains(key))
            {
                return key;
            }

            var closest = allowed.OrderBy(a => Distance(a, key)).First();
            var hint = Distance(closest, key) <= 3 ? $" (did you mean '{prefix}{closest}'?)" : string.Empty;
            throw Error(node, $"unknown key '{prefix}{raw}'{hint}; allowed: {string.Join(", ", allowed)}");
        }

        internal string NonEmpty(YamlNode node, string what) =>
            Text(node, what) is { Length: > 0 } text ? text : throw Error(node, $"{what} must not be empty");

        private string RelativeFile(YamlNode node, string what)
        {
            var file = NonEmpty(node, what);
            return System.IO.Path.IsPathRooted(file)
                ? throw Error(node, $"{what} must be a path relative to the scenario folder, got '{file}'")
                : file;
        }

        internal YamlMappingNode Map(YamlNode node, string what) =>
            node as YamlMappingNode ?? throw Error(node, $"{what} must be a mapping");

        internal IEnumerable<YamlNode> Seq(YamlNode node, string what) =>
            node switch
            {
                YamlSequenceNode seq => seq.Children,
                YamlScalarNode { Value: { Length: > 0 } } scalar => [scalar],
                _ => throw Error(node, $"{what} must be a list"),
            };

        internal string Text(YamlNode node, string what) =>
            node is YamlScalarNode { Value: { } value } ? value.Trim() : throw Error(node, $"{what} must be a text value");

        internal int Int(YamlNode node, string what, bool allowNegative = false)
        {
            var text = Text(node, what);
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                throw Error(node, $"{what} must be an integer, got '{text}'");
            }

            return value < 0 && !allowNegative ? throw Error(node, $"{what} must not be negative, got {value}") : value;
        }

        internal bool Bool(YamlNode node, string what) => Text(node, what).ToLowerInvariant() switch
        {
            "true" or "yes" => true,
            "false" or "no" => false,
            var other => throw Error(node, $"{what} must be true or false, got '{other}'"),
        };

        private TimeSpan Duration(YamlNode node, string what)
        {
            var text = Text(node, what).ToLowerInvariant();
            var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
                : text.EndsWith('s') ? (text[..^1], 1.0)
                : text.EndsWith('m') ? (text[..^1], 60.0)
                : text.EndsWith('h') ? (text[..^1], 3600.0)
                : (text, 1.0);
            if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                throw Error(node, $"{what} must be a positive duration such as 90s, 5m or 30, got '{text}'");
            }

            return TimeSpan.FromSeconds(value * unit);
        }

        internal ScenarioDefinitionException Error(YamlNode node, string problem) => new(Path, (int)node.Start.Line, problem);

        private static int Distance(string a, string b)
        {
            var d = new int[a.Length + 1, b.Length + 1];
            for (var i = 0; i <= a.Length; i++)
            {
                d[i, 0] = i;
            }

            for (var j = 0; j <= b.Length; j++)
            {
                d[0, j] = j;
            }

            for (var i = 1; i <= a.Length; i++)
            {
                for (var j = 1; j <= b.Length; j++)
                {
                    d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                }
            }

            return d[a.Length, b.Length];
        }
    }
}
