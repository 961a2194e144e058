using System.ComponentModel;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios.Histories;
using Spectre.Console;
using Spectre.Console.Cli;

namespace RollbackVerifier.Cli;

/// <summary>The options of `verify --history`: verify every migration of an existing migration folder (docs/histories.md).</summary>
public abstract class HistoryCommandSettings : SelectionSettings
{
    [CommandOption("--history <FOLDER>")]
    [Description("Verify a migration folder (golang-migrate/sqlx paired files, Diesel-style folders, Flyway, dbmate, goose, Liquibase formatted SQL, Sqitch): one scenario per migration.")]
    public string? History { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("The folder's migration format when detection is not wanted: paired, folder, flyway, dbmate, goose, liquibase, sqitch.")]
    public string? Format { get; init; }

    [CommandOption("--from <VERSION>")]
    [Description("With --history: first migration to verify (inclusive; versions compare as the format orders them).")]
    public string? From { get; init; }

    [CommandOption("--to <VERSION>")]
    [Description("With --history: last migration to verify (inclusive).")]
    public string? To { get; init; }

    [CommandOption("--migration <VERSION>")]
    [Description("With --history: verify only this migration.")]
    public string? Migration { get; init; }

    [CommandOption("--unit <FIRST..LAST>")]
    [Description("With --history: verify these migrations as one unit (their ups in order, then their downs in reverse).")]
    public string? Unit { get; init; }

    /// <summary>Checks that history options come with --history and that scenario paths and --history are not mixed.</summary>
    internal ValidationResult ValidateHistory(IReadOnlyList<string> paths)
    {
        if (History is null)
        {
            var stray = new[] { ("--format", Format), ("--from", From), ("--to", To), ("--migration", Migration), ("--unit", Unit) }.Where(o => o.Item2 is not null).Select(o => o.Item1).ToList();
            return stray.Count > 0 ? ValidationResult.Error($"{string.Join(", ", stray)} need --history <folder>") : ValidationResult.Success();
        }

        return paths.Count > 0 ? ValidationResult.Error("give either scenario folders or --history <folder>, not both") : ValidationResult.Success();
    }

    /// <summary>The planned history with its runner, or null without --history.</summary>
    /// <exception cref="ScenarioDefinitionException">The folder or an option is invalid (names file and line).</exception>
    /// <param name="engines">The engines asked for (--engine); one names the chain's engine, several or none leave it to the folder.</param>
    internal HistoryRunner? PlanHistory(IReadOnlyList<EngineKind> engines) =>
        History is null ? null : new HistoryRunner(HistoryPlan.Create(new HistoryOptions(History)
        {
            Format = Format,
            Engine = engines.Count == 1 ? engines[0] : null,
            From = From,
            To = To,
            Migration = Migration,
            Unit = Unit,
        }));
}
