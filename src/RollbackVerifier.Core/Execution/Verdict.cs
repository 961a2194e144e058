namespace RollbackVerifier.Execution;

/// <summary>The outcome of one scenario on one engine.</summary>
public enum Verdict
{
    /// <summary>The rollback restored schema and data (no unaccepted error findings).</summary>
    Pass,

    /// <summary>The rollback did not restore the pre-migration state, or failed.</summary>
    Fail,

    /// <summary>The scenario itself is broken: baseline or forward failed, or seeding could not plan.</summary>
    Broken,

    /// <summary>The forward migration changed nothing, so there was nothing to roll back.</summary>
    NothingTested,

    /// <summary>The engine was unavailable (for example no Docker); the reason says how to enable it.</summary>
    NotRun,
}
