using RollbackVerifier.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RollbackVerifier.Scenarios.Histories;

/// <summary>A finding accepted on every migration of a history, or on a version range of it.</summary>
/// <param name="Finding">Code, optional object, reason.</param>
/// <param name="Migrations">The range as written ("..0041", "3..7", "1.2"), or null for every migration.</param>
/// <param name="Line">Line in the settings file, for errors about the range.</param>
public sealed record HistoryAcceptance(AcceptedFinding Finding, string? Migrations, int Line);

/// <summary>Settings for one migration (rollback-verifier.yml <c>migrations.VERSION</c>).</summary>
/// <param name="Key">The version or name as written.</param>
/// <param name="Line">Line of the key, for "no such migration" errors.</param>
public sealed record MigrationSettings(string Key, int Line)
{
    public string? Description { get; init; }

    public SeedSettings? Seed { get; init; }

    public ScenarioExpectation? Expect { get; init; }

    public ScenarioTimeouts? Timeouts { get; init; }

    /// <summary>Mode for the migration's up, overriding the format's own.</summary>
    public ExecutionMode? Up { get; init; }

    /// <summary>Mode for the migration's down, overriding the format's own.</summary>
    public ExecutionMode? Down { get; init; }
}

/// <summary>
/// The optional rollback-verifier.yml in a migration folder: format, engines, defaults for every migration (seeding,
/// timeouts, execution mode), findings accepted on a range of migrations (such as forward-only migrations), per-migration
/// expectations and overrides, placeholders, and files to ignore. Validated key by key with file and line, like scenario.yml.
/// </summary>
public sealed class HistorySettings
{
    public const string FileName = "rollback-verifier.yml";

    private static readonly string[] TopKeys = ["format", "engines", "execution", "seed", "timeouts", "accepted", "placeholders", "placeholder_replacement", "ignore", "migrations"];
    private static readonly string[] MigrationKeys = ["description", "seed", "expect", "timeouts", "execution"];

    private HistorySettings(string path) => Path = path;

    /// <summary>The settings file's path (it may not exist).</summary>
    public string Path { get; }

    public string? Format { get; private set; }

    public IReadOnlyList<EngineKind>? Engines { get; private set; }

    /// <summary>Defaults for every migration; per-migration settings replace them key by key.</summary>
    public MigrationSettings Defaults { get; private set; } = new("*", 0);

    public IReadOnlyList<HistoryAcceptance> Accepted { get; private set; } = [];

    /// <summary>Values for ${name} placeholders (Flyway placeholders, Liquibase changelog properties).</summary>
    public IReadOnlyDictionary<string, string> Placeholders { get; private set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>False turns Flyway's placeholder replacement off (Flyway's placeholderReplacement).</summary>
    public bool PlaceholderReplacement { get; private set; } = true;

    /// <summary>File name patterns (relative to the folder, * and ?) that are not migrations.</summary>
    public IReadOnlyList<string> Ignore { get; private set; } = [];

    public IReadOnlyList<MigrationSettings> Migrations { get; private set; } = [];

    /// <summary>Reads the folder's settings file; an absent file gives the defaults.</summary>
    /// <exception cref="ScenarioDefinitionException">Invalid YAML or an unknown or ill-typed key (with line).</exception>
    public static HistorySettings Load(string folder)
    {
        var settings = new HistorySettings(System.IO.Path.Combine(folder, FileName));
        if (!File.Exists(settings.Path))
        {
            return settings;
        }

        var text = ScenarioText.Read(settings.Path);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            var (line, problem) = YamlErrors.Describe(text, ex);
            throw new ScenarioDefinitionException(settings.Path, line, problem);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return settings;
        }

        var yaml = new ScenarioLoader.Manifest(settings.Path);
        var root = yaml.Map(stream.Documents[0].RootNode, "the document");
        settings.Defaults = settings.ParseMigration(yaml, root, "*", 0, TopKeys);
        foreach (var (keyNode, value) in root.Children)
        {
            var key = yaml.Key(keyNode, TopKeys, string.Empty);
            switch (key)
            {
                case "format":
                    settings.Format = HistoryFormats.TryGet(yaml.Text(value, key), out var format)
                        ? format.Name
                        : throw yaml.Error(value, $"unknown format '{yaml.Text(value, key)}'; expected {HistoryFormats.Names}");
                    break;
                case "engines": settings.Engines = yaml.Seq(value, key).Select(yaml.Engine).Distinct().ToList(); break;
                case "accepted": settings.Accepted = ParseAccepted(yaml, value); break;
                case "placeholders": settings.Placeholders = ParsePlaceholders(yaml, value); break;
                case "placeholder_replacement": settings.PlaceholderReplacement = yaml.Bool(value, key); break;
                case "ignore": settings.Ignore = yaml.Seq(value, key).Select(n => yaml.NonEmpty(n, "ignore item")).ToList(); break;
                case "migrations":
                    settings.Migrations = yaml.Map(value, key).Children
                        .Select(c => settings.ParseMigration(yaml, yaml.Map(c.Value, $"migrations.{yaml.Text(c.Key, "migration")}"), yaml.NonEmpty(c.Key, "migration"), (int)c.Key.Start.Line, MigrationKeys))
                        .ToList();
                    break;
            }
        }

        return settings;
    }

    /// <summary>The settings that apply to a migration: its own entry over the defaults.</summary>
    public MigrationSettings For(MigrationSettings? own) => own is null ? Defaults : Defaults with
    {
        Description = own.Description ?? Defaults.Description,
        Seed = own.Seed ?? Defaults.Seed,
        Expect = own.Expect,
        Timeouts = own.Timeouts ?? Defaults.Timeouts,
        Up = own.Up ?? Defaults.Up,
        Down = own.Down ?? Defaults.Down,
    };

    private MigrationSettings ParseMigration(ScenarioLoader.Manifest yaml, YamlMappingNode node, string key, int line, string[] allowed)
    {
        // scenario.yml's own parser reads the keys both files share, with its messages and line numbers.
        var shared = ScenarioLoader.Manifest.FromMapping(Path, node, allowed);
        var settings = new MigrationSettings(key, line);
        foreach (var (k, v) in node.Children)
        {
            switch (yaml.Key(k, allowed, string.Empty))
            {
                case "description": settings = settings with { Description = shared.Description }; break;
                case "seed": settings = settings with { Seed = shared.Seed }; break;
                case "expect": settings = settings with { Expect = shared.Expect }; break;
                case "timeouts": settings = settings with { Timeouts = shared.Timeouts }; break;
                case "execution":
                    if (v is YamlMappingNode map && map.Children.Keys.Any(n => n is YamlScalarNode { Value: "baseline" }))
                    {
                        throw yaml.Error(v, "execution.baseline does not apply to a migration: the baseline is the earlier migrations' ups, each in its own mode; use forward (the up) and rollback (the down)");
                    }

                    var given = v is YamlMappingNode phases ? phases.Children.Keys.OfType<YamlScalarNode>().Select(n => n.Value).ToHashSet(StringComparer.Ordinal) : null;
                    settings = settings with
                    {
                        Up = given is null || given.Contains("forward") ? shared.Execution.Forward : null,
                        Down = given is null || given.Contains("rollback") ? shared.Execution.Rollback : null,
                    };
                    break;
            }
        }

        return settings;
    }

    private static List<HistoryAcceptance> ParseAccepted(ScenarioLoader.Manifest yaml, YamlNode node)
    {
        var result = new List<HistoryAcceptance>();
        foreach (var item in yaml.Seq(node, "accepted"))
        {
            string? code = null, obj = null, reason = null, range = null;
            foreach (var (k, v) in yaml.Map(item, "accepted item").Children)
            {
                switch (yaml.Key(k, ["code", "object", "reason", "migrations"], "accepted."))
                {
                    case "code": code = yaml.Code(v); break;
                    case "object": obj = yaml.Text(v, "accepted.object"); break;
                    case "reason": reason = yaml.Text(v, "accepted.reason"); break;
                    case "migrations": range = yaml.NonEmpty(v, "accepted.migrations"); break;
                }
            }

            if (code is null)
            {
                throw yaml.Error(item, "an accepted finding needs a 'code'");
            }

            if (string.IsNullOrWhiteSpace(reason))
            {
                throw yaml.Error(item, $"accepted finding {code} needs a written 'reason'");
            }

            result.Add(new HistoryAcceptance(new AcceptedFinding(code, obj, reason), range, (int)item.Start.Line));
        }

        return result;
    }

    private static Dictionary<string, string> ParsePlaceholders(ScenarioLoader.Manifest yaml, YamlNode node)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in yaml.Map(node, "placeholders").Children)
        {
            var value = v is YamlScalarNode { Value: { } raw } ? raw : throw yaml.Error(v, "a placeholder value must be a text value");
            if (value.Contains('\n', StringComparison.Ordinal))
            {
                // A value spanning lines would move every later statement off the line it has in the user's file.
                throw yaml.Error(v, "a placeholder value must fit on one line");
            }

            result[yaml.NonEmpty(k, "placeholder name")] = value;
        }

        return result;
    }
}
