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
    public sealed class Settings : SelectionSettings
    {
        [CommandOption("--shards <N>")]
        [Description("Show which of N shards each scenario's engines land in (what verify --shard i/N would run).")]
        public int? Shards { get; init; }

        public override ValidationResult Validate()
        {
            var selection = base.Validate();
            return !selection.Successful ? selection
                : Shards is < 1 ? ValidationResult.Error($"--shards {Shards}: give at least 1")
                : Shards is not null && ShardSpec is { } shard && shard.Count != Shards ? ValidationResult.Error($"--shards {Shards} and --shard {shard} disagree on the number of shards")
                : ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        try
        {
            var selection = ScenarioSelection.Select(settings, ScenarioSelection.Load(settings), settings.Shards);
            var shown = settings.ShardSpec is null ? settings.Shards is null ? null : selection.All : selection.Items;
            var scenarios = selection.Scenarios.Where(s => s.Engines.Count > 0 && (shown is null || shown.Any(w => ReferenceEquals(w.Scenario, s)))).ToList();
            var table = new Spectre.Console.Table().AddColumns("Scenario", "Engines", "Expect", "Seed", "Folder");
            foreach (var s in scenarios)
            {
                var expect = (s.Expect.Verdict is { } v ? v.ToKebab() : "pass") + (s.Expect.Findings.Count > 0 ? " " + string.Join(",", s.Expect.Findings) : string.Empty);
                var seed = $"seed {s.Seed.Seed}, {s.Seed.Rows} rows, {s.Seed.LiveRows} live" + (s.Seed.Attacks is { } attacks ? $", attacks: {(attacks.Count == 0 ? "none" : string.Join(",", attacks))}" : string.Empty);
                var engines = shown is null
                    ? string.Join(", ", s.Engines.Select(e => e.ToName()))
                    : string.Join(", ", shown.Where(w => ReferenceEquals(w.Scenario, s)).Select(w => $"{w.Engine.ToName()} {w.Shard}/{settings.Shards ?? settings.ShardSpec!.Count}"));
                table.AddRow(
                    Markup.Escape(s.Name),
                    Markup.Escape(engines),
                    Markup.Escape(expect),
                    Markup.Escape(seed),
                    Markup.Escape(Path.GetRelativePath(Environment.CurrentDirectory, s.Directory)));
            }

            AnsiConsole.Write(table);
            var runs = shown?.Count ?? selection.All.Count;
            var where = settings.ShardSpec is { } shard ? $" in shard {shard} (of {selection.All.Count} runs)" : string.Empty;
            AnsiConsole.MarkupLine($"{scenarios.Count} scenario{(scenarios.Count == 1 ? "" : "s")}, {runs} run{(runs == 1 ? "" : "s")}{where}");
            return CliApp.Success;
        }
        catch (RollbackVerifierException ex)
        {
            CliApp.WriteError(ex.Message);
            return CliApp.InvalidInput;
        }
    }
}
