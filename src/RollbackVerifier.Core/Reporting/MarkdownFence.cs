namespace RollbackVerifier.Reporting;

/// <summary>Fenced code blocks for the Markdown writers (report sections, the review prompt).</summary>
internal static class MarkdownFence
{
    /// <summary>A backtick fence longer than any backtick run in <paramref name="text"/>, so the text cannot close it.</summary>
    public static string For(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var longest = 0;
        var run = 0;
        foreach (var c in text)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return new string('`', Math.Max(3, longest + 1));
    }

    /// <summary><paramref name="text"/> as a fenced block in <paramref name="language"/>, ending with a newline.</summary>
    public static string Block(string text, string language)
    {
        var fence = For(text);
        return $"{fence}{language}\n{text.TrimEnd('\n')}\n{fence}\n";
    }
}
