using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Preflight;

/// <summary>What a pre-rollback check looks for.</summary>
public enum CheckKind
{
    /// <summary>NULLs in a column whose NOT NULL the rollback restores.</summary>
    NotNull,

    /// <summary>Values longer than the old length.</summary>
    Length,

    /// <summary>Values with more decimals than the old scale (rounded by the rollback).</summary>
    Scale,

    /// <summary>Values outside the old integer type or precision.</summary>
    Range,

    /// <summary>Values that will not convert back to the old type.</summary>
    Conversion,

    /// <summary>Enum labels (or free text) the old type does not have.</summary>
    EnumLabel,

    /// <summary>Duplicate groups where the old schema had a unique key.</summary>
    Unique,

    /// <summary>Rows violating a check constraint the rollback restores.</summary>
    Check,

    /// <summary>Rows referencing no parent where the rollback restores a foreign key.</summary>
    ForeignKey,

    /// <summary>Rows in a table the forward created, which the rollback drops.</summary>
    NewTableRows,

    /// <summary>Values in a column the forward added, which the rollback drops.</summary>
    NewColumnValues,

    /// <summary>Rows the rollback deletes (DELETE, TRUNCATE, DROP TABLE of a table that existed before).</summary>
    DeletedRows,

    /// <summary>Keys at or beyond the position a sequence will hand out after the rollback resets it.</summary>
    Sequence,
}

/// <summary>What a non-zero count means for the rollback.</summary>
public enum CheckEffect
{
    /// <summary>The rollback statement that restores the rule fails (or, without a transaction, half-applies).</summary>
    Fails,

    /// <summary>The rollback silently rewrites the values (rounding, truncation).</summary>
    Changes,

    /// <summary>The rollback discards the data.</summary>
    Discards,

    /// <summary>After the rollback, new rows collide with existing keys.</summary>
    Collides,
}

/// <summary>One read-only query of the pre-rollback checklist.</summary>
/// <param name="Id">Stable id (for example <c>PF-NOTNULL-customers.email</c>): the same migration gives the same ids.</param>
/// <param name="Kind">What the check looks for.</param>
/// <param name="Object">The post-forward table or table.column it reads (production is in the migrated state).</param>
/// <param name="What">What the check counts, in one sentence.</param>
/// <param name="Why">Why it matters for this rollback: the rule the rollback restores or the data it removes.</param>
/// <param name="Sql">One SELECT returning <see cref="ChecklistSql.CountColumn"/> and up to <see cref="ChecklistSql.SampleSize"/> sample keys.</param>
/// <param name="IfNotZero">What to do before rolling back when the count is not zero.</param>
/// <param name="Effect">What a non-zero count means.</param>
/// <param name="Counts">What the count counts: "rows", "duplicate groups", "values".</param>
public sealed record PreflightCheck(string Id, CheckKind Kind, string Object, string What, string Why, string Sql, string IfNotZero, CheckEffect Effect, string Counts)
{
    /// <summary>The post-forward table the check reads.</summary>
    public string Table { get; init; } = string.Empty;

    /// <summary>Attack kinds (docs/seeding.md) whose live rows this check should count on the test database.</summary>
    public IReadOnlyList<string> Attacks { get; init; } = [];
}

/// <summary>Something the user must know before rolling back that no query can count: data already gone, rules no query can evaluate.</summary>
/// <param name="Object">Table, table.column or sequence concerned.</param>
/// <param name="Text">What it means and what to do.</param>
/// <param name="Irreversible">True when the forward migration destroyed data the rollback cannot bring back.</param>
public sealed record ChecklistNote(string Object, string Text, bool Irreversible = false);

/// <summary>The checks for one scenario on one engine, derived from the schema before (S0) and after (S1) the forward and the rollback's text.</summary>
/// <param name="Scenario">Scenario name.</param>
/// <param name="Engine">Engine whose SQL the checks are written in.</param>
/// <param name="ServerVersion">The server version the SQL was written for (casts tested per version), when known.</param>
/// <param name="Checks">The checks, in a stable order.</param>
/// <param name="Notes">What the user must do by hand.</param>
public sealed record Checklist(string Scenario, EngineKind Engine, string? ServerVersion, IReadOnlyList<PreflightCheck> Checks, IReadOnlyList<ChecklistNote> Notes)
{
    /// <summary>How to run the checklist file read-only with the engine's own client (comment lines).</summary>
    public IReadOnlyList<string> HowToRun { get; init; } = [];
}

/// <summary>What one check returned.</summary>
/// <param name="CheckId">The check.</param>
/// <param name="Count">Offending rows (or groups); null when the check did not run.</param>
/// <param name="SampleKeys">Up to <see cref="ChecklistSql.SampleSize"/> keys of offending rows, "col=value, ...".</param>
/// <param name="Error">Why the check did not run (refused, timed out, server error), or null.</param>
public sealed record CheckOutcome(string CheckId, long? Count, IReadOnlyList<string> SampleKeys, string? Error)
{
    /// <summary>True when the statement was refused before it reached the server.</summary>
    public bool Refused { get; init; }

    public bool Clean => Error is null && Count == 0;
}

/// <summary>
/// The checklist of a verification run: the checks, what they counted on the test database just before the rollback
/// (S1', with the adversarial live rows), the run's findings that back them, and what the review prompt needs.
/// </summary>
/// <param name="Checklist">The checks and notes.</param>
/// <param name="TestCounts">Per check, what it counted on the test database before the rollback ran.</param>
/// <param name="Evidence">Per check id, the run's findings that confirm it ("RV301 items: 12 rows lost").</param>
public sealed record ChecklistRun(Checklist Checklist, IReadOnlyList<CheckOutcome> TestCounts, IReadOnlyDictionary<string, IReadOnlyList<string>> Evidence)
{
    /// <summary>The schema after the forward migration (for the review prompt's DDL).</summary>
    public SchemaSnapshot? SchemaAfterForward { get; init; }

    /// <summary>The schema after the forward migration as DDL the engine accepts (see <see cref="IDdlDialect"/>), when rendered.</summary>
    public string? SchemaDdl { get; init; }

    /// <summary>The forward migration as run.</summary>
    public ScriptSource? Forward { get; init; }

    /// <summary>The rollback as run.</summary>
    public ScriptSource? Rollback { get; init; }

    public CheckOutcome? CountOf(string checkId) => TestCounts.FirstOrDefault(o => o.CheckId == checkId);
}
