using System.Text;
using RollbackVerifier.Execution.Commands;
using RollbackVerifier.Model;
using YamlDotNet.RepresentationModel;

namespace RollbackVerifier.Scenarios;

/// <summary>scenario.yml <c>steps:</c> (external commands instead of SQL files) and <c>compare:</c> (tables left out).</summary>
public static partial class ScenarioLoader
{
    internal sealed partial class Manifest
    {
        private static readonly string[] StepKeys = ["command", "shell", "workdir", "env", "timeout"];

        /// <summary>Commands per phase: one for every engine (key null) and per-engine overrides.</summary>
        private readonly Dictionary<Phase, Dictionary<EngineKind, CommandStep>> _perEngine = [];

        private readonly Dictionary<Phase, CommandStep> _allEngines = [];

        private readonly List<(string File, YamlNode Node)> _fileKeys = [];

        public CompareSettings Compare { get; private set; } = CompareSettings.Default;

        /// <summary>The command that stands for <paramref name="phase"/> on <paramref name="kind"/>, as a script source; null for the SQL file.</summary>
        /// <exception cref="ScenarioDefinitionException">A SQL file for the same phase and engine exists or is named too (which one runs would be a guess).</exception>
        public ScriptSource? CommandFor(Phase phase, EngineKind kind)
        {
            var forAll = _allEngines.GetValueOrDefault(phase);
            var step = _perEngine.TryGetValue(phase, out var byEngine) && byEngine.TryGetValue(kind, out var specific) ? specific : forAll;
            if (step is null)
            {
                return null;
            }

            var phaseName = phase.ToString().ToLowerInvariant();
            if (ReferenceEquals(step, forAll) && _fileKeys.FirstOrDefault(f => f.File == phaseName) is { Node: { } fileNode })
            {
                throw Error(fileNode, $"files.{phaseName} names a script, but steps.{phaseName} runs a command instead on every engine; remove one of them");
            }

            var file = phase switch { Phase.Baseline => Baseline, Phase.Forward => Forward, _ => Rollback };
            var folder = System.IO.Path.GetDirectoryName(Path)!;
            var clash = new[] { Variant(file, kind), ReferenceEquals(step, forAll) ? file : null }
                .OfType<string>()
                .FirstOrDefault(name => File.Exists(System.IO.Path.Combine(folder, name)));
            if (clash is not null)
            {
                throw new ScenarioDefinitionException(Path, step.Line, $"steps.{phaseName} runs a command on {kind.ToName()}, but {clash} is there too; remove or rename the file so that it is clear which one runs");
            }

            return new ScriptSource(Path, step.Display) { Command = step };
        }

        /// <summary>True when a step names <paramref name="kind"/> (steps.forward.postgres), which makes it one of the scenario's engines.</summary>
        public bool HasCommandFor(EngineKind kind) => _perEngine.Values.Any(byEngine => byEngine.ContainsKey(kind));

        private void ParseSteps(YamlNode node)
        {
            foreach (var (k, v) in Map(node, "steps").Children)
            {
                var phaseName = Key(k, ["baseline", "forward", "rollback"], "steps.");
                var phase = Enum.Parse<Phase>(phaseName, ignoreCase: true);
                var what = "steps." + phaseName;
                var map = Map(v, what);
                var keys = map.Children.Keys.Select(key => Text(key, "key").Replace('-', '_')).ToList();
                if (keys.Count > 0 && keys.All(key => EngineKinds.TryParse(key, out _)))
                {
                    var byEngine = new Dictionary<EngineKind, CommandStep>();
                    foreach (var (ek, ev) in map.Children)
                    {
                        var kind = Engine(ek);
                        byEngine[kind] = ParseStep(ev, $"{what}.{kind.ToName()}");
                    }

                    _perEngine[phase] = byEngine;
                }
                else if (keys.Any(key => EngineKinds.TryParse(key, out _)))
                {
                    throw Error(v, $"{what} holds either one command (command, shell, workdir, env, timeout) or one per engine (postgres, mysql, sqlite), not both");
                }
                else
                {
                    _allEngines[phase] = ParseStep(v, what);
                }
            }
        }

        /// <summary>Remembers files.X keys so that steps.X can reject the contradiction whichever comes first.</summary>
        private void RememberFileKey(string file, YamlNode node) => _fileKeys.Add((file, node));

        private CommandStep ParseStep(YamlNode node, string what)
        {
            var map = Map(node, what);
            YamlNode? command = null;
            bool? shell = null;
            var workdir = System.IO.Path.GetDirectoryName(Path)!;
            var environment = new SortedDictionary<string, string>(StringComparer.Ordinal);
            TimeSpan? timeout = null;
            foreach (var (k, v) in map.Children)
            {
                switch (Key(k, StepKeys, what + "."))
                {
                    case "command": command = v; break;
                    case "shell": shell = Bool(v, what + ".shell"); break;
                    case "workdir": workdir = WorkingDirectory(v, what + ".workdir"); break;
                    case "env":
                        foreach (var (ek, ev) in Map(v, what + ".env").Children)
                        {
                            var name = Text(ek, what + ".env key");
                            if (CommandEnvironment.ReservedProblem(name) is { } problem)
                            {
                                throw Error(ek, $"{what}.env.{name}: {problem}");
                            }

                            environment[name] = ev is YamlScalarNode { Value: null } ? string.Empty : Text(ev, $"{what}.env.{name}");
                        }

                        break;
                    case "timeout": timeout = Duration(v, what + ".timeout"); break;
                }
            }

            if (command is null)
            {
                throw Error(node, $"{what} needs a 'command' (a line for the shell, or a list [program, arg, ...])");
            }

            var line = (int)command.Start.Line;
            if (command is YamlSequenceNode sequence)
            {
                if (shell == true)
                {
                    throw Error(command, $"{what}.shell: true takes the command as one line, not a list; write it as a string or drop shell");
                }

                var argv = sequence.Children.Select(n => n is YamlScalarNode { Value: null } ? string.Empty : Text(n, $"{what}.command item")).ToList();
                if (argv.Count == 0 || argv[0].Length == 0)
                {
                    throw Error(command, $"{what}.command must name a program first");
                }

                return new CommandStep(argv.ToValueList(), false, workdir, environment.ToValueList(), timeout, Path, line);
            }

            var text = NonEmpty(command, what + ".command");
            if (shell == false)
            {
                var words = SplitWords(text, out var problem);
                return problem is null
                    ? new CommandStep(words.ToValueList(), false, workdir, environment.ToValueList(), timeout, Path, line)
                    : throw Error(command, $"{what}.command: {problem}");
            }

            return new CommandStep(new[] { text }.ToValueList(), true, workdir, environment.ToValueList(), timeout, Path, line);
        }

        private string WorkingDirectory(YamlNode node, string what)
        {
            var text = NonEmpty(node, what);
            var full = System.IO.Path.GetFullPath(text, System.IO.Path.GetDirectoryName(Path)!);
            return Directory.Exists(full)
                ? System.IO.Path.TrimEndingDirectorySeparator(full)
                : throw Error(node, $"{what}: no such folder '{full}' (relative paths start at the scenario folder)");
        }

        private void ParseCompare(YamlNode node)
        {
            var compare = Compare;
            foreach (var (k, v) in Map(node, "compare").Children)
            {
                switch (Key(k, ["ignore_tables", "history_tables"], "compare."))
                {
                    case "ignore_tables":
                        var rules = new List<IgnoredTableRule>();
                        foreach (var item in Seq(v, "compare.ignore_tables"))
                        {
                            string? table = null, reason = null;
                            foreach (var (ik, iv) in Map(item, "compare.ignore_tables item (a mapping with table and reason)").Children)
                            {
                                switch (Key(ik, ["table", "reason"], "compare.ignore_tables."))
                                {
                                    case "table": table = NonEmpty(iv, "compare.ignore_tables.table"); break;
                                    case "reason": reason = Text(iv, "compare.ignore_tables.reason"); break;
                                }
                            }

                            if (table is null)
                            {
                                throw Error(item, "an ignored table needs a 'table'");
                            }

                            if (string.IsNullOrWhiteSpace(reason))
                            {
                                throw Error(item, $"ignored table {table} needs a written 'reason'");
                            }

                            rules.Add(new IgnoredTableRule(table, reason));
                        }

                        compare = compare with { IgnoreTables = rules.ToValueList() };
                        break;
                    case "history_tables":
                        compare = compare with
                        {
                            IgnoreHistoryTables = Text(v, "compare.history_tables") switch
                            {
                                "ignore" => true,
                                "compare" => false,
                                var other => throw Error(v, $"compare.history_tables must be 'ignore' or 'compare', got '{other}'"),
                            },
                        };
                        break;
                }
            }

            Compare = compare;
        }

        /// <summary>
        /// Splits a command line into words as a POSIX shell would without expanding anything: blanks separate words,
        /// single quotes keep everything, double quotes keep all but \" \\ \$ \`, a backslash outside quotes escapes.
        /// </summary>
        internal static List<string> SplitWords(string text, out string? problem)
        {
            var words = new List<string>();
            var word = new StringBuilder();
            var inWord = false;
            problem = null;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                switch (c)
                {
                    case ' ' or '\t' or '\n' or '\r':
                        if (inWord)
                        {
                            words.Add(word.ToString());
                            word.Clear();
                            inWord = false;
                        }

                        break;
                    case '\'':
                        var close = text.IndexOf('\'', i + 1);
                        if (close < 0)
                        {
                            problem = $"unterminated single quote at column {i + 1}";
                            return words;
                        }

                        word.Append(text, i + 1, close - i - 1);
                        i = close;
                        inWord = true;
                        break;
                    case '"':
                        var closed = false;
                        for (i++; i < text.Length; i++)
                        {
                            if (text[i] == '"')
                            {
                                closed = true;
                                break;
                            }

                            if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`')
                            {
                                i++;
                            }

                            word.Append(text[i]);
                        }

                        if (!closed)
                        {
                            problem = "unterminated double quote";
                            return words;
                        }

                        inWord = true;
                        break;
                    case '\\' when i + 1 < text.Length:
                        word.Append(text[++i]);
                        inWord = true;
                        break;
                    default:
                        word.Append(c);
                        inWord = true;
                        break;
                }
            }

            if (inWord)
            {
                words.Add(word.ToString());
            }

            if (words.Count == 0)
            {
                problem = "the command is empty";
            }

            return words;
        }
    }
}
