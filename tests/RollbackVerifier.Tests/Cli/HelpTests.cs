using System.Reflection;
using System.Text.RegularExpressions;
using RollbackVerifier.Cli;
using Spectre.Console.Cli;

namespace RollbackVerifier.Tests.Cli;

/// <summary>Help text: every command, argument and option of the tool says what it does, and every command has an example.</summary>
[NonParallelizable]
public sealed partial class HelpTests
{
    private static IEnumerable<Type> SettingsTypes() =>
        typeof(CliApp).Assembly.GetTypes().Where(t => typeof(CommandSettings).IsAssignableFrom(t) && !t.IsAbstract);

    [Test]
    public void Every_option_and_argument_has_a_description()
    {
        var missing = SettingsTypes()
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => (Type: t, Property: p)))
            .Where(x => x.Property.GetCustomAttribute<CommandOptionAttribute>() is not null || x.Property.GetCustomAttribute<CommandArgumentAttribute>() is not null)
            .Where(x => x.Property.GetCustomAttribute<System.ComponentModel.DescriptionAttribute>() is not { Description.Length: > 10 })
            .Select(x => $"{x.Type.Name}.{x.Property.Name}")
            .Distinct()
            .ToList();

        Assert.That(SettingsTypes().Count(), Is.GreaterThanOrEqualTo(5), "the settings types are found");
        Assert.That(missing, Is.Empty, "options or arguments without a [Description]");
    }

    /// <summary>The commands the root help lists, with branches expanded ("report merge").</summary>
    private static async Task<List<string>> CommandsAsync(string prefix = "")
    {
        var help = await CliRun.RunAsync([.. prefix.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);
        Assert.That(help.Code, Is.Zero, help.Errors);
        var section = help.Output[(help.Output.IndexOf("COMMANDS:", StringComparison.Ordinal) + 9)..];
        var commands = new List<string>();
        foreach (Match line in CommandLine().Matches(section))
        {
            var name = (prefix + " " + line.Groups["name"].Value).Trim();
            Assert.That(line.Groups["description"].Value.Trim(), Has.Length.GreaterThan(10), $"'{name}' has a description in the command list");
            var sub = await CliRun.RunAsync([.. name.Split(' '), "--help"]);
            commands.AddRange(sub.Output.Contains("COMMANDS:", StringComparison.Ordinal) ? await CommandsAsync(name) : [name]);
        }

        return commands;
    }

    [Test]
    public async Task Every_command_has_help_with_a_description_and_examples_and_no_undescribed_option()
    {
        var commands = await CommandsAsync();

        Assert.That(commands, Is.SupersetOf(new[] { "verify", "list", "init", "report merge", "findings", "explain" }));
        foreach (var command in commands)
        {
            var help = await CliRun.RunAsync([.. command.Split(' '), "--help"]);
            Assert.That(help.Code, Is.Zero, $"{command} --help");
            Assert.That(help.Output, Does.Contain("DESCRIPTION:").And.Contain("EXAMPLES:"), $"{command} --help has a description and examples");
            var options = help.Output[help.Output.IndexOf("OPTIONS:", StringComparison.Ordinal)..];
            var lines = OptionLine().Matches(options);
            Assert.That(lines.Select(m => m.Groups["option"].Value.Trim()), Has.Some.StartWith("--no-color").And.Some.StartWith("-h, --help"), $"{command}: options are found");
            foreach (Match option in lines)
            {
                Assert.That(option.Groups["rest"].Value.Trim(), Is.Not.Empty, $"{command}: option {option.Groups["option"].Value} has no description");
            }
        }
    }

    [Test]
    public async Task Version_prints_the_tool_version()
    {
        var run = await CliRun.RunAsync("--version");
        Assert.That(run.Code, Is.Zero);
        Assert.That(run.Output.Trim(), Is.EqualTo(CliApp.Version));
    }

    [GeneratedRegex(@"^ {4}(?<name>[a-z][a-z-]*)(?: <[A-Z]+>)?\s{2,}(?<description>\S.*)$", RegexOptions.Multiline)]
    private static partial Regex CommandLine();

    /// <summary>An option line: "    -e, --engine &lt;ENGINES&gt;   text", the default value (if any) counting as text only with more after it.</summary>
    [GeneratedRegex(@"^ {4}(?<option>(?:-\w, | {4})--[a-z-]+(?: <[^>]+>)?)(?<rest>.*)$", RegexOptions.Multiline)]
    private static partial Regex OptionLine();
}
