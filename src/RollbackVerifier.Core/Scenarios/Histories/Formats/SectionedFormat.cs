using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using RollbackVerifier.Model;

namespace RollbackVerifier.Scenarios.Histories;

/// <summary>
/// Formats with one file per migration holding an up and a down section (dbmate, goose): <c>VERSION_name.sql</c>
/// directly in the folder, an optional dialect part (<c>VERSION_name.postgres.sql</c>) for per-engine variants.
/// A missing down section is an irreversible migration; an empty one is a rollback that does nothing.
/// </summary>
internal abstract partial class SectionedFormat : HistoryFormat
{
    /// <summary>The up and down sections of one file as the format reads them.</summary>
    private protected sealed record Sections(ScriptStep Up, ScriptStep? Down);

    public override string Looks => $"VERSION_name.sql files with {Marker}";

    /// <summary>The marker a file of this format holds, for messages and detection.</summary>
    private protected abstract string Marker { get; }

    private protected abstract bool HasMarker(string line);

    /// <summary>Reads the sections of one file; problems name the file and line.</summary>
    private protected abstract Sections Read(SourceFile file);

    /// <summary>Other files the format knows but cannot run (goose's Go migrations): an error message, or null.</summary>
    private protected virtual string? Unsupported(string fileName) => null;

    internal override string? Recognise(HistoryFolder folder) =>
        folder.Files().Where(f => f.EndsWith(".sql", StringComparison.OrdinalIgnoreCase) && FileName().IsMatch(f))
            .FirstOrDefault(f => File.ReadLines(folder.Full(f)).Take(200).Any(HasMarker));

    internal override MigrationHistory Load(HistoryFolder folder)
    {
        var entries = new SortedDictionary<BigInteger, (string Version, string Name, Dictionary<EngineKind, Sections> Specific, Sections? Generic, string File)>();
        foreach (var file in folder.Files())
        {
            if (Unsupported(file) is { } problem)
            {
                throw new ScenarioDefinitionException(folder.Full(file), null, problem);
            }

            if (!file.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var match = FileName().Match(file);
            if (!match.Success)
            {
                throw folder.NotAMigration(file, Name, "VERSION_name.sql");
            }

            var name = match.Groups["name"].Value;
            EngineKind? dialect = null;
            var dot = name.LastIndexOf('.');
            if (dot > 0 && Dialects.TryParse(name[(dot + 1)..], out var engine))
            {
                dialect = engine;
                name = name[..dot];
            }

            var version = match.Groups["version"].Value;
            var number = BigInteger.Parse(version, CultureInfo.InvariantCulture);
            if (!entries.TryGetValue(number, out var entry))
            {
                entry = (version, Path.GetFileNameWithoutExtension(file), [], null, file);
                if (dialect is not null)
                {
                    entry.Name = $"{version}_{name}";
                }
            }

            var sections = Read(SourceFile.Read(folder.Full(file)));
            if (dialect is { } d ? entry.Specific.ContainsKey(d) : entry.Generic is not null)
            {
                throw new ScenarioDefinitionException(folder.Full(file), null, $"version {version} already has {(dialect is null ? "a generic" : "a " + dialect.Value.ToName())} migration: {entry.File}");
            }

            if (dialect is { } de)
            {
                entry.Specific[de] = sections;
            }
            else
            {
                entry.Generic = sections;
                entry.Name = Path.GetFileNameWithoutExtension(file);
                entry.File = file;
            }

            entries[number] = entry;
        }

        var migrations = entries.Values.Select(e => new Migration(
            e.Version,
            e.Name,
            MigrationKind.Versioned,
            Resolve(e.Generic?.Up, e.Specific.ToDictionary(s => s.Key, s => s.Value.Up)),
            Resolve(e.Generic?.Down, e.Specific.Where(s => s.Value.Down is not null).ToDictionary(s => s.Key, s => s.Value.Down!)))
        {
            MissingDown = $"{e.File} has no {DownMarker} section",
        }).ToList();
        var specific = entries.Values.SelectMany(e => e.Specific.Keys).Distinct().Order().ToList();
        return new MigrationHistory(Name, folder.Path, VersionScheme.Integer, migrations) { SpecificEngines = specific };
    }

    /// <summary>The marker of the down section, for the irreversible message.</summary>
    private protected abstract string DownMarker { get; }

    [GeneratedRegex(@"^(?<version>\d+)_(?<name>.+)\.sql$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private protected static partial Regex FileName();

    /// <summary>True for a line that is blank or only a "--" comment (what may precede the first section).</summary>
    private protected static bool IsBlankOrComment(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.Length == 0 || trimmed.StartsWith("--", StringComparison.Ordinal);
    }
}

/// <summary>dbmate: <c>-- migrate:up</c> and <c>-- migrate:down</c> sections, each with an optional <c>transaction:false</c>.</summary>
internal sealed partial class DbmateFormat : SectionedFormat
{
    public override string Name => "dbmate";

    private protected override string Marker => "-- migrate:up";

    private protected override string DownMarker => "-- migrate:down";

    private protected override bool HasMarker(string line) => Section().Match(line) is { Success: true } m && m.Groups["kind"].Value == "up";

    private protected override Sections Read(SourceFile file)
    {
        (int Line, bool NoTransaction)? up = null, down = null;
        for (var i = 0; i < file.Lines.Count; i++)
        {
            var match = Section().Match(file.Lines[i]);
            if (!match.Success)
            {
                if (up is null && !IsBlankOrComment(file.Lines[i]))
                {
                    throw file.Error(i + 1, "SQL before '-- migrate:up': dbmate requires each migration to start with an up block");
                }

                continue;
            }

            var noTransaction = false;
            foreach (var option in match.Groups["options"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                noTransaction = option switch
                {
                    "transaction:false" => true,
                    "transaction:true" => false,
                    _ => throw file.Error(i + 1, $"unknown dbmate option '{option}'; expected transaction:false or transaction:true"),
                };
            }

            if (match.Groups["kind"].Value == "up")
            {
                up = up is null ? (i + 1, noTransaction) : throw file.Error(i + 1, $"a second '-- migrate:up' (the first is on line {up.Value.Line})");
            }
            else
            {
                down = up is null ? throw file.Error(i + 1, "'-- migrate:down' before '-- migrate:up'")
                    : down is null ? (i + 1, noTransaction) : throw file.Error(i + 1, $"a second '-- migrate:down' (the first is on line {down.Value.Line})");
            }
        }

        if (up is not { } u)
        {
            throw file.Error(null, "dbmate requires each migration to define an up block with '-- migrate:up'");
        }

        var upEnd = down?.Line - 1 ?? file.Lines.Count;
        return new Sections(
            new ScriptStep(file.Script(u.Line + 1, upEnd), Mode(u.NoTransaction)),
            down is { } d ? new ScriptStep(file.Script(d.Line + 1, file.Lines.Count), Mode(d.NoTransaction)) : null);
    }

    [GeneratedRegex(@"^--\s*migrate:(?<kind>up|down)\b(?<options>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Section();
}

/// <summary>
/// goose: <c>-- +goose Up</c> and <c>-- +goose Down</c>; <c>-- +goose StatementBegin</c>/<c>StatementEnd</c> around
/// bodies (left to the engine's splitter, which keeps function and trigger bodies whole as well); <c>-- +goose NO
/// TRANSACTION</c> runs both directions outside a transaction.
/// </summary>
internal sealed partial class GooseFormat : SectionedFormat
{
    public override string Name => "goose";

    private protected override string Marker => "-- +goose Up";

    private protected override string DownMarker => "-- +goose Down";

    private protected override bool HasMarker(string line) => Annotation().Match(line) is { Success: true } m && m.Groups["word"].Value.Equals("up", StringComparison.OrdinalIgnoreCase);

    private protected override string? Unsupported(string fileName) =>
        fileName.EndsWith(".go", StringComparison.Ordinal) && FileName().IsMatch(fileName[..^3] + ".sql")
            ? "a goose Go migration: RollbackVerifier runs SQL migrations only; port it to SQL or list it under 'ignore:' (later migrations then run without it)"
            : null;

    private protected override Sections Read(SourceFile file)
    {
        int? up = null, down = null, statementBegin = null;
        var noTransaction = false;
        for (var i = 0; i < file.Lines.Count; i++)
        {
            var match = Annotation().Match(file.Lines[i]);
            if (!match.Success)
            {
                if (up is null && !IsBlankOrComment(file.Lines[i]))
                {
                    throw file.Error(i + 1, "SQL before '-- +goose Up': goose requires the Up annotation first");
                }

                continue;
            }

            switch (match.Groups["word"].Value.ToUpperInvariant().Replace(" ", string.Empty, StringComparison.Ordinal))
            {
                case "UP":
                    up = up is null ? i + 1 : throw file.Error(i + 1, "a second '-- +goose Up'");
                    break;
                case "DOWN":
                    down = up is null ? throw file.Error(i + 1, "'-- +goose Down' before '-- +goose Up'") : down is null ? i + 1 : throw file.Error(i + 1, "a second '-- +goose Down'");
                    break;
                case "STATEMENTBEGIN":
                    statementBegin = statementBegin is null ? i + 1 : throw file.Error(i + 1, $"StatementBegin inside the StatementBegin of line {statementBegin}");
                    break;
                case "STATEMENTEND":
                    statementBegin = statementBegin is not null ? null : throw file.Error(i + 1, "StatementEnd without StatementBegin");
                    break;
                case "NOTRANSACTION":
                    noTransaction = true;
                    break;
                case "ENVSUBON" or "ENVSUBOFF":
                    throw file.Error(i + 1, "goose ENVSUB (environment variable substitution) is not supported: expand the variables into the script");
                default:
                    throw file.Error(i + 1, $"unknown goose annotation '{match.Groups["word"].Value}'; expected Up, Down, StatementBegin, StatementEnd or NO TRANSACTION");
            }
        }

        if (statementBegin is { } open)
        {
            throw file.Error(open, "StatementBegin without StatementEnd");
        }

        if (up is not { } u)
        {
            throw file.Error(null, "no '-- +goose Up' annotation: goose requires one");
        }

        var mode = Mode(noTransaction);
        return new Sections(
            new ScriptStep(file.Script(u + 1, (down ?? file.Lines.Count + 1) - 1), mode),
            down is { } d ? new ScriptStep(file.Script(d + 1, file.Lines.Count), mode) : null);
    }

    [GeneratedRegex(@"^--\s*\+goose\s+(?<word>.+?)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Annotation();
}
