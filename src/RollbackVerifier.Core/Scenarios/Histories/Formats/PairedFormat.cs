using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using RollbackVerifier.Model;

namespace RollbackVerifier.Scenarios.Histories;

/// <summary>
/// Paired files (golang-migrate, sqlx and similar): <c>NNN_name.up.sql</c> / <c>NNN_name.down.sql</c>, optionally with
/// a dialect part (<c>NNN_name.postgres.up.sql</c> or <c>NNN_name.up.postgres.sql</c>); sqlx's <c>-- no-transaction</c>
/// first line runs the script outside a transaction; an sqlx one-way <c>NNN_name.sql</c> is an up without a down.
/// </summary>
internal sealed partial class PairedFormat : HistoryFormat
{
    public override string Name => "paired";

    public override IReadOnlyList<string> Aliases => ["golang-migrate", "migrate", "sqlx"];

    public override string Looks => "NNN_name.up.sql / NNN_name.down.sql";

    internal override string? Recognise(HistoryFolder folder) =>
        folder.Files().FirstOrDefault(f => Paired().IsMatch(f));

    internal override MigrationHistory Load(HistoryFolder folder)
    {
        var byVersion = new SortedDictionary<BigInteger, Entry>();
        foreach (var file in folder.Files().Where(f => f.EndsWith(".sql", StringComparison.OrdinalIgnoreCase)))
        {
            var (version, name, direction, dialect) = Parse(folder, file);
            var number = BigInteger.Parse(version, CultureInfo.InvariantCulture);
            if (!byVersion.TryGetValue(number, out var entry))
            {
                byVersion[number] = entry = new Entry(version);
            }

            var source = SourceFile.Read(folder.Full(file));
            var step = new ScriptStep(source.Whole(), Mode(NoTransaction(source)));
            var slot = direction == "down" ? entry.Down : entry.Up;
            var key = dialect ?? (EngineKind)(-1);
            if (slot.TryGetValue(key, out var existing))
            {
                throw source.Error(null, $"version {version} already has {(dialect is null ? "a generic" : "a " + dialect.Value.ToName())} {direction} script: {existing.File}");
            }

            slot[key] = (file, step);
            if (direction == "up" && (entry.Name is null || dialect is null))
            {
                entry.Name = $"{version}_{name}";
                entry.UpFile = file;
            }
        }

        var migrations = new List<Migration>();
        var specific = new HashSet<EngineKind>();
        foreach (var entry in byVersion.Values)
        {
            if (entry.Up.Count == 0)
            {
                var down = entry.Down.Values.First().File;
                throw new ScenarioDefinitionException(folder.Full(down), null, $"a down script without an up script for version {entry.Version}");
            }

            specific.UnionWith(entry.Up.Keys.Concat(entry.Down.Keys).Where(k => (int)k >= 0));
            migrations.Add(new Migration(entry.Version, entry.Name!, MigrationKind.Versioned, Split(entry.Up), Split(entry.Down))
            {
                MissingDown = $"no {entry.Name}.down.sql next to {entry.UpFile}",
            });
        }

        return new MigrationHistory(Name, folder.Path, VersionScheme.Integer, migrations) { SpecificEngines = specific.Order().ToList() };
    }

    private static Dictionary<EngineKind, ScriptStep> Split(Dictionary<EngineKind, (string File, ScriptStep Step)> slot) =>
        Resolve(
            slot.TryGetValue((EngineKind)(-1), out var generic) ? generic.Step : null,
            slot.Where(s => (int)s.Key >= 0).ToDictionary(s => s.Key, s => s.Value.Step));

    /// <summary>sqlx: a first line "-- no-transaction" runs the migration outside a transaction.</summary>
    private static bool NoTransaction(SourceFile source) =>
        source.Lines.FirstOrDefault(l => l.Trim().Length > 0)?.Trim().Equals("-- no-transaction", StringComparison.OrdinalIgnoreCase) == true;

    private (string Version, string Name, string Direction, EngineKind? Dialect) Parse(HistoryFolder folder, string file)
    {
        var match = Paired().Match(file);
        if (match.Success)
        {
            var name = match.Groups["name"].Value;
            EngineKind? dialect = null;
            if (match.Groups["after"].Success)
            {
                // After .up. only a dialect can stand: anything else is a typo the tool would otherwise skip silently.
                dialect = Dialects.TryParse(match.Groups["after"].Value, out var after)
                    ? after
                    : throw new ScenarioDefinitionException(folder.Full(file), null, $"unknown dialect part '{match.Groups["after"].Value}' in the file name; expected {Dialects.Expected}");
            }

            var dot = name.LastIndexOf('.');
            if (dot > 0 && Dialects.TryParse(name[(dot + 1)..], out var before))
            {
                if (dialect is not null)
                {
                    throw new ScenarioDefinitionException(folder.Full(file), null, "two dialect parts in the file name");
                }

                dialect = before;
                name = name[..dot];
            }

            return (match.Groups["version"].Value, name, match.Groups["direction"].Value.ToLowerInvariant(), dialect);
        }

        var oneWay = OneWay().Match(file);
        if (oneWay.Success)
        {
            var name = oneWay.Groups["name"].Value;
            var dot = name.LastIndexOf('.');
            EngineKind? dialect = dot > 0 && Dialects.TryParse(name[(dot + 1)..], out var d) ? d : null;
            if (dot > 0 && dialect is null)
            {
                // "0002_b.upp.sql" is a typo of a paired name far more often than an sqlx one-way migration named "b.upp".
                throw folder.NotAMigration(file, Name, Looks + " (or NNN_name.sql for a one-way migration)");
            }

            return (oneWay.Groups["version"].Value, dialect is null ? name : name[..dot], "up", dialect);
        }

        throw folder.NotAMigration(file, Name, Looks);
    }

    [GeneratedRegex(@"^(?<version>\d+)_(?<name>.+?)\.(?<direction>up|down)(\.(?<after>[^.]+))?\.sql$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Paired();

    [GeneratedRegex(@"^(?<version>\d+)_(?<name>.+)\.sql$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OneWay();

    private sealed class Entry(string version)
    {
        public string Version { get; } = version;

        public string? Name { get; set; }

        public string UpFile { get; set; } = string.Empty;

        public Dictionary<EngineKind, (string File, ScriptStep Step)> Up { get; } = [];

        public Dictionary<EngineKind, (string File, ScriptStep Step)> Down { get; } = [];
    }
}
