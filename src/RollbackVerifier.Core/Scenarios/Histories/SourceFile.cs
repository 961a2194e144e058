using System.Text;
using RollbackVerifier.Model;

namespace RollbackVerifier.Scenarios.Histories;

/// <summary>
/// A migration file read once, line by line. Scripts cut out of it (a dbmate section, a Liquibase changeset, its
/// --rollback lines) keep every line on its own line number, with the lines that are not part of the script left
/// blank, so a statement of the script reports the line it has in the user's file.
/// </summary>
internal sealed class SourceFile
{
    private SourceFile(string path, string text)
    {
        Path = path;
        Text = text;
        Lines = text.Split('\n');
    }

    public string Path { get; }

    /// <summary>The whole text, "\n" line ends.</summary>
    public string Text { get; }

    /// <summary>The lines; <c>Lines[0]</c> is line 1.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>The file name relative to <paramref name="folder"/>, with '/' separators (for messages and names).</summary>
    public string Relative(string folder) => System.IO.Path.GetRelativePath(folder, Path).Replace('\\', '/');

    public static SourceFile Read(string path)
    {
        var text = ScenarioText.Read(path);
        return new SourceFile(path, text.Contains('\r', StringComparison.Ordinal) ? text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n') : text);
    }

    /// <summary>The whole file as a script.</summary>
    public ScriptSource Whole() => new(Path, Text);

    /// <summary>A script of the given 1-based lines (in increasing order) with their (possibly rewritten) text.</summary>
    public ScriptSource Script(IEnumerable<(int Line, string Text)> lines)
    {
        var text = new StringBuilder();
        var next = 1;
        foreach (var (line, content) in lines)
        {
            if (line < next)
            {
                throw new ArgumentException("lines must be in increasing order", nameof(lines));
            }

            text.Append('\n', line - next).Append(content).Append('\n');
            next = line + 1;
        }

        return new ScriptSource(Path, text.ToString());
    }

    /// <summary>A script of lines <paramref name="first"/> to <paramref name="last"/> (1-based, inclusive).</summary>
    public ScriptSource Script(int first, int last) =>
        Script(Enumerable.Range(first, Math.Max(0, last - first + 1)).Select(n => (n, Lines[n - 1])));

    /// <summary>The line's text, for messages.</summary>
    public string Line(int number) => number >= 1 && number <= Lines.Count ? Lines[number - 1] : string.Empty;

    public ScenarioDefinitionException Error(int? line, string problem) => new(Path, line, problem);
}

/// <summary>Dialect parts in file and folder names (.postgres., .mysql., .sqlite3.) and Flyway vendor folders.</summary>
internal static class Dialects
{
    public const string Expected = "postgres, postgresql, pg, mysql, mariadb, sqlite or sqlite3";

    public static bool TryParse(string? text, out EngineKind engine) => EngineKinds.TryParse(text, out engine);
}
