using System.ComponentModel;
using RollbackVerifier.Analysis;
using RollbackVerifier.Findings;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;
using Spectre.Console;
using Spectre.Console.Cli;

namespace RollbackVerifier.Cli;

/// <summary>
/// <c>rollback-verifier lint [paths]</c>: the static rules only, without any database. One line per finding in the
/// compiler format editors and CI annotate (<c>file:line: warning RV501 name: message</c>); exit 1 when a finding is at
/// or above <c>--fail-on</c>.
/// </summary>
public sealed class LintCommand : Command<LintCommand.Settings>
{
    public sealed class Settings : CliSettings
    {
        [CommandArgument(0, "[PATHS]")]
        [Description("Scenario folders, or folders holding them (default: scenarios). Not used with --forward/--rollback.")]
        public string[] Paths { get; init; } = [];

        [CommandOption("-e|--engine <ENGINE>")]
        [Description("The dialect: postgres, mysql or sqlite. Narrows scenario folders; required with --forward/--rollback.")]
        public string? Engine { get; init; }

        [CommandOption("--forward <FILE>")]
        [Description("A forward migration to lint with --rollback, outside a scenario folder.")]
        public string? Forward { get; init; }

        [CommandOption("--rollback <FILE>")]
        [Description("The rollback of --forward.")]
        public string? Rollback { get; init; }

        [CommandOption("--baseline <FILE>")]
        [Description("Optional schema before the migration (tells which tables reference which).")]
        public string? Baseline { get; init; }

        [CommandOption("--execution <MODE>")]
        [Description("How the rollback runs with --forward/--rollback: autocommit (default) or transaction (Flyway, psql -1).")]
        public string Execution { get; init; } = "autocommit";

        [CommandOption("--fail-on <SEVERITY>")]
        [Description("Exit 1 when a finding is at or above this severity: info, warning (default), error, or none.")]
        public string FailOn { get; init; } = "warning";

        [CommandOption("-v|--verbose")]
        [Description("Also list disabled rules and the statements the parser did not understand.")]
        public bool Verbose { get; init; }

        public override ValidationResult Validate()
        {
            if (Engine is not null && !EngineKinds.TryParse(Engine, out _))
            {
                return ValidationResult.Error($"unknown engine '{Engine}'; expected postgres, mysql or sqlite");
            }

            if (FailOn.ToLowerInvariant() is not ("info" or "warning" or "error" or "none"))
            {
                return ValidationResult.Error($"--fail-on must be info, warning, error or none, got '{FailOn}'");
            }

            if (Execution.ToLowerInvariant() is not ("autocommit" or "transaction"))
            {
                return ValidationResult.Error($"--execution must be autocommit or transaction, got '{Execution}'");
            }

            if ((Forward is null) != (Rollback is null))
            {
                return ValidationResult.Error("--forward and --rollback go together");
            }

            if (Forward is not null && (Engine is null || Paths.Length > 0))
            {
                return ValidationResult.Error(Engine is null ? "--forward/--rollback need --engine" : "give either scenario paths or --forward/--rollback, not both");
            }

            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        EngineKind? only = settings.Engine is null ? null : EngineKinds.TryParse(settings.Engine, out var k) ? k : null;
        try
        {
            var inputs = settings.Forward is not null ? [FromFiles(settings, only!.Value)] : FromScenarios(settings.Paths.Length == 0 ? ["scenarios"] : settings.Paths, only);
            var threshold = settings.FailOn.ToLowerInvariant() switch
            {
                "info" => Severity.Info,
                "error" => Severity.Error,
                "none" => (Severity?)null,
                _ => Severity.Warning,
            };
            var findings = 0;
            var failing = 0;
            foreach (var (name, input) in inputs)
            {
                var result = StaticAnalyzer.Analyze(input);
                foreach (var finding in result.Findings)
                {
                    findings++;
                    failing += threshold is { } t && finding.Severity >= t ? 1 : 0;
                    Console.WriteLine(Line(name, input, finding));
                }

                if (settings.Verbose)
                {
                    foreach (var disabled in result.Disabled)
                    {
                        Console.WriteLine($"{name}: note: {disabled.Code} disabled: {disabled.Reason}");
                    }

                    foreach (var statement in result.NotUnderstood)
                    {
                        Console.WriteLine($"{Relative(statement.File)}:{statement.Line}: note: not analysed ({statement.Reason}): {statement.Statement}");
                    }
                }
            }

            var runs = inputs.Count;
            Console.WriteLine($"{findings} finding{(findings == 1 ? "" : "s")} in {runs} rollback{(runs == 1 ? "" : "s")}{(threshold is { } th ? $" ({failing} at or above {th.ToString().ToLowerInvariant()})" : string.Empty)}");
            return failing > 0 ? CliApp.ExpectationNotMet : CliApp.Success;
        }
        catch (RollbackVerifierException ex)
        {
            CliApp.WriteError(ex.Message);
            return CliApp.InvalidInput;
        }
    }

    /// <summary>"scenarios/x/rollback.sql:3: warning RV501 destructive-without-copy: message [scenario on engine]".</summary>
    private static string Line(string name, StaticAnalysisInput input, Finding finding)
    {
        var details = finding.Evidence.Details;
        var file = details.TryGetValue("file", out var f)
            ? Relative(Path.Combine(Path.GetDirectoryName(input.Rollback.Path) ?? string.Empty, f))
            : Relative(input.Rollback.Path);
        var line = details.TryGetValue("line", out var l) ? ":" + l : string.Empty;
        return $"{file}{line}: {finding.Severity.ToString().ToLowerInvariant()} {finding.Code} {finding.Name}: {finding.Message} [{name} on {input.Engine.ToName()}]";
    }

    private static string Relative(string path) => Path.GetRelativePath(Environment.CurrentDirectory, path);

    private static List<(string Name, StaticAnalysisInput Input)> FromScenarios(IEnumerable<string> paths, EngineKind? only)
    {
        var inputs = new List<(string, StaticAnalysisInput)>();
        foreach (var folder in ScenarioLoader.Discover(paths))
        {
            var scenario = ScenarioLoader.Load(folder, only);
            foreach (var engine in scenario.Engines)
            {
                inputs.Add((scenario.Name, StaticAnalysisInput.For(scenario, engine, scenario.Scripts[engine])));
            }
        }

        return inputs;
    }

    private static (string, StaticAnalysisInput) FromFiles(Settings settings, EngineKind engine)
    {
        var mode = settings.Execution.Equals("transaction", StringComparison.OrdinalIgnoreCase) ? ExecutionMode.Transaction : ExecutionMode.Autocommit;
        return (Path.GetFileName(settings.Rollback!), StaticAnalysisInput.FromFiles(engine, settings.Baseline, settings.Forward!, settings.Rollback!, mode));
    }
}
