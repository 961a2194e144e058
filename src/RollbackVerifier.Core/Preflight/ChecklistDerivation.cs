using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Preflight;

/// <summary>
/// Derives a scenario's checklist without a verification run: baseline and forward on a throwaway database give S0
/// and S1, the checks are written for the target server's version, and every check is run once on the throwaway S1
/// (empty tables) so that only queries known to work on the migrated schema reach production.
/// </summary>
public static class ChecklistDerivation
{
    /// <exception cref="RollbackVerifierException">The scenario has no scripts for the engine, or its baseline or forward fails.</exception>
    /// <exception cref="EngineUnavailableException">The throwaway database cannot be created.</exception>
    public static async Task<Checklist> DeriveAsync(Scenario scenario, EngineKind engine, IDatabaseEngine databaseEngine, string? targetVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(databaseEngine);
        if (!scenario.Scripts.TryGetValue(engine, out var scripts))
        {
            throw new RollbackVerifierException($"Scenario {scenario.Name} ({scenario.Directory}) has no scripts for {engine.ToName()}.");
        }

        var database = await databaseEngine.CreateDatabaseAsync(new DatabaseRequest(scenario.Name, scenario.Isolation), cancellationToken).ConfigureAwait(false);
        await using (database.ConfigureAwait(false))
        {
            if (database.Dialect is not IPreflightDialect dialect)
            {
                throw new RollbackVerifierException($"The {engine.ToName()} engine has no pre-rollback checklist support.");
            }

            if (scripts.Baseline is { } baseline)
            {
                await RunAsync(database, Phase.Baseline, baseline, scenario, cancellationToken).ConfigureAwait(false);
            }

            var before = await database.InspectSchemaAsync(cancellationToken).ConfigureAwait(false);
            await RunAsync(database, Phase.Forward, scripts.Forward, scenario, cancellationToken).ConfigureAwait(false);
            var after = await database.InspectSchemaAsync(cancellationToken).ConfigureAwait(false);
            var checklist = ChecklistBuilder.Build(new ChecklistInput(scenario.Name, before, after, scripts.Rollback, dialect, targetVersion ?? database.ServerVersion));

            var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var session = await PreflightSession.BeginAsync(connection, dialect, PreflightLimits.Default, database.ServerVersion, resetOnDispose: false, cancellationToken).ConfigureAwait(false);
                await using (session.ConfigureAwait(false))
                {
                    var outcomes = await session.RunAllAsync(checklist, cancellationToken).ConfigureAwait(false);
                    return ScenarioChecklist.KeepRunnable(checklist, outcomes, $"a throwaway {database.ServerVersion} database after the forward migration").Checklist;
                }
            }
        }
    }

    private static async Task RunAsync(IDatabaseInstance database, Phase phase, ScriptSource script, Scenario scenario, CancellationToken ct)
    {
        var outcome = await ScriptExecutor.RunAsync(database, phase, script, scenario.Execution.For(phase), scenario.Timeouts, ct).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            var failure = outcome.Failure;
            throw new RollbackVerifierException(failure is null
                ? $"{Path.GetFileName(script.Path)} timed out on the throwaway database."
                : $"{Path.GetFileName(failure.File)}:{failure.Line}: statement {failure.Number} failed on the throwaway database with {failure.ErrorCode}: {failure.ErrorMessage}");
        }
    }
}
