using System.ComponentModel;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Scenarios;
using Spectre.Console;
using Spectre.Console.Cli;

namespace RollbackVerifier.Cli;

/// <summary>
/// <c>rollback-verifier init FOLDER --forward f.sql --rollback r.sql</c>: copies the scripts into a new scenario folder,
/// writes a commented scenario.yml, checks that the folder loads and that each script splits into statements as the
/// engine's client would, and prints the command to run next.
/// </summary>
public sealed class InitCommand : Command<InitCommand.Settings>
{
    public sealed class Settings : CliSettings
    {
        [CommandArgument(0, "<FOLDER>")]
        [Description("The scenario folder to create (its name is the scenario's name unless --name says otherwise).")]
        public string Folder { get; init; } = string.Empty;

        [CommandOption("--forward <FILE>")]
        [Description("The forward migration script; copied to forward.sql.")]
        public string? Forward { get; init; }

        [CommandOption("--rollback <FILE>")]
        [Description("The candidate rollback script; copied to rollback.sql.")]
        public string? Rollback { get; init; }

        [CommandOption("--baseline <FILE>")]
        [Description("The schema before the migration (a dump or the earlier migrations); copied to baseline.sql. Without it the forward migration starts from an empty database.")]
        public string? Baseline { get; init; }

        [CommandOption("-e|--engine <ENGINES>")]
        [Description("The engines the scripts are written for: postgres, mysql, sqlite, comma-separated or repeated. Without it the scenario names none and verify needs --engine.")]
        public string[] Engine { get; init; } = [];

        [CommandOption("--name <NAME>")]
        [Description("The scenario's name (default: the folder name).")]
        public string? Name { get; init; }

        [CommandOption("--description <TEXT>")]
        [Description("One or two sentences on what the migration does and what the rollback must restore.")]
        public string? Description { get; init; }

        [CommandOption("--force")]
        [Description("Write into a folder that already has files, replacing forward.sql, rollback.sql, baseline.sql and scenario.yml.")]
        public bool Force { get; init; }

        public IReadOnlyList<EngineKind> Engines => EngineOption.Parse(Engine, out var kinds, out _) ? kinds : [];

        public override ValidationResult Validate()
        {
            if (Forward is null || Rollback is null)
            {
                return ValidationResult.Error("init needs both --forward FILE and --rollback FILE");
            }

            if (Name is { } name && name.Trim().Length == 0)
            {
                return ValidationResult.Error("--name must not be empty");
            }

            return EngineOption.Parse(Engine, out _, out var problem) ? ValidationResult.Success() : ValidationResult.Error(problem!);
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var console = AnsiConsole.Console;
        try
        {
            var folder = Path.GetFullPath(settings.Folder);
            var sources = new List<(string Option, string Source, string Target)>
            {
                ("--forward", settings.Forward!, "forward.sql"),
                ("--rollback", settings.Rollback!, "rollback.sql"),
            };
            if (settings.Baseline is { } baseline)
            {
                sources.Insert(0, ("--baseline", baseline, "baseline.sql"));
            }

            foreach (var (option, source, _) in sources)
            {
                if (!File.Exists(source))
                {
                    throw new RollbackVerifierException($"{option} {source}: no such file");
                }
            }

            if (File.Exists(folder))
            {
                throw new RollbackVerifierException($"{folder} is a file, not a folder");
            }

            if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any() && !settings.Force)
            {
                throw new RollbackVerifierException($"{folder} already exists and is not empty; choose another folder, or pass --force to replace its scripts and scenario.yml");
            }

            Directory.CreateDirectory(folder);
            foreach (var (_, source, target) in sources)
            {
                var destination = Path.Combine(folder, target);
                if (!string.Equals(Path.GetFullPath(source), destination, StringComparison.Ordinal))
                {
                    File.Copy(source, destination, overwrite: true);
                }

                console.MarkupLine($"[grey]wrote[/] {Markup.Escape(Relative(destination))} [grey](from {Markup.Escape(source)})[/]");
            }

            var manifest = Path.Combine(folder, ScenarioLoader.ManifestName);
            File.WriteAllText(manifest, ScenarioTemplate.Render(settings.Name?.Trim(), settings.Description, settings.Engines, settings.Baseline is not null));
            console.MarkupLine($"[grey]wrote[/] {Markup.Escape(Relative(manifest))}");

            try
            {
                return Check(console, folder, settings);
            }
            catch (RollbackVerifierException ex)
            {
                CliApp.WriteError($"{ex.Message}\n(the scenario folder {Relative(folder)} is written as it is: fix the script there and check it with `rollback-verifier list {Quote(Relative(folder))}`)");
                return CliApp.InvalidInput;
            }
        }
        catch (RollbackVerifierException ex)
        {
            CliApp.WriteError(ex.Message);
            return CliApp.InvalidInput;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            CliApp.WriteError($"cannot write the scenario folder {settings.Folder}: {ex.Message}");
            return CliApp.InvalidInput;
        }
    }

    /// <summary>
    /// Loads the folder and splits its scripts with each engine's splitter. With engines given every one must work; a
    /// scenario that names none must split on at least one engine (the others are reported).
    /// </summary>
    private static int Check(IAnsiConsole console, string folder, Settings settings)
    {
        var engines = settings.Engines.Count > 0 ? settings.Engines : EngineKinds.All;
        var scenario = ScenarioLoader.LoadFor(folder, engines);
        var registry = EngineRegistration.CreateRegistry();
        var working = new List<EngineKind>();
        var problems = new List<string>();
        foreach (var kind in scenario.Engines)
        {
            var engine = registry.Create(kind, new EngineSettings(null, null, "init"));
            try
            {
                var scripts = scenario.Scripts[kind];
                var counts = new[] { ("baseline", scripts.Baseline), ("forward", scripts.Forward), ("rollback", scripts.Rollback) }
                    .Where(s => s.Item2 is not null)
                    .Select(s => (Phase: s.Item1, Statements: engine.Dialect.Splitter.Split(s.Item2!.Text, s.Item2.Path).Count))
                    .ToList();
                working.Add(kind);
                console.MarkupLine($"[green]ok[/]    {kind.ToName()}: {string.Join(", ", counts.Select(c => $"{c.Phase} {c.Statements} statement{(c.Statements == 1 ? "" : "s")}"))}");
                if (counts.First(c => c.Phase == "rollback").Statements == 0)
                {
                    console.MarkupLine("[yellow]note[/]  the rollback has no statements, so it cannot restore anything (RV104 rollback-noop)");
                }
            }
            catch (ScenarioDefinitionException ex) when (settings.Engines.Count == 0)
            {
                problems.Add($"{kind.ToName()}: {ex.Message}");
            }
            finally
            {
                engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }

        foreach (var problem in problems)
        {
            console.MarkupLine($"[yellow]note[/]  does not split as {Markup.Escape(problem)}");
        }

        if (working.Count == 0)
        {
            throw new RollbackVerifierException($"the scripts in {folder} split on no engine: {string.Join("; ", problems)}");
        }

        if (settings.Baseline is null)
        {
            console.MarkupLine("[yellow]note[/]  no --baseline: the forward migration runs on an empty database; put the schema it expects in baseline.sql");
        }

        var next = $"rollback-verifier verify {Quote(Relative(folder))}" + (settings.Engines.Count == 0 ? $" --engine {working[0].ToName()}" : string.Empty);
        console.MarkupLine($"created scenario [bold]{Markup.Escape(scenario.Name)}[/]; edit {Markup.Escape(Relative(Path.Combine(folder, ScenarioLoader.ManifestName)))} (seeding, expectations), then run:");
        console.WriteLine("    " + next);
        return CliApp.Success;
    }

    private static string Relative(string path) => Path.GetRelativePath(Environment.CurrentDirectory, path);

    private static string Quote(string path) => path.Any(char.IsWhiteSpace) ? $"\"{path}\"" : path;
}
