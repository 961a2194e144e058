using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace RollbackVerifier.Scenarios;

/// <summary>
/// Turns YamlDotNet's syntax errors into a 1-based line and a message people can act on. YamlDotNet reports some
/// errors at the start of the document (tabs, unknown aliases) or without any position (an unclosed flow list); for
/// those the text is scanned again to find the line that is actually wrong.
/// </summary>
internal static partial class YamlErrors
{
    public static (int? Line, string Problem) Describe(string text, Exception exception)
    {
        var message = exception.Message;
        if (message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FirstTabIndentedLine(text) is { } tabLine)
        {
            return (tabLine, "invalid YAML: a tab is used for indentation; indent with spaces");
        }

        if (AnchorPattern().Match(message) is { Success: true } anchor && FindAlias(text, anchor.Groups[1].Value) is { } aliasLine)
        {
            return (aliasLine, $"invalid YAML: the alias *{anchor.Groups[1].Value} refers to no anchor &{anchor.Groups[1].Value} defined before it");
        }

        // A flow collection left open to the end of the text is reported where it ends; the opening line is the useful one.
        var atEnd = exception is YamlException { Start.Index: var index } && index >= text.TrimEnd().Length;
        if (atEnd && Scan(text).UnclosedFlow is { } unclosed)
        {
            return Unclosed(unclosed);
        }

        if (exception is YamlException positioned && !positioned.Start.Equals(Mark.Empty))
        {
            return ((int)positioned.Start.Line, "invalid YAML: " + message);
        }

        var scan = Scan(text);
        if (scan.UnclosedFlow is { } flow)
        {
            return Unclosed(flow);
        }

        return exception is YamlException yaml
            ? ((int)yaml.Start.Line, "invalid YAML: " + message)
            : (scan.LastGood is { } last ? (int)last.Line : null, "invalid YAML: the text cannot be parsed after this line (" + message + ")");
    }

    private static (int? Line, string Problem) Unclosed((Mark Start, bool IsSequence) flow)
    {
        var (open, close) = flow.IsSequence ? ('[', ']') : ('{', '}');
        return ((int)flow.Start.Line, $"invalid YAML: the '{open}' opened on this line is not closed with '{close}'");
    }

    private static int? FirstTabIndentedLine(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var indentation = lines[i].AsSpan()[..(lines[i].Length - lines[i].TrimStart(' ', '\t').Length)];
            if (indentation.Contains('\t'))
            {
                return i + 1;
            }
        }

        return null;
    }

    private static int? FindAlias(string text, string name)
    {
        try
        {
            var parser = new Parser(new StringReader(text));
            while (parser.MoveNext())
            {
                if (parser.Current is AnchorAlias alias && alias.Value.Value == name)
                {
                    return (int)alias.Start.Line;
                }
            }
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            // Not found before the text stops parsing.
        }

        return null;
    }

    /// <summary>Parses as far as possible, remembering the innermost flow collection still open when parsing stops.</summary>
    private static ScanResult Scan(string text)
    {
        var open = new Stack<(Mark Start, bool IsSequence, bool IsFlow)>();
        Mark? last = null;
        try
        {
            var parser = new Parser(new StringReader(text));
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case SequenceStart s: open.Push((s.Start, true, s.Style == SequenceStyle.Flow)); break;
                    case MappingStart m: open.Push((m.Start, false, m.Style == MappingStyle.Flow)); break;
                    case SequenceEnd or MappingEnd when open.Count > 0: open.Pop(); break;
                }

                last = parser.Current!.End;
            }

            return new ScanResult(null, last);
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            var flow = open.FirstOrDefault(c => c.IsFlow);
            return new ScanResult(flow.IsFlow ? (flow.Start, flow.IsSequence) : null, last);
        }
    }

    private sealed record ScanResult((Mark Start, bool IsSequence)? UnclosedFlow, Mark? LastGood);

    [GeneratedRegex(@"anchor '([^']*)' does not exist", RegexOptions.CultureInvariant)]
    private static partial Regex AnchorPattern();
}
