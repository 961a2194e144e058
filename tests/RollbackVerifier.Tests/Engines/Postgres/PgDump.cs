using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace RollbackVerifier.Tests.Engines.Postgres;

/// <summary>What <c>pg_dump --schema-only</c> says a database holds, parsed with simple line regexes.</summary>
internal sealed record DumpedSchema(
    HashSet<string> Tables,
    HashSet<string> Columns,
    HashSet<string> Constraints,
    HashSet<string> Indexes,
    HashSet<string> Sequences,
    HashSet<string> Views,
    HashSet<string> MaterializedViews,
    HashSet<string> Triggers,
    HashSet<string> DisabledTriggers,
    HashSet<string> Enums,
    HashSet<string> Routines);

/// <summary>Runs pg_dump (the server container's own, else the host's) and parses its output.</summary>
internal static partial class PgDump
{
    /// <summary>The major version of the pg_dump client, or why there is none.</summary>
    public static (int? Major, string? Problem) ClientMajorVersion()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pg_dump", "--version") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var match = VersionPattern().Match(output);
            return match.Success ? (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), null) : (null, "unexpected version output: " + output);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (null, ex.Message);
        }
    }

    /// <summary>
    /// The schema-only dump of <paramref name="database"/>, made by the server's own pg_dump inside its container (same
    /// version as the server, whatever the host has), or by the host's pg_dump for an existing server.
    /// </summary>
    public static async Task<string> SchemaOnlyAsync(string connectionString, string? containerId)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var options = new[] { "--schema-only", "--no-owner", "--no-privileges" };
        var start = new ProcessStartInfo(containerId is null ? "pg_dump" : "docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        IEnumerable<string> arguments = containerId is null
            ? [.. options, "-h", builder.Host!, "-p", builder.Port.ToString(CultureInfo.InvariantCulture), "-U", builder.Username!, "-d", builder.Database!]
            // Inside the container the server listens on its default port; the password travels in the environment only.
            : ["exec", "-e", "PGPASSWORD", containerId, "sh", "-c", "PATH=\"$PATH:$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -n 1)\" exec pg_dump \"$@\"", "sh",
                .. options, "-h", "127.0.0.1", "-U", builder.Username!, "-d", builder.Database!];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PGPASSWORD"] = builder.Password;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, "pg_dump failed: " + await error);
        return await output;
    }

    /// <summary>Index names in a materialized view's definition ("-- index: CREATE INDEX name ON ...").</summary>
    public static IEnumerable<string> IndexNames(string viewDefinition) =>
        IndexPattern().Matches(viewDefinition).Select(m => Unquote(m.Groups["name"].Value));

    public static DumpedSchema Parse(string dump)
    {
        var result = new DumpedSchema([], [], [], [], [], [], [], [], [], [], []);
        string? currentTable = null;
        foreach (var line in dump.Split('\n'))
        {
            if (currentTable is not null)
            {
                if (line.StartsWith(')'))
                {
                    currentTable = null;
                    continue;
                }

                var check = TableConstraintPattern().Match(line);
                if (check.Success)
                {
                    result.Constraints.Add(Unquote(check.Groups["name"].Value));
                    continue;
                }

                var column = ColumnPattern().Match(line);
                if (column.Success)
                {
                    result.Columns.Add(currentTable + "." + Unquote(column.Groups["name"].Value));
                }

                continue;
            }

            Match m;
            if ((m = CreateTablePattern().Match(line)).Success)
            {
                currentTable = Name(m);
                result.Tables.Add(currentTable);
                if (line.TrimEnd().EndsWith(");", StringComparison.Ordinal))
                {
                    currentTable = null;
                }
            }
            else if ((m = AddConstraintPattern().Match(line)).Success)
            {
                result.Constraints.Add(Unquote(m.Groups["name"].Value));
            }
            else if ((m = IndexPattern().Match(line)).Success)
            {
                result.Indexes.Add(Unquote(m.Groups["name"].Value));
            }
            else if ((m = CreateSequencePattern().Match(line)).Success || (m = IdentitySequencePattern().Match(line)).Success)
            {
                result.Sequences.Add(Name(m));
            }
            else if ((m = CreateViewPattern().Match(line)).Success)
            {
                (m.Groups["mat"].Success ? result.MaterializedViews : result.Views).Add(Name(m));
            }
            else if ((m = CreateTriggerPattern().Match(line)).Success)
            {
                result.Triggers.Add(Name(m) + "." + Unquote(m.Groups["trigger"].Value));
            }
            else if ((m = DisableTriggerPattern().Match(line)).Success)
            {
                result.DisabledTriggers.Add(Name(m) + "." + Unquote(m.Groups["trigger"].Value));
            }
            else if ((m = CreateEnumPattern().Match(line)).Success)
            {
                result.Enums.Add(Name(m));
            }
            else if ((m = CreateRoutinePattern().Match(line)).Success)
            {
                result.Routines.Add($"{Name(m)}({m.Groups["args"].Value})");
            }
        }

        return result;
    }

    private static string Name(Match m) => Unquote(m.Groups["schema"].Value) + "." + Unquote(m.Groups["name"].Value);

    private static string Unquote(string identifier) =>
        identifier.Length >= 2 && identifier[0] == '"' ? identifier[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : identifier;

    [GeneratedRegex(@"pg_dump \(PostgreSQL\) (\d+)")]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"^CREATE (UNLOGGED )?TABLE (?<schema>[^\s.]+)\.(?<name>[^\s(]+) \(")]
    private static partial Regex CreateTablePattern();

    [GeneratedRegex(@"^    (?<name>""[^""]+""|[^\s,]+)( |,?$)")]
    private static partial Regex ColumnPattern();

    [GeneratedRegex(@"^    CONSTRAINT (?<name>""[^""]+""|\S+) ")]
    private static partial Regex TableConstraintPattern();

    [GeneratedRegex(@"^\s+ADD CONSTRAINT (?<name>""[^""]+""|\S+) (PRIMARY KEY|UNIQUE|FOREIGN KEY|CHECK|EXCLUDE)")]
    private static partial Regex AddConstraintPattern();

    [GeneratedRegex(@"CREATE (UNIQUE )?INDEX (?<name>""[^""]+""|\S+) ON ")]
    private static partial Regex IndexPattern();

    [GeneratedRegex(@"^CREATE SEQUENCE (?<schema>[^\s.]+)\.(?<name>\S+)$")]
    private static partial Regex CreateSequencePattern();

    [GeneratedRegex(@"^\s+SEQUENCE NAME (?<schema>[^\s.]+)\.(?<name>\S+)$")]
    private static partial Regex IdentitySequencePattern();

    [GeneratedRegex(@"^CREATE (?<mat>MATERIALIZED )?VIEW (?<schema>[^\s.]+)\.(?<name>\S+) AS")]
    private static partial Regex CreateViewPattern();

    [GeneratedRegex(@"^CREATE (CONSTRAINT )?TRIGGER (?<trigger>\S+) .* ON (?<schema>[^\s.]+)\.(?<name>\S+) ")]
    private static partial Regex CreateTriggerPattern();

    [GeneratedRegex(@"^ALTER TABLE (ONLY )?(?<schema>[^\s.]+)\.(?<name>\S+) DISABLE TRIGGER (?<trigger>\S+);")]
    private static partial Regex DisableTriggerPattern();

    [GeneratedRegex(@"^CREATE TYPE (?<schema>[^\s.]+)\.(?<name>\S+) AS ENUM")]
    private static partial Regex CreateEnumPattern();

    [GeneratedRegex(@"^CREATE (FUNCTION|PROCEDURE) (?<schema>[^\s.]+)\.(?<name>[^\s(]+)\((?<args>.*)\)( RETURNS .*)?$")]
    private static partial Regex CreateRoutinePattern();
}
