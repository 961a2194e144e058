using System.Globalization;
using RollbackVerifier.Execution;
using RollbackVerifier.Model;
using RollbackVerifier.Reporting;
using RollbackVerifier.Scenarios;

namespace RollbackVerifier.Cli;

/// <summary>The reproduce command of a CLI run: the scenario folder as the user can type it, the seed, and the options that changed the run.</summary>
internal static class CliReproduce
{
    public static ScenarioResult Annotate(ScenarioResult result, VerifyCommand.Settings settings)
    {
        var options = new List<(string, string)>();
        if (settings.Rows is { } rows)
        {
            options.Add(("--rows", rows.ToString(CultureInfo.InvariantCulture)));
        }

        if (settings.LiveRows is { } liveRows)
        {
            options.Add(("--live-rows", liveRows.ToString(CultureInfo.InvariantCulture)));
        }

        // The image decides the server version; a server URL is left out (it is the user's environment and may hold a password).
        var image = result.Engine switch
        {
            EngineKind.Postgres => settings.PostgresImage ?? Environment.GetEnvironmentVariable("RV_POSTGRES_IMAGE"),
            EngineKind.MySql => settings.MySqlImage ?? Environment.GetEnvironmentVariable("RV_MYSQL_IMAGE"),
            _ => null,
        };
        if (!string.IsNullOrWhiteSpace(image))
        {
            options.Add(($"--{result.Engine.ToName()}-image", image));
        }

        return result with
        {
            Reproduce = result.Seed is { } seed ? ReproduceCommand.For(Typeable(result.Directory), result.Engine, seed, options) : result.Reproduce,
        };
    }

    /// <summary>Relative to the working directory when the folder is below it (what the user typed), else absolute.</summary>
    private static string Typeable(string directory)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, directory);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? directory : relative.Replace('\\', '/');
    }
}
