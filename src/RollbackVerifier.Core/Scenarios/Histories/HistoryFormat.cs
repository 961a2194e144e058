using System.IO.Enumeration;
using RollbackVerifier.Model;

namespace RollbackVerifier.Scenarios.Histories;

/// <summary>One migration folder format: how to recognise it and how to load it into a <see cref="MigrationHistory"/>.</summary>
public abstract class HistoryFormat
{
    private protected HistoryFormat()
    {
    }

    /// <summary>The name for --format and rollback-verifier.yml.</summary>
    public abstract string Name { get; }

    /// <summary>Other accepted names (the tools that use the format).</summary>
    public virtual IReadOnlyList<string> Aliases => [];

    /// <summary>What the format's files look like, for messages.</summary>
    public abstract string Looks { get; }

    /// <summary>A file that shows the folder is in this format (relative path), or null.</summary>
    internal abstract string? Recognise(HistoryFolder folder);

    /// <summary>Loads the folder. Every problem is a <see cref="ScenarioDefinitionException"/> naming file and line.</summary>
    internal abstract MigrationHistory Load(HistoryFolder folder);

    /// <summary>Per-engine scripts from a generic one and engine-specific ones (specific wins).</summary>
    private protected static Dictionary<EngineKind, ScriptStep> Resolve(ScriptStep? generic, IReadOnlyDictionary<EngineKind, ScriptStep> specific)
    {
        var result = new Dictionary<EngineKind, ScriptStep>();
        foreach (var engine in EngineKinds.All)
        {
            if (specific.TryGetValue(engine, out var step) || (step = generic) is not null)
            {
                result[engine] = step;
            }
        }

        return result;
    }

    /// <summary>Mode from a "no transaction" marker: autocommit when marked, else one transaction per script.</summary>
    private protected static ExecutionMode Mode(bool noTransaction) => noTransaction ? ExecutionMode.Autocommit : ExecutionMode.Transaction;
}

/// <summary>A migration folder with its settings: the files that are candidates for migrations (settings file, hidden and ignored files left out).</summary>
internal sealed class HistoryFolder
{
    public HistoryFolder(string path, HistorySettings settings)
    {
        Path = path;
        Settings = settings;
    }

    public string Path { get; }

    public HistorySettings Settings { get; }

    /// <summary>Files directly in the folder (or below it), relative paths with '/' separators, in ordinal order.</summary>
    public IReadOnlyList<string> Files(bool recursive = false, string? under = null)
    {
        var root = under is null ? Path : System.IO.Path.Combine(Path, under);
        if (!Directory.Exists(root))
        {
            return [];
        }

        return Directory.EnumerateFiles(root, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
            .Select(f => System.IO.Path.GetRelativePath(Path, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part.StartsWith('.')) && f != HistorySettings.FileName && !IsIgnored(f))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Subfolders (relative names), hidden and ignored ones left out.</summary>
    public IReadOnlyList<string> Folders() =>
        Directory.EnumerateDirectories(Path)
            .Select(d => System.IO.Path.GetFileName(d))
            .Where(d => !d.StartsWith('.') && !IsIgnored(d))
            .Order(StringComparer.Ordinal)
            .ToList();

    public string Full(string relative) => System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, relative));

    public bool IsIgnored(string relative) =>
        Settings.Ignore.Any(p => FileSystemName.MatchesSimpleExpression(p, relative, ignoreCase: false)
            || FileSystemName.MatchesSimpleExpression(p, System.IO.Path.GetFileName(relative), ignoreCase: false));

    /// <summary>An error about a file that does not fit the format, with the way out.</summary>
    public ScenarioDefinitionException NotAMigration(string relative, string format, string looks) =>
        new(Full(relative), null, $"not a {format} migration file: expected {looks} (list files that are not migrations under 'ignore:' in {HistorySettings.FileName})");
}
