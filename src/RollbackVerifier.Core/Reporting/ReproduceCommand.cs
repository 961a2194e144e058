using System.Globalization;
using System.Text.RegularExpressions;
using RollbackVerifier.Model;

namespace RollbackVerifier.Reporting;

/// <summary>The command line that reruns one scenario on one engine with the same seed and volumes, for reports.</summary>
public static partial class ReproduceCommand
{
    /// <summary>The tool's command name (the dotnet tool; in a clone: <c>dotnet run --project src/RollbackVerifier.Cli --</c>).</summary>
    public const string Tool = "rollback-verifier";

    /// <summary>
    /// <c>rollback-verifier verify DIR --engine E --seed N [options] --report md,html</c>, each argument quoted for a
    /// POSIX shell when it needs it. <paramref name="options"/> are further flag/value pairs (<c>--rows</c>,
    /// <c>--postgres-image</c>, ...); never pass a server URL here, it may hold a password.
    /// </summary>
    public static string For(string directory, EngineKind engine, int seed, params IEnumerable<(string Flag, string Value)> options)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var args = new List<string> { Tool, "verify", directory, "--engine", engine.ToName(), "--seed", seed.ToString(CultureInfo.InvariantCulture) };
        foreach (var (flag, value) in options ?? [])
        {
            args.Add(flag);
            args.Add(value);
        }

        args.AddRange(["--report", "md,html"]);
        return string.Join(' ', args.Select(Quote));
    }

    /// <summary>A POSIX shell word: as is when it holds only safe characters, else in single quotes.</summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return word.Length > 0 && SafeWord().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    [GeneratedRegex(@"^[A-Za-z0-9_./:=,+@%-]+$")]
    private static partial Regex SafeWord();
}
