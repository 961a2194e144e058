using System.Text.RegularExpressions;
using RollbackVerifier.Model;

namespace RollbackVerifier.Scenarios.Histories;

/// <summary>
/// Liquibase formatted SQL: files starting with <c>--liquibase formatted sql</c> (every such file in the folder and
/// below, in path order, as includeAll reads them), <c>--changeset author:id attribute:value ...</c>, <c>--rollback</c>
/// lines and <c>/* liquibase rollback ... */</c> blocks, <c>--rollback not required</c> (irreversible),
/// <c>--rollback empty</c> (a rollback that does nothing), <c>--rollback changesetId:x changesetAuthor:y</c> (another
/// changeset's SQL), <c>--property</c> values for <c>${name}</c>, dbms, runInTransaction, endDelimiter,
/// rollbackEndDelimiter and ignore. Contexts, labels and preconditions are not evaluated: every changeset runs, as
/// Liquibase runs them without --contexts.
/// </summary>
internal sealed partial class LiquibaseFormat : HistoryFormat
{
    private static readonly HashSet<string> Attributes = new(StringComparer.OrdinalIgnoreCase)
    {
        "runOnChange", "runAlways", "runInTransaction", "failOnError", "context", "contextFilter", "labels", "dbms",
        "splitStatements", "endDelimiter", "stripComments", "rollbackSplitStatements", "rollbackEndDelimiter",
        "logicalFilePath", "ignore", "runWith", "runWithSpoolFile", "created", "runOrder", "onValidationFail",
    };

    public override string Name => "liquibase";

    public override string Looks => "*.sql files starting with --liquibase formatted sql";

    internal override string? Recognise(HistoryFolder folder) =>
        folder.Files(recursive: true).Where(f => f.EndsWith(".sql", StringComparison.OrdinalIgnoreCase)).FirstOrDefault(f => IsChangelog(folder.Full(f)));

    private static bool IsChangelog(string path) =>
        File.ReadLines(path).FirstOrDefault(l => l.Trim().Length > 0) is { } first && Header().IsMatch(first.TrimStart('\uFEFF'));

    internal override MigrationHistory Load(HistoryFolder folder)
    {
        var changesets = new List<Changeset>();
        foreach (var file in folder.Files(recursive: true).Where(f => f.EndsWith(".sql", StringComparison.OrdinalIgnoreCase)))
        {
            if (!IsChangelog(folder.Full(file)))
            {
                throw new ScenarioDefinitionException(folder.Full(file), 1, "not a Liquibase formatted SQL changelog: its first line must be --liquibase formatted sql");
            }

            changesets.AddRange(Parse(folder, SourceFile.Read(folder.Full(file)), file));
        }

        var migrations = new List<Migration>();
        foreach (var changeset in changesets.Where(c => !c.Ignore))
        {
            var ids = changesets.Count(c => c.Id == changeset.Id);
            var names = changesets.Count(c => c.Author == changeset.Author && c.Id == changeset.Id);
            var name = names > 1 ? $"{changeset.File}::{changeset.Author}:{changeset.Id}" : $"{changeset.Author}:{changeset.Id}";
            var up = new Dictionary<EngineKind, ScriptStep>();
            var down = new Dictionary<EngineKind, ScriptStep>();
            foreach (var engine in changeset.Engines)
            {
                up[engine] = new ScriptStep(changeset.Up(engine), changeset.Mode);
                if (changeset.Rollback(changesets, engine) is { } rollback)
                {
                    down[engine] = new ScriptStep(rollback, changeset.Mode);
                }
            }

            migrations.Add(new Migration(ids > 1 ? name : changeset.Id, name, MigrationKind.Versioned, up, down)
            {
                Description = changeset.Comment ?? string.Empty,
                MissingDown = changeset.NotRequired is { } line
                    ? $"the changeset declares --rollback not required ({changeset.File}:{line})"
                    : $"the changeset has no --rollback ({changeset.File}:{changeset.Line})",
                Aliases = ids > 1 ? [] : [name],
            });
        }

        var specific = changesets.Where(c => c.Engines.Count < EngineKinds.All.Count).SelectMany(c => c.Engines).Distinct().Order().ToList();
        return new MigrationHistory(Name, folder.Path, VersionScheme.Position, migrations) { SpecificEngines = specific };
    }

    private static List<Changeset> Parse(HistoryFolder folder, SourceFile source, string file)
    {
        var properties = new Dictionary<string, string>(folder.Settings.Placeholders, StringComparer.Ordinal);
        var result = new List<Changeset>();
        Changeset? current = null;
        var ignoring = false;
        var ignoreCount = 0;
        for (var i = 0; i < source.Lines.Count; i++)
        {
            var number = i + 1;
            var line = source.Lines[i];
            if (ignoreCount > 0)
            {
                ignoreCount--;
                continue;
            }

            if (IgnoreLines().Match(line) is { Success: true } ignore)
            {
                var what = ignore.Groups["what"].Value;
                if (what == "start")
                {
                    ignoring = true;
                }
                else if (what == "end")
                {
                    ignoring = ignoring ? false : throw source.Error(number, "--ignoreLines:end without --ignoreLines:start");
                }
                else
                {
                    ignoreCount = int.TryParse(what, out var n) && n >= 0 ? n : throw source.Error(number, $"--ignoreLines:{what}: expected start, end or a number of lines");
                }

                continue;
            }

            if (ignoring)
            {
                continue;
            }

            if (Property().Match(line) is { Success: true } property)
            {
                var attributes = Pairs(property.Groups["rest"].Value);
                if (!attributes.TryGetValue("name", out var propertyName) || !attributes.TryGetValue("value", out var value))
                {
                    throw source.Error(number, "--property needs name:<name> value:<value>");
                }

                properties.TryAdd(propertyName, value);
                continue;
            }

            if (ChangesetLine().IsMatch(line))
            {
                var match = ChangesetHeader().Match(line);
                if (!match.Success || match.Groups["id"].Value.Trim('"').Length == 0)
                {
                    throw source.Error(number, "malformed changeset line: expected --changeset author:id (a changeset needs an author and an id)");
                }

                current = new Changeset(file, number, match.Groups["author"].Value.Trim().Trim('"'), match.Groups["id"].Value.Trim('"'), properties);
                current.Configure(source, Pairs(match.Groups["rest"].Value));
                if (result.Any(c => c.Author == current.Author && c.Id == current.Id))
                {
                    throw source.Error(number, $"changeset {current.Author}:{current.Id} is already defined in this file (line {result.First(c => c.Author == current.Author && c.Id == current.Id).Line})");
                }

                result.Add(current);
                continue;
            }

            if (Include().IsMatch(line))
            {
                throw source.Error(number, "--include / --includeAll are not supported: put the included changelogs in the migration folder (they are read in file name order)");
            }

            if (current is null)
            {
                continue; // Liquibase ignores what comes before the first changeset
            }

            current.Add(source, number, line);
        }

        foreach (var changeset in result)
        {
            changeset.Finish(source);
        }

        return result;
    }

    /// <summary>attribute:value pairs (values may be quoted).</summary>
    private static Dictionary<string, string> Pairs(string text)
    {
        var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match m in Pair().Matches(text))
        {
            pairs[m.Groups["key"].Value] = m.Groups["value"].Value.Trim('"');
        }

        return pairs;
    }

    [GeneratedRegex(@"^\s*--\s*liquibase\s+formatted\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Header();

    [GeneratedRegex(@"^\s*--\s*changeset\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ChangesetLine();

    [GeneratedRegex(@"^\s*--\s*changeset\s+(?<author>""[^""]+""|[^:\s][^:]*?):(?<id>""[^""]*""|\S*)(?<rest>.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ChangesetHeader();

    [GeneratedRegex(@"(?<key>\w+):(?<value>""[^""]*""|\S*)", RegexOptions.CultureInvariant)]
    private static partial Regex Pair();

    [GeneratedRegex(@"^\s*--\s*property\s+(?<rest>.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Property();

    [GeneratedRegex(@"^\s*--\s*ignoreLines:(?<what>\S+)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IgnoreLines();

    [GeneratedRegex(@"^\s*--\s*include(All)?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Include();

    [GeneratedRegex(@"^\s*--\s*rollback\s(?<sql>.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    internal static partial Regex RollbackLine();

    [GeneratedRegex(@"^\s*/\*\s*liquibase\s*rollback\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    internal static partial Regex RollbackBlockStart();

    [GeneratedRegex(@"^\s*--\s*(comment:?\s|comments:?\s|preconditions\b|precondition-|validCheckSum\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    internal static partial Regex MetadataLine();

    [GeneratedRegex(@"^\s*--\s*comments?:?\s(?<text>.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    internal static partial Regex CommentLine();

    [GeneratedRegex(@"\$\{(?<name>[^}]+)\}", RegexOptions.CultureInvariant)]
    internal static partial Regex PropertyReference();

    /// <summary>One changeset: its SQL lines, its rollback lines, and its attributes.</summary>
    private sealed class Changeset(string file, int line, string author, string id, IReadOnlyDictionary<string, string> properties)
    {
        private readonly List<(int Line, string Text)> _up = [];
        private readonly List<(int Line, string Text)> _rollback = [];
        private int? _blockStart;
        private string? _endDelimiter;
        private string? _rollbackEndDelimiter;
        private SourceFile? _source;
        private (string Id, string Author, int Line)? _reference;
        private bool _empty;

        public string File { get; } = file;

        public int Line { get; } = line;

        public string Author { get; } = author;

        public string Id { get; } = id;

        public string? Comment { get; private set; }

        public bool Ignore { get; private set; }

        public int? NotRequired { get; private set; }

        public ExecutionMode Mode { get; private set; } = ExecutionMode.Transaction;

        public IReadOnlyList<EngineKind> Engines { get; private set; } = EngineKinds.All;

        public void Configure(SourceFile source, Dictionary<string, string> attributes)
        {
            _source = source;
            foreach (var (key, value) in attributes)
            {
                if (!Attributes.Contains(key))
                {
                    throw source.Error(Line, $"unknown changeset attribute '{key}'; Liquibase knows {string.Join(", ", Attributes.Order(StringComparer.Ordinal))}");
                }

                switch (key.ToLowerInvariant())
                {
                    case "runintransaction": Mode = Flag(source, key, value) ? ExecutionMode.Transaction : ExecutionMode.Autocommit; break;
                    case "ignore": Ignore = Flag(source, key, value); break;
                    case "enddelimiter": _endDelimiter = value; break;
                    case "rollbackenddelimiter": _rollbackEndDelimiter = value; break;
                    case "dbms": Engines = Dbms(source, value); break;
                    case "runonchange" or "runalways" or "failonerror" or "splitstatements" or "stripcomments" or "rollbacksplitstatements":
                        Flag(source, key, value);
                        break;
                }
            }
        }

        public void Add(SourceFile source, int number, string text)
        {
            if (_blockStart is not null)
            {
                var end = text.LastIndexOf("*/", StringComparison.Ordinal);
                if (end >= 0 && text[(end + 2)..].Trim().Length == 0)
                {
                    _rollback.Add((number, text[..end]));
                    _blockStart = null;
                }
                else
                {
                    _rollback.Add((number, text));
                }

                return;
            }

            if (RollbackBlockStart().IsMatch(text))
            {
                _blockStart = number;
                return;
            }

            if (RollbackLine().Match(text) is { Success: true } rollback)
            {
                var sql = rollback.Groups["sql"].Value;
                var trimmed = sql.Trim();
                if (_rollback.Count == 0 && !_empty && NotRequired is null)
                {
                    if (trimmed.StartsWith("not required", StringComparison.OrdinalIgnoreCase))
                    {
                        NotRequired = number;
                        return;
                    }

                    if (trimmed.StartsWith("empty", StringComparison.OrdinalIgnoreCase))
                    {
                        _empty = true;
                        return;
                    }

                    if (trimmed.Contains("changesetId:", StringComparison.OrdinalIgnoreCase))
                    {
                        var pairs = Pairs(trimmed);
                        if (!pairs.TryGetValue("changesetId", out var refId) || !pairs.TryGetValue("changesetAuthor", out var refAuthor))
                        {
                            throw source.Error(number, "a rollback by reference needs changesetId:<id> and changesetAuthor:<author>");
                        }

                        _reference = (refId, refAuthor, number);
                        return;
                    }
                }

                if (NotRequired is not null || _empty || _reference is not null)
                {
                    throw source.Error(number, "more --rollback after --rollback not required / empty / changesetId");
                }

                _rollback.Add((number, sql));
                return;
            }

            if (CommentLine().Match(text) is { Success: true } comment)
            {
                Comment ??= comment.Groups["text"].Value.Trim();
                return;
            }

            if (MetadataLine().IsMatch(text))
            {
                return;
            }

            _up.Add((number, text));
        }

        public void Finish(SourceFile source)
        {
            if (_blockStart is { } start)
            {
                throw source.Error(start, "the /* liquibase rollback block is not closed with */");
            }

            if (_up.All(l => l.Text.Trim().Length == 0 || l.Text.TrimStart().StartsWith("--", StringComparison.Ordinal)))
            {
                throw source.Error(Line, $"no SQL for changeset {Author}:{Id}");
            }
        }

        public ScriptSource Up(EngineKind engine) => Text(_up, _endDelimiter, engine);

        /// <summary>The rollback script, or null when there is none (no --rollback, or --rollback not required).</summary>
        public ScriptSource? Rollback(IReadOnlyList<Changeset> all, EngineKind engine)
        {
            if (_reference is { } r)
            {
                var target = all.FirstOrDefault(c => c.Id == r.Id && c.Author == r.Author)
                    ?? throw new ScenarioDefinitionException(_source!.Path, r.Line, $"the rollback refers to changeset {r.Author}:{r.Id}, which does not exist");
                return target.Up(engine);
            }

            if (_empty)
            {
                return new ScriptSource(_source!.Path, string.Empty);
            }

            return _rollback.Count == 0 ? null : Text(_rollback, _rollbackEndDelimiter, engine);
        }

        /// <summary>
        /// The lines as a script on their own line numbers, ${properties} expanded. A custom end delimiter becomes the
        /// mysql client's DELIMITER on the changeset's own line (MySQL), or ';' where it ends a line (elsewhere).
        /// </summary>
        private ScriptSource Text(List<(int Line, string Text)> lines, string? delimiter, EngineKind engine)
        {
            var custom = delimiter is { Length: > 0 } && delimiter != ";" ? delimiter : null;
            var result = new List<(int, string)>();
            if (custom is not null && engine == EngineKind.MySql && lines.Count > 0)
            {
                result.Add((Math.Min(Line, lines[0].Line - 1), "DELIMITER " + custom));
            }

            foreach (var (number, text) in lines)
            {
                var expanded = PropertyReference().Replace(text, m => properties.TryGetValue(m.Groups["name"].Value, out var v) ? v : m.Value);
                if (custom is not null && engine != EngineKind.MySql && expanded.TrimEnd().EndsWith(custom, StringComparison.Ordinal))
                {
                    var trimmed = expanded.TrimEnd();
                    expanded = trimmed[..^custom.Length] + ";";
                }

                result.Add((number, expanded));
            }

            return _source!.Script(result);
        }

        private static bool Flag(SourceFile source, string key, string value) =>
            value.Equals("true", StringComparison.OrdinalIgnoreCase) || (value.Equals("false", StringComparison.OrdinalIgnoreCase)
                ? false
                : throw new ScenarioDefinitionException(source.Path, null, $"changeset attribute {key} must be true or false, got '{value}'"));

        /// <summary>dbms:postgresql,mysql or dbms:!sqlite; MariaDB and MySQL both run on the mysql engine.</summary>
        private List<EngineKind> Dbms(SourceFile source, string value)
        {
            var items = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (items.Any(i => i.Equals("none", StringComparison.OrdinalIgnoreCase)))
            {
                return [];
            }

            var included = new HashSet<EngineKind>();
            var excluded = new HashSet<EngineKind>();
            var all = false;
            var positives = 0;
            foreach (var item in items)
            {
                var negated = item.StartsWith('!');
                var name = negated ? item[1..] : item;
                if (name.Length == 0)
                {
                    throw source.Error(Line, $"empty dbms name in '{value}'");
                }

                if (name.Equals("all", StringComparison.OrdinalIgnoreCase))
                {
                    all = true;
                    continue;
                }

                positives += negated ? 0 : 1;

                // Other databases (oracle, h2, ...) are not ours: a changeset only for them runs on none of our engines.
                if (Dialects.TryParse(name, out var engine))
                {
                    (negated ? excluded : included).Add(engine);
                }
            }

            var baseSet = positives > 0 && !all ? included : EngineKinds.All.ToHashSet();
            return EngineKinds.All.Where(e => baseSet.Contains(e) && !excluded.Contains(e)).ToList();
        }
    }
}
