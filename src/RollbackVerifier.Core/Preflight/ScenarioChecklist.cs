using System.Data.Common;
using RollbackVerifier.Execution;
using RollbackVerifier.Findings;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Preflight;

/// <summary>
/// The checklist in a verification run: derived from S0, S1 and the rollback's text, counted on the test database
/// just before the rollback (S1', holding the adversarial live rows the checks must find), then backed by the run's
/// findings. Never changes the verdict: a checklist that cannot be counted becomes notes.
/// </summary>
public static class ScenarioChecklist
{
    /// <summary>Derives the checklist and counts it on <paramref name="database"/> in a read-only session; null for an engine without checklist support.</summary>
    public static async Task<ChecklistRun?> PrepareAsync(IDatabaseInstance database, Scenario scenario, Model.SchemaSnapshot before, Model.SchemaSnapshot after, ScenarioScripts scripts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(scripts);
        if (database.Dialect is not IPreflightDialect dialect)
        {
            return null;
        }

        var checklist = ChecklistBuilder.Build(new ChecklistInput(scenario.Name, before, after, scripts.Rollback, dialect, database.ServerVersion));
        IReadOnlyList<CheckOutcome> outcomes;
        string? ddl = null;
        try
        {
            var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var session = await PreflightSession.BeginAsync(connection, dialect, new PreflightLimits(scenario.Timeouts.Statement, TimeSpan.FromSeconds(5)), database.ServerVersion, resetOnDispose: true, cancellationToken).ConfigureAwait(false);
                await using (session.ConfigureAwait(false))
                {
                    outcomes = await session.RunAllAsync(checklist, cancellationToken).ConfigureAwait(false);
                }

                ddl = await RenderDdlAsync(dialect, connection, after, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is DbException or RollbackVerifierException)
        {
            outcomes = checklist.Checks.Select(c => new CheckOutcome(c.Id, null, [], "the test database could not be read: " + ex.Message)).ToList();
        }

        var (runnable, counts) = KeepRunnable(checklist, outcomes, "the migrated test database");
        return new ChecklistRun(runnable, counts, new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal))
        {
            SchemaAfterForward = after,
            SchemaDdl = ddl,
            Forward = scripts.Forward,
            Rollback = scripts.Rollback,
        };
    }

    /// <summary>The schema as DDL for the review prompt; a failure only costs the prompt its DDL.</summary>
    private static async Task<string?> RenderDdlAsync(IPreflightDialect dialect, DbConnection connection, Model.SchemaSnapshot schema, CancellationToken ct)
    {
        try
        {
            return dialect is IDdlDialect ddl ? await ddl.RenderSchemaAsync(connection, schema, ct).ConfigureAwait(false) : null;
        }
        catch (DbException ex)
        {
            return $"-- the schema could not be rendered: {dialect.DescribeError(ex).Message}";
        }
    }

    /// <summary>
    /// Moves checks that did not run on <paramref name="where"/> (a schema the checklist was derived from) to notes:
    /// they would not run in production either, and a checklist must only hold queries known to work.
    /// </summary>
    public static (Checklist Checklist, IReadOnlyList<CheckOutcome> Outcomes) KeepRunnable(Checklist checklist, IReadOnlyList<CheckOutcome> outcomes, string where)
    {
        ArgumentNullException.ThrowIfNull(checklist);
        ArgumentNullException.ThrowIfNull(outcomes);
        var failed = outcomes.Where(o => o.Error is not null).ToDictionary(o => o.CheckId, StringComparer.Ordinal);
        if (failed.Count == 0)
        {
            return (checklist, outcomes);
        }

        var notes = checklist.Notes.Concat(checklist.Checks.Where(c => failed.ContainsKey(c.Id)).Select(c =>
            new ChecklistNote(c.Object, $"{c.What} The query for it did not run on {where} ({failed[c.Id].Error}), so it is left out; count by hand."))).ToList();
        return (checklist with { Checks = checklist.Checks.Where(c => !failed.ContainsKey(c.Id)).ToList(), Notes = notes }, outcomes.Where(o => o.Error is null).ToList());
    }

    /// <summary>The run's findings that confirm each check; data losses no check covers become notes.</summary>
    public static ChecklistRun WithFindings(this ChecklistRun run, IReadOnlyList<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(findings);
        var evidence = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var used = new HashSet<Finding>();
        foreach (var check in run.Checklist.Checks)
        {
            var backing = findings.Where(f => Backs(f, check)).ToList();
            if (backing.Count > 0)
            {
                evidence[check.Id] = backing.Select(Describe).ToList();
                used.UnionWith(backing);
            }
        }

        var uncovered = findings
            .Where(f => f.Code is "RV301" or "RV305" && !used.Contains(f))
            .Select(f => new ChecklistNote(f.Object, $"The verification run found data this rollback discards that no query here counts: {Describe(f)} Find those rows by hand before rolling back."))
            .ToList();
        return run with
        {
            Evidence = evidence,
            Checklist = uncovered.Count == 0 ? run.Checklist : run.Checklist with { Notes = run.Checklist.Notes.Concat(uncovered).ToList() },
        };
    }

    private static bool Backs(Finding finding, PreflightCheck check)
    {
        var table = check.Table;
        var onTable = finding.Object == check.Object || finding.Object == table || finding.Object.StartsWith(table + ".", StringComparison.Ordinal);
        return check.Kind switch
        {
            CheckKind.NewTableRows or CheckKind.NewColumnValues => finding.Code == FindingCodes.NewDataDiscarded.Code && finding.Object == check.Object,
            CheckKind.DeletedRows => finding.Code == FindingCodes.RowsLost.Code && finding.Object == table,
            CheckKind.Sequence => finding.Code is "RV404" or "RV405" && finding.Object.Contains(check.Object, StringComparison.Ordinal),
            _ => (finding.Code == FindingCodes.RollbackFailed.Code && Mentions(finding, table))
                || (finding.Code is "RV301" or "RV303" && onTable),
        };
    }

    /// <summary>A failed rollback statement that names the check's table.</summary>
    private static bool Mentions(Finding finding, string table) =>
        finding.Evidence.Details.TryGetValue("statement", out var statement)
        && Seeding.SeedPlanner.ContainsIdentifier(statement, table.Contains('.', StringComparison.Ordinal) ? table[(table.LastIndexOf('.') + 1)..] : table);

    private static string Describe(Finding finding)
    {
        var text = $"{finding.Code} {finding.Name} ({finding.Object}): {finding.Message}";
        return text.Length <= 300 ? text : text[..297] + "...";
    }
}
