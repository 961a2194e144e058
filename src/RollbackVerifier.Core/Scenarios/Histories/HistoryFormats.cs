namespace RollbackVerifier.Scenarios.Histories;

/// <summary>The supported migration folder formats, detection, and loading.</summary>
public static class HistoryFormats
{
    /// <summary>Every format, in detection order.</summary>
    public static IReadOnlyList<HistoryFormat> All { get; } =
    [
        new SqitchFormat(),
        new LiquibaseFormat(),
        new DbmateFormat(),
        new GooseFormat(),
        new FlywayFormat(),
        new PairedFormat(),
        new FolderFormat(),
    ];

    /// <summary>The format names, for messages.</summary>
    public static string Names => string.Join(", ", All.Select(f => f.Name));

    public static bool TryGet(string name, out HistoryFormat format)
    {
        format = All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)
            || f.Aliases.Contains(name, StringComparer.OrdinalIgnoreCase))!;
        return format is not null;
    }

    /// <summary>
    /// Loads a migration folder: its rollback-verifier.yml, then the format named by <paramref name="format"/>, by the
    /// settings file, or detected from the files (an error when no format or more than one fits).
    /// </summary>
    /// <exception cref="ScenarioDefinitionException">No such folder, unknown or ambiguous format, or a file the format rejects (with line).</exception>
    public static (MigrationHistory History, HistorySettings Settings) Load(string folder, string? format)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        if (!Directory.Exists(full))
        {
            throw new ScenarioDefinitionException(full, null, "no such migration folder");
        }

        var settings = HistorySettings.Load(full);
        var dir = new HistoryFolder(full, settings);
        var name = format ?? settings.Format;
        HistoryFormat chosen;
        if (name is not null)
        {
            chosen = TryGet(name, out var named) ? named : throw new ScenarioDefinitionException(full, null, $"unknown migration format '{name}'; expected {Names}");
        }
        else
        {
            chosen = Detect(dir);
        }

        return (chosen.Load(dir), settings);
    }

    private static HistoryFormat Detect(HistoryFolder folder)
    {
        var candidates = All.Select(f => (Format: f, Evidence: f.Recognise(folder))).Where(c => c.Evidence is not null).ToList();
        return candidates.Count switch
        {
            1 => candidates[0].Format,
            0 => throw new ScenarioDefinitionException(folder.Path, null,
                "cannot tell the migration format: no file looks like " + string.Join("; ", All.Select(f => $"{f.Name} ({f.Looks})"))
                + $". Pass --format <{string.Join("|", All.Select(f => f.Name))}> or set format: in {HistorySettings.FileName}"),
            _ => throw new ScenarioDefinitionException(folder.Path, null,
                "the folder fits more than one migration format: " + string.Join("; ", candidates.Select(c => $"{c.Format.Name} ({c.Evidence})"))
                + $". Pass --format <name> or set format: in {HistorySettings.FileName}"),
        };
    }
}
