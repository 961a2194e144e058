using System.ComponentModel;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;
using Spectre.Console;
using Spectre.Console.Cli;

namespace RollbackVerifier.Cli;

/// <summary><c>rollback-verifier list [paths]</c>: the scenarios found, their engines, expectations and seeding, without running anything.</summary>
public sealed class ListCommand : Command<ListCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "[PATHS]")]
        [Description("Scenario folders, or folders containing them (default: scenarios).")]
        public string[] Paths { get; init; } = [];

        [CommandOption("-e|--engine <ENGINE>")]
        [Description("Only scenarios that run on this engine: postgres, mysql or sqlite.")]
        public string? Engine { get; init; }

        public override ValidationResult Validate() =>
            Engine is not null && !EngineKinds.TryParse(Engine, out _)
                ? ValidationResult.Error($"unknown engine '{Engine}'; expected postgres, mysql or sqlite")
                : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        EngineKind? only = settings.Engine is null ? null : EngineKinds.TryParse(settings.Engine, out var k) ? k : null;
        try
        {
            var folders = ScenarioLoader.Discover(settings.Paths.Length == 0 ? ["scenarios"] : settings.Paths);
            var scenarios = folders.Select(f => ScenarioLoader.Load(f, only)).Where(s => only is null || s.Engines.Contains(only.Value)).ToList();
            var table = new Spectre.Console.Table().AddColumns("Scenario", "Engines", "Expect", "Seed", "Folder");
            foreach (var s in scenarios)
            {
                var expect = (s.Expect.Verdict is { } v ? v.ToKebab() : "pass") + (s.Expect.Findings.Count > 0 ? " " + string.Join(",", s.Expect.Findings) : string.Empty);
                var seed = $"seed {s.Seed.Seed}, {s.Seed.Rows} rows, {s.Seed.LiveRows} live" + (s.Seed.Attacks is { } attacks ? $", attacks: {(attacks.Count == 0 ? "none" : string.Join(",", attacks))}" : string.Empty);
                table.AddRow(
                    Markup.Escape(s.Name),
                    string.Join(", ", s.Engines.Select(e => e.ToName())),
                    Markup.Escape(expect),
                    Markup.Escape(seed),
                    Markup.Escape(Path.GetRelativePath(Environment.CurrentDirectory, s.Directory)));
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"{scenarios.Count} scenario{(scenarios.Count == 1 ? "" : "s")}");
            return CliApp.Success;
        }
        catch (RollbackVerifierException ex)
        {
            CliApp.WriteError(ex.Message);
            return CliApp.InvalidInput;
        }
    }
}
