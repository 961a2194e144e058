using System.Text;
using System.Text.RegularExpressions;
using RollbackVerifier.Execution;
using RollbackVerifier.Execution.Splitting;
using RollbackVerifier.Model;

namespace RollbackVerifier.Scenarios.Histories;

/// <summary>
/// Flyway: <c>V&lt;version&gt;__desc.sql</c>, undo <c>U&lt;version&gt;__desc.sql</c>, repeatable <c>R__desc.sql</c>, found
/// recursively; files under a folder named after a vendor (postgresql/, mysql/, mariadb/, sqlite/, as with Flyway's
/// <c>{vendor}</c> location) belong to that engine. Versions compare as Flyway's MigrationVersion. Each script runs in
/// a transaction unless its script config (<c>V1__x.sql.conf</c>, or a <c>-- flyway:executeInTransaction=false</c>
/// line) says otherwise, or, as Flyway detects, every statement of it refuses a transaction. <c>${name}</c>
/// placeholders are replaced.
/// </summary>
internal sealed partial class FlywayFormat : HistoryFormat
{
    private const string SchemaHistoryTable = "flyway_schema_history";

    public override string Name => "flyway";

    public override string Looks => "V1__name.sql, U1__name.sql, R__name.sql";

    internal override string? Recognise(HistoryFolder folder) =>
        folder.Files(recursive: true).FirstOrDefault(f => FileName().Match(Path.GetFileName(f)) is { Success: true } m && (m.Groups["prefix"].Value != "R" || m.Groups["version"].Length == 0));

    internal override MigrationHistory Load(HistoryFolder folder)
    {
        var versioned = new List<(string Version, string Description, EngineKind? Vendor, string File, bool Undo)>();
        var repeatable = new List<(string Description, EngineKind? Vendor, string File)>();
        foreach (var file in folder.Files(recursive: true))
        {
            var fileName = Path.GetFileName(file);
            if (fileName.EndsWith(".sql.conf", StringComparison.OrdinalIgnoreCase) && File.Exists(folder.Full(file[..^5])))
            {
                continue;
            }

            if (!fileName.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var match = FileName().Match(fileName);
            if (!match.Success)
            {
                throw folder.NotAMigration(file, Name, Looks);
            }

            var vendor = Vendor(file);
            var prefix = match.Groups["prefix"].Value;
            var version = match.Groups["version"].Value;
            if (prefix == "R")
            {
                if (version.Length > 0)
                {
                    throw new ScenarioDefinitionException(folder.Full(file), null, "a repeatable migration has no version: R__description.sql");
                }

                repeatable.Add((match.Groups["description"].Value, vendor, file));
                continue;
            }

            if (!VersionScheme.Flyway.IsVersion(version))
            {
                throw new ScenarioDefinitionException(folder.Full(file), null, $"invalid Flyway version '{version}': only digits separated by '.' or '_' are allowed");
            }

            versioned.Add((version, match.Groups["description"].Value, vendor, file, prefix == "U"));
        }

        var migrations = new List<Migration>();
        var ordered = versioned.Where(v => !v.Undo).OrderBy(v => v.Version, Comparer<string>.Create(VersionScheme.Flyway.Compare)).ToList();
        foreach (var group in ordered.GroupBy(v => Normalize(v.Version)))
        {
            var up = new Dictionary<EngineKind, ScriptStep>();
            var down = new Dictionary<EngineKind, ScriptStep>();
            var first = group.First();
            foreach (var engine in EngineKinds.All)
            {
                var forEngine = group.Where(v => v.Vendor is null || v.Vendor == engine).ToList();
                if (forEngine.Count > 1)
                {
                    throw new ScenarioDefinitionException(folder.Full(forEngine[1].File), null, $"Flyway version {Normalize(first.Version)} is also the version of {forEngine[0].File} (found more than one migration with this version)");
                }

                if (forEngine.Count == 0)
                {
                    continue;
                }

                up[engine] = Script(folder, forEngine[0].File, engine);
                var undo = versioned.Where(v => v.Undo && VersionScheme.Flyway.Compare(v.Version, first.Version) == 0 && (v.Vendor is null || v.Vendor == engine)).ToList();
                if (undo.Count > 1)
                {
                    throw new ScenarioDefinitionException(folder.Full(undo[1].File), null, $"Flyway version {Normalize(first.Version)} has another undo script: {undo[0].File}");
                }

                if (undo.Count == 1)
                {
                    down[engine] = Script(folder, undo[0].File, engine);
                }
            }

            migrations.Add(new Migration(Normalize(first.Version), Path.GetFileNameWithoutExtension(first.File), MigrationKind.Versioned, up, down)
            {
                MissingDown = $"no undo script U{first.Version}__{first.Description}.sql",
                Description = first.Description.Replace('_', ' '),
            });
        }

        var undoWithoutUp = versioned.FirstOrDefault(u => u.Undo && !ordered.Any(v => VersionScheme.Flyway.Compare(v.Version, u.Version) == 0));
        if (undoWithoutUp.File is not null)
        {
            throw new ScenarioDefinitionException(folder.Full(undoWithoutUp.File), null, $"an undo script for version {Normalize(undoWithoutUp.Version)}, which has no V{undoWithoutUp.Version}__ migration");
        }

        // Flyway applies repeatables after the versioned migrations, ordered by description.
        foreach (var group in repeatable.GroupBy(r => r.Description).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var up = new Dictionary<EngineKind, ScriptStep>();
            foreach (var engine in EngineKinds.All)
            {
                var forEngine = group.Where(r => r.Vendor is null || r.Vendor == engine).ToList();
                if (forEngine.Count > 1)
                {
                    throw new ScenarioDefinitionException(folder.Full(forEngine[1].File), null, $"another repeatable migration has the description '{group.Key}': {forEngine[0].File}");
                }

                if (forEngine.Count == 1)
                {
                    up[engine] = Script(folder, forEngine[0].File, engine);
                }
            }

            migrations.Add(new Migration("R__" + group.Key, "R__" + group.Key, MigrationKind.Repeatable, up, new Dictionary<EngineKind, ScriptStep>())
            {
                MissingDown = "a repeatable migration has no undo (Flyway re-applies it whenever it changes)",
                Description = group.Key.Replace('_', ' '),
            });
        }

        var specific = versioned.Select(v => v.Vendor).Concat(repeatable.Select(r => r.Vendor)).OfType<EngineKind>().Distinct().Order().ToList();
        return new MigrationHistory(Name, folder.Path, VersionScheme.Flyway, migrations) { SpecificEngines = specific };
    }

    /// <summary>Flyway's display form: underscores become dots.</summary>
    private static string Normalize(string version) => version.Replace('_', '.');

    private static EngineKind? Vendor(string relative)
    {
        foreach (var part in relative.Split('/')[..^1])
        {
            if (Dialects.TryParse(part, out var engine))
            {
                return engine;
            }
        }

        return null;
    }

    private static ScriptStep Script(HistoryFolder folder, string relative, EngineKind engine)
    {
        var source = SourceFile.Read(folder.Full(relative));
        var config = ReadScriptConfig(folder.Full(relative) + ".conf");
        var inTransaction = config.ExecuteInTransaction;
        var replace = config.PlaceholderReplacement ?? folder.Settings.PlaceholderReplacement;
        for (var i = 0; i < source.Lines.Count; i++)
        {
            if (InlineConfig().Match(source.Lines[i]) is { Success: true } inline)
            {
                var (key, value) = (inline.Groups["key"].Value, inline.Groups["value"].Value);
                var flag = value.Equals("true", StringComparison.OrdinalIgnoreCase) ? true
                    : value.Equals("false", StringComparison.OrdinalIgnoreCase) ? false
                    : throw source.Error(i + 1, $"flyway:{key} must be true or false, got '{value}'");
                _ = key switch
                {
                    "executeInTransaction" => inTransaction = flag,
                    "placeholderReplacement" => replace = flag,
                    _ => throw source.Error(i + 1, $"unknown script setting flyway:{key}; expected executeInTransaction or placeholderReplacement"),
                };
            }
        }

        var text = replace ? ReplacePlaceholders(source, folder.Settings, engine) : source.Whole();
        var mode = inTransaction switch
        {
            false => ExecutionMode.Autocommit,
            true => ExecutionMode.Transaction,
            null => AllRefuseTransactions(text, engine) ? ExecutionMode.Autocommit : ExecutionMode.Transaction,
        };
        return new ScriptStep(text, mode);
    }

    /// <summary>Flyway runs a migration outside a transaction when it finds only statements that refuse one (CREATE INDEX CONCURRENTLY).</summary>
    private static bool AllRefuseTransactions(ScriptSource script, EngineKind engine)
    {
        try
        {
            var statements = HistoryScripts.Splitter(engine).Split(script.Text, script.Path);
            return statements.Count > 0 && statements.All(s => s.RequiresNoTransaction);
        }
        catch (ScriptSplitException)
        {
            return false; // the planner reports the script's syntax problem with its line
        }
    }

    private static ScriptSource ReplacePlaceholders(SourceFile source, HistorySettings settings, EngineKind engine)
    {
        if (!source.Text.Contains("${", StringComparison.Ordinal))
        {
            return source.Whole();
        }

        var lines = new List<(int, string)>();
        for (var i = 0; i < source.Lines.Count; i++)
        {
            var line = source.Lines[i];
            var number = i + 1;
            lines.Add((number, Placeholder().Replace(line, m => Value(m.Groups["name"].Value, number))));
        }

        return source.Script(lines);

        string Value(string name, int line)
        {
            if (settings.Placeholders.TryGetValue(name, out var value))
            {
                return value;
            }

            return name switch
            {
                "flyway:filename" => Path.GetFileName(source.Path),
                "flyway:table" => SchemaHistoryTable,
                "flyway:defaultSchema" when engine == EngineKind.Postgres => "public",
                "flyway:defaultSchema" when engine == EngineKind.Sqlite => "main",
                _ => throw source.Error(line, $"no value for placeholder ${{{name}}}: define it under placeholders: in {HistorySettings.FileName} (or set placeholder_replacement: false)"),
            };
        }
    }

    private static (bool? ExecuteInTransaction, bool? PlaceholderReplacement) ReadScriptConfig(string path)
    {
        if (!File.Exists(path))
        {
            return (null, null);
        }

        bool? inTransaction = null, replace = null;
        var lines = SourceFile.Read(path).Lines;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? line : line[..eq].Trim();
            var value = eq < 0 ? string.Empty : line[(eq + 1)..].Trim();
            bool Flag() => value.Equals("true", StringComparison.OrdinalIgnoreCase) || (value.Equals("false", StringComparison.OrdinalIgnoreCase)
                ? false
                : throw new ScenarioDefinitionException(path, i + 1, $"{key} must be true or false, got '{value}'"));
            switch (key)
            {
                case "executeInTransaction": inTransaction = Flag(); break;
                case "placeholderReplacement": replace = Flag(); break;
                case "encoding" when value.Replace("-", string.Empty, StringComparison.Ordinal).Equals("UTF8", StringComparison.OrdinalIgnoreCase): break;
                case "encoding": throw new ScenarioDefinitionException(path, i + 1, $"encoding {value} is not supported: save the script as UTF-8");
                default: throw new ScenarioDefinitionException(path, i + 1, $"unknown script configuration '{key}'; expected executeInTransaction, placeholderReplacement or encoding");
            }
        }

        return (inTransaction, replace);
    }

    [GeneratedRegex(@"^(?<prefix>[VUR])(?<version>[^_]*(?:_(?!_)[^_]*)*)__(?<description>.+)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();

    [GeneratedRegex(@"^\s*--\s*flyway:(?<key>\w+)\s*=\s*(?<value>\S+)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex InlineConfig();

    [GeneratedRegex(@"\$\{(?<name>[^}]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}

/// <summary>What the history loaders share about scripts: the splitter each engine's client would use.</summary>
internal static class HistoryScripts
{
    private static readonly StatementSplitter Postgres = new PostgresStatementSplitter();
    private static readonly StatementSplitter MySql = new MySqlStatementSplitter();
    private static readonly StatementSplitter Sqlite = new SqliteStatementSplitter();

    public static IStatementSplitter Splitter(EngineKind engine) => engine switch
    {
        EngineKind.Postgres => Postgres,
        EngineKind.MySql => MySql,
        _ => Sqlite,
    };

    /// <summary>Appends a line to a text being built line for line.</summary>
    public static StringBuilder Line(this StringBuilder text, string line) => text.Append(line).Append('\n');
}
