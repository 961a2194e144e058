using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using RollbackVerifier.Model;

namespace RollbackVerifier.Scenarios.Histories;

/// <summary>
/// One folder per migration (Diesel and similar): <c>2024-01-15-093000_create_users/up.sql</c> and <c>down.sql</c>,
/// optionally per dialect (<c>up.postgres.sql</c>), and Diesel's <c>metadata.toml</c> with
/// <c>run_in_transaction = false</c>. The version is the folder name up to the first '_', dashes left out.
/// </summary>
internal sealed partial class FolderFormat : HistoryFormat
{
    public override string Name => "folder";

    public override IReadOnlyList<string> Aliases => ["diesel"];

    public override string Looks => "a folder per migration, VERSION_name/up.sql and down.sql";

    internal override string? Recognise(HistoryFolder folder) =>
        folder.Folders().Where(d => FolderName().IsMatch(d)).Select(d => d + "/up.sql").FirstOrDefault(f => File.Exists(folder.Full(f)) || folder.Files(under: Path.GetDirectoryName(f)).Any(x => UpOrDown().IsMatch(Path.GetFileName(x))));

    internal override MigrationHistory Load(HistoryFolder folder)
    {
        var seen = new SortedDictionary<BigInteger, (string Folder, Migration Migration)>();
        var specific = new HashSet<EngineKind>();
        foreach (var dir in folder.Folders())
        {
            var match = FolderName().Match(dir);
            if (!match.Success)
            {
                throw new ScenarioDefinitionException(folder.Full(dir), null, $"not a migration folder name: expected VERSION_name such as 2024-01-15-093000_create_users or 0001_create_users (list folders that are not migrations under 'ignore:' in {HistorySettings.FileName})");
            }

            var version = match.Groups["version"].Value.Replace("-", string.Empty, StringComparison.Ordinal);
            var noTransaction = ReadMetadata(folder.Full(Path.Combine(dir, "metadata.toml")));
            var up = new Dictionary<EngineKind, ScriptStep>();
            var down = new Dictionary<EngineKind, ScriptStep>();
            ScriptStep? genericUp = null, genericDown = null;
            foreach (var file in folder.Files(under: dir))
            {
                var fileName = Path.GetFileName(file);
                if (fileName == "metadata.toml")
                {
                    continue;
                }

                var parts = UpOrDown().Match(fileName);
                if (!parts.Success)
                {
                    throw folder.NotAMigration(file, Name, "up.sql, down.sql, up.<dialect>.sql, down.<dialect>.sql or metadata.toml");
                }

                var step = new ScriptStep(SourceFile.Read(folder.Full(file)).Whole(), Mode(noTransaction));
                var isUp = parts.Groups["direction"].Value == "up";
                if (!parts.Groups["dialect"].Success)
                {
                    _ = isUp ? genericUp = step : genericDown = step;
                    continue;
                }

                if (!Dialects.TryParse(parts.Groups["dialect"].Value, out var engine))
                {
                    throw new ScenarioDefinitionException(folder.Full(file), null, $"unknown dialect part '{parts.Groups["dialect"].Value}' in the file name; expected {Dialects.Expected}");
                }

                specific.Add(engine);
                (isUp ? up : down)[engine] = step;
            }

            var migration = new Migration(version, dir, MigrationKind.Versioned, Resolve(genericUp, up), Resolve(genericDown, down))
            {
                MissingDown = $"no down.sql in {dir}/",
            };
            if (migration.Up.Count == 0)
            {
                throw new ScenarioDefinitionException(folder.Full(dir), null, "the migration folder has no up.sql");
            }

            var number = BigInteger.Parse(version, CultureInfo.InvariantCulture);
            if (seen.TryGetValue(number, out var other))
            {
                throw new ScenarioDefinitionException(folder.Full(dir), null, $"version {version} is also the version of {other.Folder}");
            }

            seen[number] = (dir, migration);
        }

        return new MigrationHistory(Name, folder.Path, VersionScheme.Integer, seen.Values.Select(v => v.Migration).ToList()) { SpecificEngines = specific.Order().ToList() };
    }

    /// <summary>
    /// Diesel's metadata.toml knows one key, <c>run_in_transaction</c>; a TOML library for one boolean would be a new
    /// dependency of Core, so the file is read line by line and anything else is an error with its line.
    /// </summary>
    private static bool ReadMetadata(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        var noTransaction = false;
        var lines = SourceFile.Read(path).Lines;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            line = (hash >= 0 ? line[..hash] : line).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var match = TomlBoolean().Match(line);
            if (!match.Success || match.Groups["key"].Value != "run_in_transaction")
            {
                throw new ScenarioDefinitionException(path, i + 1, "expected run_in_transaction = true or false (the only key Diesel's metadata.toml has)");
            }

            noTransaction = match.Groups["value"].Value == "false";
        }

        return noTransaction;
    }

    [GeneratedRegex(@"^(?<version>\d[\d-]*)_(?<name>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex FolderName();

    [GeneratedRegex(@"^(?<direction>up|down)(\.(?<dialect>[^.]+))?\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex UpOrDown();

    [GeneratedRegex(@"^(?<key>[A-Za-z_]+)\s*=\s*(?<value>true|false)$", RegexOptions.CultureInvariant)]
    private static partial Regex TomlBoolean();
}
