using RollbackVerifier.Model;

namespace RollbackVerifier.Scenarios.Histories;

/// <summary>Whether a migration runs once at its version or again whenever it changes (Flyway R__ files).</summary>
public enum MigrationKind
{
    /// <summary>Applied once, in version (or plan) order.</summary>
    Versioned,

    /// <summary>Re-applied whenever its text changes; applied after every versioned migration, in name order.</summary>
    Repeatable,
}

/// <summary>
/// One migration of a history: its version as the format writes it, the name users recognise, and its up and down
/// scripts per engine. A migration applies to the engines that have an up script; an engine with an up but no down
/// cannot roll it back (<see cref="MissingDown"/> says why).
/// </summary>
/// <param name="Version">The version in the format's own notation ("0003", "1.1", "users@v1.0", a changeset id).</param>
/// <param name="Name">The name users recognise (file stem, folder, author:id, plan change).</param>
/// <param name="Kind">Versioned or repeatable.</param>
/// <param name="Up">The up script per engine it applies to.</param>
/// <param name="Down">The down script per engine that has one.</param>
public sealed record Migration(string Version, string Name, MigrationKind Kind, IReadOnlyDictionary<EngineKind, ScriptStep> Up, IReadOnlyDictionary<EngineKind, ScriptStep> Down)
{
    /// <summary>Free text from the file (a changeset comment, a plan note).</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Why there is no down where there is none ("no 0003_x.down.sql next to 0003_x.up.sql", "--rollback not required").</summary>
    public string MissingDown { get; init; } = "no down script";

    /// <summary>Other names the user may give on the command line for this migration (a Liquibase id without its author).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
}

/// <summary>A folder of migrations in one format, in the format's own order.</summary>
/// <param name="Format">The format's name (see <see cref="HistoryFormats"/>).</param>
/// <param name="Folder">Absolute path of the folder.</param>
/// <param name="Versions">How the format orders versions, for --from/--to/--migration/--unit.</param>
/// <param name="Migrations">Every migration, versioned first in order, then repeatables.</param>
public sealed record MigrationHistory(string Format, string Folder, VersionScheme Versions, IReadOnlyList<Migration> Migrations)
{
    /// <summary>The migrations that apply to <paramref name="engine"/>, in order.</summary>
    public IReadOnlyList<Migration> For(EngineKind engine) => Migrations.Where(m => m.Up.ContainsKey(engine)).ToList();

    /// <summary>Engines some migration has an engine-specific script for (the history's engines when nothing names them).</summary>
    public IReadOnlyList<EngineKind> SpecificEngines { get; init; } = [];
}

/// <summary>Where a result sits in a migration history, for reports (JSON <c>history</c>).</summary>
/// <param name="Format">The history's format.</param>
/// <param name="Folder">The history's folder.</param>
/// <param name="Version">The migration's version, or "first..last" for a unit.</param>
/// <param name="Migration">The migration's name.</param>
/// <param name="Index">1-based position of the (first) migration in the engine's history.</param>
/// <param name="Count">Number of migrations in the engine's history.</param>
public sealed record HistoryPosition(string Format, string Folder, string Version, string Migration, int Index, int Count)
{
    /// <summary>For a unit (several migrations verified as one): their versions in order; empty otherwise.</summary>
    public IReadOnlyList<string> Unit { get; init; } = [];

    /// <summary>Set on results not run because an earlier up failed: that migration's version.</summary>
    public string? ChainStoppedAt { get; init; }
}
