using System.Globalization;
using System.Text.RegularExpressions;

namespace RollbackVerifier.Preflight;

/// <summary>Reads version numbers out of the server descriptions engines report ("PostgreSQL 16.4", "MariaDB 10.11.6").</summary>
public static partial class ServerVersions
{
    /// <summary>The major version, or null when the text holds no number.</summary>
    public static int? Major(string? serverVersion) =>
        serverVersion is not null && Number().Match(serverVersion) is { Success: true } m
            ? int.Parse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture)
            : null;

    /// <summary>True for a MariaDB server (its variables and functions differ from MySQL 8 in places).</summary>
    public static bool IsMariaDb(string? serverVersion) => serverVersion?.Contains("MariaDB", StringComparison.OrdinalIgnoreCase) == true;

    [GeneratedRegex(@"(\d+)(?:\.\d+)*")]
    private static partial Regex Number();
}
