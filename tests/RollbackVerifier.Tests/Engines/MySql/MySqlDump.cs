using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace RollbackVerifier.Tests.Engines.MySql;

/// <summary>One CREATE TABLE of a dump: columns in order and the names of its keys and constraints.</summary>
internal sealed record DumpedTable(
    List<string> Columns,
    List<string>? PrimaryKey,
    HashSet<string> UniqueKeys,
    HashSet<string> Keys,
    HashSet<string> ForeignKeys,
    HashSet<string> NamedChecks,
    List<string> ColumnChecks,
    List<string> AutoIncrementColumns,
    long? AutoIncrement);

/// <summary>What <c>mysqldump --no-data</c> says a database holds.</summary>
internal sealed record DumpedSchema(
    Dictionary<string, DumpedTable> Tables,
    HashSet<string> Views,
    HashSet<string> Sequences,
    HashSet<string> Triggers,
    HashSet<string> Routines);

/// <summary>
/// Runs the server's own dump tool inside its container (mariadb-dump, else mysqldump; the host has neither) and
/// parses its output with line regexes.
/// </summary>
internal static partial class MySqlDump
{
    public static async Task<string> NoDataAsync(string containerId, string database)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "exec", containerId, "sh", "-c",
            "D=$(command -v mariadb-dump || command -v mysqldump); \"$D\" -uroot -p\"$MYSQL_ROOT_PASSWORD\" --no-data --routines --triggers --skip-comments --no-tablespaces \"$1\"",
            "sh", database,
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, "the dump failed: " + await error);
        return await output;
    }

    public static DumpedSchema Parse(string dump)
    {
        var views = ViewPattern().Matches(dump).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var tables = new Dictionary<string, DumpedTable>(StringComparer.Ordinal);
        DumpedTable? current = null;
        string? currentName = null;
        foreach (var line in dump.Split('\n'))
        {
            if (current is null)
            {
                var create = CreateTablePattern().Match(line);
                if (create.Success)
                {
                    currentName = create.Groups[1].Value;
                    current = new DumpedTable([], null, [], [], [], [], [], [], null);
                }

                continue;
            }

            Match m;
            if (line.StartsWith(')'))
            {
                var auto = AutoIncrementPattern().Match(line);
                if (!views.Contains(currentName!) && currentName != "_rollbackverifier_marker")
                {
                    tables[currentName!] = current with { AutoIncrement = auto.Success ? long.Parse(auto.Groups[1].Value, CultureInfo.InvariantCulture) : null };
                }

                current = null;
            }
            else if ((m = ColumnPattern().Match(line)).Success)
            {
                var column = m.Groups[1].Value;
                current.Columns.Add(column);
                if (line.Contains(" AUTO_INCREMENT", StringComparison.Ordinal))
                {
                    current.AutoIncrementColumns.Add(column);
                }

                if (line.Contains(" CHECK (", StringComparison.Ordinal))
                {
                    current.ColumnChecks.Add(column);
                }
            }
            else if ((m = PrimaryKeyPattern().Match(line)).Success)
            {
                current = current with { PrimaryKey = Regex.Matches(m.Groups[1].Value, "`([^`]+)`").Select(c => c.Groups[1].Value).ToList() };
            }
            else if ((m = KeyPattern().Match(line)).Success)
            {
                (m.Groups[1].Value == "UNIQUE " ? current.UniqueKeys : current.Keys).Add(m.Groups[2].Value);
            }
            else if ((m = ConstraintPattern().Match(line)).Success)
            {
                (m.Groups[2].Value == "FOREIGN KEY" ? current.ForeignKeys : current.NamedChecks).Add(m.Groups[1].Value);
            }
        }

        return new DumpedSchema(
            tables,
            views,
            SequencePattern().Matches(dump).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal),
            TriggerPattern().Matches(dump).Select(m => m.Groups[4].Value + "." + m.Groups[1].Value).ToHashSet(StringComparer.Ordinal),
            RoutinePattern().Matches(dump).Select(m => m.Groups[1].Value.ToLowerInvariant() + " " + m.Groups[2].Value).ToHashSet(StringComparer.Ordinal));
    }

    [GeneratedRegex(@"^CREATE TABLE `([^`]+)` \(")]
    private static partial Regex CreateTablePattern();

    [GeneratedRegex(@"VIEW `([^`]+)` AS")]
    private static partial Regex ViewPattern();

    [GeneratedRegex(@"^CREATE SEQUENCE `([^`]+)`", RegexOptions.Multiline)]
    private static partial Regex SequencePattern();

    [GeneratedRegex(@"^  `([^`]+)` ")]
    private static partial Regex ColumnPattern();

    [GeneratedRegex(@"^  PRIMARY KEY \((.*)\)")]
    private static partial Regex PrimaryKeyPattern();

    [GeneratedRegex(@"^  (UNIQUE |FULLTEXT |SPATIAL )?KEY `([^`]+)`")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^  CONSTRAINT `([^`]+)` (FOREIGN KEY|CHECK)")]
    private static partial Regex ConstraintPattern();

    [GeneratedRegex(@"AUTO_INCREMENT=(\d+)")]
    private static partial Regex AutoIncrementPattern();

    [GeneratedRegex(@"TRIGGER `?(\w+)`? (BEFORE|AFTER) (INSERT|UPDATE|DELETE) ON `?(\w+)`?")]
    private static partial Regex TriggerPattern();

    [GeneratedRegex(@"\b(FUNCTION|PROCEDURE) `([^`]+)`\(")]
    private static partial Regex RoutinePattern();
}
